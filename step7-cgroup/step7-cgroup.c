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
 * same cgroup is made in memory/, pids/, cpu/, cpuset/ and blkio/. Their
 * files differ in name and at times in value: this file writes through a
 * table of both (cgroup-files.c), and reads the same on either. Ours is
 * under-the-hood/<hostname>-<16 hex digits>, a name the supervisor drew at
 * random and handed down (CHAIN_SUPERVISOR). The host's /sys/fs/cgroup is
 * out of reach since step5: the first step opened it and handed it down,
 * and every path here is relative to that descriptor. step6 dropped
 * CAP_SYS_ADMIN, but uid 0 still owns cgroupfs's files.
 *
 * In a user namespace (step0) the tree is still the host root's, but on v2
 * a part of it may be the caller's: the first step hands down its path
 * (common/delegation.c), and under-the-hood goes there, next to the
 * caller's own cgroup, the common ancestor of the two (cgroup_parent()).
 *
 * On cgroup v2 hosts Docker also gives a cgroup namespace, so that
 * /proc/self/cgroup reads "0::/" inside (on v1 hosts its default is the
 * host's: defaultCgroupNamespaceMode() in moby's daemon/config);
 * unshare(CLONE_NEWCGROUP) needs CAP_SYS_ADMIN, so ours shows the full path,
 * /under-the-hood/<hostname>-<hex>: hence no pid of the host in the name.
 *
 * A cgroup limits the group. Resource limits (getrlimit(2), `ulimit`) limit
 * each process, and some of them what it may take of a count kept per
 * user: without a user namespace the container's root *is* the host's
 * root for those. Once the cgroup is joined, rlimits.c sets them, Docker's
 * way, and lower where Docker's would let the container use up the host
 * root's count. The guarantees (guarantees.c: CPU shares, reserved
 * memory, a cpuset) and the disk I/O limits (io.c) are written with the
 * limits, before the join.
 *
 * The container cannot remove its own cgroup: the supervisor does, once
 * PID 1 has been reaped (supervisor/supervise.c). Run without step2 before it
 * (sudo ./step7 --memory 64M sh), this step forks and its parent becomes the
 * supervisor, as step2's does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/chain.h"
#include "../supervisor/supervisor.h"
#include "cgroup-files.h"
#include "guarantees.h"
#include "io.h"
#include "rlimits.h"

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
		die_call();
	if (child > 0)
		supervise(child, options); /* removes the cgroup when the child ends */
	die_with_supervisor(&signals);
}

static int
make_directory(int root_fd, const char *path)
{
	/* exercise 7.1: make the directory PATH, relative to ROOT_FD (the
	 * host's /sys/fs/cgroup, out of reach by its name since step5): the
	 * kernel makes a cgroup of it, and fills it with the cgroup's files.
	 * One that exists already will do: return 0; -1 when the parent has
	 * gone (ENOENT); die on anything else. mkdirat(2), cgroups(7) */
	narrate("mkdir(\"/sys/fs/cgroup/%s\", 0755)", path);
	if (mkdirat(root_fd, path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		die_call();
	return -1;
	/* end of exercise 7.1 */
}

/* under-the-hood, then ours in it. The supervisor of the last container in
 * under-the-hood removes it when that container ends (supervisor/cgroup.c); if it
 * does so before ours is made in it, we get ENOENT: make it again. Our own
 * name is random: no other container's cgroup has it. Each version has its
 * own step before a cgroup can be used (prepare_parent, prepare_cgroup):
 * v2 enables the controllers from the parent, v1 fills an empty cpuset. */
static void
create_in_hierarchy(const struct container_cgroup *cgroup, const char *hierarchy)
{
	const struct cgroup_files *files = cgroup->files;
	char parent[512], path[512];

	cgroup_path(parent, sizeof(parent), cgroup, hierarchy, NULL, NULL);
	cgroup_path(path, sizeof(path), cgroup, hierarchy, cgroup->name, NULL);
	for (int attempt = 0; attempt < 10; attempt++) {
		if (make_directory(cgroup->root_fd, parent) == -1)
			die_call(); /* no such hierarchy */
		if (files->prepare_parent(cgroup->root_fd, hierarchy, parent) == -1)
			continue;
		if (make_directory(cgroup->root_fd, path) == 0 &&
		    files->prepare_cgroup(cgroup->root_fd, hierarchy, path) == 0)
			return;
	}
	die_call(); /* the last call, ten times ENOENT */
}

static void
create_cgroup(const struct container_cgroup *cgroup)
{
	for (size_t i = 0; i < cgroup->files->hierarchy_count; i++)
		create_in_hierarchy(cgroup, cgroup->files->hierarchies[i]);
}

/* The limit covers memory and swap together, as Docker's does with
 * --memory-swap equal to --memory (without it, Docker allows as much swap
 * again): a limit on memory alone lets the container page out to swap and
 * go on growing. v2 counts swap on its own (limit 0: none), v1 memory and
 * swap together (limit: the same as memory's). Kernels without swap
 * accounting have no swap file to write (CONFIG_MEMCG_SWAP off, or
 * swapaccount=0). */
static void
limit_memory(const struct container_cgroup *cgroup, const struct options *options)
{
	const struct cgroup_files *files = cgroup->files;
	char bytes[24];

	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory);
	write_cgroup_file(cgroup, "memory", files->memory_max, bytes, false);
	if (write_cgroup_file(cgroup, "memory", files->swap_max,
			      files->swap_max_counts_memory ? bytes : "0", true) == -1)
		narrate("%s: not there, this kernel does not account swap per cgroup: skipped",
			files->swap_max);
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
 * memory.max itself ("sock" in memory.stat): it has no such file. */
static void
limit_socket_memory(const struct container_cgroup *cgroup, const struct options *options)
{
	const char *file = cgroup->files->socket_memory_max;
	char bytes[24];

	if (file == NULL)
		return;
	snprintf(bytes, sizeof(bytes), "%" PRIu64, options->memory);
	if (write_cgroup_file(cgroup, "memory", file, bytes, true) == -1)
		narrate("%s: not there, this kernel has no socket limit for v1: skipped", file);
}

/* CFS bandwidth control: the cgroup's processes together may run QUOTA
 * microseconds of CPU time in every PERIOD, across all CPUs; 1.5 CPUs is
 * 150000 per 100000 (Documentation/scheduler/sched-bwc.rst). v2 writes both
 * in cpu.max, v1 each in a file of its own, the period first. */
static void
limit_cpu(const struct container_cgroup *cgroup, const struct options *options)
{
	const struct cgroup_files *files = cgroup->files;
	const unsigned period = 100000; /* microseconds, the kernel's default */
	char value[48];

	if (options->cpus_milli == 0)
		return; /* no --cpus: as much CPU as the host gives */
	unsigned quota = options->cpus_milli * (period / 1000);
	if (files->cpu_period != NULL) {
		snprintf(value, sizeof(value), "%u", period);
		write_cgroup_file(cgroup, "cpu", files->cpu_period, value, false);
	}
	files->format_cpu_max(value, sizeof(value), quota, period);
	write_cgroup_file(cgroup, "cpu", files->cpu_max, value, false);
}

/* fork() and clone() fail with EAGAIN once the cgroup holds this many
 * processes and threads: a fork bomb stops there. */
static void
limit_pids(const struct container_cgroup *cgroup, const struct options *options)
{
	/* exercise 7.2: write --pids (options->pids) as the cgroup's process
	 * limit, with write_cgroup_file() (cgroup-files.h), the same file on v1
	 * and v2: the kernel's Documentation/admin-guide/cgroup-v2.rst, "PID" */
	char count[16];

	snprintf(count, sizeof(count), "%u", options->pids);
	write_cgroup_file(cgroup, "pids", "pids.max", count, false);
	/* end of exercise 7.2 */
}

/* "0" is the writing process itself. Whatever it forks from now on starts
 * in the cgroup: COMMAND and all its children. Memory charged before the
 * move stays charged where it was. On v1, once in each hierarchy, and by
 * the tasks file, which spares the host a global lock (cgroup-files.c). */
static void
join_cgroup(const struct container_cgroup *cgroup)
{
	/* exercise 7.3: move this process into the cgroup, in each of its
	 * hierarchies (cgroup->files: their names, and the file that moves
	 * the writer): cgroups(7), "Creating cgroups and moving processes" */
	for (size_t i = 0; i < cgroup->files->hierarchy_count; i++)
		write_cgroup_file(cgroup, cgroup->files->hierarchies[i], cgroup->files->procs, "0",
				  false);
	/* end of exercise 7.3 */
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
		die_call();
	if (unsetenv("CHAIN_CGROUP_FD") == -1)
		die_errno("unsetenv(CHAIN_CGROUP_FD)");
}

int
main(int argc, char **argv)
{
	struct options options;
	struct container_cgroup cgroup;

	step_init(7, "step7-cgroup", argc, argv, &options);
	/* ./enter has put this process in the container's cgroup already. */
	if (chain_entering()) {
		narrate("entering a running container: its cgroup is joined already");
		limit_each_process(&options);
		exec_next(&options);
	}
	/* In a user namespace the cgroup tree is still the host root's: the
	 * container's root may make a cgroup only in a part of it delegated to
	 * the caller, which the first step looked for (common/delegation.c);
	 * without one, check_user_namespace() refused the limits that needed
	 * it. The rlimits are per process. */
	cgroup.root_fd = handed_cgroup_fd();
	if (options.user_namespace && cgroup.root_fd == -1) {
		const char *why = getenv("CHAIN_NO_CGROUP");
		notice("in a user namespace, and no cgroup delegated to the caller (%s): no "
		       "limits of memory, CPU, processes or I/O; rlimits only",
		       why != NULL ? why : "no reason handed down");
		limit_each_process(&options);
		exec_next(&options);
	}
	if (cgroup.root_fd == -1)
		die("no /sys/fs/cgroup handed over by the first step");
	if (handed_container_name() == NULL)
		become_own_supervisor(&options);
	cgroup.files = cgroup_files_of(cgroup_layout(cgroup.root_fd));
	cgroup.name = handed_container_name();

	create_cgroup(&cgroup);
	fault_point("step7-created");
	limit_memory(&cgroup, &options);
	limit_socket_memory(&cgroup, &options);
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
