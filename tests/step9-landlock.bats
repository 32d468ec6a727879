#!/usr/bin/env bats
# step9-landlock: a Landlock ruleset, the chain's last layer: the workload
# reads everything, writes only under /tmp, /var/tmp, /run, /home, /root,
# /dev/shm, /dev/mqueue, /dev/pts and to a few /dev nodes, and executes
# only from /usr, /bin, /sbin, /lib and /lib64.
#
# The tests that need Landlock in the kernel skip, with that reason, only
# where the kernel truly lacks it (syscall-probe asks it for its ABI on the
# host); the step's path for such a kernel is tested there for real, and
# everywhere with fail-call (tests/probes/fail-call.c) making
# landlock_create_ruleset fail as such a kernel does.

load helpers

FAIL_CALL=$TEST_SKEL/usr/local/bin/fail-call
SYSCALL_PROBE=$TEST_SKEL/usr/local/bin/syscall-probe
VERSION_QUERY="landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)"

setup() {
	require_root
	if [ ! -x "$SYSCALL_PROBE" ] || [ ! -x "$FAIL_CALL" ]; then
		fail "no test skeleton: run make test-skel"
	fi
	HOST_STATE_BEFORE=$(host_state)
}

# The kernel's answer to the ABI query: "landlock_create_ruleset: OK" where
# it has Landlock, its strerror where it has not (ENOSYS, EOPNOTSUPP).
kernel_has_landlock() { "$SYSCALL_PROBE" landlock_create_ruleset >/dev/null; }
require_landlock() {
	local answer
	answer=$("$SYSCALL_PROBE" landlock_create_ruleset) && return 0
	skip "this kernel has no Landlock (landlock_create_ruleset: ${answer#*: })"
}

# --- what the workload may write ----------------------------------------------

@test "step9-landlock: /etc/passwd cannot be written" {
	require_landlock
	run_chain sh -c 'echo intruder >>/etc/passwd'
	assert_failure
	assert_output --partial "cannot create /etc/passwd: Permission denied"
}

@test "step9-landlock: no file can be made in /" {
	require_landlock
	run_chain touch /new
	assert_failure
	assert_output "touch: cannot touch '/new': Permission denied"
}

@test "step9-landlock: /etc/passwd can be written and a file made in / [--landlock off]" {
	run_chain --landlock off sh -c 'echo intruder >>/etc/passwd && touch /new && tail -n1 /etc/passwd'
	assert_success
	assert_output intruder
}

@test "step9-landlock: /etc/passwd can be written without step9 [--until 8]" {
	run_chain --until 8 sh -c 'echo intruder >>/etc/passwd && tail -n1 /etc/passwd'
	assert_success
	assert_output intruder
}

@test "step9-landlock: the workload writes, renames and removes under /tmp, /var/tmp, /run, /home, /root, /dev/shm" {
	require_landlock
	run_chain sh -c 'for d in /tmp /var/tmp /run /home /root /dev/shm; do
		mkdir $d/dir && echo x >$d/dir/f && mv $d/dir/f /tmp/moved && rm /tmp/moved && rmdir $d/dir || exit 1
	done; echo all written'
	assert_success
	assert_output "all written"
}

@test "step9-landlock: /dev/null, /dev/zero, /dev/full and /dev/urandom open for writing" {
	require_landlock
	run_chain sh -c 'exec 3>/dev/null 4>/dev/zero 5>/dev/full 6>/dev/urandom && echo opened'
	assert_success
	assert_output opened
}

@test "step9-landlock: a --device node opens for writing [--device /dev/null:/dev/sink]" {
	require_landlock
	run_chain --device /dev/null:/dev/sink sh -c 'echo x >/dev/sink && echo written'
	assert_success
	assert_output written
}

@test "step9-landlock: --landlock-write adds a path [--landlock-write /mnt]" {
	require_landlock
	run_chain --landlock-write /mnt sh -c 'touch /mnt/file && ls /mnt'
	assert_success
	assert_output file
}

@test "step9-landlock: /mnt cannot be written without --landlock-write" {
	require_landlock
	run_chain touch /mnt/file
	assert_failure
	assert_output "touch: cannot touch '/mnt/file': Permission denied"
}

@test "step9-landlock: a --landlock-write path missing from the root fails, naming the open [--landlock-write /srv]" {
	require_landlock
	run --separate-stderr "$STEPS/step1" --landlock-write /srv true
	assert_failure 125
	assert_equal "$stderr" 'step9-landlock: open("/srv", O_PATH|O_CLOEXEC): No such file or directory'
}

# --- what the workload may execute --------------------------------------------

@test "step9-landlock: a binary copied to /tmp does not execute" {
	require_landlock
	run_chain sh -c 'cp /usr/bin/true /tmp/true && /tmp/true'
	assert_failure 126
	assert_output --partial "/tmp/true: Permission denied"
}

@test "step9-landlock: a binary copied to /tmp executes [--landlock off]" {
	run_chain --landlock off sh -c 'cp /usr/bin/true /tmp/true && /tmp/true'
	assert_success
}

@test "step9-landlock: --landlock-exec adds a path [--landlock-exec /tmp]" {
	require_landlock
	run_chain --landlock-exec /tmp sh -c 'cp /usr/bin/true /tmp/true && /tmp/true'
	assert_success
}

# Landlock checks execve, not reads nor mmap: an interpreter reading a
# script, or the dynamic loader mapping a binary, runs what was written.
# A noexec mount stops the second (mmap with PROT_EXEC fails there).
@test "step9-landlock: a script in /tmp runs through sh, not by itself (a limit: reads are allowed)" {
	require_landlock
	run_chain sh -c 'printf "#!/bin/sh\necho ran\n" >/tmp/script && chmod +x /tmp/script
		/tmp/script; sh /tmp/script'
	assert_line --partial "/tmp/script: Permission denied"
	assert_line ran
}

@test "step9-landlock: a binary copied to /tmp runs through the dynamic loader (a limit: mmap is not checked)" {
	require_landlock
	run_chain sh -c 'cp /usr/bin/true /tmp/true && /lib64/ld-linux-x86-64.so.2 /tmp/true && echo ran'
	assert_success
	assert_output ran
}

# --- mounts --------------------------------------------------------------------

# Landlock refuses every mount to a confined process, as Docker's AppArmor
# profile does ("deny mount"): a third wall behind capabilities and seccomp.
@test "step9-landlock: mount fails even with CAP_SYS_ADMIN and no filter [--cap-add SYS_ADMIN --seccomp unconfined]" {
	require_landlock
	run_chain --cap-add SYS_ADMIN --seccomp unconfined mount -t tmpfs none /mnt
	assert_failure
	assert_output --partial "permission denied"
}

# --- -v, --landlock off, run on its own -------------------------------------

@test "step9-landlock: -v narrates the ABI query, the ruleset, each rule and landlock_restrict_self" {
	require_landlock
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	run grep '^step9-landlock: ' <<<"$stderr"
	assert_line --index 0 "step9-landlock: $VERSION_QUERY"
	assert_line --index 1 --regexp '^step9-landlock: Landlock ABI [1-9][0-9]*; rights of later ABIs left out: ([A-Z_|]+|none)$'
	assert_line --index 2 --regexp '^step9-landlock: landlock_create_ruleset\(\{\.handled_access_fs = EXECUTE\|WRITE_FILE\|READ_FILE\|READ_DIR\|[A-Z_|]+\}, 8, 0\)$'
	assert_line --index 3 'step9-landlock: open("/", O_PATH|O_CLOEXEC)'
	assert_line --index 4 --regexp '^step9-landlock: fstat\([0-9]+, &status\)$'
	assert_line --index 5 --regexp '^step9-landlock: landlock_add_rule\([0-9]+, LANDLOCK_RULE_PATH_BENEATH, \{\.allowed_access = READ_FILE\|READ_DIR, \.parent_fd = [0-9]+\}, 0\)$'
	assert_line 'step9-landlock: open("/tmp", O_PATH|O_CLOEXEC)'
	assert_line --regexp '^step9-landlock: landlock_add_rule\([0-9]+, LANDLOCK_RULE_PATH_BENEATH, \{\.allowed_access = EXECUTE\|READ_FILE\|READ_DIR, \.parent_fd = [0-9]+\}, 0\)$'
	assert_line --regexp '^step9-landlock: landlock_restrict_self\([0-9]+, 0\)$'
}

@test "step9-landlock: --landlock off is narrated and makes no ruleset [-v]" {
	run --separate-stderr "$STEPS/step1" -v --landlock off true
	assert_success
	[[ $stderr == *"step9-landlock: --landlock off: no Landlock ruleset"* ]]
	[[ $stderr != *"landlock_create_ruleset"* ]]
}

@test "step9-landlock: run on its own on the host, COMMAND is confined [./step9]" {
	require_landlock
	cp /usr/bin/true "$BATS_TEST_TMPDIR/true"
	run_step 9 sh -c "echo renamed >/proc/self/comm || echo refused; '$BATS_TEST_TMPDIR/true' || echo refused"
	assert_line --index 0 --partial "/proc/self/comm: Permission denied"
	assert_line --index 1 refused
	assert_line --partial "$BATS_TEST_TMPDIR/true: Permission denied"
}

# --- a kernel without Landlock -------------------------------------------------

@test "step9-landlock: a kernel built without Landlock: one line on stderr, COMMAND runs unconfined [fail-call landlock_create_ruleset ENOSYS]" {
	run --separate-stderr "$FAIL_CALL" landlock_create_ruleset ENOSYS "$STEPS/step1" \
		sh -c 'echo intruder >>/etc/passwd && echo written'
	assert_success
	assert_output written
	assert_equal "$stderr" "step9-landlock: this kernel has no Landlock, the workload runs without it: $VERSION_QUERY: Function not implemented"
}

@test "step9-landlock: Landlock not enabled at boot: one line on stderr, COMMAND runs unconfined [fail-call landlock_create_ruleset EOPNOTSUPP]" {
	run --separate-stderr "$FAIL_CALL" landlock_create_ruleset EOPNOTSUPP "$STEPS/step1" \
		sh -c 'echo intruder >>/etc/passwd && echo written'
	assert_success
	assert_output written
	assert_equal "$stderr" "step9-landlock: Landlock is not enabled in this kernel (its lsm= list), the workload runs without it: $VERSION_QUERY: Operation not supported"
}

@test "step9-landlock: any other failure of the ABI query is fatal, exit 125 [fail-call landlock_create_ruleset EPERM]" {
	run --separate-stderr "$FAIL_CALL" landlock_create_ruleset EPERM "$STEPS/step1" true
	assert_failure 125
	assert_equal "$stderr" "step9-landlock: $VERSION_QUERY: Operation not permitted"
}

@test "step9-landlock: this kernel has no Landlock: one line on stderr, COMMAND runs unconfined" {
	local answer
	! answer=$("$SYSCALL_PROBE" landlock_create_ruleset) ||
		skip "this kernel has Landlock: the fail-call tests stand in for one without"
	run --separate-stderr "$STEPS/step1" sh -c 'echo intruder >>/etc/passwd && echo written'
	assert_success
	assert_output written
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^step9-landlock: .*Landlock.*, the workload runs without it: [^:]+: ${answer#*: }\$"
}
