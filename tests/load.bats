#!/usr/bin/env bats
# Many containers: at once and in a row. teardown (helpers.bash) checks
# that the host's interfaces, mounts, cgroups and processes are as before.

load helpers

@test "load: 10 containers started at once all succeed, each reaching its own host end" {
	local i pids=() failed=0
	for i in $(seq 10); do
		# The default route inside points at this container's host end.
		"$STEPS/step1" sh -c 'ping -c1 -W5 $(ip route show default | cut -d" " -f3) >/dev/null && hostname' \
			>"$BATS_TEST_TMPDIR/$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { failed=$((failed + 1)); cat "$BATS_TEST_TMPDIR/$((i + 1)).out"; }
	done
	assert_equal "$failed" 0
	for i in $(seq 10); do
		assert_equal "$(cat "$BATS_TEST_TMPDIR/$i.out")" mycontainer
	done
}

@test "load: 10 containers at once get 10 different veth pairs and subnets" {
	local i pids=()
	# Names are unique among containers that run at the same time, so all
	# ten must overlap: each one waits on a FIFO until the test has seen
	# all ten addresses, then gets EOF when the test closes its end.
	mkfifo "$BATS_TEST_TMPDIR/barrier"
	exec 5<>"$BATS_TEST_TMPDIR/barrier"
	for i in $(seq 10); do
		"$STEPS/step1" sh -c 'ip -o -4 addr show | grep mybr | tr -s " " | cut -d" " -f2,4; read -r _ || true' \
			<"$BATS_TEST_TMPDIR/barrier" >"$BATS_TEST_TMPDIR/$i.out" 2>&1 5>&- &
		pids+=($!)
	done
	for i in $(seq 10); do
		wait_until 30 file_has_content "$BATS_TEST_TMPDIR/$i.out" || { exec 5>&-; fail "container $i said nothing"; }
	done
	exec 5>&-
	for i in "${pids[@]}"; do wait "$i" || fail "a container failed: $(cat "$BATS_TEST_TMPDIR"/*.out)"; done
	cat "$BATS_TEST_TMPDIR"/*.out # shown when the test fails
	run sh -c "cat '$BATS_TEST_TMPDIR'/*.out | sort -u | wc -l"
	assert_output 10
	run sh -c "cat '$BATS_TEST_TMPDIR'/*.out | cut -d' ' -f2 | cut -d. -f3 | sort -u | wc -l"
	assert_output 10
}

@test "load: 200 containers in a row all succeed" {
	local i
	for i in $(seq 200); do
		run "$STEPS/step1" true
		[ "$status" -eq 0 ] || fail "run $i: status $status: $output"
	done
}
