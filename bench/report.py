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

# The steps, in order: the folders of steps.table's rows (run from the top
# of the checkout, as bench.sh does).
with open("steps.table") as table:
    LAYER_NAMES = [line.split()[1] for line in table if line.strip() and not line.lstrip().startswith("#")]

# (id, what) in the order of the table; a missing file is left out.
SECTIONS = [
    ("The chain, prefix by prefix", [
        ("true", None)] + [(f"until{n}", None) for n in range(1, len(LAYER_NAMES))] + [("full", None)]),
    ("The chain, variants (diagnostic)", [
        ("full-overlay", None), ("full-overlay-none", None), ("full-unconfined", None), ("until3-none", None),
        ("until5-overlay", None), ("true-static", None), ("true-nolibc", None)]),
    ("Others, same command", [
        ("floor", None), ("unshare", None), ("talk", None), ("talk-rsync", None), ("crun", None), ("crun-wrapper", None),
        ("runc", None)]),
    ("The supervisor's relay (stdout to /dev/null)", [
        ("relay-direct", None), ("relay-pipes", None)]),
    ("Against BENCH_BASE (another commit, built in bench/.work/base)", [
        ("until2", None), ("base-until2", None), ("full", None), ("base-full", None)]),
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
        if not present or (title.startswith("Against BENCH_BASE") and "base-full" not in R):
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
prefix_ids = ["true"] + [f"until{n}" for n in range(1, len(LAYER_NAMES))] + ["full"]
layers = []
for n in range(len(LAYER_NAMES)):
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
                name = LAYER_NAMES[0]
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
    """{"join": ms}: the time of every write to a tasks or cgroup.procs file, summed."""
    total = None
    for line in open(path):
        if re.search(r"/(tasks|cgroup\.procs)>", line) and " write(" in line:
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
             f"{', which would hold' if low <= factor < ratio else ''}{', which would miss' if ratio <= factor < low else ''}"
             f"; the budget is {factor * b['median']:.2f} ms)")
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
          "Load from elsewhere on the machine (see the load average above) shows in the spread "
          "(σ, min … max); medians are the figures to compare.\n")
md.append("## Results\n")
md += table_lines(markdown=True)
md.append("")
md.append("What each row runs: [README.md](README.md#the-rows).")
if os.path.exists(os.path.join(results_dir, "crun-wrapped")):
    md.append("crun ran inside its wrapper (this host's cgroup2 tree has controllers; README.md says why).")
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

# Figures derived from the rows, for ANALYSIS.md: each only when its rows
# were measured. The why is there, written by hand; only numbers here.
def diff(a, b):
    return None if median_of(a) is None or median_of(b) is None else median_of(a) - median_of(b)


def kernel_config(option):
    import gzip
    try:
        for line in gzip.open("/proc/config.gz", "rt"):
            if line.startswith(option + "="):
                return line.strip().split("=", 1)[1]
            if line.startswith(f"# {option} is not set"):
                return "not set"
    except OSError:
        pass
    return None


probe = {}
for line in read_lines("probe"):
    parts = line.split()
    if len(parts) == 2:
        probe[parts[0]] = float(parts[1])
linger = [float(x) for x in read_lines("linger") if x.strip()]

derived = []  # (what, how it is computed, value)


def derive(what, how, value, unit="ms", digits=2):
    if value is not None:
        derived.append((what, how, f"{value:.{digits}f} {unit}"))


copy_cost = diff("until5", "until5-overlay")
derive("step5's copy of the skeleton", "`--until 5` − `--until 5 --overlay`", copy_cost)
if copy_cost is not None:
    derive("… its share of the full chain", "copy ÷ full chain", 100 * copy_cost / full, "%", 0)
if "copy" in tmpfs:
    derive("… bytes copied", "root tmpfs used, `./step1 df -k /`", tmpfs["copy"][1] / 1024, "MiB", 1)
derive("the veth pair (step3)", "`--until 3` − `--until 3 --net none`", diff("until3", "until3-none"))
derive("the system call filter (step8)", "full chain − `--seccomp unconfined`", diff("full", "full-unconfined"))
derive("joining the cgroup and its limits (step7)", "`--until 7` − `--until 6`", diff("until7", "until6"))
derive("glibc's start-up, per program", "static `true` − `true` without libc", diff("true-static", "true-nolibc"))
derive("the dynamic loader, per program", "`/bin/true` − static `true`", diff("true", "true-static"))
if "true-static" in R and "true" in R:
    derive("nine program starts (7 static, 2 dynamic)", "7 × static `true` + 2 × `/bin/true`",
           7 * median_of("true-static") + 2 * median_of("true"))
if "talk-rsync" in R and "talk" in R:
    derive("the talk's scripts: rsync's share", "`talk's copy alone` ÷ `talk's scripts`",
           100 * median_of("talk-rsync") / median_of("talk"), "%", 0)
derive("the relay, 64 MiB", "`--until 2` − `--until 1`, 64 MiB out", diff("relay-pipes", "relay-direct"))
if join_samples:
    derive(f"step7's writes into its cgroup (strace -T, {len(join_samples)} starts)", "median",
           statistics.median(join_samples), "ms", 3)
if linger:
    derive(f"host end of the veth pair gone after exit (bench/linger.py, {len(linger)} runs)",
           f"median ({min(linger):.1f} … {max(linger):.1f})", statistics.median(linger), "ms", 1)
for key, what, unit, digits in (
        ("fresh_pages_ms", "16 MiB written into fresh pages", "ms", 2),
        ("warm_pages_ms", "the same 16 MiB written again", "ms", 2),
        ("cpuid_us", "one CPUID instruction", "µs", 2),
        ("procs_move_ms", "a move into a cgroup through `cgroup.procs`", "ms", 2),
        ("tasks_move_ms", "a move through v1 `tasks`, writing \"0\"", "ms", 3)):
    if key in probe:
        derive(what, "bench/probe.c", probe[key], unit, digits)
for option in ("CONFIG_CGROUP_FAVOR_DYNMODS", "CONFIG_HZ"):
    value = kernel_config(option)
    if value is not None:
        derived.append((f"`{option}`", "/proc/config.gz", value))

md.append("## Derived figures\n")
md.append("Differences of the medians above and this machine's figures from bench/probe.c, "
          "which [ANALYSIS.md](ANALYSIS.md) (written by hand) uses to explain where the time goes.\n")
md.append("| figure | from | value |\n|---|---|--:|")
md += [f"| {what} | {how} | {value} |" for what, how, value in derived]
md.append("")
md.append("## Left on the host\n")
if leftovers:
    md.append("After the run, the host differed from before (containers started by other work at the "
              "same time would show here too; these are what to look at, not proof of a leak):\n")
    md += [f"- `{line}`" for line in leftovers]
else:
    md.append("Nothing: interfaces, mounts, `bench-*` cgroups, /tmp/talk-newroot.* directories and "
              "crun/runc state under `--root` were as before the run (checked by bench.sh, allowing 10 s "
              "for the kernel to free network namespaces).")
md.append("")

open(results_md, "w").write("\n".join(md))
