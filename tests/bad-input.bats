#!/usr/bin/env bats
# Bad input: a table of what must be refused before anything is created.
#
# Each row: the step exits 2, prints nothing on stdout and exactly one line
# on stderr, "stepN-name: ..." naming the option or the problem, and the
# host is as before (no interface, mount, cgroup or process left).

load helpers

# bad_input_at STEP TEXT ARGS...: ./stepSTEP ARGS is refused, its one line
# on stderr names the step and contains TEXT.
bad_input_at() {
	local step=$1 text=$2 name
	shift 2
	name=$(basename "$(ls -d "$PROJECT"/step"$step"-*/)")
	run --separate-stderr "$STEPS/step$step" "$@"
	echo "# step$step $* -> status $status"
	assert_failure 2
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^$name: "
	[[ $stderr == *"$text"* ]] || fail "stderr does not mention '$text': $stderr"
	assert_equal "$(host_state)" "$HOST_STATE_BEFORE"
}

# bad_input TEXT ARGS...: the same for ./step1.
bad_input() { bad_input_at 1 "$@"; }

long_name() { printf "%${1}s" "" | tr ' ' a; }

# --- the option parser --------------------------------------------------------------------

@test "bad-input: an unknown long option [--foo]" { bad_input "--foo" --foo true; }
@test "bad-input: an unknown short option [-x]" { bad_input "'x'" -x true; }
@test "bad-input: a missing argument [--hostname]" { bad_input "--hostname" --hostname; }
@test "bad-input: a missing argument [--until]" { bad_input "--until" --until; }
@test "bad-input: an argument to an option that takes none [--help=x]" { bad_input "--help" --help=x; }

# --- --hostname -----------------------------------------------------------------------------------

@test "bad-input: --hostname with an underscore [a_b]" { bad_input "--hostname" --hostname a_b true; }
@test "bad-input: --hostname with a leading hyphen [-web]" { bad_input "--hostname" --hostname -web true; }
@test "bad-input: --hostname with a trailing hyphen [web-]" { bad_input "--hostname" --hostname web- true; }
@test "bad-input: --hostname with an empty label [a..b]" { bad_input "--hostname" --hostname a..b true; }
@test "bad-input: --hostname empty ['']" { bad_input "--hostname" --hostname '' true; }
@test "bad-input: --hostname with a space ['a b']" { bad_input "--hostname" --hostname 'a b' true; }
@test "bad-input: --hostname of 65 bytes" { bad_input "--hostname" --hostname "$(long_name 30).$(long_name 34)" true; }
@test "bad-input: --hostname of 100 bytes" { bad_input "--hostname" --hostname "$(long_name 100)" true; }
@test "bad-input: --hostname with a label of 64 bytes" { bad_input "--hostname" --hostname "$(long_name 64)" true; }

# --- sizes ---------------------------------------------------------------------------------------------

@test "bad-input: --rootfs-size 0" { bad_input "--rootfs-size" --rootfs-size 0 true; }
@test "bad-input: --rootfs-size 5x" { bad_input "--rootfs-size" --rootfs-size 5x true; }
@test "bad-input: --rootfs-size -1" { bad_input "--rootfs-size" --rootfs-size -1 true; }
@test "bad-input: --rootfs-size 99999999999G" { bad_input "--rootfs-size" --rootfs-size 99999999999G true; }
@test "bad-input: --rootfs-size 1k (under 1M)" { bad_input "--rootfs-size" --rootfs-size 1k true; }
@test "bad-input: --rootfs-size 50MB" { bad_input "--rootfs-size" --rootfs-size 50MB true; }
@test "bad-input: --rootfs-size empty" { bad_input "--rootfs-size" --rootfs-size '' true; }
@test "bad-input: --memory 1k" { bad_input "--memory" --memory 1k true; }
@test "bad-input: --memory 0" { bad_input "--memory" --memory 0 true; }
@test "bad-input: --memory 5M (under 6M)" { bad_input "--memory" --memory 5M true; }
@test "bad-input: --memory 99999999999G" { bad_input "--memory" --memory 99999999999G true; }

# --- --net, --host-ip, --ip ------------------------------------------------------------------------------

@test "bad-input: --net foo" { bad_input "--net" --net foo true; }
@test "bad-input: --net empty" { bad_input "--net" --net '' true; }
@test "bad-input: --ip without a prefix length [1.2.3.4]" { bad_input "--ip" --ip 1.2.3.4 true; }
@test "bad-input: --ip with an octet over 255 [192.168.47.300/24]" { bad_input "--ip" --ip 192.168.47.300/24 true; }
@test "bad-input: --ip with prefix /31" { bad_input "--ip" --ip 192.168.47.12/31 true; }
@test "bad-input: --ip with prefix /0" { bad_input "--ip" --ip 192.168.47.12/0 true; }
@test "bad-input: --ip with trailing text [192.168.47.12/24x]" { bad_input "--ip" --ip 192.168.47.12/24x true; }
@test "bad-input: --ip that is a name [localhost/24]" { bad_input "--ip" --ip localhost/24 true; }
@test "bad-input: --host-ip that is IPv6 [fd00::1/64]" { bad_input "--host-ip" --host-ip fd00::1/64 true; }
@test "bad-input: --host-ip outside the default --ip's subnet [10.0.0.1/24]" { bad_input "same subnet" --host-ip 10.0.0.1/24 true; }
@test "bad-input: --host-ip and --ip with different prefix lengths" { bad_input "same subnet" --host-ip 192.168.47.11/24 --ip 192.168.47.12/25 true; }
@test "bad-input: --ip equal to the default --host-ip [192.168.47.11/24]" { bad_input "must differ" --ip 192.168.47.11/24 true; }
@test "bad-input: --ip with --net none, which makes no veth pair" { bad_input "--ip and --host-ip: the veth pair's addresses, and --net none makes no veth pair" --net none --ip 192.168.47.13/24 true; }
@test "bad-input: --host-ip with --net host" { bad_input "--ip and --host-ip: the veth pair's addresses, and --net host makes no veth pair" --net host --host-ip 192.168.47.10/24 true; }

# --- --until, --stop-timeout ----------------------------------------------------------------------------------

# A step's number as --help lists it: digits, no sign, no leading zero, 1
# to the last row of steps.table, which the message names.
@test "bad-input: --until 0" { bad_input "--until: '0' is not a step number from 1 to $LAST_STEP" --until 0 true; }
@test "bad-input: --until one past the last step [LAST_STEP + 1]" { bad_input "--until: '$((LAST_STEP + 1))' is not a step number from 1 to $LAST_STEP" --until $((LAST_STEP + 1)) true; }
@test "bad-input: --until x" { bad_input "--until" --until x true; }
@test "bad-input: --until 12" { bad_input "--until" --until 12 true; }
@test "bad-input: --until 100" { bad_input "--until" --until 100 true; }
@test "bad-input: --until 01 (a leading zero)" { bad_input "--until" --until 01 true; }
@test "bad-input: --until +1 (a sign)" { bad_input "--until" --until +1 true; }
@test "bad-input: --until ' 1' (a blank)" { bad_input "--until" --until ' 1' true; }
@test "bad-input: --until 1x" { bad_input "--until" --until 1x true; }
@test "bad-input: --until 99999999999999999999 (past the largest long)" { bad_input "--until" --until 99999999999999999999 true; }
@test "bad-input: --until empty" { bad_input "--until" --until '' true; }
@test "bad-input: --until 2 given to step3 [./step3]" { bad_input_at 3 "--until 2" --until 2 true; }
@test "bad-input: --stop-timeout x" { bad_input "--stop-timeout" --stop-timeout x true; }
@test "bad-input: --stop-timeout -1" { bad_input "--stop-timeout" --stop-timeout -1 true; }
@test "bad-input: --stop-timeout 1.5" { bad_input "--stop-timeout" --stop-timeout 1.5 true; }
@test "bad-input: --stop-timeout 3601" { bad_input "--stop-timeout" --stop-timeout 3601 true; }

# --- --skel -----------------------------------------------------------------------------------------------

@test "bad-input: --skel that does not exist" { bad_input "--skel" --skel "$BATS_TEST_TMPDIR/missing" true; }
@test "bad-input: --skel that is a file" {
	echo x >"$BATS_TEST_TMPDIR/file"
	bad_input "--skel" --skel "$BATS_TEST_TMPDIR/file" true
}
@test "bad-input: --skel that is a dangling symlink" {
	ln -s "$BATS_TEST_TMPDIR/missing" "$BATS_TEST_TMPDIR/link"
	bad_input "--skel" --skel "$BATS_TEST_TMPDIR/link" true
}
@test "bad-input: --skel empty" { bad_input "--skel" --skel '' true; }
@test "bad-input: --skel that does not exist [./step4 --until 5]" { bad_input_at 4 "--skel" --until 5 --skel "$BATS_TEST_TMPDIR/missing" true; }

# --- options of later steps, refused by the first -------------------------------------------------------------

@test "bad-input: --memory-reservation 1G --memory 256M (above the limit)" { bad_input "--memory-reservation" --memory-reservation 1G --memory 256M true; }
@test "bad-input: --memory-reservation 1G (above the default --memory 256M)" { bad_input "--memory-reservation" --memory-reservation 1G true; }
@test "bad-input: --memory-reservation 0" { bad_input "--memory-reservation" --memory-reservation 0 true; }
@test "bad-input: --memory-reservation 5x" { bad_input "--memory-reservation" --memory-reservation 5x true; }
@test "bad-input: --cpuset-cpus 64 (no such CPU here)" { bad_input "--cpuset-cpus" --cpuset-cpus 64 true; }
@test "bad-input: --cpuset-cpus 0,64 (one CPU is not here)" { bad_input "no CPU 64" --cpuset-cpus 0,64 true; }
@test "bad-input: --cpuset-cpus 1024 (past any list)" { bad_input "--cpuset-cpus" --cpuset-cpus 1024 true; }
@test "bad-input: --cpuset-cpus 2-1 (range backwards)" { bad_input "--cpuset-cpus" --cpuset-cpus 2-1 true; }
@test "bad-input: --cpuset-cpus 0, (empty item)" { bad_input "--cpuset-cpus" --cpuset-cpus 0, true; }
@test "bad-input: --cpuset-cpus a (not a number)" { bad_input "--cpuset-cpus" --cpuset-cpus a true; }
@test "bad-input: --cpuset-cpus '0 1' (space)" { bad_input "--cpuset-cpus" --cpuset-cpus "0 1" true; }
@test "bad-input: --cpuset-mems 63 (no such node here)" { bad_input "--cpuset-mems" --cpuset-mems 63 true; }
@test "bad-input: --cpuset-mems 0--1 (malformed)" { bad_input "--cpuset-mems" --cpuset-mems 0--1 true; }
@test "bad-input: --cpus 0" { bad_input "--cpus" --cpus 0 true; }
@test "bad-input: --cpus abc" { bad_input "--cpus" --cpus abc true; }
@test "bad-input: --cpus 0.001 (under 0.01)" { bad_input "--cpus" --cpus 0.001 true; }
@test "bad-input: --cpus -1" { bad_input "--cpus" --cpus -1 true; }
@test "bad-input: --cpus 1." { bad_input "--cpus" --cpus 1. true; }
@test "bad-input: --cpus 2000 (over 1024)" { bad_input "--cpus" --cpus 2000 true; }
@test "bad-input: --cpu-shares 1 (under 2)" { bad_input "--cpu-shares" --cpu-shares 1 true; }
@test "bad-input: --cpu-shares 262145 (over 262144)" { bad_input "--cpu-shares" --cpu-shares 262145 true; }
@test "bad-input: --cpu-shares 5x" { bad_input "--cpu-shares" --cpu-shares 5x true; }
@test "bad-input: --pids 0" { bad_input "--pids" --pids 0 true; }
@test "bad-input: --pids -5" { bad_input "--pids" --pids -5 true; }
@test "bad-input: --pids x" { bad_input "--pids" --pids x true; }
@test "bad-input: --pids 4194305" { bad_input "--pids" --pids 4194305 true; }
@test "bad-input: --cap-add FOO" { bad_input "--cap-add" --cap-add FOO true; }
@test "bad-input: --cap-add empty" { bad_input "--cap-add" --cap-add '' true; }
@test "bad-input: --cap-drop by number [12]" { bad_input "--cap-drop" --cap-drop 12 true; }
@test "bad-input: --cap-drop CAP_ alone" { bad_input "--cap-drop" --cap-drop CAP_ true; }
@test "bad-input: --seccomp foo" { bad_input "--seccomp" --seccomp foo true; }
@test "bad-input: --seccomp empty" { bad_input "--seccomp" --seccomp '' true; }
@test "bad-input: --landlock foo" { bad_input "--landlock: 'foo' is neither on nor off" --landlock foo true; }
@test "bad-input: --landlock empty" { bad_input "--landlock" --landlock '' true; }
@test "bad-input: --landlock-write relative [tmp]" { bad_input "--landlock-write: 'tmp': not an absolute path" --landlock-write tmp true; }
@test "bad-input: --landlock-write empty" { bad_input "--landlock-write" --landlock-write '' true; }
@test "bad-input: --landlock-exec relative [./bin]" { bad_input "--landlock-exec: './bin': not an absolute path" --landlock-exec ./bin true; }
@test "bad-input: --landlock-write with a newline" { bad_input "control character" --landlock-write $'/srv\n/etc' true; }
@test "bad-input: --landlock-write of PATH_MAX bytes" { bad_input "PATH_MAX" --landlock-write "/$(long_name 4095)" true; }
@test "bad-input: --landlock-write with --landlock off" { bad_input "--landlock-write /srv: nothing to add it to with --landlock off" --landlock off --landlock-write /srv true; }
@test "bad-input: --landlock-exec before --landlock off" { bad_input "--landlock-exec /opt/bin: nothing to add it to" --landlock-exec /opt/bin --landlock off true; }
@test "bad-input: --landlock-write 17 times" {
	local -a many=()
	for i in $(seq 17); do many+=(--landlock-write "/srv/$i"); done
	bad_input "--landlock-write: more than 16 paths" "${many[@]}" true
}
@test "bad-input: --ipc shareable" { bad_input "--ipc" --ipc shareable true; }
@test "bad-input: --ipc empty" { bad_input "--ipc" --ipc '' true; }
@test "bad-input: --ulimit with an unknown name [foo=1]" { bad_input "--ulimit" --ulimit foo=1 true; }
@test "bad-input: --ulimit as, which Docker leaves out [as=1]" { bad_input "no such limit" --ulimit as=1 true; }
@test "bad-input: --ulimit without a value [nofile]" { bad_input "--ulimit" --ulimit nofile true; }
@test "bad-input: --ulimit with an empty value [nofile=]" { bad_input "--ulimit" --ulimit nofile= true; }
@test "bad-input: --ulimit soft above hard [nofile=2048:1024]" { bad_input "soft limit is above" --ulimit nofile=2048:1024 true; }
@test "bad-input: --ulimit soft unlimited, hard a number [nofile=unlimited:1024]" { bad_input "soft limit is above" --ulimit nofile=unlimited:1024 true; }
@test "bad-input: --ulimit not a number [nofile=x]" { bad_input "not a number" --ulimit nofile=x true; }
@test "bad-input: --ulimit negative other than -1 [nofile=-2]" { bad_input "not a number" --ulimit nofile=-2 true; }
@test "bad-input: --ulimit three values [nofile=1:2:3]" { bad_input "--ulimit" --ulimit nofile=1:2:3 true; }
@test "bad-input: --ulimit RLIM_INFINITY as a number [nofile=18446744073709551615]" { bad_input "--ulimit" --ulimit nofile=18446744073709551615 true; }

# --- --sysctl ----------------------------------------------------------------------------------------------

@test "bad-input: --sysctl of the host's memory manager [vm.swappiness=10]" { bad_input "not a parameter of the container's own namespaces" --sysctl vm.swappiness=10 true; }
@test "bad-input: --sysctl of the host's kernel [kernel.core_pattern=core]" { bad_input "not a parameter of the container's own namespaces" --sysctl kernel.core_pattern=core true; }
@test "bad-input: --sysctl kernel.hostname, which --hostname sets" { bad_input "--hostname" --sysctl kernel.hostname=web true; }
@test "bad-input: --sysctl kernel.domainname, which --hostname sets" { bad_input "--hostname" --sysctl kernel.domainname=example true; }
@test "bad-input: --sysctl net.* that no step of the chain would write [--until 2]" { bad_input "--until 2" --until 2 --sysctl net.ipv4.ip_unprivileged_port_start=512 true; }
@test "bad-input: --sysctl of the IPC namespace with --ipc host [kernel.shmmax]" { bad_input "--ipc host" --ipc host --sysctl kernel.shmmax=65536 true; }
@test "bad-input: --sysctl of the IPC namespace with --ipc host given after it [fs.mqueue.msg_max]" { bad_input "--ipc host" --sysctl fs.mqueue.msg_max=20 --ipc host true; }
@test "bad-input: --sysctl of step1's IPC namespace to a chain started at step2 [./step2]" { bad_input_at 2 "step1" --sysctl kernel.shmmax=65536 true; }
@test "bad-input: --sysctl of step3's network namespace to a chain started at step4 [./step4]" { bad_input_at 4 "step3" --sysctl net.core.somaxconn=512 true; }
@test "bad-input: --sysctl KEY with a slash [net/ipv4/ip_forward=1]" { bad_input "--sysctl" --sysctl net/ipv4/ip_forward=1 true; }
@test "bad-input: --sysctl KEY that climbs [net.ipv4..ip_forward=1]" { bad_input "--sysctl" --sysctl net.ipv4..ip_forward=1 true; }
@test "bad-input: --sysctl KEY with a leading dot [.net.core.somaxconn=1]" { bad_input "--sysctl" --sysctl .net.core.somaxconn=1 true; }
@test "bad-input: --sysctl KEY with a trailing dot [net.ipv4.=1]" { bad_input "--sysctl" --sysctl net.ipv4.=1 true; }
@test "bad-input: --sysctl KEY in capitals [NET.CORE.SOMAXCONN=1]" { bad_input "--sysctl" --sysctl NET.CORE.SOMAXCONN=1 true; }
@test "bad-input: --sysctl KEY empty [=1]" { bad_input "--sysctl" --sysctl =1 true; }
@test "bad-input: --sysctl without '=' [net.core.somaxconn]" { bad_input "KEY=VALUE" --sysctl net.core.somaxconn true; }
@test "bad-input: --sysctl VALUE empty [net.core.somaxconn=]" { bad_input "VALUE" --sysctl net.core.somaxconn= true; }
@test "bad-input: --sysctl VALUE with a newline" { bad_input "VALUE" --sysctl $'net.core.somaxconn=1\n2' true; }
@test "bad-input: --sysctl VALUE of 256 bytes" { bad_input "VALUE" --sysctl "net.core.somaxconn=$(long_name 256)" true; }
@test "bad-input: --sysctl empty" { bad_input "--sysctl" --sysctl '' true; }
@test "bad-input: --sysctl 33 times" {
	local -a many=()
	for i in $(seq 33); do many+=(--sysctl "net.core.somaxconn=$i"); done
	bad_input "at most 32" "${many[@]}" true
}

@test "bad-input: a bad option for step7 is refused with --until 1 too [--memory 1k]" { bad_input "--memory" --until 1 --memory 1k true; }

# --- COMMAND and the caller ----------------------------------------------------------------------------------

@test "bad-input: an argument of COMMAND over 4096 bytes" { bad_input "4096" echo "$(long_name 4097)"; }

@test "bad-input: not root exits 2 with one line" {
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$STEPS/step1" true
	assert_failure 2
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" '^step1-uts: .*root'
	assert_equal "$(host_state)" "$HOST_STATE_BEFORE"
}

@test "bad-input: not root exits 2 with one line [su nobody]" {
	# nobody must reach the binary: the checkout may be in a directory only
	# root can enter (mktemp -d makes 0700). A copy of step1 in this test's
	# directory, made traversable, is enough: the check comes first.
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR"
	cp "$STEPS/step1" "$BATS_TEST_TMPDIR/step1"
	run --separate-stderr su nobody -s /bin/sh -c "'$BATS_TEST_TMPDIR/step1' --until 3 true"
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" '^step1-uts: .*root'
	assert_equal "$(host_state)" "$HOST_STATE_BEFORE"
}

@test "bad-input: a COMMAND missing inside exits 127 with one line naming it" {
	run --separate-stderr "$STEPS/step1" nope-not-here
	assert_failure 127
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "${STEP_FOLDERS[LAST_STEP]}: nope-not-here: command not found"
}

@test "bad-input: a COMMAND missing inside exits 127 with one line naming it [--until 1]" {
	run --separate-stderr "$STEPS/step1" --until 1 nope-not-here
	assert_failure 127
	assert_equal "$stderr" "step1-uts: nope-not-here: command not found"
}

# --- controls: the edges that are accepted ----------------------------------------------------------------------

@test "bad-input: accepted: a 64-byte hostname of two labels" {
	local name
	name=$(long_name 32).$(long_name 31)
	run_chain --until 1 --hostname "$name" hostname
	assert_success
	assert_output "$name"
}

@test "bad-input: accepted: --rootfs-size 1M is a size, and too small for the skeleton (125)" {
	run_chain --until 5 --rootfs-size 1M true
	assert_failure 125
}

@test "bad-input: accepted: --sysctl of both namespaces, 32 times, with --net none [--until 3]" {
	local -a many=(--sysctl kernel.msgmax=4096 --sysctl fs.mqueue.msg_max=20 --sysctl kernel.sem="250 32000 32 128")
	for i in $(seq 29); do many+=(--sysctl "net.core.somaxconn=$i"); done
	run_chain --until 3 --net none "${many[@]}" cat /proc/sys/net/core/somaxconn
	assert_success
	assert_output 29
}

@test "bad-input: accepted: --stop-timeout 0, --cpus 0.5, --pids 1, --memory 6M, --cap-add CAP_NET_ADMIN, --seccomp unconfined, --ulimit [--until 1]" {
	run_chain --until 1 --stop-timeout 0 --cpus 0.5 --pids 1 --memory 6M --cap-add CAP_NET_ADMIN \
		--cap-drop all --seccomp unconfined --net veth --ip 10.1.2.3/8 --host-ip 10.0.0.1/8 \
		--ulimit nofile=-1 --ulimit core=0:infinity --ulimit stack=8388608:unlimited \
		--cpu-shares 2 --memory-reservation 6M --cpuset-cpus 0 --cpuset-mems 0 true
	assert_success
}

@test "bad-input: accepted: --landlock on, 16 paths to --landlock-write and --landlock-exec, / among them [--until 1]" {
	local -a many=(--landlock on --landlock-write / --landlock-exec "/$(long_name 4094)")
	for i in $(seq 14); do many+=(--landlock-write "/srv/$i"); done
	run_chain --until 1 "${many[@]}" true
	assert_success
}

# --- --device and disk I/O (step5, step7) -------------------------------------------------

@test "bad-input: --device of a file that is not a device [--device FILE:/dev/x]" {
	touch "$BATS_TEST_TMPDIR/file"
	bad_input "not a device" --device "$BATS_TEST_TMPDIR/file:/dev/x" true
}
@test "bad-input: --device of a directory [--device /dev/shm]" { bad_input "not a device" --device /dev/shm true; }
@test "bad-input: --device of a missing path [--device /dev/nonexistent]" { bad_input "--device" --device /dev/nonexistent true; }
@test "bad-input: --device to a path outside /dev [--device /dev/null:/etc/x]" { bad_input "CONTAINER_PATH" --device /dev/null:/etc/x true; }
@test "bad-input: --device to /dev/.. [--device /dev/null:/dev/../etc/x]" { bad_input "CONTAINER_PATH" --device /dev/null:/dev/../etc/x true; }
@test "bad-input: --device outside /dev without CONTAINER_PATH [--device /tmp/x]" { bad_input "HOST_PATH" --device /tmp/x true; }
@test "bad-input: --device-write-bps of a character device [/dev/null:1mb]" { bad_input "not a block device" --device-write-bps /dev/null:1mb true; }
@test "bad-input: --device-write-bps of a missing device [/dev/nonexistent:1mb]" { bad_input "--device-write-bps /dev/nonexistent" --device-write-bps /dev/nonexistent:1mb true; }
@test "bad-input: --device-read-bps without a unit [/dev/loop0:1048576]" { bad_input "unit" --device-read-bps /dev/loop0:1048576 true; }
@test "bad-input: --device-read-bps with an unknown unit [/dev/loop0:1tb]" { bad_input "unit" --device-read-bps /dev/loop0:1tb true; }
@test "bad-input: --device-write-bps without DEV [1mb]" { bad_input "DEV:VALUE" --device-write-bps 1mb true; }
@test "bad-input: --device-write-bps with an empty DEV [:1mb]" { bad_input "DEV:VALUE" --device-write-bps :1mb true; }
@test "bad-input: --device-write-iops 0 [/dev/loop0:0]" { bad_input "--device-write-iops" --device-write-iops /dev/loop0:0 true; }
@test "bad-input: --device-read-iops with a unit [/dev/loop0:5k]" { bad_input "--device-read-iops" --device-read-iops /dev/loop0:5k true; }
@test "bad-input: --blkio-weight 9 (under 10)" { bad_input "--blkio-weight" --blkio-weight 9 true; }
@test "bad-input: --blkio-weight 1001 (over 1000)" { bad_input "--blkio-weight" --blkio-weight 1001 true; }
@test "bad-input: --blkio-weight x" { bad_input "--blkio-weight" --blkio-weight x true; }
