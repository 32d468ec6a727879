#!/usr/bin/env bats
# step2-pid: a PID namespace, its own /proc, and the supervisor on the host.

load helpers

# A word unique to this test, to find its processes with pgrep -f.
setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	MARK=bats-step2-$$-$BATS_TEST_NUMBER-$RANDOM
	# sleep's own command line, unique to this test too
	SLEEP=100.$RANDOM$BATS_TEST_NUMBER
}

# The host's pid of the container process whose command line is
# "sh -c ...$MARK" (the steps' own command lines start with their names).
# The oldest match: sh forks before it execs sleep, and the fork matches too.
container_pid() { pgrep -o -f "^sh -c .*$MARK"; }
container_runs() { container_pid >/dev/null; }
container_gone() { ! container_runs; }

# bats test_tags=exercise:2-1,exercise:2-2
@test "step2-pid: COMMAND is PID 1 [--until 2]" {
	run_chain --until 2 sh -c 'echo $$'
	assert_success
	assert_output 1
}

@test "step2-pid: COMMAND is not PID 1 [--until 1]" {
	run_chain --until 1 sh -c 'echo $$'
	assert_success
	refute_output 1
}

# bats test_tags=exercise:2-1,exercise:2-2,exercise:2-3
@test "step2-pid: ps inside lists only COMMAND [--until 2]" {
	run_chain --until 2 ps -e -o pid= -o comm=
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^ *1 ps$'
}

@test "step2-pid: ps lists the host's processes [--until 1]" {
	run_chain --until 1 ps -e -o pid=
	assert_success
	[ "${#lines[@]}" -gt 5 ]
}

# bats test_tags=exercise:2-3
@test "step2-pid: /proc inside is the namespace's own: /proc/self is 1 [--until 2]" {
	run_chain --until 2 readlink /proc/self
	assert_success
	assert_output 1
}

# bats test_tags=exercise:2-3
@test "step2-pid: /proc inside lists one process [--until 2]" {
	run_chain --until 2 sh -c 'cd /proc && echo [0-9]*'
	assert_success
	assert_output 1
}

# bats test_tags=exercise:2-3
@test "step2-pid: the host's /proc is still the host's after the container [--until 2]" {
	local device_before
	device_before=$(stat -c %d /proc)
	run_chain --until 2 true
	assert_success
	assert_equal "$(stat -c %d /proc)" "$device_before"
	assert [ -e "/proc/$BASHPID" ]
}

# Where / is shared, the mount namespace that step2 makes for its /proc
# starts as a peer of the caller's: unless step2 makes its mounts private
# first, its proc propagates onto the caller's /proc. A throwaway namespace
# of the test's own plays that caller (helpers.bash).
proc_in_caller() {
	[ "$(stat -c %d /proc)" = "$1" ] && echo "/proc: as before" || echo "/proc: another"
}
export -f proc_in_caller

# bats test_tags=exercise:2-3
@test "step2-pid: the container's /proc does not reach a caller whose / is shared [--until 2]" {
	in_shared_mount_namespace 'proc=$(stat -c %d /proc)
		"$STEPS/step1" --until 2 readlink /proc/self
		proc_in_caller "$proc"'
	assert_success
	assert_output $'1\n/proc: as before'
}

@test "step2-pid: a proc mounted in a mount namespace that is not private reaches a caller whose / is shared (the control)" {
	in_shared_mount_namespace 'proc=$(stat -c %d /proc)
		unshare --mount --propagation unchanged --pid --fork mount -t proc proc /proc
		proc_in_caller "$proc"'
	assert_success
	assert_output "/proc: another"
}

# bats test_tags=exercise:2-1,exercise:2-3
@test "step2-pid: the PID, mount and UTS namespaces differ from the host's, the network namespace does not yet [--until 2]" {
	run_chain --until 2 sh -c 'for n in uts pid mnt net; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	refute_line "pid $(host_namespace pid)"
	refute_line "mnt $(host_namespace mnt)"
	assert_line "net $(host_namespace net)"
}

# bats test_tags=exercise:2-2
@test "step2-pid: the supervisor stays on the host and is the parent of PID 1 [--until 2]" {
	start_container --until 2 sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	local pid
	pid=$(container_pid)
	assert_equal "$(ps -o ppid= -p "$pid" | tr -d ' ')" "$BG_PID"
	assert_equal "$(cat "/proc/$BG_PID/comm")" step2-pid
	assert_equal "$(stat -Lc %i "/proc/$BG_PID/ns/pid")" "$(host_namespace pid)"
	refute [ "$(stat -Lc %i "/proc/$pid/ns/pid")" = "$(host_namespace pid)" ]
}

# bats test_tags=exercise:2-2
@test "step2-pid: the supervisor exits with COMMAND's status 0 [--until 2]" {
	run_chain --until 2 true
	assert_success
}

# bats test_tags=exercise:2-2
@test "step2-pid: the supervisor exits with COMMAND's status 7 [--until 2]" {
	run_chain --until 2 sh -c 'exit 7'
	assert_failure 7
}

@test "step2-pid: the supervisor exits 137 when PID 1 is killed with SIGKILL from the host [--until 2]" {
	start_container --until 2 sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	kill -KILL "$(container_pid)"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
}

# bats test_tags=exercise:2-1,exercise:2-2
@test "step2-pid: PID 1 survives its own SIGTERM when it has no handler [--until 2]" {
	run_chain --until 2 sh -c 'kill -TERM $$; echo survived'
	assert_success
	assert_output survived
}

@test "step2-pid: a process that is not PID 1 dies of its own SIGTERM [--until 1]" {
	run_chain --until 1 sh -c 'kill -TERM $$; echo survived'
	assert_failure 143
	refute_output survived
}

@test "step2-pid: SIGTERM to the supervisor reaches PID 1's handler, status 3 [--until 2]" {
	start_container --until 2 sh -c "trap 'exit 3' TERM; echo ready; while :; do sleep 0.1; done; : $MARK"
	wait_until 10 grep -qx ready "$BG_OUT" # its trap is set
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 3
}

@test "step2-pid: SIGHUP to the supervisor reaches PID 1's handler, status 4 [--until 2]" {
	start_container --until 2 sh -c "trap 'exit 4' HUP; echo ready; while :; do sleep 0.1; done; : $MARK"
	wait_until 10 grep -qx ready "$BG_OUT" # its trap is set
	kill -HUP "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 4
}

# A shell started with & ignores SIGINT, and its children inherit that:
# env --default-signal=INT gives the chain the disposition a terminal would.
@test "step2-pid: SIGINT sent with kill(2) to the supervisor reaches PID 1's handler, status 5 [--until 2]" {
	local n=${#BACKGROUND_PIDS[@]}
	env --default-signal=INT "$STEPS/step1" --until 2 sh -c "trap 'exit 5' INT; echo ready; while :; do sleep 0.1; done; : $MARK" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	BACKGROUND_PIDS+=("$!")
	wait_until 10 grep -qx ready "$BATS_TEST_TMPDIR/out" # its trap is set
	kill -INT "${BACKGROUND_PIDS[$n]}"
	wait_for_exit "${BACKGROUND_PIDS[$n]}" 5
	assert_equal "$status" 5
}

@test "step2-pid: SIGTERM to the supervisor ends a PID 1 without handler by SIGKILL after --stop-timeout 1, status 137 [--until 2]" {
	start_container --until 2 --stop-timeout 1 sleep "$SLEEP"
	# sleep has no handler: as PID 1 the kernel drops the forwarded SIGTERM.
	wait_until 10 process_exists "^sleep $SLEEP\$"
	local started=$SECONDS
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
	[ $((SECONDS - started)) -ge 1 ]
}

@test "step2-pid: SIGTERM does not escalate to SIGKILL before --stop-timeout [--until 2]" {
	start_container --until 2 --stop-timeout 3 sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	kill -TERM "$BG_PID"
	sleep 1
	container_runs
	wait_for_exit "$BG_PID" 6
	assert_equal "$status" 137
}

@test "step2-pid: SIGKILL of the supervisor kills the container (PR_SET_PDEATHSIG) [--until 2]" {
	start_container --until 2 sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	kill -KILL "$BG_PID"
	wait_until 5 container_gone
}

# bats test_tags=exercise:2-1,exercise:2-2
@test "step2-pid: PID 1's children end when PID 1 exits [--until 2]" {
	start_container --until 2 sh -c "sleep $SLEEP & sleep 0.5; : $MARK"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 0
	run pgrep -f "^sleep $SLEEP\$"
	assert_failure
}

@test "step2-pid: a background child outlives its shell without a PID namespace [--until 1]" {
	start_container --until 1 sh -c "sleep $SLEEP & sleep 0.5; : $MARK"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 0
	run pgrep -f "^sleep $SLEEP\$"
	assert_success
	pkill -KILL -f "^sleep $SLEEP\$"
}

# What unshare --mount-proc and Docker give proc: nothing on it runs as a
# program, as a device or with its set-user-ID bit. The last /proc line of
# mountinfo is the mount on top, the container's.
# bats test_tags=exercise:2-3
@test "step2-pid: /proc inside is mounted nosuid, nodev and noexec [--until 2]" {
	run_chain --until 2 awk '$5 == "/proc" { options = $6 } END { print options }' /proc/self/mountinfo
	assert_success
	assert_output --regexp '(^|,)nosuid(,|$)'
	assert_output --regexp '(^|,)nodev(,|$)'
	assert_output --regexp '(^|,)noexec(,|$)'
}
