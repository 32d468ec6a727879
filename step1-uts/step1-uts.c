/* step1-uts: the container's own hostname (a UTS namespace) and its own
 * System V and POSIX IPC objects (an IPC namespace).
 *
 * The talk's script:   unshare -u bash step2
 *                      (and step2 begins with: hostname mycontainer)
 *                      ipcs / ipcmk: shown right after the hostname
 *
 * The UTS namespace holds the hostname and the NIS domain name (uname(2)'s
 * "nodename" and "domainname"). After unshare(CLONE_NEWUTS) this process
 * has a private copy of both, so sethostname() changes what it and its
 * children see, and nothing on the host. The talk sets the hostname at the
 * top of step2; it belongs here, where the namespace that holds it is made.
 * See uts_namespaces(7).
 *
 * The IPC namespace holds what processes share by a number or a name
 * rather than by a file: shared memory segments, semaphore sets and message
 * queues (ipcs(1) lists them) and POSIX message queues. Without one, the
 * container's root reads and removes the host's segments (shmctl IPC_RMID)
 * as the host's root would. See ipc_namespaces(7). Like the hostname, it is
 * one flag and no set-up: a new IPC namespace starts empty.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "../common/chain.h"

static void
unshare_uts_namespace(void)
{
	/* exercise 1.1: give this process a UTS namespace of its own, so that
	 * the hostname set next is the container's alone: unshare(2),
	 * uts_namespaces(7) */
	narrate("unshare(CLONE_NEWUTS)");
	if (unshare(CLONE_NEWUTS) == -1)
		die_call();
	/* end of exercise 1.1 */
}

static void
set_hostname(const char *hostname)
{
	/* exercise 1.2: set the hostname to HOSTNAME, which --hostname gives
	 * (default mycontainer): sethostname(2) */
	narrate("sethostname(\"%s\", %zu)", hostname, strlen(hostname));
	if (sethostname(hostname, strlen(hostname)) == -1)
		die_call();
	/* end of exercise 1.2 */
}

/* POSIX message queues appear as files once a mqueue filesystem is mounted
 * (step5 mounts the container's at /dev/mqueue); the mount shows the queues
 * of the IPC namespace of whoever mounts it, so this comes first. */
static void
unshare_ipc_namespace(void)
{
	narrate("unshare(CLONE_NEWIPC)");
	if (unshare(CLONE_NEWIPC) == -1)
		die_call();
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(1, "step1-uts", argc, argv, &options);
	if (options.uts == SHARE_PRIVATE) {
		unshare_uts_namespace();
		set_hostname(options.hostname);
	} else {
		narrate("--uts host: the host's UTS namespace and hostname, no unshare(CLONE_NEWUTS)");
	}
	switch (options.ipc) {
	case SHARE_PRIVATE:
		unshare_ipc_namespace();
		/* --sysctl kernel.shmmax=... and the others of the IPC namespace:
		 * after the unshare, /proc/sys/kernel/shm* and fs/mqueue/ are the
		 * container's (ipc/ipc_sysctl.c, ipc/mq_sysctl.c); step6 makes
		 * /proc/sys read-only later. */
		write_own_sysctls(&options);
		break;
	case SHARE_HOST: /* the talk's container, sharing the host's */
		narrate("--ipc host: the host's IPC namespace, no unshare(CLONE_NEWIPC)");
		break;
	case SHARE_CONTAINER: /* both containers see the same objects */
		join_registered_namespace("--ipc", options.ipc_container, "ipc", CLONE_NEWIPC,
					  "CLONE_NEWIPC");
		break;
	}
	exec_next(&options);
}
