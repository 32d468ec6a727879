#!/bin/bash
# oci.sh DIR RUNTIME...: an OCI bundle per runtime, from the project's
# skeleton, that runs /bin/true as our chain does.
#
# DIR/rootfs is one copy of skelfs/ shared by the bundles; DIR/RUNTIME/config.json
# is what `RUNTIME spec` writes, edited: /bin/true, no terminal, a writable
# root, hostname mycontainer, and the namespaces of our chain (UTS, PID,
# network, mount) plus IPC, which the runtimes' /dev/mqueue mount needs.
set -euo pipefail
dir=$1
shift
skel=$(realpath "$(dirname "$0")/../skelfs")

mkdir -p "$dir"
if [ ! -e "$dir/rootfs/.populated" ] || [ "$skel/.populated" -nt "$dir/rootfs/.populated" ]; then
	rm -rf "$dir/rootfs"
	cp -a "$skel" "$dir/rootfs"
fi
for runtime in "$@"; do
	mkdir -p "$dir/$runtime"
	rm -f "$dir/$runtime/config.json"
	(cd "$dir/$runtime" && "$runtime" spec)
	python3 - "$dir/$runtime/config.json" "$(realpath "$dir/rootfs")" <<'PYTHON'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
spec["process"]["args"] = ["/bin/true"]
spec["process"]["terminal"] = False
spec["root"] = {"path": rootfs, "readonly": False}
spec["hostname"] = "mycontainer"
spec["linux"]["namespaces"] = [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PYTHON
done
