/* delegation.c: the cgroup a chain in a user namespace may use.
 *
 * The cgroup tree is the host root's, and a user namespace changes nothing
 * of that: its files keep their owners. But on cgroup v2 a part of the tree
 * can be handed to a user, its directories and files chowned to them: the
 * kernel's "Delegation" (cgroup-v2.rst), which systemd does for each user's
 * user@UID.service and what the user's own systemd starts under it (a
 * terminal's scope on most desktops, `systemd-run --user --scope` from an
 * ssh login). There the user may make cgroups, set their limits, and move
 * their own processes between two of them if they may also write
 * cgroup.procs of both cgroups' common ancestor.
 *
 * So the container's cgroup goes next to the caller's own: under its parent,
 * the common ancestor of the two, if the caller may write there. v1 has no
 * delegation of this kind. The first step looks here before the host's
 * files are out of reach, and hands the parent down (open_chain()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "chain.h"

/* "0::/user.slice/.../app.slice/run-1.scope\n": cgroup v2's line of
 * /proc/self/cgroup, the path below /sys/fs/cgroup. */
static bool
own_cgroup(char *path, size_t size)
{
	char lines[4096];

	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return false;
	ssize_t length = read(fd, lines, sizeof(lines) - 1);
	close(fd); /* read-only: nothing to lose */
	if (length <= 0)
		return false;
	lines[length] = '\0';
	char *line = strncmp(lines, "0::/", 4) == 0 ? lines : strstr(lines, "\n0::/");
	if (line == NULL)
		return false;
	line += line[0] == '\n' ? 5 : 4;
	size_t used = strcspn(line, "\n");
	if (used >= size)
		return false;
	memcpy(path, line, used);
	path[used] = '\0';
	return true;
}

/* A cgroup's list file ("memory pids cpu"), as " memory pids cpu ", so
 * that " pids " finds a whole word. */
static bool
read_controllers(const char *directory, char *list, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cgroup.controllers", directory);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return false;
	list[0] = ' ';
	ssize_t length = read(fd, list + 1, size - 3);
	close(fd);
	if (length < 0)
		return false;
	list[1 + length] = '\0';
	size_t end = strcspn(list, "\n");
	list[end] = ' '; /* size - 3 left room for it and the NUL */
	list[end + 1] = '\0';
	return true;
}

static bool
writable(const char *directory, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s%s%s", directory, *file ? "/" : "", file);
	return access(path, W_OK) == 0;
}

const char *
find_delegated_cgroup(char *parent, size_t size, char *controllers, size_t controllers_size)
{
	struct statfs filesystem;
	char own[PATH_MAX];

	if (statfs("/sys/fs/cgroup", &filesystem) == -1 ||
	    filesystem.f_type != CGROUP2_SUPER_MAGIC || !own_cgroup(own, sizeof(own)))
		return "cgroup v1, which delegates nothing to a user";
	char *slash = strrchr(own, '/');
	if (slash == NULL || slash == own)
		return "the caller's cgroup is at the root of the tree";
	*slash = '\0';
	if (strlen(own) >= size || strlen(own) > 160)
		return "the caller's cgroup's path is too long";
	snprintf(parent, size, "%s", own);
	*slash = '/';
	/* The parent, where the container's cgroup is made and its
	 * controllers enabled; both cgroup.procs of the move. */
	if (!writable(parent, "") || !writable(parent, "cgroup.procs") ||
	    !writable(parent, "cgroup.subtree_control") || !writable(own, "cgroup.procs"))
		return "the parent of the caller's cgroup is not the caller's; systemd-run "
		       "--user --scope gives one that is";
	if (!read_controllers(parent, controllers, controllers_size) ||
	    strstr(controllers, " memory ") == NULL || strstr(controllers, " pids ") == NULL)
		return "the cgroup delegated to the caller has no memory or no pids controller";
	return NULL;
}
