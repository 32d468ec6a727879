#!/usr/bin/env bash
# install-packages.sh PACKAGE... [--if-available PACKAGE...]: install the
# Debian packages that are missing (make deps, deps-vm, deps-lint,
# deps-bench); quiet when all are there. Those after --if-available are
# left out where the distribution has none (passt: not in Ubuntu 22.04).
set -euo pipefail

required=()
while [ $# -gt 0 ] && [ "$1" != --if-available ]; do
	required+=("$1")
	shift
done
[ $# -eq 0 ] || shift
installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed'; }
updated=false
for package in "$@"; do
	installed "$package" && continue
	$updated || apt-get update -qq || true
	updated=true
	if apt-cache show "$package" >/dev/null 2>&1; then
		required+=("$package")
	else
		echo "install-packages: $package is not in this distribution's archive: left out" >&2
	fi
done
set -- "${required[@]}"

missing=()
for package in "$@"; do
	installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
echo "installing: ${missing[*]}"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
	echo "install-packages: could not install ${missing[*]}" >&2
	exit 1
fi
