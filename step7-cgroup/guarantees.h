/* guarantees.h: what step7's cgroup promises the container (guarantees.c),
 * beside what it denies it (step7-cgroup.c, io.c). */
#ifndef GUARANTEES_H
#define GUARANTEES_H

#include "cgroup-files.h"

/* --cpu-shares: the container's weight when the CPU is contended. */
void guarantee_cpu_share(const struct container_cgroup *cgroup, const struct options *options);
/* --memory-reservation: memory reclaim spares the container up to it. */
void guarantee_memory(const struct container_cgroup *cgroup, const struct options *options);
/* --cpuset-cpus, --cpuset-mems: where the container may run and allocate. */
void pin_to_cpuset(const struct container_cgroup *cgroup, const struct options *options);

#endif
