#!/bin/bash
# bench.sh: how long a container takes from start to exit, running /bin/true.
#
# Times with hyperfine: the full chain and every prefix (--until N), the
# talk's shell scripts (bench/talk/), util-linux unshare, the kernel's floor
# (bench/floor.c), crun and runc on a bundle of the same skeleton, and copy
# against --overlay for larger skeletons. Then measures the supervisor's
# memory and the root's tmpfs usage, traces one start to see each step's
# share, and hands everything to report.py: a table on stdout,
# bench/RESULTS.md and bench/layers.svg.
#
# Run by `make bench` (as root, after `make all` and bench/.work/floor).
# Leaves nothing on the host: checked at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-5}
WORK=bench/.work
RESULTS=$WORK/results

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root: containers need CAP_SYS_ADMIN (sudo make bench)"
for tool in hyperfine rsync python3 strace; do
	command -v "$tool" >/dev/null || die "$tool is missing (sudo make deps-bench)"
done
if [ ! -x ./step1 ] || [ ! -x "$WORK/floor" ] || [ ! -x "$WORK/probe" ]; then
	die "build first: make all $WORK/floor $WORK/probe"
fi

# --- The host as we found it ------------------------------------------------
# Other containers (tests running at the same time) may add and remove veth
# pairs and mounts of their own meanwhile; the check at the end reports what
# differs, so a difference names what to look at, it does not prove a leak.
host_interfaces() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
host_mounts() { awk '{print $5}' /proc/self/mountinfo | sort; }
our_leftovers() {
	find /sys/fs/cgroup -maxdepth 5 \( -name 'bench-crun*' -o -name 'bench-runc*' \) 2>/dev/null
	find /tmp -maxdepth 1 -name 'talk-newroot.*' 2>/dev/null
}
interfaces_before=$(host_interfaces)
mounts_before=$(host_mounts)
[ -z "$(our_leftovers)" ] || die "leftovers of an earlier run: $(our_leftovers | tr '\n' ' ')"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
state=$(mktemp -d "$PWD/$WORK/state.XXXXXX") # --root of crun and runc
trap 'rm -rf "$state"' EXIT

# --- What the benchmarks run -------------------------------------------------
# Skeletons of the project's skelfs plus 10 MB and 100 MB of random data,
# cached until skelfs/ changes.
make_big_skeleton() { # make_big_skeleton MB
	local dir=$WORK/skel+$1M
	if [ ! -e "$dir/.populated" ] || [ skelfs/.populated -nt "$dir/.populated" ]; then
		say "building $dir"
		rm -rf "$dir"
		cp -a skelfs "$dir"
		head -c "$(($1 * 1024 * 1024))" /dev/urandom >"$dir/big"
		touch "$dir/.populated"
	fi
}
make_big_skeleton 10
make_big_skeleton 100

printf 'int main(void) { return 0; }\n' | cc -O2 -static -x c -o "$WORK/true-static" -

runtimes=()
for runtime in crun runc; do
	command -v "$runtime" >/dev/null && runtimes+=("$runtime")
done
[ ${#runtimes[@]} -eq 0 ] || bash bench/oci.sh "$WORK/oci" "${runtimes[@]}"

# crun (1.8) refuses a hybrid layout whose cgroup2 tree has controllers:
# it then runs in a mount namespace of its own without the cgroup2 mount.
crun_prefix=()
if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	# shellcheck disable=SC2016 # "$0" "$@" are the inner shell's
	crun_prefix=(unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec "$0" "$@"')
	echo "hybrid" >"$RESULTS/crun-wrapped"
fi
quote() { printf '%q ' "$@"; }

# --- Timings ------------------------------------------------------------------
# Every command is registered first, then run in rounds: each round runs
# every command (warm-up, then RUNS/ROUNDS timed runs), so a burst of load
# from elsewhere on the machine spreads over all rows instead of landing on
# one. A failed round is retried: the test suite, when it runs at the same
# time, kills every step's process in its teardowns, ours included.
# nice -10: the benchmark runs ahead of other work for the CPU, not ahead
# of the kernel.
ROUNDS=${BENCH_ROUNDS:-3}
ids=()
declare -A labels commands
add() { # add ID LABEL COMMAND...
	ids+=("$1")
	labels[$1]=$2
	commands[$1]=$(quote "${@:3}")
}
run_rounds() {
	local round id try runs=$(((RUNS + ROUNDS - 1) / ROUNDS))
	for round in $(seq 1 "$ROUNDS"); do
		say "round $round of $ROUNDS (${#ids[@]} commands, $runs runs each)"
		for id in "${ids[@]}"; do
			for try in 1 2 3; do
				nice -n -10 hyperfine --shell=none --style none --warmup "$WARMUP" --runs "$runs" \
					--export-json "$RESULTS/$id.r$round.json" --command-name "${labels[$id]}" \
					"${commands[$id]}" >/dev/null 2>"$RESULTS/$id.err" && break
				say "${labels[$id]}: a run failed (try $try): $(tail -1 "$RESULTS/$id.err")"
				rm -f "$RESULTS/$id.r$round.json"
				sleep 1
			done
		done
	done
}

say "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/load-before"
ps -eo pcpu=,comm= --sort=-pcpu | head -3 >"$RESULTS/busiest" # what else runs

add true "/bin/true (no container)" /bin/true
add true-static "static true (exec cost, diagnostic)" "$WORK/true-static"
if [ -x "$WORK/true-nolibc" ]; then
	add true-nolibc "true without libc (exec cost, diagnostic)" "$WORK/true-nolibc"
fi
# Every prefix of the chain: --until 1 to the step before the last row of steps.table.
last_step=$(awk '!/^[ \t]*(#|$)/ { last = $1 } END { print last }' steps.table)
for ((n = 1; n < last_step; n++)); do
	add "until$n" "./step1 --until $n" ./step1 --until "$n" /bin/true
done
add full "./step1 (full chain)" ./step1 /bin/true
add full-overlay "./step1 --overlay" ./step1 --overlay /bin/true
add full-unconfined "./step1 --seccomp unconfined" ./step1 --seccomp unconfined /bin/true
add until3-none "./step1 --until 3 --net none" ./step1 --until 3 --net none /bin/true
add until5-overlay "./step1 --until 5 --overlay" ./step1 --until 5 --overlay /bin/true
add full-overlay-none "./step1 --overlay --net none" ./step1 --overlay --net none /bin/true
# The relay (supervisor/relay.c): 64 MiB through the supervisor's pipes, against
# the same output written straight to the caller's stdout (--until 1 has no
# supervisor). hyperfine's stdout is /dev/null.
add relay-direct "64 MiB out, --until 1 (no relay)" ./step1 --until 1 head -c 64M /dev/zero
add relay-pipes "64 MiB out, --until 2 (relayed)" ./step1 --until 2 head -c 64M /dev/zero
# BENCH_BASE=REV: the same chain built from another commit, for an A/B of a
# change's start-up cost (a worktree in bench/.work/base, rebuilt when REV moves).
if [ -n "${BENCH_BASE:-}" ]; then
	base_commit=$(git rev-parse --verify "$BENCH_BASE^{commit}") || die "BENCH_BASE=$BENCH_BASE: no such commit"
	if [ "$(git -C "$WORK/base" rev-parse HEAD 2>/dev/null)" != "$base_commit" ]; then
		say "building $BENCH_BASE ($base_commit) in $WORK/base"
		git worktree remove --force "$WORK/base" 2>/dev/null || rm -rf "$WORK/base"
		git worktree add --detach "$WORK/base" "$base_commit" >/dev/null
	fi
	make -s -C "$WORK/base" all >/dev/null
	echo "$BENCH_BASE ${base_commit:0:12}" >"$RESULTS/base"
	add base-until2 "./step1 --until 2 at BENCH_BASE" "$WORK/base/step1" --until 2 /bin/true
	add base-full "./step1 (full chain) at BENCH_BASE" "$WORK/base/step1" /bin/true
fi
add floor "floor (clone + proc + exec)" "$WORK/floor" /bin/true
add unshare "unshare -uipnm --fork --mount-proc" unshare -uipnm --fork --mount-proc /bin/true
add talk "talk's scripts (bench/talk)" bash bench/talk/step1 /bin/true
mkdir -p "$WORK/mnt" # empty; a tmpfs goes over it in a private mount namespace only
# shellcheck disable=SC2016 # "$0" is the inner shell's
add talk-rsync "talk's copy alone: rsync -a into a tmpfs" unshare -m sh -c \
	'mount -t tmpfs -o size=50M none "$0" && rsync -a skelfs/ "$0"' "$WORK/mnt"
for runtime in "${runtimes[@]}"; do
	prefix=()
	[ "$runtime" = crun ] && prefix=("${crun_prefix[@]}")
	add "$runtime" "$runtime run" "${prefix[@]}" \
		"$runtime" --root "$state/$runtime" run --bundle "$WORK/oci/$runtime" "bench-$runtime"
done
if [ -e "$RESULTS/crun-wrapped" ]; then
	add crun-wrapper "crun's wrapper alone (unshare+umount)" "${crun_prefix[@]}" /bin/true
fi
for mb in 10 100; do
	add "skel$mb-copy" "skelfs+${mb}M, copy" ./step1 --skel "$WORK/skel+${mb}M" --rootfs-size 300M /bin/true
	add "skel$mb-overlay" "skelfs+${mb}M, --overlay" ./step1 --skel "$WORK/skel+${mb}M" --rootfs-size 300M --overlay /bin/true
done
run_rounds
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/load-after"
say "load after: $(cat "$RESULTS/load-after")"

# --- Memory -------------------------------------------------------------------
# Peak RSS (VmHWM) of the process that stays on the host while the
# container runs: our supervisor (step2's parent, comm step2-pid), and
# crun's and runc's `run` process, for a container that sleeps 1 s.
peak_rss() { # peak_rss ID COMMAND...: "ID comm VmHWM-kB"
	local id=$1 pid
	shift
	"$@" >/dev/null &
	pid=$!
	sleep 0.6
	printf '%s %s %s\n' "$id" "$(cat "/proc/$pid/comm")" \
		"$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
	wait "$pid" || true # killed by another test's teardown: the figure was read already
}
{
	peak_rss chain ./step1 sleep 1
	for runtime in "${runtimes[@]}"; do
		mkdir -p "$WORK/oci/$runtime-sleep"
		sed 's|"/bin/true"|"/bin/sleep", "1"|' "$WORK/oci/$runtime/config.json" \
			>"$WORK/oci/$runtime-sleep/config.json"
		prefix=()
		[ "$runtime" = crun ] && prefix=("${crun_prefix[@]}")
		peak_rss "$runtime" "${prefix[@]}" "$runtime" --root "$state/$runtime" run \
			--bundle "$WORK/oci/$runtime-sleep" "bench-$runtime"
	done
} >"$RESULTS/memory"
{ ./step1 df -k / || true; } | awk 'NR == 2 {print "copy", $2, $3}' >"$RESULTS/tmpfs"
{ ./step1 --overlay df -k / || true; } | awk 'NR == 2 {print "overlay", $2, $3}' >>"$RESULTS/tmpfs"

# What this machine charges for CPUID, fresh memory and moving a task
# between cgroups (bench/probe.c).
"$WORK/probe" >"$RESULTS/probe"

# How long the host end of a veth pair outlives its container.
python3 bench/linger.py ./step1 10 >"$RESULTS/linger"

# --- Where the time goes inside one start --------------------------------------
# strace stops only at execve/execveat/exit_group (--seccomp-bpf), so the
# rest runs at full speed; each step's share is the time from its exec to
# the next one's. Repeated, and report.py takes the medians.
# The time to join the cgroup: writes to tasks (v1) or cgroup.procs (v2);
# -y names the file.
# A pause first, so that no recent writer of ours has left the kernel's
# lock for moving tasks in its fast state (ANALYSIS.md explains).
for i in $(seq 1 15); do
	sleep 0.2
	strace -f --seccomp-bpf -T -y -e trace=write -o "$RESULTS/trace-cgroup.$i" \
		./step1 --overlay /bin/true || true
	strace -f --seccomp-bpf -ttt -e trace=execve,execveat,exit_group \
		-o "$RESULTS/trace.$i" ./step1 /bin/true || true
	strace -f --seccomp-bpf -ttt -e trace=execve,execveat,exit_group \
		-o "$RESULTS/trace-talk.$i" bash bench/talk/step1 /bin/true || true
done

# --- Nothing left behind --------------------------------------------------------
for runtime in "${runtimes[@]}"; do
	left=$(find "$state/$runtime" -mindepth 1 2>/dev/null)
	[ -z "$left" ] || echo "$runtime state: $left" >>"$RESULTS/leftovers"
done
# The kernel frees a network namespace, and with it the host end of the
# veth pair, from a work queue after the last process exits: allow 10 s.
for _ in $(seq 100); do
	[ "$(host_interfaces)" = "$interfaces_before" ] && [ "$(host_mounts)" = "$mounts_before" ] \
		&& [ -z "$(our_leftovers)" ] && break
	sleep 0.1
done
{
	diff <(echo "$interfaces_before") <(host_interfaces) | sed -n 's/^[<>] /interface changed: /p'
	diff <(echo "$mounts_before") <(host_mounts) | sed -n 's/^[<>] /mount changed: /p'
	our_leftovers | sed 's/^/left over: /'
} >>"$RESULTS/leftovers" || true
if [ -s "$RESULTS/leftovers" ]; then
	say "the host is not as before (concurrent tests may explain interfaces and mounts):"
	sed 's/^/bench:   /' "$RESULTS/leftovers" >&2
else
	say "host as before: interfaces, mounts, cgroups, temp dirs, runtime state"
fi

python3 bench/report.py "$RESULTS" bench/RESULTS.md bench/layers.svg
