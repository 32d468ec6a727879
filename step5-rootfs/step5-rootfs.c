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
	if (stat("/proc/self/ns/mnt", &ours) == -1)
		die_errno("stat(\"/proc/self/ns/mnt\")");
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
	narrate("open(\"%s\", O_RDONLY|O_DIRECTORY)", path);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		die_errno("open(\"%s\")", path);
	return fd;
}

static int
try_mount_tmpfs(const char *target, unsigned long flags, const char *data)
{
	narrate("mount(\"tmpfs\", \"%s\", \"tmpfs\", 0x%lx, \"%s\")", target, flags, data);
	return mount("tmpfs", target, "tmpfs", flags, data);
}

static void
mount_tmpfs(const char *target, unsigned long flags, const char *data)
{
	if (try_mount_tmpfs(target, flags, data) == -1)
		die_errno("mount(\"tmpfs\", \"%s\", \"tmpfs\", \"%s\")", target, data);
}

static void
make_directory(const char *path, mode_t mode)
{
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		die_errno("mkdir(\"%s\")", path);
}

/* The root is a tmpfs of --rootfs-size. nosuid and nodev: no set-user-ID
 * program and no device node made inside works there (CAP_MKNOD stays in
 * Docker's set, so the container can create nodes; they must not open).
 *
 * huge=within_size lets tmpfs keep a file in pages larger than 4 KiB, as
 * far as the file's size goes: the copy then allocates, charges and at exit
 * frees a few hundred large pages instead of 4000 small ones (with copy.c's
 * splice, ~11 -> ~4 ms to copy and ~2.7 -> ~0.5 ms to free, bench/RESULTS.md).
 * Kernels built without transparent huge pages refuse the option with
 * EINVAL: the same tmpfs without it will do. */
static void
mount_root_tmpfs(const struct options *options)
{
	char data[96];
	unsigned long long size = options->rootfs_size;

	snprintf(data, sizeof(data), "size=%llu,mode=0755,huge=within_size", size);
	if (try_mount_tmpfs(NEW_ROOT, MS_NOSUID | MS_NODEV, data) == 0)
		return;
	if (errno != EINVAL)
		die_errno("mount(\"tmpfs\", \"" NEW_ROOT "\", \"tmpfs\", \"%s\")", data);
	narrate("EINVAL: again without huge=");
	snprintf(data, sizeof(data), "size=%llu,mode=0755", size);
	mount_tmpfs(NEW_ROOT, MS_NOSUID | MS_NODEV, data);
}

static void
make_root_copy(const struct options *options, int skeleton)
{
	mount_root_tmpfs(options);
	int root = open(NEW_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root == -1)
		die_errno("open(\"" NEW_ROOT "\")");
	narrate("copying %s into " NEW_ROOT " (copy_file_range or splice, as rsync -a)", options->skel);
	copy_skeleton(skeleton, root, options->rootfs_size_text);
	close(root);
	if (chdir(NEW_ROOT) == -1)
		die_errno("chdir(\"" NEW_ROOT "\")");
}

/* --overlay: the skeleton stays where it is, read-only, as the lower layer;
 * what the container writes goes to the tmpfs (overlayfs(5)). Nothing is
 * copied, so a large skeleton starts as fast as a small one. */
static void
make_root_overlay(const struct options *options, int skeleton)
{
	char data[128];

	mount_root_tmpfs(options);
	make_directory(NEW_ROOT "/upper", 0755);
	make_directory(NEW_ROOT "/work", 0755);
	make_directory(NEW_ROOT "/root", 0755);
	/* The skeleton by descriptor: the tmpfs now hides it if it is under /tmp. */
	snprintf(data, sizeof(data), "lowerdir=/proc/self/fd/%d,upperdir=" NEW_ROOT
		 "/upper,workdir=" NEW_ROOT "/work", skeleton);
	narrate("mount(\"overlay\", \"" NEW_ROOT "/root\", \"overlay\", MS_NOSUID|MS_NODEV, \"%s\")",
		data);
	if (mount("overlay", NEW_ROOT "/root", "overlay", MS_NOSUID | MS_NODEV, data) == -1)
		die_errno("mount(\"overlay\", \"" NEW_ROOT "/root\", \"overlay\", \"%s\")", data);
	if (chdir(NEW_ROOT "/root") == -1)
		die_errno("chdir(\"" NEW_ROOT "/root\")");
}

/* A node is bound onto an empty file: a bind mount needs a target of the
 * same kind, and a file, unlike a node made with mknod, opens nothing. */
static void
bind_node(const char *source, const char *target)
{
	int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1)
		die_errno("open(\"%s\", O_CREAT)", target);
	close(fd);
	narrate("mount(\"%s\", \"%s\", NULL, MS_BIND, NULL)", source, target);
	if (mount(source, target, NULL, MS_BIND, NULL) == -1)
		die_errno("mount(\"%s\", \"%s\", NULL, MS_BIND)", source, target);
}

static void
bind_device(const char *name)
{
	char source[32], target[32];

	snprintf(source, sizeof(source), "/dev/%s", name);
	snprintf(target, sizeof(target), "dev/%s", name);
	bind_node(source, target);
}

/* --device: the host's node, at CONTAINER_PATH (under /dev, checked by the
 * parser), its directories made on the way (/dev/mapper/...). Docker makes
 * the node with mknod; a bind keeps /dev nodev. On v1 the cgroup's device
 * list is the host's allow-all (step7-cgroup/README.md). */
static void
bind_given_devices(const struct options *options)
{
	char target[256];

	for (unsigned i = 0; i < options->device_count; i++) {
		const struct device *device = &options->devices[i];
		snprintf(target, sizeof(target), "%s", device->container_path + 1); /* no "/" */
		for (char *slash = strchr(target + 4, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			make_directory(target, 0755);
			*slash = '/';
		}
		bind_node(device->host_path, target);
	}
}

static void
make_symlink(const char *target, const char *path)
{
	if (symlink(target, path) == -1 && errno != EEXIST)
		die_errno("symlink(\"%s\", \"%s\")", target, path);
}

/* A small /dev, as Docker's: a tmpfs with the usual nodes bound from the
 * host's /dev. Bound, not made with mknod, so that the tmpfs itself can be
 * nodev: a node the container makes there will not open. */
static void
make_dev(const struct options *options)
{
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };

	make_directory("dev", 0755);
	mount_tmpfs("dev", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755");
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++)
		bind_device(devices[i]);
	bind_given_devices(options);
	/* A devpts instance of the container's own: it sees its own
	 * pseudo-terminals only (newinstance, devpts in mount(8)). The
	 * container's terminal, when it gets one, is made here at the end of
	 * the chain (exec_command). No /dev/console: bound to the caller's
	 * terminal, it would hand that terminal in again. */
	make_directory("dev/pts", 0755);
	narrate("mount(\"devpts\", \"dev/pts\", \"devpts\", MS_NOSUID|MS_NOEXEC, "
		"\"newinstance,ptmxmode=0666,mode=0620,gid=5\")");
	if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5") == -1)
		die_errno("mount(\"devpts\", \"dev/pts\", \"devpts\")");
	make_symlink("pts/ptmx", "dev/ptmx");
	make_directory("dev/shm", 01777);
	mount_tmpfs("dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64m,mode=1777");
	/* POSIX message queues of the container's IPC namespace (step1), as
	 * files: mqueue shows the queues of the namespace of whoever mounts it. */
	make_directory("dev/mqueue", 0755);
	narrate("mount(\"mqueue\", \"dev/mqueue\", \"mqueue\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)");
	if (mount("mqueue", "dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		die_errno("mount(\"mqueue\", \"dev/mqueue\", \"mqueue\", MS_NOSUID|MS_NODEV|MS_NOEXEC)");
	make_symlink("/proc/self/fd", "dev/fd");
	make_symlink("/proc/self/fd/0", "dev/stdin");
	make_symlink("/proc/self/fd/1", "dev/stdout");
	make_symlink("/proc/self/fd/2", "dev/stderr");
}

/* The PID namespace's own proc (step2 mounted one too, over the host's
 * root, which is about to go). */
static void
mount_proc(void)
{
	make_directory("proc", 0555);
	narrate("mount(\"proc\", \"proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)");
	if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		die_errno("mount(\"proc\", \"proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)");
}

/* pivot_root(".", ".") stacks the old root on top of the new one at "/";
 * unmounting "." then takes it away. No oldroot directory is needed, and
 * none is left behind (pivot_root(2), NOTES). */
static void
pivot_into_new_root(void)
{
	narrate("pivot_root(\".\", \".\")");
	if (pivot_root(".", ".") == -1) {
		int saved_errno = errno;
		warn_errno("pivot_root(\".\", \".\")");
		if (saved_errno == EINVAL)
			hint("is / a shared mount? step4 makes it private");
		exit(EXIT_SETUP_FAILED);
	}
	/* MNT_DETACH: the old root is busy (our own binary came from it);
	 * detach it now, the kernel frees it when the last user is gone. */
	narrate("umount2(\".\", MNT_DETACH)");
	if (umount2(".", MNT_DETACH) == -1)
		die_errno("umount2(\".\", MNT_DETACH)");
	narrate("chdir(\"/\")");
	if (chdir("/") == -1)
		die_errno("chdir(\"/\")");
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
