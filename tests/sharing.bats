#!/usr/bin/env bats
# Sharing a namespace, as Docker's --uts, --ipc, --pid and --network do:
# host (the caller's), or container:NAME (a running container's, whose
# supervisor keeps its namespace files: supervisor/names.c). The step that
# would make the namespace keeps the caller's instead, or joins NAME's with
# setns(2); nothing else in the chain changes.

load helpers

# --- --uts host (step1) -----------------------------------------------------------

@test "sharing: --uts host keeps the host's UTS namespace and sets no hostname [--until 1]" {
	run "$STEPS/step1" -v --until 1 --uts host sh -c 'readlink /proc/self/ns/uts; hostname'
	assert_success
	assert_line "$(readlink /proc/self/ns/uts)"
	assert_line "$(hostname)"
	assert_line "step1-uts: --uts host: the host's UTS namespace and hostname, no unshare(CLONE_NEWUTS)"
	refute_line "step1-uts: unshare(CLONE_NEWUTS)"
	refute_line --partial "sethostname("
}

@test "sharing: --uts host in the whole chain: the host's hostname, which also names the container" {
	start_container --uts host sleep 60
	wait_until 20 test -s "$REGISTRY/$(hostname)/host-pid"
	assert_equal "$(cat "$REGISTRY/$(hostname)/hostname")" "$(hostname)"
	run_chain --name web --uts host hostname
	assert_success
	assert_output "$(hostname)"
}

# --- --ipc container:NAME (step1) -----------------------------------------------------

@test "sharing: --ipc container:web joins web's IPC namespace: web's segment is there" {
	start_named web sh -c 'ipcmk -M 4096 >/dev/null && sleep 60'
	wait_until 10 sh -c "nsenter --ipc=/proc/$CONTAINER_PID/ns/ipc ipcs -m | grep -q ' 4096 '"
	run --separate-stderr "$STEPS/step1" -v --name web2 --ipc container:web \
		sh -c 'readlink /proc/self/ns/ipc; ipcs -m | grep -c " 4096 "'
	assert_success
	assert_line --index 0 "$(readlink "/proc/$CONTAINER_PID/ns/ipc")"
	assert_line --index 1 1
	[[ $stderr =~ step1-uts:\ setns\([0-9]+\<web/ipc\>,\ CLONE_NEWIPC\) ]]
	[[ $stderr != *'unshare(CLONE_NEWIPC)'* ]]
}

# --- --pid host, --pid container:NAME (step2) -------------------------------------------

@test "sharing: --pid host sees the host's processes, and is not PID 1" {
	run_chain --pid host sh -c "readlink /proc/self/ns/pid; test -d /proc/$$ && echo sees-the-test; echo \$\$"
	assert_success
	assert_line --index 0 "$(readlink /proc/self/ns/pid)"
	assert_line --index 1 sees-the-test
	refute_line --index 2 1
}

@test "sharing: --pid container:web sees web's processes, web's PID 1 is its PID 1" {
	start_named web sleep 60
	run_chain --name web2 --pid container:web sh -c 'readlink /proc/self/ns/pid; cat /proc/1/comm; echo $$'
	assert_success
	assert_line --index 0 "$(readlink "/proc/$CONTAINER_PID/ns/pid")"
	assert_line --index 1 sleep
	refute_line --index 2 1
}

# No PID 1 of its own whose end kills the rest: step7's cgroup does.
@test "sharing: what a --pid host or --pid container:web container leaves running ends with it" {
	start_named web sleep 60
	run_chain --pid host sh -c 'sleep 4321 & echo started'
	assert_success
	run_chain --name web2 --pid container:web sh -c 'sleep 4322 & echo started'
	assert_success
	run pgrep -f '^sleep 432[12]$'
	assert_failure
}

@test "sharing: when web ends, a container in its PID namespace is killed with it" {
	start_named web sleep 60
	local web=$BG_PID
	start_container --name web2 --pid container:web sleep 60
	local web2=$BG_PID
	wait_until 20 test -s "$REGISTRY/web2/host-pid"
	kill -TERM "$web"
	wait_for_exit "$web" 20
	wait_for_exit "$web2" 20
	assert_equal "$status" 137
}

# A process of the host's, as root with every capability, in a directory
# of the test's: the container reaches its files through /proc/PID/cwd
# where the kernel allows it ptrace access to the process.
start_host_process() {
	echo marker >"$BATS_TEST_TMPDIR/marker"
	(cd "$BATS_TEST_TMPDIR" && exec sleep 60) &
	HOST_PID=$!
	BACKGROUND_PIDS+=("$HOST_PID")
	wait_until 10 test "$(readlink "/proc/$HOST_PID/cwd")" = "$BATS_TEST_TMPDIR"
}

@test "escapes: --pid host with CAP_SYS_PTRACE reads the host's files through /proc/PID/cwd [--landlock off]" {
	start_host_process
	run_chain --pid host --cap-add SYS_PTRACE --landlock off cat "/proc/$HOST_PID/cwd/marker"
	assert_success
	assert_output marker
}

@test "escapes: --pid host does not reach the host's files through /proc/PID/cwd, with CAP_SYS_PTRACE neither [full chain]" {
	start_host_process
	run_chain --pid host cat "/proc/$HOST_PID/cwd/marker"
	assert_failure
	assert_output "cat: /proc/$HOST_PID/cwd/marker: Permission denied"
	run_chain --pid host --cap-add SYS_PTRACE cat "/proc/$HOST_PID/cwd/marker"
	assert_failure
	assert_output "cat: /proc/$HOST_PID/cwd/marker: Permission denied"
}

@test "bad input: --uts, --ipc, --pid and --net, before anything is created, exit 2" {
	local -a rows=(
		"--uts container:web|step1-uts: --uts: 'container:web' is neither private nor host (see step1-uts --help)"
		"--uts host --hostname web|step1-uts: --hostname web: --uts host keeps the host's hostname, which the container must not change (see step1-uts --help)"
		"--ipc container:nosuch|step1-uts: --ipc container:nosuch: no running container has this name (./enter --list)"
		"--ipc container:a/b|step1-uts: --ipc: 'container:a/b' is not private, host or container:NAME (see step1-uts --help)"
		"--name web --ipc container:web|step1-uts: --ipc container:web: that is this container's own --name (see step1-uts --help)"
		"--ipc container:web --sysctl kernel.shmmax=65536|step1-uts: --sysctl kernel.shmmax: an IPC namespace parameter, and --ipc container:NAME shares NAME's (see step1-uts --help)"
		"--pid shareable|step1-uts: --pid: 'shareable' is not private, host or container:NAME (see step1-uts --help)"
		"--pid container:nosuch|step1-uts: --pid container:nosuch: no running container has this name (./enter --list)"
		"--name web --pid container:web|step1-uts: --pid container:web: that is this container's own --name (see step1-uts --help)"
		"--pid host --until 6|step1-uts: --pid host: the container has no PID 1 whose end ends it; only step7's cgroup does, and --until 6 ends before it (see step1-uts --help)"
		"--net container:nosuch|step1-uts: --net container:nosuch: no running container has this name (./enter --list)"
		"--net container:a/b|step1-uts: --net: 'container:a/b' is not veth, none, host, container:NAME or pasta (see step1-uts --help)"
		"--net bridge|step1-uts: --net: 'bridge' is not veth, none, host, container:NAME or pasta (see step1-uts --help)"
		"--name web --net container:web|step1-uts: --net container:web: that is this container's own --name (see step1-uts --help)"
		"--net host --sysctl net.ipv4.ip_forward=1|step1-uts: --sysctl net.ipv4.ip_forward: a network namespace parameter, and --net host shares the host's (see step1-uts --help)"
	)
	local row
	for row in "${rows[@]}"; do
		# shellcheck disable=SC2086 # the row's words are the arguments
		run_chain ${row%%|*} true
		assert_failure 2
		assert_output "${row#*|}"
	done
}

# --- --net host, --net container:NAME (step3): a pod ------------------------

@test "pod: --net container:web joins web's network namespace: the same interfaces and address, no veth pair of its own" {
	start_named web sleep 60
	local before
	before=$(host_interfaces | grep -c '^mybr' || true)
	run_chain --name web2 --net container:web sh -c 'readlink /proc/self/ns/net; ip -br addr show | cut -d" " -f1'
	assert_success
	assert_line --index 0 "$(readlink "/proc/$CONTAINER_PID/ns/net")"
	assert_line --regexp '^mybr[0-9]+@if[0-9]+$'
	assert_equal "$(host_interfaces | grep -c '^mybr' || true)" "$before"
}

@test "pod: -v says step3 joins, not unshares" {
	start_named web sleep 60
	run_chain -v --until 3 --net container:web true
	assert_success
	assert_line --regexp '^step3-net: setns\([0-9]+<web/net>, CLONE_NEWNET\)$'
	refute_line "step3-net: unshare(CLONE_NEWNET)"
}

@test "pod: --net host keeps the host's network namespace and makes no veth pair" {
	run_chain --net host sh -c 'readlink /proc/self/ns/net'
	assert_success
	assert_output "$(readlink /proc/self/ns/net)"
}

@test "bad input: --net container: of a container whose supervisor was killed, exit 2" {
	start_named web sleep 60
	kill -KILL "$BG_PID"
	wait_for_exit "$BG_PID" 5
	run_chain --net container:web true
	assert_failure 2
	assert_output "step1-uts: --net container:web: no running container has this name (./enter --list)"
}
