/* cgroup.h: where a container's cgroup lives, shared by step7 (which
 * creates it) and the supervisor (which removes it when the container ends).
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "chain.h"

/* All our cgroups live under this directory of each hierarchy. */
#define CGROUP_PARENT "under-the-hood"

enum cgroup_layout { CGROUP_V1, CGROUP_V2 };

/* v1 controllers step7 uses; on v2 all of them are in one tree. */
extern const char *const cgroup_v1_controllers[5];

enum cgroup_layout cgroup_layout(int root_fd);

/* Called by the supervisor. NAME is the container's, "mycontainer-<16 hex
 * digits>" (handed_container_name()): its cgroup's and its lock file's. */

/* Kill and remove the containers of dead supervisors (their locks free),
 * and their lock files; never one whose supervisor lives. */
void cgroup_remove_stale(int root_fd, const char *own_name);
/* Say if the OOM killer struck; remove the cgroup, then the lock file. */
void cgroup_report_and_remove(int root_fd, const char *name, const struct options *options,
			      bool killed);

#endif
