#!/usr/bin/env bats
# Failures injected after each point where a step has created something
# (make faults: CHAIN_FAULT=<point>). Each must end the chain with one line
# and exit 125, and teardown (helpers.bash) proves the host is as before:
# no interface, mount, cgroup or process of the container left.

load helpers

FAULTS=$PROJECT/build-faults

inject() {
	[ -x "$FAULTS/step1" ] || fail "no fault-injection build: run make faults"
	CHAIN_FAULT=$1 run --separate-stderr "$FAULTS/step1" true
	assert_equal "$status" 125
	# step3-veth: a point of step3, named step3-net.
	local step=${1%%-*}
	assert_equal "$stderr" "${STEP_FOLDERS[${step#step}]}: injected fault at $1"
}

@test "faults: step2-pid fails in the new PID namespace before /proc [step2-child]" {
	inject step2-child
}

@test "faults: step2-pid fails after mounting /proc [step2-proc]" {
	inject step2-proc
}

@test "faults: step3-net fails after creating the veth pair [step3-veth]" {
	inject step3-veth
}

@test "faults: step3-net fails after addresses and routes [step3-addresses]" {
	inject step3-addresses
}

@test "faults: step4-mnt fails after making mounts private [step4-private]" {
	inject step4-private
}

@test "faults: step5-rootfs fails after the tmpfs root is filled [step5-root]" {
	inject step5-root
}

@test "faults: step5-rootfs fails after /dev and /proc are mounted [step5-mounts]" {
	inject step5-mounts
}

@test "faults: step5-rootfs fails after pivot_root [step5-pivot]" {
	inject step5-pivot
}

@test "faults: step7-cgroup fails after creating the cgroup [step7-created]" {
	inject step7-created
}

@test "faults: step7-cgroup fails inside its cgroup [step7-joined]" {
	inject step7-joined
}

# kill_at POINT STEP: the chain stops at POINT (CHAIN_FAULT=POINT:pause),
# and the test kills it there from the host with SIGKILL, as someone could
# midway. The process is the container's PID 1, so the supervisor reports
# 137; teardown proves that nothing is left.
kill_at() {
	local pid midway
	[ -x "$FAULTS/step1" ] || fail "no fault-injection build: run make faults"
	# The container is a child of the supervisor, in a session of its own.
	CHAIN_FAULT=$1:pause setsid "$FAULTS/step1" true </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	BACKGROUND_PIDS+=("$pid")
	wait_until 10 pgrep -P "$pid" -x "$2" >/dev/null
	midway=$(pgrep -P "$pid" -x "$2")
	kill -KILL "$midway"
	wait_for_exit "$pid" 10
	assert_equal "$status" 137
}

@test "faults: SIGKILL midway in step3-net, after the veth pair [step3-veth]" {
	kill_at step3-veth step3-net
}

@test "faults: SIGKILL midway in step5-rootfs, after filling the root [step5-root]" {
	kill_at step5-root step5-rootfs
}

@test "faults: SIGKILL midway in step5-rootfs, after pivot_root [step5-pivot]" {
	kill_at step5-pivot step5-rootfs
}

@test "faults: SIGKILL midway in step7-cgroup, after creating the cgroup [step7-created]" {
	kill_at step7-created step7-cgroup
}

@test "faults: SIGKILL midway in step7-cgroup, inside its cgroup [step7-joined]" {
	kill_at step7-joined step7-cgroup
}

@test "faults: an unknown fault point changes nothing [control]" {
	CHAIN_FAULT=nowhere run "$FAULTS/step1" true
	assert_success
}
