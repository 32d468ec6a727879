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
extern const char *const cgroup_v1_controllers[3];

enum cgroup_layout cgroup_layout(int root_fd);

/* "mycontainer-4242": the hostname and the supervisor's process ID. */
void cgroup_container_name(char *name, size_t size, const char *hostname, long supervisor);

/* Called by the supervisor. */
void cgroup_remove_stale(int root_fd);
void cgroup_report_and_remove(int root_fd, const char *name, const struct options *options,
			      bool killed);

#endif
