#!/usr/bin/env bats
# step3-net: a network namespace with lo and a veth pair to the host.
#
# The interface names assume no other container runs on this host: run
# under `unshare --net --mount --propagation private bats ...` when others do.

load helpers

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	MARK=bats-step3-$$-$BATS_TEST_NUMBER-$RANDOM
}

# The line "NAME ADDRESS/PREFIX" for each IPv4 address of an interface.
addresses() { ip -4 -o addr show dev "$1" | awk '{print $2, $4}'; }
link_is_gone() { ! ip link show "$1" >/dev/null 2>&1; }
# BG_OUT has a line matching the regular expression.
output_has() { grep -q -- "$2" "$1"; }

# bats test_tags=exercise:3-1
@test "step3-net: the network namespace differs from the host's as do UTS, PID and mount [--until 3]" {
	run_chain --until 3 sh -c 'for n in uts pid mnt net; do stat -Lc "$n %i" /proc/self/ns/$n; done'
	assert_success
	refute_line "uts $(host_namespace uts)"
	refute_line "pid $(host_namespace pid)"
	refute_line "mnt $(host_namespace mnt)"
	refute_line "net $(host_namespace net)"
}

# bats test_tags=exercise:3-1,exercise:3-2,exercise:3-3
@test "step3-net: the interfaces inside are lo and mybr1, both up [--until 3]" {
	run_chain --until 3 ip -br link
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --regexp '^lo +UNKNOWN '
	# The flags, not the operational state: the kernel updates that from a
	# work queue (linkwatch), up to a second after the link came up.
	assert_line --regexp '^mybr1@[a-z0-9]+ .*[<,]UP[,>]'
}

# bats test_tags=exercise:3-1,exercise:3-3
@test "step3-net: none of the host's interfaces is inside [--until 3]" {
	run_chain --until 3 ip -br link
	assert_success
	refute_line --regexp '^eth0'
	refute_line --regexp '^mybr0'
}

# bats test_tags=exercise:3-3
@test "step3-net: mybr1 has 192.168.47.12/24 inside [--until 3]" {
	run_chain --until 3 ip -4 -o addr show dev mybr1
	assert_success
	assert_output --regexp ' inet 192\.168\.47\.12/24 '
}

# bats test_tags=exercise:3-3
@test "step3-net: the default route inside goes through the host end [--until 3]" {
	run_chain --until 3 ip route show default
	assert_success
	assert_output --regexp '^default via 192\.168\.47\.11 dev mybr1'
}

# bats test_tags=exercise:3-2
@test "step3-net: lo is up inside and answers ping [--until 3]" {
	run_chain --until 3 ping -c1 -W2 127.0.0.1
	assert_success
}

# bats test_tags=exercise:3-1
@test "step3-net: --net none leaves only lo inside [--until 3]" {
	run_chain --until 3 --net none ip -br link
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_line --regexp '^lo +UNKNOWN '
}

# bats test_tags=exercise:3-1
@test "step3-net: --net none gives the host no new interface while the container runs [--until 3]" {
	start_container --until 3 --net none sh -c "echo ready; sleep 100; : $MARK"
	wait_until 10 file_has_content "$BG_OUT"
	assert_equal "$(host_interfaces)" "$(sed -n '/^== interfaces/,/^== mounts/p' <<<"$HOST_STATE_BEFORE" | sed '1d;$d')"
}

# bats test_tags=exercise:3-2,exercise:3-3
@test "step3-net: the container pings the host end 192.168.47.11 [--until 3]" {
	run_chain --until 3 ping -c1 -W2 192.168.47.11
	assert_success
	assert_output --partial '1 received'
}

# The host end comes up before its peer and can send only once the kernel's
# link watch work has run; if step3 handed over before that, the host's ARP
# answer to the first packet would be dropped and ping would get its reply
# only after ARP's retry, a second later: past -W1. That happened in about
# one start of three when step3 did not wait, so ten starts find it almost
# surely. Kernels since 6.8 (the host here) settle it with RTM_GETLINK,
# older ones (the test VM's 6.1) with the link notification.
@test "step3-net: the container's first packet is answered without an ARP retry, in each of 10 starts [--until 3]" {
	for start in $(seq 10); do
		wait_until 10 link_is_gone mybr0 # so that this start gets 192.168.47.0/24
		run_chain --until 3 ping -c1 -W1 192.168.47.11
		[ "$status" -eq 0 ] || fail "start $start of 10: status $status: $output"
	done
}

# bats test_tags=exercise:3-1
@test "step3-net: the container cannot ping the host end with --net none [--until 3]" {
	run_chain --until 3 --net none ping -c1 -W1 192.168.47.11
	assert_failure
}

# bats test_tags=exercise:3-2,exercise:3-3
@test "step3-net: the host gets mybr0 with 192.168.47.11/24, up, while the container runs [--until 5]" {
	start_container --until 5 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	assert_equal "$(addresses mybr0)" "mybr0 192.168.47.11/24"
}

# bats test_tags=exercise:3-3
@test "step3-net: the host pings the container at 192.168.47.12 [--until 5]" {
	start_container --until 5 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	run ping -c1 -W2 192.168.47.12
	assert_success
	assert_output --partial '1 received'
}

@test "step3-net: the host cannot ping 192.168.47.12 once the container has ended [--until 5]" {
	start_container --until 5 sh -c "sleep 0.5; : $MARK"
	wait_until 10 link_is_up mybr0
	wait_for_exit "$BG_PID" 5
	wait_until 10 link_is_gone mybr0
	run ping -c1 -W1 192.168.47.12
	assert_failure
}

# bats test_tags=exercise:3-1,exercise:3-3
@test "step3-net: the host end mybr0 goes away after the container [--until 3]" {
	run_chain --until 3 true
	assert_success
	wait_until 10 link_is_gone mybr0
}

@test "step3-net: --host-ip and --ip set both ends [--until 3]" {
	run_chain --until 3 --host-ip 192.168.47.1/28 --ip 192.168.47.2/28 \
		sh -c 'ip -4 -o addr show dev mybr1 && ping -c1 -W2 192.168.47.1 >/dev/null && echo pinged'
	assert_success
	assert_line --regexp ' inet 192\.168\.47\.2/28 '
	assert_line pinged
}

# bats test_tags=exercise:3-3
@test "step3-net: two containers at once get mybr0/mybr1 and mybr2/mybr3 [--until 3]" {
	start_container --until 3 sh -c "ip -br link show mybr1 | cut -d@ -f1; echo done; sleep 100; : $MARK"
	local first_out=$BG_OUT
	wait_until 10 output_has "$first_out" '^done'
	start_container --until 3 sh -c "ip -br link show mybr3 | cut -d@ -f1; echo done; sleep 100; : $MARK"
	wait_until 10 output_has "$BG_OUT" '^done'
	assert_equal "$(cat "$first_out")" $'mybr1\ndone'
	assert_equal "$(cat "$BG_OUT")" $'mybr3\ndone'
	wait_until 10 link_is_up mybr0
	wait_until 10 link_is_up mybr2
}

# bats test_tags=exercise:3-3
@test "step3-net: two containers at once get 192.168.47.0/24 and 192.168.48.0/24 [--until 3]" {
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr2
	assert_equal "$(addresses mybr0)" "mybr0 192.168.47.11/24"
	assert_equal "$(addresses mybr2)" "mybr2 192.168.48.11/24"
}

@test "step3-net: each of two containers pings its own host end [--until 3]" {
	start_container --until 3 sh -c "ping -c1 -W2 192.168.47.11 >/dev/null && echo pinged; echo done; sleep 100; : $MARK"
	local first_out=$BG_OUT
	wait_until 10 output_has "$first_out" '^done'
	start_container --until 3 sh -c "ip -4 -o addr show dev mybr3; ping -c1 -W2 192.168.48.11 >/dev/null && echo pinged; echo done; sleep 100; : $MARK"
	wait_until 10 output_has "$BG_OUT" '^done'
	assert_equal "$(cat "$first_out")" $'pinged\ndone'
	run cat "$BG_OUT"
	assert_line --regexp ' inet 192\.168\.48\.12/24 '
	assert_line pinged
}

@test "step3-net: the host pings both containers at once [--until 3]" {
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr2
	run ping -c1 -W2 192.168.47.12
	assert_success
	run ping -c1 -W2 192.168.48.12
	assert_success
}

@test "step3-net: a container started after another has ended gets mybr1 again [--until 3]" {
	run_chain --until 3 true
	assert_success
	wait_until 10 link_is_gone mybr0
	run_chain --until 3 sh -c 'ip -br link show mybr1 | cut -d@ -f1'
	assert_success
	assert_output mybr1
}

# bats test_tags=exercise:3-2
@test "step3-net: mybr1 comes up with the flags it had, BROADCAST and MULTICAST [--until 3]" {
	run_chain --until 3 ip -o link show dev mybr1
	assert_success
	assert_output --regexp '[<,]UP[,>]'
	assert_output --regexp '[<,]BROADCAST[,>]'
	assert_output --regexp '[<,]MULTICAST[,>]'
}

# --- what the host end accepts from the container ----------------------------

# The host's own settings, read, never written: /proc/sys/net/.../mybr0.
host_conf() { cat "/proc/sys/net/$1/conf/mybr0/$2"; }
# The number of the first line of $output that contains TEXT.
line_of() { grep -n -F -m1 -- "$1" <<<"$output" | cut -d: -f1; }

@test "step3-net: the host end mybr0 has IPv6 off, and no IPv6 address, not even link-local [--until 3]" {
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	assert_equal "$(host_conf ipv6 disable_ipv6)" 1
	assert_equal "$(ip -6 addr show dev mybr0)" ""
}

@test "step3-net: the host end mybr0 filters reverse paths strictly (rp_filter 1) [--until 3]" {
	start_container --until 3 sh -c "sleep 100; : $MARK"
	wait_until 10 link_is_up mybr0
	assert_equal "$(host_conf ipv4 rp_filter)" 1
}

# bats test_tags=exercise:3-1,exercise:3-2
@test "step3-net: -v shows the conf directories opened before unshare, the settings written before mybr0 is up [--until 3]" {
	run_chain --until 3 -v true
	assert_success
	local ipv4 ipv6 unshared disable_ipv6 rp_filter up
	ipv4=$(line_of 'step3-net: open("/proc/sys/net/ipv4/conf", O_PATH|O_DIRECTORY|O_CLOEXEC)')
	ipv6=$(line_of 'step3-net: open("/proc/sys/net/ipv6/conf", O_PATH|O_DIRECTORY|O_CLOEXEC)')
	unshared=$(line_of 'step3-net: unshare(CLONE_NEWNET)')
	disable_ipv6=$(line_of 'step3-net: write("/proc/sys/net/ipv6/conf/mybr0/disable_ipv6", "1")')
	rp_filter=$(line_of 'step3-net: write("/proc/sys/net/ipv4/conf/mybr0/rp_filter", "1")')
	up=$(line_of 'step3-net: RTM_NEWLINK mybr0 up')
	[[ $ipv4 && $ipv6 && $unshared && $disable_ipv6 && $rp_filter && $up ]] ||
		fail "a line is missing"
	((ipv4 < unshared && ipv6 < unshared)) || fail "opened after unshare"
	((disable_ipv6 < up && rp_filter < up)) || fail "written after mybr0 came up"
}

# A private mount namespace whose /proc/sys is read-only; the host's stays.
@test "step3-net: a host end it cannot set up stops the step, naming the file, and leaves nothing [read-only /proc/sys]" {
	run unshare --mount --propagation private sh -c \
		'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec "$0" --until 3 true' \
		"$STEPS/step3"
	assert_failure 125
	assert_output 'step3-net: write("/proc/sys/net/ipv6/conf/mybr0/disable_ipv6", "1"): Read-only file system'
	wait_until 10 link_is_gone mybr0
}

# --sysctl net.*: written in the container's network namespace only; the
# host's value is read before and after, never written. The value differs
# from the host's, so that a write there would show.
other_than() { if [ "$1" = "$2" ]; then echo $(($2 + 1)); else echo "$2"; fi; }
port_start=/proc/sys/net/ipv4/ip_unprivileged_port_start

@test "step3-net: --sysctl net.ipv4.ip_unprivileged_port_start=512 is the container's in the whole chain, the host's is unchanged" {
	local before value
	before=$(cat "$port_start")
	value=$(other_than "$before" 512)
	run_chain --sysctl "net.ipv4.ip_unprivileged_port_start=$value" cat "$port_start"
	assert_success
	assert_output "$value"
	assert_equal "$(cat "$port_start")" "$before"
}

@test "step3-net: --sysctl net.* is the container's with --net none too [--until 3]" {
	local before value
	before=$(cat "$port_start")
	value=$(other_than "$before" 512)
	run_chain --until 3 --net none --sysctl "net.ipv4.ip_unprivileged_port_start=$value" cat "$port_start"
	assert_success
	assert_output "$value"
	assert_equal "$(cat "$port_start")" "$before"
}

@test "step3-net: --sysctl reaches the container's own mybr1, which exists by then [--until 3]" {
	run_chain --until 3 --sysctl net.ipv4.conf.mybr1.arp_ignore=2 cat /proc/sys/net/ipv4/conf/mybr1/arp_ignore
	assert_success
	assert_output 2
}

@test "step3-net: -v narrates the --sysctl write after unshare(CLONE_NEWNET), last [--until 3]" {
	run_chain --until 3 -v --sysctl net.core.somaxconn=512 true
	assert_success
	local unshared written route
	unshared=$(line_of 'step3-net: unshare(CLONE_NEWNET)')
	written=$(line_of 'step3-net: write("/proc/sys/net/core/somaxconn", "512")')
	route=$(line_of 'step3-net: RTM_NEWROUTE')
	[[ $unshared && $written && $route ]] || fail "a line is missing"
	((unshared < written && route < written)) || fail "written before the namespace was set up"
}

@test "step3-net: --sysctl of a parameter this kernel lacks stops step3 with 125, naming the file, and leaves nothing [--until 3]" {
	run --separate-stderr "$STEPS/step1" --until 3 --sysctl net.ipv4.no_such_thing=1 true
	assert_failure 125
	assert_equal "${stderr_lines[0]}" 'step3-net: write("/proc/sys/net/ipv4/no_such_thing", "1"): No such file or directory'
	assert_regex "${stderr_lines[1]}" '^step3-net: hint: .*network namespace'
	wait_until 10 link_is_gone mybr0
}
