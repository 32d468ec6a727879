#!/usr/bin/env bats
# The whole chain, step1 to the last: options, exit statuses, signals, the
# hand-over between steps, what COMMAND gets, and ways of starting it.

load helpers

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	MARK=bats-chain-$$-$BATS_TEST_NUMBER-$RANDOM
}

container_pid() { pgrep -o -f "^sh -c .*$MARK"; } # the oldest: not a fork of it
container_runs() { container_pid >/dev/null; }
container_gone() { ! container_runs; }
link_is_gone() { ! ip link show "$1" >/dev/null 2>&1; }

# --- running it ---------------------------------------------------------

@test "chain: the whole chain runs COMMAND as PID 1 in mycontainer" {
	run_chain sh -c 'echo "$(hostname) $$"'
	assert_success
	assert_output "mycontainer 1"
}

@test "chain: the whole chain runs COMMAND in the skeleton's root" {
	run_chain cat /etc/passwd
	assert_success
	assert_output "$(cat "$SKEL/etc/passwd")"
}

@test "chain: COMMAND's own options pass untouched [ls -la /]" {
	run_chain ls -la /
	assert_success
	assert_line --regexp ' etc$'
	assert_line --regexp ' \.\.?$'
}

@test "chain: options after COMMAND are COMMAND's, not the chain's [--until 1]" {
	run --separate-stderr "$STEPS/step1" --until 1 sh -c 'echo "$*"; hostname' sh --hostname evil -v
	assert_success
	assert_output $'--hostname evil -v\nmycontainer'
	assert_equal "$stderr" ""
}

@test "chain: -- ends the options: '-- -v' runs a command named -v, exit 127" {
	run --separate-stderr "$STEPS/step1" -- -v
	assert_failure 127
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "${STEP_FOLDERS[LAST_STEP]}: -v: command not found"
}

@test "chain: runs from another directory [cd /tmp]" {
	cd /tmp
	run "$STEPS/step1" hostname
	assert_success
	assert_output mycontainer
}

@test "chain: runs through a symlink to step1 from another directory" {
	ln -s "$STEPS/step1" "$BATS_TEST_TMPDIR/container"
	cd "$BATS_TEST_TMPDIR"
	run "$BATS_TEST_TMPDIR/container" cat /etc/passwd
	assert_success
	assert_output "$(cat "$SKEL/etc/passwd")"
}

@test "chain: does not take later steps from the current directory" {
	# A fake step2 in the current directory must not run.
	mkdir "$BATS_TEST_TMPDIR/fake"
	printf '#!/bin/sh\necho fake step2\n' >"$BATS_TEST_TMPDIR/fake/step2"
	chmod +x "$BATS_TEST_TMPDIR/fake/step2"
	cd "$BATS_TEST_TMPDIR/fake"
	run "$STEPS/step1" --until 2 sh -c 'echo $$'
	assert_success
	assert_output 1
}

@test "chain: does not take later steps from PATH" {
	mkdir "$BATS_TEST_TMPDIR/fake"
	printf '#!/bin/sh\necho fake step2\n' >"$BATS_TEST_TMPDIR/fake/step2"
	chmod +x "$BATS_TEST_TMPDIR/fake/step2"
	PATH=$BATS_TEST_TMPDIR/fake:$PATH run "$STEPS/step1" --until 2 sh -c 'echo $$'
	assert_success
	assert_output 1
}

# --- the default command --------------------------------------------------

@test "chain: --until 2 with no COMMAND gives a login shell on the host's files as PID 1" {
	echo "$MARK" >"$BATS_TEST_TMPDIR/marker"
	run bash -c "echo 'echo pid=\$\$; cat $BATS_TEST_TMPDIR/marker' | '$STEPS/step1' --until 2"
	assert_success
	assert_line pid=1
	assert_line "$MARK"
}

@test "chain: no COMMAND gives bash as a login shell in the container" {
	run bash -c "echo 'echo \$0 pid=\$\$ \$(hostname); shopt -q login_shell && echo login' | '$STEPS/step1'"
	assert_success
	assert_line 'bash pid=1 mycontainer'
	assert_line login
}

# --- exit statuses -----------------------------------------------------------

@test "chain: exit status 0 of COMMAND" {
	run_chain true
	assert_success
}

@test "chain: exit status 7 of COMMAND" {
	run_chain sh -c 'exit 7'
	assert_failure 7
}

@test "chain: exit status 1 of COMMAND [false]" {
	run_chain false
	assert_failure 1
}

@test "chain: a COMMAND not in the container exits 127 with one line" {
	run --separate-stderr "$STEPS/step1" no-such-command-here
	assert_failure 127
	assert_output ""
	assert_equal "$stderr" "${STEP_FOLDERS[LAST_STEP]}: no-such-command-here: command not found"
}

@test "chain: a COMMAND that is not executable exits 126 with one line" {
	run --separate-stderr "$STEPS/step1" /etc/passwd
	assert_failure 126
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "${STEP_FOLDERS[LAST_STEP]}: cannot execute /etc/passwd: Permission denied"
}

@test "chain: a host program absent from the skeleton exits 127 [--until 5]" {
	run --separate-stderr "$STEPS/step1" --until 5 "$(command -v setpriv)"
	assert_failure 127
	assert_equal "$stderr" "step5-rootfs: $(command -v setpriv): command not found"
}

@test "chain: the same host program runs on the host's files [--until 4]" {
	run_chain --until 4 "$(command -v setpriv)" --version
	assert_success
}

@test "chain: 128+15 when COMMAND dies of SIGTERM [--until 1, no PID namespace]" {
	run_chain --until 1 sh -c 'kill -TERM $$'
	assert_failure 143
}

@test "chain: 137 when PID 1 is killed with SIGKILL from the host" {
	start_container sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	kill -KILL "$(container_pid)"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
}

# --- signals --------------------------------------------------------------------

@test "chain: SIGTERM to the supervisor reaches PID 1's TERM handler, status 3" {
	start_container sh -c "trap 'exit 3' TERM; echo ready; while :; do sleep 0.1; done; : $MARK"
	wait_until 10 grep -qx ready "$BG_OUT" # its trap is set
	assert_equal "$(cat "/proc/$BG_PID/comm")" step2-pid
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 3
}

@test "chain: SIGTERM escalates to SIGKILL after --stop-timeout 1 when PID 1 has no handler, status 137" {
	start_container --stop-timeout 1 sh -c "sleep 100; : $MARK"
	wait_until 10 container_runs
	local started=$SECONDS
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
	[ $((SECONDS - started)) -le 4 ]
}

@test "chain: SIGKILL of the supervisor kills every process of the container" {
	start_container sh -c "sleep 100 & sleep 100; : $MARK"
	wait_until 10 container_runs
	local pid
	pid=$(container_pid)
	wait_until 5 eval "[ \$(pgrep -P $pid | wc -l) -eq 2 ]"
	local children
	children=$(pgrep -P "$pid" | tr '\n' ' ')
	kill -KILL "$BG_PID"
	wait_until 5 container_gone
	for child in $children; do
		wait_until 5 eval "! kill -0 $child 2>/dev/null"
	done
}

@test "chain: the container ends when the supervisor ends it, and the host end of its veth goes" {
	start_container --stop-timeout 0 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	kill -TERM "$BG_PID"
	wait_for_exit "$BG_PID" 5
	assert_equal "$status" 137
	wait_until 10 link_is_gone mybr0
}

# --- what COMMAND gets ------------------------------------------------------------

@test "chain: the environment is exactly PATH, HOME, TERM and HOSTNAME [env]" {
	TERM=xterm-bats run "$STEPS/step1" env
	assert_success
	run sort <<<"$output"
	assert_output "$(printf '%s\n' HOME=/root HOSTNAME=mycontainer \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-bats)"
}

@test "chain: the environment has no TERM when the caller has none [env]" {
	run env -u TERM "$STEPS/step1" env
	assert_success
	refute_line --regexp '^TERM='
	assert_line HOSTNAME=mycontainer
}

@test "chain: HOSTNAME follows --hostname [env]" {
	run_chain --hostname web-1 env
	assert_success
	assert_line HOSTNAME=web-1
}

@test "chain: the caller's SUDO_* and CHAIN_* variables do not reach COMMAND [env]" {
	run env SUDO_USER=alice SUDO_UID=1000 CHAIN_SUPERVISOR=1 CHAIN_EXTRA=x BATS_MARK="$MARK" \
		"$STEPS/step1" env
	assert_success
	refute_line --regexp '^SUDO_'
	refute_line --regexp '^CHAIN_'
	refute_line --partial "$MARK"
}

@test "chain: the environment is the same at the end of a shorter chain [--until 1, env]" {
	run env SUDO_USER=alice CHAIN_EXTRA=x TERM=xterm-bats "$STEPS/step1" --until 1 env
	assert_success
	run sort <<<"$output"
	assert_output "$(printf '%s\n' HOME=/root HOSTNAME=mycontainer \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-bats)"
}

@test "chain: a CHAIN_CGROUP_FD left in the caller's environment does not break a chain without step7 [--until 5]" {
	run env CHAIN_CGROUP_FD=x "$STEPS/step1" --until 5 env
	assert_success
	refute_line --regexp '^CHAIN_'
}

@test "chain: COMMAND gets descriptors 0, 1 and 2 only" {
	run_chain sh -c 'ls /proc/$$/fd'
	assert_success
	assert_output $'0\n1\n2'
}

@test "chain: descriptors the caller opened do not reach COMMAND" {
	exec 7</ 8>"$BATS_TEST_TMPDIR/x"
	run_chain sh -c 'ls /proc/$$/fd'
	exec 7<&- 8>&-
	assert_success
	assert_output $'0\n1\n2'
}

@test "chain: descriptors the caller opened do reach a command on the host (the control)" {
	exec 7</ 8>"$BATS_TEST_TMPDIR/x"
	run sh -c 'ls /proc/$$/fd'
	exec 7<&- 8>&-
	assert_success
	assert_line 7
	assert_line 8
}

@test "chain: descriptors the caller opened do not reach COMMAND [--until 1]" {
	exec 7</ 8>"$BATS_TEST_TMPDIR/x"
	run_chain --until 1 sh -c 'ls /proc/$$/fd'
	exec 7<&- 8>&-
	assert_success
	assert_output $'0\n1\n2'
}

@test "chain: /proc/1/exe of the container is COMMAND, not a step" {
	run_chain readlink /proc/1/exe
	assert_success
	assert_output /usr/bin/readlink
}

# --- narration and help ---------------------------------------------------------------

@test "chain: -v narrates the calls on stderr [step3-net: unshare(CLONE_NEWNET)]" {
	run --separate-stderr "$STEPS/step1" -v --until 3 true
	assert_success
	assert_output ""
	run echo "$stderr"
	assert_line 'step3-net: unshare(CLONE_NEWNET)'
	assert_line 'step1-uts: unshare(CLONE_NEWUTS)'
	assert_line 'step2-pid: unshare(CLONE_NEWPID)'
}

@test "chain: without -v, stderr is empty" {
	run --separate-stderr "$STEPS/step1" true
	assert_success
	assert_equal "$stderr" ""
}

@test "chain: with -v, stdout is COMMAND's only" {
	run --separate-stderr "$STEPS/step1" -v echo only-this
	assert_success
	assert_output only-this
	[ "${#stderr_lines[@]}" -gt 10 ]
}

@test "chain: -v shows each step narrating, in order, step1 to the last" {
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	# The supervisor (step2-pid) speaks again at the end: first appearances.
	run bash -c 'cut -d: -f1 | awk "!seen[\$0]++"' <<<"$stderr"
	assert_output "$(printf '%s\n' "${STEP_FOLDERS[@]}")"
}

@test "chain: every step executes the next by descriptor [-v]" {
	run --separate-stderr "$STEPS/step1" -v true
	assert_success
	local step
	for ((step = 2; step <= LAST_STEP; step++)); do
		assert_regex "$stderr" "execveat\([0-9]+, \"\", \[\"${STEP_FOLDERS[step]}\", \.\.\.\], AT_EMPTY_PATH\)"
	done
}

@test "chain: --help exits 0 with the usage on stdout and nothing on stderr" {
	run --separate-stderr "$STEPS/step1" --help
	assert_success
	assert_line --index 0 --partial 'Usage: step1-uts'
	assert_equal "$stderr" ""
}

@test "chain: --help documents every long option of the parser" {
	run "$STEPS/step1" --help
	assert_success
	local options option
	options=$(grep -o '{ "[a-z-]*", [a-z_]*_argument' "$PROJECT/options/options.c" | cut -d'"' -f2)
	[ -n "$options" ]
	for option in $options; do
		assert_output --regexp "(^|[ ,])--$option( |$)"
	done
}

@test "chain: --help documents the options by name [the list in the tests]" {
	run "$STEPS/step1" --help
	assert_success
	for option in help verbose until hostname skel rootfs-size overlay net host-ip ip \
		stop-timeout cap-add cap-drop memory cpus pids seccomp; do
		assert_output --regexp "(^|[ ,])--$option( |$)"
	done
	assert_output --partial '-h, --help'
	assert_output --partial '-v, --verbose'
}

@test "chain: every step's --help names that step and exits 0" {
	local step
	for ((step = 1; step <= LAST_STEP; step++)); do
		run "$STEPS/step$step" --help
		assert_success
		assert_line --index 0 "Usage: ${STEP_FOLDERS[step]} [OPTIONS] [--] [COMMAND [ARG...]]"
	done
}

@test "chain: --help creates nothing, even with other options" {
	run "$STEPS/step1" --hostname x --help true
	assert_success
	assert_equal "$(host_state)" "$HOST_STATE_BEFORE"
}

# --- later steps run directly ----------------------------------------------------------

@test "chain: ./step2 --until 2 runs COMMAND as PID 1 without a UTS namespace" {
	run_step 2 --until 2 sh -c 'echo $$; stat -Lc %i /proc/self/ns/uts'
	assert_success
	assert_output "$(printf '1\n%s' "$(host_namespace uts)")"
}

@test "chain: ./step3 --until 3 shows lo and mybr1 inside" {
	run_step 3 --until 3 ip -br link
	assert_success
	assert_line --regexp '^lo '
	# The flags, not the operational state: the kernel updates that from a
	# work queue (linkwatch), up to a second after the link came up.
	assert_line --regexp '^mybr1@[a-z0-9]+ .*[<,]UP[,>]'
	assert_equal "${#lines[@]}" 2
}

leads_its_process_group() { [ "$(ps -o pgid= -p "$1" | tr -d ' ')" = "$1" ]; }

@test "chain: ./step3 --until 3 gives the host mybr0 while it runs" {
	start_step 3 --until 3 sh -c "sleep 100; : $MARK"
	# setsid(1) makes it a group leader when it runs, a moment after the fork.
	wait_until 10 leads_its_process_group "$BG_PID"
	wait_until 10 link_is_up mybr0
	run ping -c1 -W2 192.168.47.12
	assert_success
}

@test "chain: ./step4 --until 5 runs the container's root" {
	run_step 4 --until 5 cat /etc/passwd
	assert_success
	assert_output "$(cat "$SKEL/etc/passwd")"
}

@test "chain: ./step3 runs the rest of the chain to the last step" {
	run_step 3 sh -c 'hostname; echo $$; cat /etc/passwd'
	assert_success
	assert_line "$(head -1 "$SKEL/etc/passwd")"
}

# --- several containers at once -------------------------------------------------------------

@test "chain: two whole containers run at once, each with its hostname and network" {
	start_container --hostname first sh -c "hostname; ping -c1 -W2 192.168.47.11 >/dev/null && echo pinged; echo done; sleep 100; : $MARK"
	local first_out=$BG_OUT
	wait_until 10 eval "grep -q '^done' '$first_out'"
	start_container --hostname second sh -c "hostname; ping -c1 -W2 192.168.48.11 >/dev/null && echo pinged; echo done; sleep 100; : $MARK"
	wait_until 10 eval "grep -q '^done' '$BG_OUT'"
	assert_equal "$(cat "$first_out")" $'first\npinged\ndone'
	assert_equal "$(cat "$BG_OUT")" $'second\npinged\ndone'
}

@test "chain: three short containers started at once all succeed" {
	local pids=() i
	for i in 1 2 3; do
		start_container --hostname "c$i" sh -c 'hostname; ip -4 -o addr show | grep -c mybr'
		pids+=("$BG_PID")
	done
	for i in 0 1 2; do
		wait_for_exit "${pids[$i]}" 20
		assert_equal "$status" 0
		assert_equal "$(cat "$BATS_TEST_TMPDIR/background-$i.out")" "$(printf 'c%d\n1' $((i + 1)))"
	done
}
