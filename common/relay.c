/* relay.c: the container's stdin, stdout and stderr, passed on by the
 * supervisor.
 *
 * Handed in as they are, the caller's descriptors 0-2 are the caller's own
 * files: a directory given as stdin is a way out of the new root (fchdir),
 * a read-only file is reopened read-write through /proc/self/fd/0 (root
 * keeps CAP_DAC_OVERRIDE), and a shared terminal can be taken over
 * (tcsetpgrp, TIOCSTI, TIOCSETD) and left broken. So the container gets
 * pipes, or a pseudo-terminal of its own, and the supervisor copies between
 * them and the caller's descriptors, as containerd's shim does for Docker.
 *
 * The terminal is made at the very end of the chain, in the container's
 * own devpts (step5), by the last step; its master side travels back to
 * the supervisor over a socket (SCM_RIGHTS, unix(7)), the way runc's
 * --console-socket hands a container's terminal to its caller.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "chain.h"
#include "relay.h"

/* One direction: what is read from `from` waits in the buffer until `to`
 * takes it. -1: that side is done. */
struct stream {
	int from, to;
	bool close_from, close_to; /* ours to close (not the caller's, not the master) */
	size_t chunk;              /* at most this much per write */
	char buffer[65536];
	size_t start, end;
};

enum { INPUT, OUTPUT, ERRORS, STREAMS };

static bool terminal;                  /* a pseudo-terminal rather than pipes */
static int console[2] = { -1, -1 };    /* terminal: [1] goes down the chain */
static int pipes[STREAMS][2];          /* pipes: the container's 0, 1 and 2 */
static int master = -1;                /* terminal: the supervisor's side */
static struct stream streams[STREAMS];
static int stream_count;
static struct termios caller_modes;
static bool caller_modes_changed;
static int poll_owner[RELAY_MAX_POLLFDS]; /* stream index, or -1: the console socket */

void
relay_prepare(void)
{
	/* Both, as a terminal program would check: with stdout redirected to
	 * a file, a terminal's "\r\n" would end up in the file. */
	terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (terminal) {
		narrate("socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0): for the container's terminal");
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, console) == -1)
			die_errno("socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0)");
		return;
	}
	for (int i = 0; i < STREAMS; i++) {
		narrate("pipe2(O_CLOEXEC): for the container's %s",
			(const char *[]){ "stdin", "stdout", "stderr" }[i]);
		if (pipe2(pipes[i], O_CLOEXEC) == -1)
			die_errno("pipe2(O_CLOEXEC)");
	}
}

static void
move_descriptor(int from, int to)
{
	if (dup2(from, to) == -1)
		die_errno("dup2(%d, %d)", from, to);
	close(from); /* a copy: nothing to lose */
}

void
relay_child(void)
{
	/* A session of its own: the caller's terminal is no longer the
	 * container's controlling terminal, so /dev/tty and tcsetpgrp(3)
	 * cannot reach it (credentials(7), "Sessions"). */
	narrate("setsid()");
	if (setsid() == -1)
		die_errno("setsid()");
	if (terminal) {
		char text[16];
		close(console[0]);
		/* Handed down on purpose, like the steps' descriptors (DESIGN.md). */
		if (fcntl(console[1], F_SETFD, 0) == -1)
			die_errno("fcntl(%d, F_SETFD, 0)", console[1]);
		snprintf(text, sizeof(text), "%d", console[1]);
		if (setenv("CHAIN_CONSOLE_FD", text, 1) == -1)
			die_errno("setenv(CHAIN_CONSOLE_FD)");
		return;
	}
	narrate("dup2: the supervisor's pipes become descriptors 0, 1 and 2");
	close(pipes[INPUT][1]);
	close(pipes[OUTPUT][0]);
	close(pipes[ERRORS][0]);
	move_descriptor(pipes[INPUT][0], STDIN_FILENO);
	move_descriptor(pipes[OUTPUT][1], STDOUT_FILENO);
	move_descriptor(pipes[ERRORS][1], STDERR_FILENO);
}

static void
set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		die_errno("fcntl(%d, F_SETFL, O_NONBLOCK)", fd);
}

static void
end_stream(struct stream *stream)
{
	if (stream->from != -1 && stream->close_from)
		close(stream->from);
	/* Closing the input pipe is how the container reads EOF. */
	if (stream->to != -1 && stream->close_to)
		close(stream->to);
	stream->from = stream->to = -1;
	stream->start = stream->end = 0;
}

/* The caller's descriptors stay blocking: their file description is shared
 * with the caller's shell, and O_NONBLOCK set there would break it. After
 * POLLOUT, a pipe or a terminal takes PIPE_BUF bytes without blocking. */
static void
add_stream(int from, int to, bool close_from, bool close_to)
{
	struct stat status;
	struct stream *stream = &streams[stream_count++];

	*stream = (struct stream){ .from = from, .to = to, .close_from = close_from,
				   .close_to = close_to, .chunk = sizeof(stream->buffer) };
	if (!close_to && to != master && (fstat(to, &status) == -1 || !S_ISREG(status.st_mode)))
		stream->chunk = PIPE_BUF;
}

static void
restore_caller_terminal(void)
{
	if (caller_modes_changed && tcsetattr(STDIN_FILENO, TCSADRAIN, &caller_modes) == 0)
		caller_modes_changed = false;
}

void
relay_start(void)
{
	/* A reader that went away is an EPIPE to pass on, not a reason for
	 * the supervisor to die (the child keeps the default, set before). */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die_errno("signal(SIGPIPE, SIG_IGN)");
	if (terminal) {
		close(console[1]);
		atexit(restore_caller_terminal); /* also when the supervisor dies of an error */
		return;
	}
	close(pipes[INPUT][0]);
	close(pipes[OUTPUT][1]);
	close(pipes[ERRORS][1]);
	for (int i = 0; i < STREAMS; i++)
		set_nonblocking(pipes[i][i == INPUT ? 1 : 0]);
	add_stream(STDIN_FILENO, pipes[INPUT][1], false, true);
	add_stream(pipes[OUTPUT][0], STDOUT_FILENO, true, false);
	add_stream(pipes[ERRORS][0], STDERR_FILENO, true, false);
}

/* The terminal's master side arrives from the last step (relay_take_terminal). */
static void
receive_master(void)
{
	char control[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec data = { &byte, 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control,
				  .msg_controllen = sizeof(control) };
	ssize_t length = recvmsg(console[0], &message, MSG_CMSG_CLOEXEC);
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);

	close(console[0]);
	console[0] = -1;
	if (length <= 0 || header == NULL || header->cmsg_type != SCM_RIGHTS)
		return; /* the chain ended before its last step: no terminal */
	memcpy(&master, CMSG_DATA(header), sizeof(master));
	set_nonblocking(master);

	/* Raw: every key, Ctrl-C and Ctrl-Z included, goes to the container's
	 * terminal, whose own line discipline turns it into a signal for the
	 * container's foreground job. Given back in relay_finish(). */
	if (tcgetattr(STDIN_FILENO, &caller_modes) == 0) {
		struct termios raw = caller_modes;
		cfmakeraw(&raw);
		narrate("tcsetattr(0, TCSADRAIN, raw): keys go to the container's terminal");
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
			caller_modes_changed = true;
		else
			warn_errno("tcsetattr(0, TCSADRAIN, raw)");
	}
	add_stream(STDIN_FILENO, master, false, false);
	add_stream(master, STDOUT_FILENO, false, false);
}

int
relay_poll_fds(struct pollfd *fds)
{
	int count = 0;

	if (console[0] != -1) {
		poll_owner[count] = -1;
		fds[count++] = (struct pollfd){ .fd = console[0], .events = POLLIN };
	}
	for (int i = 0; i < stream_count; i++) {
		struct stream *stream = &streams[i];
		if (stream->start < stream->end && stream->to != -1) {
			poll_owner[count] = i;
			fds[count++] = (struct pollfd){ .fd = stream->to, .events = POLLOUT };
		} else if (stream->start == stream->end && stream->from != -1) {
			poll_owner[count] = i;
			fds[count++] = (struct pollfd){ .fd = stream->from, .events = POLLIN };
		}
	}
	return count;
}

static void
read_stream(struct stream *stream)
{
	ssize_t length = read(stream->from, stream->buffer, sizeof(stream->buffer));

	if (length > 0) {
		stream->start = 0;
		stream->end = (size_t)length;
	} else if (length == 0 || (errno != EAGAIN && errno != EINTR)) {
		/* EOF; or EIO from the master once the container's side is
		 * closed; or a stdin that cannot be read (a directory). */
		end_stream(stream);
	}
}

static void
write_stream(struct stream *stream)
{
	size_t length = stream->end - stream->start;
	ssize_t written = write(stream->to, stream->buffer + stream->start,
				length < stream->chunk ? length : stream->chunk);

	if (written >= 0)
		stream->start += (size_t)written;
	else if (errno != EAGAIN && errno != EINTR)
		end_stream(stream); /* EPIPE: nobody reads; the container's writes fail too */
}

void
relay_handle(const struct pollfd *fds, int count)
{
	for (int i = 0; i < count; i++) {
		if (fds[i].revents == 0)
			continue;
		if (poll_owner[i] == -1) {
			receive_master();
			continue;
		}
		struct stream *stream = &streams[poll_owner[i]];
		if (fds[i].events == POLLOUT && stream->to != -1)
			write_stream(stream);
		else if (fds[i].events == POLLIN && stream->from != -1)
			read_stream(stream);
	}
}

void
relay_window_changed(void)
{
	struct winsize size;

	if (master != -1 && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0 &&
	    ioctl(master, TIOCSWINSZ, &size) == -1)
		warn_errno("ioctl(%d, TIOCSWINSZ)", master);
}

void
relay_finish(void)
{
	/* PID 1 is gone, and with it every process of its PID namespace: what
	 * they wrote is all there. Without a PID namespace (step7 on its own)
	 * a process left behind could write on forever: take what is there
	 * now, a bounded number of reads. */
	for (int i = 0; i < stream_count; i++) {
		struct stream *stream = &streams[i];
		if (i == INPUT) /* the container no longer reads */
			continue;
		for (int round = 0; round < 1024 && stream->to != -1; round++) {
			if (stream->start == stream->end && stream->from != -1)
				read_stream(stream);
			if (stream->start == stream->end)
				break;
			while (stream->to != -1 && stream->start < stream->end)
				write_stream(stream);
		}
	}
	restore_caller_terminal();
}

/* SCM_RIGHTS: the receiver gets a descriptor of its own for the same open
 * file (unix(7)). */
static void
send_descriptor(int socket, int fd)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec data = { &byte, 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control,
				  .msg_controllen = sizeof(control) };
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);

	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &fd, sizeof(fd));
	narrate("sendmsg(%d, SCM_RIGHTS [%d]): the terminal's master side to the supervisor",
		socket, fd);
	if (sendmsg(socket, &message, 0) == -1)
		die_errno("sendmsg(%d, SCM_RIGHTS [%d])", socket, fd);
}

void
relay_take_terminal(int socket)
{
	struct winsize size;

	if (socket == -1)
		return; /* pipes, or no supervisor: 0, 1 and 2 are what they are */
	/* After step5, /dev/ptmx is the container's own devpts instance. */
	narrate("open(\"/dev/ptmx\", O_RDWR|O_NOCTTY|O_CLOEXEC)");
	int master_side = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master_side == -1)
		die_errno("open(\"/dev/ptmx\", O_RDWR|O_NOCTTY|O_CLOEXEC)");
	narrate("ioctl(%d, TIOCSPTLCK, 0)", master_side);
	if (ioctl(master_side, TIOCSPTLCK, &(int){ 0 }) == -1)
		die_errno("ioctl(%d, TIOCSPTLCK, 0)", master_side);
	/* The other side by the master itself, not by a path in /dev/pts
	 * that the container could have replaced (ioctl_tty(2)). */
	narrate("ioctl(%d, TIOCGPTPEER, O_RDWR|O_CLOEXEC)", master_side);
	int terminal_side = ioctl(master_side, TIOCGPTPEER, O_RDWR | O_CLOEXEC);
	if (terminal_side == -1)
		die_errno("ioctl(%d, TIOCGPTPEER, O_RDWR|O_CLOEXEC)", master_side);
	/* The caller's window size, while 0 still is the caller's terminal. */
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0 &&
	    ioctl(terminal_side, TIOCSWINSZ, &size) == -1)
		die_errno("ioctl(%d, TIOCSWINSZ)", terminal_side);
	send_descriptor(socket, master_side);
	close(master_side); /* the supervisor has its own */
	close(socket);
	narrate("ioctl(%d, TIOCSCTTY, 0)", terminal_side);
	if (ioctl(terminal_side, TIOCSCTTY, 0) == -1)
		die_errno("ioctl(%d, TIOCSCTTY, 0)", terminal_side);
	narrate("dup2(%d, 0), dup2(%d, 1), dup2(%d, 2)", terminal_side, terminal_side,
		terminal_side);
	for (int fd = 0; fd <= 2; fd++) {
		if (dup2(terminal_side, fd) == -1)
			die_errno("dup2(%d, %d)", terminal_side, fd);
	}
	close(terminal_side);
}
