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
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	char bytes[24];
	bool v2 = cgroup->layout == CGROUP_V2;

	if (options->memory_reservation == 0)
		return; /* no --memory-reservation: no protection */
	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory_reservation);
	if (v2) {
		char parent[256];
		cgroup_path(parent, sizeof(parent), cgroup, "memory", NULL, "memory.low");
		narrate("write(\"/sys/fs/cgroup/%s\", \"max\")", parent);
		if (write_file_at(cgroup->root_fd, parent, "max") == -1)
			die_errno("write(\"/sys/fs/cgroup/%s\", \"max\")", parent);
	}
	write_cgroup_file(cgroup, "memory", v2 ? "memory.low" : "memory.soft_limit_in_bytes",
			  bytes, false);
}

/* The first line of a small cgroup file, without its newline; "" when the
 * file is empty. -1 with errno when it cannot be read. */
static int
read_line_at(int root_fd, const char *path, char *line, size_t size)
{
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
	ssize_t length = fd == -1 ? -1 : read(fd, line, size - 1);

	if (fd != -1)
		close(fd); /* read-only: nothing to lose */
	if (length == -1)
		return -1;
	line[length] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return 0;
}

/* The classic v1 trap: a new cpuset cgroup starts with no CPUs and no
 * memory nodes (unless its parent has cgroup.clone_children set), and
 * writing a process into it fails with ENOSPC. That holds for our
 * under-the-hood as much as for the container's cgroup: each takes its
 * parent's sets before anything goes in (cgroup-v1/cpusets.rst 1.4 and
 * 2.1; runc does the same). v2 has no such trap: an empty cpuset.cpus
 * there means the parent's ("cpuset.cpus.effective"). */
int
fill_empty_cpuset_v1(int root_fd, const char *directory)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	const char *slash = strrchr(directory, '/');
	char path[512], from[512], value[4096];

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", directory, files[i]);
		if (read_line_at(root_fd, path, value, sizeof(value)) == -1) {
			if (errno == ENOENT)
				return -1;
			die_errno("read(\"/sys/fs/cgroup/%s\")", path);
		}
		if (value[0] != '\0')
			continue; /* set already, by us or by a container before */
		snprintf(from, sizeof(from), "%.*s/%s", (int)(slash - directory), directory, files[i]);
		if (read_line_at(root_fd, from, value, sizeof(value)) == -1)
			die_errno("read(\"/sys/fs/cgroup/%s\")", from);
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
		if (write_file_at(root_fd, path, value) == -1) {
			if (errno == ENOENT)
				return -1;
			die_errno("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
		}
	}
	return 0;
}

/* The container's processes run only on these CPUs and take memory only
 * from these NUMA nodes (sched_setaffinity(2) and set_mempolicy(2) within
 * the set, cpuset(7)). Pinning is a guarantee only together with
 * exclusivity, which Docker does not ask for: another container pinned to
 * the same CPU shares it, by --cpu-shares. The CPUs and nodes were checked
 * against the host's in the first step. */
void
pin_to_cpuset(const struct container_cgroup *cgroup, const struct options *options)
{
	char directory[256];

	if (options->cpuset_cpus != NULL)
		write_cgroup_file(cgroup, "cpuset", "cpuset.cpus", options->cpuset_cpus, false);
	if (options->cpuset_mems != NULL)
		write_cgroup_file(cgroup, "cpuset", "cpuset.mems", options->cpuset_mems, false);
	if (cgroup->layout == CGROUP_V2)
		return;
	cgroup_path(directory, sizeof(directory), cgroup, "cpuset", cgroup->name, NULL);
	if (fill_empty_cpuset_v1(cgroup->root_fd, directory) == -1)
		die_errno("read(\"/sys/fs/cgroup/%s/cpuset.cpus\")", directory);
}
