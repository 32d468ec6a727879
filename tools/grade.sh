#!/usr/bin/env bash
# grade.sh STEP SOURCE [TAG]: build step STEP from the folder SOURCE (a
# learner's copy, or a reference with a mistake in it), chain it with the
# reference of every other step, and run the step's bats file against it
# (only the tests tagged TAG, when given) in namespaces of its own.
# Prints the TAP output, then a verdict per exercise; exits 0 when every
# test passed, 1 when one failed, 2 when the copy does not build.
#
# The namespaces (UTS, IPC, network, mount, PID) are thrown away at the
# end: a learner's step that forgets its unshare renames, mounts or
# configures those, never the host's, and the tests, which compare
# "the host" before and after, see the change and fail. Cgroups are the
# host's: a namespace does not fence off writes to the cgroup filesystem.
#
# GRADE_QUIET=1 prints only the verdict; GRADE_BUILD_ONLY=1 builds, and
# exits 0 when that worked; GRADE_FIRST_FAILURE=1 stops at the first test
# that fails (below). tools/test-exercises.sh uses all three.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

step=$1 source=${2%/} tag=${3:-}
folders=("step$step"-*/)
folder=${folders[0]%/}
[ -d "$folder" ] || { echo "grade: there is no step $step" >&2; exit 2; }
[ -d "$source" ] || { echo "grade: no folder $source" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "grade: the tests run containers: run as root (sudo)" >&2; exit 2; }

# One directory per source, so that a learner's build and make mutants'
# builds do not overwrite each other: the learner's step and a hard link
# of every reference step, found next to each other as the chain expects.
bin=build/grade/$(echo "$source" | tr / _)
rm -rf "$bin"
mkdir -p "$bin/obj"
# The plumbing's objects of the reference build, linked rather than built
# again (hard links keep their times, so make sees them up to date).
for built in build/steps.h build/common build/options build/supervisor; do
	[ -d "$built" ] && cp -al "$built" "$bin/obj/"
done
if ! make --no-print-directory -s BUILD="$bin/obj" BIN="$bin" EXERCISE_SOURCE="$source" \
	EXERCISE_FOLDER="$folder" "$bin/step$step" >"$bin/build.log" 2>&1; then
	cat "$bin/build.log"
	echo "grade: $source does not build (the errors are above)"
	exit 2
fi
for reference in step[0-9]*; do
	[ -f "$reference" ] && [ -x "$reference" ] && [ "$reference" != "step$step" ] &&
		ln -f "$reference" "$bin/$reference"
done
ln -sfn "$PWD/skelfs" "$bin/skelfs"
[ "${GRADE_BUILD_ONLY:-0}" = 1 ] && exit 0

# bats ARGUMENTS... in the grading namespaces, which get a name and a
# loopback of their own; STEPS tells the tests where the steps are
# (tests/helpers.bash).
bats_in_namespaces() {
	unshare --uts --ipc --net --mount --pid --fork --mount-proc --propagation private -- \
		env STEPS="$PWD/$bin" bash -c 'hostname grading && ip link set lo up && exec bats "$@"' \
		bats "$@"
}
tap=$bin/tests.tap
if [ "${GRADE_FIRST_FAILURE:-0}" = 1 ]; then
	# One failing test is all make mutants needs: the tests tagged TAG one
	# at a time, in the file's order, each in namespaces of their own, up to
	# the first that fails. The list is read on fd 3: bats's stdin reaches
	# the containers.
	[ -n "$tag" ] || { echo "grade: GRADE_FIRST_FAILURE=1 needs a TAG" >&2; exit 2; }
	python3 tools/exercises.py filters "$step" "$tag" >"$bin/filters" || exit 2
	status=0
	while read -r test <&3; do
		bats_in_namespaces -f "$test" "tests/$folder.bats" || { status=$?; break; }
	done 3<"$bin/filters" >"$tap" 2>&1
else
	filter=()
	[ -n "$tag" ] && filter=(--filter-tags "$tag")
	bats_in_namespaces "${filter[@]}" "tests/$folder.bats" >"$tap" 2>&1
	status=$?
fi
[ "${GRADE_QUIET:-0}" = 1 ] || cat "$tap"
python3 tools/exercises.py verdict "$step" "$tap" "$source" ||
	status=1
[ "$status" -eq 0 ] || exit 1
