#!/usr/bin/env bats
# step1-uts: a UTS namespace and the hostname.

load helpers

# bats test_tags=exercise:1-2
@test "step1-uts: the hostname inside is mycontainer [default]" {
	run_chain --until 1 hostname
	assert_success
	assert_output mycontainer
}

# The caller is a throwaway UTS namespace with a name the test gives it:
# a name read from the host could already be one an earlier test left
# there, and a step1 that forgot its unshare renames only the throwaway.
# bats test_tags=exercise:1-1
@test "step1-uts: the caller's hostname is unchanged [--until 1]" {
	run env STEPS="$STEPS" unshare --uts sh -c \
		'hostname uth-caller && "$STEPS/step1" --until 1 hostname && hostname'
	assert_success
	assert_output $'mycontainer\nuth-caller'
}

# bats test_tags=exercise:1-2
@test "step1-uts: --hostname sets the name inside" {
	run_chain --until 1 --hostname web-1.example hostname
	assert_success
	assert_output web-1.example
}

# bats test_tags=exercise:1-1
@test "step1-uts: the UTS namespace differs from the host's, the others do not yet [--until 1]" {
	run_chain --until 1 sh -c 'for n in uts pid net mnt; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	assert_line "pid $(host_namespace pid)"
	assert_line "net $(host_namespace net)"
	assert_line "mnt $(host_namespace mnt)"
}

# bats test_tags=exercise:1-1
@test "step1-uts: a hostname set inside does not reach the host [--until 1]" {
	local before
	before=$(hostname)
	run_chain --until 1 sh -c 'hostname changed-inside && hostname'
	assert_success
	assert_output changed-inside
	assert_equal "$(hostname)" "$before"
}

@test "step1-uts: the hostname inside is the host's without the chain (the control)" {
	run hostname
	assert_success
	refute_output mycontainer
}

# bats test_tags=exercise:1-2
@test "step1-uts: the kernel's nodename (uname -n) is the hostname inside [--until 1]" {
	run_chain --until 1 --hostname node-7 uname -n
	assert_success
	assert_output node-7
}

# bats test_tags=exercise:1-1
@test "step1-uts: ./step1 --until 1 starts no supervisor: COMMAND is the process started" {
	start_container --until 1 sleep 30
	wait_until 5 eval "[ \"\$(cat /proc/$BG_PID/comm)\" = sleep ]"
	refute [ "$(stat -Lc %i "/proc/$BG_PID/ns/uts")" = "$(host_namespace uts)" ]
}

@test "step1-uts: the container has an IPC namespace of its own [--until 1]" {
	run_chain --until 1 readlink /proc/self/ns/ipc
	assert_success
	refute_output "ipc:[$(host_namespace ipc)]"
	assert_output --regexp '^ipc:\[[0-9]+\]$'
}

@test "step1-uts: --ipc host keeps the caller's IPC namespace [--until 1]" {
	run_chain --until 1 --ipc host readlink /proc/self/ns/ipc
	assert_success
	assert_output "ipc:[$(host_namespace ipc)]"
}

@test "step1-uts: -v narrates unshare(CLONE_NEWIPC), and not with --ipc host [--until 1]" {
	run --separate-stderr "$STEPS/step1" -v --until 1 true
	assert_success
	[[ $stderr == *'step1-uts: unshare(CLONE_NEWIPC)'* ]]
	run --separate-stderr "$STEPS/step1" -v --until 1 --ipc host true
	[[ $stderr != *'step1-uts: unshare(CLONE_NEWIPC)'* ]]
	[[ $stderr == *'step1-uts: --ipc host: the host'* ]]
}

# The "host" segment is made in a throwaway IPC namespace (unshare -i) that
# stands in for the caller's, so nothing is made in the real host's.
@test "step1-uts: the caller's shared memory segments are not in the container, and its own are not the caller's" {
	run unshare --ipc sh -c "ipcmk -M 4096 >/dev/null && '$STEPS/step1' sh -c 'ipcs -m | grep -c 4096; ipcmk -M 8192 >/dev/null; ipcs -m | grep -c 8192'; ipcs -m | grep -c 8192"
	assert_output $'0\n1\n0'
}

@test "step1-uts: the container's POSIX message queues are at /dev/mqueue" {
	run_chain sh -c 'findmnt -no FSTYPE /dev/mqueue'
	assert_success
	assert_output mqueue
}

# --sysctl: the IPC namespace's parameters are written in the container's
# namespace only; the host's are read, never written, and stay as they were.
# A value that differs from the host's, so that a write there would show.
other_than() { if [ "$1" = "$2" ]; then echo $(($2 + 1)); else echo "$2"; fi; }

@test "step1-uts: --sysctl kernel.shmmax is the container's, the host's is unchanged [--until 1]" {
	local before value
	before=$(cat /proc/sys/kernel/shmmax)
	value=$(other_than "$before" 65536)
	run_chain --until 1 --sysctl "kernel.shmmax=$value" cat /proc/sys/kernel/shmmax
	assert_success
	assert_output "$value"
	assert_equal "$(cat /proc/sys/kernel/shmmax)" "$before"
}

@test "step1-uts: --sysctl fs.mqueue.msg_max is the container's in the whole chain, the host's is unchanged" {
	local before value
	before=$(cat /proc/sys/fs/mqueue/msg_max)
	value=$(other_than "$before" 20)
	run_chain --sysctl "fs.mqueue.msg_max=$value" cat /proc/sys/fs/mqueue/msg_max
	assert_success
	assert_output "$value"
	assert_equal "$(cat /proc/sys/fs/mqueue/msg_max)" "$before"
}

@test "step1-uts: -v narrates the --sysctl write after unshare(CLONE_NEWIPC) [--until 1]" {
	run --separate-stderr "$STEPS/step1" -v --until 1 --sysctl kernel.msgmax=4096 true
	assert_success
	local unshared written
	unshared=$(grep -n -F -m1 'step1-uts: unshare(CLONE_NEWIPC)' <<<"$stderr" | cut -d: -f1)
	written=$(grep -n -F -m1 'step1-uts: write("/proc/sys/kernel/msgmax", "4096")' <<<"$stderr" | cut -d: -f1)
	[[ $unshared && $written ]] || fail "a line is missing: $stderr"
	((unshared < written)) || fail "written before the IPC namespace was made"
}

@test "step1-uts: --sysctl of a parameter this kernel lacks stops step1 with 125, naming the file [--until 1]" {
	run --separate-stderr "$STEPS/step1" --until 1 --sysctl kernel.shm_no_such_thing=1 true
	assert_failure 125
	assert_equal "${stderr_lines[0]}" 'step1-uts: write("/proc/sys/kernel/shm_no_such_thing", "1"): No such file or directory'
	assert_regex "${stderr_lines[1]}" '^step1-uts: hint: .*IPC namespace'
}

@test "step1-uts: --sysctl with a value the kernel refuses stops step1 with 125, naming the file [--until 1]" {
	run --separate-stderr "$STEPS/step1" --until 1 --sysctl kernel.shmmni=many true
	assert_failure 125
	assert_equal "${stderr_lines[0]}" 'step1-uts: write("/proc/sys/kernel/shmmni", "many"): Invalid argument'
}
