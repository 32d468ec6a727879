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
 * TIOCSTI is a shell comment, and what the probe takes of a count or of
 * memory (timers, socket buffers on loopback) is bounded by its arguments
 * and given back when it exits.
 *
 * Where the kernel checks a capability before the call does anything, its
 * EPERM and the seccomp filter's look the same; tests/escapes.bats tells
 * them apart by running with --seccomp unconfined or --cap-add.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
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
tiocsti(char **arguments, int count, struct result *result)
{
	const char *text = count > 0 ? arguments[0] : "# pushed by escape-probe\n";

	if (!isatty(STDIN_FILENO))
		return failed(result, "isatty(0)");
	for (const char *c = text; *c != '\0'; c++)
		if (ioctl(STDIN_FILENO, TIOCSTI, c) == -1)
			return failed(result, "ioctl(0, TIOCSTI)");
	return say(result, ESCAPED, "pushed %zu characters into the terminal's input", strlen(text));
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

static const struct escape escapes[] = {
	{ "shocker", "[PATH]", 0, shocker },
	{ "sysrq-trigger", "", 0, sysrq_trigger },
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
	{ "sigpending", "HOST_LIMIT [SECONDS]", 1, fill_sigpending },
	{ "tcp-memory", "MIB [SECONDS]", 1, fill_tcp_buffers },
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
