/* step7-cgroup: limits on memory, CPU and processes, in a cgroup.
 *
 * The talk's script:   mkdir /sys/fs/cgroup/memory/demo
 *                      echo 64M > /sys/fs/cgroup/memory/demo/memory.limit_in_bytes
 *                      echo $$ > /sys/fs/cgroup/memory/demo/cgroup.procs
 *
 * Namespaces change what a container sees; nothing so far limits what it
 * uses. A fork bomb or a memory leak inside would take the host down. A
 * cgroup is a directory in cgroupfs: its files hold limits, and a process
 * written into its cgroup.procs (and everything it forks afterwards) is held
 * to them. The kernel's OOM killer kills inside the cgroup when its memory
 * is full; fork() fails with EAGAIN when its process count is reached.
 *
 * Two layouts exist. cgroup v2: one tree at /sys/fs/cgroup, a controller
 * works in a cgroup once its parent lists it in cgroup.subtree_control
 * (Documentation/admin-guide/cgroup-v2.rst). cgroup v1 (and hybrid): one
 * tree per controller, /sys/fs/cgroup/memory, .../pids, .../cpu; the same
 * cgroup is made in each. Ours is under-the-hood/<hostname>-<supervisor pid>.
 *
 * By now step5 has replaced the root and the host's /sys/fs/cgroup is out
 * of reach; step6 has dropped CAP_SYS_ADMIN. The first step opened
 * /sys/fs/cgroup and handed the descriptor down; every path here is relative
 * to it (mkdirat, openat), and uid 0 still owns the files it writes.
 *
 * step7 cannot remove the cgroup: it is the container. The supervisor does,
 * after the container's PID 1 has been reaped (common/supervise.c). Run
 * directly on the host (sudo ./step7 --memory 64M sh) no step2 has forked a
 * supervisor, so this step forks and its parent becomes the supervisor.
 *
 * Docker also gives each container a cgroup namespace, so that
 * /proc/self/cgroup reads "0::/" inside. unshare(CLONE_NEWCGROUP) needs
 * CAP_SYS_ADMIN, which step6 dropped: inside, /proc/self/cgroup shows the
 * full path, /under-the-hood/<hostname>-<pid>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cgroup.h"
#include "../common/chain.h"

struct container_cgroup {
	int root_fd; /* /sys/fs/cgroup, handed down by the first step */
	enum cgroup_layout layout;
	char name[128]; /* <hostname>-<supervisor pid> */
};

/* Run without a supervisor (no step2 before this step): become one. */
static void
become_own_supervisor(const struct options *options)
{
	sigset_t signals;

	block_supervisor_signals(&signals);
	hand_over_supervisor(getpid());
	narrate("fork()");
	pid_t child = fork();
	if (child == -1)
		die_errno("fork");
	if (child > 0)
		supervise(child, options); /* removes the cgroup when the child ends */
	die_with_supervisor(&signals);
}

/* "<hierarchy>/under-the-hood[/<name>][/<file>]", relative to /sys/fs/cgroup.
 * On v2 the hierarchy is the root itself; on v1 it is the controller's mount. */
static void
cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
	    const char *controller, const char *name, const char *file)
{
	snprintf(path, size, "%s%s" CGROUP_PARENT "%s%s%s%s",
		 cgroup->layout == CGROUP_V1 ? controller : "", cgroup->layout == CGROUP_V1 ? "/" : "",
		 name ? "/" : "", name ? name : "", file ? "/" : "", file ? file : "");
}

static void
read_file_at(int root_fd, const char *path, char *buffer, size_t size)
{
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
	ssize_t length = fd == -1 ? -1 : read(fd, buffer, size - 1);

	if (length == -1)
		die_errno("read(\"/sys/fs/cgroup/%s\")", path);
	buffer[length] = '\0';
	close(fd);
}

static bool
has_word(const char *list, const char *word)
{
	size_t length = strlen(word);

	for (const char *p = strstr(list, word); p != NULL; p = strstr(p + 1, word)) {
		if ((p == list || p[-1] == ' ') && (p[length] == ' ' || p[length] == '\n' || p[length] == '\0'))
			return true;
	}
	return false;
}

/* v2 only: a controller's files appear in a cgroup when its parent lists it
 * in cgroup.subtree_control ("Enabling and Disabling" in cgroup-v2.rst).
 * Only the missing ones are written: a cgroup other than the root that holds
 * processes cannot enable controllers for its children (EBUSY, the "no
 * internal process constraint"), but may already have them enabled. */
static void
enable_controllers(int root_fd, const char *directory)
{
	char path[256], available[256], enabled[256], change[16];

	snprintf(path, sizeof(path), "%s%scgroup.controllers", directory, *directory ? "/" : "");
	read_file_at(root_fd, path, available, sizeof(available));
	snprintf(path, sizeof(path), "%s%scgroup.subtree_control", directory, *directory ? "/" : "");
	read_file_at(root_fd, path, enabled, sizeof(enabled));
	for (size_t i = 0; i < sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers); i++) {
		const char *controller = cgroup_v1_controllers[i];
		if (has_word(enabled, controller))
			continue;
		if (!has_word(available, controller)) {
			die_with_status(EXIT_SETUP_FAILED, "/sys/fs/cgroup/%s: no %s controller (it lists: %s)",
					directory, controller, strtok(available, "\n"));
		}
		snprintf(change, sizeof(change), "+%s", controller);
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, change);
		if (write_file_at(root_fd, path, change) == -1) {
			int saved_errno = errno;
			if (saved_errno == EBUSY)
				hint("a process is in /sys/fs/cgroup/%s itself: a cgroup with processes cannot "
				     "enable controllers for its children (cgroup-v2.rst, \"No Internal Process "
				     "Constraint\")", directory);
			errno = saved_errno;
			die_errno("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, change);
		}
	}
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
 * under-the-hood removes it when that container ends (common/cgroup.c); if it
 * does so between our two mkdirs, the second fails with ENOENT: make the
 * parent again. An existing cgroup of our name is ours: a supervisor with
 * our pid was killed before it could remove it. */
static void
create_in_hierarchy(const struct container_cgroup *cgroup, const char *controller)
{
	char parent[256], path[256];

	cgroup_path(parent, sizeof(parent), cgroup, controller, NULL, NULL);
	cgroup_path(path, sizeof(path), cgroup, controller, cgroup->name, NULL);
	for (int attempt = 0; attempt < 10; attempt++) {
		if (make_directory(cgroup->root_fd, parent) == -1)
			continue; /* only the root can be missing here: fails below */
		if (cgroup->layout == CGROUP_V2)
			enable_controllers(cgroup->root_fd, parent);
		if (make_directory(cgroup->root_fd, path) == 0)
			return;
	}
	die_errno("mkdir(\"/sys/fs/cgroup/%s\")", path);
}

static void
create_cgroup(const struct container_cgroup *cgroup)
{
	if (cgroup->layout == CGROUP_V2) {
		enable_controllers(cgroup->root_fd, "");
		create_in_hierarchy(cgroup, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers); i++)
		create_in_hierarchy(cgroup, cgroup_v1_controllers[i]);
}

/* Returns -1 with errno ENOENT when the file does not exist. */
static int
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

/* The limit covers memory and swap together, as Docker's does when
 * --memory-swap is not given: a limit on memory alone lets the container
 * page out to swap and go on growing. Kernels without swap accounting have
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
 * move stays charged where it was. */
static void
join_cgroup(const struct container_cgroup *cgroup)
{
	if (cgroup->layout == CGROUP_V2) {
		write_cgroup_file(cgroup, NULL, "cgroup.procs", "0", false);
		return;
	}
	for (size_t i = 0; i < sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers); i++)
		write_cgroup_file(cgroup, cgroup_v1_controllers[i], "cgroup.procs", "0", false);
}

/* The supervisor keeps its own copy. Inside, a descriptor to the host's
 * cgroupfs would let COMMAND raise its own limits: it goes now, and its
 * number with it, so that step8 does not take a reused number for it. */
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
	if (handed_supervisor_pid() == 0)
		become_own_supervisor(&options);
	cgroup.layout = cgroup_layout(cgroup.root_fd);
	cgroup_container_name(cgroup.name, sizeof(cgroup.name), options.hostname,
			      handed_supervisor_pid());

	create_cgroup(&cgroup);
	limit_memory(&cgroup, &options);
	limit_cpu(&cgroup, &options);
	limit_pids(&cgroup, &options);
	join_cgroup(&cgroup);
	close_cgroup_directory(cgroup.root_fd);
	exec_next(&options);
}
