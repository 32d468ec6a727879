/* cgroup.c: the cgroup's lifetime outside the container.
 *
 * step7 creates the container's cgroup and moves the container into it, but
 * step7 is the container: it cannot remove the cgroup after the container has
 * ended. The supervisor, the one process of the chain that stays on the host,
 * does that, and at its start it kills and removes the containers of
 * supervisors that were killed before they could. Those containers may still
 * run: PR_SET_PDEATHSIG belongs to the container's first process, which can
 * clear it. A supervisor counts as gone when its lock (lock.c) can be
 * taken, never from a pid: a supervisor in another PID namespace has no pid
 * here, and a dead one's pid can be reused.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "lock.h"

/* blkio is v1's name for v2's io. */
const char *const cgroup_v1_controllers[5] = { "memory", "pids", "cpu", "cpuset", "blkio" };

/* statfs tells what is mounted at /sys/fs/cgroup: the cgroup2 filesystem
 * itself (unified) or a tmpfs holding one mount per v1 controller (legacy
 * and hybrid). */
enum cgroup_layout
cgroup_layout(int root_fd)
{
	struct statfs filesystem;

	narrate("fstatfs(%d</sys/fs/cgroup>, &filesystem)", root_fd);
	if (fstatfs(root_fd, &filesystem) == -1)
		die_call();
	if (filesystem.f_type == CGROUP2_SUPER_MAGIC)
		return CGROUP_V2;
	if (filesystem.f_type == TMPFS_MAGIC)
		return CGROUP_V1;
	die("/sys/fs/cgroup is neither cgroup2 nor a tmpfs of v1 controllers (f_type 0x%lx)",
	    (unsigned long)filesystem.f_type);
}

const char *
cgroup_parent(void)
{
	static char parent[256]; /* find_delegated_cgroup() allows 160 */
	const char *delegated = getenv("CHAIN_CGROUP_DELEGATED");

	if (delegated == NULL)
		return CGROUP_PARENT;
	snprintf(parent, sizeof(parent), "%s/" CGROUP_PARENT, delegated);
	return parent;
}

/* A small cgroup file into a NUL-terminated buffer; -1 if it cannot be read. */
static ssize_t
read_cgroup_file(int root_fd, const char *path, char *buffer, size_t size)
{
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	ssize_t length = read(fd, buffer, size - 1);
	close(fd); /* read-only: nothing to lose */
	if (length >= 0)
		buffer[length] = '\0';
	return length;
}

/* v2 (Linux 5.14+): writing "1" to cgroup.kill sends SIGKILL to every
 * process of the cgroup, those it gains meanwhile included (cgroup-v2.rst,
 * "cgroup.kill"). v1 has no such file, nor v2 before 5.14: there
 * remove_cgroup's loop kills what cgroup.procs lists. A child forked after
 * the read escapes one round, not the next; and in a chain the container's
 * PID 1 is in the first list, whose death kills the rest of its PID
 * namespace at once (pid_namespaces(7)). So no freezer is needed to stop
 * forks while the list is read. */
static void
kill_cgroup(int root_fd, const char *path)
{
	char file[600];

	snprintf(file, sizeof(file), "%s/cgroup.kill", path);
	narrate("write(\"/sys/fs/cgroup/%s\", \"1\")", file);
	/* ENOENT: no cgroup (the supervisor died before step7), or no file */
	if (write_file_at(root_fd, file, "1") == -1 && errno != ENOENT)
		warn_call();
}

/* A cgroup can only be removed once no process is in it. The container's
 * processes are gone when its PID 1 has been reaped (the kernel kills the
 * rest of a PID namespace first), so the first rmdir normally succeeds; if
 * something is still there, kill it and try again for a short while.
 * WHY follows the call in the narration. Returns -1 if the cgroup is still
 * there. */
static int
remove_cgroup(int root_fd, const char *path, const char *why)
{
	char procs[600], pids[4096];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	for (int attempt = 1;; attempt++) {
		narrate("unlinkat(%d</sys/fs/cgroup>, \"%s\", AT_REMOVEDIR)%s", root_fd, path, why);
		if (unlinkat(root_fd, path, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || attempt == 100)
			break;
		if (read_cgroup_file(root_fd, procs, pids, sizeof(pids)) > 0) {
			char *end;
			for (char *p = pids; *p != '\0'; p = end) {
				long pid = strtol(p, &end, 10);
				if (end == p)
					break;
				narrate("kill(%ld, SIGKILL): in /sys/fs/cgroup/%s", pid, path);
				kill((pid_t)pid, SIGKILL); /* ESRCH: already gone, as wanted */
			}
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10000000L }, NULL); /* 10ms */
	}
	warn_call();
	return -1;
}

/* The parent is removed too once the last container has gone; another
 * container holding it makes rmdir fail with EBUSY or ENOTEMPTY, as wanted. */
static void
remove_parent_if_empty(int root_fd, const char *path)
{
	narrate("unlinkat(%d</sys/fs/cgroup>, \"%s\", AT_REMOVEDIR)", root_fd, path);
	if (unlinkat(root_fd, path, AT_REMOVEDIR) == -1 && errno != ENOENT && errno != EBUSY &&
	    errno != ENOTEMPTY)
		warn_call();
}

static void
for_each_hierarchy(int root_fd, void (*action)(int root_fd, const char *parent, void *data),
		   void *data)
{
	char parent[64];

	if (cgroup_layout(root_fd) == CGROUP_V2) {
		action(root_fd, cgroup_parent(), data);
		return;
	}
	for (size_t i = 0; i < sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers); i++) {
		snprintf(parent, sizeof(parent), "%s/" CGROUP_PARENT, cgroup_v1_controllers[i]);
		action(root_fd, parent, data);
	}
}

/* A container's cgroup, and whether it is gone from every hierarchy. */
struct container {
	const char *name;
	bool removed;
};

static void
kill_and_remove_in(int root_fd, const char *parent, void *data)
{
	struct container *container = data;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", parent, container->name);
	if (cgroup_layout(root_fd) == CGROUP_V2)
		kill_cgroup(root_fd, path);
	if (remove_cgroup(root_fd, path, ": its supervisor is gone") == -1)
		container->removed = false;
	remove_parent_if_empty(root_fd, parent);
}

void
cgroup_remove_stale(int root_fd, const char *own_name)
{
	struct dirent *entry;

	narrate("open(\"" SUPERVISOR_LOCKS "\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)");
	int fd = open(SUPERVISOR_LOCKS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		warn_call(); /* our own lock file is in it: this should not happen */
		return;
	}
	DIR *locks = fdopendir(fd);
	if (locks == NULL) {
		warn_errno("fdopendir(%d<" SUPERVISOR_LOCKS ">)", fd);
		close(fd);
		return;
	}
	while ((entry = readdir(locks)) != NULL) {
		if (entry->d_type != DT_REG || strcmp(entry->d_name, own_name) == 0)
			continue;
		int lock = lock_of_dead_supervisor(dirfd(locks), entry->d_name);
		if (lock == -1)
			continue;
		/* Held while its cgroup goes, so that no other start does the same. */
		struct container container = { entry->d_name, true };
		for_each_hierarchy(root_fd, kill_and_remove_in, &container);
		if (container.removed)
			remove_lock_file(entry->d_name);
		close(lock);
	}
	closedir(locks);
}

static void
remove_container_in(int root_fd, const char *parent, void *data)
{
	struct container *container = data;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", parent, container->name);
	if (remove_cgroup(root_fd, path, "") == -1)
		container->removed = false;
	remove_parent_if_empty(root_fd, parent);
}

/* The kernel counts the processes it killed for the memory limit in
 * memory.events (v2) or memory.oom_control (v1): "oom_kill N". */
static long
oom_kills(int root_fd, const char *name)
{
	char path[512], events[1024];

	if (cgroup_layout(root_fd) == CGROUP_V2)
		snprintf(path, sizeof(path), "%s/%s/memory.events", cgroup_parent(), name);
	else
		snprintf(path, sizeof(path), "memory/" CGROUP_PARENT "/%s/memory.oom_control", name);
	if (read_cgroup_file(root_fd, path, events, sizeof(events)) <= 0)
		return 0; /* step7 did not get to create it */
	const char *line = strstr(events, "oom_kill ");
	return line == NULL ? 0 : strtol(line + strlen("oom_kill "), NULL, 10);
}

void
cgroup_report_and_remove(int root_fd, const char *name, const struct options *options,
			 bool killed)
{
	/* The kernel kills the largest process of the cgroup: the container's
	 * PID 1 (which ends the container) or one of its children. */
	if (oom_kills(root_fd, name) > 0) {
		char limit[32];
		fprintf(stderr, "step7-cgroup: %s: out of memory (limit %s)\n",
			killed ? "container killed" : "a process in the container was killed",
			format_size(options->memory, limit, sizeof(limit)));
	}
	struct container container = { name, true };
	for_each_hierarchy(root_fd, remove_container_in, &container);
	/* If the cgroup is still there, the lock file stays, and is released
	 * when this supervisor exits: the next start tries again. */
	if (container.removed && !options->user_namespace)
		remove_lock_file(name);
}
