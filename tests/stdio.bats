#!/usr/bin/env bats
# stdio: the container's stdin, stdout and stderr, relayed by the supervisor
# (supervisor/relay.c). Pipes when the caller's stdin or stdout is not a
# terminal, a terminal of the container's own when both are.

load helpers

# in_terminal SCRIPT [[--after TEXT] INPUT]...: SCRIPT under script(1), on a
# pseudo-terminal of its own, as an interactive ./step1 has; each INPUT is
# typed into that terminal one second after the one before or, with
# --after, once the terminal has shown TEXT (within 60 s: a slow machine
# starts the container later, and a key typed before COMMAND is ready tests
# nothing). Carriage returns are dropped.
in_terminal() {
	local script=$1 screen=$BATS_TEST_TMPDIR/terminal
	shift
	: >"$screen"
	# The input side reads the screen while script(1) writes it, on purpose.
	# shellcheck disable=SC2094
	SHELL=/bin/bash script -qec "$script" /dev/null >"$screen" 2>&1 < <(
		exec 3>&-
		while [ $# -gt 0 ]; do
			if [ "$1" = --after ]; then
				for _ in $(seq 600); do
					grep -qF -- "$2" "$screen" && break
					sleep 0.1
				done
				shift 2
			else
				sleep 1
			fi
			printf '%b' "$1"
			shift
		done
		sleep 5
	)
	status=$?
	output=$(tr -d '\r' <"$screen")
	mapfile -t lines <<<"$output"
}

@test "stdio: COMMAND's 0, 1 and 2 are the supervisor's pipes, not the caller's files" {
	run_chain sh -c 'readlink /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2' <"$BATS_TEST_TMPDIR"/../
	assert_success
	assert_line --index 0 --regexp '^pipe:\[[0-9]+\]$'
	assert_line --index 1 --regexp '^pipe:\[[0-9]+\]$'
	assert_line --index 2 --regexp '^pipe:\[[0-9]+\]$'
}

@test "stdio: COMMAND reads the caller's stdin to its end" {
	run bash -c "printf 'one\ntwo\n' | '$STEPS/step1' cat"
	assert_success
	assert_output $'one\ntwo'
}

@test "stdio: COMMAND reads EOF when the caller has no stdin at all" {
	run bash -c "'$STEPS/step1' cat <&-"
	assert_success
	assert_output ""
}

@test "stdio: stdout and stderr stay apart" {
	run --separate-stderr "$STEPS/step1" sh -c 'echo to-stdout; echo to-stderr >&2'
	assert_success
	assert_output to-stdout
	[ "$stderr" = to-stderr ]
}

@test "stdio: a large output arrives whole and in order" {
	run bash -c "'$STEPS/step1' seq 1 500000 | md5sum"
	assert_success
	assert_output "$(seq 1 500000 | md5sum)"
}

@test "stdio: a reader that goes away ends COMMAND's writes (SIGPIPE), not the supervisor" {
	# Not PID 1 itself: the kernel does not kill a namespace's init with a
	# signal it has no handler for, so PID 1 would see EPIPE instead.
	run timeout 20 bash -c "'$STEPS/step1' sh -c 'seq 1 100000000; echo status \$? >&2' | head -n 2"
	assert_success
	assert_output $'1\n2\nstatus 141'
}

@test "stdio: COMMAND runs in a session of its own" {
	run_chain sh -c 'ps -o sid=,pid= -p 1'
	assert_success
	assert_output --regexp '^ *1 +1$'
}

@test "stdio: on a terminal, COMMAND gets a terminal of its own with the caller's size, and its exit status" {
	in_terminal "stty rows 33 cols 101; $STEPS/step1 sh -c 'tty; stty size; exit 7'; echo status=\$?"
	assert_line /dev/pts/0
	assert_line "33 101"
	assert_line status=7
}

@test "stdio: on a terminal, Ctrl-C reaches the container's foreground job through its own terminal" {
	in_terminal "$STEPS/step1 sh -c 'trap \"echo interrupted; exit 3\" INT; echo ready; sleep 10 & wait'; echo status=\$?" --after ready '\003'
	assert_line ready
	# The terminal's echo of ^C comes before one of the two lines, as the
	# relay happens to pass it.
	assert_line --regexp '^(\^C)?interrupted$'
	assert_line --regexp '^(\^C)?status=3$'
}

@test "stdio: on a terminal, what is typed reaches COMMAND, and EOF (Ctrl-D) ends it" {
	in_terminal "$STEPS/step1 sh -c 'echo ready; read -r line; echo \"got: \$line\"; cat; echo eof'; echo status=\$?" \
		--after ready 'hello\r' --after 'got: hello' '\004'
	assert_line "got: hello"
	assert_line eof
	assert_line status=0
}

@test "stdio: without a terminal of its own, Ctrl-C at the caller's terminal reaches COMMAND" {
	in_terminal "$STEPS/step1 sh -c 'trap \"echo interrupted; exit 3\" INT; echo ready; sleep 10 & wait' </dev/null; echo status=\$?" --after ready '\003'
	assert_line ready
	assert_line --regexp '^(\^C)?interrupted$' # after the terminal's echo of ^C
	assert_line --regexp '^(\^C)?status=3$'
}

@test "stdio: the caller's terminal modes are given back after the container [terminal]" {
	in_terminal "before=\$(stty -g); $STEPS/step1 true; [ \"\$(stty -g)\" = \"\$before\" ] && echo modes: as before"
	assert_line "modes: as before"
}

@test "stdio: without a terminal of its own, Ctrl-Z stops the container with the supervisor and fg continues both" {
	# An interactive bash, for job control; --norc: nothing of the host's;
	# --noediting: no line editor's escapes in the output. It echoes what
	# is typed, so the lines waited for are computed: first-42, not the
	# typed first-$((6 * 7)). The container's processes stop a moment after
	# the supervisor: wait (5 s at most) for the sleep's T before ps.
	in_terminal "bash --norc --noediting -i" \
		"$STEPS/step1 sh -c 'echo first-\$((6 * 7)); sleep 5; echo second-\$((6 * 7))' </dev/null\n" \
		--after first-42 '\032' \
		--after Stopped "i=0; until ps -o stat= -C sleep | grep -q ^T || [ \$((i += 1)) -gt 50 ]; do sleep 0.1; done; ps -o stat=,comm= -C step2-pid,sleep | sort -u | tr '\\\\n' ' '; echo; fg\n" \
		--after second-42 'echo status=$?; exit\n'
	assert_line --regexp 'Stopped +.*step1'
	assert_line --regexp 'T +sleep T +step2-pid $' # other sleeps of the host's may be listed too
	assert_line second-42
	assert_line --regexp 'status=0$'
	refute_line --partial 'bash: fg:' # the job was there to continue
}

@test "stdio: ./enter on a terminal gives COMMAND a terminal in the container, where Ctrl-C reaches it" {
	start_container --name web sleep 60
	wait_until 20 test -s /run/under-the-hood/names/web/host-pid
	in_terminal "${ENTER:-$STEPS/enter} web sh -c 'tty; trap \"echo interrupted; exit 3\" INT; echo ready; sleep 10 & wait'; echo status=\$?" --after ready '\003'
	assert_line --regexp '^/dev/pts/[0-9]+$'
	assert_line ready
	assert_line --regexp '^(\^C)?interrupted$'
	assert_line --regexp '^(\^C)?status=3$'
}
