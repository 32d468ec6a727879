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
	assert_equal "$stderr" "${1%%-*}-$(step_suffix "$1"): injected fault at $1"
}

# step3-veth -> net, as in the step's name step3-net.
step_suffix() {
	case $1 in
	step2-*) echo pid ;; step3-*) echo net ;; step4-*) echo mnt ;;
	step5-*) echo rootfs ;; step6-*) echo caps ;; step7-*) echo cgroup ;;
	step8-*) echo seccomp ;;
	esac
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

@test "faults: an unknown fault point changes nothing [control]" {
	CHAIN_FAULT=nowhere run "$FAULTS/step1" true
	assert_success
}
