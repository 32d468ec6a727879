/* dev.c: step5's /dev, a small one like Docker's.
 *
 * The host's /dev is every device of the machine: the disks, the memory
 * (/dev/mem), the kernel's log. The container gets a tmpfs with six nodes
 * bound from the host's /dev (null, zero, full, random, urandom, tty), the
 * devices asked for with --device, a devpts instance of its own, /dev/shm
 * and /dev/mqueue. The nodes are bound, not made with mknod, so that the
 * tmpfs itself can be nodev: a node the container makes there (CAP_MKNOD
 * stays in Docker's set) will not open. That is this project's choice, not
 * Docker's: runc mknods the nodes (createDevices() in its
 * libcontainer/rootfs_linux.go binds them only in a user namespace) on a
 * /dev without nodev (moby's oci/defaults.go), and leaves it to the device
 * cgroup to refuse other nodes; step7 sets no device rules.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../common/chain.h"
#include "dev.h"
#include "mounts.h"

/* A node is bound onto an empty file: a bind mount needs a target of the
 * same kind, and a file, unlike a node made with mknod, opens nothing. */
static void
bind_node(const char *source, const char *target)
{
	narrate("open(\"%s\", O_WRONLY|O_CREAT|O_CLOEXEC, 0666)", target);
	int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1)
		die_call();
	close(fd);
	narrate("mount(\"%s\", \"%s\", NULL, MS_BIND, NULL)", source, target);
	if (mount(source, target, NULL, MS_BIND, NULL) == -1)
		die_call();
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

/* A devpts instance of the container's own: it sees its own
 * pseudo-terminals only (newinstance, devpts in mount(8)). The container's
 * terminal, when it gets one, is made here at the end of the chain
 * (exec_command). No /dev/console: bound to the caller's terminal, it would
 * hand that terminal in again. */
static void
mount_devpts(void)
{
	const unsigned long flags = MS_NOSUID | MS_NOEXEC;
	const char *data = "newinstance,ptmxmode=0666,mode=0620,gid=5";

	make_directory("dev/pts", 0755);
	narrate("mount(\"devpts\", \"dev/pts\", \"devpts\", %s, \"%s\")", mount_flag_names(flags), data);
	if (mount("devpts", "dev/pts", "devpts", flags, data) == 0)
		return;
	if (errno != EINVAL || !in_user_namespace())
		die_call();
	/* gid 5 (tty) is not mapped in this user namespace (step0 without a
	 * subgid range): the terminals get the group of who opens them. */
	data = "newinstance,ptmxmode=0666,mode=0620";
	narrate("mount(\"devpts\", \"dev/pts\", \"devpts\", %s, \"%s\"): gid 5 is not mapped here",
		mount_flag_names(flags), data);
	if (mount("devpts", "dev/pts", "devpts", flags, data) == -1)
		die_call();
}

/* POSIX message queues of the container's IPC namespace (step1), as files:
 * mqueue shows the queues of the namespace of whoever mounts it. */
static void
mount_mqueue(void)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	make_directory("dev/mqueue", 0755);
	narrate("mount(\"mqueue\", \"dev/mqueue\", \"mqueue\", %s, NULL)", mount_flag_names(flags));
	if (mount("mqueue", "dev/mqueue", "mqueue", flags, NULL) == -1)
		die_call();
}

static void
make_symlink(const char *target, const char *path)
{
	narrate("symlink(\"%s\", \"%s\")", target, path);
	if (symlink(target, path) == -1 && errno != EEXIST)
		die_call();
}

void
make_dev(const struct options *options)
{
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };

	make_directory("dev", 0755);
	mount_tmpfs("dev", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755");
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++)
		bind_device(devices[i]);
	bind_given_devices(options);
	mount_devpts();
	make_symlink("pts/ptmx", "dev/ptmx");
	make_directory("dev/shm", 01777);
	mount_tmpfs("dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64m,mode=1777");
	mount_mqueue();
	make_symlink("/proc/self/fd", "dev/fd");
	make_symlink("/proc/self/fd/0", "dev/stdin");
	make_symlink("/proc/self/fd/1", "dev/stdout");
	make_symlink("/proc/self/fd/2", "dev/stderr");
}
