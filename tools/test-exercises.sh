#!/usr/bin/env bash
# test-exercises.sh [STEP...]: check the exercises themselves, as TAP, for
# each step with an exercises.md (default: all of them):
#  - the learner's copy, every exercise a TODO, builds with the project's
#    warnings;
#  - each exercise left undone, the others as the reference, fails at least
#    one of the tests tagged with it, and the verdict names it;
#  - each plausible mistake of exercises.md, applied to the reference, fails
#    at least one of its exercise's tagged tests (make mutants).
# The reference passing its tests is make test's part. Needs root, and the
# reference built (make all test-skel faults).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

steps=("$@")
if [ ${#steps[@]} -eq 0 ]; then
	for file in step*/exercises.md; do
		name=${file%%/*}
		number=${name#step}
		steps+=("${number%%-*}")
	done
fi

# Each grade.sh below reads /dev/null: from step2 on, the chain's supervisor
# relays its stdin to the container, and would eat the rest of the list the
# loop reads (step1's tests start no supervisor, so step1 never showed it).
work=build/exercises
rm -rf "$work"
mkdir -p "$work"
count=0 failed=0
# result OK|FAIL DESCRIPTION
result() {
	count=$((count + 1))
	if [ "$1" = OK ]; then
		echo "ok $count $2"
	else
		failed=$((failed + 1))
		echo "not ok $count $2"
	fi
}

# expect_failure STEP EXERCISE COPY DESCRIPTION: grade COPY with the tests
# tagged with EXERCISE: one of them must fail (grade.sh exits 1, and its
# verdict says the exercise did not pass). One is all it takes, so grade.sh
# stops at the first (GRADE_FIRST_FAILURE), which the result names.
# Its stdin is /dev/null: the containers of the tests relay theirs, and
# would read the rest of the list the caller's loop reads.
expect_failure() {
	local status failed
	GRADE_QUIET=1 GRADE_FIRST_FAILURE=1 \
		bash tools/grade.sh "$1" "$3" "$(python3 tools/exercises.py tag "$2")" \
		</dev/null >"$3.log" 2>&1
	status=$?
	failed=$(sed -n 's/^    failed: //p' "$3.log" | head -1)
	if [ $status -eq 1 ] && grep -q "^exercise ${2//./\\.}, .*: NOT PASSED" "$3.log"; then
		result OK "$4 (failed: $failed)"
	else
		result FAIL "$4: it passed, or did not build (grade.sh exited $status)"
		sed 's/^/# /' "$3.log"
	fi
}

for step in "${steps[@]}"; do
	copy=$work/step$step-todo
	python3 tools/exercises.py write "$step" "$copy" || exit 2
	if GRADE_BUILD_ONLY=1 bash tools/grade.sh "$step" "$copy" >"$copy.log" 2>&1; then
		result OK "exercises: step$step with every exercise a TODO builds"
	else
		result FAIL "exercises: step$step with every exercise a TODO builds"
		sed 's/^/# /' "$copy.log"
	fi
	while IFS=$'\t' read -r exercise _; do
		copy=$work/step$step-undone-$exercise
		python3 tools/exercises.py write "$step" "$copy" "$exercise" || exit 2
		expect_failure "$step" "$exercise" "$copy" \
			"exercises: $exercise left undone fails its tests"
	done < <(python3 tools/exercises.py list "$step")
	while IFS=$'\t' read -r exercise number why; do
		copy=$work/step$step-mistake-$exercise-$number
		python3 tools/exercises.py mutate "$step" "$exercise" "$number" "$copy" || exit 2
		expect_failure "$step" "$exercise" "$copy" \
			"exercises: $exercise mistake $number is caught: $why"
	done < <(python3 tools/exercises.py mistakes "$step")
done
echo "1..$count"
[ $failed -eq 0 ]
