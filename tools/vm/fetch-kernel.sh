#!/usr/bin/env bash
# fetch-kernel.sh DIR [PACKAGE]: download Debian's cloud kernel (no install)
# and unpack it into DIR/tree, with modules.dep generated for its modules.
# Writes DIR/version (e.g. 6.1.0-56-cloud-amd64) and DIR/vmlinuz last, so a
# run that fails half-way leaves nothing that looks complete.
#
# The cloud flavour boots in a few seconds under TCG and has virtio, cgroup v2
# and every namespace built in; veth and overlay are modules. It has no 9p,
# which is why the guest's root is an initramfs (build-initramfs.sh).
set -euo pipefail

dir=$1
meta=${2:-linux-image-cloud-amd64}
fail() { echo "fetch-kernel: $*" >&2; exit 1; }

command -v apt-get >/dev/null || fail "apt-get not found: the VM's kernel is Debian's $meta package"
command -v depmod >/dev/null || fail "depmod not found: install kmod (make deps-vm)"

# The metapackage only depends on the versioned image: ask apt which one.
image_package() {
	apt-cache depends "$meta" 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}
package=$(image_package)
if [ -z "$package" ]; then
	echo "fetch-kernel: $meta unknown to apt-cache, running apt-get update" >&2
	apt-get update -qq || fail "apt-get update failed"
	package=$(image_package)
	[ -n "$package" ] || fail "apt-cache knows no $meta (is this Debian with main enabled?)"
fi

rm -rf "$dir/deb" "$dir/tree" "$dir/version" "$dir/vmlinuz"
mkdir -p "$dir/deb"
# apt-get download writes into the current directory. As root it warns that
# _apt cannot write there and downloads unsandboxed: harmless here.
(
	cd "$dir/deb" || exit 1
	apt-get download -q "$package" 2>&1 | grep -v '^W: Download is performed unsandboxed'
) || true
deb=$(find "$dir/deb" -maxdepth 1 -name "${package}_*.deb" | head -1)
[ -n "$deb" ] || fail "apt-get download $package failed"

dpkg-deb -x "$deb" "$dir/tree"
version=${package#linux-image-}
[ -f "$dir/tree/boot/vmlinuz-$version" ] || fail "$deb has no boot/vmlinuz-$version"
[ -d "$dir/tree/lib/modules/$version" ] || fail "$deb has no lib/modules/$version"
# The package ships no modules.dep: its postinst runs depmod. So do we.
depmod -b "$dir/tree" "$version"

cp "$dir/tree/boot/vmlinuz-$version" "$dir/vmlinuz"
echo "$version" >"$dir/version"
echo "fetch-kernel: $package ($(du -h "$deb" | cut -f1)) in $dir"
