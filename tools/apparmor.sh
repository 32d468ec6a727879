#!/usr/bin/env bash
# apparmor.sh: the AppArmor profile that lets ./step0 make a user namespace
# on Ubuntu 23.10 and later (mk/apparmor.mk; the profile,
# tools/apparmor/under-the-hood-step0, says what it allows and why).
#
#   apparmor.sh render STEP0 FILE    the profile for STEP0, in FILE
#   apparmor.sh install STEP0 FILE   render, then load it (root)
#   apparmor.sh remove FILE          unload it, delete FILE (root)
set -euo pipefail

NAME=under-the-hood-step0
TEMPLATE="$(dirname "$0")/apparmor/$NAME"
SECURITYFS=/sys/kernel/security/apparmor
RESTRICT=/proc/sys/kernel/apparmor_restrict_unprivileged_userns

fail() {
	echo "make $target: $*" >&2
	exit 1
}

# The profile for STEP0 on standard output.
render() {
	local step0
	# AppArmor matches the path the kernel sees at exec: links resolved.
	step0=$(realpath -m -- "$1")
	# Quotes keep spaces in; a backslash keeps AppArmor's pattern
	# characters (* ? [ ] { } ^) from matching other paths.
	step0=$(printf '%s' "$step0" | sed 's/[][\\"*?{}^]/\\&/g')
	STEP0="$step0" awk '{ i = index($0, "@STEP0@") }
		i { $0 = substr($0, 1, i - 1) ENVIRON["STEP0"] substr($0, i + 7) }
		{ print }' "$TEMPLATE"
}

# Each case in which loading the profile is useless or impossible, in one line.
check() {
	if [ ! -d "$SECURITYFS" ] || [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
		fail "AppArmor is not enabled in this kernel: nothing restricts user namespaces, step0 needs no profile"
	fi
	[ -e "$RESTRICT" ] ||
		fail "this kernel has no kernel.apparmor_restrict_unprivileged_userns (Ubuntu's, from 23.10): step0 needs no profile"
	command -v apparmor_parser >/dev/null ||
		fail "no apparmor_parser here: install the package apparmor first"
}

loaded() {
	grep -q "^$NAME " "$SECURITYFS/profiles" 2>/dev/null
}

target=apparmor
case "${1-} $#" in
"render 3")
	target=apparmor-profile
	render "$2" >"$3"
	;;
"install 3")
	check
	umask 022
	render "$2" >"$3"
	apparmor_parser -r "$3"
	echo "make $target: $3 loaded: $(realpath -m -- "$2") may make a user namespace"
	[ "$(cat "$RESTRICT")" = 1 ] ||
		echo "make $target: kernel.apparmor_restrict_unprivileged_userns is $(cat "$RESTRICT") now: step0 needs the profile only when it is 1"
	;;
"remove 2")
	target=apparmor-remove
	if loaded; then
		apparmor_parser -R "$2"
		echo "make $target: $NAME unloaded"
	fi
	if [ -e "$2" ]; then
		rm -f "$2"
		echo "make $target: $2 deleted"
	fi
	;;
*)
	echo "usage: $0 render|install STEP0 FILE, or $0 remove FILE" >&2
	exit 2
	;;
esac
