/* names.c: a running container's name, and what `./enter NAME` needs to
 * join it (enter-setns/).
 *
 * The registry is a directory per name, REGISTRY/<name>. The supervisor
 * claims it before it forks and holds flock(2) on it for its whole life,
 * as it holds its lock file (lock.c): a start that can take the lock knows
 * the supervisor is gone, however it died, and removes what it left.
 *
 * Once the chain is ready (the last step writes a byte into a pipe of
 * ours, whose end its execve of COMMAND then closes), the supervisor
 * bind-mounts PID 1's /proc/PID/ns/{uts,ipc,net,pid,mnt} into the
 * directory. A bind mount of a namespace file keeps that namespace alive
 * and names it for good, as `ip netns add` and `unshare --net=FILE` do:
 * `enter` opens these files, never a pid that may have been reused. Then
 * it writes what enter repeats: the chain's options, the devices the
 * first step looked up, the cgroup's name; last the pid, for `enter
 * --list`, which also says the entry is complete.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "names.h"
#include "supervisor.h"

const char *const registered_namespaces[REGISTERED_NAMESPACES] = { "uts", "ipc", "net", "pid",
								   "mnt" };
static const char *const registered_files[] = { "options", "devices", "cgroup", "hostname" };

static char claimed_name[CONTAINER_NAME_MAX + 1];
static int claimed_fd = -1;     /* REGISTRY/<name>, locked */
static bool registered;         /* its files written, its namespaces bound */
static int ready_read_end = -1; /* a byte, then EOF: the chain is ready */
static int ready_write_end = -1; /* the chain's, until it executes COMMAND */

static void
make_directory(const char *path)
{
	narrate("mkdir(\"%s\", 0700)", path);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		die_call();
}

/* Undo an entry, whoever made it: the namespaces' bind mounts first (the
 * namespaces end with the last reference), then the files. What is not
 * there is skipped: a start may have died halfway. */
static void
clear_entry(const char *name)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 16];

	/* host-pid first: enter takes an entry without it for one that ends. */
	snprintf(path, sizeof(path), REGISTRY "/%s/host-pid", name);
	if (unlink(path) == -1 && errno != ENOENT)
		warn_errno("unlink(\"%s\")", path);
	for (int i = 0; i < REGISTERED_NAMESPACES; i++) {
		snprintf(path, sizeof(path), REGISTRY "/%s/%s", name, registered_namespaces[i]);
		narrate("umount2(\"%s\", MNT_DETACH)", path);
		if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL && errno != ENOENT)
			warn_call();
		narrate("unlink(\"%s\")", path);
		if (unlink(path) == -1 && errno != ENOENT)
			warn_call();
	}
	for (size_t i = 0; i < sizeof(registered_files) / sizeof(*registered_files); i++) {
		snprintf(path, sizeof(path), REGISTRY "/%s/%s", name, registered_files[i]);
		if (unlink(path) == -1 && errno != ENOENT)
			warn_errno("unlink(\"%s\")", path);
	}
}

/* The entry, and with the last one the directories above it (another's
 * makes rmdir fail; a start that loses its REGISTRY this way makes it
 * again, try_claim()). Not the directories while removing stale entries:
 * this start is about to claim a name in them. */
static void
remove_entry(const char *name, bool with_parents, bool filled)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 2];

	if (filled)
		clear_entry(name);
	snprintf(path, sizeof(path), REGISTRY "/%s", name);
	narrate("rmdir(\"%s\")", path);
	if (rmdir(path) == -1 && errno != ENOENT)
		warn_call();
	if (with_parents && rmdir(REGISTRY) == 0)
		(void)rmdir(SUPERVISOR_LOCKS); /* ENOTEMPTY: a lock file or other names */
}

/* The entry NAME, locked; -1 if its supervisor lives (or it has gone). */
static int
lock_entry(const char *name)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 2];
	struct stat status;

	snprintf(path, sizeof(path), REGISTRY "/%s", name);
	narrate("open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", path);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	narrate("flock(%d<%s>, LOCK_EX|LOCK_NB)", fd, path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return -1;
	}
	/* Removed by another start between our open and flock. */
	if (fstat(fd, &status) == -1 || status.st_nlink == 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Nothing in the entry FD: a start between its mkdir and its flock
 * (try_claim()), whose directory must not be taken from it (under load,
 * ten starts at once did that to one another until it gave up); or one
 * that died there, whose empty directory the next claim of the name takes
 * over. */
static bool
entry_is_empty(int fd)
{
	int copy = dup(fd);
	DIR *entry = copy == -1 ? NULL : fdopendir(copy);
	const struct dirent *file;
	bool empty = true;

	if (entry == NULL) {
		if (copy != -1)
			close(copy);
		return false; /* cannot tell: as one with files */
	}
	while (empty && (file = readdir(entry)) != NULL)
		empty = strcmp(file->d_name, ".") == 0 || strcmp(file->d_name, "..") == 0;
	closedir(entry);
	return empty;
}

/* Entries of supervisors that died (SIGKILL) before removing their own. */
static void
remove_stale_entries(void)
{
	struct dirent *entry;
	DIR *registry = opendir(REGISTRY);

	if (registry == NULL)
		return;
	while ((entry = readdir(registry)) != NULL) {
		if (entry->d_type != DT_DIR || !valid_container_name(entry->d_name))
			continue;
		int fd = lock_entry(entry->d_name);
		if (fd == -1)
			continue; /* alive */
		if (entry_is_empty(fd)) {
			close(fd);
			continue;
		}
		narrate("%s: its supervisor has gone, removing its entry", entry->d_name);
		remove_entry(entry->d_name, false, true);
		close(fd);
	}
	closedir(registry);
}

/* The hostname inside: --hostname, or with --uts host the host's own. */
static const char *
container_hostname(const struct options *options)
{
	static struct utsname host;

	if (options->uts == SHARE_PRIVATE)
		return options->hostname;
	if (host.nodename[0] == '\0' && uname(&host) == -1)
		die_errno("uname()");
	return host.nodename;
}

/* Claim NAME: true if it is ours now, false if a live container has it.
 * A directory this start made stays its own: a lock it cannot take then
 * is enter's or another start's look, which passes. */
static bool
try_claim(const char *name)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 2];
	bool made = false;

	snprintf(path, sizeof(path), REGISTRY "/%s", name);
	for (int attempt = 0; attempt < 50; attempt++) {
		narrate("mkdir(\"%s\", 0700)", path);
		if (mkdir(path, 0700) == 0) {
			made = true;
		} else if (errno == ENOENT) {
			/* The last supervisor to end removed REGISTRY meanwhile. */
			make_directory(SUPERVISOR_LOCKS);
			make_directory(REGISTRY);
			continue;
		} else if (errno != EEXIST) {
			die_call();
		}
		claimed_fd = lock_entry(name);
		/* Empty and unlocked, not ours: another start's, between its
		 * mkdir and its flock, which it is about to take. Wait for it;
		 * one that stays so is a start's that died there, taken at the
		 * last attempt. */
		if (claimed_fd != -1 && !made && attempt < 49 && entry_is_empty(claimed_fd)) {
			close(claimed_fd);
			claimed_fd = -1;
			usleep(10000);
			continue;
		}
		if (claimed_fd != -1) {
			if (!made)
				clear_entry(name); /* a dead supervisor's, since remove_stale_entries() */
			snprintf(claimed_name, sizeof(claimed_name), "%s", name);
			return true;
		}
		if (!made)
			return false;
		usleep(10000);
	}
	die("mkdir(\"%s\"): taken and removed by other starts 50 times", path);
}

void
claim_container_name(const struct options *options)
{
	const char *hostname = container_hostname(options);
	int fds[2];

	make_directory(SUPERVISOR_LOCKS);
	make_directory(REGISTRY);
	remove_stale_entries();
	if (options->name != NULL) {
		if (!try_claim(options->name))
			die_with_status(EXIT_BAD_INPUT,
					"--name %s: a running container has this name (./enter --list)",
					options->name);
	} else {
		/* "mycontainer", then "mycontainer-2"... */
		char name[CONTAINER_NAME_MAX + 1];
		int length = (int)strnlen(hostname, CONTAINER_NAME_MAX - 4);
		snprintf(name, sizeof(name), "%.*s", length, hostname);
		for (int number = 2; !try_claim(name); number++) {
			if (number > 999)
				die("no free name for hostname %s: %s-2 to -999 are all taken",
				    hostname, name);
			snprintf(name, sizeof(name), "%.*s-%d", length, hostname, number);
		}
	}
	/* The write end passes down the chain like the steps' descriptors
	 * and closes with them before COMMAND (exec_command()). */
	narrate("pipe2(fds, O_CLOEXEC)");
	if (pipe2(fds, O_CLOEXEC) == -1)
		die_call();
	narrate("fcntl(%d, F_SETFD, 0)", fds[1]);
	if (fcntl(fds[1], F_SETFD, 0) == -1)
		die_call();
	char text[16];
	snprintf(text, sizeof(text), "%d", fds[1]);
	if (setenv("CHAIN_READY_FD", text, 1) == -1)
		die_errno("setenv(CHAIN_READY_FD)");
	ready_read_end = fds[0];
	ready_write_end = fds[1];
}

int
name_ready_fd(void)
{
	return ready_read_end;
}

/* In the supervisor after fork: only the child keeps the write end. */
void
name_after_fork(void)
{
	if (claimed_fd == -1)
		return;
	close(ready_write_end);
	if (unsetenv("CHAIN_READY_FD") == -1)
		die_errno("unsetenv(CHAIN_READY_FD)");
}

/* PID 1 may exit at any time (`true` does at once): a call that failed
 * because of that is no news. Exiting, PID 1 gives up its namespaces
 * before it turns zombie, and for a moment the kernel refuses to bind them
 * (EINVAL) while /proc/PID/ns still shows them; its pidfd turns readable
 * once it has exited, so wait for that, briefly, before saying anything. */
static void
warn_unless_exited(pid_t child, const char *source)
{
	struct stat status;
	int saved_errno = errno;

	if (stat(source, &status) == -1)
		return;
	int pidfd = pidfd_open(child, 0);
	if (pidfd == -1)
		return; /* ESRCH: reaped already */
	struct pollfd exited = { .fd = pidfd, .events = POLLIN };
	int ready = poll(&exited, 1, 1000);
	close(pidfd);
	if (ready == 1)
		return;
	errno = saved_errno;
	warn_call();
}

/* Bind PID 1's namespace of this kind. Not the mount namespace when it is
 * the supervisor's own, the host's (--until 3 makes none): the kernel
 * refuses to bind one into itself, and enter then has nothing to join.
 * False if PID 1 has gone or it failed. */
static bool
bind_namespace(pid_t child, const char *namespace)
{
	char source[64], target[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 16];
	struct stat theirs, ours;

	snprintf(source, sizeof(source), "/proc/%d/ns/%s", child, namespace);
	snprintf(target, sizeof(target), REGISTRY "/%s/%s", claimed_name, namespace);
	if (stat(source, &theirs) == -1)
		return false; /* ENOENT: PID 1 has exited */
	if (strcmp(namespace, "mnt") == 0 && stat("/proc/self/ns/mnt", &ours) == 0 &&
	    theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev)
		return true;
	/* A mount needs a file to mount over. */
	narrate("openat(%d<%s>, \"%s\", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)", claimed_fd,
		claimed_name, namespace);
	int fd = openat(claimed_fd, namespace, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		warn_call();
		return false;
	}
	close(fd);
	narrate("mount(\"%s\", \"%s\", NULL, MS_BIND, NULL)", source, target);
	if (mount(source, target, NULL, MS_BIND, NULL) == -1) {
		warn_unless_exited(child, source);
		return false;
	}
	return true;
}

static bool
write_entry_file(const char *file, const char *text, size_t length)
{
	narrate("openat(%d<%s>, \"%s\", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)", claimed_fd,
		claimed_name, file);
	int fd = openat(claimed_fd, file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		warn_call();
		return false;
	}
	bool written = write(fd, text, length) == (ssize_t)length;
	if (!written)
		warn_errno("write(%d<%s/%s>)", fd, claimed_name, file);
	close(fd);
	return written;
}

/* What enter repeats: argv[1] up to COMMAND, each word with its NUL. */
static bool
write_options(const struct options *options)
{
	char **argv = chain_arguments();
	size_t length = 0;

	for (char **word = argv + 1; word < options->command; word++)
		length += strlen(*word) + 1;
	char *words = malloc(length + 1), *end = words;
	if (words == NULL)
		return false;
	for (char **word = argv + 1; word < options->command; word++)
		end = stpcpy(end, *word) + 1;
	bool written = write_entry_file("options", words, length);
	free(words);
	return written;
}

/* A container that cannot be registered still runs, without a name. */
void
register_container(pid_t child, const struct options *options)
{
	const char *devices = getenv("CHAIN_DEVICES"), *cgroup = "";
	char pid[32];
	bool done = true;

	if (claimed_fd == -1)
		return;
	if (handed_cgroup_fd() != -1)
		cgroup = handed_container_name();
	if (devices == NULL)
		devices = "";
	snprintf(pid, sizeof(pid), "%d\n", child);
	for (int i = 0; i < REGISTERED_NAMESPACES && done; i++)
		done = bind_namespace(child, registered_namespaces[i]);
	done = done && write_options(options) &&
	       write_entry_file("devices", devices, strlen(devices)) &&
	       write_entry_file("cgroup", cgroup, strlen(cgroup)) &&
	       write_entry_file("hostname", container_hostname(options),
				strlen(container_hostname(options))) &&
	       write_entry_file("host-pid", pid, strlen(pid));
	registered = done;
	if (!done) {
		narrate("%s: not registered (PID 1 has ended, or the lines above say why)",
			claimed_name);
		clear_entry(claimed_name);
	}
}

void
unregister_container(void)
{
	if (claimed_fd == -1)
		return;
	remove_entry(claimed_name, true, registered);
	close(claimed_fd);
	claimed_fd = -1;
}
