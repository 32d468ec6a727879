/* step8-seccomp: the system calls a container has no business making, refused.
 *
 * After step6, root inside holds fourteen capabilities, and most dangerous
 * calls already fail for want of one. Seccomp (seccomp(2)) is a second wall
 * that does not depend on the first: a small BPF program the kernel runs on
 * every system call before the call itself, which can refuse it whatever
 * the caller's capabilities. With both, a container started with --cap-add
 * SYS_ADMIN still cannot mount.
 *
 * The filter allows by default and denies a list: the calls that Docker's
 * documentation names as blocked by its default profile (docs.docker.com/
 * engine/security/seccomp/). They reach what no namespace isolates (the
 * kernel, its keyrings, the clock, swap, reboot) or undo the earlier steps
 * (mount, unshare, setns). Docker's profile is an allow list with a default
 * of EPERM, which also refuses calls newer than the profile; a deny list
 * misses those, but it reads as the list of what is dangerous.
 *
 * The filter goes last, right before COMMAND: the steps before need the
 * calls it refuses, and once loaded it is inherited through fork and exec
 * and can never be removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>

#include "../common/chain.h"

struct denial {
	const char *name;
	int error;
};

/* ptrace stays allowed, as in Docker since kernel 4.8: before it, a tracer
 * could change a system call after seccomp had checked it. */
static const struct denial denied_calls[] = {
	/* Undoing steps 1-5. unshare is also how CVE-2022-0185 (a heap
	 * overflow in fsconfig) was reached from containers without this. */
	{ "mount", EPERM }, { "umount2", EPERM }, { "pivot_root", EPERM },
	{ "unshare", EPERM }, { "setns", EPERM },
	/* The new mount API does what mount(2) does, in steps: without these,
	 * a container given CAP_SYS_ADMIN could still mount. */
	{ "fsopen", EPERM }, { "fsconfig", EPERM }, { "fsmount", EPERM }, { "fspick", EPERM },
	{ "move_mount", EPERM }, { "open_tree", EPERM }, { "mount_setattr", EPERM },
	/* clone3 passes its flags in memory, and a filter sees only the six
	 * argument registers. ENOSYS makes glibc believe the kernel predates
	 * clone3 and fall back to clone, whose flags the rules below check
	 * (Docker's profile does the same). */
	{ "clone3", ENOSYS },
	/* Keyrings are not namespaced: root inside shares root's keys with
	 * the host (CVE-2016-0728 was a keyring reference-count overflow). */
	{ "keyctl", EPERM }, { "add_key", EPERM }, { "request_key", EPERM },
	/* The kernel itself: modules, another kernel, the machine's reboot. */
	{ "init_module", EPERM }, { "finit_module", EPERM }, { "delete_module", EPERM },
	{ "kexec_load", EPERM }, { "kexec_file_load", EPERM }, { "reboot", EPERM },
	/* Settings of the whole machine: swap, process accounting, disk
	 * quotas, the kernel log, the terminal, NUMA memory placement and I/O
	 * ports (the Docker table gives the same reasons for each). */
	{ "swapon", EPERM }, { "swapoff", EPERM }, { "acct", EPERM }, { "quotactl", EPERM },
	{ "syslog", EPERM }, { "vhangup", EPERM }, { "mbind", EPERM }, { "set_mempolicy", EPERM },
	{ "move_pages", EPERM }, { "migrate_pages", EPERM }, { "iopl", EPERM }, { "ioperm", EPERM },
	/* One clock for the machine: time namespaces offset only the
	 * monotonic and boot clocks (time_namespaces(7)). */
	{ "clock_settime", EPERM }, { "clock_adjtime", EPERM }, { "settimeofday", EPERM },
	{ "adjtimex", EPERM }, { "stime", EPERM },
	/* Files by handle, without a path: the "shocker" escape (2014) read
	 * the host's /etc/shadow from a Docker container with open_by_handle_at. */
	{ "open_by_handle_at", EPERM }, { "name_to_handle_at", EPERM },
	/* Large kernel interfaces where kernel exploits start: bpf,
	 * perf_event_open (CVE-2013-2094), userfaultfd (it pauses the kernel
	 * in the middle of a copy and so makes races winnable), and the
	 * profiler's lookup_dcookie. */
	{ "bpf", EPERM }, { "perf_event_open", EPERM }, { "userfaultfd", EPERM },
	{ "lookup_dcookie", EPERM },
};

/* clone(2) makes every process, so only its namespace flags are refused. */
static const struct {
	uint64_t flag;
	const char *name;
} namespace_flags[] = {
	{ CLONE_NEWNS, "CLONE_NEWNS" },   { CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC" }, { CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ CLONE_NEWPID, "CLONE_NEWPID" }, { CLONE_NEWNET, "CLONE_NEWNET" },
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
};

/* The rules use this architecture's numbers (x86_64). A process can also
 * enter the kernel as i386 (int $0x80) or x32 (__X32_SYSCALL_BIT,
 * 0x40000000, in the number), where numbers mean other calls: mount is 165
 * on x86_64, 21 on i386. Those are refused whole: libseccomp checks the
 * architecture first and, in an x86_64 filter, sends x32 numbers to the same
 * action (tests/step8-seccomp.bats checks both). EPERM, not a kill: like
 * every refusal here and in Docker's profile, an error the program can
 * report rather than a silent SIGSYS. */
static scmp_filter_ctx
new_filter(void)
{
	scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (filter == NULL)
		die("seccomp_init(SCMP_ACT_ALLOW): out of memory");
	narrate("seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM))");
	rc = seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM));
	if (rc < 0)
		die("seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH): %s", strerror(-rc));
	/* Without it, seccomp_load() reports every kernel error as ECANCELED. */
	rc = seccomp_attr_set(filter, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc < 0)
		die("seccomp_attr_set(SCMP_FLTATR_API_SYSRAWRC): %s", strerror(-rc));
	return filter;
}

/* The number of NAME here, or -1 when NAME is no system call on this
 * architecture (stime on x86_64): libseccomp knows every architecture's
 * names and gives those a negative number of its own. */
static int
syscall_number(const char *name)
{
	int number = seccomp_syscall_resolve_name(name);

	if (number == __NR_SCMP_ERROR)
		die("seccomp_syscall_resolve_name(\"%s\"): not a system call on any architecture", name);
	if (number < 0) {
		narrate("skip %s: not a system call on this architecture", name);
		return -1;
	}
	return number;
}

static void
add_rule(scmp_filter_ctx filter, int error, int number, const char *name,
	 const struct scmp_arg_cmp *condition)
{
	int rc = seccomp_rule_add_array(filter, SCMP_ACT_ERRNO(error), number, !!condition, condition);

	if (rc < 0)
		die("seccomp_rule_add(SCMP_ACT_ERRNO(%s), %s): %s", strerrorname_np(error), name,
		    strerror(-rc));
}

static void
deny_listed_calls(scmp_filter_ctx filter)
{
	for (size_t i = 0; i < sizeof(denied_calls) / sizeof(*denied_calls); i++) {
		const struct denial *denial = &denied_calls[i];
		int number = syscall_number(denial->name);
		if (number < 0)
			continue;
		narrate("deny %s: %s", denial->name, strerrorname_np(denial->error));
		add_rule(filter, denial->error, number, denial->name, NULL);
	}
}

/* A default-allow filter needs one rule per flag, "flags & F == F"
 * (Docker's allow list has the same as one rule, "flags & 0x7E020000 ==
 * 0"). CLONE_NEWTIME (0x80) is not here: clone reads the low byte of its
 * flags as the exit signal, so a time namespace comes only from unshare or
 * clone3 (clone(2)), both refused above; Docker's mask leaves it out too. */
static void
deny_namespace_clones(scmp_filter_ctx filter)
{
	int number = syscall_number("clone");

	for (size_t i = 0; i < sizeof(namespace_flags) / sizeof(*namespace_flags); i++) {
		uint64_t flag = namespace_flags[i].flag;
		struct scmp_arg_cmp condition = SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag);
		narrate("deny clone with %s: EPERM", namespace_flags[i].name);
		add_rule(filter, EPERM, number, "clone", &condition);
	}
}

/* TIOCSTI pushes characters into a terminal's input queue: the caller's
 * terminal, which the container shares, would read them as typed once the
 * container has exited (bubblewrap's CVE-2017-5226). No capability guards
 * it. The kernel reads the request as 32 bits, so the comparison masks the
 * upper half, which a caller could otherwise set to slip past (Flatpak's
 * CVE-2019-10063). */
static void
deny_terminal_injection(scmp_filter_ctx filter)
{
	struct scmp_arg_cmp condition = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCSTI);

	narrate("deny ioctl with TIOCSTI: EPERM");
	add_rule(filter, EPERM, syscall_number("ioctl"), "ioctl", &condition);
}

/* personality(2) with Docker's five values only: 0 (PER_LINUX), 8
 * (PER_LINUX32), 0x20000 (UNAME26), 0x20008, and 0xffffffff, which only
 * asks. Other flags weaken the next exec: ADDR_NO_RANDOMIZE turns off
 * address randomisation, READ_IMPLIES_EXEC makes data executable,
 * MMAP_PAGE_ZERO maps page 0 (CVE-2009-1895).
 *
 * "Anything else" is five "!=" on one argument, but libseccomp 2.5.4 takes
 * one comparison per argument in a rule (EINVAL) and no ALLOW rule in a
 * filter that allows by default (EACCES): rules can only be or-ed. So it is
 * written bit by bit, on the low 32 bits the kernel reads (an unsigned int).
 * A value is refused when a bit outside 0x20008 is set and some bit is
 * clear. Round the circle of the 30 outside bits, a set bit is followed by
 * a clear one unless all are equal: one rule per outside bit. With all of
 * them set, two more rules refuse bit 3 or bit 17 clear. */
static void
deny_other_personalities(scmp_filter_ctx filter)
{
	const uint32_t allowed_bits[] = { PER_LINUX32, UNAME26 };
	uint32_t outside[32] = { 0 };
	unsigned count = 0;
	int number = syscall_number("personality");

	for (uint32_t bit = 1; bit != 0; bit <<= 1)
		if (bit != allowed_bits[0] && bit != allowed_bits[1])
			outside[count++] = bit;
	narrate("deny personality unless 0x0, 0x8, 0x20000, 0x20008 or 0xffffffff: EPERM (%u rules)",
		count + 2);
	for (unsigned i = 0; i < count; i++) {
		uint32_t set = outside[i], clear = outside[(i + 1) % count];
		struct scmp_arg_cmp condition = SCMP_A0(SCMP_CMP_MASKED_EQ, set | clear, set);
		add_rule(filter, EPERM, number, "personality", &condition);
	}
	for (unsigned i = 0; i < 2; i++) {
		uint32_t set = outside[0], clear = allowed_bits[i];
		struct scmp_arg_cmp condition = SCMP_A0(SCMP_CMP_MASKED_EQ, set | clear, set);
		add_rule(filter, EPERM, number, "personality", &condition);
	}
}

/* Without CAP_SYS_ADMIN, a filter needs no_new_privs (seccomp(2)): else a
 * filtered process could exec a set-user-ID program and make it fail in
 * ways its author never expected. step6 sets it; run on its own on the
 * host, this step sets it here. (libseccomp would set it silently in
 * seccomp_load(), SCMP_FLTATR_CTL_NNP; here it shows under -v.) */
static void
ensure_no_new_privs(void)
{
	int set = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	if (set == -1)
		die_errno("prctl(PR_GET_NO_NEW_PRIVS)");
	if (set == 1)
		return;
	narrate("prctl(PR_SET_NO_NEW_PRIVS, 1)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		die_errno("prctl(PR_SET_NO_NEW_PRIVS, 1)");
}

static void
load_filter(scmp_filter_ctx filter)
{
	narrate("seccomp(SECCOMP_SET_MODE_FILTER, 0, <the filter>)");
	int rc = seccomp_load(filter);
	if (rc < 0)
		die("seccomp(SECCOMP_SET_MODE_FILTER): %s", strerror(-rc));
	seccomp_release(filter);
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(8, "step8-seccomp", argc, argv, &options);
	if (options.seccomp_unconfined) {
		narrate("--seccomp unconfined: no system call filter");
		exec_next(&options);
	}
	scmp_filter_ctx filter = new_filter();
	deny_listed_calls(filter);
	deny_namespace_clones(filter);
	deny_terminal_injection(filter);
	deny_other_personalities(filter);
	ensure_no_new_privs();
	load_filter(filter);
	exec_next(&options);
}
