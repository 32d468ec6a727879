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
 * (1..10000, default 100), to which runc converts Docker's shares with
 * 1 + (shares - 2) * 9999 / 262142: 512 -> 20, 1024 -> 39. So Docker's 1024
 * on v2 is not v2's default of 100; a container given none is left at the
 * default, as Docker leaves it (Documentation/scheduler/sched-design-CFS.rst,
 * cgroup-v2.rst "Weights"). */
void
guarantee_cpu_share(const struct container_cgroup *cgroup, const struct options *options)
{
	char value[16];
	unsigned long shares = options->cpu_shares;

	if (shares == 0)
		return; /* no --cpu-shares: the kernel's default weight */
	if (cgroup->layout == CGROUP_V2) {
		snprintf(value, sizeof(value), "%lu", 1 + (shares - 2) * 9999 / 262142);
		write_cgroup_file(cgroup, "cpu", "cpu.weight", value, false);
		return;
	}
	snprintf(value, sizeof(value), "%lu", shares);
	write_cgroup_file(cgroup, "cpu", "cpu.shares", value, false);
}

/* Under memory pressure the kernel reclaims memory (drops page cache,
 * swaps) from every cgroup; this much of the container's it spares, or
 * takes last. On v2 memory.low is a "best-effort protection": reclaimed
 * only when no unprotected memory is left, and bounded by every ancestor's
 * own memory.low (cgroup-v2.rst "memory.low"), which for under-the-hood
 * nobody sets. v1's soft limit works the other way round: a cgroup above it
 * is reclaimed first, back to it, when the host runs short (cgroup-v1/
 * memory.rst "Soft limits"). Neither is a promise that the host has the
 * memory: the limit, --memory, is the one hard line. */
void
guarantee_memory(const struct container_cgroup *cgroup, const struct options *options)
{
	char bytes[24];
	bool v2 = cgroup->layout == CGROUP_V2;

	if (options->memory_reservation == 0)
		return; /* no --memory-reservation: no protection */
	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory_reservation);
	write_cgroup_file(cgroup, "memory", v2 ? "memory.low" : "memory.soft_limit_in_bytes",
			  bytes, false);
}
