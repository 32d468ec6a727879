#!/usr/bin/env bash
# build-initramfs.sh OUT KERNELDIR PROJECT [MODULE...]: the test VM's root, as
# a compressed cpio archive OUT, made from the host's files:
#   - bash, bats and its libraries, and the tools the tests use, with their
#     shared libraries (ldd), at their /usr paths (merged /usr);
#   - the kernel modules named (and what they depend on) from KERNELDIR, the
#     tree fetch-kernel.sh unpacked;
#   - the project's files that VM_PROJECT_FILES names (the steps, skelfs/,
#     tests/, build/test-skel/, build-faults/...), at the same absolute path
#     PROJECT as on the host;
#   - tools/vm/init as /init.
# The staging directory OUT.d is kept for a look (it is under .cache/vm/).
set -euo pipefail

out=$(realpath -m "$1")
kernel=$(realpath "$2")
project=$(realpath "$3")
shift 3
modules=("$@")
here=$(dirname "$(realpath "$0")")
fail() { echo "build-initramfs: $*" >&2; exit 1; }

version=$(cat "$kernel/version")
root=$out.d
rm -rf "$root"
mkdir -p "$root"/usr/bin "$root"/usr/sbin "$root"/usr/lib "$root"/usr/lib64
for dir in bin sbin lib lib64; do
	ln -s "usr/$dir" "$root/$dir"
done
mkdir -p "$root"/{proc,sys,dev,tmp,run,root,etc,var/tmp,mnt}
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"

# Whole packages: everything bats and the tests may call, generously. The
# tests grow while this list does not, so the tests' own words are added
# below too.
PACKAGES=(bash coreutils grep sed mawk findutils diffutils util-linux mount
	procps psmisc iproute2 iputils-ping kmod libcap2-bin bats bats-support
	bats-assert gzip tar libpam-modules libpam-modules-bin libpam-runtime uidmap passt)
# python3 and its standard library, for tools/doc-test.py (the docs' console
# sessions run after the bats files): Debian's packages of the version that
# /usr/bin/python3 is, python3.11 -> python3.11-minimal ... (not a python3 of
# PATH, which may be a virtualenv's or pyenv's).
python=$(readlink -f /usr/bin/python3 2>/dev/null) || python=
if [ -n "$python" ]; then
	PACKAGES+=(python3-minimal "${python##*/}-minimal" "lib${python##*/}-minimal" "lib${python##*/}-stdlib")
fi
# Commands the tests and helpers use today, by name, wherever they come from.
TOOLS=(bash sh awk sed grep find xargs sort uniq cut tr head tail wc diff cmp
	stat readlink realpath mktemp flock ip ping pgrep pkill ps kill unshare
	nsenter mount umount findmnt modprobe insmod lsmod depmod hostname id
	whoami env timeout sleep seq capsh getpcaps setpriv chroot switch_root)

in_usr() { # /bin/ls -> /usr/bin/ls; /etc/x stays
	case "$1" in
	/bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

declare -A files=()
missing=()
add() { [ -f "$1" ] && files[$1]=1; return 0; }

for package in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$package")
		continue
	fi
	while read -r path; do
		case "$path" in
		*/share/doc/* | */share/man/* | */share/info/* | */share/locale/* | \
			*/share/lintian/* | */bash-completion/* | */share/zsh/* | \
			*/share/fish/* | */systemd/* | /etc/init.d/* | /etc/cron*) ;;
		*) add "$path" ;;
		esac
	done < <(dpkg -L "$package")
done

[ ${#missing[@]} -eq 0 ] || echo "build-initramfs: not on the host, left out: ${missing[*]}" >&2
for tool in "${TOOLS[@]}"; do
	path=$(type -P "$tool") || fail "$tool not found on the host (make deps-vm installs what the VM needs)"
	add "$path"
done
# Every word of the tests that names a small program on the host, so that a
# test added tomorrow finds its tool in the guest. Words are also prose
# ("node", "systemd"): big programs and systemd's are left out, and named.
skipped=()
while read -r word; do
	path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin type -P "$word" 2>/dev/null) || continue
	real=$(readlink -f "$path")
	if [ "$(stat -c %s "$real")" -gt $((2 * 1024 * 1024)) ] || [[ $real == *systemd* || $real == */systemctl ]]; then
		[ -n "${files[$path]:-}" ] || skipped+=("$word")
		continue
	fi
	add "$path"
done < <({
	cat "$project"/tests/*.bats "$project"/tests/*.bash
	# The commands of the docs' sessions, which tools/doc-test.py runs.
	grep -h '^\$ ' "$project"/*.md "$project"/*/README.md
} 2>/dev/null | grep -oE '[A-Za-z_][A-Za-z0-9_.+-]*' | sort -u)
[ ${#skipped[@]} -eq 0 ] || echo "build-initramfs: words of the tests not taken as tools: ${skipped[*]}" >&2

# The shared libraries of everything executable, and the loader.
declare -A libraries=()
for path in "${!files[@]}"; do
	[ -x "$path" ] || case "$path" in *.so*) ;; *) continue ;; esac
	while read -r library; do
		libraries[$library]=1
	done < <(ldd "$path" 2>/dev/null | grep -oE '/[^ ]+' || true)
done
for library in "${!libraries[@]}"; do
	add "$library"
done

for path in "${!files[@]}"; do
	target=$root$(in_usr "$path")
	mkdir -p "$(dirname "$target")"
	cp -L --preserve=mode "$path" "$target"
done
# python3 is a link to python3.X (7 MB), not a second copy of it.
[ -z "$python" ] || ln -sfn "${python##*/}" "$root/usr/bin/python3"
echo "build-initramfs: ${#files[@]} host files (${#libraries[@]} shared libraries)"

# Modules: the files modprobe would load, in the tree's own layout, and a
# modules.dep made for them alone.
tree=$kernel/tree
module_dir=lib/modules/$version
mkdir -p "$root/usr/$module_dir"
for module in "${modules[@]}"; do
	modprobe -d "$tree" -S "$version" --show-depends "$module" >/dev/null ||
		fail "module $module not in the $version package"
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		relative=${path#"$tree"/}
		relative=${relative#usr/}
		mkdir -p "$root/usr/$(dirname "$relative")"
		cp "$path" "$root/usr/$relative"
	done < <(modprobe -d "$tree" -S "$version" --show-depends "$module")
done
cp "$tree/$module_dir"/modules.{order,builtin,builtin.modinfo} "$root/usr/$module_dir/"
depmod -b "$root" "$version"

# The project at the same path as on the host: its sources (tests read them:
# the parser's options, the steps' directories), as git lists them without
# what .gitignore hides, and the built files VM_PROJECT_FILES names
# (relative to it), those that exist, without object files.
mkdir -p "$root$project"
present=()
while IFS= read -r -d '' name; do
	[ -e "$project/$name" ] && present+=("$name")
done < <(git -c safe.directory="$project" -C "$project" ls-files -z -co --exclude-standard 2>/dev/null || true)
sources=${#present[@]}
[ "$sources" -gt 0 ] || echo "build-initramfs: no git checkout: only VM_PROJECT_FILES go into the guest" >&2
for name in ${VM_PROJECT_FILES:?"the files to copy, as mk/vm.mk gives them"}; do
	name=${name#./}
	[ -e "$project/$name" ] && present+=("$name")
done
tar -C "$project" --exclude=obj --exclude='*.o' -cf - "${present[@]}" | tar -C "$root$project" -xf -
echo "build-initramfs: from $project: $sources source files, ${present[*]:$sources} ($(du -sh "$root$project" | cut -f1))"

cat >"$root/etc/test-vm.conf" <<EOF
PROJECT=$project
MODULES="${modules[*]}"
EOF
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
# No password anywhere: root's su needs none (pam_rootok), and a locked
# entry for each user keeps pam_unix's account check content.
printf 'root:*:20000:0:99999:7:::\nnobody:*:20000:0:99999:7:::\n' >"$root/etc/shadow"
chmod 0640 "$root/etc/shadow"
# su and runuser read PAM's configuration; the common-* files are made by
# pam-auth-update, not shipped, so they come from the host's /etc.
cp -a /etc/pam.d /etc/security "$root/etc/" 2>/dev/null || true
[ -f /etc/login.defs ] && cp /etc/login.defs "$root/etc/"
echo test-vm >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttest-vm\n::1\tlocalhost\n' >"$root/etc/hosts"
ln -sf /proc/self/mounts "$root/etc/mtab"
install -m 0755 "$here/init" "$root/init"
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null ||
	echo "build-initramfs: no /dev/console node (not root?): init reopens it after devtmpfs" >&2

if command -v zstd >/dev/null; then
	compress=(zstd -q -T0 -12)
else
	compress=(gzip -6)
fi
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null --create --format=newc --owner=0:0 --quiet) | "${compress[@]}" >"$out.tmp"
mv "$out.tmp" "$out"
echo "build-initramfs: $out: $(du -sh "$root" | cut -f1) unpacked, $(du -h "$out" | cut -f1) ${compress[0]}"
