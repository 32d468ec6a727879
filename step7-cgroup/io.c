/* io.c: limits and shares of disk I/O, in the cgroup (v1 blkio, v2 io).
 *
 * Two kinds, as for the CPU. A limit holds the container to at most so
 * many bytes or operations a second on one block device, even when the disk
 * is idle: --device-write-bps /dev/sda:1mb. A weight only counts when
 * cgroups compete for a disk: each gets time in proportion to its weight,
 * so a weight guarantees a share and limits nothing (--blkio-weight).
 *
 * The kernel applies limits to I/O that reaches the block layer: direct
 * I/O at once; buffered writes land in the page cache first and are
 * throttled when written back, which v1 charges to the cgroup only for
 * direct I/O (cgroup-v1/blkio-controller.rst), v2 for both (cgroup-v2.rst,
 * "Writeback"). Devices are numbers (MAJ:MIN): the first step looked the
 * paths up on the host (common/chain.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "io.h"

/* A limit a kind, on one device ("MAJ:MIN VALUE" on v1, "MAJ:MIN KEY=VALUE"
 * in v2's io.max: cgroup-files.c). */
static void
limit_device(const struct container_cgroup *cgroup, const struct io_limit *limit)
{
	char value[64];

	cgroup->files->format_io_max(value, sizeof(value), limit);
	write_cgroup_file(cgroup, "blkio", cgroup->files->io_max[limit->kind], value, false);
}

/* The weight's file is the I/O scheduler's: BFQ's (blkio.bfq.weight,
 * io.bfq.weight, 1..1000, Docker's scale), CFQ's before Linux 5.0
 * (blkio.weight), or on v2 io.cost's (io.weight, 1..10000: scaled as runc
 * does, 10..1000 onto 1..10000). A host with none of them has no
 * proportional sharing of its disks; Docker then warns and goes on without
 * the weight, and so do we: a weight is a share, never a limit. */
static void
weigh_io(const struct container_cgroup *cgroup, unsigned weight)
{
	const struct cgroup_files *files = cgroup->files;
	char plain[16], value[32];

	snprintf(plain, sizeof(plain), "%u", weight);
	files->format_io_weight(value, sizeof(value), weight);
	if (write_cgroup_file(cgroup, "blkio", files->io_bfq_weight, plain, true) == 0 ||
	    write_cgroup_file(cgroup, "blkio", files->io_weight, value, true) == 0)
		return;
	warn_errno("--blkio-weight %u: no %s nor %s in the cgroup", weight, files->io_bfq_weight,
		   files->io_weight);
	hint("the host's disks have no proportional I/O scheduler (BFQ; io.cost on v2): "
	     "going on without the weight, as Docker does");
}

void
limit_io(const struct container_cgroup *cgroup, const struct options *options)
{
	for (unsigned i = 0; i < options->io_limit_count; i++)
		limit_device(cgroup, &options->io_limits[i]);
	if (options->blkio_weight != 0)
		weigh_io(cgroup, options->blkio_weight);
}
