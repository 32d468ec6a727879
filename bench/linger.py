#!/usr/bin/env python3
"""linger.py STEP1 [N]: how long the host end of the veth pair outlives a container.

Runs `STEP1 -v --until 3 /bin/true` N times (default 10), reads the host
end's name from step3's narration, and polls /sys/class/net until the
interface is gone: the kernel frees a network namespace from a work queue
after its last process exits (net/core/net_namespace.c, cleanup_net), and
the host end goes with it. Prints one line per run: milliseconds from the
container's exit until the host end disappeared.
"""
import os
import re
import subprocess
import sys
import time

step1 = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
for _ in range(count):
    run = subprocess.run([step1, "-v", "--until", "3", "/bin/true"], capture_output=True, text=True)
    exited = time.monotonic()
    match = re.search(r"RTM_NEWLINK (\S+) type veth", run.stderr)
    if run.returncode != 0 or not match:
        continue
    path = "/sys/class/net/" + match.group(1)
    while os.path.exists(path) and time.monotonic() - exited < 10:
        time.sleep(0.0005)
    print(f"{(time.monotonic() - exited) * 1000:.2f}")
    time.sleep(0.1)
