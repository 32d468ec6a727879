/* supervisor.h: the host-side half of the container, what containerd's shim
 * or podman's conmon is to a runtime (README.md).
 *
 * Started by step2 (and by step7 when it runs without step2 before it):
 * the step forks, the parent stays on the host as the supervisor, the child
 * goes on with the chain as the container.
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include <signal.h>

#include "../common/chain.h"

/* Before the fork, in this order: block_supervisor_signals(), then
 * hand_over_supervisor(). After it, the child calls die_with_supervisor()
 * and goes on; the parent calls supervise(), which never returns. */
void block_supervisor_signals(sigset_t *previous);
void die_with_supervisor(const sigset_t *previous);
__attribute__((noreturn)) void supervise(long child, const struct options *options);

/* The supervisor, before it forks, names the container "<hostname>-<16
 * random hex digits>" (the name of its cgroup) and hands the name down in
 * CHAIN_SUPERVISOR; if step7 is in the chain it also holds the lock file
 * SUPERVISOR_LOCKS/<name> until it exits, by which the next start tells a
 * live supervisor from a dead one (lock.c). */
#define SUPERVISOR_LOCKS "/run/under-the-hood"
void hand_over_supervisor(const struct options *options);
const char *handed_container_name(void); /* NULL when no supervisor runs */

/* --net pasta (pasta.c): step2, before its unshare(CLONE_NEWPID), forks
 * the process that starts pasta(1) once step3 sends it the container's
 * network namespace, over a socket the child hands down as CHAIN_PASTA_FD
 * (pasta_child()). The supervisor ends pasta when the container has ended
 * (pasta_stop()). */
void start_pasta_helper(const struct options *options);
void pasta_child(void);
void pasta_stop(void);

/* Where a container's cgroup lives, shared by step7 (which creates it) and
 * the supervisor (which removes it when the container ends, cgroup.c).
 * All our cgroups live under CGROUP_PARENT in each hierarchy; in a user
 * namespace, in the one cgroup v2 tree, under the cgroup delegated to the
 * caller (CHAIN_CGROUP_DELEGATED, common/delegation.c). cgroup_parent()
 * says which, relative to /sys/fs/cgroup (and to the hierarchy on v1). */
#define CGROUP_PARENT "under-the-hood"
const char *cgroup_parent(void);
enum cgroup_layout { CGROUP_V1, CGROUP_V2 };
/* v1 controllers step7 uses; on v2 all of them are in one tree. */
extern const char *const cgroup_v1_controllers[5];
enum cgroup_layout cgroup_layout(int root_fd);

/* The relay's other end, in the last step, right before COMMAND: when a
 * terminal was asked for (the socket handed down as CHAIN_CONSOLE_FD; -1:
 * none), make one in the container's /dev, send its master side to the
 * supervisor, and make the other side the controlling terminal and 0, 1, 2
 * (console.c). */
void relay_take_terminal(int socket);

#endif
