/* container-cgroup.h: the container's cgroup as step7's files share it:
 * its place, and how a value is written to one of its files
 * (step7-cgroup.c). The limits (step7-cgroup.c, io.c) and the guarantees
 * (guarantees.c) are written through it. */
#ifndef CONTAINER_CGROUP_H
#define CONTAINER_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/chain.h"
#include "../supervisor/supervisor.h"

struct container_cgroup {
	int root_fd; /* /sys/fs/cgroup, handed down by the first step */
	enum cgroup_layout layout;
	const char *name; /* <hostname>-<16 hex digits>, from the supervisor */
};

/* "<hierarchy>/under-the-hood[/<name>][/<file>]", relative to
 * /sys/fs/cgroup; NULL leaves a part out. */
void cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
		 const char *controller, const char *name, const char *file);
/* Write VALUE to the cgroup's FILE (on v1 in CONTROLLER's hierarchy),
 * narrated. Returns -1 with errno ENOENT when the file does not exist and
 * OPTIONAL; exits on any other failure. */
int write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		      const char *file, const char *value, bool optional);

#endif
