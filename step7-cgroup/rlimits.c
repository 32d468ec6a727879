/* rlimits.c: step7's resource limits, those of each process.
 *
 * A cgroup limits the group; getrlimit(2)'s limits hold each process on
 * its own (a soft limit it may raise up to the hard one, a hard one it may
 * only lower without CAP_SYS_RESOURCE), and are inherited across fork and
 * exec. Most are per process: open files, stack, core size. Four cap what
 * the process may take of a count the kernel keeps per user (ucounts):
 * RLIMIT_NPROC, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, and for SHM_LOCK
 * RLIMIT_MEMLOCK. Without a user namespace the container's root is the
 * host's root for those counts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "../common/chain.h"
#include "rlimits.h"

#define MIB ((rlim_t)1 << 20)

/* What a resource starts from when no --ulimit names it; false: the
 * caller's, unchanged. Docker's where Docker's is harmless: a container of
 * Docker 25 or later gets containerd's limits, which are systemd's defaults
 * for a service, with core and nproc unlimited (containerd.service). */
static bool
default_limit(int resource, const struct rlimit *inherited, struct rlimit *limit)
{
	switch (resource) {
	case RLIMIT_NOFILE:
		/* Since Docker 25 (moby#45534): select() cannot watch descriptors
		 * from 1024 on, and programs that close every possible descriptor
		 * loop as long as the soft limit; those that need more raise it,
		 * up to the hard limit, systemd's since v240. */
		*limit = (struct rlimit){ 1024, 524288 };
		return true;
	case RLIMIT_MEMLOCK:
		/* 8 MiB: the kernel's default since 5.16, and systemd's. mlock(2)
		 * counts per process; SHM_LOCK and io_uring count per user, but
		 * the host's root has CAP_IPC_LOCK, which passes over the limit. */
		*limit = (struct rlimit){ 8 * MIB, 8 * MIB };
		return true;
	case RLIMIT_SIGPENDING:
	case RLIMIT_MSGQUEUE:
		/* Queued signals (each POSIX timer holds one) and POSIX message
		 * queue bytes are counted per user, and a process is held to its
		 * own limit against the count of all its user's processes
		 * (ucounts). With the host's limit, as Docker leaves it, a
		 * container takes root's whole count, and the host root's
		 * timer_create and sigqueue fail until it exits, mq_open until
		 * its queues are removed (they outlive it without an IPC
		 * namespace). With a quarter, all containers together take at
		 * most a quarter of it; the host's root keeps the rest. */
		limit->rlim_cur = inherited->rlim_cur == RLIM_INFINITY ? RLIM_INFINITY
									: inherited->rlim_cur / 4;
		limit->rlim_max = limit->rlim_cur;
		return true;
	default:
		/* The caller's, as Docker's are containerd's. RLIMIT_NPROC does
		 * not hold uid 0 at all (copy_process() skips the check for the
		 * host's root): --pids is what limits the container's processes. */
		return false;
	}
}

/* "1024", or "RLIM_INFINITY". */
static const char *
format_limit(rlim_t value, char *text, size_t size)
{
	if (value == RLIM_INFINITY)
		return "RLIM_INFINITY";
	snprintf(text, size, "%llu", (unsigned long long)value);
	return text;
}

/* Docker's names are the kernel's in lower case: nofile, RLIMIT_NOFILE. */
static const char *
resource_name(int resource, char *name, size_t size)
{
	size_t i = 0;

	i += (size_t)snprintf(name, size, "RLIMIT_");
	for (const char *c = ulimit_names[resource]; *c != '\0' && i < size - 1; c++)
		name[i++] = (char)toupper((unsigned char)*c);
	name[i] = '\0';
	return name;
}

static void
set_resource_limit(const char *name, int resource, const struct rlimit *limit,
		   const struct rlimit *inherited)
{
	char soft_text[24], hard_text[24];

	narrate("setrlimit(%s, {%s, %s})", name,
		format_limit(limit->rlim_cur, soft_text, sizeof(soft_text)),
		format_limit(limit->rlim_max, hard_text, sizeof(hard_text)));
	if (setrlimit(resource, limit) == 0)
		return;
	warn_call();
	if (errno == EPERM && limit->rlim_max > inherited->rlim_max) {
		char before[24];
		hint("the hard limit was %s: raising it needs CAP_SYS_RESOURCE, which step6 dropped; "
		     "raise it where the container starts (ulimit -H, prlimit) or give "
		     "--cap-add SYS_RESOURCE%s",
		     format_limit(inherited->rlim_max, before, sizeof(before)),
		     resource == RLIMIT_NOFILE ? "; nofile goes no higher than fs.nr_open" : "");
	}
	exit(EXIT_SETUP_FAILED);
}

/* --ulimit as given; otherwise the default, lowered to what the caller has
 * where it would raise it: without CAP_SYS_RESOURCE (step6 dropped it, as
 * Docker's set lacks it) a hard limit can go down, never up. That also
 * keeps COMMAND from raising any hard limit set here. */
void
limit_each_process(const struct options *options)
{
	for (int resource = 0; resource < RLIMIT_NLIMITS; resource++) {
		struct rlimit inherited, limit;
		const struct ulimit *given = &options->ulimits[resource];
		char name[32];

		if (ulimit_names[resource] == NULL)
			continue; /* RLIMIT_AS: not one of Docker's */
		narrate("getrlimit(%s)", resource_name(resource, name, sizeof(name)));
		if (getrlimit(resource, &inherited) == -1)
			die_call();
		if (given->given) {
			limit = (struct rlimit){ given->soft, given->hard };
		} else if (default_limit(resource, &inherited, &limit)) {
			if (limit.rlim_max > inherited.rlim_max)
				limit.rlim_max = inherited.rlim_max;
			if (limit.rlim_cur > limit.rlim_max)
				limit.rlim_cur = limit.rlim_max;
		} else {
			continue;
		}
		set_resource_limit(name, resource, &limit, &inherited);
	}
}
