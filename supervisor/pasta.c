/* pasta.c: --net pasta, the network of a container without the host's root.
 *
 * In a user namespace step3 cannot make a veth pair: its other end would
 * go into the host's network namespace, which needs the host's
 * CAP_NET_ADMIN. pasta(1) (Debian's package passt, what rootless podman
 * uses) needs none: it opens a tap device in the container's network
 * namespace and carries the container's packets through ordinary sockets
 * of the host's, as any program of the user's would open them.
 *
 * So pasta runs outside the container: in the host's network namespace,
 * and not in the container's PID namespace, where the workload could reach
 * its sockets. step2 forks its process before its unshare(CLONE_NEWPID)
 * (after it, every child of step2's process would be in the new
 * namespace), as a child of what becomes the supervisor. It waits on a
 * socket, handed down as CHAIN_PASTA_FD, until step3 sends the container's
 * network namespace and the write end of a pipe (SCM_RIGHTS); then it
 * forks pasta, which sets up the interface, address and routes (as the
 * host's) and writes its pid into that pipe: step3 goes on once it reads
 * it. pasta closes every descriptor it did not open itself as it starts,
 * as a careful daemon does, so it is given both as paths into its parent's
 * descriptors: /proc/PID/fd/N. The kernel lets a process open another's
 * descriptors that way only if it holds every capability the other has
 * (ptrace_may_access()): the parent drops all of its own first. pasta
 * holds the namespace and never ends by itself: the supervisor ends it
 * with the container (pasta_stop()), and PR_SET_PDEATHSIG with the
 * supervisor.
 *
 * What it forwards: outgoing connections only. Not to the host's loopback
 * (--no-map-gw, -T none, -U none: services that listen on the host's
 * 127.0.0.1 believe they are local-only), and no port of the host into
 * the container (-t none, -u none), as Docker publishes none by default.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

static int step3_end = -1; /* the socket's end that goes down to step3 */
static pid_t pasta_helper = -1; /* in the supervisor: the process that starts pasta */

/* The two descriptors step3 sends: the namespace, then the pipe. */
static bool
receive_from_step3(int socket, int fds[2])
{
	char byte;
	union {
		char buffer[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec data = { &byte, 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer,
				  .msg_controllen = sizeof(control.buffer) };

	if (recvmsg(socket, &message, 0) != 1)
		return false; /* the container ended before step3 */
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	if (header == NULL || header->cmsg_type != SCM_RIGHTS ||
	    header->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return false;
	memcpy(fds, CMSG_DATA(header), 2 * sizeof(int));
	return true;
}

/* pasta itself, the helper's child: the namespace and the pipe are the
 * helper's descriptors FDS. */
__attribute__((noreturn)) static void
exec_pasta(pid_t helper, const int fds[2], const sigset_t *unblocked)
{
	char netns[64], pidfile[64];

	snprintf(netns, sizeof(netns), "/proc/%d/fd/%d", (int)helper, fds[0]);
	snprintf(pidfile, sizeof(pidfile), "/proc/%d/fd/%d", (int)helper, fds[1]);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != helper ||
	    sigprocmask(SIG_SETMASK, unblocked, NULL) == -1 || close_range(3, ~0U, 0) == -1) {
		warn_errno("pasta's process: its set-up");
		_exit(EXIT_SETUP_FAILED);
	}
	/* Root of the user namespace, pasta gets its capabilities back from
	 * execve (the helper kept its bounding set). */
	execlp("pasta", "pasta", "--foreground", "--quiet", "--config-net", "--no-map-gw", "-t",
	       "none", "-u", "none", "-T", "none", "-U", "none", "--pid", pidfile, "--netns", netns,
	       (char *)NULL);
	warn_errno("execlp(\"pasta\")");
	_exit(EXIT_NOT_FOUND);
}

/* The helper, in the host's PID namespace: wait for step3, then fork
 * pasta, and keep the descriptors it opens by path until it ends, or until
 * the supervisor's SIGTERM (pasta_stop()) ends it. */
__attribute__((noreturn)) static void
wait_then_start_pasta(int socket, pid_t supervisor)
{
	int fds[2];
	sigset_t ending, unblocked;

	/* A session of its own and no terminal: the caller's Ctrl-C is for
	 * the container. Signals as the kernel's defaults: an ignored one
	 * stays ignored across execve (and pasta refuses to start with
	 * SIGPIPE ignored). */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != supervisor || setsid() == -1 ||
	    null == -1 || dup2(null, STDIN_FILENO) == -1 || dup2(null, STDOUT_FILENO) == -1) {
		warn_errno("pasta's process: its set-up");
		_exit(EXIT_SETUP_FAILED);
	}
	for (int number = 1; number < NSIG; number++)
		(void)signal(number, SIG_DFL); /* SIGKILL, SIGSTOP and 32-33 refuse: as they are */
	if (!receive_from_step3(socket, fds))
		_exit(EXIT_SETUP_FAILED); /* the container ended before step3: no one to tell */
	close(socket);
	cap_t none = cap_init(); /* empty */
	if (none == NULL || cap_set_proc(none) == -1) {
		warn_errno("pasta's process: cap_set_proc(none)");
		_exit(EXIT_SETUP_FAILED);
	}
	cap_free(none);
	sigemptyset(&ending);
	sigaddset(&ending, SIGTERM);
	sigaddset(&ending, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &ending, &unblocked) == -1) {
		warn_errno("pasta's process: sigprocmask");
		_exit(EXIT_SETUP_FAILED);
	}
	pid_t helper = getpid(), pasta = fork();
	if (pasta == -1) {
		warn_errno("pasta's process: fork");
		_exit(EXIT_SETUP_FAILED);
	}
	if (pasta == 0)
		exec_pasta(helper, fds, &unblocked);
	/* Both stay open here while pasta runs: if it fails, this process's
	 * end closes the pipe, and step3 reads the end of file. */
	for (;;) {
		if (sigwaitinfo(&ending, NULL) == SIGTERM)
			kill(pasta, SIGKILL); /* it has nothing to save */
		if (waitpid(pasta, NULL, WNOHANG) == pasta)
			_exit(EXIT_SUCCESS);
	}
}

void
start_pasta_helper(const struct options *options)
{
	int sockets[2];
	pid_t supervisor = getpid();

	if (options->net != NET_PASTA || options->until < 3)
		return;
	narrate("socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0, pasta): for step3 to send "
		"its network namespace");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) == -1)
		die_call();
	narrate("fork(): to fork pasta --foreground --quiet --config-net --no-map-gw -t none "
		"-u none -T none -U none --pid /proc/PID/fd/PIPE --netns /proc/PID/fd/NETNS, once "
		"step3 sends them");
	pasta_helper = fork();
	if (pasta_helper == -1)
		die_call();
	if (pasta_helper == 0) {
		close(sockets[1]);
		wait_then_start_pasta(sockets[0], supervisor);
	}
	close(sockets[0]);
	step3_end = sockets[1];
}

void
pasta_child(void)
{
	char text[16];

	if (step3_end == -1)
		return;
	/* Handed down on purpose, to step3, like the steps' descriptors. */
	narrate("fcntl(%d, F_SETFD, 0)", step3_end);
	if (fcntl(step3_end, F_SETFD, 0) == -1)
		die_call();
	snprintf(text, sizeof(text), "%d", step3_end);
	if (setenv("CHAIN_PASTA_FD", text, 1) == -1)
		die_errno("setenv(CHAIN_PASTA_FD)");
}

void
pasta_stop(void)
{
	if (pasta_helper == -1)
		return;
	/* Its process kills pasta and waits for it, then ends. */
	narrate("kill(%d<pasta's process>, SIGTERM): the container has ended", pasta_helper);
	kill(pasta_helper, SIGTERM); /* it may have ended: ESRCH is fine */
	waitpid(pasta_helper, NULL, 0);
	pasta_helper = -1;
}
