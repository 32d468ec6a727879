/* names.h: the registry of running containers by name, kept by their
 * supervisors (names.c) and read by ./enter (enter-setns/).
 *
 * REGISTRY/<name>/ holds, while the container runs:
 *   uts ipc net pid mnt  bind mounts of PID 1's /proc/PID/ns/ files (no mnt
 *                        when the container has the host's mounts)
 *   options              the chain's argv up to COMMAND, NUL after each
 *   devices              CHAIN_DEVICES, the first step's look-up
 *   cgroup               the cgroup's name, empty without step7
 *   hostname             --hostname
 *   host-pid             PID 1's pid on the host, written last: the entry is complete
 * and its supervisor holds flock(LOCK_EX) on the directory.
 */
#ifndef NAMES_H
#define NAMES_H

#include <sys/types.h>

#include "../common/chain.h"

#define REGISTRY "/run/under-the-hood/names"
#define REGISTERED_NAMESPACES 5
/* In the order enter joins them: the mount namespace last, since after it
 * the host's paths are gone. */
extern const char *const registered_namespaces[REGISTERED_NAMESPACES];

/* Before the fork: remove the entries of dead supervisors, claim --name
 * (exit 2 if a live container has it) or the hostname made unique, and
 * make the pipe on which the chain says it is ready (CHAIN_READY_FD). */
void claim_container_name(const struct options *options);
/* After the fork, in the supervisor: close its copy of the write end. */
void name_after_fork(void);
/* The read end, for the supervisor's poll(); -1: no name claimed. */
int name_ready_fd(void);
/* When the read end has given its byte and then EOF: bind PID 1's
 * namespaces, write the files. */
void register_container(pid_t child, const struct options *options);
/* After PID 1 has been reaped. */
void unregister_container(void);

#endif
