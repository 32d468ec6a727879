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
 * its sockets. step2 forks it before its unshare(CLONE_NEWPID) (after it,
 * every child of step2's process would be in the new namespace), as a
 * child of what becomes the supervisor. It waits on a socket, handed down
 * as CHAIN_PASTA_FD, until step3 sends the container's network namespace
 * and the write end of a pipe (SCM_RIGHTS); then it executes pasta, which
 * sets up the interface, address and routes (as the host's) and writes its
 * pid into that pipe: step3 goes on once it reads it. pasta holds the
 * namespace and never ends by itself: the supervisor ends it with the
 * container (pasta_stop()), and PR_SET_PDEATHSIG with the supervisor.
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

static int step3_end = -1; /* the socket's end that goes down to step3 */
static pid_t pasta = -1;

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

/* The child, in the host's PID namespace: wait for step3, then become
 * pasta, with the namespace as its descriptor 3 and the pipe as 4. */
__attribute__((noreturn)) static void
wait_then_exec_pasta(int socket, pid_t supervisor)
{
	int fds[2];

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
	if (dup2(fds[0], 3) == -1 || dup2(fds[1], 4) == -1 || close_range(5, ~0U, 0) == -1) {
		warn_errno("pasta's process: dup2 or close_range");
		_exit(EXIT_SETUP_FAILED);
	}
	execlp("pasta", "pasta", "--foreground", "--quiet", "--config-net", "--no-map-gw", "-t",
	       "none", "-u", "none", "-T", "none", "-U", "none", "--pid", "/proc/self/fd/4",
	       "--netns", "/proc/self/fd/3", (char *)NULL);
	warn_errno("execlp(\"pasta\")");
	_exit(EXIT_NOT_FOUND);
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
	narrate("fork(): to execute pasta --foreground --quiet --config-net --no-map-gw -t none "
		"-u none -T none -U none --pid /proc/self/fd/4 --netns /proc/self/fd/3, once "
		"step3 sends them");
	pasta = fork();
	if (pasta == -1)
		die_call();
	if (pasta == 0) {
		close(sockets[1]);
		wait_then_exec_pasta(sockets[0], supervisor);
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
	if (pasta == -1)
		return;
	/* SIGKILL: it has nothing to save, and cannot ignore it. */
	narrate("kill(%d<pasta>, SIGKILL): the container has ended", pasta);
	kill(pasta, SIGKILL); /* it may have ended: ESRCH is fine */
	waitpid(pasta, NULL, 0);
	pasta = -1;
}
