#!/usr/bin/env bash
# make-skelfs.sh SKELDIR: add the host's tools and their shared libraries to
# a skeleton whose fixed files (etc/, root/) are committed.
# make-skelfs.sh --clean SKELDIR: remove what this script added.
set -euo pipefail

# The tools TUTORIAL.md and the tests use inside the container.
TOOLS=(bash sh ls cat ps hostname ip ping mount umount id grep sleep env true false
       echo uname readlink stat mkdir rmdir rm touch head tail wc df cut tr kill
       ln cp mv chmod chown mknod dd seq whoami unshare nsenter findmnt less
       ipcs ipcmk ipcrm stty tty nproc)
GENERATED=(usr bin sbin lib lib64 proc dev sys tmp run var home mnt .populated)

if [ "${1:-}" = --clean ]; then
	cd "$2" && rm -rf -- "${GENERATED[@]}"
	exit 0
fi
skel=$(realpath "$1")

# Debian's merged /usr: /bin, /sbin, /lib and /lib64 are links into /usr.
mkdir -p "$skel"/usr/bin "$skel"/usr/sbin "$skel"/usr/lib "$skel"/usr/lib64
for dir in bin sbin lib lib64; do
	[ -L "$skel/$dir" ] || ln -s "usr/$dir" "$skel/$dir"
done
for dir in proc dev sys tmp run var/tmp home mnt root; do
	mkdir -p "$skel/$dir"
done
chmod 1777 "$skel/tmp" "$skel/var/tmp"
chmod 0700 "$skel/root"

in_usr() { # /bin/ls -> /usr/bin/ls
	case "$1" in /usr/*) echo "$1" ;; *) echo "/usr$1" ;; esac
}

copy_file() { # copy_file HOSTPATH: the file (not a link to it), at its /usr path
	local target
	target="$skel$(in_usr "$1")"
	mkdir -p "$(dirname "$target")"
	cp -L --preserve=mode "$1" "$target"
}

declare -A libraries=()
for tool in "${TOOLS[@]}"; do
	path=$(type -P "$tool") || { echo "make-skelfs: $tool not found on the host" >&2; exit 1; }
	copy_file "$path"
	while read -r library; do
		libraries[$library]=1
	done < <(ldd "$path" 2>/dev/null | grep -o '/[^ ]*' || true)
done
for library in "${!libraries[@]}"; do
	copy_file "$library"
done
echo "make-skelfs: ${#TOOLS[@]} tools and ${#libraries[@]} libraries in $skel ($(du -sh "$skel" | cut -f1))"
