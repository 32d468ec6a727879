/* chain.c: errors, narration and the hand-over from one step to the next.
 *
 * The first step that runs on the host opens, next to its own binary, every
 * later step of the chain, and the cgroup directory if a step that needs it
 * will run (steps.table lists the steps and what each needs). The
 * descriptors pass down through exec; each step executes the next one by
 * descriptor. That is how the steps after step5 still start once it has
 * replaced the root filesystem and the host's files are out of reach
 * (DESIGN.md).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../supervisor/names.h"
#include "../supervisor/supervisor.h"
#include "chain.h"

const char *step_name = "step";
int step_number;
bool verbose;

/* Each step's name and what it needs from the chain: steps.table's rows. */
static const struct step_row {
	const char *name;
	unsigned needs; /* enum step_needs */
} steps[LAST_STEP + 1] = {
#define STEP(number, name, needs) [number] = { name, needs },
	FOR_EACH_STEP(STEP)
#undef STEP
};

/* Descriptors of the steps still to run, in order; handed down in the
 * environment as CHAIN_NEXT_FDS="4 5 6". */
static int next_step_fds[LAST_STEP];
static int next_step_count;
static char **original_argv;
static bool started_here;

bool
chain_started_here(void)
{
	return started_here;
}

bool
chain_entering(void)
{
	return getenv("CHAIN_ENTER") != NULL;
}

char **
chain_arguments(void)
{
	return original_argv;
}

/* Hand-over variables in the caller's environment are not ours. */
void
clear_hand_over_environment(void)
{
	/* Not CHAIN_NEXT_FDS and CHAIN_DEVICES: a first step has none of the
	 * one, and has just set the other (look_up_devices()). */
	static const char *const names[] = {
		"CHAIN_CGROUP_FD", "CHAIN_CGROUP_DELEGATED", "CHAIN_NO_CGROUP", "CHAIN_SUPERVISOR",
		"CHAIN_CONSOLE_FD", "CHAIN_ENTER", "CHAIN_READY_FD",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (unsetenv(names[i]) == -1)
			die_errno("unsetenv(%s)", names[i]);
	}
}

int
open_registered_namespace(const char *name, const char *kind)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 16];

	/* The directory's lock is held by the container's supervisor for its
	 * whole life: one we can take is a dead one's. */
	snprintf(path, sizeof(path), REGISTRY "/%s", name);
	narrate("open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", path);
	int entry = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (entry == -1)
		return -1;
	narrate("flock(%d<%s>, LOCK_SH|LOCK_NB)", entry, path);
	if (flock(entry, LOCK_SH | LOCK_NB) == 0) {
		close(entry);
		errno = ESRCH;
		return -1;
	}
	narrate("open(\"%s/%s\", O_RDONLY|O_CLOEXEC)", path, kind);
	int fd = openat(entry, kind, O_RDONLY | O_CLOEXEC);
	close(entry);
	return fd;
}

void
join_registered_namespace(const char *option, const char *name, const char *kind, int type,
			  const char *type_name)
{
	int fd = open_registered_namespace(name, kind);
	if (fd == -1)
		die("%s container:%s: %s", option, name,
		    errno == ESRCH ? "the container has ended" : strerror(errno));
	narrate("setns(%d<%s/%s>, %s)", fd, name, kind, type_name);
	if (setns(fd, type) == -1)
		die_call();
	close(fd);
}

/* One line on stderr in one write(2): the supervisor and the container
 * write at the same time, and their lines must not mix. */
static void
vreport(const char *label, const char *format, va_list arguments, int saved_errno)
{
	char line[1024];
	int length = snprintf(line, sizeof(line), "%s: %s", step_name, label);

	length += vsnprintf(line + length, sizeof(line) - (size_t)length, format, arguments);
	if (saved_errno != 0 && length < (int)sizeof(line))
		length += snprintf(line + length, sizeof(line) - (size_t)length, ": %s",
				   strerror(saved_errno));
	if (length >= (int)sizeof(line) - 1)
		length = (int)sizeof(line) - 2; /* cut, but still one line */
	line[length++] = '\n';
	/* Nothing useful is left to do if stderr cannot be written. */
	(void)!write(STDERR_FILENO, line, (size_t)length);
}

static __attribute__((format(printf, 2, 3))) void
report_line(const char *label, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vreport(label, format, arguments, 0);
	va_end(arguments);
}

void
die(const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vreport("", format, arguments, 0);
	va_end(arguments);
	exit(EXIT_SETUP_FAILED);
}

void
die_errno(const char *format, ...)
{
	int saved_errno = errno;
	va_list arguments;

	va_start(arguments, format);
	vreport("", format, arguments, saved_errno);
	va_end(arguments);
	exit(EXIT_SETUP_FAILED);
}

void
die_with_status(int status, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vreport("", format, arguments, 0);
	va_end(arguments);
	exit(status);
}

void
warn_errno(const char *format, ...)
{
	int saved_errno = errno;
	va_list arguments;

	va_start(arguments, format);
	vreport("", format, arguments, saved_errno);
	va_end(arguments);
	errno = saved_errno;
}

void
notice(const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vreport("", format, arguments, 0);
	va_end(arguments);
}

void
hint(const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vreport("hint: ", format, arguments, 0);
	va_end(arguments);
}

/* The text of the last narrated call, kept also without -v: when the call
 * fails, die_call() reports this very text, so that what -v shows and what
 * an error names can never drift apart. */
static char last_call[512];

void
narrate(const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(last_call, sizeof(last_call), format, arguments);
	va_end(arguments);
	if (verbose)
		report_line("", "%s", last_call);
}

void
warn_call(void)
{
	warn_errno("%s", last_call); /* keeps errno */
}

void
die_call(void)
{
	warn_call();
	exit(EXIT_SETUP_FAILED);
}

void
exercise_not_done(const char *exercise)
{
	die("exercise %s is not done (make hint STEP=%d)", exercise, step_number);
}

#ifdef FAULT_INJECTION
/* CHAIN_FAULT=<point> fails there as a kernel call would; <point>:pause
 * stops there until killed, so that a test can kill the chain midway (a
 * container's PID 1 cannot be killed from inside its own namespace);
 * <point>:sleep waits 3 s there, for something to change meanwhile. */
void
fault_point(const char *name)
{
	const char *fault = getenv("CHAIN_FAULT");
	size_t length = strlen(name);

	if (fault == NULL || strncmp(fault, name, length) != 0)
		return;
	if (fault[length] == '\0')
		die("injected fault at %s", name);
	if (strcmp(fault + length, ":pause") == 0)
		pause();
	if (strcmp(fault + length, ":sleep") == 0)
		sleep(3);
}
#endif

int
write_file_at(int dirfd, const char *path, const char *value)
{
	size_t length = strlen(value);
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	ssize_t written = write(fd, value, length);
	int saved_errno = errno;
	close(fd);
	if (written != (ssize_t)length) {
		errno = written == -1 ? saved_errno : EIO;
		return -1;
	}
	return 0;
}

/* /proc/sys shows the namespaces of the process that looks, at each lookup
 * (fs/proc/proc_sysctl.c): the path is opened here, in the caller's. */
static void
write_sysctl(const struct sysctl *sysctl)
{
	char path[sizeof("/proc/sys/") + sizeof(sysctl->key)];

	snprintf(path, sizeof(path), "/proc/sys/%s", sysctl->key);
	for (char *c = path + strlen("/proc/sys/"); *c != '\0'; c++) {
		if (*c == '.')
			*c = '/';
	}
	narrate("write(\"%s\", \"%s\")", path, sysctl->value);
	if (write_file_at(AT_FDCWD, path, sysctl->value) == 0)
		return;
	int saved_errno = errno;
	warn_call();
	if (saved_errno == ENOENT)
		hint("--sysctl %s: no such parameter in this kernel's %s namespace", sysctl->key,
		     sysctl->step == 1 ? "IPC" : "network");
	else if (saved_errno == EINVAL)
		hint("--sysctl %s: the kernel does not accept \"%s\" there", sysctl->key,
		     sysctl->value);
	exit(EXIT_SETUP_FAILED);
}

void
write_own_sysctls(const struct options *options)
{
	for (int i = 0; i < options->sysctl_count; i++) {
		if (options->sysctls[i].step == step_number)
			write_sysctl(&options->sysctls[i]);
	}
}

int
getenv_fd(const char *name)
{
	const char *value = getenv(name);
	char *end;

	if (value == NULL)
		return -1;
	long fd = strtol(value, &end, 10);
	if (*end != '\0' || fd < 3 || fd > INT_MAX || fcntl((int)fd, F_GETFD) == -1)
		die("%s=%s: not a descriptor handed over by the previous step", name, value);
	return (int)fd;
}

int
handed_cgroup_fd(void)
{
	return getenv_fd("CHAIN_CGROUP_FD");
}

/* Descriptors below are opened without O_CLOEXEC on purpose: they are
 * handed down through exec to the later steps. */
static int
open_handed_down(const char *path, int flags)
{
	narrate("open(\"%s\", O_PATH%s)", path, flags & O_DIRECTORY ? "|O_DIRECTORY" : "");
	int fd = open(path, O_PATH | flags);
	if (fd == -1)
		die_call();
	return fd;
}

/* The directory this step's binary is in, where its siblings and skelfs/
 * are: found through /proc/self/exe, never through PATH or the current
 * directory. */
static void
binary_directory(char *directory, size_t size)
{
	char binary[PATH_MAX];

	narrate("readlink(\"/proc/self/exe\", binary, %zu)", sizeof(binary) - 1);
	ssize_t length = readlink("/proc/self/exe", binary, sizeof(binary) - 1);
	if (length == -1)
		die_call();
	binary[length] = '\0';
	snprintf(directory, size, "%s", dirname(binary));
}

static void
validate_skeleton(const struct options *options)
{
	struct stat status;

	if (options->skel == NULL) /* step_init() set the default before */
		die("no --skel to check");
	if (stat(options->skel, &status) == -1)
		die_with_status(EXIT_BAD_INPUT, "--skel %.200s: %s", options->skel, strerror(errno));
	if (!S_ISDIR(status.st_mode))
		die_with_status(EXIT_BAD_INPUT, "--skel %.200s: not a directory", options->skel);
	if (access(options->skel, R_OK | X_OK) == -1)
		die_with_status(EXIT_BAD_INPUT, "--skel %.200s: %s", options->skel, strerror(errno));
}

unsigned
chain_needs(const struct options *options)
{
	unsigned needs = 0;

	for (int step = step_number; step <= options->until; step++)
		needs |= steps[step].needs;
	return needs;
}

/* PROGRAM's path in $PATH, as execvp(3) would find it; false if none. */
bool
find_in_path(const char *program, char *path, size_t size)
{
	char directories[4096];
	const char *variable = getenv("PATH");

	snprintf(directories, sizeof(directories), "%s", variable ? variable : "/usr/bin:/bin");
	for (char *saved, *directory = strtok_r(directories, ":", &saved); directory != NULL;
	     directory = strtok_r(NULL, ":", &saved)) {
		snprintf(path, size, "%s/%s", directory, program);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Below /sys/fs/cgroup, where the first step in a user namespace found a
 * cgroup delegated to the caller (cgroup_delegated()); "" if none, and
 * why not. */
static char delegated_parent[PATH_MAX];
static const char *why_not_delegated = "not looked for";

/* For step7 and the supervisor. In a user namespace the tree is the host
 * root's, and step7 has a cgroup only in the part delegated to the caller,
 * if there is one (cgroup_delegated()): its path goes down too, for
 * cgroup_parent(). */
static void
hand_down_cgroup_tree(const struct options *options)
{
	char text[16];

	/* Why not, for step7's notice. */
	if (options->user_namespace && delegated_parent[0] == '\0') {
		if (setenv("CHAIN_NO_CGROUP", why_not_delegated, 1) == -1)
			die_errno("setenv(CHAIN_NO_CGROUP)");
		return;
	}
	int fd = open_handed_down("/sys/fs/cgroup", O_DIRECTORY);
	snprintf(text, sizeof(text), "%d", fd);
	if (setenv("CHAIN_CGROUP_FD", text, 1) == -1)
		die_errno("setenv(CHAIN_CGROUP_FD)");
	if (options->user_namespace && setenv("CHAIN_CGROUP_DELEGATED", delegated_parent, 1) == -1)
		die_errno("setenv(CHAIN_CGROUP_DELEGATED)");
}

/* The first step on the host: check what only the host can tell, then open
 * what the later steps will need once the host is out of reach. */
static void
open_chain(struct options *options)
{
	char directory[PATH_MAX], path[PATH_MAX + 16];

	clear_hand_over_environment();
	if (geteuid() != 0)
		die_with_status(EXIT_BAD_INPUT, "must be run as root (try: sudo %s)", original_argv[0]);
	if (chain_needs(options) & STEP_NEEDS_SKELETON)
		validate_skeleton(options);
	/* --sysctl: the step that makes a namespace writes its parameters; a
	 * chain that starts after that step would leave them unset unsaid. */
	for (int i = 0; i < options->sysctl_count; i++) {
		if (options->sysctls[i].step < step_number)
			die_with_status(EXIT_BAD_INPUT,
					"--sysctl %.80s: set by step%d, which a chain started at "
					"step%d does not run",
					options->sysctls[i].key, options->sysctls[i].step, step_number);
	}
	/* --net, --ipc, --pid container:NAME: NAME must be running now, not
	 * only when its step joins it (which checks again). */
	struct joined_namespace joined[JOINABLE_NAMESPACES];

	joined_namespaces(options, joined);
	for (int i = 0; i < JOINABLE_NAMESPACES; i++) {
		if (joined[i].container == NULL || step_number > joined[i].step ||
		    options->until < joined[i].step)
			continue;
		int fd = open_registered_namespace(joined[i].container, joined[i].kind);
		if (fd == -1)
			die_with_status(EXIT_BAD_INPUT,
					"%s container:%s: no running container has this name "
					"(./enter --list)",
					joined[i].option, joined[i].container);
		close(fd);
	}
	/* --net pasta: the supervisor of step2 starts pasta for step3. */
	char pasta[PATH_MAX];
	if (options->net == NET_PASTA && options->until >= 3 && step_number == 3)
		die_with_status(EXIT_BAD_INPUT,
				"--net pasta: step2's supervisor starts pasta, and this chain "
				"starts at step3");
	if (options->net == NET_PASTA && options->until >= 3 &&
	    !find_in_path("pasta", pasta, sizeof(pasta)))
		die_with_status(EXIT_BAD_INPUT,
				"--net pasta: no pasta in PATH (Debian's package passt)");
	/* A name is registered by the supervisor of step2, or of step7 when
	 * the chain starts there (supervisor/names.c). */
	if (options->name != NULL && !(step_number <= 2 && options->until >= 2) && step_number != 7)
		die_with_status(EXIT_BAD_INPUT,
				"--name %s: only a container with a supervisor on the host has a "
				"name (a chain through step2, or started at step7)",
				options->name);
	binary_directory(directory, sizeof(directory));

	for (int step = step_number + 1; step <= options->until; step++) {
		snprintf(path, sizeof(path), "%s/step%d", directory, step);
		next_step_fds[next_step_count++] = open_handed_down(path, 0);
	}
	if (chain_needs(options) & STEP_NEEDS_CGROUP)
		hand_down_cgroup_tree(options);
}

/* --device and --device-*-bps/iops name host paths, which are out of reach
 * after step5's pivot_root: the first step looks them up on the host and
 * hands the numbers down as CHAIN_DEVICES="b 7:0 c 1:3 ...", devices first,
 * then the I/O limits, in the order of argv. */
static void
stat_device(const char *option, const char *path, bool block_only, char *type, unsigned *major,
	    unsigned *minor)
{
	struct stat status;

	if (stat(path, &status) == -1)
		die_with_status(EXIT_BAD_INPUT, "%s %.200s: %s", option, path, strerror(errno));
	if (!S_ISBLK(status.st_mode) && (block_only || !S_ISCHR(status.st_mode)))
		die_with_status(EXIT_BAD_INPUT, "%s %.200s: not a %sdevice", option, path,
				block_only ? "block " : "");
	*type = S_ISBLK(status.st_mode) ? 'b' : 'c';
	*major = major(status.st_rdev);
	*minor = minor(status.st_rdev);
}

static void
look_up_devices(struct options *options)
{
	char list[(MAX_DEVICES + MAX_IO_LIMITS) * 24] = "", type;
	size_t used = 0;

	for (unsigned i = 0; i < options->device_count; i++) {
		struct device *device = &options->devices[i];
		stat_device("--device", device->host_path, false, &device->type, &device->major,
			    &device->minor);
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%c %u:%u ", device->type,
					 device->major, device->minor);
	}
	for (unsigned i = 0; i < options->io_limit_count; i++) {
		struct io_limit *limit = &options->io_limits[i];
		stat_device(io_limit_option(limit->kind), limit->path, true, &type, &limit->major,
			    &limit->minor);
		used += (size_t)snprintf(list + used, sizeof(list) - used, "b %u:%u ", limit->major,
					 limit->minor);
	}
	if (setenv("CHAIN_DEVICES", list, 1) == -1)
		die_errno("setenv(CHAIN_DEVICES)");
}

/* One "b 7:0 " of CHAIN_DEVICES at *TEXT, which moves past it; -1 if it is not one. */
static int
take_device_numbers(const char **text, char *type, unsigned *major, unsigned *minor)
{
	const char *p = *text;
	char *end;

	if ((p[0] != 'b' && p[0] != 'c') || p[1] != ' ' || !isdigit((unsigned char)p[2]))
		return -1;
	*type = p[0];
	unsigned long number = strtoul(p + 2, &end, 10);
	if (*end != ':' || !isdigit((unsigned char)end[1]) || number > UINT_MAX)
		return -1;
	*major = (unsigned)number;
	number = strtoul(end + 1, &end, 10);
	if (*end != ' ' || number > UINT_MAX)
		return -1;
	*minor = (unsigned)number;
	*text = end + 1;
	return 0;
}

static void
take_handed_over_devices(struct options *options)
{
	const char *list = getenv("CHAIN_DEVICES"), *p = list != NULL ? list : "";
	char type;

	int result = 0;

	for (unsigned i = 0; i < options->device_count && result == 0; i++) {
		struct device *device = &options->devices[i];
		result = take_device_numbers(&p, &device->type, &device->major, &device->minor);
	}
	for (unsigned i = 0; i < options->io_limit_count && result == 0; i++) {
		struct io_limit *limit = &options->io_limits[i];
		result = take_device_numbers(&p, &type, &limit->major, &limit->minor);
	}
	if (result == -1)
		die("CHAIN_DEVICES=%s: not the devices looked up by the first step",
		    list != NULL ? list : "");
}

static void
take_handed_over_steps(const char *list)
{
	char *end;

	for (const char *p = list; *p != '\0'; p = end) {
		long fd = strtol(p, &end, 10);
		if (end == p || fd < 3 || fd > INT_MAX || next_step_count == LAST_STEP ||
		    fcntl((int)fd, F_GETFD) == -1)
			die("CHAIN_NEXT_FDS=%s: not descriptors handed over by the previous step", list);
		next_step_fds[next_step_count++] = (int)fd;
		while (*end == ' ')
			end++;
	}
}

bool
in_user_namespace(void)
{
	char map[128] = "";

	/* Not narrated: every step reads it, and only the answer matters. */
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	/* Under ./enter, steps 6-9 run in a process outside the container's
	 * PID namespace, whose /proc has no /proc/self for it; and ./enter
	 * needs the host's root (the registry), so no user namespace. */
	if (fd == -1 && errno == ENOENT && chain_entering())
		return false;
	if (fd == -1)
		die_errno("open(\"/proc/self/uid_map\", O_RDONLY|O_CLOEXEC)");
	ssize_t got = read(fd, map, sizeof(map) - 1);
	if (got == -1)
		die_errno("read(%d</proc/self/uid_map>)", fd);
	close(fd);
	/* The host's user namespace maps every uid to itself, in one line:
	 * "0 0 4294967295", in columns of the kernel's width. */
	char *field = map, *end;
	const unsigned long expected[3] = { 0, 0, 4294967295UL };

	for (int i = 0; i < 3; i++, field = end) {
		if (strtoul(field, &end, 10) != expected[i] || end == field)
			return true;
	}
	return strcmp(end, "\n") != 0;
}

void
exit_unless_parsed(int parsed, const char *error)
{
	switch (parsed) {
	case OPTIONS_HELP:
		print_usage();
		exit(EXIT_SUCCESS);
	case OPTIONS_BAD_INPUT:
		fprintf(stderr, "%s: %s (see %s --help)\n", step_name, error, step_name);
		exit(EXIT_BAD_INPUT);
	}
}

/* In a user namespace: the cgroup delegated to the caller, found by the
 * first step if step7 will run (its controllers, for check_user_namespace(),
 * and its path, for open_chain()); a later step only needs to know whether
 * the first one handed it down (the path: step7 closes the descriptor). */
static const char *
cgroup_delegated(const struct options *options)
{
	static char controllers[128];

	if (getenv("CHAIN_NEXT_FDS") != NULL)
		return getenv("CHAIN_CGROUP_DELEGATED") != NULL ? "" : NULL;
	if (!(chain_needs(options) & STEP_NEEDS_CGROUP))
		return NULL;
	narrate("statfs(\"/sys/fs/cgroup\"), read(\"/proc/self/cgroup\"), access(W_OK): a "
		"cgroup v2 of the caller's to make the container's in?");
	why_not_delegated = find_delegated_cgroup(delegated_parent, sizeof(delegated_parent),
						  controllers, sizeof(controllers));
	if (why_not_delegated != NULL) {
		delegated_parent[0] = '\0';
		return NULL;
	}
	return controllers;
}

void
open_closed_standard_descriptors(void)
{
	/* A caller may start us with 0, 1 or 2 closed (`<&-`): the next file
	 * opened would then become one of them, and the container's stdin
	 * would be a step's binary or a pipe's wrong end. /dev/null instead. */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue; /* open: EBADF is the only error F_GETFD can give */
		narrate("open(\"/dev/null\", O_RDWR): as descriptor %d", fd);
		int opened = open("/dev/null", O_RDWR);
		if (opened == -1)
			die_call();
		if (opened != fd) /* the lowest free one: 0 to fd - 1 are open */
			die("open(\"/dev/null\", O_RDWR): descriptor %d, not %d", opened, fd);
	}
}

void
step_init(int number, const char *name, int argc, char **argv, struct options *options)
{
	step_number = number;
	step_name = name;
	/* The name is also what the previous step gives as argv[0]. */
	if (number < 1 || number > LAST_STEP || strcmp(name, steps[number].name) != 0)
		die("not step %d of steps.table (rebuilt since it changed?)", number);
	open_closed_standard_descriptors();
	original_argv = argv;
	/* Executed by descriptor, a step would be named "3" in ps: name it. */
	prctl(PR_SET_NAME, name); /* cannot fail for a string */
	char error[256];
	int parsed = parse_options(argc, argv, options, error, sizeof(error));
	verbose = options->verbose;
	if (parsed == OPTIONS_OK && in_user_namespace())
		parsed = check_user_namespace(options, true, cgroup_delegated(options), error,
					      sizeof(error));
	else if (parsed == OPTIONS_OK)
		parsed = check_user_namespace(options, false, NULL, error, sizeof(error));
	/* After step5 the host's /sys is out of sight: the first step checks. */
	if (parsed == OPTIONS_OK && getenv("CHAIN_NEXT_FDS") == NULL)
		parsed = check_on_host(options, error, sizeof(error));
	exit_unless_parsed(parsed, error);

	/* The skeleton is on the host: only steps before the pivot can see it. */
	if (options->skel == NULL && (chain_needs(options) & STEP_NEEDS_SKELETON)) {
		static char default_skel[PATH_MAX];
		binary_directory(default_skel, sizeof(default_skel) - 8);
		size_t used = strlen(default_skel);
		snprintf(default_skel + used, sizeof(default_skel) - used, "/skelfs");
		options->skel = default_skel;
	}

	const char *handed_over = getenv("CHAIN_NEXT_FDS");
	started_here = handed_over == NULL;
	if (started_here) {
		look_up_devices(options);
		open_chain(options);
	} else {
		take_handed_over_steps(handed_over);
		take_handed_over_devices(options);
	}
	if (next_step_count != options->until - step_number)
		die("the chain handed over %d later steps, --until %d needs %d", next_step_count,
		    options->until, options->until - step_number);
}

/* COMMAND gets a controlled environment, as Docker gives: nothing of the
 * host's (no SUDO_*, no CHAIN_*), just what a shell needs. */
static char **
container_environment(const struct options *options)
{
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char home[] = "HOME=/root";
	static char term[64], hostname[80];
	static char *environment[5];
	const char *terminal = getenv("TERM");
	char name[65] = "";
	int count = 0;

	environment[count++] = path;
	environment[count++] = home;
	if (terminal != NULL && strlen(terminal) < sizeof(term) - 5) {
		snprintf(term, sizeof(term), "TERM=%s", terminal);
		environment[count++] = term;
	}
	if (gethostname(name, sizeof(name) - 1) == -1)
		snprintf(name, sizeof(name), "%s", options->hostname);
	snprintf(hostname, sizeof(hostname), "HOSTNAME=%s", name);
	environment[count++] = hostname;
	environment[count] = NULL;
	return environment;
}

int
exit_status_of(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* In the child of fork_into_container(): die with the parent, as the
 * container's PID 1 dies with the supervisor (which checks the same way,
 * getppid() being 0 across PID namespaces), then a process group of its
 * own in the terminal's foreground, so that typed signals reach COMMAND,
 * not the parent waiting for it. */
static void
start_command_in_foreground(int parent, const sigset_t *previous)
{
	struct pollfd alive = { .fd = parent, .events = POLLIN };

	narrate("prctl(PR_SET_PDEATHSIG, SIGKILL)");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		die_call();
	if (poll(&alive, 1, 0) != 0)
		die("the parent that waits for COMMAND has gone");
	close(parent);
	narrate("setpgid(0, 0)");
	if (setpgid(0, 0) == -1)
		die_call();
	if (isatty(STDIN_FILENO) && tcsetpgrp(STDIN_FILENO, getpid()) == -1)
		die_errno("tcsetpgrp(0, %d)", getpid());
	fault_point("enter-forked");
	if (sigprocmask(SIG_SETMASK, previous, NULL) == -1)
		die_errno("sigprocmask(SIG_SETMASK, &previous, NULL)");
}

/* In the parent: pass on what it is sent, exit as COMMAND does. */
__attribute__((noreturn)) static void
wait_and_forward(pid_t child, const sigset_t *forwarded)
{
	siginfo_t info;
	int status;

	for (;;) {
		if (sigwaitinfo(forwarded, &info) == -1) {
			if (errno == EINTR)
				continue;
			die_errno("sigwaitinfo");
		}
		if (info.si_signo != SIGCHLD) {
			narrate("kill(-%d, SIG%s): forwarding", child, sigabbrev_np(info.si_signo));
			kill(-child, info.si_signo); /* ESRCH: it has just ended */
			continue;
		}
		pid_t pid = waitpid(child, &status, WNOHANG);
		if (pid == -1)
			die_errno("waitpid(%d, &status, WNOHANG)", child);
		if (pid == child)
			exit(exit_status_of(status));
	}
}

/* Under ./enter (enter-setns/), this process joined the container's PID
 * namespace for its children only (setns(2)): it stayed out of the
 * container's sight while steps 6-9 confined it, so that no process of the
 * container could ptrace it before its seccomp filter (runc's
 * CVE-2016-9962). COMMAND is its child, the only process of ours the
 * container ever sees. Returns in the child; the parent waits for it,
 * passes on the signals it is sent, and exits with its status. */
static void
fork_into_container(void)
{
	sigset_t forwarded, previous;

	sigemptyset(&forwarded);
	for (const int *number = (const int[]){ SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, 0 };
	     *number != 0; number++)
		sigaddset(&forwarded, *number);
	/* SIGTTOU too, for the child's tcsetpgrp() from the background. */
	sigaddset(&forwarded, SIGTTOU);
	narrate("sigprocmask(SIG_BLOCK, {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTTOU}, &previous)");
	if (sigprocmask(SIG_BLOCK, &forwarded, &previous) == -1)
		die_call();
	sigdelset(&forwarded, SIGTTOU);
	/* The child is visible in the container until its execve: it is not
	 * dumpable, so that a process there without CAP_SYS_PTRACE can
	 * neither read its memory nor open its /proc/PID/exe (a host binary)
	 * or its descriptors, which close at the execve (exec_command()). */
	narrate("prctl(PR_SET_DUMPABLE, 0)");
	if (prctl(PR_SET_DUMPABLE, 0) == -1)
		die_call();
	narrate("pidfd_open(%d, 0)", getpid());
	int parent = pidfd_open(getpid(), 0);
	if (parent == -1)
		die_call();
	narrate("fork()");
	pid_t child = fork();
	if (child == -1 && errno == ENOMEM)
		die("fork(): the container's PID 1 has exited, its PID namespace takes no one in");
	if (child == -1)
		die_call();
	if (child == 0) {
		start_command_in_foreground(parent, &previous);
		return;
	}
	close(parent);
	wait_and_forward(child, &forwarded);
}

__attribute__((noreturn)) void
exec_command(const struct options *options)
{
	static char *login_shell[] = { "bash", "-l", NULL };
	char **command = options->command[0] != NULL ? options->command : login_shell;

	/* A terminal of the container's own, when the supervisor asked for one
	 * (supervisor/console.c). */
	relay_take_terminal(getenv_fd("CHAIN_CONSOLE_FD"));
	if (chain_entering())
		fork_into_container();
	/* A signal the caller ignored stays ignored through exec (a shell's
	 * `cmd &` ignores SIGINT; a SIGPIPE ignored makes every write to a
	 * closed pipe an error message): COMMAND starts with the defaults. */
	for (int number = 1; number < NSIG; number++)
		(void)signal(number, SIG_DFL); /* EINVAL for SIGKILL, SIGSTOP, glibc's own: fine */
	/* The supervisor registers the container's name once the chain is
	 * ready (supervisor/names.c): one byte, then the end-of-file of the
	 * execve below, say so. */
	int ready = getenv_fd("CHAIN_READY_FD");
	if (ready != -1) {
		narrate("write(%d<the supervisor's ready pipe>, \"\", 1)", ready);
		if (write(ready, "", 1) != 1)
			die_call();
	}
	environ = container_environment(options);
	/* Whatever the caller had open (a descriptor to a host directory is how
	 * runc's CVE-2024-21626 escaped) ends here: COMMAND gets 0, 1 and 2.
	 * Closed by the execve itself, so that the ready pipe's end-of-file
	 * tells the supervisor that COMMAND has started. */
	narrate("close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)");
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == -1)
		die_call();
	narrate("execvp(\"%s\", ...)", command[0]);
	execvp(command[0], command);
	if (errno == ENOENT)
		die_with_status(EXIT_NOT_FOUND, "%s: command not found", command[0]);
	die_with_status(EXIT_CANNOT_EXECUTE, "cannot execute %s: %s", command[0], strerror(errno));
}

void
exec_first_step(char **argv)
{
	char directory[PATH_MAX], path[PATH_MAX + 16];

	binary_directory(directory, sizeof(directory));
	snprintf(path, sizeof(path), "%s/step1", directory);
	argv[0] = (char *)steps[1].name;
	narrate("execve(\"%s\", [\"%s\", ...], environ)", path, argv[0]);
	execve(path, argv, environ);
	die_call();
}

void
exec_next(const struct options *options)
{
	char list[LAST_STEP * 12] = "";
	size_t used = 0;

	if (step_number >= options->until)
		exec_command(options);

	int fd = next_step_fds[0];
	for (int i = 1; i < next_step_count; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%d", i > 1 ? " " : "",
					 next_step_fds[i]);
	if (setenv("CHAIN_NEXT_FDS", list, 1) == -1)
		die_errno("setenv(CHAIN_NEXT_FDS)");
	/* The next step needs its binary, not a descriptor to it. */
	narrate("fcntl(%d, F_SETFD, FD_CLOEXEC)", fd);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		die_call();
	original_argv[0] = (char *)steps[step_number + 1].name;
	/* What fexecve(3) calls, made here so that -v names the call made. */
	narrate("execveat(%d, \"\", [\"%s\", ...], AT_EMPTY_PATH)", fd, original_argv[0]);
	execveat(fd, "", original_argv, environ, AT_EMPTY_PATH);
	die_call();
}
