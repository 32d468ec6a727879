/* enter: a second process in a running container, as `docker exec` or
 * `nsenter -t PID -a` make one, and confined as the container is.
 *
 * The talk's third namespace call. clone(2) starts a process in new
 * namespaces, unshare(2) moves the caller into new ones, and setns(2) moves
 * the caller into one that exists, given a descriptor of it: a file of
 * /proc/PID/ns/, or a bind mount of one, which also keeps the namespace
 * alive (`ip netns add` works so). The supervisor of a container started
 * with --name binds its PID 1's namespaces under /run/under-the-hood/names/
 * (supervisor/names.c); enter opens them, never a pid that may have been
 * reused.
 *
 * A namespace is only what a process sees. Joining them all is what
 * nsenter does, and its process is root with every capability, no seccomp
 * filter, in no cgroup of the container: more than any process of the
 * container ever had. So enter also joins the container's cgroup and then
 * runs steps 6-9 again with the container's own options: the same
 * capabilities, no_new_privs, rlimits, seccomp filter and Landlock
 * ruleset; COMMAND gets fds 0-2 and the container's environment.
 *
 * setns(CLONE_NEWPID) moves only the children of the caller: this process
 * stays outside the container's sight while steps 6-9 confine it, and the
 * last step forks COMMAND into the container (exec_command()). The process
 * that stays on the host relays stdio and forwards signals, as a container's
 * supervisor does (supervisor/supervise.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/chain.h"
#include "../supervisor/names.h"
#include "../supervisor/supervisor.h"
#include "enter.h"

static const int namespace_flags[REGISTERED_NAMESPACES] = {
	CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWNS,
};
static const char *const namespace_flag_names[REGISTERED_NAMESPACES] = {
	"CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWNET", "CLONE_NEWPID", "CLONE_NEWNS",
};

/* What enter knows of the container before it joins it. */
struct container {
	const char *name;
	int entry_fd;                              /* REGISTRY/<name> */
	int namespace_fds[REGISTERED_NAMESPACES];
	char **chain_argv;                         /* "step6-caps", its options, COMMAND */
	int cgroup_root_fd;                        /* /sys/fs/cgroup; -1 without step7 */
	char cgroup[128];                          /* its name, under CGROUP_PARENT */
	struct options options;
};

static void
usage(FILE *stream)
{
	fprintf(stream, "Usage: enter [-v] NAME [COMMAND [ARG...]]\n"
			"       enter --list\n\n"
			"Run COMMAND (default: bash as a login shell) in the running container\n"
			"NAME (started with --name NAME, or named after its hostname), in its\n"
			"namespaces and cgroup, confined as the container is (steps 6-9 with the\n"
			"container's options).\n\n"
			"  -h, --help      show this help and exit\n"
			"  -v, --verbose   narrate every kernel call on stderr\n"
			"      --list      the running containers: name, PID 1 on the host,\n"
			"                  hostname, addresses, cgroup, uptime\n");
}

__attribute__((noreturn)) static void
bad_input(const char *format, const char *value)
{
	fprintf(stderr, "enter: ");
	fprintf(stderr, format, value);
	fprintf(stderr, " (see enter --help)\n");
	exit(EXIT_BAD_INPUT);
}

/* The whole of a file of the entry, in memory of its own; NULL if it is
 * not there. */
static char *
read_entry_file(int entry_fd, const char *file, size_t *length)
{
	struct stat status;

	narrate("openat(%d, \"%s\", O_RDONLY|O_CLOEXEC)", entry_fd, file);
	int fd = openat(entry_fd, file, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT)
		return NULL;
	if (fd == -1)
		die_call();
	if (fstat(fd, &status) == -1)
		die_errno("fstat(%d<%s>)", fd, file);
	char *text = malloc((size_t)status.st_size + 1);
	if (text == NULL)
		die_errno("malloc(%lld)", (long long)status.st_size + 1);
	ssize_t got = read(fd, text, (size_t)status.st_size + 1);
	if (got != status.st_size)
		die("read(%d<%s>): %zd bytes, not the %lld it has", fd, file, got,
		    (long long)status.st_size);
	close(fd);
	text[got] = '\0';
	*length = (size_t)got;
	return text;
}

/* The container's options as the supervisor stored them, without -v (the
 * narration is enter's to ask for), then COMMAND. */
static void
read_options(struct container *container, char **command, bool narrate_steps)
{
	size_t length, count = 0;
	char *words = read_entry_file(container->entry_fd, "options", &length);
	char error[256];

	if (words == NULL)
		die("%s: no options in its entry: still starting, try again", container->name);
	size_t command_words = 0;
	while (command[command_words] != NULL)
		command_words++;
	/* Each stored word takes a byte at least; four more for ours. */
	char **argv = calloc(length + command_words + 4, sizeof(char *));
	if (argv == NULL)
		die_errno("calloc");
	argv[count++] = "step6-caps";
	if (narrate_steps)
		argv[count++] = "-v";
	for (char *word = words; word < words + length; word += strlen(word) + 1) {
		if (strcmp(word, "-v") != 0 && strcmp(word, "--verbose") != 0 &&
		    strcmp(word, "--") != 0)
			argv[count++] = word;
	}
	argv[count++] = "--";
	for (size_t i = 0; i < command_words; i++)
		argv[count++] = command[i];
	argv[count] = NULL;
	container->chain_argv = argv;
	if (parse_options((int)count, argv, &container->options, error, sizeof(error)) != OPTIONS_OK)
		die("%s: its stored options do not parse: %s", container->name, error);
}

/* The entry of a live container: its supervisor holds the lock. */
static void
open_entry(struct container *container)
{
	char path[sizeof(REGISTRY) + CONTAINER_NAME_MAX + 2];
	size_t length;

	snprintf(path, sizeof(path), REGISTRY "/%s", container->name);
	narrate("open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", path);
	container->entry_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (container->entry_fd == -1 && errno == ENOENT)
		bad_input("%s: no running container has this name (enter --list)", container->name);
	if (container->entry_fd == -1)
		die_call();
	narrate("flock(%d, LOCK_SH|LOCK_NB)", container->entry_fd);
	if (flock(container->entry_fd, LOCK_SH | LOCK_NB) == 0)
		bad_input("%s: its supervisor has exited; the next start removes its entry",
			  container->name);
	if (errno != EWOULDBLOCK)
		die_call();
	if (read_entry_file(container->entry_fd, "host-pid", &length) == NULL)
		die("%s: still starting, try again", container->name);
}

/* The namespace files and the cgroup, opened while the host's paths are in
 * reach; the descriptors stay valid after the joins. */
static void
open_container(struct container *container)
{
	size_t length;

	for (int i = 0; i < REGISTERED_NAMESPACES; i++) {
		narrate("openat(%d, \"%s\", O_RDONLY|O_CLOEXEC)", container->entry_fd,
			registered_namespaces[i]);
		container->namespace_fds[i] =
			openat(container->entry_fd, registered_namespaces[i], O_RDONLY | O_CLOEXEC);
		/* ENOENT for mnt: the container has the host's mounts (names.c
		 * binds no mount namespace into itself). Any other is an entry
		 * being removed, as is a host-pid gone meanwhile (it goes first). */
		if (container->namespace_fds[i] == -1 &&
		    (errno != ENOENT || strcmp(registered_namespaces[i], "mnt") != 0))
			die("%s: has ended (%s: %s)", container->name, registered_namespaces[i],
			    strerror(errno));
	}
	if (faccessat(container->entry_fd, "host-pid", F_OK, 0) == -1)
		die("%s: has ended", container->name);
	const char *devices = read_entry_file(container->entry_fd, "devices", &length);
	if (devices != NULL && setenv("CHAIN_DEVICES", devices, 1) == -1)
		die_errno("setenv(CHAIN_DEVICES)");
	const char *cgroup = read_entry_file(container->entry_fd, "cgroup", &length);
	container->cgroup_root_fd = -1;
	if (cgroup == NULL || cgroup[0] == '\0')
		return;
	snprintf(container->cgroup, sizeof(container->cgroup), "%s", cgroup);
	narrate("open(\"/sys/fs/cgroup\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)");
	container->cgroup_root_fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (container->cgroup_root_fd == -1)
		die_call();
}

/* Every later step by descriptor, as the first step of a chain hands them
 * down (common/chain.c): from next to this binary, found by /proc/self/exe. */
static int
open_steps(const struct container *container)
{
	char binary[PATH_MAX], path[PATH_MAX + 16], list[LAST_STEP * 12] = "";
	size_t used = 0;
	int first = -1;

	narrate("readlink(\"/proc/self/exe\", binary, %zu)", sizeof(binary) - 1);
	ssize_t length = readlink("/proc/self/exe", binary, sizeof(binary) - 1);
	if (length == -1)
		die_call();
	binary[length] = '\0';
	*strrchr(binary, '/') = '\0';
	for (int step = 6; step <= container->options.until; step++) {
		snprintf(path, sizeof(path), "%s/step%d", binary, step);
		narrate("open(\"%s\", O_PATH%s)", path, step == 6 ? "|O_CLOEXEC" : "");
		int fd = open(path, O_PATH | (step == 6 ? O_CLOEXEC : 0));
		if (fd == -1)
			die_call();
		if (step == 6)
			first = fd;
		else
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%d",
						 used > 0 ? " " : "", fd);
	}
	if (setenv("CHAIN_NEXT_FDS", list, 1) == -1)
		die_errno("setenv(CHAIN_NEXT_FDS)");
	return first;
}

/* "echo $$ > cgroup.procs" in the container's cgroup, in every hierarchy:
 * the limits count this process, and all it forks, with the container's. */
static void
join_cgroup(const struct container *container)
{
	char path[256], pid[16];

	if (container->cgroup_root_fd == -1)
		return;
	snprintf(pid, sizeof(pid), "%d", getpid());
	bool v2 = cgroup_layout(container->cgroup_root_fd) == CGROUP_V2;
	for (size_t i = 0; i < (v2 ? 1 : sizeof(cgroup_v1_controllers) / sizeof(char *)); i++) {
		snprintf(path, sizeof(path), "%s%s" CGROUP_PARENT "/%s/cgroup.procs",
			 v2 ? "" : cgroup_v1_controllers[i], v2 ? "" : "/", container->cgroup);
		narrate("write(\"/sys/fs/cgroup/%s\", \"%s\")", path, pid);
		if (write_file_at(container->cgroup_root_fd, path, pid) == 0)
			continue;
		if (errno == ENOENT)
			die("%s: its cgroup has gone: the container has ended", container->name);
		die_call();
	}
	close(container->cgroup_root_fd);
}

/* setns(2) into each, the mount namespace last: after it, the host's
 * paths are gone, and the root and working directory are the container's. */
static void
join_namespaces(const struct container *container)
{
	for (int i = 0; i < REGISTERED_NAMESPACES; i++) {
		if (container->namespace_fds[i] == -1) {
			narrate("%s: has the host's %s namespace: not joining it", container->name,
				registered_namespaces[i]);
			continue;
		}
		narrate("setns(%d<%s/%s>, %s)", container->namespace_fds[i], container->name,
			registered_namespaces[i], namespace_flag_names[i]);
		if (setns(container->namespace_fds[i], namespace_flags[i]) == -1)
			die_call();
		close(container->namespace_fds[i]);
	}
}

int
main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct container container = { 0 };
	bool list = false;
	int option;

	step_name = "enter";
	opterr = 0;
	while ((option = getopt_long(argc, argv, "+hv", long_options, NULL)) != -1) {
		if (option == 'h') {
			usage(stdout);
			return 0;
		}
		if (option == 'v')
			verbose = true;
		else if (option == 'l')
			list = true;
		else
			bad_input("unrecognized option '%s'", argv[optind - 1]);
	}
	if (geteuid() != 0)
		bad_input("must be run as root (try: sudo %s)", argv[0]);
	if (list) {
		if (optind < argc)
			bad_input("--list takes no NAME ('%s')", argv[optind]);
		list_containers();
		return 0;
	}
	if (optind == argc)
		bad_input("%s", "no NAME: which container? (enter --list)");
	container.name = argv[optind++];
	if (!valid_container_name(container.name))
		bad_input("'%.80s' is not a container name (letters, digits, and inner '_', '.' "
			  "or '-')",
			  container.name);

	/* The hand-over variables are ours to set, not the caller's. */
	clear_hand_over_environment();
	open_entry(&container);
	read_options(&container, argv + optind, verbose);
	open_container(&container);
	fault_point("enter-opened");
	int first_step = container.options.until >= 6 ? open_steps(&container) : -1;
	if (setenv("CHAIN_ENTER", container.name, 1) == -1)
		die_errno("setenv(CHAIN_ENTER)");

	sigset_t previous;
	block_supervisor_signals(&previous);
	narrate("fork()");
	pid_t child = fork();
	if (child == -1)
		die_call();
	if (child > 0)
		supervise(child, &container.options);
	die_with_supervisor(&previous);
	join_cgroup(&container);
	join_namespaces(&container);
	if (first_step == -1)
		exec_command(&container.options); /* no step after step5: nothing to confine */
	narrate("execveat(%d, \"\", [\"step6-caps\", ...], AT_EMPTY_PATH)", first_step);
	execveat(first_step, "", container.chain_argv, environ, AT_EMPTY_PATH);
	die_call();
}
