/* step5-rootfs: a root filesystem of the container's own, and the host's
 * out of reach.
 *
 * The talk's script:   mount -t tmpfs -o size=50M none newroot
 *                      rsync -a skelfs/ newroot; cd newroot
 *                      pivot_root . oldroot; mount -t proc proc /proc
 *                      PS1="[\u@\h \W]# " exec bash
 *
 * A mount namespace alone changes nothing a process sees: it starts as a
 * copy of the host's mounts. This step fills a fresh tmpfs with a copy of
 * the skeleton, gives it a /dev and a /proc, and then pivot_root(2) makes it
 * the root. The old root is then unmounted: only mounts can hold the host's
 * files, so once it is detached they are gone for the container.
 *
 * Beside this file: copy.c copies the skeleton as `rsync -a` does, dev.c
 * makes a small /dev like Docker's, mounts.c holds the mount helpers both
 * use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/chain.h"
#include "copy.h"
#include "dev.h"
#include "mounts.h"

/* Any existing directory can carry the new root: in our private mount
 * namespace, a mount over it hides it from no one else. /tmp exists on
 * every system, and making a directory instead would leave it on the host. */
#define NEW_ROOT "/tmp"

/* glibc has no wrapper for pivot_root(2). */
static int
pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* pivot_root here would replace the host's root for everyone. When this
 * step starts the chain, go on only in a mount namespace other than init's
 * (as under `unshare -m`); if init's cannot be read, assume the worst. */
static void
refuse_host_mount_namespace(void)
{
	struct stat ours, init;

	if (!chain_started_here())
		return; /* step4 (or step2) made a mount namespace before us */
	narrate("stat(\"/proc/self/ns/mnt\")");
	if (stat("/proc/self/ns/mnt", &ours) == -1)
		die_call();
	narrate("stat(\"/proc/1/ns/mnt\")");
	if (stat("/proc/1/ns/mnt", &init) == -1)
		die_with_status(EXIT_BAD_INPUT,
				"cannot tell whether this is the host's mount namespace (stat "
				"\"/proc/1/ns/mnt\": %s), and pivot_root there would replace the host's "
				"root: start at step4 (./step4 --until 5) or earlier",
				strerror(errno));
	if (ours.st_ino == init.st_ino)
		die_with_status(EXIT_BAD_INPUT,
				"refusing to run in the host's mount namespace, where pivot_root would "
				"replace the host's root: start at step4 (./step4 --until 5) or earlier");
}

static int
open_skeleton(const char *path)
{
	/* Opened before the tmpfs is mounted: the skeleton may be under /tmp. */
	narrate("open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", path);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		die_call();
	return fd;
}

/* The root is a tmpfs of --rootfs-size. nosuid and nodev: no set-user-ID
 * program and no device node made inside works there (CAP_MKNOD stays in
 * Docker's set, so the container can create nodes; they must not open).
 * In large pages where the kernel has them, which makes the copy cheaper
 * (mounts.c). */
static void
mount_root_tmpfs(const struct options *options)
{
	/* exercise 5.1: mount a tmpfs on NEW_ROOT, --rootfs-size large
	 * (options->rootfs_size, in bytes), its root directory 0755, nosuid
	 * and nodev: mount(2), tmpfs(5); mounts.h has a helper that narrates
	 * the call and asks for large pages */
	char data[64];

	snprintf(data, sizeof(data), "size=%llu,mode=0755", (unsigned long long)options->rootfs_size);
	mount_tmpfs_in_large_pages(NEW_ROOT, MS_NOSUID | MS_NODEV, data);
	/* end of exercise 5.1 */
}

static void
change_directory(const char *path)
{
	narrate("chdir(\"%s\")", path);
	if (chdir(path) == -1)
		die_call();
}

static void
make_root_copy(const struct options *options, int skeleton)
{
	mount_root_tmpfs(options);
	narrate("open(\"" NEW_ROOT "\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)");
	int root = open(NEW_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root == -1)
		die_call();
	narrate("copying %s into " NEW_ROOT ", as rsync -a", options->skel);
	copy_skeleton(skeleton, root, options->rootfs_size_text, options->user_namespace);
	close(root);
	change_directory(NEW_ROOT);
}

/* --overlay: the skeleton stays where it is, read-only, as the lower layer;
 * what the container writes goes to the tmpfs (the kernel's
 * Documentation/filesystems/overlayfs.rst). Nothing is copied, so a large
 * skeleton starts as fast as a small one. */
static void
make_root_overlay(const struct options *options, int skeleton)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV;
	char data[128];

	mount_root_tmpfs(options);
	make_directory(NEW_ROOT "/upper", 0755);
	make_directory(NEW_ROOT "/work", 0755);
	make_directory(NEW_ROOT "/root", 0755);
	/* The skeleton by descriptor: the tmpfs now hides it if it is under /tmp. */
	snprintf(data, sizeof(data), "lowerdir=/proc/self/fd/%d,upperdir=" NEW_ROOT
		 "/upper,workdir=" NEW_ROOT "/work", skeleton);
	narrate("mount(\"overlay\", \"" NEW_ROOT "/root\", \"overlay\", %s, \"%s\")",
		mount_flag_names(flags), data);
	if (mount("overlay", NEW_ROOT "/root", "overlay", flags, data) == -1)
		die_call();
	change_directory(NEW_ROOT "/root");
}

/* The PID namespace's own proc (step2 mounted one too, over the host's
 * root, which is about to go). */
static void
mount_proc(void)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	make_directory("proc", 0555);
	narrate("mount(\"proc\", \"proc\", \"proc\", %s, NULL)", mount_flag_names(flags));
	if (mount("proc", "proc", "proc", flags, NULL) == -1)
		die_call();
}

/* The new root is the working directory. The old root goes on top of it
 * rather than into a directory of it: no oldroot directory is needed, and
 * none can be left behind (pivot_root(2), NOTES). */
static void
pivot_into_new_root(void)
{
	/* exercise 5.2: make the working directory the root of this mount
	 * namespace, the old root stacked on top of it: pivot_root(2), its
	 * NOTES above all (glibc has no wrapper: pivot_root() above is
	 * ours); on EINVAL, hint that / may be shared */
	narrate("pivot_root(\".\", \".\")");
	if (pivot_root(".", ".") == -1) {
		warn_call();
		if (errno == EINVAL)
			hint("is / a shared mount? step4 makes it private");
		exit(EXIT_SETUP_FAILED);
	}
	/* end of exercise 5.2 */
	/* exercise 5.3: take the old root, the host's whole mount tree, off
	 * the new one; it is busy (this step's own binary came from it), so
	 * detach it now and let the kernel free it when its last user is
	 * gone: umount2(2), pivot_root(2) NOTES; then stand in the new "/" */
	narrate("umount2(\".\", MNT_DETACH)");
	if (umount2(".", MNT_DETACH) == -1)
		die_call();
	change_directory("/");
	/* end of exercise 5.3 */
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(5, "step5-rootfs", argc, argv, &options);
	refuse_host_mount_namespace();
	int skeleton = open_skeleton(options.skel);

	if (options.overlay)
		make_root_overlay(&options, skeleton);
	else
		make_root_copy(&options, skeleton);
	fault_point("step5-root");
	make_dev(&options);
	mount_proc();
	fault_point("step5-mounts");
	pivot_into_new_root();
	fault_point("step5-pivot");
	close(skeleton);
	exec_next(&options);
}
