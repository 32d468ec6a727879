#!/usr/bin/env bats
# step6-caps: Docker's fourteen capabilities, nothing inheritable or
# ambient, and no_new_privs.

load helpers

# Docker's default set (moby's oci/caps/defaults.go) as /proc shows it.
DOCKER_CAPS=00000000a80425fb

# The capability sets of COMMAND at the end of `step1 ARGS...`: each line
# "CapEff 00000000a80425fb". Sets $output and $status as bats' run.
run_caps() {
	run_chain "$@" sh -c 'grep -E "^(Cap[A-Za-z]+|NoNewPrivs):" /proc/self/status | tr -d ":" | tr "\t" " "'
}

# A 64-bit mask as /proc shows it.
hex_mask() { printf '%016x' "$1"; }

# The host's own set, read by this shell.
host_caps() { awk -v field="$1:" '$1 == field {print $2}' /proc/self/status; }

# bats test_tags=exercise:6-1,exercise:6-2
@test "step6-caps: the bounding, permitted and effective sets are Docker's 14" {
	run_caps --until 6
	assert_success
	assert_line "CapBnd $DOCKER_CAPS"
	assert_line "CapPrm $DOCKER_CAPS"
	assert_line "CapEff $DOCKER_CAPS"
}

# bats test_tags=exercise:6-2
@test "step6-caps: the inheritable and ambient sets are empty" {
	run_caps --until 6
	assert_success
	assert_line "CapInh 0000000000000000"
	assert_line "CapAmb 0000000000000000"
}

# bats test_tags=exercise:6-3
@test "step6-caps: no_new_privs is set" {
	run_caps --until 6
	assert_success
	assert_line "NoNewPrivs 1"
}

# bats test_tags=exercise:6-3
@test "step6-caps: no_new_privs is set without a filter [--seccomp unconfined]" {
	run_caps --seccomp unconfined
	assert_success
	assert_line "NoNewPrivs 1"
}

# PR_CAPBSET_DROP leaves the inheritable set alone, and root's exec makes
# it permitted again (capabilities(7)): a capability the caller left there
# (bit 21, CAP_SYS_ADMIN) comes back unless step6 empties the set.
# bats test_tags=exercise:6-2
@test "step6-caps: a capability the caller left inheritable is not regained [setpriv --inh-caps +sys_admin]" {
	run setpriv --inh-caps +sys_admin "$STEPS/step1" --until 6 sh -c \
		'grep -E "^Cap[A-Za-z]+:" /proc/self/status | tr -d ":" | tr "\t" " "'
	assert_success
	assert_line "CapInh 0000000000000000"
	assert_line "CapPrm $DOCKER_CAPS"
	assert_line "CapEff $DOCKER_CAPS"
}

# bats test_tags=exercise:6-2
@test "step6-caps: mount fails though the caller left CAP_SYS_ADMIN inheritable [setpriv --inh-caps +sys_admin --seccomp unconfined]" {
	run setpriv --inh-caps +sys_admin "$STEPS/step1" --seccomp unconfined mount -t tmpfs inherited /mnt
	assert_failure
	assert_output --partial "ermission denied"
}

# bats test_tags=exercise:6-1
@test "step6-caps: the full chain keeps Docker's 14" {
	run_caps
	assert_success
	assert_line "CapEff $DOCKER_CAPS"
	assert_line "CapBnd $DOCKER_CAPS"
}

# bats test_tags=exercise:6-1
@test "step6-caps: --cap-add takes NET_ADMIN, cap_net_admin and CAP_NET_ADMIN, and adds bit 12" {
	local name expected
	expected=$(hex_mask $((0x$DOCKER_CAPS | 1 << 12)))
	for name in NET_ADMIN cap_net_admin CAP_NET_ADMIN; do
		run_caps --until 6 --cap-add "$name"
		assert_success
		assert_line "CapEff $expected" || fail "--cap-add $name did not add bit 12"
		assert_line "CapBnd $expected"
	done
}

# bats test_tags=exercise:6-1
@test "step6-caps: --cap-drop CHOWN removes bit 0" {
	run_caps --until 6 --cap-drop CHOWN
	assert_success
	assert_line "CapEff $(hex_mask $((0x$DOCKER_CAPS & ~1)))"
	assert_line "CapBnd $(hex_mask $((0x$DOCKER_CAPS & ~1)))"
}

# bats test_tags=exercise:6-1
@test "step6-caps: --cap-drop ALL leaves no capability" {
	run_caps --until 6 --cap-drop ALL
	assert_success
	assert_line "CapBnd 0000000000000000"
	assert_line "CapPrm 0000000000000000"
	assert_line "CapEff 0000000000000000"
}

# bats test_tags=exercise:6-1
@test "step6-caps: --cap-drop ALL --cap-add NET_RAW leaves only NET_RAW" {
	run_caps --until 6 --cap-drop ALL --cap-add NET_RAW
	assert_success
	assert_line "CapBnd $(hex_mask $((1 << 13)))"
	assert_line "CapPrm $(hex_mask $((1 << 13)))"
	assert_line "CapEff $(hex_mask $((1 << 13)))"
}

# Every capability of this kernel, as far as the host's root has it: a
# host (or an outer container) may have taken some out of its own
# bounding set, and no process can add those back.
# bats test_tags=exercise:6-1
@test "step6-caps: --cap-add ALL keeps every capability of this kernel the host's root has" {
	local last all
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$(hex_mask $(((1 << (last + 1)) - 1 & 0x$(host_caps CapBnd))))
	run_caps --until 6 --cap-add ALL
	assert_success
	assert_line "CapBnd $all"
	assert_line "CapEff $all"
}

@test "step6-caps: an unknown capability name exits 2 with one line, nothing created [--cap-add FOO]" {
	run --separate-stderr "$STEPS/step1" --cap-add FOO true
	assert_equal "$status" 2
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "step1-uts: --cap-add: 'FOO' is not a capability name (like NET_ADMIN or CAP_NET_ADMIN) (see step1-uts --help)"
}

@test "step6-caps: a capability number is not a name: exits 2 with one line [--cap-add 12]" {
	run --separate-stderr "$STEPS/step1" --cap-add 12 true
	assert_equal "$status" 2
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "step1-uts: --cap-add: '12' is not a capability name"* ]]
}

@test "step6-caps: before step6 the container's root has the host root's set [--until 5]" {
	run_caps --until 5
	assert_success
	assert_line "CapEff $(host_caps CapEff)"
	assert_line "CapBnd $(host_caps CapBnd)"
	assert_line "NoNewPrivs $(host_caps NoNewPrivs)"
}
