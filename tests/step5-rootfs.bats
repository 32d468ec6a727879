#!/usr/bin/env bats
# step5-rootfs: a tmpfs root with a copy of the skeleton, and pivot_root.

load helpers

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	MARK=bats-step5-$$-$BATS_TEST_NUMBER-$RANDOM
}

# A copy of the skeleton in $TEST_SKEL, with what `rsync -a` must keep:
# a hard link pair, a symlink to /etc/shadow (to be copied as a link, never
# followed), a set-user-ID file of another owner, a read-only directory,
# an old modification time, a directory of another owner.
make_test_skeleton() {
	TEST_SKEL=$BATS_TEST_TMPDIR/skel
	cp -a "$SKEL" "$TEST_SKEL"
	echo "$MARK" >"$TEST_SKEL/hard1"
	ln "$TEST_SKEL/hard1" "$TEST_SKEL/hard2"
	ln -s /etc/shadow "$TEST_SKEL/shadow-link"
	echo '#!/bin/sh' >"$TEST_SKEL/setuid"
	chown 1000:1000 "$TEST_SKEL/setuid"
	chmod 4750 "$TEST_SKEL/setuid"
	mkdir "$TEST_SKEL/readonly"
	echo "$MARK" >"$TEST_SKEL/readonly/file"
	chmod 555 "$TEST_SKEL/readonly"
	touch -d @1000000000 "$TEST_SKEL/old"
	mkdir "$TEST_SKEL/owned"
	chown 1000:1001 "$TEST_SKEL/owned"
	chmod 2770 "$TEST_SKEL/owned"
}

@test "step5-rootfs: the namespaces are those of step4: UTS, PID, mount and network differ from the host's [--until 5]" {
	run_chain --until 5 sh -c 'for n in uts pid mnt net; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	refute_line "pid $(host_namespace pid)"
	refute_line "mnt $(host_namespace mnt)"
	refute_line "net $(host_namespace net)"
}

# bats test_tags=exercise:5-1,exercise:5-2
@test "step5-rootfs: / is a tmpfs [--until 5]" {
	run_chain --until 5 stat -fc %T /
	assert_success
	assert_output tmpfs
}

@test "step5-rootfs: / is still the host's root filesystem [--until 4]" {
	run_chain --until 4 stat -fc %T /
	assert_success
	assert_output "$(stat -fc %T /)"
}

# bats test_tags=exercise:5-1
@test "step5-rootfs: / has 50M (51200 1K-blocks) [--until 5]" {
	run_chain --until 5 df -k /
	assert_success
	assert_line --regexp '^tmpfs +51200 '
}

# bats test_tags=exercise:5-1
@test "step5-rootfs: --rootfs-size 80M gives / 81920 1K-blocks [--until 5]" {
	run_chain --until 5 --rootfs-size 80M df -k /
	assert_success
	assert_line --regexp '^tmpfs +81920 '
}

# bats test_tags=exercise:5-1
@test "step5-rootfs: / is mounted nosuid,nodev [--until 5]" {
	run_chain --until 5 cat /proc/self/mountinfo
	assert_success
	run awk '$5 == "/" {print $6}' <<<"$output"
	assert_output --regexp '(^|,)nosuid(,|$)'
	assert_output --regexp '(^|,)nodev(,|$)'
}

# Every filesystem of the container where a process could make a device
# node is nodev: a node there does not open (tests/escapes.bats tries it).
# devpts makes its own nodes only, and the six nodes of /dev are bind
# mounts of the host's, which must open.
@test "step5-rootfs: /, /dev, /dev/shm, /dev/mqueue and /proc are mounted nodev [--until 5]" {
	run_chain --until 5 cat /proc/self/mountinfo
	assert_success
	run awk '$5 ~ "^(/|/dev|/dev/shm|/dev/mqueue|/proc)$" {print $5, $6}' <<<"$output"
	assert_equal "${#lines[@]}" 5
	local line
	for line in "${lines[@]}"; do
		[[ ${line#* } =~ (^|,)nodev(,|$) ]] || fail "not nodev: $line"
	done
}

# bats test_tags=exercise:5-2
@test "step5-rootfs: /etc/passwd is the skeleton's [--until 5]" {
	run_chain --until 5 cat /etc/passwd
	assert_success
	assert_output "$(cat "$SKEL/etc/passwd")"
}

@test "step5-rootfs: /etc/passwd is the host's [--until 4]" {
	run_chain --until 4 cat /etc/passwd
	assert_success
	assert_output "$(cat /etc/passwd)"
}

# bats test_tags=exercise:5-2
@test "step5-rootfs: the top of / lists the skeleton's entries [--until 5]" {
	run_chain --until 5 ls -A /
	assert_success
	assert_output "$(ls -A "$SKEL")"
}

@test "step5-rootfs: --skel copies a custom skeleton [--until 5]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" cat /readonly/file
	assert_success
	assert_output "$MARK"
}

@test "step5-rootfs: a hard link pair stays one inode with two links [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" stat -c '%i %h' /hard1 /hard2
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[0]}" "${lines[1]}"
	assert_output --regexp ' 2$'
}

@test "step5-rootfs: a symlink is copied as a link to its target [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" stat -c '%F %N' /shadow-link
	assert_success
	assert_output "symbolic link '/shadow-link' -> '/etc/shadow'"
}

@test "step5-rootfs: a symlink to /etc/shadow does not show the host's shadow [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" cat /shadow-link
	assert_failure
	assert_output --partial 'No such file or directory'
	refute_output --partial 'root:'
}

@test "step5-rootfs: a set-user-ID file keeps mode 4750 and owner 1000:1000 [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" stat -c '%a %u:%g' /setuid
	assert_success
	assert_output '4750 1000:1000'
}

@test "step5-rootfs: a directory keeps mode 2770 and owner 1000:1001 [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" stat -c '%a %u:%g' /owned
	assert_success
	assert_output '2770 1000:1001'
}

@test "step5-rootfs: a read-only directory keeps mode 555 and its contents [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" sh -c 'stat -c %a /readonly; ls /readonly'
	assert_success
	assert_output $'555\nfile'
}

@test "step5-rootfs: a file keeps its modification time [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --skel "$TEST_SKEL" stat -c %Y /old
	assert_success
	assert_output 1000000000
}

@test "step5-rootfs: the root keeps the skeleton's mode [--until 5]" {
	run_chain --until 5 stat -c %a /
	assert_success
	assert_output "$(stat -c %a "$SKEL")"
}

@test "step5-rootfs: /root keeps mode 700 [--until 5]" {
	run_chain --until 5 stat -c %a /root
	assert_success
	assert_output 700
}

@test "step5-rootfs: writing / inside leaves the skeleton unchanged [--until 5 --skel]" {
	make_test_skeleton
	local before
	before=$(cd "$TEST_SKEL" && find . -printf "%M %u %g %s %T@ %p %l\n" | sort | sha256sum)
	run_chain --until 5 --skel "$TEST_SKEL" sh -c 'echo changed >/etc/passwd && rm /hard1 && touch /new'
	assert_success
	assert_equal "$(cd "$TEST_SKEL" && find . -printf "%M %u %g %s %T@ %p %l\n" | sort | sha256sum)" "$before"
	assert_equal "$(cat "$TEST_SKEL/etc/passwd")" "$(cat "$SKEL/etc/passwd")"
}

# bats test_tags=exercise:5-2
@test "step5-rootfs: /oldroot does not exist [--until 5]" {
	run_chain --until 5 ls -d /oldroot
	assert_failure
}

# bats test_tags=exercise:5-2,exercise:5-3
@test "step5-rootfs: a file made on the host is not visible inside [--until 5]" {
	echo "$MARK" >"$BATS_TEST_TMPDIR/marker"
	run_chain --until 5 cat "$BATS_TEST_TMPDIR/marker"
	assert_failure
	refute_output "$MARK"
}

# bats test_tags=exercise:5-3
@test "step5-rootfs: the mounts inside are /, /dev and its nodes, and /proc only [--until 5]" {
	run_chain --until 5 cat /proc/self/mountinfo
	assert_success
	run sort <<<"$(cut -d' ' -f5 <<<"$output")"
	assert_output "$(printf '%s\n' / /dev /dev/full /dev/mqueue /dev/null /dev/pts /dev/random /dev/shm /dev/tty /dev/urandom /dev/zero /proc | sort)"
}

# bats test_tags=exercise:5-2
@test "step5-rootfs: /proc/1/root is the container's root [--until 5]" {
	run_chain --until 5 sh -c 'readlink /proc/1/root; cat /proc/1/root/etc/passwd'
	assert_success
	assert_output "$(printf '/\n%s' "$(cat "$SKEL/etc/passwd")")"
}

# bats test_tags=exercise:5-2,exercise:5-3
@test "step5-rootfs: the host sees the container's root through /proc/PID/root [--until 5]" {
	start_container --until 5 sh -c "sleep 100; : $MARK"
	wait_until 10 process_exists "^sh -c .*$MARK"
	local pid
	pid=$(pgrep -o -f "^sh -c .*$MARK")
	assert_equal "$(cat "/proc/$pid/root/etc/passwd")" "$(cat "$SKEL/etc/passwd")"
	refute [ -e "/proc/$pid/root$BATS_TEST_TMPDIR" ]
}

@test "step5-rootfs: /dev has the usual nodes, which work [--until 5]" {
	run_chain --until 5 sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c && ls /dev'
	assert_success
	assert_line 4
	for node in null zero full random urandom tty pts shm ptmx fd stdin stdout stderr; do
		assert_line "$node"
	done
}

@test "step5-rootfs: /dev has no host device beyond the usual [--until 5]" {
	run_chain --until 5 ls /dev
	assert_success
	refute_line vda
	refute_line mem
	refute_line kmsg
}

# bats test_tags=exercise:5-1
@test "step5-rootfs: a skeleton bigger than --rootfs-size fails with 125 and names the size [--until 5]" {
	run_chain --until 5 --rootfs-size 2M true
	assert_failure 125
	assert_line --partial 'No space left on device'
	assert_line --partial '--rootfs-size 2M'
}

@test "step5-rootfs: a skeleton with a device node fails with 2, one line naming the node [--until 5 --skel]" {
	make_test_skeleton
	mknod "$TEST_SKEL/dev/bad-null" c 1 3
	run --separate-stderr "$STEPS/step1" --until 5 --skel "$TEST_SKEL" true
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "step5-rootfs: --skel: dev/bad-null is a device node; a skeleton holds none"
}

# bats test_tags=exercise:5-2
@test "step5-rootfs: --overlay makes / an overlay of the skeleton [--until 5]" {
	run_chain --until 5 --overlay stat -fc %T /
	assert_success
	assert_output overlayfs
}

@test "step5-rootfs: --overlay keeps writes away from the skeleton [--until 5 --skel]" {
	make_test_skeleton
	run_chain --until 5 --overlay --skel "$TEST_SKEL" sh -c "echo changed >/etc/passwd && touch /$MARK && cat /etc/passwd"
	assert_success
	assert_output changed
	assert_equal "$(cat "$TEST_SKEL/etc/passwd")" "$(cat "$SKEL/etc/passwd")"
	refute [ -e "$TEST_SKEL/$MARK" ]
}

@test "step5-rootfs: ./step5 alone in the host's mount namespace refuses with 2 and one line [./step5]" {
	# Started on its own, step5 is in the caller's mount namespace (the
	# host's, or one it cannot tell from it): there pivot_root would
	# replace everyone's root.
	run --separate-stderr "$STEPS/step5" true
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	assert_output ""
	assert_equal "${stderr%%:*}" step5-rootfs
	assert [ "${stderr#*host\'s mount namespace}" != "$stderr" ]
}

@test "step5-rootfs: ./step4 --until 5 runs step5 in its own mount namespace [./step4]" {
	run_step 4 --until 5 stat -fc %T /
	assert_success
	assert_output tmpfs
}
