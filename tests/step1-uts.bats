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
