/* console.c: the relay's other end, in the container: its terminal.
 *
 * When the caller is on a terminal, the supervisor asks for one of the
 * container's own (relay.c) and hands a socket down the chain as
 * CHAIN_CONSOLE_FD. The last step, whichever it is, calls
 * relay_take_terminal() right before COMMAND (exec_command() in
 * common/chain.c): the terminal is made there, in the container's own
 * devpts (step5), and its master side goes back up the socket, as runc's
 * --console-socket hands a container's terminal to its caller.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "supervisor.h"

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
	narrate("sendmsg(%d, SCM_RIGHTS [%d], 0): the terminal's master side to the supervisor",
		socket, fd);
	if (sendmsg(socket, &message, 0) == -1)
		die_call();
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
		die_call();
	narrate("ioctl(%d, TIOCSPTLCK, 0)", master_side);
	if (ioctl(master_side, TIOCSPTLCK, &(int){ 0 }) == -1)
		die_call();
	/* The other side by the master itself, not by a path in /dev/pts
	 * that the container could have replaced (ioctl_tty(2)). */
	narrate("ioctl(%d, TIOCGPTPEER, O_RDWR|O_CLOEXEC)", master_side);
	int terminal_side = ioctl(master_side, TIOCGPTPEER, O_RDWR | O_CLOEXEC);
	if (terminal_side == -1)
		die_call();
	/* The caller's window size, while 0 still is the caller's terminal. */
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) {
		narrate("ioctl(%d, TIOCSWINSZ, {%u rows, %u columns})", terminal_side, size.ws_row,
			size.ws_col);
		if (ioctl(terminal_side, TIOCSWINSZ, &size) == -1)
			die_call();
	}
	send_descriptor(socket, master_side);
	close(master_side); /* the supervisor has its own */
	close(socket);
	narrate("ioctl(%d, TIOCSCTTY, 0)", terminal_side);
	if (ioctl(terminal_side, TIOCSCTTY, 0) == -1)
		die_call();
	for (int fd = 0; fd <= 2; fd++) {
		narrate("dup2(%d, %d)", terminal_side, fd);
		if (dup2(terminal_side, fd) == -1)
			die_call();
	}
	close(terminal_side);
}
