#!/usr/bin/env python3
"""report.py RESULTS_DIR RESULTS_MD LAYERS_SVG: the table of `make bench`.

Reads what bench.sh left in RESULTS_DIR (hyperfine's JSON per command, the
memory and tmpfs figures, strace timelines), prints one table with every
median beside its ratio to the full chain, and writes RESULTS.md and a bar
chart of what each layer costs. Python's standard library only.
"""
import datetime
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys

results_dir, results_md, layers_svg = sys.argv[1:4]

# (id, what) in the order of the table; a missing file is left out.
SECTIONS = [
    ("The chain, prefix by prefix", [
        ("true", None), ("until1", None), ("until2", None), ("until3", None), ("until4", None),
        ("until5", None), ("until6", None), ("until7", None), ("full", None)]),
    ("The chain, variants (diagnostic)", [
        ("full-overlay", None), ("full-overlay-none", None), ("until3-none", None),
        ("until5-overlay", None), ("true-static", None)]),
    ("Others, same command", [
        ("floor", None), ("unshare", None), ("talk", None), ("talk-rsync", None), ("crun", None), ("crun-wrapper", None),
        ("runc", None)]),
    ("Skeleton size: copy against --overlay (--rootfs-size 300M)", [
        ("skel10-copy", None), ("skel10-overlay", None), ("skel100-copy", None),
        ("skel100-overlay", None)]),
]


def load(identifier):
    """Every round's runs of one command (ID.rN.json), merged."""
    paths = sorted(glob.glob(os.path.join(results_dir, identifier + ".r*.json")))
    if not paths:
        return None
    rounds = [json.load(open(path))["results"][0] for path in paths]
    ms = [t * 1000 for result in rounds for t in result["times"]]
    return {
        "label": rounds[0]["command"], "median": statistics.median(ms), "mean": statistics.mean(ms),
        "stddev": statistics.stdev(ms) if len(ms) > 1 else 0.0, "min": min(ms), "max": max(ms),
        "runs": len(ms), "rounds": len(rounds),
    }


R = {i: load(i) for _, rows in SECTIONS for i, _ in rows}
R = {k: v for k, v in R.items() if v is not None}
if "full" not in R:
    sys.exit("report.py: no result for the full chain")
full = R["full"]["median"]


def median_of(identifier):
    return R[identifier]["median"] if identifier in R else None


def read_lines(name):
    path = os.path.join(results_dir, name)
    return open(path).read().split("\n") if os.path.exists(path) else []


# --- Tables ---------------------------------------------------------------------

def table_lines(markdown):
    lines = []
    header = ["command (/bin/true)", "median ms", "mean ± σ ms", "min … max ms", "runs", "× full chain"]
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---|--:|--:|--:|--:|--:|")
    else:
        lines.append(f"{header[0]:<42} {header[1]:>9} {header[2]:>13} {header[3]:>15} {header[4]:>4} {header[5]:>12}")
    for title, rows in SECTIONS:
        present = [i for i, _ in rows if i in R]
        if not present:
            continue
        if markdown:
            lines.append(f"| **{title}** | | | | | |")
        else:
            lines.append(f"-- {title}")
        for i in present:
            r = R[i]
            cells = [r["label"], f"{r['median']:.2f}", f"{r['mean']:.2f} ± {r['stddev']:.2f}",
                     f"{r['min']:.2f} … {r['max']:.2f}", str(r["runs"]), f"{r['median'] / full:.2f}"]
            if markdown:
                cells[0] = "`" + cells[0] + "`" if i != "full" else "**`" + cells[0] + "`**"
                lines.append("| " + " | ".join(cells) + " |")
            else:
                lines.append(f"{cells[0]:<42} {cells[1]:>9} {cells[2]:>13} {cells[3]:>15} {cells[4]:>4} {cells[5]:>12}")
    return lines


# --- Per-layer costs: consecutive prefixes --------------------------------------
LAYER_NAMES = ["step1-uts", "step2-pid", "step3-net", "step4-mnt", "step5-rootfs", "step6-caps",
               "step7-cgroup", "step8-seccomp"]
prefix_ids = ["true"] + [f"until{n}" for n in range(1, 8)] + ["full"]
layers = []
for n in range(8):
    a, b = median_of(prefix_ids[n]), median_of(prefix_ids[n + 1])
    if a is not None and b is not None:
        layers.append((LAYER_NAMES[n], b - a))


# --- Timelines from strace --------------------------------------------------------
LINE = re.compile(r"^(\d+)\s+([\d.]+)\s+(.*)$")


def parse_trace(path):
    """[(time, pid, kind, text)] with unfinished/resumed calls joined."""
    events, pending = [], {}
    for line in open(path):
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        pid, t, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        if rest.endswith("<unfinished ...>"):
            pending[pid] = (t, rest[: -len("<unfinished ...>")])
            continue
        if rest.startswith("<..."):
            start, head = pending.pop(pid, (t, ""))
            rest = head + rest.split("resumed>", 1)[1]
            t = start
        if rest.startswith("+++ exited") or rest.startswith("+++ killed"):
            events.append((t, pid, "exited", rest))
        elif rest.startswith("exit_group("):
            events.append((t, pid, "exit", rest))
        elif rest.startswith("execve") and re.search(r"\)\s+=\s+0\b", rest):
            events.append((t, pid, "exec", rest))
    return events


def argv_of(text):
    m = re.search(r"\[(.*?)\]", text)
    return re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)) if m else []


def chain_segments(path):
    """{segment: ms} for one start of ./step1 /bin/true."""
    events = parse_trace(path)
    marks = []  # (label, time)
    for t, pid, kind, text in events:
        if kind == "exec":
            argv = argv_of(text)
            name = os.path.basename(argv[0]) if argv else "?"
            if name == "step1":
                name = "step1-uts"
            marks.append((name if name.startswith("step") else "COMMAND", t, pid))
    command = [m for m in marks if m[0] == "COMMAND"]
    if not command or not events:
        return {}
    segments, steps = {}, [m for m in marks if m[0] != "COMMAND"]
    for (name, t, _), (_, t_next, _) in zip(steps, steps[1:] + command[:1]):
        segments[name] = (t_next - t) * 1000
    command_pid = command[0][2]
    exit_time = next((t for t, pid, kind, _ in events if pid == command_pid and kind == "exit"), None)
    if exit_time is not None:
        segments["/bin/true"] = (exit_time - command[0][1]) * 1000
        segments["teardown (PID 1 exits … supervisor exits)"] = (events[-1][0] - exit_time) * 1000
    segments["total under strace"] = (events[-1][0] - events[0][0]) * 1000
    return segments


def talk_segments(path):
    """{segment: ms} for one run of the talk's scripts."""
    events = parse_trace(path)
    if not events:
        return {}
    starts, spans = {}, {}
    running = {}  # pid -> (program, start)
    for t, pid, kind, text in events:
        if kind in ("exec", "exit", "exited") and pid in running:
            program, start = running.pop(pid)
            spans.setdefault(program, []).append((start, t))
        if kind == "exec":
            argv = argv_of(text)
            program = os.path.basename(argv[0]) if argv else "?"
            if program == "bash" and len(argv) > 1 and re.match(r"step\d$", os.path.basename(argv[1])):
                starts.setdefault(os.path.basename(argv[1]), t)
            elif program == "true" and "COMMAND" not in starts:
                starts["COMMAND"] = t
            running[pid] = (program, t)
    order = sorted(starts.items(), key=lambda item: item[1])
    segments = {}
    for (name, t), (_, t_next) in zip(order, order[1:]):
        segments[f"talk {name}"] = (t_next - t) * 1000
    if "COMMAND" in starts:
        segments["talk /bin/true … last exit"] = (events[-1][0] - starts["COMMAND"]) * 1000
    for program in ("rsync", "ip", "nsenter", "mount", "hostname", "mktemp", "pivot_root"):
        if program in spans:
            segments[f"… of which {program}, every run of it"] = sum(b - a for a, b in spans[program]) * 1000
    segments["total under strace"] = (events[-1][0] - events[0][0]) * 1000
    return segments


def median_segments(pattern, parser):
    runs = [parser(p) for p in sorted(glob.glob(os.path.join(results_dir, pattern)))]
    runs = [r for r in runs if r]
    keys = []
    for r in runs:
        keys += [k for k in r if k not in keys]
    return {k: statistics.median([r[k] for r in runs if k in r]) for k in keys}, len(runs)


def cgroup_join(path):
    """{"join": ms}: the time of every write to a cgroup.procs, summed."""
    total = None
    for line in open(path):
        if "cgroup.procs>" in line and " write(" in line:
            m = re.search(r"<([\d.]+)>$", line.strip())
            if m:
                total = (total or 0) + float(m.group(1)) * 1000
    return {} if total is None else {"join": total}


def cgroup_join_samples():
    samples = []
    for path in sorted(glob.glob(os.path.join(results_dir, "trace-cgroup.*"))):
        samples += list(cgroup_join(path).values())
    return samples


join_samples = cgroup_join_samples()
chain_timeline, chain_traces = median_segments("trace.*", chain_segments)
talk_timeline, talk_traces = median_segments("trace-talk.*", talk_segments)


# --- Memory and tmpfs ---------------------------------------------------------------
memory = {}
for line in read_lines("memory"):
    parts = line.split()
    if len(parts) == 3:
        memory[parts[0]] = (parts[1], int(parts[2]))
tmpfs = {}
for line in read_lines("tmpfs"):
    parts = line.split()
    if len(parts) == 3:
        tmpfs[parts[0]] = (int(parts[1]), int(parts[2]))


# --- Targets --------------------------------------------------------------------------
def verdict(ok):
    return "**holds**" if ok else "**missed**"


targets = []


def target(text, mine, theirs, factor):
    """One target: the verdict on medians, and what the minimums say (noise only adds time)."""
    a, b = R[mine], R[theirs]
    ratio = a["median"] / b["median"]
    low = a["min"] / b["min"]
    text += (f": {a['median']:.2f} ms vs {b['median']:.2f} ms = {ratio:.3g}× "
             f"(minimums {a['min']:.2f} vs {b['min']:.2f} ms = {low:.3g}×"
             f"{', which would hold' if low <= factor < ratio else ''}{', which would miss' if ratio <= factor < low else ''})")
    targets.append((text, ratio <= factor))


if "crun" in R:
    target("full chain ≤ 0.5× crun", "full", "crun", 0.5)
if "talk" in R:
    target("full chain ≤ 0.12× the talk's scripts", "full", "talk", 0.12)
if "floor" in R:
    target("full chain ≤ 2.5× the kernel's floor", "full", "floor", 2.5)
if "skel10-overlay" in R and "skel100-overlay" in R:
    target("--overlay: skelfs+100M within 1.2× of skelfs+10M", "skel100-overlay", "skel10-overlay", 1.2)
if "crun" in R and "crun-wrapper" in R and "true" in R:
    bare = R["crun"]["median"] - (R["crun-wrapper"]["median"] - R["true"]["median"])
    crun_note = (f"crun's row includes its hybrid-layout wrapper; without it crun would take ≈{bare:.2f} ms "
                 f"(crun minus wrapper plus /bin/true), and the full chain is {full / bare:.2f}× that.")
else:
    crun_note = ""


# --- Stdout ------------------------------------------------------------------------------
print()
print("\n".join(table_lines(markdown=False)))
print()
print("per layer (median of --until N minus --until N-1):")
for name, cost in layers:
    print(f"  {name:<14} {cost:6.2f} ms  {100 * cost / full:5.1f} %")
print()
for text, ok in targets:
    print(("HOLDS   " if ok else "MISSED  ") + text)
print()
print(f"written: {results_md}, {layers_svg}")


# --- SVG -------------------------------------------------------------------------------------
def svg_chart():
    """Per layer: a bar for the prefix difference, a thin grey one for the trace."""
    width, left, bar_height, trace_height, gap, top = 780, 150, 22, 8, 14, 76
    traced = [chain_timeline.get(name) for name, _ in layers]
    scale_max = max([c for _, c in layers] + [t for t in traced if t is not None] + [0.1])
    usable = width - left - 160
    row = bar_height + trace_height + gap
    height = top + len(layers) * row + 34
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">What each layer adds to '
           f'starting /bin/true (ms)</text>',
           f'<text x="{left}" y="42" fill="#555">bars: median of ./step1 --until N minus --until N-1 '
           f'(full chain {full:.2f} ms, /bin/true alone {median_of("true") or 0:.2f} ms)</text>',
           f'<text x="{left}" y="60" fill="#555">grey: the same step in an strace timeline '
           f'(exec to next exec, median)</text>']
    for index, ((name, cost), trace) in enumerate(zip(layers, traced)):
        y = top + index * row
        length = max(cost, 0) / scale_max * usable
        colour = "#c0392b" if cost >= 0.2 * full else "#2e86c1"
        out.append(f'<text x="{left - 8}" y="{y + bar_height * 0.75:.1f}" text-anchor="end">{name}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>')
        out.append(f'<text x="{left + length + 6:.1f}" y="{y + bar_height * 0.75:.1f}">{cost:.2f} ms '
                   f'({100 * cost / full:.0f} %)</text>')
        if trace is not None:
            out.append(f'<rect x="{left}" y="{y + bar_height + 1}" width="{trace / scale_max * usable:.1f}" '
                       f'height="{trace_height - 2}" fill="#999"/>')
    axis_y = top + len(layers) * row
    out.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{axis_y}" stroke="#333"/>')
    out.append(f'<text x="{left}" y="{axis_y + 20}" fill="#555">0 ms</text>')
    out.append(f'<text x="{left + usable:.1f}" y="{axis_y + 20}" text-anchor="end" fill="#555">'
               f'{scale_max:.1f} ms</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


open(layers_svg, "w").write(svg_chart())


# --- RESULTS.md ---------------------------------------------------------------------------------
def run(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def run_date():
    """When the measurements were taken (not when this report was redrawn)."""
    path = os.path.join(results_dir, "load-after")
    stamp = os.path.getmtime(path) if os.path.exists(path) else None
    return datetime.datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def cgroup_layout():
    fs = run("stat -f -c %T /sys/fs/cgroup")
    if fs == "cgroup2fs":
        return "unified (cgroup v2 only)"
    if os.path.ismount("/sys/fs/cgroup/unified"):
        controllers = open("/sys/fs/cgroup/unified/cgroup.controllers").read().split()
        return ("hybrid: v1 controllers, cgroup2 at /sys/fs/cgroup/unified (controllers: "
                + (" ".join(controllers) or "none") + ")")
    return "legacy (cgroup v1 only)"


cpu_model = run("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1")
load_before = " ".join(read_lines("load-before")).strip()
load_after = " ".join(read_lines("load-after")).strip()
leftovers = [line for line in read_lines("leftovers") if line]
runs = R["full"]["runs"]

md = []
md.append("# make bench: start-to-exit of `/bin/true`\n")
md.append(f"Generated by `make bench` (bench/bench.sh, bench/report.py) on "
          f"{run_date()}.\n")
md.append("| machine | |\n|---|---|")
md.append(f"| kernel | {platform.release()} ({platform.machine()}) |")
md.append(f"| CPUs | {os.cpu_count()} × {cpu_model or '?'} |")
memory_mib = run("free -m | awk '/^Mem:/ {print $2}'")
md.append(f"| memory | {memory_mib} MiB |")
md.append(f"| cgroups | {cgroup_layout()} |")
md.append(f"| distribution | {run('. /etc/os-release && echo $PRETTY_NAME')} |")
tools = [run(c) for c in ("hyperfine --version", "crun --version | head -1", "runc --version | head -1",
                          "unshare --version", "rsync --version | head -1 | awk '{print $1, $3}'")]
md.append(f"| tools | {', '.join(t for t in tools if t)} |")
md.append(f"| load average (1, 5, 15 min) | before {load_before}, after {load_after} |")
busiest = [" ".join(line.split()[1:]) + f" {line.split()[0]} %" for line in read_lines("busiest") if line.strip()]
if busiest:
    md.append(f"| busiest processes at the start (% CPU) | {', '.join(busiest)} |")
md.append("")
md.append(f"hyperfine `--shell=none`, {runs} runs per command in {R['full']['rounds']} rounds (each round runs "
          "every command after warm-up runs, so that load from elsewhere spreads over all rows), at nice -10; "
          "every figure is "
          "wall-clock time from fork to the exit of the command's process, in milliseconds. "
          "**Other engineers were running container tests on this machine at the same time**: "
          "the spread (σ, min … max) shows that noise; medians are the figures to compare.\n")
md.append("## Results\n")
md += table_lines(markdown=True)
md.append("")
md.append("Notes on the rows:\n")
md.append("- `./step1 --until N` stops the chain after step N and runs `/bin/true` there; "
          "`/bin/true (no container)` is the cost of the command itself under hyperfine.")
md.append("- `floor` is bench/floor.c: one `clone()` with UTS, PID, mount, IPC and network namespaces, "
          "`/` made private, `/proc` mounted, exec, `waitpid`. No veth, no root filesystem.")
md.append("- The talk's scripts are bench/talk/step1 … step5 (see bench/talk/README.md for what was "
          "changed to make them run unattended); they copy the same skelfs/ with `rsync -a`.")
if "crun" in R:
    md.append("- crun and runc run an OCI bundle made by bench/oci.sh: `crun spec` / `runc spec`, "
              "edited to `/bin/true`, no terminal, writable root, hostname mycontainer, namespaces "
              "pid, network, ipc, uts, mount. Their root is a copy of skelfs/ that they **bind-mount**: "
              "they copy nothing, so compare them with `./step1 --overlay` as well as with the default copy. "
              "State under `--root` in a temporary directory; `run` deletes the container when it exits.")
if os.path.exists(os.path.join(results_dir, "crun-wrapped")):
    md.append("- **crun ran inside a wrapper**: on this hybrid host crun 1.8 refuses to start "
              "(`cgroups in hybrid mode not supported, drop all controllers from cgroupv2`) because the "
              "cgroup2 tree at /sys/fs/cgroup/unified has a controller. The row is "
              "`unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec crun …'`: a private mount namespace "
              "without the cgroup2 mount. The wrapper's own cost is the row `crun's wrapper alone`.")
md.append("- skelfs+10M and skelfs+100M are copies of skelfs/ (16 MB) with a 10 MB or 100 MB file of "
          "random data added (bench/.work/, gitignored, cached).")
md.append("")

md.append("## Targets\n")
md.append("Verdicts are on medians; the minimums are beside them because load from elsewhere only ever "
          "adds time.\n")
for text, ok in targets:
    md.append(f"- {verdict(ok)}: {text}")
if crun_note:
    md.append(f"\n{crun_note}")
md.append("")

md.append("## What each layer costs\n")
md.append("![per-layer cost](layers.svg)\n")
md.append("Two measures side by side. *Prefix*: median of `--until N` minus median of `--until N-1` "
          "(hyperfine, no tracing). *Trace*: the same start traced with "
          "`strace -f --seccomp-bpf -e trace=execve,execveat,exit_group`, from one step's exec to the "
          f"next one's (median of {chain_traces} traces; strace adds a little to each exec).\n")
md.append("| layer | prefix ms | share of full | trace ms |\n|---|--:|--:|--:|")
for name, cost in layers:
    traced = chain_timeline.get(name)
    md.append(f"| {name} | {cost:.2f} | {100 * cost / full:.0f} % | "
              f"{'' if traced is None else f'{traced:.2f}'} |")
for key in ("/bin/true", "teardown (PID 1 exits … supervisor exits)", "total under strace"):
    if key in chain_timeline:
        md.append(f"| {key} | | | {chain_timeline[key]:.2f} |")
md.append("")
if talk_timeline:
    md.append(f"The talk's scripts, traced the same way (median of {talk_traces}; strace slows "
              "rsync's three processes a lot, compare the row `talk's copy alone`):\n")
    md.append("| segment | ms |\n|---|--:|")
    for key, value in talk_timeline.items():
        md.append(f"| {key} | {value:.2f} |")
    md.append("")

md.append("## Memory\n")
if memory:
    md.append("Peak resident memory (VmHWM) of the process that stays on the host while a container "
              "runs `sleep 1`, read from /proc/PID/status at 0.6 s:\n")
    md.append("| runtime | process (comm) | VmHWM |\n|---|---|--:|")
    for key, (comm, kb) in memory.items():
        md.append(f"| {'our chain (the supervisor)' if key == 'chain' else key + ' run'} | {comm} | "
                  f"{kb / 1024:.1f} MiB ({kb} kB) |")
    md.append("")
if tmpfs:
    for key, (size, used) in tmpfs.items():
        md.append(f"- Root tmpfs, `./step1 {'--overlay ' if key == 'overlay' else ''}df -k /`: "
                  f"{used} kB used of {size} kB.")
    md.append("")

# Derived figures for the analysis; each only when its rows were measured.
def diff(a, b):
    return None if median_of(a) is None or median_of(b) is None else median_of(a) - median_of(b)


copy_cost = diff("until5", "until5-overlay")
veth_cost = diff("until3", "until3-none")
dynamic_exec = diff("true", "true-static")
overlay_full = median_of("full-overlay")
overlay_none = median_of("full-overlay-none")
md.append("## Where the milliseconds go, and why targets are missed\n")
md.append("Measured on this run (medians; see the tables above):\n")
if copy_cost is not None:
    copied = tmpfs.get("copy", (0, 0))[1]
    md.append(f"- **Copying the skeleton (step5)**: `--until 5` minus `--until 5 --overlay` = "
              f"**{copy_cost:.2f} ms** for {copied / 1024:.1f} MiB in ~100 files "
              f"({100 * copy_cost / full:.0f} % of the full chain). It includes freeing the tmpfs's pages "
              "when the mount namespace dies at exit (the `teardown` row of the trace).")
if veth_cost is not None:
    md.append(f"- **The veth pair (step3)**: `--until 3` minus `--until 3 --net none` = **{veth_cost:.2f} ms** "
              "(RTM_NEWLINK of the pair, four address/link messages, a route; each a netlink round trip "
              "with its ack). The namespace itself is cheap: the floor creates one and runs in "
              f"{median_of('floor') or 0:.2f} ms. Its teardown is asynchronous (a kernel work queue) and "
              "is not in these timings.")
linger = [float(x) for x in read_lines("linger") if x.strip()]
if linger:
    md.append(f"- **Network namespace teardown** is not in the start time: the kernel frees the namespace, and "
              f"with it the host end of the veth pair, from a work queue after the last process exits. "
              f"Measured by bench/linger.py: the host end disappears {statistics.median(linger):.1f} ms "
              f"(median of {len(linger)}; {min(linger):.1f} … {max(linger):.1f}) after the container's exit. "
              "Until then its name is taken (the next start takes the next pair) and the cleanup competes "
              "for the CPU with whatever runs next.")
if dynamic_exec is not None:
    light = [f"{name} {chain_timeline[name]:.2f} ms" for name in ("step1-uts", "step6-caps", "step8-seccomp")
             if name in chain_timeline]
    md.append("- **Nine execs**: each step is a program of its own, and the floor execs twice where the "
              "chain execs nine times. "
              + (f"Steps with little kernel work take, in the trace, {', '.join(light)}: that is the price "
                 "of one hand-over (exec, loading, option parsing, the descriptors). " if light else "")
              + f"A dynamically linked `/bin/true` costs {median_of('true'):.2f} ms under hyperfine, a static "
              f"one {median_of('true-static'):.2f} ms: shared libraries add ≈{dynamic_exec:.2f} ms per exec; "
              "steps 1–5 are dynamic (libc, libcap, libmnl), 6–8 static but 1 MB each.")
step7_cost = diff("until7", "until6")


def kernel_config(option):
    import gzip
    try:
        for line in gzip.open("/proc/config.gz", "rt"):
            if line.startswith(option + "="):
                return line.strip()
            if line.startswith(f"# {option} is not set"):
                return f"{option} not set"
    except OSError:
        pass
    return f"{option} unknown"

if join_samples:
    slow = [x for x in join_samples if x >= 1.0]
    fast = [x for x in join_samples if x < 1.0]
    text = (f"- **Joining the cgroup (step7)**: the writes of the PID to `cgroup.procs`, traced in "
            f"{len(join_samples)} starts 0.2 s apart: ")
    if slow:
        text += f"**{len(slow)} took {statistics.median(slow):.2f} ms** (median; {min(slow):.2f} … {max(slow):.2f})"
    if fast:
        text += (", " if slow else "") + f"{len(fast)} took {statistics.median(fast):.2f} ms"
    step7_text = "?" if step7_cost is None else f"{step7_cost:.2f}"
    text += (f". `--until 7` minus `--until 6` (back-to-back runs): {step7_text} ms. A slow write waits for "
             "an RCU grace period: moving a task takes `cgroup_threadgroup_rwsem` for writing, a per-CPU "
             "rwsem whose writer calls `rcu_sync_enter()` → `synchronize_rcu()` (kernel stack read from "
             "/proc/PID/stack during such a write while preparing this benchmark: `synchronize_rcu_normal ← rcu_sync_enter ← "
             "cgroup_procs_write_start ← __cgroup1_procs_write`). After a writer the rwsem stays in its "
             "writer-friendly state for about a grace period, so a move soon after another one (ours in the "
             "next hierarchy, or another container's on this busy machine) is fast"
             + (": hence the two modes. " if fast and slow else ". ")
             + "Back-to-back runs under hyperfine find the fast state part of the time, so `--until 7`, the "
             "full chain and `--overlay` are bimodal (see their min … max) and their medians can swap. "
             + "crun and runc write `cgroup.procs` too and wait the same way (crun's first write, "
             "traced by hand on this machine: 4–15 ms), so this cost is in the crun row as well. "
             f"Kernel configuration: {kernel_config('CONFIG_CGROUP_FAVOR_DYNMODS')}, "
             f"{kernel_config('CONFIG_HZ')}.")
    md.append(text)
if "talk-rsync" in R and "talk" in R:
    md.append(f"- **The talk's scripts** spend {median_of('talk-rsync'):.2f} ms of their "
              f"{median_of('talk'):.2f} ms in `rsync -a` (row `talk's copy alone`: a mount namespace, a tmpfs "
              "and rsync's three processes); the rest is some twenty processes (bash ×5, unshare ×4, ip ×6, "
              "nsenter ×2, hostname, mount ×2, mkdir, pivot_root, mktemp), about a millisecond each.")
if overlay_full is not None:
    md.append(f"- **Without the copy** (`--overlay`) the full chain takes {overlay_full:.2f} ms"
              + (f", and {overlay_none:.2f} ms also without the veth pair (`--net none`)" if overlay_none else "")
              + (f"; that is {overlay_full / median_of('talk'):.3g}× the talk's scripts" if "talk" in R else "")
              + (f", {overlay_full / median_of('crun'):.2f}× crun" if "crun" in R else "")
              + (f" and {overlay_full / median_of('floor'):.2f}× the floor" if "floor" in R else "") + ".")
budget = []
if "floor" in R:
    budget.append(f"≤ 2.5× the floor means finishing in {2.5 * median_of('floor'):.2f} ms")
if "crun" in R:
    budget.append(f"≤ 0.5× crun in {0.5 * median_of('crun'):.2f} ms")
if "talk" in R:
    budget.append(f"≤ 0.12× the talk in {0.12 * median_of('talk'):.2f} ms")
if budget and "until4" in R and "until5-overlay" in R:
    md.append(f"- **What the targets ask**: {'; '.join(budget)}. Steps 1–4 alone take "
              f"{median_of('until4'):.2f} ms (`--until 4`), the overlay root {diff('until5-overlay', 'until4'):.2f} ms "
              f"more (`--until 5 --overlay`), the copy {copy_cost:.2f} ms instead, and a cgroup join that waits "
              f"{statistics.median(join_samples) if join_samples else float('nan'):.2f} ms on its own: the talk's target needs the copy gone or halved, "
              "the crun target also needs the cgroup's wait off the critical path, and the floor's target is "
              "out of reach for nine execs, a veth pair and a v1 cgroup join on this kernel.")
md.append("")
md.append("## Suggestions for the step code (not applied yet)\n")
md.append("In order of the time they would save on this machine, from the figures above:\n")
md.append("1. **step5: do not copy by default.** Make `--overlay` the default root (the copy stays as "
          "`--copy`, the talk's way): it saves the whole copy row above and the freeing of the tmpfs at exit, "
          "and start time no longer grows with the skeleton (see the skelfs+100M rows). If the copy stays: "
          "create each file with its final mode (`umask(0)` once, then `openat(..., mode)`) and skip "
          "`fchown` when the owner is already 0:0 and `fchmod` when no set-ID bit is involved, which removes "
          "about 300 of the ~1,000 system calls of the copy; the bytes themselves (`sendfile`, ~16 MB into "
          "fresh tmpfs pages) are the floor of a copy. A smaller skeleton (TOOLS in tools/make-skelfs.sh "
          "pulls in libgcrypt, libsystemd, libzstd, libunistring for `ps`, `ip`, `ping`, `less`) "
          "cuts it in proportion.")
md.append("2. **step7: take the cgroup's grace period off the critical path.** Where the host has cgroup v2, "
          "`clone3(CLONE_INTO_CGROUP)` in step2 starts PID 1 inside the cgroup and no migration happens. "
          "On v1/hybrid hosts, the supervisor (step2's parent) can create the cgroup and write the child's "
          "PID into `cgroup.procs` while the child goes on with steps 3–6 (the child waits on a pipe "
          "only in step7), so the grace period overlaps the veth, mount and pivot work. "
          "(Mounting the hierarchies with `favordynmods` would remove the wait too, but that is the host's "
          "configuration, not ours to change.)")
md.append("3. **step3: fewer netlink round trips.** Create the pair with both ends already up "
          "(IFF_UP in the request's `ifinfomsg` and in the one inside VETH_INFO_PEER) instead of two more "
          "RTM_NEWLINK requests, and send the two RTM_NEWADDR and the route in one `sendmsg` batch, "
          "reading the acks afterwards; the `--until 3 --net none` row bounds what this can gain.")
md.append("4. **Fewer execs, cheaper execs.** Eight programs is the lesson, but each exec of a "
          "dynamically linked step maps libc, libcap (and libmnl) again. Linking steps 1–5 statically like "
          "6–8, or dropping libcap from the steps that do not use it, saves the dynamic loading per step "
          "(see the static/dynamic `true` rows). The per-step rows of the trace table show what each "
          "exec costs as a whole.")
md.append("5. **Leave it out of the start time, not out of the container:** the network namespace is "
          "freed after exit by the kernel's work queue, and cgroup removal by the supervisor after PID 1 "
          "is reaped costs little (rmdir of a v1 memcg is asynchronous); neither is a target.\n")
md.append("## Left on the host\n")
if leftovers:
    md.append("After the run, the host differed from before (other engineers' containers were running too; "
              "these are what to look at, not proof of a leak):\n")
    md += [f"- `{line}`" for line in leftovers]
else:
    md.append("Nothing: interfaces, mounts, `bench-*` cgroups, /tmp/talk-newroot.* directories and "
              "crun/runc state under `--root` were as before the run (checked by bench.sh, allowing 10 s "
              "for the kernel to free network namespaces).")
md.append("")

open(results_md, "w").write("\n".join(md))
