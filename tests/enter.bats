#!/usr/bin/env bats
# enter: ./enter NAME joins a running container (enter-setns/), and the
# registry of names it reads (supervisor/names.c).

load helpers

ENTER=${ENTER:-$STEPS/enter}

# A line of /proc/PID/status, by its name.
status_line() { grep "^$2:" "/proc/$1/status"; }

@test "enter: runs COMMAND in the container's namespaces: its hostname, processes, interfaces and mounts" {
	start_named web --hostname webhost sleep 60
	run "$ENTER" web sh -c 'hostname; ps -o pid=,comm= -p 1; for n in uts ipc net pid mnt; do readlink /proc/self/ns/$n; done; ip -br link show | cut -d" " -f1; head -1 /proc/self/mountinfo | cut -d" " -f5'
	assert_success
	assert_line --index 0 webhost
	assert_line --index 1 --regexp '^ +1 sleep$'
	local i=2 namespace
	for namespace in uts ipc net pid mnt; do
		assert_line --index $((i++)) "$(readlink "/proc/$CONTAINER_PID/ns/$namespace")"
	done
	assert_line --regexp '^mybr[0-9]+@if[0-9]+$'
	assert_line --index $((${#lines[@]} - 1)) /
}

@test "enter: COMMAND is in the container's cgroup" {
	start_named web sleep 60
	run "$ENTER" web cat /proc/self/cgroup
	assert_success
	assert_output "$(cat "/proc/$CONTAINER_PID/cgroup")"
	assert_output --partial "/under-the-hood/"
}

@test "enter: COMMAND is confined as the container's PID 1: capabilities, no_new_privs, seccomp" {
	start_named web --cap-drop NET_RAW sleep 60
	run "$ENTER" web grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status
	assert_success
	local field
	for field in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp; do
		assert_line "$(status_line "$CONTAINER_PID" "$field")"
	done
	assert_line "Seccomp:	2"
	assert_line "NoNewPrivs:	1"
}

@test "enter: COMMAND has the container's rlimits and Landlock ruleset" {
	start_named web --ulimit nofile=100:200 sleep 60
	run "$ENTER" web sh -c 'ulimit -n; ulimit -Hn; touch /etc/x'
	assert_failure
	assert_line --index 0 100
	assert_line --index 1 200
	assert_line --partial "'/etc/x': Permission denied"
}

@test "enter: COMMAND gets fds 0-2 only and the container's environment" {
	start_named web --skel "$TEST_SKEL" sleep 60
	FOO=bar run "$ENTER" web sh -c 'escape-probe inherited-fd /tmp; env' 7</
	assert_success
	assert_line --index 0 "inherited-fd: blocked (no descriptor above 2)"
	assert_line "HOME=/root"
	assert_line "HOSTNAME=mycontainer"
	refute_line --partial FOO
	refute_line --partial CHAIN_
}

@test "enter: stdin and the exit status pass through" {
	start_named web sleep 60
	run "$ENTER" web sh -c 'read line; echo "got $line"; exit 7' <<<hello
	assert_failure 7
	assert_output "got hello"
}

@test "enter: the process that confines COMMAND stays out of the container's sight: only COMMAND is in its /proc" {
	start_named web sleep 60
	run "$ENTER" web ps -e -o comm=
	assert_success
	assert_output "sleep
ps"
}

@test "escapes: nsenter -t PID -a gets every capability and no filter in a running container" {
	command -v nsenter >/dev/null || skip "no nsenter (util-linux)"
	start_named web --skel "$TEST_SKEL" sleep 60
	run nsenter -t "$CONTAINER_PID" -a /usr/local/bin/escape-probe unshare-user
	assert_success
	assert_output "unshare-user: ESCAPED (a new user namespace, with every capability in it)"
}

@test "escapes: enter gets what the container has, no more [full chain]" {
	start_named web --skel "$TEST_SKEL" sleep 60
	run "$ENTER" web escape-probe unshare-user
	assert_failure 1
	assert_output "unshare-user: blocked (unshare(CLONE_NEWUSER): Operation not permitted)"
}

@test "escapes: a process of the container ptraces another one of its own" {
	start_container --skel "$TEST_SKEL" sh -c 'sleep 5 & escape-probe entering sleep 5'
	wait_for_exit "$BG_PID" 15
	assert_equal "$status" 0
	assert_equal "$(cat "$BG_OUT")" "entering: ESCAPED (ptrace(PTRACE_SEIZE) of sleep worked (exe: Text file busy))"
}

@test "escapes: the process enter forks into the container cannot be ptraced, nor its exe opened, before COMMAND runs (CVE-2016-9962, CVE-2019-5736)" {
	start_named web --skel "$TEST_SKEL" escape-probe entering step9-landlock 20
	# The faults build stops right after the fork into the container.
	CHAIN_FAULT=enter-forked:pause "$PROJECT/build-faults/enter" web true 3>&- &
	BACKGROUND_PIDS+=("$!")
	wait_for_exit "$BG_PID" 30
	assert_equal "$status" 1
	assert_equal "$(cat "$BG_OUT")" "entering: blocked (exe: Permission denied; ptrace: Operation not permitted)"
}

@test "enter: --list shows the running containers: name, PID 1, hostname, address, cgroup, uptime" {
	start_named web --hostname webhost --ip 10.47.0.2/24 --host-ip 10.47.0.1/24 sleep 60
	run "$ENTER" --list
	assert_success
	assert_line --index 0 --regexp '^NAME +PID +HOSTNAME +ADDRESSES +CGROUP +UPTIME$'
	assert_line --regexp "^web +$CONTAINER_PID +webhost +10\.47\.0\.2 +under-the-hood/webhost-[0-9a-f]{16} +[0-9]+s$"
}

@test "enter: a container is named after its hostname by default, with -2 when that is taken" {
	start_named mycontainer sleep 60
	start_container sleep 60
	wait_until 20 test -s "$REGISTRY/mycontainer-2/host-pid"
	run "$ENTER" mycontainer-2 hostname
	assert_success
	assert_output mycontainer
}

@test "enter: a name in use is bad input, and the second container is not started" {
	start_named web sleep 60
	run_chain --name web true
	assert_failure 2
	assert_output "step2-pid: --name web: a running container has this name (./enter --list)"
	run "$ENTER" web true
	assert_success
}

@test "enter: the entry goes when the container ends" {
	start_named web sleep 1
	wait_for_exit "$BG_PID" 10
	[ ! -e "$REGISTRY/web" ]
	run "$ENTER" web true
	assert_failure 2
	assert_output "enter: web: no running container has this name (enter --list) (see enter --help)"
}

# PID 1 exiting at once races the registration: for a moment the kernel
# refuses to bind its namespaces. That is no news, also where the caller
# has mount and PID namespaces of its own, as make check's grading does,
# and where the race is lost most often.
@test "enter: a PID 1 that exits at once leaves no word of its registration, and no entry" {
	run unshare --mount --pid --fork --mount-proc --propagation private -- \
		sh -c "for i in \$(seq 20); do '$STEPS/step1' true || exit; done"
	assert_success
	assert_output ''
	[ ! -e "$REGISTRY/mycontainer" ]
}

@test "enter: after a SIGKILL of the supervisor, enter refuses the name and the next start removes the entry" {
	start_named web sleep 60
	kill -KILL "$BG_PID"
	wait_for_exit "$BG_PID" 5
	run "$ENTER" web true
	assert_failure 2
	assert_output "enter: web: its supervisor has exited; the next start removes its entry (see enter --help)"
	# The next start: its namespaces' bind mounts and the entry go.
	run_chain --until 7 true
	assert_success
	[ ! -e "$REGISTRY/web" ]
	run grep -c "$REGISTRY" /proc/self/mountinfo
	assert_output 0
}

@test "enter: a SIGKILL of the container's supervisor while enter runs ends both, and the next start leaves nothing" {
	start_named web sleep 60
	"$ENTER" web sleep 60 </dev/null >/dev/null 2>&1 3>&- &
	local enter=$!
	BACKGROUND_PIDS+=("$enter")
	# enter's COMMAND runs: a sleep whose parent is enter's last step (any
	# other "sleep 60" on the host would do for a count).
	wait_until 10 eval 'pgrep -x sleep -P "$(pgrep -d, -x "${STEP_FOLDERS[LAST_STEP]}")" >/dev/null'
	kill -KILL "$BG_PID"
	wait_for_exit "$enter" 10
	assert_equal "$status" 137
}

@test "enter: into a container that ends meanwhile fails with one line" {
	start_named web sleep 1
	# The faults build waits 3 s after opening the container's entry.
	CHAIN_FAULT=enter-opened:sleep run "$PROJECT/build-faults/enter" web true
	assert_failure 125
	assert_output "enter: web: its cgroup has gone: the container has ended"
}

@test "enter: into a container without a cgroup that ends meanwhile fails with one line" {
	start_named web --until 6 sleep 1
	CHAIN_FAULT=enter-opened:sleep run "$PROJECT/build-faults/enter" web true
	assert_failure 125
	assert_output "step6-caps: fork(): the container's PID 1 has exited, its PID namespace takes no one in"
}

@test "enter: a container of the talk's steps only (--until 3) is entered as it is: no step runs again" {
	start_named web --until 3 sleep 60
	run "$ENTER" -v web sh -c 'grep CapEff /proc/self/status; readlink /proc/self/ns/mnt'
	assert_success
	assert_line "CapEff:	$(status_line "$CONTAINER_PID" CapEff | cut -f2)"
	assert_line "$(readlink "/proc/$CONTAINER_PID/ns/mnt")"
	refute_line --partial step6-caps
}

@test "enter: a container with the host's mounts (./step7 on its own) has no mnt in its entry, and enter keeps its own" {
	start_step 7 --name solo sleep 60
	wait_until 20 test -s "$REGISTRY/solo/host-pid"
	[ ! -e "$REGISTRY/solo/mnt" ]
	run "$ENTER" -v solo readlink /proc/self/ns/mnt
	assert_success
	assert_line "$(readlink /proc/self/ns/mnt)"
	assert_line "enter: solo: has the host's mnt namespace: not joining it"
}

@test "enter: -v narrates each setns" {
	start_named web sleep 60
	run "$ENTER" -v web true
	assert_success
	assert_line --regexp '^enter: setns\([0-9]+<web/uts>, CLONE_NEWUTS\)$'
	assert_line --regexp '^enter: setns\([0-9]+<web/mnt>, CLONE_NEWNS\)$'
	assert_line "step9-landlock: fork()"
}

@test "bad input: enter, before anything is created, exit 2" {
	local -a rows=(
		"|enter: no NAME: which container? (enter --list) (see enter --help)"
		"a/b|enter: 'a/b' is not a container name (letters, digits, and inner '_', '.' or '-') (see enter --help)"
		"..|enter: '..' is not a container name (letters, digits, and inner '_', '.' or '-') (see enter --help)"
		"-x|enter: unrecognized option '-x' (see enter --help)"
		"nosuch|enter: nosuch: no running container has this name (enter --list) (see enter --help)"
		"--list web|enter: --list takes no NAME ('web') (see enter --help)"
	)
	local row
	for row in "${rows[@]}"; do
		# shellcheck disable=SC2086 # the row's words are the arguments
		run "$ENTER" ${row%%|*}
		assert_failure 2
		assert_output "${row#*|}"
	done
}

@test "bad input: --name, before anything is created, exit 2" {
	local -a rows=(
		"a/b|step1-uts: --name: 'a/b' is not a container name (letters, digits, and inner '_', '.' or '-', at most 63 bytes) (see step1-uts --help)"
		"..|step1-uts: --name: '..' is not a container name (letters, digits, and inner '_', '.' or '-', at most 63 bytes) (see step1-uts --help)"
		"-web|step1-uts: --name: '-web' is not a container name (letters, digits, and inner '_', '.' or '-', at most 63 bytes) (see step1-uts --help)"
	)
	local row
	for row in "${rows[@]}"; do
		run_chain --name "${row%%|*}" true
		assert_failure 2
		assert_output "${row#*|}"
	done
	run_chain --until 1 --name web true
	assert_failure 2
	assert_output "step1-uts: --name web: only a container with a supervisor on the host has a name (a chain through step2, or started at step7)"
}
