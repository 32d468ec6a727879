/* escape-probe NAME [ARGUMENT...]: try one classic container escape, harmlessly,
 * and say whether it worked:
 *
 *   NAME: ESCAPED (<what worked>)       exit 0
 *   NAME: blocked (<call: strerror>)    exit 1
 *   usage error                         exit 2
 *
 * For tests/escapes.bats, inside the container (build/test-skel has it in
 * /usr/local/bin). "ESCAPED" means the primitive an escape needs is there:
 * each attempt stops at the first step that would change anything outside
 * the probe. Nothing is written to /proc (files are opened for writing and
 * closed), no module is loaded (init_module gets a 4-byte image the loader
 * rejects), a disk is only read (512 bytes), a cgroup hierarchy is only
 * mounted, looked at and unmounted, a BPF map is created and closed, a
 * keyring joined is the probe's own, text pushed into the terminal with
 * TIOCSTI is a shell comment, a process that clears its parent-death
 * signal only sleeps, a router advert (for a documentation prefix) or an
 * echo request with a forged source goes only to the container's own veth
 * peer, an io_uring is created and closed unused, a vsock socket is bound
 * and closed without a connection, and what the probe takes of a count or
 * of memory (timers, socket buffers on loopback) is bounded by its
 * arguments and given back when it exits, and a program written into the
 * container's own /tmp only prints its usage (to /dev/null) and is removed.
 *
 * Where the kernel checks a capability before the call does anything, its
 * EPERM and the seccomp filter's look the same; tests/escapes.bats tells
 * them apart by running with --seccomp unconfined or --cap-add.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/vm_sockets.h>
#include <mqueue.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum outcome { ESCAPED, BLOCKED };

struct result {
	char detail[512];
	unsigned hold; /* seconds to wait after the verdict, holding what was taken */
};

struct escape {
	const char *name;
	const char *usage; /* its arguments */
	int minimum_arguments;
	enum outcome (*attempt)(char **arguments, int count, struct result *result);
};

static enum outcome
say(struct result *result, enum outcome outcome, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(result->detail, sizeof(result->detail), format, arguments);
	va_end(arguments);
	return outcome;
}

/* "call: strerror(errno)", the usual reason for BLOCKED. */
static enum outcome
failed(struct result *result, const char *call)
{
	return say(result, BLOCKED, "%s: %s", call, strerror(errno));
}

/* failed(), with the call's arguments. */
__attribute__((format(printf, 2, 3))) static enum outcome
failed_call(struct result *result, const char *format, ...)
{
	char call[256];
	int saved_errno = errno;
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(call, sizeof(call), format, arguments);
	va_end(arguments);
	errno = saved_errno;
	return failed(result, call);
}

/* --- open_by_handle_at: "shocker" --------------------------------------- */

/* Docker 0.11's shocker.c took a handle for a file of the host's disk (a
 * bind-mounted /.dockerinit gave it a descriptor there) and opened files by
 * handle, with no path and so no mount namespace in the way. Here the file
 * is the container's own: what is tested is that the two calls work. */
static enum outcome
shocker(char **arguments, int count, struct result *result)
{
	const char *path = count > 0 ? arguments[0] : "/etc/passwd";
	struct {
		struct file_handle handle;
		unsigned char bytes[MAX_HANDLE_SZ];
	} buffer = { .handle.handle_bytes = MAX_HANDLE_SZ };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, path, &buffer.handle, &mount_id, 0) == -1)
		return failed(result, "name_to_handle_at");
	/* Any file of that filesystem, but not O_PATH: the call ignores those (EBADF). */
	int mount_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (mount_fd == -1)
		return failed(result, "open");
	int fd = open_by_handle_at(mount_fd, &buffer.handle, O_RDONLY | O_CLOEXEC);
	close(mount_fd);
	if (fd == -1)
		return failed(result, "open_by_handle_at");
	close(fd);
	return say(result, ESCAPED, "opened %s by a %u-byte handle, without its path", path,
		   buffer.handle.handle_bytes);
}

/* --- host-wide files in /proc ------------------------------------------- */

/* Opened for writing and closed: a write is what would act. */
static enum outcome
open_for_writing(const char *path, struct result *result)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd == -1)
		return failed(result, "open O_WRONLY");
	close(fd);
	return say(result, ESCAPED, "%s opened for writing, nothing written", path);
}

static enum outcome
sysrq_trigger(char **arguments, int count, struct result *result)
{
	(void)arguments, (void)count;
	return open_for_writing("/proc/sysrq-trigger", result);
}

/* /proc/interrupts counts every interrupt of every CPU of the machine: from
 * its timer and network lines, a process watches what the host and the other
 * containers do (GHSA-6fw5-f8r9-fgfm). Only read. */
static enum outcome
interrupts(char **arguments, int count, struct result *result)
{
	char buffer[4096];
	ssize_t length;
	int fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);

	(void)arguments, (void)count;
	if (fd == -1)
		return failed(result, "open");
	length = read(fd, buffer, sizeof(buffer) - 1);
	close(fd);
	if (length == -1)
		return failed(result, "read");
	if (length == 0)
		return say(result, BLOCKED, "/proc/interrupts reads empty");
	buffer[length] = '\0';
	return say(result, ESCAPED, "/proc/interrupts shows the host's counters%s",
		   strstr(buffer, "CPU0") ? ", from CPU0 on" : "");
}

static enum outcome
core_pattern(char **arguments, int count, struct result *result)
{
	(void)arguments, (void)count;
	return open_for_writing("/proc/sys/kernel/core_pattern", result);
}

/* --- cgroup v1 release_agent (CVE-2022-0492 and the 2019 PoCs) ---------- */

/* A cgroup v1 hierarchy's root has release_agent: a program the kernel
 * runs as root on the host when a cgroup empties. The probe mounts a
 * hierarchy on a directory of its own, checks the file is there and
 * unmounts. A controller already used by cgroup v2 cannot be mounted as v1
 * (EBUSY): the next one is tried. */
static enum outcome
release_agent(char **arguments, int count, struct result *result)
{
	static const char *const hierarchies[] = { "memory", "pids", "cpu", "devices", "freezer",
						   "none,name=escape-probe" };
	char directory[] = "/tmp/escape-probe.XXXXXX", file[64];
	enum outcome outcome;
	size_t i;

	(void)arguments, (void)count;
	if (mkdtemp(directory) == NULL)
		return failed(result, "mkdtemp");
	int mounted = -1;
	for (i = 0; i < sizeof(hierarchies) / sizeof(*hierarchies); i++) {
		mounted = mount("cgroup", directory, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				hierarchies[i]);
		if (mounted == 0 || errno != EBUSY)
			break;
	}
	if (mounted == -1) {
		outcome = failed(result, "mount -t cgroup");
		rmdir(directory);
		return outcome;
	}
	snprintf(file, sizeof(file), "%s/release_agent", directory);
	if (access(file, F_OK) == 0)
		outcome = say(result, ESCAPED, "mounted cgroup v1 -o %s, release_agent is there",
			      hierarchies[i]);
	else
		outcome = say(result, BLOCKED, "mounted cgroup v1 -o %s, no release_agent: %s",
			      hierarchies[i], strerror(errno));
	if (umount2(directory, 0) == -1)
		return failed(result, "umount2");
	rmdir(directory);
	return outcome;
}

/* --- a device node (the host's disk) ---------------------------------------- */

/* "b MAJOR:MINOR" or "c MAJOR:MINOR": the node's type and number. */
static int
parse_device(char **arguments, mode_t *type, dev_t *device)
{
	unsigned major, minor;
	char end;

	if (strcmp(arguments[0], "b") != 0 && strcmp(arguments[0], "c") != 0)
		return -1;
	*type = arguments[0][0] == 'b' ? S_IFBLK : S_IFCHR;
	if (sscanf(arguments[1], "%u:%u%c", &major, &minor, &end) != 2)
		return -1;
	*device = makedev(major, minor);
	return 0;
}

/* mknod DIRECTORY/escape-probe-node, open it read-only, read 512 bytes
 * (into a buffer nobody looks at), remove it. */
static enum outcome
read_through_node(const char *directory, mode_t type, dev_t device, struct result *result)
{
	char path[256], sector[512];
	enum outcome outcome;

	snprintf(path, sizeof(path), "%s/escape-probe-node", directory);
	if (mknod(path, type | 0600, device) == -1)
		return failed(result, "mknod");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		outcome = say(result, BLOCKED, "mknod %s worked, open: %s", path, strerror(errno));
	} else {
		ssize_t length = read(fd, sector, sizeof(sector));
		outcome = length == -1 ? failed(result, "read")
				       : say(result, ESCAPED, "read %zd bytes of %s device %u:%u",
					     length, type == S_IFBLK ? "block" : "character",
					     major(device), minor(device));
		close(fd);
	}
	unlink(path);
	return outcome;
}

static enum outcome
mknod_node(char **arguments, int count, struct result *result)
{
	mode_t type;
	dev_t device;

	if (parse_device(arguments, &type, &device) == -1)
		return say(result, BLOCKED, "%s %s: not b|c MAJOR:MINOR", arguments[0], arguments[1]);
	return read_through_node(count > 2 ? arguments[2] : "/tmp", type, device, result);
}

/* The same on a tmpfs the probe mounts itself, without nodev. */
static enum outcome
mknod_node_own_tmpfs(char **arguments, int count, struct result *result)
{
	char directory[] = "/tmp/escape-probe.XXXXXX";
	mode_t type;
	dev_t device;
	enum outcome outcome;

	(void)count;
	if (parse_device(arguments, &type, &device) == -1)
		return say(result, BLOCKED, "%s %s: not b|c MAJOR:MINOR", arguments[0], arguments[1]);
	if (mkdtemp(directory) == NULL)
		return failed(result, "mkdtemp");
	if (mount("tmpfs", directory, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k") == -1) {
		outcome = failed(result, "mount -t tmpfs");
		rmdir(directory);
		return outcome;
	}
	outcome = read_through_node(directory, type, device, result);
	if (umount2(directory, 0) == -1)
		return failed(result, "umount2");
	rmdir(directory);
	return outcome;
}

/* --- namespaces --------------------------------------------------------- */

/* The new namespace is the probe's own and ends with it. */
static enum outcome
unshare_user(char **arguments, int count, struct result *result)
{
	(void)arguments, (void)count;
	if (unshare(CLONE_NEWUSER) == -1)
		return failed(result, "unshare(CLONE_NEWUSER)");
	return say(result, ESCAPED, "a new user namespace, with every capability in it");
}

static enum outcome
unshare_mount(char **arguments, int count, struct result *result)
{
	(void)arguments, (void)count;
	if (unshare(CLONE_NEWNS) == -1)
		return failed(result, "unshare(CLONE_NEWNS)");
	return say(result, ESCAPED, "a new mount namespace");
}

/* Into the namespace the probe is in already, by default: the call is
 * what is tested. */
static enum outcome
enter_namespace(char **arguments, int count, struct result *result)
{
	const char *path = count > 0 ? arguments[0] : "/proc/self/ns/net";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return failed(result, "open");
	if (setns(fd, 0) == -1) {
		enum outcome outcome = failed(result, "setns");
		close(fd);
		return outcome;
	}
	close(fd);
	return say(result, ESCAPED, "setns(\"%s\") worked", path);
}

/* --- host paths: the old root, /proc links, inherited descriptors ------- */

/* MARKER (an absolute path on the host) seen from DIRECTORY and from every
 * directory above it: a descriptor to a host directory reaches the host's
 * root by "..", as runc's CVE-2024-21626 did from its leaked cgroup fd.
 * Returns the level at which it was found, or -1. */
static int
find_above(int directory, const char *marker)
{
	struct stat here, above;
	int fd = dup(directory);

	for (int level = 0; fd != -1 && level < 256; level++) {
		struct stat found;
		if (fstatat(fd, marker + 1, &found, 0) == 0) {
			close(fd);
			return level;
		}
		int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (parent == -1 || fstat(fd, &here) == -1 || fstat(parent, &above) == -1) {
			if (parent != -1)
				close(parent);
			break;
		}
		close(fd);
		fd = parent;
		if (here.st_dev == above.st_dev && here.st_ino == above.st_ino)
			break; /* a root: ".." is itself */
	}
	if (fd != -1)
		close(fd);
	return -1;
}

static enum outcome
find_through(const char *link, const char *marker, struct result *result)
{
	int fd = open(link, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1)
		return failed(result, "open");
	int level = find_above(fd, marker);
	close(fd);
	if (level >= 0)
		return say(result, ESCAPED, "%s reached through %s%s", marker, link,
			   level > 0 ? " and .." : "");
	return say(result, BLOCKED, "%s: not reachable through %s or above it", marker, link);
}

static enum outcome
host_path(char **arguments, int count, struct result *result)
{
	struct stat found;

	(void)count;
	if (stat(arguments[0], &found) == 0)
		return say(result, ESCAPED, "%s is there", arguments[0]);
	return failed(result, "stat");
}

static enum outcome
proc_1_root(char **arguments, int count, struct result *result)
{
	(void)count;
	return find_through("/proc/1/root", arguments[0], result);
}

static enum outcome
proc_self_cwd(char **arguments, int count, struct result *result)
{
	(void)count;
	return find_through("/proc/self/cwd", arguments[0], result);
}

/* Every descriptor above 2 the probe was started with. */
static enum outcome
inherited_fd(char **arguments, int count, struct result *result)
{
	char open_fds[256] = "";
	size_t used = 0;

	(void)count;
	for (int fd = 3; fd < 1024; fd++) {
		struct stat status;
		if (fcntl(fd, F_GETFD) == -1)
			continue;
		used += (size_t)snprintf(open_fds + used, sizeof(open_fds) - used, " %d", fd);
		if (used >= sizeof(open_fds))
			used = sizeof(open_fds) - 1;
		if (fstat(fd, &status) == -1 || !S_ISDIR(status.st_mode))
			continue;
		int level = find_above(fd, arguments[0]);
		if (level >= 0)
			return say(result, ESCAPED, "%s reached through descriptor %d%s", arguments[0],
				   fd, level > 0 ? " and .." : "");
	}
	if (used == 0)
		return say(result, BLOCKED, "no descriptor above 2");
	return say(result, BLOCKED, "descriptors%s: none reaches %s", open_fds, arguments[0]);
}

/* --- the kernel: modules, keyrings, bpf --------------------------------- */

/* Four bytes are no ELF header: a loader that gets them refuses with
 * ENOEXEC. EPERM comes before the image is looked at (no CAP_SYS_MODULE,
 * modules_disabled, or the filter); ENOSYS from a kernel without modules. */
static enum outcome
load_module(char **arguments, int count, struct result *result)
{
	static const char image[4];

	(void)arguments, (void)count;
	if (syscall(SYS_init_module, image, sizeof(image), "") == 0)
		return say(result, ESCAPED, "init_module loaded a 4-byte image?");
	if (errno == EPERM)
		return failed(result, "init_module");
	if (errno == ENOSYS)
		return say(result, BLOCKED, "init_module: %s: this kernel has no modules",
			   strerror(errno));
	return say(result, ESCAPED, "init_module reached the module loader, which refused the image: %s",
		   strerror(errno));
}

/* A new anonymous session keyring, the probe's own. What it shows: the
 * keyrings are not namespaced, and root's user keyring inside is the
 * host root's (its id is printed, for the test to compare). */
static enum outcome
keyring(char **arguments, int count, struct result *result)
{
	(void)arguments, (void)count;
	long session = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL);
	if (session == -1)
		return failed(result, "keyctl(KEYCTL_JOIN_SESSION_KEYRING)");
	long user = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 1);
	if (user == -1)
		return failed(result, "keyctl(KEYCTL_GET_KEYRING_ID)");
	return say(result, ESCAPED, "joined session keyring %ld; user keyring %ld", session, user);
}

/* The smallest map: an array of one 4-byte value. */
static enum outcome
bpf_map(char **arguments, int count, struct result *result)
{
	union bpf_attr attributes;

	(void)arguments, (void)count;
	memset(&attributes, 0, sizeof(attributes));
	attributes.map_type = BPF_MAP_TYPE_ARRAY;
	attributes.key_size = 4;
	attributes.value_size = 4;
	attributes.max_entries = 1;
	int fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attributes, sizeof(attributes));
	if (fd == -1)
		return failed(result, "bpf(BPF_MAP_CREATE)");
	close(fd);
	return say(result, ESCAPED, "created a BPF array map");
}

/* --- the caller's terminal ---------------------------------------------- */

/* TIOCSTI pushes characters into a terminal's input, as if typed: whoever
 * reads the terminal next (the host's shell, once the container is gone)
 * reads them (CVE-2017-5226 in bubblewrap). The text is a shell comment. */
static enum outcome
push_input(unsigned long request, const char *call, char **arguments, int count,
	   struct result *result)
{
	const char *text = count > 0 ? arguments[0] : "# pushed by escape-probe\n";

	if (!isatty(STDIN_FILENO))
		return failed(result, "isatty(0)");
	for (const char *c = text; *c != '\0'; c++)
		if (ioctl(STDIN_FILENO, request, c) == -1)
			return failed(result, call);
	return say(result, ESCAPED, "pushed %zu characters into the terminal's input", strlen(text));
}

static enum outcome
tiocsti(char **arguments, int count, struct result *result)
{
	return push_input(TIOCSTI, "ioctl(0, TIOCSTI)", arguments, count, result);
}

/* The kernel reads ioctl's request as an unsigned int: with bit 32 set it
 * is still TIOCSTI, but a filter that compares all 64 bits sees another
 * request (Flatpak's CVE-2019-10063). */
static enum outcome
tiocsti_high(char **arguments, int count, struct result *result)
{
	return push_input(TIOCSTI | 1UL << 32, "ioctl(0, TIOCSTI | 1UL << 32)", arguments, count,
			  result);
}

/* --- the host's IPC objects -------------------------------------------- */

/* A System V segment is found by its number alone: without an IPC
 * namespace of its own, the container sees (and could remove) the host's. */
static enum outcome
shm_segment(char **arguments, int count, struct result *result)
{
	struct shmid_ds segment;
	int id = atoi(arguments[0]);

	(void)count;
	if (shmctl(id, IPC_STAT, &segment) == -1)
		return failed_call(result, "shmctl(%d, IPC_STAT)", id);
	return say(result, ESCAPED, "shmctl(%d, IPC_STAT) saw a segment of %zu bytes", id,
		   (size_t)segment.shm_segsz);
}

static enum outcome
message_queue(char **arguments, int count, struct result *result)
{
	(void)count;
	mqd_t queue = mq_open(arguments[0], O_RDONLY);
	if (queue == (mqd_t)-1)
		return failed_call(result, "mq_open(\"%s\")", arguments[0]);
	mq_close(queue);
	return say(result, ESCAPED, "opened the POSIX message queue %s", arguments[0]);
}

/* --- the caller's descriptors 0-2 ---------------------------------------- */

/* A directory handed in as stdin is a way out of any root: fchdir to it,
 * then ".." up to the host's /. */
static enum outcome
stdin_directory(char **arguments, int count, struct result *result)
{
	(void)count;
	if (fchdir(STDIN_FILENO) == -1)
		return failed(result, "fchdir(0)");
	for (int i = 0; i < 32; i++)
		if (chdir("..") == -1)
			return failed(result, "chdir(\"..\")");
	int fd = open(arguments[0] + (arguments[0][0] == '/'), O_RDONLY);
	if (fd == -1)
		return failed_call(result, "open(\"%s\") from descriptor 0 and ..", arguments[0]);
	close(fd);
	return say(result, ESCAPED, "%s reached through descriptor 0 and ..", arguments[0]);
}

static const char *
file_type(mode_t mode)
{
	return S_ISREG(mode) ? "file" : S_ISDIR(mode) ? "directory" : S_ISFIFO(mode) ? "pipe"
		: S_ISCHR(mode) ? "terminal or device" : S_ISSOCK(mode) ? "socket" : "other";
}

/* A file of the caller's as 0, 1 or 2 is reopened read-write through
 * /proc/self/fd (a new open, so its read-only mode does not hold; root
 * keeps CAP_DAC_OVERRIDE). Opened and closed, nothing written. */
static enum outcome
stdio_reopen(char **arguments, int count, struct result *result)
{
	char path[32], types[64] = "";
	struct stat status;

	(void)arguments, (void)count;
	for (int fd = 0; fd <= 2; fd++) {
		if (fstat(fd, &status) == -1)
			return failed_call(result, "fstat(%d)", fd);
		snprintf(types + strlen(types), sizeof(types) - strlen(types), "%s%s",
			 fd > 0 ? ", " : "", file_type(status.st_mode));
		if (!S_ISREG(status.st_mode))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		int reopened = open(path, O_RDWR);
		if (reopened == -1)
			return failed_call(result, "open(\"%s\", O_RDWR)", path);
		close(reopened);
		return say(result, ESCAPED, "descriptor %d is a file of the caller's, reopened "
			   "read-write through %s", fd, path);
	}
	return say(result, BLOCKED, "no file of the caller's: 0, 1, 2 are %s", types);
}

/* --- the caller's terminal ----------------------------------------------- */

/* What a hostile container does to the terminal it was given: takes the
 * foreground, turns echo and line editing off, sets O_NONBLOCK on the open
 * file (shared with whoever else has it open). Whether that terminal was
 * the caller's the test sees from outside, after the container is gone. */
static enum outcome
terminal_takeover(char **arguments, int count, struct result *result)
{
	struct termios modes;

	(void)arguments, (void)count;
	if (!isatty(STDIN_FILENO))
		return failed(result, "isatty(0)");
	int foreground = tcsetpgrp(STDIN_FILENO, getpgrp());
	if (tcgetattr(STDIN_FILENO, &modes) == -1)
		return failed(result, "tcgetattr(0)");
	modes.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &modes) == -1)
		return failed(result, "tcsetattr(0, -echo -icanon)");
	int flags = fcntl(STDIN_FILENO, F_GETFL);
	if (flags == -1 || fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK) == -1)
		return failed(result, "fcntl(0, F_SETFL, O_NONBLOCK)");
	return say(result, ESCAPED, "%s, echo and line editing off, O_NONBLOCK on %s",
		   foreground == 0 ? "took the foreground" : "not the foreground",
		   ttyname(STDIN_FILENO) ? ttyname(STDIN_FILENO) : "the terminal");
}

/* --- outliving the supervisor ------------------------------------------ */

/* step2 sets PR_SET_PDEATHSIG to SIGKILL so that the container's first
 * process dies with its supervisor. The setting belongs to that process,
 * which is this one once COMMAND is executed, and prctl(2) needs no
 * privilege to clear it: then a SIGKILL of the supervisor leaves the
 * container running, on the host's init, with its cgroup and network.
 * What stops it is outside: the next start (tests/escapes.bats). */
static enum outcome
orphan(char **arguments, int count, struct result *result)
{
	unsigned seconds = count > 0 ? (unsigned)strtoul(arguments[0], NULL, 10) : 30;
	int signal_number = 0;

	if (prctl(PR_GET_PDEATHSIG, &signal_number) == -1)
		return failed(result, "prctl(PR_GET_PDEATHSIG)");
	if (prctl(PR_SET_PDEATHSIG, 0) == -1)
		return failed(result, "prctl(PR_SET_PDEATHSIG, 0)");
	/* For the test to know when to kill the supervisor. */
	printf("orphan: PR_SET_PDEATHSIG cleared (was %d), sleeping %u s\n", signal_number,
	       seconds);
	fflush(stdout);
	sleep(seconds);
	return say(result, ESCAPED, "ran %u s with PR_SET_PDEATHSIG cleared", seconds);
}

/* --- the host end of the veth: router adverts, forged sources ----------- */

/* The container can always send these (CAP_NET_RAW is in Docker's set):
 * what stops them is the host end, which the probe cannot see, so ESCAPED
 * says only that they went out, and the test looks at the host. */

/* An IPv6 router advert (RFC 4861) to all nodes of INTERFACE's link, from
 * fe80::47, for 2001:db8:47::/64 (a documentation prefix, RFC 3849) with
 * the autonomous flag: a peer that accepts adverts gives itself an address
 * in it, and a default route through fe80::47, for ten minutes. Any
 * link-local source will do, and IPV6_FREEBIND lets the probe use one it
 * does not have, rather than wait for its own to pass duplicate address
 * detection. */
static enum outcome
router_advert(char **arguments, int count, struct result *result)
{
	struct {
		struct nd_router_advert advert;
		struct nd_opt_prefix_info prefix;
	} packet;
	unsigned index = if_nametoindex(arguments[0]);
	struct sockaddr_in6 router = { .sin6_family = AF_INET6, .sin6_scope_id = index };
	struct sockaddr_in6 all_nodes = router;
	int on = 1, hops = 255; /* a receiver drops adverts that crossed a router */

	(void)count;
	if (index == 0)
		return failed(result, "if_nametoindex");
	memset(&packet, 0, sizeof(packet));
	packet.advert.nd_ra_type = ND_ROUTER_ADVERT;
	packet.advert.nd_ra_curhoplimit = 64;
	packet.advert.nd_ra_router_lifetime = htons(600);
	packet.prefix.nd_opt_pi_type = ND_OPT_PREFIX_INFORMATION;
	packet.prefix.nd_opt_pi_len = sizeof(packet.prefix) / 8;
	packet.prefix.nd_opt_pi_prefix_len = 64;
	packet.prefix.nd_opt_pi_flags_reserved = ND_OPT_PI_FLAG_ONLINK | ND_OPT_PI_FLAG_AUTO;
	packet.prefix.nd_opt_pi_valid_time = htonl(600);
	packet.prefix.nd_opt_pi_preferred_time = htonl(600);
	inet_pton(AF_INET6, "2001:db8:47::", &packet.prefix.nd_opt_pi_prefix);
	inet_pton(AF_INET6, "fe80::47", &router.sin6_addr);
	inet_pton(AF_INET6, "ff02::1", &all_nodes.sin6_addr);
	/* ICMPv6 raw sockets fill in the checksum themselves (raw(7)). */
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd == -1)
		return failed(result, "socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)");
	enum outcome outcome = ESCAPED;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) == -1)
		outcome = failed(result, "setsockopt(IPV6_MULTICAST_HOPS)");
	else if (setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof(on)) == -1)
		outcome = failed(result, "setsockopt(IPV6_FREEBIND)");
	else if (bind(fd, (struct sockaddr *)&router, sizeof(router)) == -1)
		outcome = failed(result, "bind(fe80::47)");
	/* A link just brought up has its multicast route only once the
	 * kernel's link watch work has seen it running: ENETUNREACH until
	 * then, for a moment. Up to 2 s. */
	for (int tries = 1; outcome == ESCAPED; tries++) {
		if (sendto(fd, &packet, sizeof(packet), 0, (struct sockaddr *)&all_nodes,
			   sizeof(all_nodes)) != -1)
			break;
		if (errno != ENETUNREACH || tries == 20)
			outcome = failed(result, "sendto(ff02::1)");
		else
			usleep(100000);
	}
	close(fd);
	if (outcome == ESCAPED)
		say(result, ESCAPED, "sent a router advert for 2001:db8:47::/64 from fe80::47 out of %s",
		    arguments[0]);
	return outcome;
}

/* RFC 1071: the ones' complement of the ones' complement sum of 16-bit words. */
static uint16_t
internet_checksum(const void *data, size_t length)
{
	const uint8_t *bytes = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (uint32_t)(bytes[i] << 8 | bytes[i + 1]);
	if (length % 2)
		sum += (uint32_t)(bytes[length - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Three ICMP echo requests to DESTINATION in an IPv4 header the probe
 * writes itself (IPPROTO_RAW implies IP_HDRINCL, raw(7)), naming SOURCE as
 * the sender: whoever answers sends the echo replies to SOURCE. */
static enum outcome
forged_source(char **arguments, int count, struct result *result)
{
	struct {
		struct iphdr ip;
		struct icmphdr icmp;
	} packet;
	struct sockaddr_in destination = { .sin_family = AF_INET };

	(void)count;
	memset(&packet, 0, sizeof(packet));
	if (inet_pton(AF_INET, arguments[0], &packet.ip.saddr) != 1 ||
	    inet_pton(AF_INET, arguments[1], &destination.sin_addr) != 1)
		return say(result, BLOCKED, "%s %s: not two IPv4 addresses", arguments[0], arguments[1]);
	/* The kernel fills in the total length and the header checksum. */
	packet.ip.version = 4;
	packet.ip.ihl = sizeof(packet.ip) / 4;
	packet.ip.ttl = 64;
	packet.ip.protocol = IPPROTO_ICMP;
	packet.ip.daddr = destination.sin_addr.s_addr;
	packet.icmp.type = ICMP_ECHO;
	packet.icmp.un.echo.id = htons((uint16_t)getpid());
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd == -1)
		return failed(result, "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
	for (uint16_t sequence = 1; sequence <= 3; sequence++) {
		packet.icmp.un.echo.sequence = htons(sequence);
		packet.icmp.checksum = 0;
		packet.icmp.checksum = internet_checksum(&packet.icmp, sizeof(packet.icmp));
		if (sendto(fd, &packet, sizeof(packet), 0, (struct sockaddr *)&destination,
			   sizeof(destination)) == -1) {
			enum outcome outcome = failed(result, "sendto");
			close(fd);
			return outcome;
		}
	}
	close(fd);
	return say(result, ESCAPED, "sent 3 echo requests to %s from the forged source %s",
		   arguments[1], arguments[0]);
}

/* --- a program of its own: written, then executed ----------------------- */

/* Most attacks on the kernel from a container need a program the image
 * does not have: a static exploit, downloaded into a writable place and
 * run from there. The probe copies itself into DIRECTORY (default /tmp) and
 * executes the copy, which, without arguments, writes its usage to
 * /dev/null and exits 2; the copy is removed either way. */
static int
copy_self(const char *path)
{
	static char buffer[1 << 16];
	ssize_t length;
	int from = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (from == -1)
		return -1;
	int to = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (to == -1) {
		close(from);
		return -1;
	}
	while ((length = read(from, buffer, sizeof(buffer))) > 0 &&
	       write(to, buffer, (size_t)length) == length)
		;
	close(from);
	return close(to) == -1 || length != 0 ? -1 : 0;
}

static enum outcome
dropped_binary(char **arguments, int count, struct result *result)
{
	const char *directory = count > 0 ? arguments[0] : "/tmp";
	char path[256], *argv[2];
	posix_spawn_file_actions_t actions;
	pid_t child;
	int status;

	snprintf(path, sizeof(path), "%s/escape-probe-dropped", directory);
	if (copy_self(path) == -1) {
		enum outcome outcome = failed_call(result, "write %s", path);
		unlink(path);
		return outcome;
	}
	argv[0] = path;
	argv[1] = NULL;
	if (posix_spawn_file_actions_init(&actions) != 0 ||
	    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0) != 0)
		return say(result, BLOCKED, "posix_spawn_file_actions: out of memory");
	/* glibc's posix_spawn returns the child's execve error. */
	int error = posix_spawn(&child, path, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	unlink(path);
	if (error != 0) {
		errno = error;
		return failed_call(result, "execve %s", path);
	}
	if (waitpid(child, &status, 0) == -1)
		return failed(result, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
		return say(result, BLOCKED, "%s started, but did not exit 2 (status 0x%x)", path, status);
	return say(result, ESCAPED, "wrote %s and executed it", path);
}

/* --- io_uring and vsock: what an allow list refuses ------------------------ */

/* A ring of one entry, closed unused. The operations of a ring run in the
 * kernel without a system call each, where no seccomp filter sees them,
 * and io_uring has been a leading source of kernel exploits (Google turned
 * it off in ChromeOS, Android's apps and its servers in 2023); Docker's
 * profile refuses it since 25.0. */
static enum outcome
io_uring(char **arguments, int count, struct result *result)
{
	struct io_uring_params parameters;

	(void)arguments, (void)count;
	memset(&parameters, 0, sizeof(parameters));
	int fd = (int)syscall(SYS_io_uring_setup, 1, &parameters);
	if (fd == -1)
		return failed(result, "io_uring_setup");
	close(fd);
	return say(result, ESCAPED, "created an io_uring with room for %u submissions", parameters.sq_entries);
}

/* A vsock stream socket bound to any port, and closed. vsock has no
 * network namespace: its ports are the machine's, and a container with it
 * talks to the hypervisor (CID 2) past every veth and firewall. Docker's
 * profile refuses socket(AF_VSOCK) since 23.0. "high-bits" passes the
 * family as 0x100000028: the kernel reads an int, AF_VSOCK; a filter that
 * compares 64 bits sees a number above 40. */
static enum outcome
vsock(char **arguments, int count, struct result *result)
{
	long family = AF_VSOCK;
	struct sockaddr_vm address = { .svm_family = AF_VSOCK,
				       .svm_cid = VMADDR_CID_ANY,
				       .svm_port = VMADDR_PORT_ANY };
	socklen_t length = sizeof(address);
	enum outcome outcome;

	if (count > 0 && strcmp(arguments[0], "high-bits") == 0)
		family |= 0x100000000L;
	int fd = (int)syscall(SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return failed(result, "socket(AF_VSOCK)");
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) == -1)
		outcome = failed(result, "bind");
	else if (getsockname(fd, (struct sockaddr *)&address, &length) == -1)
		outcome = failed(result, "getsockname");
	else
		outcome = say(result, ESCAPED, "bound an AF_VSOCK socket%s to the machine's port %u",
			      family == AF_VSOCK ? "" : " (family 0x100000028)", address.svm_port);
	close(fd);
	return outcome;
}

/* --- counts kept per user: queued signals ------------------------------- */

enum { MAX_TIMERS = 1 << 18 }; /* about 100 MiB of kernel memory */

/* "SigQ:\t<count>/<limit>" of /proc/self/status: the count of queued
 * signals of this process's user, all its processes together, and this
 * process's RLIMIT_SIGPENDING. */
static int
read_sigq(long *queued, long *limit)
{
	char line[256];
	FILE *status = fopen("/proc/self/status", "re");
	int found = -1;

	if (status == NULL)
		return -1;
	while (found == -1 && fgets(line, sizeof(line), status) != NULL)
		if (sscanf(line, "SigQ: %ld/%ld", queued, limit) == 2)
			found = 0;
	fclose(status);
	return found;
}

/* Each POSIX timer holds one queued signal from its creation on (the
 * kernel allocates the signal with the timer), charged to its user's
 * count as a queued signal is: the cheapest way to hold many. None is
 * armed, and they all go when the probe exits. Created until timer_create
 * fails or the user's count reaches HOST_LIMIT, the host root's
 * RLIMIT_SIGPENDING, which the test reads on the host: there root's own
 * timer_create and sigqueue fail with EAGAIN. */
static enum outcome
fill_sigpending(char **arguments, int count, struct result *result)
{
	struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	long host_limit = atol(arguments[0]), created = 0, queued = 0, limit = 0;
	timer_t timer;

	result->hold = count > 1 ? (unsigned)atoi(arguments[1]) : 0;
	if (host_limit < 1 || host_limit > MAX_TIMERS)
		return say(result, BLOCKED, "%s: not a limit from 1 to %d, the probe's bound",
			   arguments[0], MAX_TIMERS);
	if (read_sigq(&queued, &limit) == -1)
		return failed(result, "read /proc/self/status");
	/* The count read once: what other processes queue meanwhile is seen at the end. */
	for (long before = queued; before + created < host_limit; created++) {
		if (timer_create(CLOCK_MONOTONIC, &event, &timer) == 0)
			continue;
		int error = errno;
		if (read_sigq(&queued, &limit) == -1)
			return failed(result, "read /proc/self/status");
		/* Signals other processes of root's queued meanwhile can make
		 * the last few timers fail: the count is full all the same. */
		if (queued >= host_limit)
			break;
		return say(result, BLOCKED,
			   "timer_create: %s after %ld timers, at this process's limit of %ld; "
			   "root's queued signals at %ld of the host root's %ld",
			   strerror(error), created, limit, queued, host_limit);
	}
	if (read_sigq(&queued, &limit) == -1)
		return failed(result, "read /proc/self/status");
	return say(result, ESCAPED,
		   "created %ld timers: root's queued signals at %ld, the host root's limit: its "
		   "timer_create and sigqueue fail with EAGAIN", created, queued);
}

/* --- socket buffers outside the memory limit ----------------------------- */

enum { MAX_CONNECTIONS = 128 };

/* A listener on 127.0.0.1, port chosen by the kernel; -1 on failure. */
static int
listen_on_loopback(struct sockaddr_in *address)
{
	socklen_t length = sizeof(*address);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	*address = (struct sockaddr_in){ .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd == -1 || bind(fd, (struct sockaddr *)address, sizeof(*address)) == -1 ||
	    listen(fd, MAX_CONNECTIONS) == -1 ||
	    getsockname(fd, (struct sockaddr *)address, &length) == -1)
		return -1;
	return fd;
}

/* Connections to itself on loopback whose receiving end never reads: each
 * write stays in kernel buffers, the sender's and the receiver's, until the
 * socket's buffers or its cgroup's limit are full (EAGAIN). At most
 * MAX_CONNECTIONS connections and MIB MiB; all closed when the probe exits. */
static enum outcome
fill_tcp_buffers(char **arguments, int count, struct result *result)
{
	static char chunk[1 << 16];
	long wanted = atol(arguments[0]) << 20, queued = 0;
	struct sockaddr_in address;
	int connections = 0;

	result->hold = count > 1 ? (unsigned)atoi(arguments[1]) : 0;
	if (wanted <= 0 || wanted > 1024L << 20)
		return say(result, BLOCKED, "%s: not a size from 1 to 1024 MiB", arguments[0]);
	int listener = listen_on_loopback(&address);
	if (listener == -1)
		return failed(result, "listen on 127.0.0.1");
	while (queued < wanted && connections < MAX_CONNECTIONS) {
		int sender = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (sender == -1 || connect(sender, (struct sockaddr *)&address, sizeof(address)) == -1)
			return failed(result, "connect to 127.0.0.1");
		if (accept4(listener, NULL, NULL, SOCK_CLOEXEC) == -1)
			return failed(result, "accept4");
		if (fcntl(sender, F_SETFL, O_NONBLOCK) == -1)
			return failed(result, "fcntl(O_NONBLOCK)");
		connections++;
		ssize_t written;
		while (queued < wanted && (written = write(sender, chunk, sizeof(chunk))) > 0)
			queued += written;
		if (queued < wanted && errno != EAGAIN)
			return failed(result, "write");
	}
	if (queued >= wanted)
		return say(result, ESCAPED, "queued %ld MiB in TCP buffers over %d loopback connections",
			   queued >> 20, connections);
	return say(result, BLOCKED,
		   "queued %ld MiB over %d loopback connections, then every write would block (EAGAIN)",
		   queued >> 20, connections);
}

/* --- a process entering the container (./enter) --------------------------- */

/* The first process of the container's /proc named COMM but ourselves; 0
 * if there is none. */
static pid_t
find_process(const char *comm)
{
	char path[64], name[32];
	struct dirent *entry;
	pid_t found = 0;
	DIR *proc = opendir("/proc");

	while (proc != NULL && found == 0 && (entry = readdir(proc)) != NULL) {
		pid_t pid = (pid_t)atoi(entry->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		FILE *file = fopen(path, "r");
		if (file == NULL)
			continue;
		if (fgets(name, sizeof(name), file) != NULL && strcspn(name, "\n") == strlen(comm) &&
		    strncmp(name, comm, strlen(comm)) == 0)
			found = pid;
		fclose(file);
	}
	if (proc != NULL)
		closedir(proc);
	return found;
}

/* runc's CVE-2019-5736 opened /proc/PID/exe of a runc process that had
 * joined the container, and overwrote the host's runc through it; its
 * CVE-2016-9962 ptraced one before it was confined. Waits up to SECONDS
 * for a process named COMM, then tries both: the exe is opened for
 * writing and closed, the trace is detached at once. */
static enum outcome
entering_process(char **arguments, int count, struct result *result)
{
	int seconds = count > 1 ? atoi(arguments[1]) : 10;
	char path[64];
	pid_t pid = 0;

	for (int tries = 0; tries < seconds * 20 && pid == 0; tries++) {
		pid = find_process(arguments[0]);
		if (pid == 0)
			usleep(50000);
	}
	if (pid == 0)
		return say(result, BLOCKED, "no process named %s in %d s", arguments[0], seconds);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd != -1) {
		close(fd);
		return say(result, ESCAPED, "%s of %s opened for writing, nothing written", path,
			   arguments[0]);
	}
	int open_errno = errno;
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) == 0) {
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		return say(result, ESCAPED, "ptrace(PTRACE_SEIZE) of %s worked (exe: %s)",
			   arguments[0], strerror(open_errno));
	}
	return say(result, BLOCKED, "exe: %s; ptrace: %s", strerror(open_errno), strerror(errno));
}

static const struct escape escapes[] = {
	{ "shocker", "[PATH]", 0, shocker },
	{ "sysrq-trigger", "", 0, sysrq_trigger },
	{ "interrupts", "", 0, interrupts },
	{ "core_pattern", "", 0, core_pattern },
	{ "release_agent", "", 0, release_agent },
	{ "mknod", "b|c MAJOR:MINOR [DIRECTORY]", 2, mknod_node },
	{ "mknod-own-tmpfs", "b|c MAJOR:MINOR", 2, mknod_node_own_tmpfs },
	{ "unshare-user", "", 0, unshare_user },
	{ "unshare-mount", "", 0, unshare_mount },
	{ "setns", "[NAMESPACE FILE]", 0, enter_namespace },
	{ "host-path", "HOST_PATH", 1, host_path },
	{ "proc-1-root", "HOST_PATH", 1, proc_1_root },
	{ "proc-self-cwd", "HOST_PATH", 1, proc_self_cwd },
	{ "inherited-fd", "HOST_PATH", 1, inherited_fd },
	{ "module", "", 0, load_module },
	{ "keyctl", "", 0, keyring },
	{ "bpf", "", 0, bpf_map },
	{ "tiocsti", "[TEXT]", 0, tiocsti },
	{ "tiocsti-high", "[TEXT]", 0, tiocsti_high },
	{ "shm", "ID", 1, shm_segment },
	{ "mqueue", "/NAME", 1, message_queue },
	{ "stdin-directory", "HOST_PATH", 1, stdin_directory },
	{ "stdio-reopen", "", 0, stdio_reopen },
	{ "terminal-takeover", "", 0, terminal_takeover },
	{ "orphan", "[SECONDS]", 0, orphan },
	{ "router-advert", "INTERFACE", 1, router_advert },
	{ "forged-source", "SOURCE DESTINATION", 2, forged_source },
	{ "io_uring", "", 0, io_uring },
	{ "vsock", "[high-bits]", 0, vsock },
	{ "sigpending", "HOST_LIMIT [SECONDS]", 1, fill_sigpending },
	{ "tcp-memory", "MIB [SECONDS]", 1, fill_tcp_buffers },
	{ "dropped-binary", "[DIRECTORY]", 0, dropped_binary },
	{ "entering", "COMM [SECONDS]", 1, entering_process },
};

static int
usage(void)
{
	fprintf(stderr, "usage: escape-probe NAME [ARGUMENT...], NAME one of:\n");
	for (size_t i = 0; i < sizeof(escapes) / sizeof(*escapes); i++)
		fprintf(stderr, "  %s %s\n", escapes[i].name, escapes[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(escapes) / sizeof(*escapes); i++) {
		const struct escape *escape = &escapes[i];
		struct result result = { "", 0 };
		if (strcmp(escape->name, argv[1]) != 0)
			continue;
		if (argc - 2 < escape->minimum_arguments)
			return usage();
		errno = 0;
		enum outcome outcome = escape->attempt(argv + 2, argc - 2, &result);
		printf("%s: %s (%s)\n", escape->name, outcome == ESCAPED ? "ESCAPED" : "blocked",
		       result.detail);
		/* The test looks at the host while the probe holds what it took. */
		fflush(stdout);
		sleep(result.hold);
		return outcome == ESCAPED ? 0 : 1;
	}
	fprintf(stderr, "escape-probe: %s: no such escape\n", argv[1]);
	return usage();
}
