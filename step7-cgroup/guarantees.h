/* guarantees.h: what step7's cgroup promises the container (guarantees.c),
 * beside what it denies it (step7-cgroup.c), and the cgroup plumbing the
 * two share. */
#ifndef GUARANTEES_H
#define GUARANTEES_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/cgroup.h"
#include "../common/chain.h"

struct container_cgroup {
	int root_fd; /* /sys/fs/cgroup, handed down by the first step */
	enum cgroup_layout layout;
	const char *name; /* <hostname>-<16 hex digits>, from the supervisor */
};

/* In step7-cgroup.c. "<hierarchy>/under-the-hood[/<name>][/<file>]",
 * relative to /sys/fs/cgroup; NULL leaves a part out. */
void cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
		 const char *controller, const char *name, const char *file);
/* Narrated; exits on failure, but for ENOENT when OPTIONAL (-1). */
int write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		      const char *file, const char *value, bool optional);

/* --cpu-shares: the container's weight when the CPU is contended. */
void guarantee_cpu_share(const struct container_cgroup *cgroup, const struct options *options);
/* --memory-reservation: memory reclaim spares the container up to it. */
void guarantee_memory(const struct container_cgroup *cgroup, const struct options *options);
/* v1: copy cpuset.cpus and cpuset.mems from DIRECTORY's parent where they
 * are empty, as a new v1 cpuset cgroup's are. -1 when DIRECTORY has gone. */
int fill_empty_cpuset_v1(int root_fd, const char *directory);
/* --cpuset-cpus, --cpuset-mems: where the container may run and allocate. */
void pin_to_cpuset(const struct container_cgroup *cgroup, const struct options *options);

#endif
