/* copy.c: step5's copy of the skeleton into the new root, as `rsync -a`
 * does it: modes, owners, times, symlinks as links (never followed), hard
 * links as links. Everything goes through directory descriptors (openat and
 * friends), so no path is resolved twice and no symlink is followed. The
 * calls for each file are not narrated (the skeleton has thousands of
 * them); a failure names the call and the file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/chain.h"
#include "copy.h"

struct hard_link {
	dev_t device;
	ino_t inode;
	char *path; /* relative to the new root */
};

struct copy {
	int root_fd;
	bool use_splice; /* copy_file_range refused to cross filesystems */
	int pipe[2];     /* what splice(2) copies through */
	const char *size_text;
	/* In a user namespace, the ids the kernel shows for an owner that is
	 * not mapped there (/proc/sys/kernel/overflowuid, 65534); else -1. */
	uid_t unmapped_uid;
	gid_t unmapped_gid;
	struct hard_link *links;
	size_t link_count;
	size_t link_capacity;
};

__attribute__((noreturn)) static void
die_copying(const struct copy *copy, const char *call, const char *path)
{
	int saved_errno = errno;

	if (saved_errno == ENOSPC) {
		errno = saved_errno;
		warn_errno("%s(\"%s\")", call, path);
		hint("the skeleton does not fit in --rootfs-size %s", copy->size_text);
		exit(EXIT_SETUP_FAILED);
	}
	if (saved_errno == EACCES && in_user_namespace()) {
		errno = saved_errno;
		warn_errno("%s(\"%s\")", call, path);
		hint("in a user namespace, root inside may read only what you may read on "
		     "the host: build the skeleton as yourself (make skelfs), or --skel");
		exit(EXIT_SETUP_FAILED);
	}
	errno = saved_errno;
	die_errno("%s(\"%s\")", call, path);
}

/* The speed work: the bytes go from file to file inside the kernel, never
 * through a buffer of ours. copy_file_range(2) does it within one
 * filesystem; between two (the host's disk and our new tmpfs, always, on
 * the first file) it refuses with EXDEV, and from then on
 * splice_through_pipe() does the work. What each gains is measured in
 * bench/RESULTS.md ("Copying the skeleton" and the list of what step5 does
 * for speed). */

/* splice(2): from the skeleton's page cache into a pipe and from the pipe
 * into the new file. sendfile(2) does the same through a pipe of the
 * kernel's that holds 64 KiB; ours holds 1 MiB (open_splice_pipe()), so
 * each round moves more and tmpfs can take larger folios for each write.
 * The pipe is empty between files: every byte read is written. */
static void
splice_through_pipe(const struct copy *copy, int from, int to, off_t size, const char *path)
{
	while (size > 0) {
		ssize_t in = splice(from, NULL, copy->pipe[1], NULL, (size_t)size, 0);
		if (in == -1)
			die_copying(copy, "splice", path);
		if (in == 0)
			return; /* the file shrank while we copied it */
		size -= in;
		while (in > 0) {
			ssize_t out = splice(copy->pipe[0], NULL, to, NULL, (size_t)in, 0);
			if (out == 0) /* cannot be: the pipe holds IN bytes, we its only reader */
				errno = EIO;
			if (out <= 0)
				die_copying(copy, "splice", path);
			in -= out;
		}
	}
}

static void
copy_file_contents(struct copy *copy, int from, int to, off_t size, const char *path)
{
	while (!copy->use_splice && size > 0) {
		ssize_t copied = copy_file_range(from, NULL, to, NULL, (size_t)size, 0);
		if (copied == -1 &&
		    (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == ENOSYS)) {
			narrate("copy_file_range: %s, using splice", strerror(errno));
			copy->use_splice = true;
		} else if (copied == -1) {
			die_copying(copy, "copy_file_range", path);
		} else if (copied == 0) {
			return; /* the file shrank while we copied it */
		} else {
			size -= copied;
		}
	}
	if (copy->use_splice)
		splice_through_pipe(copy, from, to, size, path);
}

/* The default size still works, only slower: the kernel may refuse 1 MiB
 * (ENOMEM, or EPERM past the per-user limits on pipe memory). */
static void
open_splice_pipe(int pipe_fds[2])
{
	narrate("pipe2(..., O_CLOEXEC)");
	if (pipe2(pipe_fds, O_CLOEXEC) == -1)
		die_call();
	narrate("fcntl(%d, F_SETPIPE_SZ, %d)", pipe_fds[1], 1 << 20);
	if (fcntl(pipe_fds[1], F_SETPIPE_SZ, 1 << 20) == -1)
		narrate("F_SETPIPE_SZ: %s, keeping the default pipe size", strerror(errno));
}

static const char *
find_hard_link(const struct copy *copy, const struct stat *status)
{
	for (size_t i = 0; i < copy->link_count; i++) {
		if (copy->links[i].device == status->st_dev && copy->links[i].inode == status->st_ino)
			return copy->links[i].path;
	}
	return NULL;
}

static void
remember_hard_link(struct copy *copy, const struct stat *status, const char *path)
{
	if (copy->link_count == copy->link_capacity) {
		copy->link_capacity = copy->link_capacity ? 2 * copy->link_capacity : 64;
		copy->links = realloc(copy->links, copy->link_capacity * sizeof(*copy->links));
		if (copy->links == NULL)
			die_errno("realloc");
	}
	struct hard_link *link = &copy->links[copy->link_count++];
	link->device = status->st_dev;
	link->inode = status->st_ino;
	link->path = strdup(path);
	if (link->path == NULL)
		die_errno("strdup");
}

/* In a user namespace, a file whose owner is not mapped there (root of
 * the host, with only the caller mapped) shows as owned by nobody, and
 * nobody may not be given to the copy (chown(2) says EINVAL, or with a
 * subuid range gives a real uid 65534). Such a copy stays with whoever
 * copies it: the container's root, the caller on the host. */
static void
owner_inside(const struct copy *copy, struct stat *status)
{
	if (status->st_uid == copy->unmapped_uid)
		status->st_uid = 0;
	if (status->st_gid == copy->unmapped_gid)
		status->st_gid = 0;
}

/* Owner first: chown(2) clears the set-user-ID and set-group-ID bits. */
static void
copy_attributes(const struct copy *copy, int fd, const struct stat *status, const char *path)
{
	const struct timespec times[2] = { status->st_atim, status->st_mtim };

	if (fchown(fd, status->st_uid, status->st_gid) == -1)
		die_copying(copy, "fchown", path);
	if (fchmod(fd, status->st_mode & 07777) == -1)
		die_copying(copy, "fchmod", path);
	if (futimens(fd, times) == -1)
		die_copying(copy, "futimens", path);
}

static void
copy_regular_file(struct copy *copy, int from_dir, int to_dir, const char *name,
		  const struct stat *status, const char *path)
{
	const char *first = status->st_nlink > 1 ? find_hard_link(copy, status) : NULL;

	if (first != NULL) {
		if (linkat(copy->root_fd, first, to_dir, name, 0) == -1)
			die_copying(copy, "linkat", path);
		return;
	}
	int from = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (from == -1)
		die_copying(copy, "openat", path);
	int to = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (to == -1)
		die_copying(copy, "openat", path);
	copy_file_contents(copy, from, to, status->st_size, path);
	copy_attributes(copy, to, status, path);
	close(from);
	close(to);
	if (status->st_nlink > 1)
		remember_hard_link(copy, status, path);
}

static void
copy_symlink(const struct copy *copy, int from_dir, int to_dir, const char *name,
	     const struct stat *status, const char *path)
{
	char target[PATH_MAX];
	const struct timespec times[2] = { status->st_atim, status->st_mtim };
	ssize_t length = readlinkat(from_dir, name, target, sizeof(target) - 1);

	if (length == -1)
		die_copying(copy, "readlinkat", path);
	target[length] = '\0';
	if (symlinkat(target, to_dir, name) == -1)
		die_copying(copy, "symlinkat", path);
	if (fchownat(to_dir, name, status->st_uid, status->st_gid, AT_SYMLINK_NOFOLLOW) == -1)
		die_copying(copy, "fchownat", path);
	if (utimensat(to_dir, name, times, AT_SYMLINK_NOFOLLOW) == -1)
		die_copying(copy, "utimensat", path);
}

static void copy_directory(struct copy *copy, int from_dir, int to_dir, const char *path);

static void
copy_entry(struct copy *copy, int from_dir, int to_dir, const char *name, const char *path)
{
	struct stat status;

	if (fstatat(from_dir, name, &status, AT_SYMLINK_NOFOLLOW) == -1)
		die_copying(copy, "fstatat", path);
	owner_inside(copy, &status);
	switch (status.st_mode & S_IFMT) {
	case S_IFDIR:
		if (mkdirat(to_dir, name, 0700) == -1)
			die_copying(copy, "mkdirat", path);
		int from = openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int to = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (from == -1 || to == -1)
			die_copying(copy, "openat", path);
		copy_directory(copy, from, to, path);
		/* Attributes last: a read-only directory must still be filled. */
		copy_attributes(copy, to, &status, path);
		close(from);
		close(to);
		break;
	case S_IFREG:
		copy_regular_file(copy, from_dir, to_dir, name, &status, path);
		break;
	case S_IFLNK:
		copy_symlink(copy, from_dir, to_dir, name, &status, path);
		break;
	case S_IFIFO:
		if (mknodat(to_dir, name, status.st_mode, 0) == -1)
			die_copying(copy, "mknodat", path);
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* A device node in the skeleton would give the container the
		 * host's device; step5 makes the few /dev needs itself. */
		die_with_status(EXIT_BAD_INPUT, "--skel: %s is a device node; a skeleton holds none",
				path);
	default:
		narrate("skipping %s: a socket is not copied", path);
	}
}

static void
copy_directory(struct copy *copy, int from_dir, int to_dir, const char *path)
{
	char child[PATH_MAX];
	int fd = dup(from_dir);
	DIR *directory = fd == -1 ? NULL : fdopendir(fd);
	struct dirent *entry;

	if (directory == NULL)
		die_copying(copy, "fdopendir", path);
	while ((errno = 0, entry = readdir(directory)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", path, *path ? "/" : "", entry->d_name) >=
		    (int)sizeof(child))
			die("skeleton path too long: %s/%s", path, entry->d_name);
		copy_entry(copy, from_dir, to_dir, entry->d_name, child);
	}
	if (errno != 0)
		die_copying(copy, "readdir", path);
	closedir(directory);
}

/* The number in /proc/sys/kernel/NAME (overflowuid, overflowgid). */
static unsigned
read_overflow_id(const char *name)
{
	char path[64], text[16] = "";

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	narrate("open(\"%s\", O_RDONLY): the id of owners unmapped in this user namespace", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		die_call();
	ssize_t length = read(fd, text, sizeof(text) - 1);
	if (length == -1)
		die_errno("read(%d<%s>)", fd, path);
	if (length == 0)
		die("read(%d<%s>): empty", fd, path);
	close(fd);
	return (unsigned)strtoul(text, NULL, 10);
}

void
copy_skeleton(int skeleton_fd, int root_fd, const char *size_text, bool user_namespace)
{
	struct copy copy = {
		.root_fd = root_fd,
		.size_text = size_text,
		.unmapped_uid = user_namespace ? read_overflow_id("overflowuid") : (uid_t)-1,
		.unmapped_gid = user_namespace ? read_overflow_id("overflowgid") : (gid_t)-1,
	};
	struct stat status;

	open_splice_pipe(copy.pipe);
	copy_directory(&copy, skeleton_fd, root_fd, "");
	narrate("fstat(%d)", skeleton_fd);
	if (fstat(skeleton_fd, &status) == -1)
		die_call();
	owner_inside(&copy, &status);
	copy_attributes(&copy, root_fd, &status, "/");
	for (size_t i = 0; i < copy.link_count; i++)
		free(copy.links[i].path);
	free(copy.links);
	close(copy.pipe[0]);
	close(copy.pipe[1]);
}
