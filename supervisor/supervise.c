/* supervise.c: the supervisor, the one process of the chain that stays
 * outside the container (README.md).
 *
 * It waits for the container's first process, relays the container's
 * stdin, stdout and stderr (relay.c), forwards the signals that ask a
 * container to stop, escalates to SIGKILL after --stop-timeout as
 * `docker stop` does, removes what outlives the container (its cgroup), and
 * exits with the container's status. It waits in poll(2): for the relay's
 * descriptors and for its signals, which a signalfd(2) turns into reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "names.h"
#include "relay.h"
#include "supervisor.h"

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
	sigaddset(&signals, SIGWINCH); /* the caller's terminal changed size */
	sigaddset(&signals, SIGTSTP);  /* Ctrl-Z without a terminal of its own */
	sigaddset(&signals, SIGCONT);
	return signals;
}

/* "{SIGHUP, SIGINT, ...}": the set as -v shows it, written from the set. */
static const char *
signal_names(const sigset_t *set, char *text, size_t size)
{
	size_t used = (size_t)snprintf(text, size, "{");

	for (int number = 1; number < NSIG && used < size; number++) {
		if (sigismember(set, number) == 1)
			used += (size_t)snprintf(text + used, size - used, "%sSIG%s",
						 used > 1 ? ", " : "", sigabbrev_np(number));
	}
	if (used < size)
		snprintf(text + used, size - used, "}");
	return text;
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
	char names[160];

	narrate("pidfd_open(%d, 0)", getpid());
	supervisor_pidfd = pidfd_open(getpid(), 0); /* always close-on-exec */
	if (supervisor_pidfd == -1)
		die_call();

	/* Any of them may be inherited as ignored (a shell's `cmd &` ignores
	 * SIGINT and SIGQUIT), and an ignored signal is discarded even while
	 * blocked: the signalfd would never see it. SIGCHLD ignored would also
	 * make the kernel reap the container itself, hiding its status. */
	for (int number = 1; number < NSIG; number++) {
		if (sigismember(&signals, number) != 1)
			continue;
		narrate("signal(SIG%s, SIG_DFL)", sigabbrev_np(number));
		if (signal(number, SIG_DFL) == SIG_ERR)
			die_call();
	}
	narrate("sigprocmask(SIG_BLOCK, %s, &previous)",
		signal_names(&signals, names, sizeof(names)));
	if (sigprocmask(SIG_BLOCK, &signals, previous) == -1)
		die_call();
	relay_prepare();
}

/* In the child: die with the supervisor, and take signals as before. */
void
die_with_supervisor(const sigset_t *previous)
{
	struct pollfd supervisor = { .fd = supervisor_pidfd, .events = POLLIN };

	narrate("prctl(PR_SET_PDEATHSIG, SIGKILL)");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		die_call();
	/* The supervisor may have died before prctl: then nobody will send
	 * the signal. getppid() cannot tell (a child in a new PID namespace
	 * sees 0 either way); the pidfd turns readable when it has exited. */
	narrate("poll([{%d<pidfd of the supervisor>, POLLIN}], 1, 0)", supervisor_pidfd);
	int ready = poll(&supervisor, 1, 0);
	if (ready == -1)
		die_call();
	if (ready > 0)
		die("the supervisor died while the container started");
	close(supervisor_pidfd);
	pasta_child();
	narrate("sigprocmask(SIG_SETMASK, &previous, NULL)");
	if (sigprocmask(SIG_SETMASK, previous, NULL) == -1)
		die_call();
	relay_child();
}

static double
now(void)
{
	struct timespec time;

	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

/* Milliseconds until the deadline, for poll(); -1: none set. */
static int
poll_timeout(double deadline)
{
	if (deadline == 0)
		return -1;
	double left = deadline - now();
	return left > 0 ? (int)(left * 1000) + 1 : 0;
}

/* What a signal asks of the container. Returns the new deadline. */
static double
forward(pid_t child, const struct signalfd_siginfo *info, unsigned stop_timeout, double deadline)
{
	int number = (int)info->ssi_signo;

	if (number == SIGWINCH) {
		relay_window_changed();
		return deadline;
	}
	/* Ctrl-Z at the caller's terminal: the container is in a session of
	 * its own and no longer gets it from that terminal. Stop it, stop
	 * ourselves as the shell expects; SIGCONT (fg) resumes both. */
	if (number == SIGTSTP) {
		narrate("kill(-%d, SIGSTOP)", child);
		kill(-child, SIGSTOP); /* ESRCH: it has just ended; nothing to stop */
		narrate("raise(SIGSTOP)");
		raise(SIGSTOP);
		return deadline;
	}
	if (number == SIGCONT) {
		narrate("kill(-%d, SIGCONT)", child);
		kill(-child, SIGCONT); /* ESRCH: as above */
		return deadline;
	}
	/* Typed at the caller's terminal (Ctrl-C, Ctrl-\), the kernel sends
	 * it (SI_KERNEL) to the foreground group, which the container, in its
	 * own session, is no longer in: pass it to the container's process
	 * group, as that terminal would have. */
	if (info->ssi_code == SI_KERNEL) {
		narrate("kill(-%d, SIG%s): from the caller's terminal", child, sigabbrev_np(number));
		kill(-child, number); /* ESRCH: it has just ended, as wanted */
		return deadline;
	}
	narrate("kill(%d, SIG%s): forwarding", child, sigabbrev_np(number));
	kill(child, number);
	return deadline == 0 ? now() + stop_timeout : deadline;
}

/* What the chain wrote before its ready byte may still be in the relay's
 * pipes: pass it on first, so that -v shows it before the registration. */
static void
drain_relay(void)
{
	struct pollfd fds[RELAY_MAX_POLLFDS];

	for (int round = 0; round < 64; round++) {
		int count = relay_poll_fds(fds);
		if (count == 0 || poll(fds, (nfds_t)count, 0) <= 0)
			return;
		relay_handle(fds, count);
	}
}

/* One byte from the last step, then end-of-file when its execve closes
 * the pipe: COMMAND runs, and every line the chain narrated is in the
 * relay. End-of-file alone: the chain failed, and there is nothing to
 * name. Returns the pipe, or -1 once it is closed. */
static int
read_ready_pipe(int ready, bool *chain_ready, pid_t child, const struct options *options)
{
	char byte;
	ssize_t got = read(ready, &byte, 1);

	if (got == 1) {
		*chain_ready = true;
		return ready;
	}
	if (got == -1 && (errno == EAGAIN || errno == EINTR))
		return ready;
	close(ready);
	if (*chain_ready) {
		drain_relay();
		register_container(child, options);
	}
	return -1;
}

/* Relay stdio and forward signals until the child ends; its wait status.
 * When the chain closes the ready pipe, register the container's name. */
static int
wait_for_container(pid_t child, const struct options *options)
{
	sigset_t set = supervisor_signals();
	struct pollfd fds[2 + RELAY_MAX_POLLFDS];
	unsigned stop_timeout = options->stop_timeout;
	int ready = name_ready_fd();
	bool chain_ready = false;
	char names[160];
	double deadline = 0;
	int status;

	/* Blocked since before the fork: they wait for us here. */
	narrate("signalfd(-1, %s, SFD_CLOEXEC|SFD_NONBLOCK)",
		signal_names(&set, names, sizeof(names)));
	int signals = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signals == -1)
		die_call();
	for (;;) {
		fds[0] = (struct pollfd){ .fd = signals, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = ready, .events = POLLIN }; /* -1: ignored */
		int count = 2 + relay_poll_fds(fds + 2);
		int timeout = poll_timeout(deadline);
		/* Not narrated: it runs once for every read or write of the relay. */
		int events = poll(fds, (nfds_t)count, timeout);

		if (events == -1 && errno == EINTR)
			continue;
		if (events == -1)
			die_errno("poll([%d<signalfd>, ...], %d, %d)", signals, count, timeout);
		if (events == 0) {
			narrate("kill(%d, SIGKILL): still running %us after the forwarded signal",
				child, stop_timeout);
			kill(child, SIGKILL); /* it may just have exited: ESRCH is fine */
			deadline = 0;
			continue;
		}
		relay_handle(fds + 2, count - 2);
		if (ready != -1 && fds[1].revents != 0)
			ready = read_ready_pipe(ready, &chain_ready, child, options);

		struct signalfd_siginfo info;
		while (read(signals, &info, sizeof(info)) == sizeof(info)) {
			if (info.ssi_signo != SIGCHLD) {
				deadline = forward(child, &info, stop_timeout, deadline);
				continue;
			}
			/* Not narrated: the container's last lines may still be in
			 * the relay's buffers, and this line would come before them. */
			pid_t pid = waitpid(child, &status, WNOHANG);
			if (pid == -1)
				die_errno("waitpid(%d, &status, WNOHANG)", child);
			if (pid == child) {
				close(signals);
				return status;
			}
		}
	}
}

void
supervise(long child, const struct options *options)
{
	int cgroup_fd = handed_cgroup_fd();
	const char *name = handed_container_name();

	/* The supervisor needs none of the later steps' binaries; the
	 * cgroup directory it keeps to remove the container's cgroup. In a
	 * user namespace there are no locks (/run is the host root's), so no
	 * stale cgroups to find: one that a supervisor killed by SIGKILL left
	 * in the caller's delegated cgroup stays until removed by hand. */
	if (cgroup_fd != -1 && !options->user_namespace)
		cgroup_remove_stale(cgroup_fd, name);
	name_after_fork();
	relay_start();
	int status = wait_for_container((pid_t)child, options);
	pasta_stop();
	relay_finish();
	if (cgroup_fd != -1)
		cgroup_report_and_remove(cgroup_fd, name, options,
					 WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	unregister_container();
	exit(exit_status_of(status));
}
