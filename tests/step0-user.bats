#!/usr/bin/env bats
# step0-user: the whole chain without the host's root, in a user namespace.
#
# Each test runs ./step0 as an ordinary user, uid 65534, through setpriv:
# no capabilities, no supplementary groups. That user must be able to
# reach the binaries and read the skeleton, which a checkout in a private
# directory (CI's mktemp -d, mode 0700) does not allow: setup_file copies
# them to a directory of their own, the skeleton owned by that user, as if
# the user had built it.

load helpers

USER_ID=65534

setup_file() {
	[ "$EUID" -eq 0 ] || return 0
	ROOTLESS=$(mktemp -d /tmp/uth-step0.XXXXXX)
	chmod 0755 "$ROOTLESS"
	cp "$STEPS"/step[0-9] "$ROOTLESS/"
	cp -a "$TEST_SKEL" "$ROOTLESS/skelfs"
	chown -R "$USER_ID:$USER_ID" "$ROOTLESS/skelfs"
	export ROOTLESS
}

teardown_file() {
	[ -z "${ROOTLESS:-}" ] || rm -rf -- "$ROOTLESS"
}

# as_user COMMAND...: COMMAND as uid 65534, without capabilities or groups.
as_user() {
	setpriv --reuid "$USER_ID" --regid "$USER_ID" --clear-groups --inh-caps=-all "$@"
}

# run_rootless [ARGS...]: ./step0 ARGS as that user; output and status as run.
run_rootless() {
	run as_user "$ROOTLESS/step0" "$@"
	echo "# step0 $* -> status $status"
}

# private_etc DIR USER: an /etc of the test's own in DIR, for a mount
# namespace of its own to bind over the host's (whose files stay untouched,
# and which may have no /etc/subuid at all), with a subuid and subgid range
# for USER.
private_etc() {
	local file
	mkdir "$1"
	for file in passwd group nsswitch.conf login.defs ld.so.cache; do
		[ ! -e "/etc/$file" ] || cp "/etc/$file" "$1/"
	done
	printf '%s:200000:65536\n' "$2" | tee "$1/subuid" >"$1/subgid"
}

# The lines step0 and step7 always say in a user namespace: which ids are
# mapped, and that there is no cgroup. The tests check them once, below.
without_notices() { grep -v -e '^step0-user: only uid' -e '^step7-cgroup: in a user namespace' <<<"$output" || true; }

@test "step0-user: root inside, the caller's uid outside, and only the caller mapped [--map self]" {
	run_rootless --map self sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assert_success
	[ "$(without_notices)" = "$(printf '0\n0\n%10s %10s %10s\n%10s %10s %10s\ndeny' 0 $USER_ID 1 0 $USER_ID 1)" ]
}

@test "step0-user: the host sees the container's processes as the caller's" {
	start_rootless() { setsid setpriv --reuid "$USER_ID" --regid "$USER_ID" --clear-groups --inh-caps=-all "$ROOTLESS/step0" "$@" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- & BG_PID=$!; BACKGROUND_PIDS+=("$BG_PID"); }
	start_rootless sleep 61.25
	wait_until 20 pgrep -fx 'sleep 61.25'
	local pid
	pid=$(pgrep -fx 'sleep 61.25')
	[ "$(stat -c %u "/proc/$pid")" = "$USER_ID" ]
	# ... and as root in its own user namespace, which is not the host's.
	[ "$(stat -Lc %i "/proc/$pid/ns/user")" != "$(host_namespace user)" ]
	grep -q "^Uid:	$USER_ID	" "/proc/$pid/status"
}

@test "step0-user: the full chain: hostname, PID 1, its own root and mounts, loopback only, capabilities, seccomp" {
	run_rootless sh -c 'hostname; echo "pid $$"; stat -fc %T /; ip -br link | cut -d" " -f1
		grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; test -e /etc/hostname && echo skeleton'
	assert_success
	assert_line mycontainer
	assert_line "pid 1"
	assert_line tmpfs
	assert_line lo
	refute_line --regexp '^(eth|veth)'
	# Docker's default capabilities, as in the chain run as root (step6).
	assert_line --regexp '^CapEff:	00000000a80425fb$'
	assert_line --regexp '^NoNewPrivs:	1$'
	assert_line --regexp '^Seccomp:	2$'
	assert_line skeleton
	# The namespaces are new, owned by the new user namespace.
	run as_user "$ROOTLESS/step0" sh -c 'for n in user uts ipc pid net mnt; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	for namespace in user uts ipc pid net mnt; do
		assert_line --regexp "^$namespace [0-9]+$"
		refute_line "$namespace $(host_namespace $namespace)"
	done
}

@test "step0-user: step0 and step7 each say in one line what a user namespace changes" {
	# No --map: step0 picks, and says that only the caller is mapped (the
	# test's user has no range in the host's /etc/subuid).
	run_rootless --ulimit nofile=100:100 sh -c 'ulimit -n'
	assert_success
	assert_line --index 0 --regexp "^step0-user: only uid $USER_ID is mapped, as root \(no (range for this user in /etc/subuid|newuidmap and newgidmap in PATH \(Debian's package uidmap\))\): files of other owners show as nobody inside$"
	# Why not: v1 on the host; on the VM's v2, the test runs in the root
	# cgroup or one of root's.
	assert_line --index 1 --regexp "^step7-cgroup: in a user namespace, and no cgroup delegated to the caller \((cgroup v1, which delegates nothing to a user|the caller's cgroup is at the root of the tree|the parent of the caller's cgroup is not the caller's; systemd-run --user --scope gives one that is)\): no limits of memory, CPU, processes or I/O; rlimits only\$"
	assert_line --index 2 100
	[ "${#lines[@]}" -eq 3 ]
}

@test "step0-user: files of unmapped owners show as nobody; the skeleton's copy is root's inside" {
	run_rootless --map self sh -c 'stat -c "%u:%g %n" /dev/null /etc/profile /'
	assert_success
	assert_line "$USER_ID:$USER_ID /dev/null"
	assert_line "0:0 /etc/profile"
	assert_line "0:0 /"
}

@test "step0-user: --map subids maps the caller's /etc/subuid and /etc/subgid ranges through newuidmap" {
	command -v newuidmap >/dev/null || fail "newuidmap is missing (make deps installs Debian's uidmap)"
	local etc=$BATS_TEST_TMPDIR/etc
	private_etc "$etc" nobody
	run unshare --mount --propagation private sh -c '
		mount --bind "$1" /etc &&
		exec setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all \
			"$2/step0" --map subids sh -c "cat /proc/self/uid_map; touch /tmp/f; chown 1000:1000 /tmp/f; stat -c %u:%g /tmp/f"' \
		sh "$etc" "$ROOTLESS"
	assert_success
	assert_line --regexp "^ +0 +$USER_ID +1$"
	assert_line --regexp '^ +1 +200000 +65536$'
	assert_line 1000:1000
	refute_line --partial 'only uid'
}

@test "step0-user: root may run step0 too: then root is mapped to itself alone" {
	# root's own skeleton: the test user's is not root's inside this one.
	run "$ROOTLESS/step0" --map self --skel "$TEST_SKEL" sh -c 'cat /proc/self/uid_map; id -u'
	assert_success
	assert_line --regexp '^ +0 +0 +1$'
	assert_line 0
}

@test "step0-user: bad input and missing pieces: one line, exit 2, nothing made" {
	while IFS='|' read -r arguments expected; do
		# shellcheck disable=SC2086 # the row's words are the arguments
		run as_user env PATH=/usr/bin:/bin "$ROOTLESS/step0" $arguments true
		echo "# $arguments -> $status: $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		assert_output --partial "$expected"
	done <<-'EOF'
		--net veth|step0-user: --net veth: in a user namespace, step3 cannot put the pair's other end in the host's network namespace (that needs the host's CAP_NET_ADMIN): use --net none, or --net pasta
		--net host|step0-user: --net: in a user namespace, the chain can only make namespaces of its own
		--ipc host|step0-user: --ipc: in a user namespace
		--pid host|step0-user: --pid: in a user namespace
		--name web|step0-user: --name web: in a user namespace there is no registry of names
		--ip 192.168.47.13/24|step0-user: --ip and --host-ip: the veth pair's addresses, and in a user namespace step3 makes no veth pair
		--memory 64M|step0-user: --memory: a cgroup limit, and in a user namespace step7 has no cgroup
		--pids 10|step0-user: --pids: a cgroup limit
		--device-read-bps /dev/null:1mb|step0-user: --device-read-bps: a cgroup limit
		--map bogus|step0-user: --map: 'bogus' is not auto, self or subids
		--map subids|step0-user: --map subids: no range for this user in /etc/subuid (user nobody)
	EOF
	# Without the helpers in PATH.
	run as_user env PATH=/nonexistent "$ROOTLESS/step0" --map subids true
	[ "$status" -eq 2 ]
	assert_output "step0-user: --map subids: no newuidmap and newgidmap in PATH (Debian's package uidmap) (user nobody)"
	# A cgroup limit is fine where the chain ends before step7.
	run as_user "$ROOTLESS/step0" --until 6 --memory 64M true
	assert_success
	# --map means nothing to a chain that starts without step0.
	run "$STEPS/step1" --map self true
	[ "$status" -eq 2 ]
	assert_output "step1-uts: --map: only step0 makes a user namespace, and this chain starts without it (./step0 ...) (see step1-uts --help)"
}

# delegate: a cgroup v2 subtree of the test's own, delegated to the test's
# user the way systemd delegates user@UID.service: DELEGATION, root's,
# enables memory and pids (only) for its child user/, whose directory,
# cgroup.procs, cgroup.threads and cgroup.subtree_control are the user's;
# the user made user/shell/, where run_delegated starts step0. So the
# caller's cgroup is user/shell, and its parent user/ is delegated.
DELEGATION=/sys/fs/cgroup/uth-test-delegation

delegate() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
		skip "cgroup v1 here, which delegates nothing to a user (the VM's cgroup v2 runs this)"
	# The root's controllers for its children: a container made as root
	# enables them, as on any host where one ran.
	if ! grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
		! grep -qw pids /sys/fs/cgroup/cgroup.subtree_control; then
		"$STEPS/step7" true
	fi
	mkdir "$DELEGATION" "$DELEGATION/user"
	echo "+memory +pids" >"$DELEGATION/cgroup.subtree_control"
	chown "$USER_ID:$USER_ID" "$DELEGATION/user" "$DELEGATION/user/cgroup.procs" \
		"$DELEGATION/user/cgroup.threads" "$DELEGATION/user/cgroup.subtree_control"
	as_user mkdir "$DELEGATION/user/shell"
}

# run_delegated [ARGS...]: run_rootless from user/shell: root moves the
# process there, then becomes the user.
run_delegated() {
	run sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$DELEGATION/user/shell" \
		setpriv --reuid "$USER_ID" --regid "$USER_ID" --clear-groups --inh-caps=-all \
		"$ROOTLESS/step0" "$@"
	echo "# step0 $* (delegated) -> status $status"
}

# Whatever a test left in DELEGATION is killed, then removed, deepest first;
# then the helpers' teardown, kept under another name.
eval "helpers_$(declare -f teardown)"

teardown() {
	remove_delegation
	helpers_teardown
}

remove_delegation() {
	local cgroup attempt
	for cgroup in "$DELEGATION"/user/under-the-hood/* "$DELEGATION"/user/under-the-hood \
		"$DELEGATION"/user/shell "$DELEGATION"/user "$DELEGATION"; do
		[ -d "$cgroup" ] || continue
		echo 1 >"$cgroup/cgroup.kill" || true
		for attempt in $(seq 50); do
			rmdir "$cgroup" && break
			sleep 0.1
		done
	done
}

@test "step0-user: on cgroup v2, the limits are set in a cgroup next to the caller's, in the part delegated to the caller; it goes at the end" {
	delegate
	# Without step7, 64M is there for the taking.
	run_delegated --until 6 --memory 32M dd if=/dev/zero of=/dev/null bs=64M count=1
	assert_success
	run_delegated --memory 32M --pids 20 sh -c 'cat /proc/self/cgroup; dd if=/dev/zero of=/dev/null bs=64M count=1'
	assert_failure 137
	assert_line --regexp '^0::/uth-test-delegation/user/under-the-hood/[^/]+$'
	assert_output --partial "out of memory (limit 32M)"
	refute_output --partial "no cgroup delegated"
	[ ! -e "$DELEGATION/user/under-the-hood" ]
}

@test "step0-user: on cgroup v2, a limit whose controller the delegated cgroup lacks: one line, exit 2, nothing made" {
	delegate
	run_delegated --cpus 1 true
	[ "$status" -eq 2 ]
	assert_output "step0-user: --cpus: needs the cpu controller, and the cgroup delegated to the caller has only memory pids (see step0-user --help)"
	[ ! -e "$DELEGATION/user/under-the-hood" ]
}

@test "step0-user: no user namespaces allowed (user.max_user_namespaces=0): one line, exit 2" {
	# The limit is per user namespace: the test sets it to 0 in one of its
	# own, not on the host.
	run unshare --user --map-root-user sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1/step0" --map self true' sh "$ROOTLESS"
	[ "$status" -eq 2 ]
	assert_output "step0-user: unshare(CLONE_NEWUSER): No space left on device: none allowed here (user.max_user_namespaces=0)"
}

@test "step0-user: --map subids where the unshare fails: exit 2, and newuidmap's and newgidmap's processes end too" {
	local etc=$BATS_TEST_TMPDIR/etc
	private_etc "$etc" root
	# A user namespace of the test's own, with an /etc of its own and no
	# more user namespaces allowed: step0 forks its helpers, then fails.
	run unshare --user --map-root-user --mount sh -c '
		echo 0 >/proc/sys/user/max_user_namespaces && mount --bind "$1" /etc &&
		exec "$2/step0" --map subids true' sh "$etc" "$ROOTLESS"
	[ "$status" -eq 2 ]
	assert_output "step0-user: unshare(CLONE_NEWUSER): No space left on device: none allowed here (user.max_user_namespaces=0)"
	# They waited for step0's byte; its end-of-file ends them.
	wait_until 5 sh -c '! pgrep -x step0'
}

@test "step0-user: a skeleton the caller cannot read: a hint, exit 125, nothing left" {
	local skel=$ROOTLESS/skel-unreadable
	mkdir -p "$skel/secret"
	chmod 0700 "$skel/secret"
	run_rootless --map self --skel "$skel" true
	rm -rf -- "$skel"
	[ "$status" -eq 125 ]
	assert_line 'step5-rootfs: openat("secret"): Permission denied'
	assert_line --partial 'step5-rootfs: hint: in a user namespace, root inside may read only what you may read on the host'
}

# --net pasta: the tests bind a tun node of their own over /dev/net/tun, in a
# mount namespace of their own: 0666 as udev makes it (a machine without
# udev has 0600, which only root may open), or 0600 to see pasta fail.
run_with_tun() {
	local mode=$1
	shift
	[ -c /dev/net/tun ] || fail "no /dev/net/tun: this kernel has no tun driver loaded (modprobe tun)"
	rm -f "$BATS_TEST_TMPDIR/tun"
	mknod -m "$mode" "$BATS_TEST_TMPDIR/tun" c 10 200
	run unshare --mount --propagation private sh -c '
		mount --bind "$1" /dev/net/tun && shift &&
		exec setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all "$@"' \
		sh "$BATS_TEST_TMPDIR/tun" "$@"
}

pasta_left() { pgrep -u "$USER_ID" -f '^pasta --foreground' >/dev/null; }

# closing_pasta: a pasta in $ROOTLESS/closing that first closes every
# descriptor it inherits above 2, as newer versions of passt do as they
# start: whatever pasta is given must be a path it can open itself.
closing_pasta() {
	mkdir -p "$ROOTLESS/closing"
	cat >"$ROOTLESS/closing/pasta" <<-EOF
		#!/bin/bash
		for fd in /proc/\$\$/fd/*; do
			fd=\${fd##*/}
			[ "\$fd" -le 2 ] || eval "exec \$fd>&-"
		done
		exec -a pasta $(command -v pasta) "\$@"
	EOF
	chmod 0755 "$ROOTLESS/closing" "$ROOTLESS/closing/pasta"
}

@test "step0-user: --net pasta: an interface with the host's address and route, pasta outside the container, nothing left" {
	command -v pasta >/dev/null || skip "no pasta here (make deps installs Debian's passt where the distribution has it)"
	[ -n "$(ip -4 route show default)" ] || skip "the host has no default route for pasta to copy"
	run_with_tun 0666 "$ROOTLESS/step0" --map self --net pasta sh -c \
		'ip -4 -br addr | grep -v "^lo "; ip -4 route show default; ps -eo comm'
	assert_success
	assert_line --regexp '^[a-z0-9]+ +UNKNOWN +[0-9.]+/[0-9]+'
	assert_line --regexp '^default via [0-9.]+ dev '
	# Not a process of the container: only sh and ps are.
	refute_line --regexp '^pass|^pasta'
	run pasta_left
	assert_failure
	# The same with a pasta that keeps no descriptor it inherits.
	closing_pasta
	run_with_tun 0666 env PATH="$ROOTLESS/closing:$PATH" "$ROOTLESS/step0" --map self \
		--net pasta sh -c 'ip -4 -br addr | grep -v "^lo "'
	assert_success
	assert_line --regexp '^[a-z0-9]+ +UNKNOWN +[0-9.]+/[0-9]+'
	run pasta_left
	assert_failure
}

@test "step0-user: --net pasta where pasta cannot set up the namespace: its reason, one line of step3, exit 125, nothing left" {
	command -v pasta >/dev/null || skip "no pasta here (make deps installs Debian's passt where the distribution has it)"
	run_with_tun 0600 "$ROOTLESS/step0" --map self --net pasta true
	[ "$status" -eq 125 ]
	# pasta's own reason comes first (the tun device; on a host without a
	# network, as the VM, that there is none to copy), then step3's line.
	[ "${#lines[@]}" -ge 2 ]
	[ "${lines[${#lines[@]} - 1]}" = "step3-net: --net pasta: pasta did not set up the network namespace (it says why above)" ]
	run pasta_left
	assert_failure
}

@test "step0-user: --net pasta is bad input as root, without pasta in PATH, and in a chain without step2" {
	run "$STEPS/step1" --net pasta true
	[ "$status" -eq 2 ]
	assert_output "step1-uts: --net pasta: for a chain in a user namespace (./step0); as root, --net veth makes a pair to the host (see step1-uts --help)"
	run as_user env PATH=/nonexistent "$ROOTLESS/step0" --map self --net pasta true
	[ "$status" -eq 2 ]
	assert_output "step1-uts: --net pasta: no pasta in PATH (Debian's package passt)"
	run unshare --user --map-root-user "$STEPS/step3" --net pasta true
	[ "$status" -eq 2 ]
	assert_output "step3-net: --net pasta: step2's supervisor starts pasta, and this chain starts at step3"
}

# Escapes. The chain run as root is as confined as Docker's default
# container, and its root is still the host's uid 0: whatever it makes is
# the host root's. A user namespace adds what no other layer can: root
# inside is an ordinary user outside.

# escape_setuid_file SECONDS: the file, seen from the host, of the container
# whose workload sleeps SECONDS (each test its own: a container of the
# test before may still be ending).
escape_setuid_file() {
	local pid
	pid=$(pgrep -fx "sleep $1") || return 1
	stat -c '%u %A' "/proc/$pid/root/tmp/setuid-sh"
}

@test "escapes: a set-user-ID root program the workload makes is the host root's [full chain as root]" {
	start_container sh -c 'cp /bin/sh /tmp/setuid-sh && chown 0:0 /tmp/setuid-sh && chmod 4755 /tmp/setuid-sh && exec sleep 62.5'
	wait_until 20 escape_setuid_file 62.5
	run escape_setuid_file 62.5
	# Copied out of the container (docker cp, a volume), a root shell for
	# any user of the host.
	assert_output "0 -rwsr-xr-x"
}

@test "escapes: a set-user-ID program the workload makes is the caller's [step0, full chain]" {
	setsid setpriv --reuid "$USER_ID" --regid "$USER_ID" --clear-groups --inh-caps=-all "$ROOTLESS/step0" \
		sh -c 'cp /bin/sh /tmp/setuid-sh && chown 0:0 /tmp/setuid-sh && chmod 4755 /tmp/setuid-sh && exec sleep 62.75' \
		</dev/null >/dev/null 2>&1 3>&- &
	BACKGROUND_PIDS+=("$!")
	wait_until 20 escape_setuid_file 62.75
	run escape_setuid_file 62.75
	assert_output "$USER_ID -rwsr-xr-x"
}

# Inside a user namespace, a nested one gives CAP_NET_ADMIN and
# CAP_SYS_ADMIN over namespaces of its own, and so reaches kernel code
# (netfilter, mounts of many filesystems) that was written for root:
# the way into most of the kernel bugs that unprivileged user namespaces
# exposed. step8 refuses unshare(2) without CAP_SYS_ADMIN, as Docker does.
@test "escapes: a nested user namespace with every capability works without the filter [step0 --seccomp unconfined --landlock off]" {
	# Landlock too: its ruleset lets no one write /proc/self/uid_map.
	run_rootless --seccomp unconfined --landlock off unshare --user --map-root-user --net sh -c 'grep CapEff /proc/self/status'
	assert_success
	# every capability the kernel has, NET_ADMIN and SYS_ADMIN among them
	assert_line --regexp '^CapEff:	[0-9a-f]{6}f{10}$'
}

@test "escapes: a nested user namespace is blocked [step0, full chain]" {
	run_rootless unshare --user --map-root-user --net true
	assert_failure
	assert_line --partial 'unshare failed: Operation not permitted'
}
