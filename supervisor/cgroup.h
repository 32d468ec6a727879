/* cgroup.h: the container's cgroup after the container (cgroup.c), for the
 * supervisor's main loop (supervise.c). Where the cgroup lives, which step7
 * needs too, is in supervisor.h.
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <stdbool.h>

#include "supervisor.h"

/* NAME is the container's, "mycontainer-<16 hex digits>"
 * (handed_container_name()): its cgroup's and its lock file's. */

/* Kill and remove the containers of dead supervisors (their locks free),
 * and their lock files; never one whose supervisor lives. */
void cgroup_remove_stale(int root_fd, const char *own_name);
/* Say if the OOM killer struck; remove the cgroup, then the lock file. */
void cgroup_report_and_remove(int root_fd, const char *name, const struct options *options,
			      bool killed);

#endif
