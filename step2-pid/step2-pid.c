/* step2-pid: a PID namespace whose first process is the container's PID 1,
 * with its own /proc, and a supervisor that stays outside.
 *
 * The talk's script:   unshare -p --fork --mount-proc bash step3
 *
 * unshare(CLONE_NEWPID) does not move the caller: its PID cannot change.
 * It decides where the caller's *next child* goes, and that child becomes
 * PID 1 of the new namespace (pid_namespaces(7)). Hence --fork.
 *
 * The child needs its own /proc: the one it inherited was mounted for the
 * host's PID namespace and still lists the host's processes. Mounting a new
 * proc over it must not change the host's /proc, so the child first gets a
 * mount namespace of its own and makes its mounts private: that is what
 * unshare --mount-proc does (it implies -m).
 *
 * The parent stays on the host as the supervisor (supervisor/supervise.c): it
 * waits for PID 1, forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT, and exits with its
 * status. It also relays the container's stdin, stdout and stderr
 * (supervisor/relay.c): the child starts a session of its own and gets the
 * supervisor's pipes, never the caller's own files or terminal.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../common/chain.h"
#include "../supervisor/supervisor.h"

static void
unshare_pid_namespace(void)
{
	/* exercise 2.1: make the PID namespace that this process's next child
	 * will be PID 1 of; this process itself stays where it is:
	 * unshare(2), pid_namespaces(7) */
	narrate("unshare(CLONE_NEWPID)");
	if (unshare(CLONE_NEWPID) == -1)
		die_call();
	/* end of exercise 2.1 */
}

static void
mount_own_proc(void)
{
	/* exercise 2.3: like unshare --mount-proc, a mount namespace of its
	 * own whose mounts are private, then a new proc on /proc, nosuid,
	 * nodev and noexec, which shows this PID namespace: mount_namespaces(7),
	 * mount(2), proc(5) */
	narrate("unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS) == -1)
		die_call();
	/* Without this, the proc mount would propagate to the host's
	 * mount namespace when / is shared (as systemd makes it). */
	narrate("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die_call();
	narrate("mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		die_call();
	/* end of exercise 2.3 */
}

/* --pid host and --pid container:NAME: the child goes into a PID
 * namespace that is there already, the host's or NAME's (setns(2) with
 * CLONE_NEWPID, like unshare, moves only the children). It is not PID 1
 * there, so its end does not end what it started: step7's cgroup does
 * (options.c refuses these without step7). */
static void
share_pid_namespace(const struct options *options)
{
	if (options->pid == SHARE_HOST) {
		narrate("--pid host: the host's PID namespace, no unshare(CLONE_NEWPID)");
		return;
	}
	join_registered_namespace("--pid", options->pid_container, "pid", CLONE_NEWPID,
				  "CLONE_NEWPID");
}

int
main(int argc, char **argv)
{
	struct options options;
	sigset_t signals;

	step_init(2, "step2-pid", argc, argv, &options);
	/* --net pasta: its process must be forked before the unshare, which
	 * puts every later child of this process in the new PID namespace. */
	start_pasta_helper(&options);
	if (options.pid == SHARE_PRIVATE)
		unshare_pid_namespace();
	else
		share_pid_namespace(&options);

	block_supervisor_signals(&signals);
	hand_over_supervisor(&options);
	/* exercise 2.2: fork, so that the child is PID 1 of the new namespace;
	 * the parent stays on the host and supervises it (supervise() never
	 * returns): fork(2), pid_namespaces(7) */
	narrate("fork()");
	pid_t child = fork();
	if (child == -1)
		die_call();
	if (child > 0)
		supervise(child, &options);
	/* end of exercise 2.2 */

	/* The child: PID 1 of the new namespace (or a process of the shared one). */
	die_with_supervisor(&signals);
	fault_point("step2-child");
	mount_own_proc();
	fault_point("step2-proc");
	exec_next(&options);
}
