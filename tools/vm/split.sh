#!/usr/bin/env bash
# split.sh JOBS KERNELDIR INITRAMFS LOG [TEST...]: run.sh in JOBS guests at
# once, each with a share of the test files. TCG runs a guest in one host
# thread, so on a host with two CPUs two guests take about half the time
# of one. The first guest shows its console here as it runs and also runs
# the docs' sessions (VM_DOC); the others' consoles are shown when they are
# done. Exits 0 when every guest passed, else the first failing status.
set -uo pipefail

jobs=$1 kernel=$2 initramfs=$3 log=$4
shift 4
here=$(dirname "$0")
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "test-vm: VM_JOBS=$jobs: a number of guests, 1 or more" >&2; exit 2; }

# Greedy, by the number of tests: each file, the largest first, goes to the
# guest with the fewest tests so far. The docs' sessions take about as long
# as DOC_WEIGHT tests, in the first guest.
DOC_WEIGHT=30
files=() weights=()
for ((guest = 0; guest < jobs; guest++)); do files[guest]='' weights[guest]=0; done
[ -n "${VM_DOC+set}" ] && weights[0]=$DOC_WEIGHT
while read -r count file; do
	lightest=0
	for ((guest = 1; guest < jobs; guest++)); do
		((weights[guest] < weights[lightest])) && lightest=$guest
	done
	files[lightest]+=" $file"
	weights[lightest]=$((weights[lightest] + count))
done < <(for file in "$@"; do echo "$(grep -c '^@test' "$file") $file"; done | sort -rn)

# A guest with neither tests nor docs is not started; the first always is
# (with no tests at all it runs none, as run.sh does).
pids=() outputs=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
for ((guest = 1; guest < jobs; guest++)); do
	[ -n "${files[guest]}" ] || continue
	echo "test-vm: guest $((guest + 1)) of $jobs runs${files[guest]}"
	# shellcheck disable=SC2086 # a list of test files
	env -u VM_DOC bash "$here/run.sh" "$kernel" "$initramfs" "$log.$((guest + 1))" ${files[guest]} \
		>"$log.$((guest + 1)).out" 2>&1 &
	pids+=($!) outputs+=("$log.$((guest + 1)).out")
done
[ ${#pids[@]} -eq 0 ] || echo "test-vm: guest 1 of $jobs runs${files[0]:- no test file}"
status=0
# shellcheck disable=SC2086 # a list of test files
bash "$here/run.sh" "$kernel" "$initramfs" "$log" ${files[0]} || status=$?
for i in "${!pids[@]}"; do
	wait "${pids[i]}"
	guest_status=$?
	cat "${outputs[i]}"
	[ "$status" -ne 0 ] || status=$guest_status
done
pids=()
exit "$status"
