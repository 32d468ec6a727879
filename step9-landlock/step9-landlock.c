/* step9-landlock: where the workload may write, and what it may execute,
 * enforced by a Linux security module.
 *
 * Beyond the talk. Namespaces decide what a process sees, capabilities and
 * seccomp what it may ask of the kernel; none of them says "not this file".
 * That is the work of a Linux security module (LSM): code in the kernel
 * that every file access passes through, and that can refuse it. Docker
 * loads an AppArmor profile, docker-default, into each container (moby's
 * profiles/apparmor/template.go); loading a profile takes root on the host.
 * Landlock (landlock(7), Linux 5.13) is an LSM that a process applies to
 * itself, without any privilege: it builds a ruleset, adds rules (a file
 * hierarchy and what is allowed beneath it), and restricts itself. The
 * restriction passes through fork and exec and can only be narrowed.
 *
 * The rules here: read everything; write only where a program is meant to
 * (/tmp, /var/tmp, /run, /home, /root, /dev/shm, /dev/mqueue, the
 * terminals and the null-like nodes of /dev, the --device nodes); execute
 * only from where programs are installed (/usr, /bin, /sbin, /lib,
 * /lib64). No place is both writable and executable: a binary the
 * workload writes or downloads will not run.
 *
 * The kernel's Landlock grows by versions (ABIs), each knowing more access
 * rights. The step asks for the version first and handles only the rights
 * it knows, as the kernel's samples/landlock/sandboxer.c does ("best
 * effort"); a kernel without Landlock gets a one-line warning and the
 * workload runs without it. This is the last step: a later one would be
 * executed from the host's files, beneath no rule.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/chain.h"

/* Rights newer than Debian 12's <linux/landlock.h> (Linux 6.1): the
 * kernel's numbers, which never change once released. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

/* Every filesystem right, the ABI that brought it and its name without the
 * LANDLOCK_ACCESS_FS_ prefix, as -v shows it. ABI 4 (Linux 6.7) added TCP
 * rights and ABI 6 (6.12) scopes for signals and abstract sockets: the
 * container's own network and PID namespaces already draw those lines. */
static const struct right {
	__u64 bit;
	int abi;
	const char *name;
} rights[] = {
	{ LANDLOCK_ACCESS_FS_EXECUTE, 1, "EXECUTE" },
	{ LANDLOCK_ACCESS_FS_WRITE_FILE, 1, "WRITE_FILE" },
	{ LANDLOCK_ACCESS_FS_READ_FILE, 1, "READ_FILE" },
	{ LANDLOCK_ACCESS_FS_READ_DIR, 1, "READ_DIR" },
	{ LANDLOCK_ACCESS_FS_REMOVE_DIR, 1, "REMOVE_DIR" },
	{ LANDLOCK_ACCESS_FS_REMOVE_FILE, 1, "REMOVE_FILE" },
	{ LANDLOCK_ACCESS_FS_MAKE_CHAR, 1, "MAKE_CHAR" },
	{ LANDLOCK_ACCESS_FS_MAKE_DIR, 1, "MAKE_DIR" },
	{ LANDLOCK_ACCESS_FS_MAKE_REG, 1, "MAKE_REG" },
	{ LANDLOCK_ACCESS_FS_MAKE_SOCK, 1, "MAKE_SOCK" },
	{ LANDLOCK_ACCESS_FS_MAKE_FIFO, 1, "MAKE_FIFO" },
	{ LANDLOCK_ACCESS_FS_MAKE_BLOCK, 1, "MAKE_BLOCK" },
	{ LANDLOCK_ACCESS_FS_MAKE_SYM, 1, "MAKE_SYM" },
	{ LANDLOCK_ACCESS_FS_REFER, 2, "REFER" }, /* Linux 5.19: link, rename across directories */
	{ LANDLOCK_ACCESS_FS_TRUNCATE, 3, "TRUNCATE" },   /* Linux 6.2 */
	{ LANDLOCK_ACCESS_FS_IOCTL_DEV, 5, "IOCTL_DEV" }, /* Linux 6.10: ioctl on a device */
};

#define READ    (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define EXECUTE (READ | LANDLOCK_ACCESS_FS_EXECUTE)
/* Everything but EXECUTE. MAKE_CHAR and MAKE_BLOCK stay, as CAP_MKNOD stays
 * in Docker's set: a node made on step5's nodev mounts does not open. */
#define WRITE (~(__u64)LANDLOCK_ACCESS_FS_EXECUTE)
/* What a rule on a file rather than a directory may hold (landlock(7)). */
#define FILE_RIGHTS                                                   \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* Where programs are installed. In the skeleton /bin, /sbin, /lib and
 * /lib64 are links into /usr (merged /usr); a skeleton of another layout
 * has them as directories, with the dynamic loader, which execve opens
 * for execution too. */
static const char *const executable[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64" };

/* Where a program is meant to write, and the devices a shell needs: the
 * terminal nodes (/dev/ptmx is a link to pts/ptmx), and the sinks and
 * sources. The last step opens the container's terminal under these rules
 * (exec_command()). /proc is left out: Docker's profile lets a process
 * write its own /proc/PID files, which Landlock cannot tell from others. */
static const char *const writable[] = {
	"/tmp",      "/var/tmp",    "/run",         "/home",     "/root",
	"/dev/shm",  "/dev/mqueue", "/dev/pts",     "/dev/null", "/dev/zero",
	"/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
};

/* glibc has no wrappers for the three calls (landlock(7)). */
static int
landlock_create_ruleset(const struct landlock_ruleset_attr *attributes, size_t size, __u32 flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attributes, size, flags);
}

static int
landlock_add_rule(int ruleset, enum landlock_rule_type type, const void *attributes, __u32 flags)
{
	return (int)syscall(SYS_landlock_add_rule, ruleset, type, attributes, flags);
}

static int
landlock_restrict_self(int ruleset, __u32 flags)
{
	return (int)syscall(SYS_landlock_restrict_self, ruleset, flags);
}

/* "READ_FILE|READ_DIR": the names of the rights in MASK. */
static const char *
right_names(__u64 mask)
{
	static char text[256];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < sizeof(rights) / sizeof(*rights); i++) {
		if (mask & rights[i].bit)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
						 used > 0 ? "|" : "", rights[i].name);
	}
	return used > 0 ? text : "none";
}

/* The kernel's Landlock ABI, or 0 where it has none: ENOSYS when it was
 * built without it, EOPNOTSUPP when it was not enabled at boot (the lsm=
 * list). The workload then runs without this layer, and the caller is
 * told so even without -v. */
#define VERSION_QUERY "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)"

static int
landlock_abi(void)
{
	narrate(VERSION_QUERY);
	int abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi == -1 && errno == ENOSYS) {
		warn_errno(
			"this kernel has no Landlock, the workload runs without it: " VERSION_QUERY);
		return 0;
	}
	if (abi == -1 && errno == EOPNOTSUPP) {
		warn_errno(
			"Landlock is not enabled in this kernel (its lsm= list), the workload runs "
			"without it: " VERSION_QUERY);
		return 0;
	}
	if (abi == -1)
		die_call();
	return abi;
}

/* The rights this ABI knows; those of later ABIs are left out, or the
 * kernel would refuse the ruleset (EINVAL). */
static __u64
rights_known_to(int abi)
{
	__u64 known = 0, later = 0;

	for (size_t i = 0; i < sizeof(rights) / sizeof(*rights); i++)
		*(rights[i].abi <= abi ? &known : &later) |= rights[i].bit;
	narrate("Landlock ABI %d; rights of later ABIs left out: %s", abi, right_names(later));
	return known;
}

/* Every right the ruleset handles is refused unless a rule allows it. */
static int
create_ruleset(__u64 handled)
{
	struct landlock_ruleset_attr attributes = { .handled_access_fs = handled };

	narrate("landlock_create_ruleset({.handled_access_fs = %s}, %zu, 0)", right_names(handled),
		sizeof(attributes));
	int ruleset = landlock_create_ruleset(&attributes, sizeof(attributes), 0);
	if (ruleset == -1)
		die_call();
	return ruleset; /* always close-on-exec (landlock_create_ruleset(2)) */
}

/* A rule: ACCESS beneath PATH, or on PATH alone when it is not a directory.
 * A path of the step's own lists that this root lacks is skipped; one the
 * caller named (--landlock-write, --device) must be there. */
static void
allow_beneath(int ruleset, const char *path, __u64 access, bool optional)
{
	struct stat status;

	narrate("open(\"%s\", O_PATH|O_CLOEXEC)", path);
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && optional) {
		narrate("no %s in this root: no rule for it", path);
		return;
	}
	if (fd == -1)
		die_call();
	narrate("fstat(%d, &status)", fd);
	if (fstat(fd, &status) == -1)
		die_call();
	if (!S_ISDIR(status.st_mode))
		access &= FILE_RIGHTS;
	struct landlock_path_beneath_attr rule = { .allowed_access = access, .parent_fd = fd };
	narrate("landlock_add_rule(%d, LANDLOCK_RULE_PATH_BENEATH, {.allowed_access = %s, "
		".parent_fd = %d}, 0)",
		ruleset, right_names(access), fd);
	if (landlock_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) == -1)
		die_call();
	close(fd);
}

static void
add_rules(int ruleset, __u64 handled, const struct options *options)
{
	allow_beneath(ruleset, "/", READ & handled, false);
	for (size_t i = 0; i < sizeof(executable) / sizeof(*executable); i++)
		allow_beneath(ruleset, executable[i], EXECUTE & handled, true);
	for (size_t i = 0; i < sizeof(writable) / sizeof(*writable); i++)
		allow_beneath(ruleset, writable[i], WRITE & handled, true);
	for (unsigned i = 0; i < options->device_count; i++)
		allow_beneath(ruleset, options->devices[i].container_path, WRITE & handled, false);
	for (unsigned i = 0; i < options->landlock_path_count; i++) {
		const struct landlock_path *given = &options->landlock_paths[i];
		allow_beneath(ruleset, given->path,
			      (given->grant == GRANT_WRITE ? WRITE : EXECUTE) & handled, false);
	}
}

/* From here on this process, and everything it executes, is confined.
 * Without CAP_SYS_ADMIN the kernel wants no_new_privs first, as for a
 * seccomp filter (landlock_restrict_self(2)); step6 set it. */
static void
restrict_self(int ruleset)
{
	narrate("landlock_restrict_self(%d, 0)", ruleset);
	if (landlock_restrict_self(ruleset, 0) == -1) {
		warn_call();
		if (errno == EPERM)
			hint("no_new_privs is not set (step6 sets it) and CAP_SYS_ADMIN is missing");
		exit(EXIT_SETUP_FAILED);
	}
	close(ruleset);
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(9, "step9-landlock", argc, argv, &options);
	if (options.landlock_off) {
		narrate("--landlock off: no Landlock ruleset");
		exec_next(&options);
	}
	int abi = landlock_abi();
	if (abi == 0)
		exec_next(&options);
	__u64 handled = rights_known_to(abi);
	int ruleset = create_ruleset(handled);
	add_rules(ruleset, handled, &options);
	restrict_self(ruleset);
	exec_next(&options);
}
