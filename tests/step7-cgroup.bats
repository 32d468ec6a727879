#!/usr/bin/env bats
# step7-cgroup: limits on memory, CPU and processes, in a cgroup.
#
# The same tests run on cgroup v1 (hybrid: /sys/fs/cgroup/memory/...) and v2
# (/sys/fs/cgroup/...): cgroup_dir and limit_file pick the layout's files.

load helpers

# This file starts containers in the background. It stops only those, by
# their supervisor's pid: helpers' teardown also pkills every step process
# on the machine, which would stop other people's containers too.
teardown() {
	stop_container
	remove_stale_cgroup
	[ -n "${HOST_STATE_BEFORE:-}" ] || return 0
	wait_for_host_state "$HOST_STATE_BEFORE" || {
		echo "# the host is not as before this test" >&2
		return 1
	}
}

cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# cgroup_dir CONTROLLER NAME: the container's cgroup for that controller.
cgroup_dir() {
	if cgroup_v2; then
		echo "/sys/fs/cgroup/under-the-hood/$2"
	else
		echo "/sys/fs/cgroup/$1/under-the-hood/$2"
	fi
}

cgroup_exists() {
	local controller
	for controller in memory pids cpu; do
		[ -d "$(cgroup_dir "$controller" "$1")" ] && return 0
	done
	return 1
}

# cgroup_empty NAME: no process is left in the cgroup (in any hierarchy).
cgroup_empty() {
	local controller procs
	for controller in memory pids cpu; do
		procs="$(cgroup_dir "$controller" "$1")/cgroup.procs"
		[ ! -s "$procs" ] || return 1
	done
}

# start_container ARGS...: ./step1 ARGS sleep 30 in the background; sets
# CONTAINER (the supervisor's pid) and NAME (its cgroup's name), and waits
# until the container has joined its cgroup.
start_container() {
	"$STEPS/step1" --hostname s7test --stop-timeout 1 "$@" sleep 30 \
		>"$BATS_TEST_TMPDIR/container.out" 2>&1 &
	CONTAINER=$!
	NAME=s7test-$CONTAINER
	local procs i
	procs="$(cgroup_dir pids "$NAME")/cgroup.procs"
	for ((i = 0; i < 100; i++)); do
		[ -n "$(cat "$procs" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/container.out" >&2
	echo "# no process in $procs after 10s" >&2
	return 1
}

# SIGTERM, as docker stop: forwarded to PID 1, SIGKILL after --stop-timeout.
stop_container() {
	[ -n "${CONTAINER:-}" ] || return 0
	kill -TERM "$CONTAINER" 2>/dev/null || true
	wait "$CONTAINER" || true
	CONTAINER=
}

# After a test that killed a supervisor and failed before cleaning up: any
# supervisor removes the cgroups of killed ones when it starts.
remove_stale_cgroup() {
	if [ -n "${NAME:-}" ] && cgroup_exists "$NAME"; then
		"$STEPS/step7" true || true
	fi
}

@test "step7-cgroup: the container's processes are in its cgroup while it runs" {
	start_container
	local controller
	for controller in memory pids cpu; do
		run cat "$(cgroup_dir "$controller" "$NAME")/cgroup.procs"
		assert_success
		refute_output ""
	done
}

@test "step7-cgroup: the memory limit is --memory, with no swap [--memory 64M]" {
	start_container --memory 64M
	local dir
	dir=$(cgroup_dir memory "$NAME")
	if cgroup_v2; then
		assert_equal "$(cat "$dir/memory.max")" 67108864
		[ ! -e "$dir/memory.swap.max" ] || assert_equal "$(cat "$dir/memory.swap.max")" 0
	else
		assert_equal "$(cat "$dir/memory.limit_in_bytes")" 67108864
		[ ! -e "$dir/memory.memsw.limit_in_bytes" ] ||
			assert_equal "$(cat "$dir/memory.memsw.limit_in_bytes")" 67108864
	fi
}

@test "step7-cgroup: the memory limit is 256M [default]" {
	start_container
	local dir
	dir=$(cgroup_dir memory "$NAME")
	if cgroup_v2; then
		assert_equal "$(cat "$dir/memory.max")" 268435456
	else
		assert_equal "$(cat "$dir/memory.limit_in_bytes")" 268435456
	fi
}

@test "step7-cgroup: pids.max is --pids [--pids 42]" {
	start_container --pids 42
	assert_equal "$(cat "$(cgroup_dir pids "$NAME")/pids.max")" 42
}

@test "step7-cgroup: pids.max is 128 [default]" {
	start_container
	assert_equal "$(cat "$(cgroup_dir pids "$NAME")/pids.max")" 128
}

@test "step7-cgroup: the CPU quota is --cpus per 100ms period [--cpus 1.5]" {
	start_container --cpus 1.5
	local dir
	dir=$(cgroup_dir cpu "$NAME")
	if cgroup_v2; then
		assert_equal "$(cat "$dir/cpu.max")" "150000 100000"
	else
		assert_equal "$(cat "$dir/cpu.cfs_period_us")" 100000
		assert_equal "$(cat "$dir/cpu.cfs_quota_us")" 150000
	fi
}

@test "step7-cgroup: there is no CPU quota [no --cpus]" {
	start_container
	local dir
	dir=$(cgroup_dir cpu "$NAME")
	if cgroup_v2; then
		assert_equal "$(cut -d' ' -f1 "$dir/cpu.max")" max
	else
		assert_equal "$(cat "$dir/cpu.cfs_quota_us")" -1
	fi
}

@test "step7-cgroup: /proc/self/cgroup inside shows under-the-hood/<hostname>-<pid>" {
	run_chain --hostname s7test cat /proc/self/cgroup
	assert_success
	if cgroup_v2; then
		assert_line --regexp '^0::/under-the-hood/s7test-[0-9]+$'
	else
		assert_line --regexp '^[0-9]+:memory:/under-the-hood/s7test-[0-9]+$'
		assert_line --regexp '^[0-9]+:pids:/under-the-hood/s7test-[0-9]+$'
	fi
}

@test "step7-cgroup: the cgroup is gone after the container exits" {
	run_chain --hostname s7test cat /proc/self/cgroup
	assert_success
	local name
	name=$(grep -o 's7test-[0-9]*' <<<"$output" | head -1)
	[ -n "$name" ]
	run cgroup_exists "$name"
	assert_failure
}

@test "step7-cgroup: the container is killed with status 137 and a message [over --memory]" {
	run_chain --memory 64M dd if=/dev/zero of=/dev/null bs=200M count=1
	assert_failure 137
	assert_output --partial "step7-cgroup: container killed: out of memory (limit 64M)"
}

@test "step7-cgroup: the container runs and no out-of-memory message [within --memory]" {
	run_chain --memory 64M dd if=/dev/zero of=/dev/null bs=16M count=1
	assert_success
	refute_output --partial "out of memory"
}

@test "step7-cgroup: fork fails inside at the process limit, and the container ends [--pids 20]" {
	run timeout 60 "$STEPS/step1" --pids 20 sh -c 'for i in $(seq 100); do sleep 1 & done; wait'
	refute [ "$status" -eq 124 ] # timeout killed it: it did not end
	assert_output --regexp 'Cannot fork|Resource temporarily unavailable'
}

@test "step7-cgroup: 100 processes start [default --pids 128]" {
	run timeout 60 "$STEPS/step1" sh -c 'for i in $(seq 100); do sleep 1 & done; wait'
	assert_success
	refute_output --regexp 'Cannot fork|Resource temporarily unavailable'
}

@test "step7-cgroup: a killed supervisor's cgroup is removed by the next container's" {
	start_container
	kill -KILL "$CONTAINER"
	wait "$CONTAINER" || true
	CONTAINER=
	cgroup_exists "$NAME" # no one removed it yet
	# Its container dies with it (PR_SET_PDEATHSIG), a moment later: only
	# then is it gone, and its cgroup empty and removable.
	wait_until 10 cgroup_empty "$NAME"
	run_chain --hostname s7next true
	assert_success
	run cgroup_exists "$NAME"
	assert_failure
}

bad_value() { # bad_value OPTION VALUE: exits 2 with one line naming OPTION
	run_chain --hostname s7bad "$1" "$2" true
	assert_failure 2
	assert_equal "${#lines[@]}" 1
	assert_output --partial "$1: '$2'"
	run compgen -G "/sys/fs/cgroup/*under-the-hood/s7bad-*"
	assert_failure
	run compgen -G "/sys/fs/cgroup/*/under-the-hood/s7bad-*"
	assert_failure
}

@test "step7-cgroup: exits 2 naming the option [--memory 5x]" { bad_value --memory 5x; }
@test "step7-cgroup: exits 2 naming the option [--memory 1k, below 6M]" { bad_value --memory 1k; }
@test "step7-cgroup: exits 2 naming the option [--cpus 0]" { bad_value --cpus 0; }
@test "step7-cgroup: exits 2 naming the option [--pids -1]" { bad_value --pids -1; }

@test "step7-cgroup: no cgroup [--until 6]" {
	run_chain --until 6 cat /proc/self/cgroup
	assert_success
	refute_output --partial under-the-hood
}

@test "step7-cgroup: run directly on the host, it makes its cgroup and removes it" {
	run "$STEPS/step7" --hostname s7host cat /proc/self/cgroup
	assert_success
	local name
	name=$(grep -o 's7host-[0-9]*' <<<"$output" | head -1)
	[ -n "$name" ]
	run cgroup_exists "$name"
	assert_failure
}
