/* cgroup-files.c: where cgroup v1 and v2 differ, gathered in one place.
 *
 * Both versions hold the same limits, in files of different names and for
 * some of different values (v2's cpu.max holds "QUOTA PERIOD", v1 has a
 * file for each). v2 is one tree (Documentation/admin-guide/cgroup-v2.rst);
 * v1 has a tree per controller, and the same cgroup is made in each.
 * step7-cgroup.c writes through the table at the end of this file, and
 * never asks which version it runs on. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-files.h"

void
cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
	    const char *controller, const char *name, const char *file)
{
	bool v1 = cgroup->files->layout == CGROUP_V1;

	snprintf(path, size, "%s%s%s%s%s%s%s", v1 ? controller : "", v1 ? "/" : "",
		 cgroup_parent(), name ? "/" : "", name ? name : "", file ? "/" : "",
		 file ? file : "");
}

int
write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		  const char *file, const char *value, bool optional)
{
	char path[512];

	cgroup_path(path, sizeof(path), cgroup, controller, cgroup->name, file);
	narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
	if (write_file_at(cgroup->root_fd, path, value) == 0)
		return 0;
	if (optional && errno == ENOENT)
		return -1;
	die_call();
}

/* A small cgroup file, as a string, its newlines turned into spaces. -1
 * with errno ENOENT when it does not exist; exits on any other failure. */
static int
read_cgroup_file(int root_fd, const char *path, char *text, size_t size)
{
	narrate("read(\"/sys/fs/cgroup/%s\")", path);
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT)
		return -1;
	ssize_t length = fd == -1 ? -1 : read(fd, text, size - 1);
	if (length == -1)
		die_call();
	close(fd); /* read-only: nothing to lose */
	text[length] = '\0';
	for (char *newline = strchr(text, '\n'); newline != NULL; newline = strchr(newline, '\n'))
		*newline = ' ';
	return 0;
}

static const char *const v2_controllers[] = { "memory", "pids", "cpu", "cpuset", "io" };

/* A cgroup file's list of names, as " cpu io memory ", so that strstr
 * finds " cpu " but not the cpu in " cpuset ". -1 when it does not exist. */
static int
read_list_at(int root_fd, const char *path, char *list, size_t size)
{
	list[0] = ' ';
	return read_cgroup_file(root_fd, path, list + 1, size - 1);
}

/* A controller's files appear in a cgroup when its parent lists it in
 * cgroup.subtree_control ("Enabling and Disabling" in cgroup-v2.rst). Only
 * the missing ones are written: a cgroup other than the root that holds
 * processes cannot enable controllers for its children (EBUSY), but may
 * have them enabled already. Returns -1 when the directory has gone. */
static int
enable_controllers(int root_fd, const char *directory)
{
	char controllers[512], subtree[512], available[256], enabled[256], word[16], change[16];
	const char *slash = *directory != '\0' ? "/" : "";
	/* A delegated cgroup has what the host gave the caller, at least
	 * memory and pids: the first step refused an option that needs one it
	 * lacks (check_user_namespace()). */
	bool delegated = getenv("CHAIN_CGROUP_DELEGATED") != NULL;

	snprintf(controllers, sizeof(controllers), "%s%scgroup.controllers", directory, slash);
	snprintf(subtree, sizeof(subtree), "%s%scgroup.subtree_control", directory, slash);
	if (read_list_at(root_fd, controllers, available, sizeof(available)) == -1 ||
	    read_list_at(root_fd, subtree, enabled, sizeof(enabled)) == -1)
		return -1;
	for (size_t i = 0; i < sizeof(v2_controllers) / sizeof(*v2_controllers); i++) {
		const char *controller = v2_controllers[i];
		snprintf(word, sizeof(word), " %s ", controller);
		if (strstr(enabled, word) != NULL)
			continue;
		if (strstr(available, word) == NULL && delegated) {
			narrate("%s: not in /sys/fs/cgroup/%s, not delegated: skipped", controller,
				controllers);
			continue;
		}
		if (strstr(available, word) == NULL) /* as on hybrid hosts, bound to v1 */
			die("/sys/fs/cgroup/%s: no \"%s\": this cgroup v2 tree has no %s controller",
			    controllers, controller, controller);
		snprintf(change, sizeof(change), "+%s", controller);
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", subtree, change);
		if (write_file_at(root_fd, subtree, change) == 0)
			continue;
		if (errno == ENOENT)
			return -1;
		warn_call();
		if (errno == EBUSY)
			hint("processes in /sys/fs/cgroup/%s itself keep it from enabling controllers "
			     "for its children (cgroup-v2.rst, \"No Internal Process Constraint\")",
			     directory);
		exit(EXIT_SETUP_FAILED);
	}
	return 0;
}

/* v2: the root's, then under-the-hood's, each for the level below. In a
 * user namespace, the delegated cgroup's instead of the root's. */
static int
enable_controllers_down_to(int root_fd, const char *hierarchy, const char *parent)
{
	char above[512];

	(void)hierarchy; /* one tree */
	snprintf(above, sizeof(above), "%s", parent);
	char *slash = strrchr(above, '/');
	*(slash != NULL ? slash : above) = '\0';
	if (enable_controllers(root_fd, above) == -1)
		die_call(); /* the root's files cannot go; nor, while we run, our parent's */
	return enable_controllers(root_fd, parent);
}

static int
nothing_to_prepare(int root_fd, const char *hierarchy, const char *path)
{
	(void)root_fd, (void)hierarchy, (void)path;
	return 0;
}

/* The classic v1 trap: a new cpuset cgroup starts with no CPUs and no
 * memory nodes (unless its parent has cgroup.clone_children set), and
 * writing a process into it fails with ENOSPC. That holds for our
 * under-the-hood as much as for the container's cgroup: each takes its
 * parent's sets before anything goes in (cgroup-v1/cpusets.rst 1.4 and
 * 2.1; runc does the same); --cpuset-cpus then narrows ours. v2 has no such
 * trap: an empty cpuset.cpus there means the parent's
 * ("cpuset.cpus.effective"). */
static int
fill_empty_cpuset(int root_fd, const char *hierarchy, const char *directory)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	const char *slash = strrchr(directory, '/');
	char path[512], from[512], value[4096];

	if (strcmp(hierarchy, "cpuset") != 0)
		return 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", directory, files[i]);
		if (read_cgroup_file(root_fd, path, value, sizeof(value)) == -1)
			return -1;
		if (value[0] != ' ' && value[0] != '\0')
			continue; /* set already, by us or by a container before */
		snprintf(from, sizeof(from), "%.*s/%s", (int)(slash - directory), directory, files[i]);
		if (read_cgroup_file(root_fd, from, value, sizeof(value)) == -1)
			die_call();
		value[strcspn(value, " ")] = '\0';
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
		if (write_file_at(root_fd, path, value) == -1) {
			if (errno == ENOENT)
				return -1;
			die_call();
		}
	}
	return 0;
}

static void
cpu_max_v2(char *value, size_t size, unsigned quota, unsigned period)
{
	snprintf(value, size, "%u %u", quota, period);
}

static void
cpu_quota_v1(char *value, size_t size, unsigned quota, unsigned period)
{
	(void)period; /* in a file of its own, cpu.cfs_period_us */
	snprintf(value, size, "%u", quota);
}

static unsigned long
shares_as_they_are(unsigned long shares)
{
	return shares;
}

/* v2's weight is 1..10000, default 100; runc converts Docker's shares
 * (2..262144, default 1024) with this: 512 -> 20, 1024 -> 39 (not 100). */
static unsigned long
weight_of_shares_v2(unsigned long shares)
{
	return 1 + (shares - 2) * 9999 / 262142;
}

/* v1: a file a kind, "MAJ:MIN VALUE" (cgroup-v1/blkio-controller.rst,
 * "Throttling/Upper Limit policy"). v2: one file, io.max, with a key a
 * kind; the keys not written keep their value (cgroup-v2.rst, "IO Interface
 * Files"). */
static void
io_max_v1(char *value, size_t size, const struct io_limit *limit)
{
	snprintf(value, size, "%u:%u %" PRIu64, limit->major, limit->minor, limit->value);
}

static void
io_max_v2(char *value, size_t size, const struct io_limit *limit)
{
	static const char *const keys[] = {
		[IO_READ_BPS] = "rbps", [IO_WRITE_BPS] = "wbps",
		[IO_READ_IOPS] = "riops", [IO_WRITE_IOPS] = "wiops",
	};
	snprintf(value, size, "%u:%u %s=%" PRIu64, limit->major, limit->minor, keys[limit->kind],
		 limit->value);
}

/* blkio.weight has Docker's scale, 10..1000; io.weight (io.cost's) is
 * 1..10000 with a key: scaled as runc does. BFQ's files take it plain. */
static void
io_weight_v1(char *value, size_t size, unsigned weight)
{
	snprintf(value, size, "%u", weight);
}

static void
io_weight_v2(char *value, size_t size, unsigned weight)
{
	snprintf(value, size, "default %u", 1 + (weight - 10) * 9999 / 990);
}

static const char *const one_tree[] = { NULL };

/* v2 moves single threads only in a threaded subtree: cgroup.procs, and the join waits. */
static const struct cgroup_files v2_files = {
	.layout = CGROUP_V2,
	.hierarchies = one_tree,
	.hierarchy_count = 1,
	.prepare_parent = enable_controllers_down_to,
	.prepare_cgroup = nothing_to_prepare,
	.procs = "cgroup.procs",
	.memory_max = "memory.max",
	.swap_max = "memory.swap.max",
	.swap_max_counts_memory = false,
	.socket_memory_max = NULL,
	.cpu_period = NULL,
	.cpu_max = "cpu.max",
	.format_cpu_max = cpu_max_v2,
	.cpu_weight = "cpu.weight",
	.weight_of_shares = weight_of_shares_v2,
	.memory_low = "memory.low",
	.memory_low_in_parent_too = true,
	.io_max = { "io.max", "io.max", "io.max", "io.max" },
	.format_io_max = io_max_v2,
	.io_bfq_weight = "io.bfq.weight",
	.io_weight = "io.weight",
	.format_io_weight = io_weight_v2,
};

/* v1. The join writes the tasks file, not cgroup.procs: cgroup.procs moves
 * a whole thread group, so the kernel first holds every fork and exit on
 * the host with a global lock whose write side waits for an RCU grace
 * period (its cost: bench/RESULTS.md; not with the favordynmods mount
 * option, which is the host's to choose). tasks moves one thread; when that
 * thread is the writer itself the kernel skips the lock, and this process
 * has only the one thread. */
static const struct cgroup_files v1_files = {
	.layout = CGROUP_V1,
	.hierarchies = cgroup_v1_controllers,
	.hierarchy_count = sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers),
	.prepare_parent = fill_empty_cpuset,
	.prepare_cgroup = fill_empty_cpuset,
	.procs = "tasks",
	.memory_max = "memory.limit_in_bytes",
	.swap_max = "memory.memsw.limit_in_bytes",
	.swap_max_counts_memory = true,
	.socket_memory_max = "memory.kmem.tcp.limit_in_bytes",
	.cpu_period = "cpu.cfs_period_us",
	.cpu_max = "cpu.cfs_quota_us",
	.format_cpu_max = cpu_quota_v1,
	.cpu_weight = "cpu.shares",
	.weight_of_shares = shares_as_they_are,
	.memory_low = "memory.soft_limit_in_bytes",
	.memory_low_in_parent_too = false,
	.io_max = {
		[IO_READ_BPS] = "blkio.throttle.read_bps_device",
		[IO_WRITE_BPS] = "blkio.throttle.write_bps_device",
		[IO_READ_IOPS] = "blkio.throttle.read_iops_device",
		[IO_WRITE_IOPS] = "blkio.throttle.write_iops_device",
	},
	.format_io_max = io_max_v1,
	.io_bfq_weight = "blkio.bfq.weight",
	.io_weight = "blkio.weight",
	.format_io_weight = io_weight_v1,
};

const struct cgroup_files *
cgroup_files_of(enum cgroup_layout layout)
{
	return layout == CGROUP_V2 ? &v2_files : &v1_files;
}
