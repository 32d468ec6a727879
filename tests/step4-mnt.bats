#!/usr/bin/env bats
# step4-mnt: a mount namespace in which every mount is private.
#
# Through the chain, step2 already gives PID 1 a private mount namespace
# for its /proc; `./step4` run directly shows what step4 itself does. A
# shared bind mount made in the test's temporary directory plays systemd's
# shared /: it is how a mount inside would reach the host.

load helpers

# Keep the helpers' teardown to call it after our own clean-up.
eval "helpers_$(declare -f teardown)"

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	MARK=bats-step4-$$-$BATS_TEST_NUMBER-$RANDOM
	SHARED=
}

teardown() {
	stop_background_containers
	if [ -n "$SHARED" ]; then
		umount -R -l "$SHARED" 2>/dev/null || true
	fi
	helpers_teardown
}

# A shared mount at $SHARED with an empty directory sub/ in it.
make_shared_mount() {
	SHARED=$BATS_TEST_TMPDIR/shared
	mkdir -p "$SHARED/sub"
	mount --bind "$SHARED" "$SHARED"
	mount --make-shared "$SHARED"
}

# The host's mount table has a mount whose source is $MARK.
host_has_mark() { grep -q " $MARK " /proc/self/mountinfo; }

# bats test_tags=exercise:4-1
@test "step4-mnt: the mount, UTS, PID and network namespaces differ from the host's [--until 4]" {
	run_chain --until 4 sh -c 'for n in uts pid mnt net; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	refute_line "pid $(host_namespace pid)"
	refute_line "mnt $(host_namespace mnt)"
	refute_line "net $(host_namespace net)"
}

# bats test_tags=exercise:4-1
@test "step4-mnt: a tmpfs mounted inside is in the container's mount table [--until 4]" {
	run_chain --until 4 sh -c "mount -t tmpfs $MARK /mnt && grep -c ' /mnt .* $MARK ' /proc/self/mountinfo"
	assert_success
	assert_output 1
}

# bats test_tags=exercise:4-1
@test "step4-mnt: a tmpfs mounted inside is not in the host's mount table [--until 4]" {
	local before
	before=$(host_mounts)
	run_chain --until 4 sh -c "mount -t tmpfs $MARK /mnt"
	assert_success
	refute host_has_mark
	assert_equal "$(host_mounts)" "$before"
}

# bats test_tags=exercise:4-2
@test "step4-mnt: the host's shared mount is private inside [--until 4]" {
	make_shared_mount
	run_chain --until 4 grep " $SHARED " /proc/self/mountinfo
	assert_success
	refute_output --partial shared:
}

@test "step4-mnt: the test's mount is shared on the host (the control for the above)" {
	make_shared_mount
	run grep " $SHARED " /proc/self/mountinfo
	assert_success
	assert_output --partial shared:
}

# bats test_tags=exercise:4-2
@test "step4-mnt: no mount inside is shared [--until 4]" {
	make_shared_mount
	run_chain --until 4 cat /proc/self/mountinfo
	assert_success
	refute_output --partial shared:
	refute_output --partial master:
}

# bats test_tags=exercise:4-2
@test "step4-mnt: a mount under the host's shared mount does not propagate to the host [--until 4]" {
	make_shared_mount
	run_chain --until 4 mount -t tmpfs "$MARK" "$SHARED/sub"
	assert_success
	refute host_has_mark
}

@test "step4-mnt: a mount under a shared mount propagates from a mount namespace that is not private (the control)" {
	make_shared_mount
	run unshare --mount --propagation unchanged mount -t tmpfs "$MARK" "$SHARED/sub"
	assert_success
	assert host_has_mark
	umount "$SHARED/sub"
}

# bats test_tags=exercise:4-1,exercise:4-2
@test "step4-mnt: ./step4 alone keeps a mount under a shared mount from the host [./step4 --until 4]" {
	make_shared_mount
	run_step 4 --until 4 mount -t tmpfs "$MARK" "$SHARED/sub"
	assert_success
	refute host_has_mark
}

# bats test_tags=exercise:4-2
@test "step4-mnt: ./step4 alone makes every mount private [./step4 --until 4]" {
	make_shared_mount
	run_step 4 --until 4 cat /proc/self/mountinfo
	assert_success
	assert_output --partial " $SHARED "
	refute_output --partial shared:
}

# bats test_tags=exercise:4-1
@test "step4-mnt: ./step4 alone makes only a mount namespace [./step4 --until 4]" {
	run_step 4 --until 4 sh -c 'for n in uts pid mnt net; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	assert_line "uts $(host_namespace uts)"
	assert_line "pid $(host_namespace pid)"
	refute_line "mnt $(host_namespace mnt)"
	assert_line "net $(host_namespace net)"
}

# bats test_tags=exercise:4-1
@test "step4-mnt: the root is still the host's: a file made on the host is visible [--until 4]" {
	echo "$MARK" >"$BATS_TEST_TMPDIR/marker"
	run_chain --until 4 cat "$BATS_TEST_TMPDIR/marker"
	assert_success
	assert_output "$MARK"
}

# bats test_tags=exercise:4-2
@test "step4-mnt: a host file can still be bind-mounted inside, as step5 does for /dev/null [./step4 --until 4]" {
	touch "$BATS_TEST_TMPDIR/null"
	run_step 4 --until 4 sh -c "mount --bind /dev/null '$BATS_TEST_TMPDIR/null' && echo $MARK >'$BATS_TEST_TMPDIR/null' && wc -c <'$BATS_TEST_TMPDIR/null'"
	assert_success
	assert_output 0
}
