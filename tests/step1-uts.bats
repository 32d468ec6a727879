#!/usr/bin/env bats
# step1-uts: a UTS namespace and the hostname.

load helpers

@test "step1-uts: the hostname inside is mycontainer [default]" {
	run_chain --until 1 hostname
	assert_success
	assert_output mycontainer
}

@test "step1-uts: the host's hostname is unchanged" {
	local before
	before=$(hostname)
	run_chain --until 1 hostname
	assert_success
	assert_equal "$(hostname)" "$before"
}

@test "step1-uts: --hostname sets the name inside" {
	run_chain --until 1 --hostname web-1.example hostname
	assert_success
	assert_output web-1.example
}

@test "step1-uts: the UTS namespace differs from the host's, the others do not yet [--until 1]" {
	run_chain --until 1 sh -c 'for n in uts pid net mnt; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	assert_line "pid $(host_namespace pid)"
	assert_line "net $(host_namespace net)"
	assert_line "mnt $(host_namespace mnt)"
}

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

@test "step1-uts: the kernel's nodename (uname -n) is the hostname inside [--until 1]" {
	run_chain --until 1 --hostname node-7 uname -n
	assert_success
	assert_output node-7
}

@test "step1-uts: ./step1 --until 1 starts no supervisor: COMMAND is the process started" {
	start_container --until 1 sleep 30
	wait_until 5 eval "[ \"\$(cat /proc/$BG_PID/comm)\" = sleep ]"
	refute [ "$(stat -Lc %i "/proc/$BG_PID/ns/uts")" = "$(host_namespace uts)" ]
}
