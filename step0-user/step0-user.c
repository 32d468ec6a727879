/* step0-user: a user namespace, so that an ordinary user can build the
 * container. Optional: run as root, the chain starts at step1.
 *
 * The talk's list:     unshare --user --map-root-user bash step1
 *                      (unshare -r; "creating a user namespace needs no
 *                      privilege")
 *
 * A user namespace has its own uids and gids, and its own capabilities.
 * Whoever makes one has every capability in it, but only over what it
 * owns: the namespaces made from inside it, which is every namespace the
 * rest of the chain makes. So step1 to step9 run unchanged, as "root", and
 * none of them can touch what the host's root owns: the host's network
 * namespace, its cgroup tree, its files (whose owners are not mapped here
 * and show as nobody). See user_namespaces(7).
 *
 * A new user namespace maps no one: until /proc/self/uid_map and gid_map
 * are written, this process is the overflow uid 65534 in it. The map says
 * which host ids are which ids inside. An ordinary user may write one line
 * only, their own uid as any one id: "0 1000 1" makes them root inside.
 * A range (podman's 65536 ids, so that a container can have users besides
 * root) needs newuidmap(1) and newgidmap(1), set-user-ID root helpers that
 * write the ranges /etc/subuid and /etc/subgid grant: --map subids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/chain.h"

/* A line of /etc/subuid or /etc/subgid: the caller's ids on the host. */
struct id_range {
	unsigned long start, count;
};

/* Read the first word of /proc/sys/PATH into TEXT; false if it is not there. */
static bool
read_proc_sys(const char *path, char text[16])
{
	char full[128];

	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	FILE *file = fopen(full, "re");
	bool got = file != NULL && fscanf(file, "%15s", text) == 1;

	if (file != NULL)
		(void)fclose(file); /* read-only: nothing to lose */
	return got;
}

/* Ubuntu 23.10 and later let an unconfined program make a user namespace,
 * then take every capability in it away (AppArmor's unprivileged_userns
 * profile): the chain would fail halfway, at step4's first mount. Refuse
 * now, unless an AppArmor profile that allows "userns" confines us. */
static void
refuse_if_restricted(void)
{
	char restricted[16] = "", label[256] = "";

	if (!read_proc_sys("kernel/apparmor_restrict_unprivileged_userns", restricted) ||
	    strcmp(restricted, "1") != 0 || geteuid() == 0)
		return;
	int fd = open("/proc/self/attr/current", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd == -1 ? -1 : read(fd, label, sizeof(label) - 1);

	if (fd != -1)
		close(fd);
	if (got > 0 && strncmp(label, "unconfined", 10) != 0)
		return; /* a profile: under-the-hood-step0, installed by make apparmor */
	die_with_status(EXIT_BAD_INPUT,
			"AppArmor restricts user namespaces here "
			"(kernel.apparmor_restrict_unprivileged_userns=1): sudo make apparmor "
			"installs a profile that lets step0 make one (README.md)");
}

/* The caller's range in FILE (/etc/subuid): lines NAME:START:COUNT, NAME
 * a user name or a uid. False when the caller has none. */
static bool
find_range(const char *file, const char *user, unsigned long id, struct id_range *range)
{
	char line[512];
	FILE *stream = fopen(file, "re");
	bool found = false;

	narrate("open(\"%s\", O_RDONLY): a range for %s (%lu)", file, user, id);
	while (stream != NULL && !found && fgets(line, sizeof(line), stream) != NULL) {
		char *start = strchr(line, ':'), *count, *end;
		if (start == NULL || (count = strchr(start + 1, ':')) == NULL)
			continue;
		*start++ = '\0';
		*count++ = '\0';
		unsigned long owner_id = strtoul(line, &end, 10);
		bool owner = strcmp(line, user) == 0 || (*end == '\0' && end != line && owner_id == id);
		range->start = strtoul(start, &end, 10);
		bool numbers = end != start && *end == '\0';
		range->count = strtoul(count, &end, 10);
		numbers = numbers && end != count && (*end == '\n' || *end == '\0');
		found = owner && numbers && range->count > 0;
	}
	if (stream != NULL)
		(void)fclose(stream);
	return found;
}

/* --map: SUBIDS needs both helpers and both ranges; AUTO takes SUBIDS
 * where they are all there, else SELF. Explicit SUBIDS without them is
 * bad input: one line, nothing made yet. */
static enum user_map
choose_map(const struct options *options, char helpers[2][PATH_MAX], struct id_range ranges[2])
{
	const struct passwd *entry = getpwuid(getuid());
	char uid_text[32];
	const char *missing = NULL;

	snprintf(uid_text, sizeof(uid_text), "%u", getuid());
	const char *user = entry != NULL ? entry->pw_name : uid_text;

	if (options->map == MAP_SELF)
		return MAP_SELF;
	if (entry == NULL)
		missing = "no user name for this uid, which newuidmap needs";
	else if (!find_in_path("newuidmap", helpers[0], PATH_MAX) ||
	    !find_in_path("newgidmap", helpers[1], PATH_MAX))
		missing = "no newuidmap and newgidmap in PATH (Debian's package uidmap)";
	else if (!find_range("/etc/subuid", user, getuid(), &ranges[0]))
		missing = "no range for this user in /etc/subuid";
	/* Both files name their owner by user name or uid, never by gid. */
	else if (!find_range("/etc/subgid", user, getuid(), &ranges[1]))
		missing = "no range for this user in /etc/subgid";
	if (missing == NULL)
		return MAP_SUBIDS;
	if (options->map == MAP_SUBIDS)
		die_with_status(EXIT_BAD_INPUT, "--map subids: %s (user %s)", missing, user);
	notice("only uid %u is mapped, as root (%s): files of other owners show as "
	       "nobody inside",
	       getuid(), missing);
	return MAP_SELF;
}

/* newuidmap and newgidmap must run outside the new user namespace, in
 * the host's, where their set-user-ID root counts: fork them now, and let
 * them wait on GO until the namespace exists. */
static pid_t
start_helper(const char *helper, unsigned long own_id, const struct id_range *range, int go[2])
{
	char target[32], own[32], start[32], count[32];

	snprintf(target, sizeof(target), "%d", getpid());
	snprintf(own, sizeof(own), "%lu", own_id);
	snprintf(start, sizeof(start), "%lu", range->start);
	snprintf(count, sizeof(count), "%lu", range->count);
	narrate("fork(): %s %s 0 %s 1 1 %s %s, once the user namespace is made", helper, target,
		own, start, count);
	pid_t child = fork();
	if (child == -1)
		die_call();
	if (child == 0) {
		char byte;
		/* Only step0 writes: if it dies first, read() sees end-of-file. */
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(EXIT_SETUP_FAILED); /* the unshare failed: nothing to map */
		execl(helper, helper, target, "0", own, "1", "1", start, count, (char *)NULL);
		warn_errno("execl(\"%s\")", helper);
		_exit(EXIT_CANNOT_EXECUTE);
	}
	return child;
}

static void
wait_for_helper(pid_t helper, const char *name)
{
	int status;

	if (waitpid(helper, &status, 0) == -1)
		die_errno("waitpid(%d)", helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("%s: exit status %d (it says why above)", name, exit_status_of(status));
}

/* Missing pieces are bad input (exit 2): nothing exists yet. */
static void
unshare_user_namespace(void)
{
	char setting[16] = "";

	narrate("unshare(CLONE_NEWUSER)");
	if (unshare(CLONE_NEWUSER) == 0)
		return;
	int saved = errno;
	const char *why = "";

	if (saved == EPERM && read_proc_sys("kernel/unprivileged_userns_clone", setting) && strcmp(setting, "0") == 0)
		why = ": only root may make one here (kernel.unprivileged_userns_clone=0)";
	else if (saved == ENOSPC && read_proc_sys("user/max_user_namespaces", setting))
		why = strcmp(setting, "0") == 0 ? ": none allowed here (user.max_user_namespaces=0)"
						: ": user.max_user_namespaces reached";
	else if (saved == EPERM)
		why = ": refused (a seccomp filter, such as a container's, or a chroot)";
	die_with_status(EXIT_BAD_INPUT, "unshare(CLONE_NEWUSER): %s%s", strerror(saved), why);
}

static void
write_proc_self(const char *file, const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	narrate("write(\"%s\", \"%.*s\")", path, (int)strcspn(text, "\n"), text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd == -1 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die_call();
	close(fd);
}

/* --map self: the caller's uid and gid, and no one else, are 0 inside.
 * setgroups(2) is denied first: the kernel requires it before an ordinary
 * user's gid_map, or root inside could drop a group that a host file's
 * mode denies access to ("rw----r--" for a group), and so gain access. */
static void
map_self(uid_t uid, gid_t gid)
{
	char line[64];

	snprintf(line, sizeof(line), "0 %u 1\n", uid);
	write_proc_self("uid_map", line);
	write_proc_self("setgroups", "deny");
	snprintf(line, sizeof(line), "0 %u 1\n", gid);
	write_proc_self("gid_map", line);
}

int
main(int argc, char **argv)
{
	struct options options;
	char error[256], helpers[2][PATH_MAX], delegated_parent[PATH_MAX], controllers[128];
	struct id_range ranges[2];
	int go[2];
	uid_t uid = getuid();
	gid_t gid = getgid();

	step_name = "step0-user";
	open_closed_standard_descriptors();
	int parsed = parse_options(argc, argv, &options, error, sizeof(error));
	verbose = options.verbose;
	/* What step1 will say once in the namespace, said before making it;
	 * with the cgroup step1 will find delegated to us, if step7 runs. */
	const char *delegated = NULL;
	if (parsed == OPTIONS_OK && (chain_needs(&options) & STEP_NEEDS_CGROUP) &&
	    find_delegated_cgroup(delegated_parent, sizeof(delegated_parent), controllers,
				  sizeof(controllers)) == NULL)
		delegated = controllers;
	if (parsed == OPTIONS_OK)
		parsed = check_user_namespace(&options, true, delegated, error, sizeof(error));
	exit_unless_parsed(parsed, error);
	refuse_if_restricted();
	enum user_map map = choose_map(&options, helpers, ranges);

	pid_t helper_pids[2] = { -1, -1 };
	if (map == MAP_SUBIDS) {
		narrate("pipe2(go, O_CLOEXEC): for the helpers to wait on");
		if (pipe2(go, O_CLOEXEC) == -1)
			die_call();
		helper_pids[0] = start_helper(helpers[0], uid, &ranges[0], go);
		/* newgidmap maps the user's group of /etc/passwd as the own one. */
		const struct passwd *entry = getpwuid(uid);
		helper_pids[1] = start_helper(helpers[1], entry ? entry->pw_gid : gid, &ranges[1], go);
		close(go[0]);
	}
	unshare_user_namespace();
	if (map == MAP_SUBIDS) {
		narrate("write(%d<go>, \"GG\", 2): map us now", go[1]);
		if (write(go[1], "GG", 2) != 2)
			die_call();
		close(go[1]);
		wait_for_helper(helper_pids[0], "newuidmap");
		wait_for_helper(helper_pids[1], "newgidmap");
	} else
		map_self(uid, gid);
	/* Root inside now, with every capability over what this namespace
	 * will own; the host still sees the caller's uid. */
	narrate("getuid(): %u inside, %u on the host", getuid(), uid);
	exec_first_step(argv);
}
