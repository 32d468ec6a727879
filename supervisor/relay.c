/* relay.c: the container's stdin, stdout and stderr, passed on by the
 * supervisor (README.md).
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
 * own devpts (step5), by the last step (console.c); its master side
 * travels back to the supervisor over a socket (SCM_RIGHTS, unix(7)), the
 * way runc's --console-socket hands a container's terminal to its caller.
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

#include "relay.h"
#include "supervisor.h"

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
		narrate("socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0, console): for the "
			"container's terminal");
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, console) == -1)
			die_call();
		return;
	}
	for (int i = 0; i < STREAMS; i++) {
		narrate("pipe2(pipes[%d], O_CLOEXEC): for the container's %s", i,
			(const char *[]){ "stdin", "stdout", "stderr" }[i]);
		if (pipe2(pipes[i], O_CLOEXEC) == -1)
			die_call();
	}
}

static void
move_descriptor(int from, int to)
{
	narrate("dup2(%d, %d)", from, to);
	if (dup2(from, to) == -1)
		die_call();
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
		die_call();
	if (terminal) {
		char text[16];
		close(console[0]);
		/* Handed down on purpose, like the steps' descriptors (DESIGN.md). */
		narrate("fcntl(%d, F_SETFD, 0)", console[1]);
		if (fcntl(console[1], F_SETFD, 0) == -1)
			die_call();
		snprintf(text, sizeof(text), "%d", console[1]);
		if (setenv("CHAIN_CONSOLE_FD", text, 1) == -1)
			die_errno("setenv(CHAIN_CONSOLE_FD)");
		return;
	}
	/* The supervisor's pipes become descriptors 0, 1 and 2. */
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
	narrate("fcntl(%d, F_GETFL)", fd);
	int flags = fcntl(fd, F_GETFL);
	if (flags == -1)
		die_call();
	narrate("fcntl(%d, F_SETFL, flags|O_NONBLOCK)", fd);
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		die_call();
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
	narrate("signal(SIGPIPE, SIG_IGN)");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die_call();
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

/* The terminal's master side arrives from the last step (console.c). */
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
			warn_call();
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

	if (master == -1 || ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == -1)
		return; /* no terminal yet, or the caller's is gone: nothing to pass on */
	narrate("ioctl(%d, TIOCSWINSZ, {%u rows, %u columns})", master, size.ws_row, size.ws_col);
	if (ioctl(master, TIOCSWINSZ, &size) == -1)
		warn_call();
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
