/* guarantees.c: what step7's cgroup guarantees the container.
 *
 * A limit is a ceiling: --memory 256M and --cpus 1.5 hold even on an idle
 * host. A guarantee is a floor, which matters only when containers compete:
 * what the container is promised when the host is short of CPU or memory,
 * and which it may go beyond when there is enough. The talk: cgroups
 * "limit and guarantee" CPU and memory. Docker's options, by their names:
 * --cpu-shares, --memory-reservation, --cpuset-cpus and --cpuset-mems.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>

#include "guarantees.h"

/* CFS gives each cgroup of a parent a share of the CPU in proportion to
 * its weight, but only while they all want more than there is: alone, a
 * container with --cpu-shares 2 still takes a whole idle CPU. v1 counts
 * shares (2..262144, the kernel's default 1024); v2 counts a weight
 * (1..10000, default 100), converted from Docker's shares as runc does
 * (cgroup-files.c). So Docker's 1024 on v2 is not v2's default of 100; a
 * container given none is left at the default, as Docker leaves it
 * (Documentation/scheduler/sched-design-CFS.rst, cgroup-v2.rst "Weights"). */
void
guarantee_cpu_share(const struct container_cgroup *cgroup, const struct options *options)
{
	char value[16];

	if (options->cpu_shares == 0)
		return; /* no --cpu-shares: the kernel's default weight */
	snprintf(value, sizeof(value), "%lu", cgroup->files->weight_of_shares(options->cpu_shares));
	write_cgroup_file(cgroup, "cpu", cgroup->files->cpu_weight, value, false);
}

/* Under memory pressure the kernel reclaims memory (drops page cache,
 * swaps) from every cgroup; this much of the container's it spares, or
 * takes last. On v2 memory.low is a "best-effort protection": reclaimed
 * only when no unprotected memory is left, and bounded by every ancestor's
 * own memory.low (cgroup-v2.rst "memory.low"): so under-the-hood, which
 * holds only containers, gets "max", and shares it out among its children
 * by their own memory.low (0 for a container without a reservation). v1's
 * soft limit works the other way round: a cgroup above it
 * is reclaimed first, back to it, when the host runs short (cgroup-v1/
 * memory.rst "Soft limits"). Neither is a promise that the host has the
 * memory: the limit, --memory, is the one hard line. */
void
guarantee_memory(const struct container_cgroup *cgroup, const struct options *options)
{
	const struct cgroup_files *files = cgroup->files;
	char bytes[24];

	if (options->memory_reservation == 0)
		return; /* no --memory-reservation: no protection */
	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory_reservation);
	if (files->memory_low_in_parent_too) {
		char parent[512];
		cgroup_path(parent, sizeof(parent), cgroup, "memory", NULL, files->memory_low);
		narrate("write(\"/sys/fs/cgroup/%s\", \"max\")", parent);
		if (write_file_at(cgroup->root_fd, parent, "max") == -1)
			die_call();
	}
	write_cgroup_file(cgroup, "memory", files->memory_low, bytes, false);
}

/* The container's processes run only on these CPUs and take memory only
 * from these NUMA nodes (sched_setaffinity(2) and set_mempolicy(2) within
 * the set, cpuset(7)). Pinning is a guarantee only together with
 * exclusivity, which Docker does not ask for: another container pinned to
 * the same CPU shares it, by --cpu-shares. The CPUs and nodes were checked
 * against the host's in the first step; on v1 the cgroup was given all of
 * its parent's when it was made (cgroup-files.c). */
void
pin_to_cpuset(const struct container_cgroup *cgroup, const struct options *options)
{
	if (options->cpuset_cpus != NULL)
		write_cgroup_file(cgroup, "cpuset", "cpuset.cpus", options->cpuset_cpus, false);
	if (options->cpuset_mems != NULL)
		write_cgroup_file(cgroup, "cpuset", "cpuset.mems", options->cpuset_mems, false);
}
