/* step7-cgroup: limits on memory, CPU, processes and disk I/O, in a cgroup;
 * and the resource limits of each process.
 *
 * Beyond the talk; in shell (v1):  mkdir /sys/fs/cgroup/memory/demo
 *                      echo 64M > /sys/fs/cgroup/memory/demo/memory.limit_in_bytes
 *                      echo $$ > /sys/fs/cgroup/memory/demo/cgroup.procs
 *
 * Namespaces change what a container sees, not what it uses: a fork bomb or
 * a leak inside would take the host down. A cgroup is a directory in
 * cgroupfs whose files hold limits; a process written into its cgroup.procs,
 * and all it forks afterwards, is held to them. Full memory brings the OOM
 * killer into the cgroup; fork() fails with EAGAIN at the process limit.
 *
 * cgroup v2 is one tree at /sys/fs/cgroup (Documentation/admin-guide/
 * cgroup-v2.rst); v1 and hybrid hosts have a tree per controller, and the
 * same cgroup is made in memory/, pids/, cpu/, cpuset/ and blkio/. Ours is
 * under-the-hood/<hostname>-<16 hex digits>, a name the supervisor drew at
 * random and handed down (CHAIN_SUPERVISOR). The host's /sys/fs/cgroup is
 * out of reach since step5: the first step opened it and handed it down,
 * and every path here is relative to that descriptor. step6 dropped
 * CAP_SYS_ADMIN, but uid 0 still owns cgroupfs's files.
 *
 * Docker also gives a cgroup namespace, so that /proc/self/cgroup reads
 * "0::/" inside; unshare(CLONE_NEWCGROUP) needs CAP_SYS_ADMIN, so ours shows
 * the full path, /under-the-hood/<hostname>-<hex>: hence no pid of the host
 * in the name.
 *
 * A cgroup limits the group. Resource limits (getrlimit(2), `ulimit`) limit
 * each process, and some of them what it may take of a count kept per
 * user: without a user namespace the container's root *is* the host's
 * root for those. Once the cgroup is joined, rlimits.c sets them, Docker's
 * way, and lower where Docker's would let the container use up the host
 * root's count.
 *
 * The container cannot remove its own cgroup: the supervisor does, once
 * PID 1 has been reaped (supervisor/supervise.c). Run without step2 before it
 * (sudo ./step7 --memory 64M sh), this step forks and its parent becomes the
 * supervisor, as step2's does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/chain.h"
#include "../supervisor/supervisor.h"
#include "guarantees.h"
#include "io.h"
#include "rlimits.h"

#define V1_CONTROLLERS (sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers))

/* Run without a supervisor (no step2 before this step): become one. */
static void
become_own_supervisor(const struct options *options)
{
	sigset_t signals;

	block_supervisor_signals(&signals);
	hand_over_supervisor(options);
	narrate("fork()");
	pid_t child = fork();
	if (child == -1)
		die_errno("fork");
	if (child > 0)
		supervise(child, options); /* removes the cgroup when the child ends */
	die_with_supervisor(&signals);
}

/* On v2 the hierarchy is the root itself; on v1 it is the controller's mount. */
void
cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
	    const char *controller, const char *name, const char *file)
{
	snprintf(path, size, "%s%s" CGROUP_PARENT "%s%s%s%s",
		 cgroup->layout == CGROUP_V1 ? controller : "", cgroup->layout == CGROUP_V1 ? "/" : "",
		 name ? "/" : "", name ? name : "", file ? "/" : "", file ? file : "");
}

/* A cgroup file's list of names, as " cpu io memory ", so that strstr
 * finds " cpu " but not the cpu in " cpuset ". -1 when it does not exist. */
static int
read_list_at(int root_fd, const char *path, char *list, size_t size)
{
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 && errno == ENOENT)
		return -1;
	ssize_t length = fd == -1 ? -1 : read(fd, list + 1, size - 2);
	if (length == -1)
		die_errno("read(\"/sys/fs/cgroup/%s\")", path);
	close(fd); /* read-only: nothing to lose */
	list[0] = ' ';
	list[length + 1] = '\0';
	for (char *newline = strchr(list, '\n'); newline != NULL; newline = strchr(newline, '\n'))
		*newline = ' ';
	return 0;
}

/* v2 only: a controller's files appear in a cgroup when its parent lists it
 * in cgroup.subtree_control ("Enabling and Disabling" in cgroup-v2.rst).
 * Only the missing ones are written: a cgroup other than the root that holds
 * processes cannot enable controllers for its children (EBUSY), but may
 * have them enabled already. Returns -1 when the directory has gone. */
static int
enable_controllers(int root_fd, const char *directory)
{
	char controllers[256], subtree[256], available[256], enabled[256], word[16], change[16];
	const char *slash = *directory != '\0' ? "/" : "";

	snprintf(controllers, sizeof(controllers), "%s%scgroup.controllers", directory, slash);
	snprintf(subtree, sizeof(subtree), "%s%scgroup.subtree_control", directory, slash);
	if (read_list_at(root_fd, controllers, available, sizeof(available)) == -1 ||
	    read_list_at(root_fd, subtree, enabled, sizeof(enabled)) == -1)
		return -1;
	for (size_t i = 0; i < V1_CONTROLLERS; i++) {
		const char *controller = cgroup_v1_controllers[i];
		if (strcmp(controller, "blkio") == 0)
			controller = "io";
		snprintf(word, sizeof(word), " %s ", controller);
		if (strstr(enabled, word) != NULL)
			continue;
		if (strstr(available, word) == NULL) /* as on hybrid hosts, bound to v1 */
			die("/sys/fs/cgroup/%s: no \"%s\": this cgroup v2 tree has no %s controller",
			    controllers, controller, controller);
		snprintf(change, sizeof(change), "+%s", controller);
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", subtree, change);
		if (write_file_at(root_fd, subtree, change) == 0)
			continue;
		if (errno == ENOENT)
			return -1;
		warn_errno("write(\"/sys/fs/cgroup/%s\", \"%s\")", subtree, change);
		if (errno == EBUSY)
			hint("processes in /sys/fs/cgroup/%s itself keep it from enabling controllers "
			     "for its children (cgroup-v2.rst, \"No Internal Process Constraint\")",
			     directory);
		exit(EXIT_SETUP_FAILED);
	}
	return 0;
}

/* mkdir, where a directory that exists already will do; -1 with ENOENT
 * when the parent has gone. */
static int
make_directory(int root_fd, const char *path)
{
	narrate("mkdir(\"/sys/fs/cgroup/%s\", 0755)", path);
	if (mkdirat(root_fd, path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		die_errno("mkdir(\"/sys/fs/cgroup/%s\")", path);
	return -1;
}

/* under-the-hood, then ours in it. The supervisor of the last container in
 * under-the-hood removes it when that container ends (supervisor/cgroup.c); if it
 * does so before ours is made in it, we get ENOENT: make it again. Our own
 * name is random: no other container's cgroup has it. */
static void
create_in_hierarchy(const struct container_cgroup *cgroup, const char *controller)
{
	char parent[256], path[256];

	cgroup_path(parent, sizeof(parent), cgroup, controller, NULL, NULL);
	cgroup_path(path, sizeof(path), cgroup, controller, cgroup->name, NULL);
	for (int attempt = 0; attempt < 10; attempt++) {
		if (make_directory(cgroup->root_fd, parent) == -1)
			die_errno("mkdir(\"/sys/fs/cgroup/%s\")", parent); /* no such hierarchy */
		if (cgroup->layout == CGROUP_V2 && enable_controllers(cgroup->root_fd, parent) == -1)
			continue;
		if (cgroup->layout == CGROUP_V1 && strcmp(controller, "cpuset") == 0 &&
		    fill_empty_cpuset_v1(cgroup->root_fd, parent) == -1)
			continue;
		if (make_directory(cgroup->root_fd, path) == 0)
			return;
	}
	die_errno("mkdir(\"/sys/fs/cgroup/%s\")", path);
}

static void
create_cgroup(const struct container_cgroup *cgroup)
{
	if (cgroup->layout == CGROUP_V2) {
		if (enable_controllers(cgroup->root_fd, "") == -1)
			die_errno("read(\"/sys/fs/cgroup/cgroup.subtree_control\")");
		create_in_hierarchy(cgroup, NULL);
		return;
	}
	for (size_t i = 0; i < V1_CONTROLLERS; i++)
		create_in_hierarchy(cgroup, cgroup_v1_controllers[i]);
}

int
write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		  const char *file, const char *value, bool optional)
{
	char path[256];

	cgroup_path(path, sizeof(path), cgroup, controller, cgroup->name, file);
	narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
	if (write_file_at(cgroup->root_fd, path, value) == 0)
		return 0;
	if (optional && errno == ENOENT)
		return -1;
	die_errno("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, value);
}

/* v1 leaves socket buffers out of memory.limit_in_bytes: a container with
 * --memory 64M held 512 MiB in TCP buffers on loopback. Once this file is
 * written, the cgroup's TCP and UDP buffers are charged to a counter of
 * their own with this limit (cgroup-v1/memory.rst, "Kernel Memory
 * Extension"): the same amount as --memory, on top of it. The kernel still
 * lets each socket past the limit by one buffer (sk_forced_mem_schedule(),
 * so that a connection never stalls for good), so thousands of sockets go
 * further, and each socket's own memory is charged to --memory, which
 * bounds how many (TUTORIAL.md, "What the talk's container still leaks").
 * Netlink buffers are charged to no counter. v2 charges socket buffers to
 * memory.max itself ("sock" in memory.stat): nothing to write there. */
static void
limit_socket_memory_v1(const struct container_cgroup *cgroup, const char *bytes)
{
	const char *file = "memory.kmem.tcp.limit_in_bytes";

	if (write_cgroup_file(cgroup, "memory", file, bytes, true) == -1)
		narrate("%s: not there, this kernel has no socket limit for v1: skipped", file);
}

/* The limit covers memory and swap together, as Docker's does with
 * --memory-swap equal to --memory (without it, Docker allows as much swap
 * again): a limit on memory alone lets the container page out to swap and
 * go on growing. Kernels without swap accounting have
 * no swap file to write (CONFIG_MEMCG_SWAP off, or swapaccount=0). */
static void
limit_memory(const struct container_cgroup *cgroup, const struct options *options)
{
	char bytes[24];
	bool v2 = cgroup->layout == CGROUP_V2;
	const char *swap_file = v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";

	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory);
	write_cgroup_file(cgroup, "memory", v2 ? "memory.max" : "memory.limit_in_bytes", bytes, false);
	/* v2 counts swap on its own (0: none); v1 counts memory+swap (= the limit). */
	if (write_cgroup_file(cgroup, "memory", swap_file, v2 ? "0" : bytes, true) == -1)
		narrate("%s: not there, this kernel does not account swap per cgroup: skipped", swap_file);
	if (!v2)
		limit_socket_memory_v1(cgroup, bytes);
}

/* CFS bandwidth control: the cgroup's processes together may run QUOTA
 * microseconds of CPU time in every PERIOD, across all CPUs; 1.5 CPUs is
 * 150000 per 100000 (Documentation/scheduler/sched-bwc.rst). */
static void
limit_cpu(const struct container_cgroup *cgroup, const struct options *options)
{
	char quota[48];

	if (options->cpus_milli == 0)
		return; /* no --cpus: as much CPU as the host gives */
	unsigned microseconds = options->cpus_milli * 100; /* of a 100000 period */
	if (cgroup->layout == CGROUP_V2) {
		snprintf(quota, sizeof(quota), "%u 100000", microseconds);
		write_cgroup_file(cgroup, "cpu", "cpu.max", quota, false);
		return;
	}
	snprintf(quota, sizeof(quota), "%u", microseconds);
	write_cgroup_file(cgroup, "cpu", "cpu.cfs_period_us", "100000", false);
	write_cgroup_file(cgroup, "cpu", "cpu.cfs_quota_us", quota, false);
}

/* fork() and clone() fail with EAGAIN once the cgroup holds this many
 * processes and threads: a fork bomb stops there. */
static void
limit_pids(const struct container_cgroup *cgroup, const struct options *options)
{
	char count[16];

	snprintf(count, sizeof(count), "%u", options->pids);
	write_cgroup_file(cgroup, "pids", "pids.max", count, false);
}

/* "0" is the writing process itself. Whatever it forks from now on starts
 * in the cgroup: COMMAND and all its children. Memory charged before the
 * move stays charged where it was.
 *
 * v1: the tasks file, not cgroup.procs. cgroup.procs moves a whole thread
 * group, so the kernel first holds every fork and exit on the host with a
 * global lock whose write side waits for an RCU grace period (7 ms here,
 * bench/RESULTS.md; not with the favordynmods mount option, which is the
 * host's to choose). tasks moves one thread; when that thread is the writer
 * itself the kernel skips the lock, and this process has only the one
 * thread. v2 moves single threads only within a threaded subtree
 * (cgroup.threads), so on v2 the join waits. */
static void
join_cgroup(const struct container_cgroup *cgroup)
{
	if (cgroup->layout == CGROUP_V2) {
		write_cgroup_file(cgroup, NULL, "cgroup.procs", "0", false);
		return;
	}
	for (size_t i = 0; i < V1_CONTROLLERS; i++)
		write_cgroup_file(cgroup, cgroup_v1_controllers[i], "tasks", "0", false);
}

/* A descriptor to the host's cgroupfs would let COMMAND raise its own
 * limits. The last step closes every descriptor anyway, but no later step
 * needs this one (the supervisor has its own copy): it goes now, and its
 * number with it, so that no one takes a reused number for it. */
static void
close_cgroup_directory(int root_fd)
{
	narrate("close(%d) (/sys/fs/cgroup)", root_fd);
	if (close(root_fd) == -1)
		die_errno("close(%d)", root_fd);
	if (unsetenv("CHAIN_CGROUP_FD") == -1)
		die_errno("unsetenv(CHAIN_CGROUP_FD)");
}

int
main(int argc, char **argv)
{
	struct options options;
	struct container_cgroup cgroup;

	step_init(7, "step7-cgroup", argc, argv, &options);
	cgroup.root_fd = handed_cgroup_fd();
	if (cgroup.root_fd == -1)
		die("no /sys/fs/cgroup handed over by the first step");
	if (handed_container_name() == NULL)
		become_own_supervisor(&options);
	cgroup.layout = cgroup_layout(cgroup.root_fd);
	cgroup.name = handed_container_name();

	create_cgroup(&cgroup);
	fault_point("step7-created");
	limit_memory(&cgroup, &options);
	limit_cpu(&cgroup, &options);
	limit_pids(&cgroup, &options);
	guarantee_cpu_share(&cgroup, &options);
	guarantee_memory(&cgroup, &options);
	pin_to_cpuset(&cgroup, &options);
	limit_io(&cgroup, &options);
	join_cgroup(&cgroup);
	fault_point("step7-joined");
	limit_each_process(&options);
	close_cgroup_directory(cgroup.root_fd);
	exec_next(&options);
}
