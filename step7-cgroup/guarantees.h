/* guarantees.h: what step7's cgroup promises the container (guarantees.c),
 * beside what it denies it (step7-cgroup.c, io.c). */
#ifndef GUARANTEES_H
#define GUARANTEES_H

#include "container-cgroup.h"

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
