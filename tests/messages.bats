#!/usr/bin/env bats
# One text per call: the line a step narrates before a kernel call (-v) is
# the line its failure reports, with strerror after it. Each test makes one
# real call fail on purpose with fail-call (tests/probes/fail-call.c: a
# seccomp filter on the test's own processes that answers an errno to one
# named call), then checks that the error line repeats the last line the
# step narrated, word for word, and that the step exits 125.

load helpers

FAIL_CALL=$TEST_SKEL/usr/local/bin/fail-call

# run_failing CALL[:ARG0] ERRNO N [ARGS...]: ./stepN -v ARGS with CALL
# failing; output, stderr and status as bats' run --separate-stderr.
run_failing() {
	[ -x "$FAIL_CALL" ] || fail "no $FAIL_CALL: run make test-skel"
	local call=$1 error=$2 step=$3
	shift 3
	run --separate-stderr "$FAIL_CALL" "$call" "$error" "$STEPS/step$step" -v "$@"
	echo "# fail-call $call $error step$step -v $* -> status $status"
	local line
	while IFS= read -r line; do echo "# stderr: $line"; done <<<"$stderr"
}

# assert_error_repeats_narration STEP CALL REASON: stderr has one error line
# "STEP: <text>: REASON", the last line STEP printed before it is
# "STEP: <text>", <text> is CALL, and the status is 125.
assert_error_repeats_narration() {
	local step=$1 call=$2 reason=$3 i error=-1 narrated=-1
	local -a lines
	mapfile -t lines <<<"$stderr"
	for i in "${!lines[@]}"; do
		if [[ ${lines[i]} == "$step: "*": $reason" ]]; then
			[ "$error" -eq -1 ] || fail "two error lines: ${lines[error]} / ${lines[i]}"
			error=$i
		fi
	done
	[ "$error" -ge 0 ] || fail "no line '$step: ...: $reason' on stderr"
	for ((i = error - 1; i >= 0; i--)); do
		if [[ ${lines[i]} == "$step: "* ]]; then
			narrated=$i
			break
		fi
	done
	[ "$narrated" -ge 0 ] || fail "$step narrated nothing before its error"
	assert_equal "${lines[error]}" "${lines[narrated]}: $reason"
	assert_equal "${lines[narrated]}" "$step: $call"
	assert_equal "$status" 125
}

@test "step1-uts: a failed sethostname reports the narrated call [fail-call sethostname EPERM]" {
	run_failing sethostname EPERM 1 --until 1 true
	assert_error_repeats_narration step1-uts 'sethostname("mycontainer", 11)' "Operation not permitted"
}

@test "step1-uts: without -v, the failed call is the one line on stderr [fail-call sethostname EPERM]" {
	[ -x "$FAIL_CALL" ] || fail "no $FAIL_CALL: run make test-skel"
	run --separate-stderr "$FAIL_CALL" sethostname EPERM "$STEPS/step1" --until 1 true
	assert_equal "$status" 125
	assert_equal "$stderr" 'step1-uts: sethostname("mycontainer", 11): Operation not permitted'
}

@test "step1-uts: fail-call fails only the call and argument it names (the control) [unshare:CLONE_NEWNS]" {
	# step1 unshares CLONE_NEWUTS and CLONE_NEWIPC, never CLONE_NEWNS.
	run_failing unshare:0x00020000 EPERM 1 --until 1 hostname
	assert_success
	assert_output mycontainer
}

@test "step2-pid: a failed unshare reports the narrated call [fail-call unshare:CLONE_NEWPID EPERM]" {
	run_failing unshare:0x20000000 EPERM 2 --until 2 true
	assert_error_repeats_narration step2-pid 'unshare(CLONE_NEWPID)' "Operation not permitted"
}

@test "step2-pid: PID 1's failed call reaches stderr through the supervisor, status 125 [fail-call unshare:CLONE_NEWNS EPERM]" {
	run_failing unshare:0x00020000 EPERM 1 --until 2 true
	assert_error_repeats_narration step2-pid 'unshare(CLONE_NEWNS)' "Operation not permitted"
}

@test "step3-net: a failed unshare reports the narrated call [fail-call unshare:CLONE_NEWNET EPERM]" {
	run_failing unshare:0x40000000 EPERM 3 --until 3 true
	assert_error_repeats_narration step3-net 'unshare(CLONE_NEWNET)' "Operation not permitted"
}

@test "step3-net: a failed netlink socket reports the narrated call [fail-call socket:AF_NETLINK EACCES]" {
	run_failing socket:16 EACCES 3 --until 3 true
	assert_error_repeats_narration step3-net \
		"socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) for the host's namespace" \
		"Permission denied"
}

@test "step4-mnt: a failed unshare reports the narrated call [fail-call unshare:CLONE_NEWNS EPERM]" {
	run_failing unshare:0x00020000 EPERM 4 --until 4 true
	assert_error_repeats_narration step4-mnt 'unshare(CLONE_NEWNS)' "Operation not permitted"
}

@test "step5-rootfs: a failed pivot_root reports the narrated call, then its hint [fail-call pivot_root EINVAL]" {
	run_failing pivot_root EINVAL 1 --until 5 true
	assert_error_repeats_narration step5-rootfs 'pivot_root(".", ".")' "Invalid argument"
	# The hint is step5's last line (the supervisor may narrate after it).
	assert_equal "$(grep '^step5-rootfs: ' <<<"$stderr" | tail -1)" "step5-rootfs: hint: is / a shared mount? step4 makes it private"
}

@test "step5-rootfs: a failed umount2 reports the narrated call, its flag by name [fail-call umount2 EINVAL]" {
	run_failing umount2 EINVAL 1 --until 5 true
	assert_error_repeats_narration step5-rootfs 'umount2(".", MNT_DETACH)' "Invalid argument"
}

@test "step6-caps: a failed bounding-set drop reports the narrated call [fail-call prctl:PR_CAPBSET_DROP EPERM]" {
	run_failing prctl:24 EPERM 6 --until 6 true
	assert_error_repeats_narration step6-caps 'prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH)' \
		"Operation not permitted"
}

@test "step6-caps: a failed capset reports the narrated cap_set_proc and its sets [fail-call capset EPERM]" {
	run_failing capset EPERM 6 --until 6 true
	assert_error_repeats_narration step6-caps \
		'cap_set_proc("cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service,cap_net_raw,cap_sys_chroot,cap_mknod,cap_audit_write,cap_setfcap=ep")' \
		"Operation not permitted"
}

@test "step6-caps: a failed no_new_privs reports the narrated call [fail-call prctl:PR_SET_NO_NEW_PRIVS EPERM]" {
	run_failing prctl:38 EPERM 6 --until 6 true
	assert_error_repeats_narration step6-caps 'prctl(PR_SET_NO_NEW_PRIVS, 1)' "Operation not permitted"
}

# step7 alone, on the host: its first mkdirat is the cgroup's parent (the
# supervisor's mkdir is another call). v1: in the memory hierarchy first.
@test "step7-cgroup: a failed mkdir reports the narrated call [fail-call mkdirat EACCES]" {
	local parent=memory/under-the-hood
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || parent=under-the-hood
	run_failing mkdirat EACCES 7 true
	assert_error_repeats_narration step7-cgroup "mkdir(\"/sys/fs/cgroup/$parent\", 0755)" \
		"Permission denied"
}

@test "step8-seccomp: a failed no_new_privs reports the narrated call [fail-call prctl:PR_SET_NO_NEW_PRIVS EPERM]" {
	[ "$(awk '/^NoNewPrivs:/ {print $2}' /proc/self/status)" = 0 ] || skip "the test runs with no_new_privs set"
	run_failing prctl:38 EPERM 8 --until 8 true
	assert_error_repeats_narration step8-seccomp 'prctl(PR_SET_NO_NEW_PRIVS, 1)' "Operation not permitted"
}

# libseccomp takes seccomp(2)'s EFAULT for a NULL program as the sign that
# the kernel has the call (any other answer, and it falls back to prctl):
# EFAULT for every SECCOMP_SET_MODE_FILTER makes the real load fail too.
@test "step8-seccomp: a failed filter load reports the narrated seccomp_load [fail-call seccomp:SECCOMP_SET_MODE_FILTER EFAULT]" {
	run_failing seccomp:1 EFAULT 8 --until 8 true
	assert_error_repeats_narration step8-seccomp 'seccomp_load(filter)' "Bad address"
}

# step9 alone, on the host. Its descriptors' numbers depend on what the
# test's shell has open: the narrated call is read from stderr first.
landlock_in_kernel() { "$TEST_SKEL/usr/local/bin/syscall-probe" landlock_create_ruleset >/dev/null; }

@test "step9-landlock: a failed landlock_add_rule reports the narrated call [fail-call landlock_add_rule EINVAL]" {
	landlock_in_kernel || skip "this kernel has no Landlock"
	run_failing landlock_add_rule EINVAL 9 true
	local call
	call=$(grep -o -m1 'landlock_add_rule([0-9]*, LANDLOCK_RULE_PATH_BENEATH, {.allowed_access = READ_FILE|READ_DIR, .parent_fd = [0-9]*}, 0)' <<<"$stderr")
	assert_error_repeats_narration step9-landlock "$call" "Invalid argument"
}

@test "step9-landlock: a failed landlock_restrict_self reports the narrated call, then its hint [fail-call landlock_restrict_self EPERM]" {
	landlock_in_kernel || skip "this kernel has no Landlock"
	run_failing landlock_restrict_self EPERM 9 true
	local call
	call=$(grep -o -m1 'landlock_restrict_self([0-9]*, 0)' <<<"$stderr")
	assert_error_repeats_narration step9-landlock "$call" "Operation not permitted"
	assert_equal "${stderr##*$'\n'}" "step9-landlock: hint: no_new_privs is not set (step6 sets it) and CAP_SYS_ADMIN is missing"
}
