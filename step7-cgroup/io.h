/* io.h: step7's limits and weight for disk I/O (io.c). */
#ifndef IO_H
#define IO_H

#include "cgroup-files.h"

/* --device-read-bps/-write-bps/-read-iops/-write-iops and --blkio-weight. */
void limit_io(const struct container_cgroup *cgroup, const struct options *options);

#endif
