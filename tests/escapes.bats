#!/usr/bin/env bats
# escapes: the classic container escapes, each tried harmlessly by
# escape-probe (tests/probes/escape.c) inside the container, from the test
# skeleton (make test-skel).
#
# Each escape is tried twice: in the talk's container (--until 5: root with
# every capability, no seccomp filter, no cgroup), where it works unless the
# layout of steps 1-5 already stops it, and in the full chain, where it must
# fail. Where two layers of the full chain stop the same escape with the
# same EPERM, a third test takes one away (--seccomp unconfined, --cap-add)
# to show which layer answers. TUTORIAL.md, "What the talk's container still
# leaks", has the table.

load helpers


setup() {
	require_root
	[ -x "$TEST_SKEL/usr/local/bin/escape-probe" ] || fail "no test skeleton: run make test-skel"
	HOST_STATE_BEFORE=$(host_state)
	# A file only the host has: an escape that reaches it reached the host.
	MARKER=$BATS_TEST_TMPDIR/host-marker
	echo "on the host" >"$MARKER"
}

# escape [CHAIN OPTIONS...] -- NAME [ARGUMENTS...]: escape-probe NAME in the
# container.
escape() {
	local options=()
	while [ "$1" != -- ]; do
		options+=("$1")
		shift
	done
	shift
	run_chain "${options[@]}" --skel "$TEST_SKEL" escape-probe "$@"
}

# The host's root disk, major:minor. Where / is on no block device (the VM's
# initramfs), loop0's number (7:0) stands in: nodev refuses the open before
# the kernel looks for the device, so any block device number shows it.
root_disk() {
	local number
	number=$(mountpoint -d /)
	if [ "${number%%:*}" = 0 ]; then
		number=7:0
	fi
	echo "$number"
}

# --- shocker: open_by_handle_at ---------------------------------------------

@test "escapes: shocker (open_by_handle_at) works in the talk's container [--until 5]" {
	escape --until 5 -- shocker /etc/passwd
	assert_success
	assert_output --regexp '^shocker: ESCAPED \(opened /etc/passwd by a [0-9]+-byte handle, without its path\)$'
}

@test "escapes: shocker (open_by_handle_at) is blocked [full chain]" {
	escape -- shocker /etc/passwd
	assert_failure 1
	assert_output "shocker: blocked (name_to_handle_at: Operation not permitted)"
}

@test "escapes: shocker is blocked by the capabilities alone: no CAP_DAC_READ_SEARCH [--seccomp unconfined]" {
	escape --seccomp unconfined -- shocker /etc/passwd
	assert_failure 1
	assert_output "shocker: blocked (open_by_handle_at: Operation not permitted)"
}

# --- host-wide files in /proc ------------------------------------------------

@test "escapes: /proc/sysrq-trigger opens for writing in the talk's container [--until 5]" {
	[ -e /proc/sysrq-trigger ] || skip "this kernel has no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)"
	escape --until 5 -- sysrq-trigger
	assert_success
	assert_output "sysrq-trigger: ESCAPED (/proc/sysrq-trigger opened for writing, nothing written)"
}

@test "escapes: /proc/sysrq-trigger is blocked [full chain]" {
	escape -- sysrq-trigger
	assert_failure 1
	if [ -e /proc/sysrq-trigger ]; then
		assert_output "sysrq-trigger: blocked (open O_WRONLY: Read-only file system)"
	else
		assert_output "sysrq-trigger: blocked (open O_WRONLY: No such file or directory)"
	fi
}

@test "escapes: /proc/interrupts shows the host's interrupt counters in the talk's container [--until 5]" {
	escape --until 5 -- interrupts
	assert_success
	assert_output "interrupts: ESCAPED (/proc/interrupts shows the host's counters, from CPU0 on)"
}

@test "escapes: /proc/interrupts is masked [full chain]" {
	escape -- interrupts
	assert_failure 1
	assert_output "interrupts: blocked (/proc/interrupts reads empty)"
}

@test "escapes: /proc/interrupts stays masked with every capability and no filter: the mask is a mount of step6's [--cap-add ALL --seccomp unconfined]" {
	escape --cap-add ALL --seccomp unconfined -- interrupts
	assert_failure 1
	assert_output "interrupts: blocked (/proc/interrupts reads empty)"
}

@test "escapes: /proc/sys/kernel/core_pattern opens for writing in the talk's container [--until 5]" {
	escape --until 5 -- core_pattern
	assert_success
	assert_output "core_pattern: ESCAPED (/proc/sys/kernel/core_pattern opened for writing, nothing written)"
}

@test "escapes: /proc/sys/kernel/core_pattern is blocked [full chain]" {
	escape -- core_pattern
	assert_failure 1
	assert_output "core_pattern: blocked (open O_WRONLY: Read-only file system)"
}

@test "escapes: /proc/sys/kernel/core_pattern is blocked by the read-only /proc/sys alone [--cap-add ALL --seccomp unconfined]" {
	escape --cap-add ALL --seccomp unconfined -- core_pattern
	assert_failure 1
	assert_output "core_pattern: blocked (open O_WRONLY: Read-only file system)"
}

# --- cgroup v1 release_agent -------------------------------------------------

@test "escapes: a cgroup v1 mount with release_agent works in the talk's container [--until 5]" {
	grep -qw cgroup /proc/filesystems || skip "this kernel has no cgroup v1"
	escape --until 5 -- release_agent
	assert_success
	assert_output --regexp '^release_agent: ESCAPED \(mounted cgroup v1 -o [a-z,=-]+, release_agent is there\)$'
}

@test "escapes: a cgroup v1 mount with release_agent is blocked [full chain]" {
	escape -- release_agent
	assert_failure 1
	assert_output "release_agent: blocked (mount -t cgroup: Operation not permitted)"
}

@test "escapes: a cgroup v1 mount is blocked by the capabilities alone [--seccomp unconfined]" {
	escape --seccomp unconfined -- release_agent
	assert_failure 1
	assert_output "release_agent: blocked (mount -t cgroup: Operation not permitted)"
}

@test "escapes: a cgroup v1 mount is blocked by the filter alone [--cap-add SYS_ADMIN]" {
	escape --cap-add SYS_ADMIN -- release_agent
	assert_failure 1
	assert_output "release_agent: blocked (mount -t cgroup: Operation not permitted)"
}

@test "escapes: a cgroup v1 mount with release_agent works with SYS_ADMIN and no filter, without Landlock [--cap-add SYS_ADMIN --seccomp unconfined --landlock off]" {
	grep -qw cgroup /proc/filesystems || skip "this kernel has no cgroup v1"
	escape --cap-add SYS_ADMIN --seccomp unconfined --landlock off -- release_agent
	assert_success
	assert_output --regexp '^release_agent: ESCAPED \(mounted cgroup v1 -o [a-z,=-]+, release_agent is there\)$'
}

# CVE-2022-0492: Docker's AppArmor profile ("deny mount") stopped it where
# seccomp was off; Landlock refuses every mount in the same way.
@test "escapes: a cgroup v1 mount is blocked by Landlock alone [--cap-add SYS_ADMIN --seccomp unconfined]" {
	grep -qw cgroup /proc/filesystems || skip "this kernel has no cgroup v1"
	"$TEST_SKEL/usr/local/bin/syscall-probe" landlock_create_ruleset >/dev/null ||
		skip "this kernel has no Landlock"
	escape --cap-add SYS_ADMIN --seccomp unconfined -- release_agent
	assert_failure 1
	assert_output "release_agent: blocked (mount -t cgroup: Operation not permitted)"
}

# --- mknod of a device node --------------------------------------------------

# EACCES is nodev (may_open_dev() in fs/namei.c), checked before the device's
# own permission; CAP_MKNOD is in Docker's set, so mknod itself works.
@test "escapes: a node for the host's disk made on the root tmpfs does not open (nodev), even in the talk's container [--until 5]" {
	escape --until 5 -- mknod b "$(root_disk)" /tmp
	assert_failure 1
	assert_output "mknod: blocked (mknod /tmp/escape-probe-node worked, open: Permission denied)"
}

@test "escapes: a node for the host's disk made in /dev does not open (nodev), even in the talk's container [--until 5]" {
	escape --until 5 -- mknod b "$(root_disk)" /dev
	assert_failure 1
	assert_output "mknod: blocked (mknod /dev/escape-probe-node worked, open: Permission denied)"
}

# /dev/zero's number: the device cgroup of the full chain allows it, as
# Docker's does, so nodev is all that keeps it from opening there.
@test "escapes: a node for /dev/zero made in /dev/shm does not open (nodev), even in the talk's container [--until 5]" {
	escape --until 5 -- mknod c 1:5 /dev/shm
	assert_failure 1
	assert_output "mknod: blocked (mknod /dev/shm/escape-probe-node worked, open: Permission denied)"
}

@test "escapes: a node for /dev/zero made in /dev/shm does not open (nodev) [full chain]" {
	escape -- mknod c 1:5 /dev/shm
	assert_failure 1
	assert_output "mknod: blocked (mknod /dev/shm/escape-probe-node worked, open: Permission denied)"
}

@test "escapes: a node for the host's disk made on the root tmpfs does not open (nodev) [full chain]" {
	escape -- mknod b "$(root_disk)" /tmp
	assert_failure 1
	assert_output "mknod: blocked (mknod /tmp/escape-probe-node worked, open: Permission denied)"
}

@test "escapes: a node for the host's disk opens on a tmpfs of its own in the talk's container [--until 5]" {
	local disk
	disk=$(root_disk)
	# Some machines let no one open their root disk, not even the host's
	# root: then this test cannot show anything.
	dd if="/dev/block/$disk" of=/dev/null bs=512 count=1 status=none 2>/dev/null ||
		skip "the host itself cannot read /dev/block/$disk"
	escape --until 5 -- mknod-own-tmpfs b "$disk"
	assert_success
	assert_output --regexp "^mknod-own-tmpfs: ESCAPED \(read 512 bytes of block device $disk\)$"
}

@test "escapes: a node for /dev/zero opens on a tmpfs of its own in the talk's container [--until 5]" {
	escape --until 5 -- mknod-own-tmpfs c 1:5
	assert_success
	assert_output "mknod-own-tmpfs: ESCAPED (read 512 bytes of character device 1:5)"
}

@test "escapes: a tmpfs of its own for device nodes is blocked [full chain]" {
	escape -- mknod-own-tmpfs c 1:5
	assert_failure 1
	assert_output "mknod-own-tmpfs: blocked (mount -t tmpfs: Operation not permitted)"
}

# --- namespaces --------------------------------------------------------------

@test "escapes: unshare of a user namespace works in the talk's container [--until 5]" {
	escape --until 5 -- unshare-user
	assert_success
	assert_output "unshare-user: ESCAPED (a new user namespace, with every capability in it)"
}

@test "escapes: unshare of a user namespace is blocked [full chain]" {
	escape -- unshare-user
	assert_failure 1
	assert_output "unshare-user: blocked (unshare(CLONE_NEWUSER): Operation not permitted)"
}

@test "escapes: unshare of a user namespace needs no capability: only the filter stops it [--seccomp unconfined]" {
	escape --seccomp unconfined -- unshare-user
	assert_success
	assert_output "unshare-user: ESCAPED (a new user namespace, with every capability in it)"
}

@test "escapes: unshare of a mount namespace works in the talk's container [--until 5]" {
	escape --until 5 -- unshare-mount
	assert_success
	assert_output "unshare-mount: ESCAPED (a new mount namespace)"
}

@test "escapes: unshare of a mount namespace is blocked [full chain]" {
	escape -- unshare-mount
	assert_failure 1
	assert_output "unshare-mount: blocked (unshare(CLONE_NEWNS): Operation not permitted)"
}

@test "escapes: unshare of a mount namespace is blocked by the capabilities alone [--seccomp unconfined]" {
	escape --seccomp unconfined -- unshare-mount
	assert_failure 1
	assert_output "unshare-mount: blocked (unshare(CLONE_NEWNS): Operation not permitted)"
}

@test "escapes: setns into a namespace file works in the talk's container [--until 5]" {
	escape --until 5 -- setns /proc/self/ns/net
	assert_success
	assert_output 'setns: ESCAPED (setns("/proc/self/ns/net") worked)'
}

@test "escapes: setns into a namespace file is blocked [full chain]" {
	escape -- setns /proc/self/ns/net
	assert_failure 1
	assert_output "setns: blocked (setns: Operation not permitted)"
}

# The host's namespace files are what setns would need for a way out; the
# container's /proc shows its own PID namespace only, so even the talk's
# container has none: the supervisor (step2's parent) is not in it.
@test "escapes: no process of the host is in the container's /proc, so no host namespace file either [--until 5]" {
	run_chain --until 5 sh -c 'ls -d /proc/[0-9]*'
	assert_success
	assert_output --regexp '^(/proc/1|/proc/1
/proc/[0-9]+)$'
}

# --- host paths: the old root, /proc/1/root, /proc/self/cwd, inherited fds ---

@test "escapes: a host path is blocked even in the talk's container: the old root is unmounted [--until 5]" {
	escape --until 5 -- host-path "$MARKER"
	assert_failure 1
	assert_output "host-path: blocked (stat: No such file or directory)"
}

@test "escapes: a host path is reachable before step5 (the probe's control) [--until 4]" {
	run_chain --until 4 "$TEST_SKEL/usr/local/bin/escape-probe" host-path "$MARKER"
	assert_success
	assert_output "host-path: ESCAPED ($MARKER is there)"
}

@test "escapes: a host path is blocked [full chain]" {
	escape -- host-path "$MARKER"
	assert_failure 1
	assert_output "host-path: blocked (stat: No such file or directory)"
}

@test "escapes: /proc/1/root is blocked even in the talk's container: PID 1's root is the new root [--until 5]" {
	escape --until 5 -- proc-1-root "$MARKER"
	assert_failure 1
	assert_output "proc-1-root: blocked ($MARKER: not reachable through /proc/1/root or above it)"
}

@test "escapes: /proc/1/root reaches the host before step5 (the probe's control) [--until 4]" {
	run_chain --until 4 "$TEST_SKEL/usr/local/bin/escape-probe" proc-1-root "$MARKER"
	assert_success
	assert_output "proc-1-root: ESCAPED ($MARKER reached through /proc/1/root)"
}

@test "escapes: /proc/1/root is blocked [full chain]" {
	escape -- proc-1-root "$MARKER"
	assert_failure 1
	assert_output "proc-1-root: blocked ($MARKER: not reachable through /proc/1/root or above it)"
}

@test "escapes: /proc/self/cwd is blocked even in the talk's container started in a host directory [--until 5]" {
	cd "$BATS_TEST_TMPDIR"
	escape --until 5 -- proc-self-cwd "$MARKER"
	assert_failure 1
	assert_output "proc-self-cwd: blocked ($MARKER: not reachable through /proc/self/cwd or above it)"
}

@test "escapes: /proc/self/cwd is blocked, started in a host directory [full chain]" {
	cd "$BATS_TEST_TMPDIR"
	escape -- proc-self-cwd "$MARKER"
	assert_failure 1
	assert_output "proc-self-cwd: blocked ($MARKER: not reachable through /proc/self/cwd or above it)"
}

# tests/chain.bats checks that COMMAND gets fds 0-2 only with the caller's
# descriptors open; these try to use them.
@test "escapes: a descriptor to a host directory reaches the host (the probe's control, on the host)" {
	mkdir "$BATS_TEST_TMPDIR/deeper"
	exec 7<"$BATS_TEST_TMPDIR/deeper"
	run "$TEST_SKEL/usr/local/bin/escape-probe" inherited-fd "$MARKER"
	exec 7<&-
	assert_success
	assert_output "inherited-fd: ESCAPED ($MARKER reached through descriptor 7 and ..)"
}

@test "escapes: descriptors the caller opened, one to a host directory, are blocked even in the talk's container [--until 5]" {
	mkdir "$BATS_TEST_TMPDIR/deeper"
	exec 7<"$BATS_TEST_TMPDIR/deeper" 8</ 9>"$BATS_TEST_TMPDIR/file"
	escape --until 5 -- inherited-fd "$MARKER"
	exec 7<&- 8<&- 9>&-
	assert_failure 1
	assert_output "inherited-fd: blocked (no descriptor above 2)"
}

@test "escapes: descriptors the caller opened, one to a host directory, are blocked [full chain]" {
	mkdir "$BATS_TEST_TMPDIR/deeper"
	exec 7<"$BATS_TEST_TMPDIR/deeper" 8</ 9>"$BATS_TEST_TMPDIR/file"
	escape -- inherited-fd "$MARKER"
	exec 7<&- 8<&- 9>&-
	assert_failure 1
	assert_output "inherited-fd: blocked (no descriptor above 2)"
}

# --- the kernel: modules, keyrings, bpf ---------------------------------------

@test "escapes: init_module reaches the module loader in the talk's container [--until 5]" {
	escape --until 5 -- module
	if [ -e /proc/modules ]; then
		assert_success
		assert_output --regexp '^module: ESCAPED \(init_module reached the module loader, which refused the image: '
	else
		# CONFIG_MODULES=n: no loader to reach, on the host either.
		assert_failure 1
		assert_output "module: blocked (init_module: Function not implemented: this kernel has no modules)"
	fi
}

@test "escapes: init_module is blocked [full chain]" {
	escape -- module
	assert_failure 1
	assert_output "module: blocked (init_module: Operation not permitted)"
}

@test "escapes: keyctl works in the talk's container [--until 5]" {
	escape --until 5 -- keyctl
	assert_success
	assert_output --regexp '^keyctl: ESCAPED \(joined session keyring [0-9]+; user keyring [0-9]+\)$'
}

@test "escapes: the talk's container has the host root's user keyring [--until 5]" {
	run "$TEST_SKEL/usr/local/bin/escape-probe" keyctl
	assert_success
	local host=${output##*user keyring }
	escape --until 5 -- keyctl
	assert_success
	assert_output --partial "user keyring $host"
}

@test "escapes: keyctl is blocked [full chain]" {
	escape -- keyctl
	assert_failure 1
	assert_output "keyctl: blocked (keyctl(KEYCTL_JOIN_SESSION_KEYRING): Operation not permitted)"
}

@test "escapes: keyctl needs no capability: only the filter stops it [--seccomp unconfined]" {
	escape --seccomp unconfined -- keyctl
	assert_success
	assert_output --regexp '^keyctl: ESCAPED '
}

@test "escapes: bpf works in the talk's container [--until 5]" {
	escape --until 5 -- bpf
	assert_success
	assert_output "bpf: ESCAPED (created a BPF array map)"
}

@test "escapes: bpf is blocked [full chain]" {
	escape -- bpf
	assert_failure 1
	assert_output "bpf: blocked (bpf(BPF_MAP_CREATE): Operation not permitted)"
}

@test "escapes: bpf is blocked by the capabilities alone [--seccomp unconfined]" {
	[ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled)" != 0 ] ||
		skip "kernel.unprivileged_bpf_disabled is 0: a map needs no capability here"
	escape --seccomp unconfined -- bpf
	assert_failure 1
	assert_output "bpf: blocked (bpf(BPF_MAP_CREATE): Operation not permitted)"
}

# --- the caller's terminal: TIOCSTI ------------------------------------------

# in_terminal SCRIPT: SCRIPT under script(1), on a pseudo-terminal of its own
# that is its controlling terminal, as an interactive ./step1 has. Its stdin
# stays open (script sends EOF to the terminal when it ends) but holds no
# bats descriptor.
in_terminal() {
	# script(1) runs SCRIPT with $SHELL, or /bin/sh, which may lack read -t.
	SHELL=/bin/bash run script -qec "$1" /dev/null < <(exec 3>&-; sleep 5)
	output=${output//$'\r'/}
	mapfile -t lines <<<"$output"
}

# What the container pushes into its terminal is read by whoever reads the
# terminal next: the caller's shell, after the container is gone.
# Without a supervisor (--until 1) nobody relays: the container holds the
# caller's terminal, as the talk's container did.
@test "escapes: TIOCSTI into the caller's terminal works without a supervisor [--until 1]" {
	legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
	[ "$legacy" = 1 ] || skip "dev.tty.legacy_tiocsti is 0: TIOCSTI needs CAP_SYS_ADMIN"
	in_terminal "$STEPS/step1 --until 1 $TEST_SKEL/usr/local/bin/escape-probe tiocsti '# escaped
'; read -r -t 3 line; echo \"host read: \$line\""
	assert_line "tiocsti: ESCAPED (pushed 10 characters into the terminal's input)"
	assert_line "host read: # escaped"
}

@test "escapes: TIOCSTI into the caller's terminal is blocked [full chain]" {
	legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
	[ "$legacy" = 1 ] || skip "dev.tty.legacy_tiocsti is 0: TIOCSTI needs CAP_SYS_ADMIN"
	in_terminal "$STEPS/step1 --skel $TEST_SKEL escape-probe tiocsti '# escaped
'; read -r -t 3 line; echo \"host read: \$line\""
	refute_line "host read: # escaped"
	assert_line --regexp '^tiocsti: blocked '
}

@test "escapes: TIOCSTI reaches only the container's own terminal, even in the talk's container [--until 5]" {
	in_terminal "$STEPS/step1 --until 5 --skel $TEST_SKEL escape-probe tiocsti '# escaped
'; read -r -t 3 line; echo \"host read: \$line\""
	refute_line "host read: # escaped"
	assert_line "host read: "
}

# A request with bit 32 set is TIOCSTI to the kernel, which reads ioctl's
# request as an unsigned int; a filter that compares all 64 bits lets it
# through (Flatpak's CVE-2019-10063). The container reads back its own
# terminal, which is all that TIOCSTI reaches from step2 on: the caller's
# terminal is not involved.
tiocsti_high_bit() {
	in_terminal "$STEPS/step1 $* --skel $TEST_SKEL bash -c 'escape-probe tiocsti-high \"# pushed
\"; read -r -t 1 line; echo \"container read: \$line\"'"
}

@test "escapes: TIOCSTI with bit 32 set pushes input into the container's terminal without the filter [--seccomp unconfined]" {
	local options=(--seccomp unconfined)
	# dev.tty.legacy_tiocsti=0 (Linux 6.2) leaves TIOCSTI to CAP_SYS_ADMIN.
	[ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ] ||
		options+=(--cap-add SYS_ADMIN)
	tiocsti_high_bit "${options[@]}"
	assert_line "tiocsti-high: ESCAPED (pushed 9 characters into the terminal's input)"
	assert_line "container read: # pushed"
}

@test "escapes: TIOCSTI with bit 32 set is refused with EPERM [full chain]" {
	tiocsti_high_bit
	assert_line "tiocsti-high: blocked (ioctl(0, TIOCSTI | 1UL << 32): Operation not permitted)"
	assert_line "container read: "
}

# --- the caller's terminal: taken over and left broken --------------------

# takeover_in_terminal CHAIN...: run CHAIN (whose COMMAND is the probe)
# under script(1), and report whether the caller's terminal modes and its
# open file's flags (O_NONBLOCK) are what they were before.
takeover_in_terminal() {
	in_terminal "flags() { awk '/^flags/ {print \$2}' /proc/\$\$/fdinfo/0; }
		modes=\$(stty -g) flags=\$(flags)
		$*
		[ \"\$(stty -g)\" = \"\$modes\" ] && echo 'modes: as before' || echo 'modes: changed'
		[ \"\$(flags)\" = \"\$flags\" ] && echo 'flags: as before' || echo 'flags: changed'"
}

@test "escapes: a container without a supervisor changes the caller's terminal for good [--until 1]" {
	takeover_in_terminal "$STEPS/step1 --until 1 $TEST_SKEL/usr/local/bin/escape-probe terminal-takeover"
	assert_line --regexp '^terminal-takeover: ESCAPED '
	assert_line "modes: changed"
	assert_line "flags: changed"
}

@test "escapes: a hostile container leaves the caller's terminal as it was [full chain]" {
	takeover_in_terminal "$STEPS/step1 --skel $TEST_SKEL escape-probe terminal-takeover"
	assert_line --regexp '^terminal-takeover: ESCAPED \(took the foreground, .* on /dev/pts/0\)$'
	assert_line "modes: as before"
	assert_line "flags: as before"
}

@test "escapes: /dev/tty in the container is its own terminal, not the caller's [full chain]" {
	in_terminal "echo host: \$(stat -c %D /dev/pts); $STEPS/step1 sh -c 'echo container: \$(stat -c %D /dev/pts) \$(tty); exec 3</dev/tty && echo /dev/tty opens'"
	host=$(sed -n 's/^host: //p' <<<"$output")
	assert_line --regexp "^container: [0-9a-f]+ /dev/pts/0$"
	refute_line --regexp "^container: $host "
	assert_line "/dev/tty opens"
}

# --- the caller's descriptors 0-2 --------------------------------------------

@test "escapes: a directory given as stdin leads out to the host's files without a supervisor [--until 1]" {
	run "$STEPS/step1" --until 1 "$TEST_SKEL/usr/local/bin/escape-probe" stdin-directory "$MARKER" <"$BATS_TEST_TMPDIR"
	assert_success
	assert_output "stdin-directory: ESCAPED ($MARKER reached through descriptor 0 and ..)"
}

@test "escapes: a directory given as stdin does not reach the container [--until 5]" {
	run "$STEPS/step1" --until 5 --skel "$TEST_SKEL" escape-probe stdin-directory "$MARKER" <"$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_output "stdin-directory: blocked (fchdir(0): Not a directory)"
}

@test "escapes: a directory given as stdin does not reach the container [full chain]" {
	run "$STEPS/step1" --skel "$TEST_SKEL" escape-probe stdin-directory "$MARKER" <"$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_output "stdin-directory: blocked (fchdir(0): Not a directory)"
}

@test "escapes: a read-only file given as stdin is reopened read-write without a supervisor [--until 1]" {
	chmod 0444 "$MARKER"
	run "$STEPS/step1" --until 1 "$TEST_SKEL/usr/local/bin/escape-probe" stdio-reopen <"$MARKER"
	assert_success
	assert_output "stdio-reopen: ESCAPED (descriptor 0 is a file of the caller's, reopened read-write through /proc/self/fd/0)"
}

@test "escapes: the caller's files given as stdin and stdout do not reach the container [full chain]" {
	chmod 0444 "$MARKER"
	"$STEPS/step1" --skel "$TEST_SKEL" escape-probe stdio-reopen <"$MARKER" >>"$BATS_TEST_TMPDIR/log" || true
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output "stdio-reopen: blocked (no file of the caller's: 0, 1, 2 are pipe, pipe, pipe)"
	run cat "$MARKER"
	assert_output "on the host"
}

# --- the host's IPC objects --------------------------------------------------

# The "host" here is a throwaway IPC namespace the test makes (unshare -i),
# so that no object is made in the real host's: the chain started there
# shares it exactly as it would share the host's.

@test "escapes: the caller's System V shared memory is visible with --ipc host [--until 5]" {
	run unshare --ipc sh -c "id=\$(ipcmk -M 4096 | grep -o '[0-9]*\$') && '$STEPS/step1' --ipc host --until 5 --skel '$TEST_SKEL' escape-probe shm \$id"
	assert_success
	assert_output --regexp '^shm: ESCAPED \(shmctl\([0-9]+, IPC_STAT\) saw a segment of 4096 bytes\)$'
}

@test "escapes: the caller's System V shared memory is out of sight [full chain]" {
	run unshare --ipc sh -c "id=\$(ipcmk -M 4096 | grep -o '[0-9]*\$') && '$STEPS/step1' --skel '$TEST_SKEL' escape-probe shm \$id"
	assert_failure 1
	assert_output --regexp '^shm: blocked \(shmctl\([0-9]+, IPC_STAT\): Invalid argument\)$'
}

@test "escapes: the caller's POSIX message queue opens with --ipc host [--until 5]" {
	mkdir "$BATS_TEST_TMPDIR/mqueue"
	run unshare --ipc --mount --propagation private sh -c "mount -t mqueue mqueue '$BATS_TEST_TMPDIR/mqueue' && touch '$BATS_TEST_TMPDIR/mqueue/uth-queue' && '$STEPS/step1' --ipc host --until 5 --skel '$TEST_SKEL' escape-probe mqueue /uth-queue"
	assert_success
	assert_output "mqueue: ESCAPED (opened the POSIX message queue /uth-queue)"
}

@test "escapes: the caller's POSIX message queue is out of sight [full chain]" {
	mkdir "$BATS_TEST_TMPDIR/mqueue"
	run unshare --ipc --mount --propagation private sh -c "mount -t mqueue mqueue '$BATS_TEST_TMPDIR/mqueue' && touch '$BATS_TEST_TMPDIR/mqueue/uth-queue' && '$STEPS/step1' --skel '$TEST_SKEL' escape-probe mqueue /uth-queue"
	assert_failure 1
	assert_output 'mqueue: blocked (mq_open("/uth-queue"): No such file or directory)'
}

# --- outliving the supervisor: PR_SET_PDEATHSIG -------------------------------

# orphan_of_killed_supervisor [CHAIN OPTIONS...]: escape-probe orphan in the
# background, as the container's PID 1; once it has cleared its parent-death
# signal, SIGKILL its supervisor. Sets ORPHAN, the probe's host pid, which
# teardown kills if it still runs.
orphan_of_killed_supervisor() {
	HOST_LINKS_BEFORE=$(host_interfaces)
	start_container "$@" --skel "$TEST_SKEL" escape-probe orphan 60
	wait_until 10 grep -q '^orphan: PR_SET_PDEATHSIG cleared (was 9)' "$BG_OUT"
	ORPHAN=$(pgrep -P "$BG_PID")
	stray_process "$ORPHAN" escape-probe
	kill -KILL "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
}
orphan_runs() { process_is "$ORPHAN" escape-probe; }
orphan_gone() { ! orphan_runs; }
# The host end of the orphan's veth pair: the interface that came with it.
orphan_link() { comm -13 <(echo "$HOST_LINKS_BEFORE") <(host_interfaces); }

@test "escapes: a workload that clears PR_SET_PDEATHSIG outlives its killed supervisor, and the next start, in the talk's container [--until 5]" {
	orphan_of_killed_supervisor --until 5
	orphan_runs
	run_chain true # the next start finds nothing: no cgroup, no lock file
	assert_success
	orphan_runs
	kill -KILL "$ORPHAN"
}

@test "escapes: a workload that clears PR_SET_PDEATHSIG is killed by the next start, its cgroup, lock file and veth removed [full chain]" {
	orphan_of_killed_supervisor --hostname orphan
	local name link
	name=$(grep -o -m1 'under-the-hood/orphan-[0-9a-f]*' "/proc/$ORPHAN/cgroup")
	name=${name#under-the-hood/}
	link=$(orphan_link)
	[ -n "$name" ] && [ -n "$link" ]
	# The supervisor's death alone does not end it: PR_SET_PDEATHSIG was
	# the only link, and the workload cut it.
	orphan_runs
	[ -e "/run/under-the-hood/$name" ]
	run_chain true
	assert_success
	wait_until 5 orphan_gone
	run find /sys/fs/cgroup -maxdepth 3 -name "$name"
	assert_output ""
	[ ! -e "/run/under-the-hood/$name" ]
	# The veth goes with the network namespace, from a work queue.
	wait_until 10 eval '! ip link show "$link" >/dev/null 2>&1'
	refute grep -q 'orphan: ESCAPED' "$BG_OUT"
}

# --- the host end of the veth: router adverts, forged sources -----------------

# step3 sets up the host end itself, so even the talk's container gets it
# closed: the controls are built here instead, from network namespaces of
# the test's own. Each is held by a `sleep` that teardown kills with the
# background containers, and the namespace and its interfaces go with it.
# Nothing is ever created in the host's namespace, nor written there.
PROBE=$TEST_SKEL/usr/local/bin/escape-probe

# own_namespace: a new network namespace; its holder's pid in NAMESPACE.
own_namespace() {
	setsid unshare --net sleep 300 </dev/null >/dev/null 2>&1 3>&- &
	NAMESPACE=$!
	BACKGROUND_PIDS+=("$NAMESPACE")
	wait_until 5 has_own_namespace "$NAMESPACE"
}
has_own_namespace() {
	local inode
	inode=$(stat -Lc %i "/proc/$1/ns/net" 2>/dev/null) && [ "$inode" != "$(host_namespace net)" ]
}
# in_namespace PID COMMAND...: COMMAND in PID's network namespace, or not at all.
in_namespace() { nsenter --target "$1" --net -- "${@:2}"; }

# Packets sent by an interface (/proc/net/dev, the namespace's own):
# tx_packets INTERFACE [PID].
tx_packets() {
	local device=$1
	if [ -n "${2:-}" ]; then
		in_namespace "$2" awk -v device="$device:" '$1 == device { print $11 }' /proc/net/dev
	else
		awk -v device="$device:" '$1 == device { print $11 }' /proc/net/dev
	fi
}
# The host's count of packets dropped by reverse path filtering.
reverse_path_drops() {
	awk '/^TcpExt:/ { if (!n) n = split($0, names); else for (i = 2; i <= NF; i++)
		if (names[i] == "IPReversePathFilter") print $i }' /proc/net/netstat
}
# at_least N COMMAND...: COMMAND prints a number of N or more.
at_least() { (($("${@:2}") >= $1)); }
# An address from the probe's advert on DEVICE in PID's namespace.
has_advert_address() { in_namespace "$1" ip -6 addr show dev "$2" scope global | grep -q 'inet6 2001:db8:47:'; }

ADVERT_SENT="sent a router advert for 2001:db8:47::/64 from fe80::47"

@test "escapes: a router advert from the peer gives a veth end that accepts adverts an address and a route (the probe's control, own namespaces)" {
	own_namespace
	local host=$NAMESPACE
	own_namespace
	local container=$NAMESPACE
	ip link add ra-host netns "$host" type veth peer name ra-container netns "$container"
	# A new namespace's defaults, said outright.
	in_namespace "$host" sysctl -q -w net.ipv6.conf.ra-host.accept_ra=1 \
		net.ipv6.conf.ra-host.autoconf=1 net.ipv6.conf.ra-host.forwarding=0
	in_namespace "$host" ip link set ra-host up
	in_namespace "$container" ip link set ra-container up
	run in_namespace "$container" "$PROBE" router-advert ra-container
	assert_success
	assert_output "router-advert: ESCAPED ($ADVERT_SENT out of ra-container)"
	# The receiver acts on an advert as it arrives.
	wait_until 2 has_advert_address "$host" ra-host
	run in_namespace "$host" ip -6 route show default
	assert_output --regexp '^default via fe80::47 dev ra-host proto ra '
}

@test "escapes: a router advert from the container gives the host end no address and no route [full chain]" {
	start_container --skel "$TEST_SKEL" sh -c 'escape-probe router-advert mybr1; sleep 100'
	wait_until 10 file_has_content "$BG_OUT"
	assert_equal "$(cat "$BG_OUT")" "router-advert: ESCAPED ($ADVERT_SENT out of mybr1)"
	local i
	for i in $(seq 20); do
		[ -z "$(ip -6 addr show dev mybr0)" ] || fail "mybr0 has IPv6: $(ip -6 addr show dev mybr0)"
		! ip -6 route show | grep -q mybr0 || fail "an IPv6 route through mybr0: $(ip -6 route show)"
		sleep 0.1
	done
}

# The attacker is at 192.168.48.12 behind the host's second end and forges
# the source 192.168.47.12, the other container's: the host's echo replies,
# if any, go out of its first end, toward the other container. Those ends
# have no IPv6, so nothing else goes out of them.
@test "escapes: a forged source makes a host without rp_filter answer another peer (the probe's control, own namespaces)" {
	own_namespace
	local host=$NAMESPACE
	own_namespace
	local victim=$NAMESPACE
	own_namespace
	local attacker=$NAMESPACE
	ip link add fs-host0 netns "$host" type veth peer name fs-victim netns "$victim"
	ip link add fs-host2 netns "$host" type veth peer name fs-attacker netns "$attacker"
	in_namespace "$host" sysctl -q -w net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.fs-host0.rp_filter=0 net.ipv4.conf.fs-host2.rp_filter=0 \
		net.ipv6.conf.fs-host0.disable_ipv6=1 net.ipv6.conf.fs-host2.disable_ipv6=1
	in_namespace "$host" ip addr add 192.168.47.11/24 dev fs-host0
	in_namespace "$host" ip addr add 192.168.48.11/24 dev fs-host2
	in_namespace "$victim" ip addr add 192.168.47.12/24 dev fs-victim
	in_namespace "$attacker" ip addr add 192.168.48.12/24 dev fs-attacker
	local pid device
	for pid in "$host" "$victim" "$attacker"; do
		for device in fs-host0 fs-host2 fs-victim fs-attacker; do
			in_namespace "$pid" ip link set "$device" up 2>/dev/null || true
		done
	done
	local sent
	sent=$(tx_packets fs-host0 "$host")
	run in_namespace "$attacker" "$PROBE" forged-source 192.168.47.12 192.168.48.11
	assert_success
	assert_output "forged-source: ESCAPED (sent 3 echo requests to 192.168.48.11 from the forged source 192.168.47.12)"
	# Three echo replies (and an ARP request first) toward the victim.
	wait_until 2 at_least $((sent + 3)) tx_packets fs-host0 "$host"
}

@test "escapes: a forged source from the container is dropped by the host, not answered to another container [full chain]" {
	start_container sh -c 'sleep 100' # the other container: mybr0, 192.168.47.12
	wait_until 10 link_is_up mybr0
	local sent dropped
	sent=$(tx_packets mybr0)
	dropped=$(reverse_path_drops)
	start_container --skel "$TEST_SKEL" sh -c 'escape-probe forged-source 192.168.47.12 192.168.48.11; sleep 100'
	wait_until 10 file_has_content "$BG_OUT"
	assert_equal "$(cat "$BG_OUT")" "forged-source: ESCAPED (sent 3 echo requests to 192.168.48.11 from the forged source 192.168.47.12)"
	wait_until 2 at_least $((dropped + 3)) reverse_path_drops
	assert_equal "$(tx_packets mybr0)" "$sent"
}

# --- calls Docker's allow list refuses: io_uring, vsock -----------------------

# 2: no ring for anyone, 1: only with CAP_SYS_ADMIN or the io_uring group.
io_uring_disabled() { cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0; }

@test "escapes: an io_uring is created in the talk's container [--until 5]" {
	[ "$(io_uring_disabled)" != 2 ] || skip "kernel.io_uring_disabled is 2: no io_uring for anyone"
	escape --until 5 -- io_uring
	assert_success
	assert_output "io_uring: ESCAPED (created an io_uring with room for 1 submissions)"
}

@test "escapes: an io_uring is blocked [full chain]" {
	escape -- io_uring
	assert_failure 1
	assert_output "io_uring: blocked (io_uring_setup: Operation not permitted)"
}

@test "escapes: an io_uring needs no capability: only the filter stops it [--seccomp unconfined]" {
	[ "$(io_uring_disabled)" = 0 ] || skip "kernel.io_uring_disabled is not 0: io_uring needs a capability here"
	escape --seccomp unconfined -- io_uring
	assert_success
	assert_output "io_uring: ESCAPED (created an io_uring with room for 1 submissions)"
}

# What the host itself answers: a kernel without vsock (no transport
# loaded) refuses the family, in a container or not.
host_has_vsock() { "$TEST_SKEL/usr/local/bin/escape-probe" vsock >/dev/null; }

# assert_vsock_reaches_the_kernel [high-bits]: the talk's container's answer
# is the host's: a bound socket, or the kernel's EAFNOSUPPORT.
assert_vsock_reaches_the_kernel() {
	if host_has_vsock; then
		assert_success
		assert_output --regexp "^vsock: ESCAPED \(bound an AF_VSOCK socket${1:+ \(family 0x100000028\)} to the machine's port [0-9]+\)$"
	else
		assert_failure 1
		assert_output "vsock: blocked (socket(AF_VSOCK): Address family not supported by protocol)"
	fi
}

@test "escapes: an AF_VSOCK socket is created and bound in the talk's container [--until 5]" {
	escape --until 5 -- vsock
	assert_vsock_reaches_the_kernel
}

@test "escapes: an AF_VSOCK socket is blocked [full chain]" {
	escape -- vsock
	assert_failure 1
	assert_output "vsock: blocked (socket(AF_VSOCK): Operation not permitted)"
}

@test "escapes: an AF_VSOCK socket needs no capability: only the filter stops it [--seccomp unconfined]" {
	escape --seccomp unconfined -- vsock
	assert_vsock_reaches_the_kernel
}

# Docker's rule is "family > 40", on 64 bits; the kernel reads an int.
@test "escapes: AF_VSOCK passed as 0x100000028 is AF_VSOCK to the kernel [--until 5]" {
	escape --until 5 -- vsock high-bits
	assert_vsock_reaches_the_kernel high-bits
}

@test "escapes: AF_VSOCK passed as 0x100000028 is blocked [full chain]" {
	escape -- vsock high-bits
	assert_failure 1
	assert_output "vsock: blocked (socket(AF_VSOCK): Operation not permitted)"
}

# --- a program of its own, written and run: step9's Landlock ----------------

# Docker's AppArmor profile lets a container execute what it writes to its
# own filesystem (only /dev/shm is mounted noexec): step9 goes further, no
# place is both writable and executable. /dev/shm is noexec here too.
landlock_in_kernel() { "$TEST_SKEL/usr/local/bin/syscall-probe" landlock_create_ruleset >/dev/null; }

@test "escapes: a program written into /tmp executes without step9 [--until 8]" {
	escape --until 8 -- dropped-binary /tmp
	assert_success
	assert_output "dropped-binary: ESCAPED (wrote /tmp/escape-probe-dropped and executed it)"
}

@test "escapes: a program written into /tmp is blocked [full chain]" {
	landlock_in_kernel || skip "this kernel has no Landlock"
	escape -- dropped-binary /tmp
	assert_failure 1
	assert_output "dropped-binary: blocked (execve /tmp/escape-probe-dropped: Permission denied)"
}

@test "escapes: a program written into /dev/shm is blocked even without step9: noexec [--until 8]" {
	escape --until 8 -- dropped-binary /dev/shm
	assert_failure 1
	assert_output "dropped-binary: blocked (execve /dev/shm/escape-probe-dropped: Permission denied)"
}

# --- counts kept per user: queued signals (RLIMIT_SIGPENDING) -----------------

# Without a user namespace the container's root is the host's root for the
# counts the kernel keeps per user, and each process is held to its own
# RLIMIT_SIGPENDING against root's whole count. The probe creates POSIX
# timers (each holds a queued signal) until that count reaches the host
# root's limit or its own stops it, then holds them 5 s, while the host's
# root tries sigqueue(2) (procps' kill --queue) on a shell that catches the
# signal. Everything is given back when the probe exits.

# The host root's limit: this shell's.
host_sigpending() { ulimit -i; }

# host_queues_a_signal: sigqueue of one real-time signal, as the host's root.
host_queues_a_signal() {
	run bash -c 'trap : RTMIN+1; /bin/kill --queue 1 -s RTMIN+1 $$'
}

# hold PROBE ARGUMENTS... [-- CHAIN OPTIONS...]: escape-probe in a container
# in the background, holding what it took; waits for its line, in $output.
hold() {
	local probe=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		probe+=("$1")
		shift
	done
	shift || true
	start_container "$@" --skel "$TEST_SKEL" escape-probe "${probe[@]}"
	# Tens of thousands of timers take seconds to create on a loaded
	# machine (CI runs this beside two VMs): a generous wait. The probe
	# prints its line once they are made, and holds them from then on.
	wait_until 30 file_has_content "$BG_OUT"
	run cat "$BG_OUT"
}

# release: stop it as docker stop would, so that it gives back at once
# what it held (SIGTERM to the supervisor, forwarded to the probe).
release() {
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 10
}

@test "escapes: queued signals take the host root's whole RLIMIT_SIGPENDING count in the talk's container [--until 5]" {
	[ "$(host_sigpending)" -le 262144 ] || skip "RLIMIT_SIGPENDING $(host_sigpending): over the probe's bound"
	hold sigpending "$(host_sigpending)" 5 -- --until 5
	assert_output --regexp "^sigpending: ESCAPED \(created [0-9]+ timers: root's queued signals at [0-9]+, the host root's limit"
	host_queues_a_signal
	assert_failure
	assert_output --partial "Resource temporarily unavailable"
	release # teardown would too, on failure
}

@test "escapes: queued signals stop at the container's RLIMIT_SIGPENDING, and the host's root can still queue [full chain]" {
	hold sigpending "$(host_sigpending)" 5
	assert_output --regexp "^sigpending: blocked \(timer_create: Resource temporarily unavailable after [0-9]+ timers, at this process's limit of $(($(host_sigpending) / 4));"
	host_queues_a_signal
	assert_success
	release
}

# --- socket buffers outside --memory -------------------------------------------

# TCP buffers on loopback, where the receiving end never reads. cgroup v1
# leaves socket buffers out of memory.limit_in_bytes; step7 sets
# memory.kmem.tcp.limit_in_bytes to --memory. The kernel still lets each
# socket past the limit by one buffer, so the count may exceed the limit by
# a little per connection (the probe makes at most 128). cgroup v2 charges
# socket buffers to memory.max, and those buffers past it are what make the
# OOM killer end the container.

cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

@test "escapes: TCP buffers on loopback grow past what --memory 32M would allow in the talk's container [--until 5]" {
	escape --until 5 -- tcp-memory 64
	assert_success
	assert_output --regexp '^tcp-memory: ESCAPED \(queued 64 MiB in TCP buffers over [0-9]+ loopback connections\)$'
}

@test "escapes: TCP buffers on loopback are held to memory.kmem.tcp.limit_in_bytes [cgroup v1, full chain --memory 32M]" {
	cgroup_v2 && skip "cgroup v2 has no separate limit: see the next test"
	hold tcp-memory 64 5 -- --memory 32M
	assert_output --regexp '^tcp-memory: blocked \(queued [0-9]+ MiB over 128 loopback connections, then every write would block \(EAGAIN\)\)$'
	local dir charged
	# The container's cgroup, as its first process (the supervisor's child) sees it.
	dir=/sys/fs/cgroup/memory$(grep -o -m1 '/under-the-hood/mycontainer-[0-9a-f]*' "/proc/$(pgrep -P "$BG_PID")/cgroup")
	assert_equal "$(cat "$dir/memory.kmem.tcp.limit_in_bytes")" $((32 << 20))
	charged=$(cat "$dir/memory.kmem.tcp.usage_in_bytes")
	release
	echo "# charged for sockets: $charged bytes"
	# All of it charged, and past the limit by at most 128 KiB a connection.
	[ "$charged" -ge $((24 << 20)) ]
	[ "$charged" -le $(((32 << 20) + 128 * (128 << 10))) ]
}

@test "escapes: TCP buffers on loopback count against --memory, and the OOM killer ends the container [cgroup v2, full chain --memory 32M]" {
	cgroup_v2 || skip "cgroup v1 counts socket buffers apart: see the previous test"
	run_chain --memory 32M --skel "$TEST_SKEL" escape-probe tcp-memory 64
	assert_failure 137
	assert_output --partial "step7-cgroup: container killed: out of memory (limit 32M)"
}
