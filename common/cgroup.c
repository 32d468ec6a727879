/* cgroup.c: the cgroup's lifetime outside the container.
 *
 * step7 creates the container's cgroup and moves the container into it, but
 * step7 is the container: it cannot remove the cgroup after the container has
 * ended. The supervisor, the one process of the chain that stays on the host,
 * does that, and at its start it removes the cgroups of supervisors that
 * were killed before they could.
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
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

const char *const cgroup_v1_controllers[3] = { "memory", "pids", "cpu" };

/* statfs tells what is mounted at /sys/fs/cgroup: the cgroup2 filesystem
 * itself (unified) or a tmpfs holding one mount per v1 controller (legacy
 * and hybrid). */
enum cgroup_layout
cgroup_layout(int root_fd)
{
	struct statfs filesystem;

	if (fstatfs(root_fd, &filesystem) == -1)
		die_errno("fstatfs(\"/sys/fs/cgroup\")");
	if (filesystem.f_type == CGROUP2_SUPER_MAGIC)
		return CGROUP_V2;
	if (filesystem.f_type == TMPFS_MAGIC)
		return CGROUP_V1;
	die("/sys/fs/cgroup is neither cgroup2 nor a tmpfs of v1 controllers (f_type 0x%lx)",
	    (unsigned long)filesystem.f_type);
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

void
cgroup_container_name(char *name, size_t size, const char *hostname, long supervisor)
{
	snprintf(name, size, "%s-%ld", hostname, supervisor);
}

/* A cgroup can only be removed once no process is in it. The container's
 * processes are gone when its PID 1 has been reaped (the kernel kills the
 * rest of a PID namespace first), so the first rmdir normally succeeds; if
 * something is still there, kill it and try again for a short while. */
static void
remove_cgroup(int root_fd, const char *path)
{
	char procs[600], pids[4096];

	for (int attempt = 0; attempt < 100; attempt++) {
		if (unlinkat(root_fd, path, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return;
		if (errno != EBUSY) {
			warn_errno("rmdir(\"/sys/fs/cgroup/%s\")", path);
			return;
		}
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
		if (read_cgroup_file(root_fd, procs, pids, sizeof(pids)) > 0) {
			char *end;
			for (char *p = pids; *p != '\0'; p = end) {
				long pid = strtol(p, &end, 10);
				if (end == p)
					break;
				kill((pid_t)pid, SIGKILL); /* ESRCH: already gone, as wanted */
			}
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10000000L }, NULL); /* 10ms */
	}
	warn_errno("rmdir(\"/sys/fs/cgroup/%s\")", path);
}

/* The parent is removed too once the last container has gone; another
 * container holding it makes rmdir fail with EBUSY or ENOTEMPTY, as wanted. */
static void
remove_parent_if_empty(int root_fd, const char *path)
{
	if (unlinkat(root_fd, path, AT_REMOVEDIR) == -1 && errno != ENOENT && errno != EBUSY &&
	    errno != ENOTEMPTY)
		warn_errno("rmdir(\"/sys/fs/cgroup/%s\")", path);
}

static void
for_each_hierarchy(int root_fd, void (*action)(int root_fd, const char *parent, void *data),
		   void *data)
{
	char parent[64];

	if (cgroup_layout(root_fd) == CGROUP_V2) {
		action(root_fd, CGROUP_PARENT, data);
		return;
	}
	for (size_t i = 0; i < sizeof(cgroup_v1_controllers) / sizeof(*cgroup_v1_controllers); i++) {
		snprintf(parent, sizeof(parent), "%s/" CGROUP_PARENT, cgroup_v1_controllers[i]);
		action(root_fd, parent, data);
	}
}

static void
remove_stale_in(int root_fd, const char *parent, void *data)
{
	char path[512];
	(void)data;
	int fd = openat(root_fd, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *directory = fd == -1 ? NULL : fdopendir(fd);
	struct dirent *entry;

	if (directory == NULL) {
		if (fd != -1)
			close(fd);
		return; /* no parent: nothing of ours there */
	}
	while ((entry = readdir(directory)) != NULL) {
		const char *dash = strrchr(entry->d_name, '-');
		if (entry->d_type != DT_DIR || dash == NULL)
			continue;
		long supervisor = strtol(dash + 1, NULL, 10);
		if (supervisor <= 0 || kill((pid_t)supervisor, 0) == 0 || errno != ESRCH)
			continue;
		/* Only rmdir, which fails (EBUSY) while processes are in it: a
		 * supervisor in another PID namespace may just be invisible to
		 * us, and its container must not be touched. A killed one's
		 * container died with it (PR_SET_PDEATHSIG), so its cgroup is empty. */
		snprintf(path, sizeof(path), "%s/%s", parent, entry->d_name);
		if (unlinkat(root_fd, path, AT_REMOVEDIR) == 0)
			narrate("rmdir(\"/sys/fs/cgroup/%s\"): its supervisor is gone", path);
		else if (errno != EBUSY && errno != ENOENT)
			warn_errno("rmdir(\"/sys/fs/cgroup/%s\")", path);
	}
	closedir(directory);
	remove_parent_if_empty(root_fd, parent);
}

void
cgroup_remove_stale(int root_fd)
{
	for_each_hierarchy(root_fd, remove_stale_in, NULL);
}

static void
remove_container_in(int root_fd, const char *parent, void *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", parent, (const char *)name);
	narrate("rmdir(\"/sys/fs/cgroup/%s\")", path);
	remove_cgroup(root_fd, path);
	remove_parent_if_empty(root_fd, parent);
}

/* The kernel counts the processes it killed for the memory limit in
 * memory.events (v2) or memory.oom_control (v1): "oom_kill N". */
static long
oom_kills(int root_fd, const char *name)
{
	char path[512], events[1024];

	if (cgroup_layout(root_fd) == CGROUP_V2)
		snprintf(path, sizeof(path), CGROUP_PARENT "/%s/memory.events", name);
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
	for_each_hierarchy(root_fd, remove_container_in, (void *)name);
}
