#!/usr/bin/env bats
# Block devices in the container: --device (step5 binds the node into
# /dev) and the cgroup's disk limits (step7: blkio on v1, io on v2).
#
# Each test makes its own loop device on a file in its temporary directory
# and detaches it in teardown, also when the test fails: no test touches a
# real disk of the host.

load helpers

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	export HOST_STATE_BEFORE
	truncate -s 64M "$BATS_TEST_TMPDIR/disk.img"
	LOOP=$(losetup -f --show "$BATS_TEST_TMPDIR/disk.img")
}

teardown() {
	[ -z "${LOOP:-}" ] || losetup -d "$LOOP" || true
	[ -n "${HOST_STATE_BEFORE:-}" ] || return 0
	stop_background_containers
	wait_for_host_state "$HOST_STATE_BEFORE" || {
		echo "# the host is not as before this test" >&2
		return 1
	}
}

@test "step5-rootfs: a --device node opens and takes writes inside [--device LOOP]" {
	run_chain --device "$LOOP" sh -c \
		"printf underthehood | dd of=$LOOP bs=512 count=1 conv=sync oflag=direct"
	assert_success
	assert_output --partial "512 bytes"
	# what the container wrote is on the host's device
	assert_equal "$(head -c 12 "$LOOP")" underthehood
}

@test "step5-rootfs: the device is not in the container's /dev [no --device]" {
	run_chain sh -c "test -e $LOOP"
	assert_failure 1
}

@test "step5-rootfs: a --device node is at CONTAINER_PATH [--device LOOP:/dev/disks/xvdb]" {
	local numbers
	numbers=$(stat -c '%t:%T' "$LOOP")
	run_chain --device "$LOOP:/dev/disks/xvdb" stat -c '%F %t:%T' /dev/disks/xvdb
	assert_success
	assert_output "block special file $numbers"
}
