# helpers.bash: loaded by every test file.
#
# Every test runs the real steps on the real kernel. setup() records what the
# host has (interfaces, mounts, our cgroups, our processes, its hostname and
# IPC objects) and teardown() checks that it has exactly that again,
# whatever the test did.

bats_require_minimum_version 1.5.0
# The libraries' load.bash start the dirname program once for each file
# they source, 15 times in every test: a function stands in for it while
# they load. Every process started costs tens of milliseconds in the VM
# (TCG), where the suite's time goes to setup more than to the tests.
# shellcheck disable=SC2317 # called by the libraries' load.bash
dirname() { if [[ $1 == */* ]]; then echo "${1%/*}"; else echo .; fi; }
bats_load_library bats-support
bats_load_library bats-assert
unset -f dirname

PROJECT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# Where the step binaries are: the checkout, or a variant (make test-asan).
STEPS=${STEPS:-$PROJECT}
SKEL=${SKEL:-$PROJECT/skelfs}
# The skeleton with the test programs (make test-skel); make test-asan passes
# a copy that also holds the sanitized steps' libraries.
TEST_SKEL=${TEST_SKEL:-$PROJECT/build/test-skel}

# The steps, from steps.table (the one list of them): STEP_FOLDERS[N] is
# stepN's folder, which is also its process name; LAST_STEP is the number
# of the last row.
read_steps_table() {
	local number folder
	STEP_FOLDERS=()
	while read -r number folder _; do
		if [[ $number =~ ^[0-9]+$ ]]; then STEP_FOLDERS[number]=$folder; fi
	done <"$PROJECT/steps.table"
}
read_steps_table
# shellcheck disable=SC2034 # read by the test files
LAST_STEP=${#STEP_FOLDERS[@]}

require_root() {
	[ "$EUID" -eq 0 ] || skip "needs root: the steps create namespaces, mounts and cgroups"
}

# The host's state that a container must leave as it found it. Read with
# bash's own globs and read loops, without a process of its own: it runs
# twice per test, and every process started costs tens of milliseconds in
# the VM (TCG). Nothing is sorted: the kernel lists the same interfaces,
# mounts and processes in the same order each time.
# Interfaces from /proc/net/dev, which shows the reader's network namespace
# (/sys/class/net shows the one sysfs was mounted in): make check grades in
# a network namespace of its own.
host_interfaces() {
	local name rest
	{
		read -r && read -r
		while IFS=: read -r name rest; do echo "${name// /}"; done
	} </proc/net/dev
}
host_mounts() {
	local fields
	while read -ra fields; do echo "${fields[4]} ${fields[8]}"; done </proc/self/mountinfo
}
our_cgroups() {
	local cgroup
	for cgroup in /sys/fs/cgroup/under-the-hood* /sys/fs/cgroup/*/under-the-hood* \
		/sys/fs/cgroup/*/*/under-the-hood*; do
		[ -e "$cgroup" ] && echo "$cgroup"
	done
	return 0
}
# The supervisors' lock files (supervisor/lock.c), their directory, and the
# names of running containers (supervisor/names.c).
our_locks() {
	local lock
	for lock in /run/under-the-hood /run/under-the-hood/* /run/under-the-hood/names/*; do
		[ -e "$lock" ] && echo "$lock"
	done
	return 0
}
# The processes named as a step or enter, with their command lines, as
# `pgrep -a -x PATTERN` shows them; also step0 and the helpers it and
# step2 start (tools/doc-test.py's host_state() names the same).
STEP_PROCESS_PATTERN='enter|step0|newuidmap|newgidmap|pasta|passt|passt\.avx2'
for folder in "${STEP_FOLDERS[@]}"; do STEP_PROCESS_PATTERN+="|$folder"; done
our_processes() {
	local comm name words
	for comm in /proc/[0-9]*/comm; do
		{ read -r name <"$comm"; } 2>/dev/null || continue
		[[ $name =~ ^($STEP_PROCESS_PATTERN)$ ]] || continue
		{ mapfile -d '' words <"${comm%comm}cmdline"; } 2>/dev/null
		comm=${comm#/proc/}
		echo "${comm%/comm} ${words[*]}"
	done
	return 0
}
# The host's names and IPC objects (System V: key and id, the other columns
# change with use): a step that forgot its unshare would change them, and
# no test may. POSIX message queues show only where the host has an mqueue
# filesystem mounted at /dev/mqueue, which it need not have.
host_names_and_ipc() {
	local line kind fields queue
	read -r line </proc/sys/kernel/hostname && echo "hostname $line"
	read -r line </proc/sys/kernel/domainname && echo "domainname $line"
	for kind in shm sem msg; do
		[ -r "/proc/sysvipc/$kind" ] || continue
		while read -ra fields; do
			[ "${fields[0]}" = key ] || echo "$kind ${fields[0]} ${fields[1]}"
		done <"/proc/sysvipc/$kind"
	done
	for queue in /dev/mqueue/*; do
		[ -e "$queue" ] && echo "mqueue ${queue##*/}"
	done
	return 0
}

host_state() {
	echo "== interfaces"; host_interfaces
	echo "== mounts"; host_mounts
	echo "== cgroups"; our_cgroups
	echo "== locks"; our_locks
	echo "== processes"; our_processes
	echo "== names and IPC"; host_names_and_ipc
}

# A container's network namespace, and so the host end of its veth pair,
# is freed by the kernel shortly after the container's last process exits
# (net/core/net_namespace.c cleans up from a work queue). Allow it 10s.
wait_for_host_state() {
	local expected=$1 i
	for ((i = 0; i < 100; i++)); do
		[ "$(host_state)" = "$expected" ] && return 0
		sleep 0.1
	done
	diff <(echo "$expected") <(host_state) >&2
	return 1
}

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	export HOST_STATE_BEFORE
}

teardown() {
	[ -n "${HOST_STATE_BEFORE:-}" ] || return 0
	# Nothing a test started may outlive it.
	stop_background_containers
	wait_for_host_state "$HOST_STATE_BEFORE" || {
		echo "# the host is not as before this test" >&2
		return 1
	}
}

# run_chain [ARGS...]: run ./step1 with ARGS; output and status as bats' run.
run_chain() {
	run "$STEPS/step1" "$@"
	echo "# step1 $* -> status $status"
}

# run_step N [ARGS...]: run ./stepN directly.
run_step() {
	local step=$1
	shift
	run "$STEPS/step$step" "$@"
}

# The inode of one of the host's namespaces, to compare with a container's.
host_namespace() { stat -Lc %i "/proc/self/ns/$1"; }

# in_shared_mount_namespace SCRIPT: run SCRIPT with bash, as bats' run does,
# in a throwaway mount namespace whose mounts are all shared, as systemd
# makes a host's: that is where a mount a step forgot to keep private would
# show. This machine's own / need not be shared, and no test may make it
# so. The namespace is made private first, so that none of its mounts is a
# peer of one outside it, and it ends with SCRIPT and what SCRIPT started,
# taking every mount made in it along. STEPS is in SCRIPT's environment.
in_shared_mount_namespace() {
	run env STEPS="$STEPS" timeout 30 unshare --mount --propagation private \
		bash -c "mount --make-rshared / && { $1
}"
}

# Containers in the background, for tests that act on a running container.
# Each one is remembered, and teardown() kills what is left of it even when
# the test failed half-way.
BACKGROUND_PIDS=()

# start_container [ARGS...]: start ./step1 ARGS in the background (stdin from
# /dev/null). Sets BG_PID (the step's process: the supervisor from step2 on),
# BG_OUT and BG_ERR (files with its stdout and stderr).
start_container() {
	start_step 1 "$@"
}

# start_step N [ARGS...]: the same for ./stepN.
start_step() {
	local step=$1 n=${#BACKGROUND_PIDS[@]}
	shift
	BG_OUT=$BATS_TEST_TMPDIR/background-$n.out
	BG_ERR=$BATS_TEST_TMPDIR/background-$n.err
	# 3>&-: bats waits for whoever holds its descriptor 3 open. setsid: a
	# process group of its own (it does not fork: a background job is no
	# group leader), so that teardown also finds what a container without
	# a PID namespace (--until 1, ./step3) left running.
	setsid "$STEPS/step$step" "$@" </dev/null >"$BG_OUT" 2>"$BG_ERR" 3>&- &
	BG_PID=$!
	BACKGROUND_PIDS+=("$BG_PID")
}

# wait_for_exit PID SECONDS: wait up to SECONDS for a background container
# to end; its exit status is then in $status. Fails if it is still running.
wait_for_exit() {
	local pid=$1 deadline=$((SECONDS + $2))
	while [[ $(ps -o stat= -p "$pid" 2>/dev/null) != Z* ]] && kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			echo "# $pid still runs after $2 s" >&2
			return 1
		fi
		sleep 0.05
	done
	status=0
	wait "$pid" || status=$?
}

# wait_until SECONDS COMMAND [ARGS...]: retry COMMAND every 0.1 s until it
# succeeds; fail after SECONDS.
wait_until() {
	local tries=$(($1 * 10))
	shift
	while ! "$@"; do
		if ((--tries <= 0)); then
			echo "# gave up waiting for: $*" >&2
			# What the last background container said, if anything.
			[ -z "${BG_ERR:-}" ] || sed 's/^/# stderr: /' "$BG_ERR" >&2
			return 1
		fi
		sleep 0.1
	done
}

# A process whose command line matches PATTERN exists (pgrep -f).
process_exists() { pgrep -f "$1" >/dev/null; }
# The host's interface NAME exists and is up on both ends (carrier).
link_is_up() { ip -br link show "$1" 2>/dev/null | grep -q ' UP '; }
# The file exists and is not empty.
file_has_content() { [ -s "$1" ]; }

# Processes a test expects to outlive their container's supervisor (host
# pids): teardown kills those that still run, if they are still COMM.
# stray_process PID COMM
STRAY_PIDS=()
stray_process() { STRAY_PIDS+=("$1:$2"); }
process_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && [[ $(ps -o stat= -p "$1") != Z* ]]; }

# Kill every background container a test started (its whole process group),
# and reap it.
stop_background_containers() {
	local pid stray
	for pid in "${BACKGROUND_PIDS[@]}"; do
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	for stray in "${STRAY_PIDS[@]}"; do
		! process_is "${stray%%:*}" "${stray#*:}" || kill -KILL "${stray%%:*}" || true
	done
	# A supervisor killed with SIGKILL could not remove its container's
	# cgroup and lock file: the next supervisor (step7 run on its own is
	# one) kills what is left of the container and removes both. A
	# process that takes longer to die than the supervisor waits for it
	# (1 s) keeps them for a later run: hence the loop.
	if [ ${#BACKGROUND_PIDS[@]} -gt 0 ]; then
		local before i
		before=$(sed -n '/^== cgroups$/,/^== processes$/p' <<<"${HOST_STATE_BEFORE:-}" | grep -v '^==')
		for ((i = 0; i < 100; i++)); do
			[ "$(our_cgroups; our_locks)" != "$before" ] || break
			"$STEPS/step7" true >/dev/null 2>&1 || true
			sleep 0.1
		done
	fi
	BACKGROUND_PIDS=()
	STRAY_PIDS=()
}

# The registry of running containers' names (supervisor/names.c).
REGISTRY=/run/under-the-hood/names

# start_named NAME [OPTIONS...] COMMAND...: a container named NAME in the
# background; returns once its entry is complete, with its PID 1's pid on
# the host in CONTAINER_PID.
start_named() {
	local name=$1
	shift
	start_container --name "$name" "$@"
	wait_until 20 test -s "$REGISTRY/$name/host-pid"
	# shellcheck disable=SC2034 # read by the test files
	CONTAINER_PID=$(cat "$REGISTRY/$name/host-pid")
}
