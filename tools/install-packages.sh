#!/usr/bin/env bash
# install-packages.sh PACKAGE...: install the Debian packages that are
# missing (make deps, deps-vm, deps-lint, deps-bench); quiet when all are there.
set -euo pipefail

missing=()
for package in "$@"; do
	dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
echo "installing: ${missing[*]}"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
	echo "install-packages: could not install ${missing[*]}" >&2
	exit 1
fi
