#!/usr/bin/env bats
# step8-seccomp: a deny list of system calls, loaded last before COMMAND.
#
# Most tests run syscall-probe (tests/helpers/syscalls.c) inside the
# container, from the test skeleton (make test-skel). Its arguments make
# the kernel answer something other than EPERM when no filter is loaded, so
# an EPERM proves the filter, not a missing capability; the calls whose
# capability the kernel checks first are compared with that capability
# added (PROBE_CAPS).

load helpers


# Every call the filter refuses with EPERM, as syscall-probe names them.
DENIED=(mount umount2 pivot_root unshare setns
	clone-newns clone-newuts clone-newipc clone-newuser clone-newpid clone-newnet clone-newcgroup
	keyctl add_key request_key init_module finit_module delete_module kexec_load kexec_file_load
	reboot swapon swapoff acct quotactl syslog vhangup mbind set_mempolicy move_pages
	migrate_pages iopl ioperm clock_settime clock_adjtime settimeofday adjtimex
	open_by_handle_at name_to_handle_at bpf perf_event_open userfaultfd lookup_dcookie
	personality getpid-i386 getpid-x32)

# The capabilities the kernel checks before the arguments in those calls
# (open_by_handle_at checks CAP_DAC_READ_SEARCH first on kernels before 6.10).
PROBE_CAPS=(--cap-add SYS_ADMIN --cap-add SYS_BOOT --cap-add SYS_MODULE --cap-add SYS_PACCT
	--cap-add SYSLOG --cap-add SYS_TTY_CONFIG --cap-add DAC_READ_SEARCH)

setup() {
	require_root
	[ -x "$TEST_SKEL/usr/local/bin/syscall-probe" ] || fail "no test skeleton: run make test-skel"
	HOST_STATE_BEFORE=$(host_state)
}

# probe_all [CHAIN OPTIONS...]: every denied call in one container, one
# line of syscall-probe output each.
probe_all() {
	run_chain --skel "$TEST_SKEL" "$@" sh -c 'for name; do syscall-probe "$name"; done' sh "${DENIED[@]}"
}

# The lines of $output that do not end in MESSAGE.
lines_without() { printf '%s\n' "${lines[@]}" | grep -v ": $1\$" || true; }

@test "step8-seccomp: Seccomp is 2 (filter) in /proc/self/status" {
	run_chain grep '^Seccomp:' /proc/self/status
	assert_success
	assert_output --regexp '^Seccomp:[[:space:]]+2$'
}

@test "step8-seccomp: every denied call fails with EPERM" {
	probe_all
	assert_equal "${#lines[@]}" "${#DENIED[@]}"
	assert_equal "$(lines_without 'Operation not permitted')" ""
}

@test "step8-seccomp: every denied call fails with EPERM even with the capabilities it needs [--cap-add]" {
	probe_all "${PROBE_CAPS[@]}"
	assert_equal "${#lines[@]}" "${#DENIED[@]}"
	assert_equal "$(lines_without 'Operation not permitted')" ""
}

@test "step8-seccomp: no denied call fails with EPERM without the filter [--seccomp unconfined --cap-add]" {
	probe_all --seccomp unconfined "${PROBE_CAPS[@]}"
	assert_equal "${#lines[@]}" "${#DENIED[@]}"
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep 'Operation not permitted' || true)" ""
}

@test "step8-seccomp: clone3 fails with ENOSYS, so that libc falls back to clone" {
	run_chain --skel "$TEST_SKEL" syscall-probe clone3
	assert_failure 1
	assert_output "clone3: Function not implemented"
}

@test "step8-seccomp: clone3 fails with EINVAL (its size 0) [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe clone3
	assert_failure 1
	assert_output "clone3: Invalid argument"
}

@test "step8-seccomp: clone without namespace flags works" {
	run_chain --skel "$TEST_SKEL" syscall-probe clone
	assert_success
	assert_output "clone: OK"
}

@test "step8-seccomp: the shell runs subprocesses and pipelines" {
	run_chain sh -c 'echo $(echo nested) | cat; bash -c "echo from bash"'
	assert_success
	assert_line nested
	assert_line "from bash"
}

@test "step8-seccomp: ordinary work runs: ls, ps, ping" {
	run_chain sh -c 'ls / >/dev/null && ps -e >/dev/null && ping -c1 -W2 192.168.47.11 >/dev/null && echo done'
	assert_success
	assert_output "done"
}

@test "step8-seccomp: unshare of a user namespace fails" {
	run_chain --skel "$TEST_SKEL" syscall-probe unshare
	assert_failure 1
	assert_output "unshare: Operation not permitted"
}

@test "step8-seccomp: unshare of a user namespace succeeds, it needs no capability [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe unshare
	assert_success
	assert_output "unshare: OK"
}

@test "step8-seccomp: unshare -U from the skeleton fails" {
	run_chain unshare -U true
	assert_failure
	assert_output --partial "Operation not permitted"
}

@test "step8-seccomp: mount -t tmpfs fails even with CAP_SYS_ADMIN [--cap-add SYS_ADMIN]" {
	run_chain --cap-add SYS_ADMIN mount -t tmpfs none /mnt
	assert_failure
}

@test "step8-seccomp: mount -t tmpfs succeeds with CAP_SYS_ADMIN [--seccomp unconfined --cap-add SYS_ADMIN]" {
	run_chain --seccomp unconfined --cap-add SYS_ADMIN mount -t tmpfs none /mnt
	assert_success
}

@test "step8-seccomp: personality succeeds with Docker's values 0x0 0x8 0x20000 0x20008 0xffffffff" {
	run_chain --skel "$TEST_SKEL" sh -c \
		'for v in 0x0 0x8 0x20000 0x20008 0xffffffff; do echo "$v $(syscall-probe personality $v)"; done'
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -v 'personality: OK$' || true)" ""
}

@test "step8-seccomp: personality fails with EPERM for any other value" {
	run_chain --skel "$TEST_SKEL" sh -c \
		'for v in 0x1 0x9 0x20009 0x40000 0x400000 0x100000 0x20048 0x7fffffff 0x80000000 0xfffffffe 0xfffdffff; do
			echo "$v $(syscall-probe personality $v)"
		done'
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -v 'Operation not permitted$' || true)" ""
}

@test "step8-seccomp: i386 and x32 system calls fail with EPERM, even getpid" {
	run_chain --skel "$TEST_SKEL" sh -c 'syscall-probe getpid-i386; syscall-probe getpid-x32'
	assert_line "getpid-i386: Operation not permitted"
	assert_line "getpid-x32: Operation not permitted"
}

@test "step8-seccomp: an i386 getpid succeeds [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe getpid-i386
	assert_success
	assert_output "getpid-i386: OK"
}

@test "step8-seccomp: Seccomp is 0 [--seccomp unconfined]" {
	run_chain --seccomp unconfined grep '^Seccomp:' /proc/self/status
	assert_success
	assert_output --regexp '^Seccomp:[[:space:]]+0$'
}

@test "step8-seccomp: --seccomp unconfined is narrated [-v]" {
	run --separate-stderr "$STEPS/step1" -v --seccomp unconfined true
	assert_success
	[[ $stderr == *"step8-seccomp: --seccomp unconfined: no system call filter"* ]]
	[[ $stderr != *"step8-seccomp: deny "* ]]
}

@test "step8-seccomp: each rule is narrated as it is added, stime skipped on x86_64 [-v]" {
	[ "$(uname -m)" = x86_64 ] || skip "stime is a system call here"
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	[[ $stderr == *"step8-seccomp: deny mount: EPERM"* ]]
	[[ $stderr == *"step8-seccomp: deny clone3: ENOSYS"* ]]
	[[ $stderr == *"step8-seccomp: deny clone with CLONE_NEWUSER: EPERM"* ]]
	[[ $stderr == *"step8-seccomp: skip stime: not a system call on this architecture"* ]]
}

@test "step8-seccomp: --seccomp foo exits 2 with one line" {
	run --separate-stderr "$STEPS/step1" --seccomp foo true
	assert_equal "$status" 2
	assert_equal "$stderr" "step1-uts: --seccomp: 'foo' is not understood (only 'unconfined') (see step1-uts --help)"
}

@test "step8-seccomp: run on its own on the host, COMMAND is filtered [./step8]" {
	run_step 8 sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
	assert_success
	assert_line --regexp '^NoNewPrivs:[[:space:]]+1$'
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
}

@test "step8-seccomp: run on its own, it sets no_new_privs itself [./step8 -v]" {
	[ "$(awk '/^NoNewPrivs:/ {print $2}' /proc/self/status)" = 0 ] || skip "the test runs with no_new_privs set"
	run --separate-stderr "$STEPS/step8" -v true
	assert_success
	[[ $stderr == *"step8-seccomp: prctl(PR_SET_NO_NEW_PRIVS, 1)"* ]]
}
