/* step8-seccomp: only the system calls a container needs, allowed.
 *
 * After step6, root inside holds fourteen capabilities, and most dangerous
 * calls already fail for want of one. Seccomp (seccomp(2)) is a second wall
 * that does not depend on the first: a small BPF program the kernel runs on
 * every system call before the call itself, which can refuse it whatever
 * the caller's capabilities. With both, a container started with --cap-add
 * SYS_ADMIN still cannot mount.
 *
 * The filter is an allow list, Docker's: allowed-calls.h holds the calls
 * its default profile allows a container with the default capabilities
 * (tools/seccomp-allowlist.py makes it from moby's default.json), and
 * everything else is refused with EPERM. Docker's list grows with
 * --cap-add (mount, unshare, setns and the new mount API with
 * CAP_SYS_ADMIN; pivot_root with none); this one does not. A deny list would name what is
 * dangerous, but it passes every call added to the kernel after it was
 * written: io_uring_setup (5.1), the landlock calls (5.13), listmount (6.8).
 * An allow list refuses them until someone has looked.
 *
 * This file builds the filter: the allow list, what is refused beyond it,
 * clone without namespace flags; then loads it and hands over. The rules
 * that allow personality, ioctl and socket for some values of an argument
 * only are a puzzle of their own, in argument-masks.c. The filter goes
 * late, right before step9's Landlock rules and COMMAND: the steps before
 * need the calls it refuses, and once loaded it is inherited through fork
 * and exec and can never be removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "../common/chain.h"
#include "allowed-calls.h"
#include "argument-masks.h"

/* Allowed to every container by Docker's profile (moby's
 * profiles/seccomp/default.json: adjtimex since 2017, clock_adjtime since
 * 2020, name_to_handle_at since 2023), though Docker's documentation
 * (docs.docker.com/engine/security/seccomp) still lists them as blocked.
 * Refused here all the same, as this step did before it had an allow list:
 * adjtimex and clock_adjtime only read the clock without CAP_SYS_TIME, and
 * name_to_handle_at is half of the "shocker" escape (open_by_handle_at,
 * refused by both, is the other half); there is no need for them in a
 * container, and refusing costs nothing. */
static const char *const refused_beyond_docker[] = { "adjtimex", "clock_adjtime",
						     "name_to_handle_at" };

/* Numbers from 512 on are x32's (arch/x86/entry/syscalls/syscall_64.tbl):
 * the kernel numbers its next x86_64 calls below that. */
#define FUTURE_CALLS_END 512

#define NAMESPACE_FLAGS                                                                            \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP)

/* libseccomp returns -errno and leaves errno alone (seccomp_init(3)):
 * report the narrated call with that errno. */
__attribute__((noreturn)) static void
die_seccomp_call(int rc)
{
	errno = -rc;
	die_call();
}

/* The rules use this architecture's numbers (x86_64). A process can also
 * enter the kernel as i386 (int $0x80) or x32 (__X32_SYSCALL_BIT,
 * 0x40000000, in the number), where numbers mean other calls: mount is 165
 * on x86_64, 21 on i386. Those are refused whole: libseccomp checks the
 * architecture first and, in an x86_64 filter, sends x32 numbers to the same
 * action (tests/step8-seccomp.bats checks both). Every refusal is an
 * errno, as in Docker's profile: a program reports "Operation not
 * permitted" rather than dying of a silent SIGSYS. */
static scmp_filter_ctx
new_filter(void)
{
	scmp_filter_ctx filter;
	int rc;

	/* exercise 8.1: a new filter whose default action, for every call no
	 * rule allows, is to fail with EPERM, and the same for the calls of
	 * another architecture: seccomp_init(3), seccomp_attr_set(3)
	 * SCMP_FLTATR_ACT_BADARCH */
	narrate("seccomp_init(SCMP_ACT_ERRNO(EPERM))");
	filter = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (filter == NULL) {
		errno = ENOMEM; /* the action is valid: only an allocation can fail */
		die_call();
	}
	narrate("seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM))");
	rc = seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM));
	if (rc < 0)
		die_seccomp_call(rc);
	/* end of exercise 8.1 */
	/* Without it, seccomp_load() reports every kernel error as ECANCELED. */
	narrate("seccomp_attr_set(filter, SCMP_FLTATR_API_SYSRAWRC, 1)");
	rc = seccomp_attr_set(filter, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc < 0)
		die_seccomp_call(rc);
	/* Some 400 numbers: a binary search finds one in 9 comparisons, where
	 * the default, one after the other, takes up to 400. */
	narrate("seccomp_attr_set(filter, SCMP_FLTATR_CTL_OPTIMIZE, 2)");
	rc = seccomp_attr_set(filter, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc < 0)
		die_seccomp_call(rc);
	return filter;
}

/* One rule: ACTION for system call NUMBER (NAME, for the message), when
 * CONDITION holds (NULL: always). The rules build the program in memory,
 * and are not narrated one by one (-v says what each group adds): a
 * failure names the rule. */
static void
add_rule(scmp_filter_ctx filter, uint32_t action, int number, const char *name,
	 const struct scmp_arg_cmp *condition)
{
	int rc = seccomp_rule_add_array(filter, action, number, condition != NULL, condition);
	char text[80] = "";

	if (rc >= 0)
		return;
	if (condition != NULL)
		snprintf(text, sizeof(text), ", SCMP_A%u(SCMP_CMP_MASKED_EQ, %#llx, %#llx)",
			 condition->arg, (unsigned long long)condition->datum_a,
			 (unsigned long long)condition->datum_b);
	die("seccomp_rule_add(filter, %s, %d (%s), %d%s): %s",
	    action == SCMP_ACT_ALLOW ? "SCMP_ACT_ALLOW" : "SCMP_ACT_ERRNO(ENOSYS)", number, name,
	    condition != NULL, text, strerror(-rc));
}

static bool
refused_here(const char *name)
{
	for (size_t i = 0; i < sizeof(refused_beyond_docker) / sizeof(*refused_beyond_docker); i++)
		if (strcmp(name, refused_beyond_docker[i]) == 0)
			return true;
	return false;
}

/* One rule per call of the list. libseccomp knows each name's number on
 * every architecture, and gives names of other architectures a negative
 * number of its own (chown32 on x86_64); a name too new for this libseccomp
 * is __NR_SCMP_ERROR, and skipped: the call stays refused. Returns the
 * highest number allowed. */
static int
allow_listed_calls(scmp_filter_ctx filter)
{
	const struct scmp_version *version = seccomp_version();
	unsigned allowed = 0, elsewhere = 0;
	int highest = 0;

	for (size_t i = 0; i < sizeof(docker_allowed_calls) / sizeof(*docker_allowed_calls); i++) {
		const char *name = docker_allowed_calls[i];
		int number = seccomp_syscall_resolve_name(name);
		if (refused_here(name)) {
			narrate("skip %s: refused here, though Docker allows it", name);
		} else if (number == __NR_SCMP_ERROR) {
			narrate("skip %s: unknown to libseccomp %u.%u.%u", name, version->major,
				version->minor, version->micro);
		} else if (number < 0) {
			elsewhere++;
		} else {
			add_rule(filter, SCMP_ACT_ALLOW, number, name, NULL);
			allowed++;
			highest = number > highest ? number : highest;
		}
	}
	narrate("allow %u calls of Docker's list (%u more are not system calls on this architecture)",
		allowed, elsewhere);
	return highest;
}

/* A call newer than the list answers ENOSYS, "no such system call", not
 * EPERM: libc tries a new call first and falls back to an older one on
 * ENOSYS only (glibc does with clone3, faccessat2, fchmodat2), so that its
 * programs keep working, as on an older kernel. runc does the same for
 * Docker (libcontainer/seccomp/patchbpf). Numbers from FUTURE_CALLS_END on
 * are no x86_64 system calls at all, and get the default. */
static void
refuse_newer_calls(scmp_filter_ctx filter, int highest)
{
	char name[16];

	narrate("refuse %d..%d with ENOSYS: newer than the list", highest + 1,
		FUTURE_CALLS_END - 1);
	for (int number = highest + 1; number < FUTURE_CALLS_END; number++) {
		snprintf(name, sizeof(name), "%d", number);
		add_rule(filter, SCMP_ACT_ERRNO(ENOSYS), number, name, NULL);
	}
}

/* clone(2) makes every process, so it is allowed without the namespace
 * flags only, as in Docker's profile (0x7e020000). CLONE_NEWTIME (0x80) is
 * not among them: clone reads the low byte of its flags as the exit signal,
 * so a time namespace comes only from unshare or clone3 (clone(2)), both
 * refused. clone3 passes its flags in memory, and a filter sees only the
 * six argument registers: ENOSYS makes glibc believe the kernel predates
 * clone3 and fall back to clone, whose flags are checked. */
static void
allow_clone_without_namespaces(scmp_filter_ctx filter)
{
	struct scmp_arg_cmp condition = SCMP_A0(SCMP_CMP_MASKED_EQ, NAMESPACE_FLAGS, 0);

	narrate("allow clone if flags & 0x%x (the CLONE_NEW* flags) == 0", NAMESPACE_FLAGS);
	add_rule(filter, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name("clone"), "clone", &condition);
	narrate("refuse clone3 with ENOSYS");
	add_rule(filter, SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name("clone3"), "clone3",
		 NULL);
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
		die_call();
}

/* seccomp_load() turns the rules into BPF and hands the program to the
 * kernel: seccomp(SECCOMP_SET_MODE_FILTER, 0, &program). */
static void
load_filter(scmp_filter_ctx filter)
{
	/* exercise 8.3: hand the filter to the kernel, which runs it from now
	 * on, for this process and all it executes and forks; then free the
	 * copy in memory: seccomp_load(3), seccomp_release(3) */
	narrate("seccomp_load(filter)");
	int rc = seccomp_load(filter);
	if (rc < 0)
		die_seccomp_call(rc);
	seccomp_release(filter);
	/* end of exercise 8.3 */
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
	int highest = allow_listed_calls(filter);
	refuse_newer_calls(filter, highest);
	allow_clone_without_namespaces(filter);
	/* argument-masks.c */
	allow_docker_personalities(filter);
	allow_ioctl_but_tiocsti(filter);
	allow_socket_but_vsock(filter);
	ensure_no_new_privs();
	load_filter(filter);
	exec_next(&options);
}
