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

# A caller whose / is shared, as systemd makes it, is played by a throwaway
# mount namespace of the test's own (helpers.bash): the real host's mounts
# are never shared, mounted on or changed.
# bats test_tags=exercise:4-2
@test "step4-mnt: ./step4 alone: no mount inside is a peer or a slave of a caller whose / is shared [./step4 --until 4]" {
	in_shared_mount_namespace '"$STEPS/step4" --until 4 cat /proc/self/mountinfo'
	assert_success
	assert_line --regexp '^[0-9]+ [0-9]+ [^ ]+ / / '
	refute_output --partial shared:
	refute_output --partial master:
}

@test "step4-mnt: every mount of the throwaway caller is shared (the control for the above)" {
	in_shared_mount_namespace 'grep -v " shared:" /proc/self/mountinfo
		echo "shared: $(grep -c " shared:" /proc/self/mountinfo)"'
	assert_success
	assert_output --regexp '^shared: [1-9][0-9]*$'
}

# mount_after_start CONTAINER: in a throwaway caller whose / is shared, start
# CONTAINER (a command that runs the command line after it) with a script
# that waits for the caller to mount a tmpfs at $DIR/later, 5 s at most;
# print how many mounts there are at $DIR/later for the caller and inside.
# The script gets $DIR as its argument: COMMAND's environment is the
# chain's own (chain.c), without the caller's variables.
mount_after_start() {
	export DIR=$BATS_TEST_TMPDIR MARK
	mkdir "$DIR/later"
	cat >"$DIR/inside" <<-'EOF'
		touch "$1/started"
		for i in $(seq 50); do [ -e "$1/mounted" ] && break; sleep 0.1; done
		echo "inside: $(grep -c " $1/later " /proc/self/mountinfo)"
	EOF
	in_shared_mount_namespace "$1"' sh "$DIR/inside" "$DIR" &
		for i in $(seq 50); do [ -e "$DIR/started" ] && break; sleep 0.1; done
		mount -t tmpfs "$MARK" "$DIR/later"
		echo "caller: $(grep -c " $DIR/later " /proc/self/mountinfo)"
		touch "$DIR/mounted"
		wait $!'
}

# bats test_tags=exercise:4-2
@test "step4-mnt: ./step4 alone: a mount the caller makes after the container started does not appear inside, the caller's / being shared [./step4 --until 4]" {
	mount_after_start '"$STEPS/step4" --until 4'
	assert_success
	assert_output $'caller: 1\ninside: 0'
}

@test "step4-mnt: a mount the caller makes later appears in a mount namespace that is its slave (the control)" {
	mount_after_start 'unshare --mount --propagation slave'
	assert_success
	assert_output $'caller: 1\ninside: 1'
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
