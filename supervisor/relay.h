/* relay.h: the container's standard input and output, relayed by the
 * supervisor so that the container never holds the caller's own files
 * (relay.c; the container's end of its terminal is console.c).
 *
 * When the caller's stdin and stdout are a terminal, the container gets a
 * terminal of its own (a pseudo-terminal, as `docker run -it`); otherwise
 * pipes (as `docker run -i`). Either way the container runs in a session of
 * its own, so it cannot reach the caller's terminal through /dev/tty.
 */
#ifndef RELAY_H
#define RELAY_H

#include <poll.h>
#include <stdbool.h>

/* Before fork, in the process that will be the supervisor. */
void relay_prepare(void);
/* In the child after fork: a new session, and the pipes as 0, 1 and 2 (or,
 * for a terminal, a socket handed down for the last step's terminal). */
void relay_child(void);
/* In the supervisor after fork. */
void relay_start(void);

/* The supervisor's poll loop: fill in what to wait for (returns how many),
 * then act on what poll() reported. */
#define RELAY_MAX_POLLFDS 6
int relay_poll_fds(struct pollfd *fds);
void relay_handle(const struct pollfd *fds, int count);
/* The caller's terminal changed size (SIGWINCH): pass it on. */
void relay_window_changed(void);
/* After the container's PID 1 has been reaped: pass on what it left in the
 * pipes or the terminal, and give the caller's terminal back as it was. */
void relay_finish(void);

#endif
