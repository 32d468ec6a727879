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

# rate_of: dd's last line, "N bytes (...) copied, S s, ...", as bytes a second.
rate_of() { awk '/copied/ { printf "%d\n", $1 / $(NF - 3) }' <<<"$output"; }
# seconds_of: the S of that line, in milliseconds.
milliseconds_of() { awk '/copied/ { printf "%d\n", $(NF - 3) * 1000 }' <<<"$output"; }

# 3 MiB in 64k direct writes: about 3s at 1 MB/s.
@test "step7-cgroup: direct writes to the device go at about 1 MB/s [--device-write-bps LOOP:1mb]" {
	run_chain --device "$LOOP" --device-write-bps "$LOOP:1mb" \
		dd if=/dev/zero of="$LOOP" bs=64k count=48 oflag=direct
	assert_success
	local rate
	rate=$(rate_of)
	echo "# $rate bytes/s"
	[ "$rate" -ge 524288 ] && [ "$rate" -le 2097152 ]
}

# Faster than the limited test's bound (TCG in make test-vm manages ~7 MB/s).
@test "step7-cgroup: direct writes to the device go faster than 3 MB/s [no --device-write-bps]" {
	run_chain --device "$LOOP" dd if=/dev/zero of="$LOOP" bs=64k count=48 oflag=direct
	assert_success
	local rate
	rate=$(rate_of)
	echo "# $rate bytes/s"
	[ "$rate" -gt 3145728 ]
}

@test "step7-cgroup: direct reads from the device go at about 1 MB/s [--device-read-bps LOOP:1mb]" {
	run_chain --device "$LOOP" --device-read-bps "$LOOP:1mb" \
		dd if="$LOOP" of=/dev/null bs=64k count=48 iflag=direct
	assert_success
	local rate
	rate=$(rate_of)
	echo "# $rate bytes/s"
	[ "$rate" -ge 524288 ] && [ "$rate" -le 2097152 ]
}

# 60 writes at 20 a second: about 3s (2s at least, whatever the first second allows).
@test "step7-cgroup: direct writes to the device take about 1/20 s each [--device-write-iops LOOP:20]" {
	run_chain --device "$LOOP" --device-write-iops "$LOOP:20" \
		dd if=/dev/zero of="$LOOP" bs=4k count=60 oflag=direct
	assert_success
	local milliseconds
	milliseconds=$(milliseconds_of)
	echo "# $milliseconds ms"
	[ "$milliseconds" -ge 2000 ] && [ "$milliseconds" -le 6000 ]
}

cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# io_cgroup_found: sets DIR to the io (v2) or blkio (v1) cgroup of the
# background container's PID 1, once it has joined ours.
io_cgroup_found() {
	local pid1 path
	pid1=$(pgrep -P "$BG_PID") || return 1
	if cgroup_v2; then
		path=$(sed -n 's/^0:://p' "/proc/$pid1/cgroup")
		DIR=/sys/fs/cgroup$path
	else
		path=$(sed -n 's/^[0-9]*:blkio://p' "/proc/$pid1/cgroup")
		DIR=/sys/fs/cgroup/blkio$path
	fi
	[[ $path == /under-the-hood/* ]]
}

@test "step7-cgroup: the limits are in the cgroup's files as MAJ:MIN [--device-read-iops, --device-write-bps]" {
	local numbers
	numbers=$(printf '%d:%d' "0x$(stat -c %t "$LOOP")" "0x$(stat -c %T "$LOOP")")
	start_container --device-read-iops "$LOOP:300" --device-write-bps "$LOOP:2mb" sleep 30
	wait_until 10 io_cgroup_found
	if cgroup_v2; then
		assert_equal "$(cat "$DIR/io.max")" "$numbers rbps=max wbps=2097152 riops=300 wiops=max"
	else
		assert_equal "$(cat "$DIR/blkio.throttle.read_iops_device")" "$numbers 300"
		assert_equal "$(cat "$DIR/blkio.throttle.write_bps_device")" "$numbers 2097152"
	fi
}

# A weight needs BFQ (or io.cost on v2): where neither is, a warning and no
# weight, as Docker does.
@test "step7-cgroup: the weight is in the cgroup, or a warning says why not [--blkio-weight 500]" {
	start_container --blkio-weight 500 sleep 30
	wait_until 10 io_cgroup_found
	local file
	for file in io.bfq.weight io.weight blkio.bfq.weight blkio.weight none; do
		[ ! -f "$DIR/$file" ] || break
	done
	echo "# $file: $(cat "$DIR/$file" 2>/dev/null) / $(cat "$BG_ERR")"
	case $file in
	io.weight) assert_equal "$(cat "$DIR/$file")" "default 4950" ;;
	*bfq.weight) [[ $(cat "$DIR/$file") =~ ^(default )?500$ ]] ;;
	blkio.weight) assert_equal "$(cat "$DIR/$file")" 500 ;;
	none) grep -q -- "--blkio-weight 500: no .*weight" "$BG_ERR" ;;
	esac
}
