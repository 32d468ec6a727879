/* supervise.c: the supervisor, the one process of the chain that stays
 * outside the container.
 *
 * It waits for the container's first process, forwards the signals that
 * ask a container to stop, escalates to SIGKILL after --stop-timeout as
 * `docker stop` does, removes what outlives the container (its cgroup), and
 * exits with the container's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "chain.h"

static sigset_t
supervisor_signals(void)
{
	sigset_t signals;

	sigemptyset(&signals);
	sigaddset(&signals, SIGCHLD);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGQUIT);
	return signals;
}

/* A descriptor for the supervisor itself, which its child can poll to learn
 * whether the supervisor is still alive, across PID namespaces. */
static int supervisor_pidfd = -1;

/* Before fork: a signal that arrives between fork and the supervisor's
 * first wait stays pending instead of killing it. */
void
block_supervisor_signals(sigset_t *previous)
{
	sigset_t signals = supervisor_signals();

	narrate("pidfd_open(%d, 0)", getpid());
	supervisor_pidfd = pidfd_open(getpid(), 0); /* always close-on-exec */
	if (supervisor_pidfd == -1)
		die_errno("pidfd_open(%d)", getpid());

	/* Any of them may be inherited as ignored (a shell's `cmd &` ignores
	 * SIGINT and SIGQUIT), and an ignored signal is discarded even while
	 * blocked: sigwaitinfo would never see it. SIGCHLD ignored would also
	 * make the kernel reap the container itself, hiding its status. */
	for (int number = 1; number < NSIG; number++) {
		if (sigismember(&signals, number) == 1 && signal(number, SIG_DFL) == SIG_ERR)
			die_errno("signal(%d, SIG_DFL)", number);
	}
	if (sigprocmask(SIG_BLOCK, &signals, previous) == -1)
		die_errno("sigprocmask(SIG_BLOCK)");
}

/* In the child: die with the supervisor, and take signals as before. */
void
die_with_supervisor(const sigset_t *previous)
{
	struct pollfd supervisor = { .fd = supervisor_pidfd, .events = POLLIN };

	narrate("prctl(PR_SET_PDEATHSIG, SIGKILL)");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		die_errno("prctl(PR_SET_PDEATHSIG, SIGKILL)");
	/* The supervisor may have died before prctl: then nobody will send
	 * the signal. getppid() cannot tell (a child in a new PID namespace
	 * sees 0 either way); the pidfd turns readable when it has exited. */
	int ready = poll(&supervisor, 1, 0);
	if (ready == -1)
		die_errno("poll(supervisor pidfd)");
	if (ready > 0)
		die("the supervisor died while the container started");
	close(supervisor_pidfd);
	if (sigprocmask(SIG_SETMASK, previous, NULL) == -1)
		die_errno("sigprocmask(SIG_SETMASK)");
}

static int
exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double
now(void)
{
	struct timespec time;

	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

/* The next signal; once a deadline is set, -1 with EAGAIN when it passes. */
static int
wait_for_signal(const sigset_t *signals, siginfo_t *info, double deadline)
{
	struct timespec timeout = { 0, 0 };

	if (deadline == 0)
		return sigwaitinfo(signals, info);
	double left = deadline - now();
	if (left > 0)
		timeout = (struct timespec){ (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };
	return sigtimedwait(signals, info, &timeout);
}

/* Wait for the child, forwarding stop signals; returns its wait status. */
static int
wait_for_container(pid_t child, unsigned stop_timeout)
{
	sigset_t signals = supervisor_signals();
	double deadline = 0;
	int status;

	for (;;) {
		siginfo_t info;
		int signal_number = wait_for_signal(&signals, &info, deadline);

		if (signal_number == -1 && errno == EAGAIN) {
			narrate("kill(%d, SIGKILL): still running %us after the forwarded signal", child,
				stop_timeout);
			kill(child, SIGKILL); /* it may just have exited: ESRCH is fine */
			deadline = 0;
			continue;
		}
		if (signal_number == -1) {
			if (errno == EINTR)
				continue;
			die_errno("sigwaitinfo");
		}
		if (signal_number == SIGCHLD) {
			pid_t pid = waitpid(child, &status, WNOHANG);
			if (pid == -1)
				die_errno("waitpid(%d)", child);
			if (pid == child)
				return status;
			continue;
		}
		/* Ctrl-C at the terminal is sent by the kernel (SI_KERNEL) to the
		 * whole foreground process group: the container has it already. */
		if (info.si_code == SI_KERNEL)
			continue;
		narrate("kill(%d, SIG%s): forwarding", child, sigabbrev_np(signal_number));
		kill(child, signal_number);
		if (deadline == 0)
			deadline = now() + stop_timeout;
	}
}

void
supervise(long child, const struct options *options)
{
	int cgroup_fd = handed_cgroup_fd();
	const char *name = handed_container_name();

	/* The supervisor needs none of the later steps' binaries; the
	 * cgroup directory it keeps to remove the container's cgroup. */
	if (cgroup_fd != -1)
		cgroup_remove_stale(cgroup_fd, name);
	int status = wait_for_container((pid_t)child, options->stop_timeout);
	if (cgroup_fd != -1)
		cgroup_report_and_remove(cgroup_fd, name, options,
					 WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	exit(exit_status(status));
}
