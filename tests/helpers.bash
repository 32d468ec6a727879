# helpers.bash: loaded by every test file.
#
# Every test runs the real steps on the real kernel. setup() records what the
# host has (interfaces, mounts, our cgroups, our processes) and teardown()
# checks that it has exactly that again, whatever the test did.

bats_load_library bats-support
bats_load_library bats-assert

PROJECT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# Where the step binaries are: the checkout, or a variant (make test-asan).
STEPS=${STEPS:-$PROJECT}
SKEL=${SKEL:-$PROJECT/skelfs}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root: the steps create namespaces, mounts and cgroups"
}

# The host's state that a container must leave as it found it.
host_interfaces() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
host_mounts() { awk '{print $5, $9}' /proc/self/mountinfo | sort; }
our_cgroups() { find /sys/fs/cgroup -maxdepth 3 -name 'under-the-hood*' 2>/dev/null | sort; }
our_processes() { pgrep -a '^step[1-8]-' 2>/dev/null | sort || true; }

host_state() {
	echo "== interfaces"; host_interfaces
	echo "== mounts"; host_mounts
	echo "== cgroups"; our_cgroups
	echo "== processes"; our_processes
}

# A container's network namespace, and so the host end of its veth pair,
# is freed by the kernel shortly after the container's last process exits
# (net/core/net_namespace.c cleans up from a work queue). Allow it 10s.
wait_for_host_state() {
	local expected=$1 i
	for ((i = 0; i < 100; i++)); do
		[ "$(host_state)" = "$expected" ] && return 0
		sleep 0.1
	done
	diff <(echo "$expected") <(host_state) >&2
	return 1
}

setup() {
	require_root
	HOST_STATE_BEFORE=$(host_state)
	export HOST_STATE_BEFORE
}

teardown() {
	[ -n "${HOST_STATE_BEFORE:-}" ] || return 0
	# Nothing a test started may outlive it.
	pkill -KILL '^step[1-8]-' 2>/dev/null || true
	wait_for_host_state "$HOST_STATE_BEFORE" || {
		echo "# the host is not as before this test" >&2
		return 1
	}
}

# run_chain [ARGS...]: run ./step1 with ARGS; output and status as bats' run.
run_chain() {
	run "$STEPS/step1" "$@"
	echo "# step1 $* -> status $status"
}

# run_step N [ARGS...]: run ./stepN directly.
run_step() {
	local step=$1
	shift
	run "$STEPS/step$step" "$@"
}

# The inode of one of the host's namespaces, to compare with a container's.
host_namespace() { stat -Lc %i "/proc/self/ns/$1"; }
