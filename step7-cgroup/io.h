/* io.h: step7's limits on disk I/O (io.c), and the cgroup files they are
 * written to. */
#ifndef IO_H
#define IO_H

#include <stdbool.h>

#include "../common/cgroup.h"
#include "../common/chain.h"

struct container_cgroup {
	int root_fd; /* /sys/fs/cgroup, handed down by the first step */
	enum cgroup_layout layout;
	const char *name; /* <hostname>-<16 hex digits>, from the supervisor */
};

/* Write VALUE to the cgroup's FILE (on v1 in CONTROLLER's hierarchy).
 * Returns -1 with errno ENOENT when the file does not exist and OPTIONAL;
 * exits on any other failure. */
int write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		      const char *file, const char *value, bool optional);

/* --device-read-bps/-write-bps/-read-iops/-write-iops and --blkio-weight. */
void limit_io(const struct container_cgroup *cgroup, const struct options *options);

#endif
