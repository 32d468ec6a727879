#!/usr/bin/env bats
# step8-seccomp: Docker's allow list of system calls, loaded last before
# COMMAND: EPERM for every call not on it, ENOSYS for calls newer than it.
#
# Most tests run syscall-probe (tests/probes/syscalls.c) inside the
# container, from the test skeleton (make test-skel). Its arguments make
# the kernel answer something other than EPERM when no filter is loaded, so
# an EPERM proves the filter, not a missing capability; the calls whose
# capability the kernel checks first are compared with that capability
# added (PROBE_CAPS).

load helpers


# Every call the filter refuses with EPERM, as syscall-probe names them:
# the calls Docker's profile refuses a container with the default
# capabilities, three it allows and step8 does not (adjtimex,
# clock_adjtime, name_to_handle_at), calls with refused arguments, and a
# number that is no system call at all (future-1000).
DENIED=(mount umount2 pivot_root unshare setns
	clone-newns clone-newuts clone-newipc clone-newuser clone-newpid clone-newnet clone-newcgroup
	keyctl add_key request_key init_module finit_module delete_module kexec_load kexec_file_load
	reboot swapon swapoff acct quotactl syslog vhangup mbind set_mempolicy move_pages
	migrate_pages iopl ioperm clock_settime clock_adjtime settimeofday adjtimex
	open_by_handle_at name_to_handle_at bpf perf_event_open userfaultfd lookup_dcookie
	personality getpid-i386 getpid-x32
	io_uring_setup kcmp set_mempolicy_home_node future-1000
	socket-vsock socket-vsock-high socket-alg ioctl-tiocsti ioctl-tiocsti-high)

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

# bats test_tags=exercise:8-1,exercise:8-3
@test "step8-seccomp: Seccomp is 2 (filter) in /proc/self/status" {
	run_chain grep '^Seccomp:' /proc/self/status
	assert_success
	assert_output --regexp '^Seccomp:[[:space:]]+2$'
}

# bats test_tags=exercise:8-1,exercise:8-2,exercise:8-3
@test "step8-seccomp: every denied call fails with EPERM" {
	probe_all
	assert_equal "${#lines[@]}" "${#DENIED[@]}"
	assert_equal "$(lines_without 'Operation not permitted')" ""
}

# bats test_tags=exercise:8-1,exercise:8-3
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

# --- calls Docker's list does not allow, and calls newer than it ---------

# bats test_tags=exercise:8-1,exercise:8-3
@test "step8-seccomp: io_uring_setup, kcmp and set_mempolicy_home_node fail with EPERM" {
	run_chain --skel "$TEST_SKEL" sh -c 'for c in io_uring_setup kcmp set_mempolicy_home_node; do syscall-probe $c; done'
	assert_output "io_uring_setup: Operation not permitted
kcmp: Operation not permitted
set_mempolicy_home_node: Operation not permitted"
}

@test "step8-seccomp: io_uring_setup, kcmp and set_mempolicy_home_node reach the kernel [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined sh -c \
		'for c in io_uring_setup kcmp set_mempolicy_home_node; do syscall-probe $c; done'
	assert_line "io_uring_setup: Bad address"
	assert_line "kcmp: No such process"
	assert_line --regexp '^set_mempolicy_home_node: (OK|Function not implemented)$'
}

@test "step8-seccomp: io_uring_setup, kcmp and set_mempolicy_home_node reach the kernel [--until 5]" {
	run_chain --until 5 --skel "$TEST_SKEL" sh -c \
		'for c in io_uring_setup kcmp set_mempolicy_home_node; do syscall-probe $c; done'
	assert_line "io_uring_setup: Bad address"
	assert_line "kcmp: No such process"
	assert_line --regexp '^set_mempolicy_home_node: (OK|Function not implemented)$'
}

@test "step8-seccomp: a number no kernel has given yet (500) fails with ENOSYS, so that libc falls back" {
	run_chain --skel "$TEST_SKEL" syscall-probe future-500
	assert_failure 1
	assert_output "future-500: Function not implemented"
}

# bats test_tags=exercise:8-1
@test "step8-seccomp: a made-up number above the kernel's range (1000) fails with EPERM" {
	run_chain --skel "$TEST_SKEL" syscall-probe future-1000
	assert_failure 1
	assert_output "future-1000: Operation not permitted"
}

@test "step8-seccomp: a made-up number (1000) fails with ENOSYS from the kernel [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe future-1000
	assert_failure 1
	assert_output "future-1000: Function not implemented"
}

# file_getattr came with Linux 6.17, after the list (Linux 6.13).
@test "step8-seccomp: file_getattr, newer than the list, fails with ENOSYS where the kernel has it" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe file_getattr
	[ "$output" != "file_getattr: Function not implemented" ] || skip "this kernel predates file_getattr (6.17)"
	assert_output "file_getattr: Invalid argument"
	run_chain --skel "$TEST_SKEL" syscall-probe file_getattr
	assert_failure 1
	assert_output "file_getattr: Function not implemented"
}

# Docker's list allows listmount and statmount (Linux 6.8); a libseccomp
# that does not know them cannot allow them, and they count as newer.
@test "step8-seccomp: listmount and statmount fail with ENOSYS where the kernel has them and libseccomp does not" {
	run --separate-stderr "$STEPS/step1" -v true
	[[ $stderr == *"step8-seccomp: skip listmount: unknown to libseccomp"* ]] ||
		skip "this libseccomp knows listmount: it is allowed, as in Docker"
	run_chain --skel "$TEST_SKEL" --seccomp unconfined sh -c 'syscall-probe listmount; syscall-probe statmount'
	[ "${lines[0]}" != "listmount: Function not implemented" ] || skip "this kernel predates listmount (6.8)"
	assert_output "listmount: Bad address
statmount: Bad address"
	run_chain --skel "$TEST_SKEL" sh -c 'syscall-probe listmount; syscall-probe statmount'
	assert_output "listmount: Function not implemented
statmount: Function not implemented"
}

# A process can only take rights away from itself with Landlock.
@test "step8-seccomp: landlock_create_ruleset reaches the kernel, as in Docker's list" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined syscall-probe landlock_create_ruleset
	local unconfined=$output
	refute_output --partial "Operation not permitted"
	run_chain --skel "$TEST_SKEL" syscall-probe landlock_create_ruleset
	assert_output "$unconfined"
}

# --- rules on arguments --------------------------------------------------

@test "step8-seccomp: socket works for AF_INET, fails with EPERM for AF_VSOCK, also with a high bit set" {
	run_chain --skel "$TEST_SKEL" sh -c 'for c in socket-inet socket-vsock socket-vsock-high socket-alg; do syscall-probe $c; done'
	assert_output "socket-inet: OK
socket-vsock: Operation not permitted
socket-vsock-high: Operation not permitted
socket-alg: Operation not permitted"
}

# The kernel reads socket's family as an int: 0x100000028 is AF_VSOCK.
@test "step8-seccomp: AF_VSOCK with a high bit set reaches the kernel as AF_VSOCK [--seccomp unconfined]" {
	run_chain --skel "$TEST_SKEL" --seccomp unconfined sh -c 'syscall-probe socket-vsock; syscall-probe socket-vsock-high'
	assert_equal "${lines[0]#socket-vsock: }" "${lines[1]#socket-vsock-high: }"
	refute_output --partial "Operation not permitted"
}

# bats test_tags=exercise:8-2
@test "step8-seccomp: ioctl works, TIOCSTI fails with EPERM, also with a high bit set" {
	run_chain --skel "$TEST_SKEL" sh -c 'for c in ioctl-tcgets ioctl-tiocsti ioctl-tiocsti-high; do syscall-probe $c; done'
	assert_output "ioctl-tcgets: Bad file descriptor
ioctl-tiocsti: Operation not permitted
ioctl-tiocsti-high: Operation not permitted"
}

@test "step8-seccomp: clone without namespace flags works" {
	run_chain --skel "$TEST_SKEL" syscall-probe clone
	assert_success
	assert_output "clone: OK"
}

# bats test_tags=exercise:8-1,exercise:8-2
@test "step8-seccomp: the shell runs subprocesses and pipelines" {
	run_chain sh -c 'echo $(echo nested) | cat; bash -c "echo from bash"'
	assert_success
	assert_line nested
	assert_line "from bash"
}

# bats test_tags=exercise:8-2
@test "step8-seccomp: ordinary work runs: ls, ps, ping" {
	run_chain sh -c 'ls / >/dev/null && ps -e >/dev/null && ping -c1 -W2 192.168.47.11 >/dev/null && echo done'
	assert_success
	assert_output "done"
}

# bats test_tags=exercise:8-2
@test "step8-seccomp: the skeleton's other tools run: cp, chmod, ln, dd, stat, mount, findmnt, ip, df, id" {
	run_chain bash -c 'set -e; cd /tmp; echo data >a; cp a b; chmod 600 b; ln -s b c; mkdir d; mv c d/
		dd if=/dev/zero of=e bs=1k count=4 status=none; touch -d @0 e; chown 1:1 e
		stat -c "%a %s" b d/c e; readlink d/c; rm -r d e; mkdir f; rmdir f
		mount >/dev/null; findmnt / >/dev/null; ip -br link >/dev/null; ip route >/dev/null
		df / >/dev/null; id -u; hostname; uname -s; seq 2 | tail -1; sleep 0.1; kill -0 $$; echo done'
	assert_success
	assert_output "600 5
777 1
644 4096
b
0
mycontainer
Linux
2
done"
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

# bats test_tags=exercise:8-3
@test "step8-seccomp: mount -t tmpfs fails even with CAP_SYS_ADMIN [--cap-add SYS_ADMIN]" {
	run_chain --cap-add SYS_ADMIN mount -t tmpfs none /mnt
	assert_failure
}

# The control: step9's Landlock refuses every mount too (step9-landlock.bats).
@test "step8-seccomp: mount -t tmpfs succeeds with CAP_SYS_ADMIN [--seccomp unconfined --cap-add SYS_ADMIN --landlock off]" {
	run_chain --seccomp unconfined --cap-add SYS_ADMIN --landlock off mount -t tmpfs none /mnt
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

# bats test_tags=exercise:8-1
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
	[[ $stderr != *"step8-seccomp: allow "* ]]
}

@test "step8-seccomp: the rules are narrated as they are added [-v]" {
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	[[ $stderr == *"step8-seccomp: seccomp_init(SCMP_ACT_ERRNO(EPERM))"* ]]
	[[ $stderr =~ "step8-seccomp: allow "[0-9]+" calls of Docker's list ("[0-9]+" more are not system calls on this architecture)" ]]
	[[ $stderr =~ "step8-seccomp: refuse "[0-9]+"..511 with ENOSYS: newer than the list" ]]
	[[ $stderr == *"step8-seccomp: skip name_to_handle_at: refused here, though Docker allows it"* ]]
	[[ $stderr == *"step8-seccomp: allow clone if flags & 0x7e020000 (the CLONE_NEW* flags) == 0"* ]]
	[[ $stderr == *"step8-seccomp: refuse clone3 with ENOSYS"* ]]
	[[ $stderr == *"step8-seccomp: allow socket for families 0 to 63 but AF_ALG (38) and AF_VSOCK (40)"* ]]
}

@test "step8-seccomp: a name of Docker's list that libseccomp does not know is skipped, not fatal [-v]" {
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	# Docker's list has calls of Linux 6.13 (setxattrat); libseccomp 2.5 knows those of 6.7 at most.
	local version
	version=$(sed -n 's/.*step8-seccomp: skip setxattrat: unknown to libseccomp \([0-9.]*\)$/\1/p' <<<"$stderr")
	[ -n "$version" ] || skip "this libseccomp knows every call of the list"
	[[ $version == 2.* ]]
}

@test "step8-seccomp: --seccomp foo exits 2 with one line" {
	run --separate-stderr "$STEPS/step1" --seccomp foo true
	assert_equal "$status" 2
	assert_equal "$stderr" "step1-uts: --seccomp: 'foo' is not understood (only 'unconfined') (see step1-uts --help)"
}

# bats test_tags=exercise:8-3
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
