#!/usr/bin/env bats
# The learner's loop (mk/exercises.mk): make exercise writes a copy of a
# step with TODOs, make check grades it with the step's own tests in
# throwaway namespaces, make hint and make solution help. Step1's two
# exercises stand for all; make test-exercises checks every step's.

load helpers

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	HOSTNAME_BEFORE=$(cat /proc/sys/kernel/hostname)
	# A copy of the learner's folder of its own, never the checkout's
	# exercise/, where a learner's work may be.
	COPIES=$BATS_TEST_TMPDIR/exercise
	COPY=$COPIES/step1-uts
}

teardown() {
	rm -rf "$PROJECT/build/grade/$(echo "$COPY" | tr / _)"
	[ "$(cat /proc/sys/kernel/hostname)" = "$HOSTNAME_BEFORE" ] ||
		echo "# the host's hostname changed" >&2
	assert_equal "$(cat /proc/sys/kernel/hostname)" "$HOSTNAME_BEFORE"
	wait_for_host_state "$HOST_STATE_BEFORE"
}

exercise_make() { make --no-print-directory -s -C "$PROJECT" EXERCISE_DIR="$COPIES" "$@"; }

@test "exercises: make exercise STEP=1 writes the copy with a TODO for each exercise, and lists them" {
	run exercise_make exercise STEP=1
	assert_success
	assert_line --partial '1.1 (step1-uts.c): A UTS namespace of its own'
	assert_line --partial '1.2 (step1-uts.c): '
	assert_line --partial 'TUTORIAL.md, chapter 1'
	run grep -c 'exercise_not_done("1\.[12]")' "$COPY/step1-uts.c"
	assert_output 2
	run grep -E 'unshare\(CLONE_NEWUTS\) ==|sethostname\(hostname' "$COPY/step1-uts.c"
	assert_failure
	# the rest of the step stays: the IPC namespace is no exercise
	grep -q 'unshare(CLONE_NEWIPC) == -1' "$COPY/step1-uts.c"
	[ ! -e "$COPY/exercises.md" ] # its list of mistakes gives the answers away
}

@test "exercises: the TODO copy builds, and its step says which exercise is not done, exit 125" {
	exercise_make exercise STEP=1 >/dev/null
	GRADE_BUILD_ONLY=1 bash "$PROJECT/tools/grade.sh" 1 "$COPY"
	run "$PROJECT/build/grade/$(echo "$COPY" | tr / _)/step1" --until 1 true
	assert_equal "$status" 125
	assert_output 'step1-uts: exercise 1.1 is not done (make hint STEP=1)'
}

@test "exercises: make check STEP=1 on the untouched copy fails, naming exercise 1.1 and its first hint" {
	exercise_make exercise STEP=1 >/dev/null
	run exercise_make check STEP=1
	assert_failure
	assert_line "exercise 1.1, A UTS namespace of its own: NOT PASSED (4 of 4 tests failed)"
	assert_line --partial '    hint: Which namespace holds the hostname?'
	# 1.2's tests stop at 1.1's TODO, which comes first in the step
	assert_line "exercise 1.2, The container's hostname: not graded yet: its tests stop at the TODO of 1.1 first"
}

@test "exercises: a copy with unshare(0) fails make check, and the host's hostname is unchanged" {
	exercise_make exercise STEP=1 >/dev/null
	cp "$PROJECT/step1-uts/step1-uts.c" "$COPY/step1-uts.c"
	sed -i 's/unshare(CLONE_NEWUTS) == -1/unshare(0) == -1/' "$COPY/step1-uts.c"
	grep -q 'unshare(0) == -1' "$COPY/step1-uts.c"
	run exercise_make check STEP=1
	assert_failure
	assert_line --regexp '^exercise 1\.1, A UTS namespace of its own: NOT PASSED'
	assert_equal "$(cat /proc/sys/kernel/hostname)" "$HOSTNAME_BEFORE"
}

@test "exercises: make check STEP=1 ID=1.2 runs only the tests of exercise 1.2" {
	exercise_make exercise STEP=1 >/dev/null
	# 1.1 done, as the reference has it
	sed -i '/TODO exercise 1.1/,/exercise_not_done("1.1");/c\	if (unshare(CLONE_NEWUTS) == -1)\n\t\tdie_call();' "$COPY/step1-uts.c"
	run exercise_make check STEP=1 ID=1.2
	assert_failure
	assert_line --regexp '^exercise 1\.2, .*: NOT PASSED \(3 of 3 tests failed\)'
	assert_line 'exercise 1.1, A UTS namespace of its own: not graded (no test of it ran)'
}

@test "exercises: make hint shows the next hint of the first unfinished exercise, one more each time" {
	exercise_make exercise STEP=1 >/dev/null
	run exercise_make hint STEP=1
	assert_line 'exercise 1.1, A UTS namespace of its own: hint 1 of 3'
	run exercise_make hint STEP=1
	assert_line 'exercise 1.1, A UTS namespace of its own: hint 2 of 3'
	# exercise 1.1 done: the hints move on to 1.2
	sed -i '/TODO exercise 1.1/,/exercise_not_done("1.1");/c\	if (unshare(CLONE_NEWUTS) == -1)\n\t\tdie_call();' "$COPY/step1-uts.c"
	run exercise_make hint STEP=1
	assert_line --regexp "^exercise 1\.2, The container's hostname: hint 1 of "
}

@test "exercises: make solution keeps the learner's file as .mine, shows the diff, and then make check passes" {
	exercise_make exercise STEP=1 >/dev/null
	run exercise_make solution STEP=1
	assert_success
	assert_line "--- yours: $COPY/step1-uts.c.mine"
	assert_line '+	if (unshare(CLONE_NEWUTS) == -1)'
	assert_line '-	exercise_not_done("1.1");'
	cmp "$COPY/step1-uts.c" "$PROJECT/step1-uts/step1-uts.c"
	grep -q 'exercise_not_done("1.1")' "$COPY/step1-uts.c.mine"
	run exercise_make check STEP=1
	assert_success
	assert_line 'exercise 1.1, A UTS namespace of its own: passed (4 tests)'
	assert_line --regexp '^exercise 1\.2, .*: passed \(3 tests\)$'
}

@test "exercises: make exercise never overwrites the learner's work without FORCE=1" {
	exercise_make exercise STEP=1 >/dev/null
	echo '/* my work */' >>"$COPY/step1-uts.c"
	run -2 exercise_make exercise STEP=1
	assert_output --partial "step1-uts/ is there already, with your work"
	assert_equal "${#lines[@]}" 1
	grep -q 'my work' "$COPY/step1-uts.c"
	exercise_make exercise STEP=1 FORCE=1 >/dev/null
	run grep -q 'my work' "$COPY/step1-uts.c"
	assert_failure
}

@test "exercises: bad input is one line and status 2, and writes nothing" {
	local arguments
	for arguments in "exercise" "exercise STEP=42" "exercise STEP=x" "check STEP=1" "hint STEP=1" \
		"solution STEP=1"; do
		# shellcheck disable=SC2086 # the words are separate arguments
		run -2 exercise_make $arguments
		echo "# make $arguments: $output"
		assert_equal "${#lines[@]}" 1
	done
	[ ! -e "$COPIES" ]
	exercise_make exercise STEP=1 >/dev/null
	run -2 exercise_make check STEP=1 ID=1.9
	assert_output --partial "step 1 has no exercise '1.9'"
}
