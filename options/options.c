/* options.c: one option parser for every step.
 *
 * Every step accepts the whole option set, so that `./step1 --memory 64M`
 * can hand the same arguments down to step7. Each value is checked here,
 * in the first step, before anything is created: bad input exits 2.
 *
 * The parser itself never exits: parse_options() returns what it found and
 * leaves the message in a buffer, step_init() prints it and exits. That
 * keeps the parser a plain function of argv, which the fuzz targets in
 * fuzz/ call thousands of times a second.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "../common/chain.h"
#include "options.h"

enum long_only_option {
	OPT_UNTIL = CHAR_MAX + 1,
	OPT_HOSTNAME,
	OPT_NAME,
	OPT_SKEL,
	OPT_ROOTFS_SIZE,
	OPT_OVERLAY,
	OPT_NET,
	OPT_HOST_IP,
	OPT_IP,
	OPT_STOP_TIMEOUT,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	/* OPT_MEMORY to OPT_PIDS, and OPT_DEVICE_READ_BPS to OPT_BLKIO_WEIGHT:
	 * the limits step7 sets in a cgroup (remember_given()) */
	OPT_MEMORY,
	OPT_MEMORY_RESERVATION,
	OPT_CPUS,
	OPT_CPU_SHARES,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_PIDS,
	OPT_ULIMIT,
	OPT_SECCOMP,
	OPT_IPC,
	OPT_UTS,
	OPT_PID,
	OPT_SYSCTL,
	OPT_DEVICE,
	OPT_DEVICE_READ_BPS,
	OPT_DEVICE_WRITE_BPS,
	OPT_DEVICE_READ_IOPS,
	OPT_DEVICE_WRITE_IOPS,
	OPT_BLKIO_WEIGHT,
	OPT_LANDLOCK,
	OPT_LANDLOCK_WRITE,
	OPT_LANDLOCK_EXEC,
	OPT_MAP,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "skel", required_argument, NULL, OPT_SKEL },
	{ "rootfs-size", required_argument, NULL, OPT_ROOTFS_SIZE },
	{ "overlay", no_argument, NULL, OPT_OVERLAY },
	{ "net", required_argument, NULL, OPT_NET },
	{ "host-ip", required_argument, NULL, OPT_HOST_IP },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpu-shares", required_argument, NULL, OPT_CPU_SHARES },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
	{ "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "ulimit", required_argument, NULL, OPT_ULIMIT },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "ipc", required_argument, NULL, OPT_IPC },
	{ "uts", required_argument, NULL, OPT_UTS },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "sysctl", required_argument, NULL, OPT_SYSCTL },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "device-read-bps", required_argument, NULL, OPT_DEVICE_READ_BPS },
	{ "device-write-bps", required_argument, NULL, OPT_DEVICE_WRITE_BPS },
	{ "device-read-iops", required_argument, NULL, OPT_DEVICE_READ_IOPS },
	{ "device-write-iops", required_argument, NULL, OPT_DEVICE_WRITE_IOPS },
	{ "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
	{ "landlock", required_argument, NULL, OPT_LANDLOCK },
	{ "landlock-write", required_argument, NULL, OPT_LANDLOCK_WRITE },
	{ "landlock-exec", required_argument, NULL, OPT_LANDLOCK_EXEC },
	{ "map", required_argument, NULL, OPT_MAP },
	{ NULL, 0, NULL, 0 },
};

void
print_usage(void)
{
	printf("Usage: %s [OPTIONS] [--] [COMMAND [ARG...]]\n\n", step_name);
	printf("A container built one kernel mechanism at a time. Each step adds its\n"
	       "layer and executes the next step with the same arguments; the last one\n"
	       "executes COMMAND (default: bash as a login shell).\n\n" STEPS_HELP "\n");
	printf("General:\n"
	       "  -h, --help             show this help and exit\n"
	       "  -v, --verbose          narrate every kernel call on stderr\n"
	       "      --until N          stop the chain after step N and run COMMAND there\n"
	       "      --name NAME        the running container's name, for ./enter NAME\n"
	       "                         (default: the hostname, with -2, -3... if taken)\n"
	       "      --stop-timeout S   seconds between a forwarded SIGTERM, SIGINT, SIGHUP\n"
	       "                         or SIGQUIT and SIGKILL (default 10)\n"
	       "      --sysctl KEY=VALUE set a kernel parameter of the container's own\n"
	       "                         namespaces (repeatable, up to 32): kernel.shm*,\n"
	       "                         kernel.msg*, kernel.sem, fs.mqueue.* in its IPC\n"
	       "                         namespace (step1), net.* in its network namespace\n"
	       "                         (step3); like net.ipv4.ip_unprivileged_port_start=512\n\n"
	       "Without root (./step0, a user namespace first):\n"
	       "      --map MODE         whom step0's user namespace maps: self (you alone,\n"
	       "                         as root inside), subids (also your ranges of\n"
	       "                         /etc/subuid and /etc/subgid, via newuidmap), auto\n"
	       "                         (subids where they are set up, else self; default)\n"
	       "                         In a user namespace --net is none (veth needs the\n"
	       "                         host's root), --name, host: and container: are\n"
	       "                         refused, and step7 sets cgroup limits only in a\n"
	       "                         cgroup v2 delegated to you (systemd-run --user\n"
	       "                         --scope), else the rlimits alone.\n\n"
	       "UTS and IPC (step1):\n"
	       "      --hostname NAME    hostname inside (default mycontainer)\n"
	       "      --uts MODE         private (default): a hostname of its own; host:\n"
	       "                         the host's (then no --hostname)\n"
	       "      --ipc MODE         private (default): IPC objects of its own;\n"
	       "                         host: the host's, as the talk's container has;\n"
	       "                         container:NAME: those of the running container NAME\n\n"
	       "PID (step2):\n"
	       "      --pid MODE         private (default): a PID namespace of its own;\n"
	       "                         host: the host's processes; container:NAME: those\n"
	       "                         of the running container NAME (both need step7)\n\n"
	       "Network (step3):\n"
	       "      --net MODE         veth (default): a veth pair to the host; none: only lo;\n"
	       "                         host: the host's network; container:NAME: the\n"
	       "                         network of the running container NAME (a pod);\n"
	       "                         pasta: through pasta(1), in a user namespace\n"
	       "      --host-ip CIDR     host end of the veth pair (default 192.168.47.11/24)\n"
	       "      --ip CIDR          container end (default 192.168.47.12/24)\n\n"
	       "Root filesystem (step5):\n"
	       "      --skel DIR         skeleton to copy (default: skelfs/ next to the steps)\n"
	       "      --rootfs-size SIZE size of the root tmpfs (default 50M)\n"
	       "      --overlay          overlay the skeleton read-only instead of copying\n"
	       "      --device HOST_PATH[:CONTAINER_PATH]\n"
	       "                         bind the host's device node into /dev (repeatable;\n"
	       "                         CONTAINER_PATH under /dev, default HOST_PATH)\n\n"
	       "Capabilities (step6):\n"
	       "      --cap-add CAP      keep CAP too (repeatable; ALL for every one)\n"
	       "      --cap-drop CAP     drop CAP (repeatable; ALL for every one)\n\n"
	       "Cgroup (step7):\n"
	       "      --memory SIZE      memory limit, no swap (default 256M)\n"
	       "      --memory-reservation SIZE\n"
	       "                         memory guarantee, at most --memory: reclaim under\n"
	       "                         memory pressure spares the container up to SIZE\n"
	       "      --cpus N           CPU quota, fractional (default: no limit)\n"
	       "      --cpu-shares N     CPU guarantee: weight against other containers\n"
	       "                         when the CPU is contended, 2-262144 (default: the\n"
	       "                         kernel's, as 1024 on v1)\n"
	       "      --cpuset-cpus LIST CPUs the container may run on, like 0-2,4\n"
	       "                         (default: all); it has them to itself only if no\n"
	       "                         one else is pinned there\n"
	       "      --cpuset-mems LIST memory (NUMA) nodes it may allocate from (default: all)\n"
	       "      --pids N           process limit (default 128)\n"
	       "      --ulimit NAME=SOFT[:HARD]\n"
	       "                         a resource limit of each process (repeatable), by\n"
	       "                         Docker's names: core cpu data fsize locks memlock\n"
	       "                         msgqueue nice nofile nproc rss rtprio rttime\n"
	       "                         sigpending stack; 'unlimited' or -1 for none.\n"
	       "                         Defaults: nofile 1024:524288, memlock 8M, and a\n"
	       "                         quarter of the caller's sigpending and msgqueue;\n"
	       "                         none is raised above the caller's hard limit\n"
	       "      --device-read-bps DEV:RATE, --device-write-bps DEV:RATE\n"
	       "                         at most RATE bytes a second from/to the block device\n"
	       "                         DEV (a host path); RATE with a unit: kb, mb or gb\n"
	       "                         (powers of 1024), like 1mb (repeatable)\n"
	       "      --device-read-iops DEV:N, --device-write-iops DEV:N\n"
	       "                         at most N reads/writes a second on DEV (repeatable)\n"
	       "      --blkio-weight N   share of disk time against other cgroups, 10 to 1000\n"
	       "                         (needs the BFQ scheduler or io.cost on the host)\n"
	       "  On cgroup v1, --memory also limits the TCP and UDP buffers, which v1\n"
	       "  counts apart, to as much again (each socket may pass it by one buffer);\n"
	       "  netlink buffers are charged to no v1 counter. v2 charges socket\n"
	       "  buffers to --memory.\n\n"
	       "Seccomp (step8):\n"
	       "      --seccomp unconfined  skip the system call filter\n\n"
	       "Landlock (step9):\n"
	       "      --landlock MODE    on (default): the workload writes only under /tmp,\n"
	       "                         /var/tmp, /run, /home, /root, /dev/shm, /dev/mqueue,\n"
	       "                         /dev/pts and to /dev/null, zero, full, random,\n"
	       "                         urandom, tty and --device nodes; it executes only\n"
	       "                         from /usr, /bin, /sbin, /lib, /lib64 (where the\n"
	       "                         kernel has Landlock); off: no Landlock ruleset\n"
	       "      --landlock-write PATH\n"
	       "                         let it write under PATH too (repeatable)\n"
	       "      --landlock-exec PATH\n"
	       "                         let it execute from under PATH too (repeatable)\n\n"
	       "SIZE takes the suffixes k, M and G (powers of 1024).\n"
	       "Exit status: COMMAND's (128+N if it died of signal N); 2 for bad input;\n"
	       "125 when the container could not be set up; 126/127 when COMMAND cannot\n"
	       "be executed or is not found.\n");
}

/* Where a parse error's message goes: the caller's buffer. */
struct error {
	char *text;
	size_t size;
};

__attribute__((format(printf, 2, 3))) static int
bad_input(struct error *error, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	/* A message longer than the buffer is cut; every value in it is
	 * printed with a precision, so it fits the buffer step_init() gives. */
	vsnprintf(error->text, error->size, format, arguments);
	va_end(arguments);
	return OPTIONS_BAD_INPUT;
}

/* The first number in WANTED but not in the list the file at PATH holds
 * (like /sys/devices/system/cpu/online); -1 when there is none, or the file
 * cannot be read (then the kernel refuses the write in step7 instead). */
static int
missing_from(const char *path, const char *wanted)
{
	struct cpu_list present, asked;
	char text[4096];
	FILE *file = fopen(path, "re");
	bool got = file != NULL && fgets(text, sizeof(text), file) != NULL;

	if (file != NULL)
		(void)fclose(file); /* read-only: nothing to lose */
	if (!got && strstr(path, "/node/") != NULL)
		strcpy(text, "0"); /* no NUMA in this kernel: node 0 is all there is */
	else if (!got)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	if (parse_cpu_list(text, &present) != 0 || parse_cpu_list(wanted, &asked) != 0)
		return -1;
	for (int n = 0; n < CPU_LIST_MAX; n++) {
		if ((asked.bits[n / 64] & ~present.bits[n / 64]) >> (n % 64) & 1)
			return n;
	}
	return -1;
}

int
check_on_host(const struct options *options, char *error_text, size_t error_size)
{
	struct error error = { error_text, error_size };
	int missing;

	error_text[0] = '\0';
	if (options->cpuset_cpus != NULL &&
	    (missing = missing_from("/sys/devices/system/cpu/online", options->cpuset_cpus)) != -1)
		return bad_input(&error, "--cpuset-cpus: '%.80s': this machine has no CPU %d online",
				 options->cpuset_cpus, missing);
	if (options->cpuset_mems != NULL &&
	    (missing = missing_from("/sys/devices/system/node/online", options->cpuset_mems)) != -1)
		return bad_input(&error, "--cpuset-mems: '%.80s': this machine has no memory node %d",
				 options->cpuset_mems, missing);
	return OPTIONS_OK;
}

/* --sysctl KEY=VALUE, as Docker allows it: only a parameter that belongs
 * to one of the container's namespaces, so that writing it changes nothing
 * on the host (namespaces(7) says which /proc/sys files each one holds).
 * KEY is checked to be a name, never a path: no '/', no "..". */
static int
parse_sysctl(const char *argument, struct options *options, struct error *error)
{
	const char *equals = strchr(argument, '=');
	size_t length = equals != NULL ? (size_t)(equals - argument) : strlen(argument);
	struct sysctl *sysctl = &options->sysctls[options->sysctl_count]; /* if any: below */
	int shown = (int)strcspn(argument, "\t\n\r"); /* one line, whatever the input */

	if (options->sysctl_count == MAX_SYSCTLS)
		return bad_input(error, "--sysctl: at most %d are taken", MAX_SYSCTLS);
	if (equals == NULL)
		return bad_input(error, "--sysctl '%.*s': not KEY=VALUE", shown < 80 ? shown : 80,
				 argument);
	if (length == 0 || length >= sizeof(sysctl->key) || argument[0] == '.' ||
	    argument[length - 1] == '.' || memmem(argument, length, "..", 2) != NULL ||
	    strspn(argument, "abcdefghijklmnopqrstuvwxyz0123456789_-.") != length)
		return bad_input(error,
				 "--sysctl '%.*s': KEY is not a name like net.ipv4.ip_forward "
				 "(lowercase letters, digits, '_', '-', single dots between)",
				 shown < 80 ? shown : 80, argument);
	if (equals[1] == '\0' || strlen(equals) > 256 || strpbrk(equals, "\n\r") != NULL)
		return bad_input(error, "--sysctl %.*s: VALUE must be 1 to 255 bytes on one line",
				 (int)length, argument);
	if (strncmp(argument, "kernel.hostname=", 16) == 0 ||
	    strncmp(argument, "kernel.domainname=", 18) == 0)
		return bad_input(
			error,
			"--sysctl %.80s: the UTS namespace's names are set by --hostname only",
			argument);
	bool network = strncmp(argument, "net.", 4) == 0;
	if (!network && strncmp(argument, "kernel.shm", 10) != 0 &&
	    strncmp(argument, "kernel.msg", 10) != 0 && strncmp(argument, "kernel.sem=", 11) != 0 &&
	    strncmp(argument, "fs.mqueue.", 10) != 0)
		return bad_input(
			error,
			"--sysctl %.80s: not a parameter of the container's own namespaces "
			"(net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*)",
			argument);
	memcpy(sysctl->key, argument, length);
	sysctl->key[length] = '\0';
	sysctl->value = equals + 1;
	sysctl->step = network ? 3 : 1;
	options->sysctl_count++;
	return OPTIONS_OK;
}

/* The options whose abbreviation WORD ("--c") is, up to any "=VALUE". */
static int
count_matches(const char *word)
{
	size_t length = strcspn(word + 2, "=");
	int count = 0;

	for (const struct option *o = long_options; o->name != NULL; o++)
		count += strncmp(o->name, word + 2, length) == 0;
	return count;
}

/* What getopt_long did not understand, in glibc's words but on the one
 * line every bad input gets: getopt_long prints nothing itself ("+:" and
 * opterr = 0 in parse_options()). For a long option, getopt_long has moved
 * optind past the word it refused; optopt is 0 for an unknown one and the
 * option's value for one given an argument it does not take. */
static int
option_error(int option, char **argv, struct error *error)
{
	const char *word = argv[optind - 1];
	int name_length = (int)strcspn(word, "=");

	if (option == ':')
		return bad_input(error, "option '%.80s' requires an argument", word);
	if (optopt == 0 && count_matches(word) > 1)
		return bad_input(error, "option '%.*s' is ambiguous",
				 name_length < 80 ? name_length : 80, word);
	if (optopt == 0)
		return bad_input(error, "unrecognized option '%.80s'", word);
	if (optopt == 'h' || optopt == 'v' || optopt == OPT_OVERLAY)
		return bad_input(error, "option '%.*s' doesn't allow an argument",
				 name_length < 80 ? name_length : 80, word);
	return bad_input(error, "invalid option -- '%c'", optopt);
}

/* --uts, --ipc, --pid: private, host, or (where CONTAINER is not NULL)
 * container:NAME. */
static int
parse_share_mode(const char *argument, enum share_mode *mode, const char **container)
{
	if (strcmp(argument, "private") == 0)
		*mode = SHARE_PRIVATE;
	else if (strcmp(argument, "host") == 0)
		*mode = SHARE_HOST;
	else if (container != NULL && strncmp(argument, "container:", 10) == 0 &&
		 valid_container_name(argument + 10)) {
		*mode = SHARE_CONTAINER;
		*container = argument + 10;
	} else
		return -1;
	return 0;
}

/* What check_user_namespace() must know was typed, not defaulted: --net,
 * and the first option that step7 sets in a cgroup. */
static void
remember_given(int option, struct options *options)
{
	bool cgroup_limit = (option >= OPT_MEMORY && option <= OPT_PIDS) ||
			    (option >= OPT_DEVICE_READ_BPS && option <= OPT_BLKIO_WEIGHT);

	if (option == OPT_NET)
		options->net_given = true;
	for (const struct option *known = long_options; known->name != NULL; known++) {
		if (cgroup_limit && known->val == option && options->cgroup_option == NULL)
			options->cgroup_option = known->name;
	}
}

/* One case per option, in --help's order: the list of what the options
 * accept. Split up, it would be harder to read, not easier. */
static int /* NOLINTNEXTLINE(readability-function-cognitive-complexity) */
parse_one(int option, const char *argument, struct options *options, struct error *error)
{
	int number;
	bool all;
	uint64_t bytes;
	char *end;
	struct cpu_list list;

	switch (option) {
	case 'h':
		return OPTIONS_HELP;
	case 'v':
		options->verbose = true;
		break;
	case OPT_UNTIL: /* a row of steps.table: digits, no sign, no leading zero */
		errno = 0;
		unsigned long until = strtoul(argument, &end, 10);
		if (!isdigit((unsigned char)argument[0]) || argument[0] == '0' || *end != '\0' ||
		    errno != 0 || until > LAST_STEP)
			return bad_input(error, "--until: '%.80s' is not a step number from 1 to %d",
					 argument, LAST_STEP);
		options->until = (int)until;
		break;
	case OPT_HOSTNAME:
		if (!valid_hostname(argument))
			return bad_input(
				error,
				"--hostname: '%.80s%s' is not a valid host name (letters, digits, "
				"inner hyphens and dots, at most 64 bytes)",
				argument, strlen(argument) > 80 ? "..." : "");
		options->hostname = argument;
		options->hostname_given = true;
		break;
	case OPT_MAP:
		if (strcmp(argument, "auto") == 0)
			options->map = MAP_AUTO;
		else if (strcmp(argument, "self") == 0)
			options->map = MAP_SELF;
		else if (strcmp(argument, "subids") == 0)
			options->map = MAP_SUBIDS;
		else
			return bad_input(error, "--map: '%.80s' is not auto, self or subids",
					 argument);
		options->map_given = true;
		break;
	case OPT_NAME:
		if (!valid_container_name(argument))
			return bad_input(error,
					 "--name: '%.80s%s' is not a container name (letters, digits, "
					 "and inner '_', '.' or '-', at most %d bytes)",
					 argument, strlen(argument) > 80 ? "..." : "", CONTAINER_NAME_MAX);
		options->name = argument;
		break;
	case OPT_UTS:
		if (parse_share_mode(argument, &options->uts, NULL) != 0)
			return bad_input(error, "--uts: '%.80s' is neither private nor host",
					 argument);
		break;
	case OPT_IPC:
		if (parse_share_mode(argument, &options->ipc, &options->ipc_container) != 0)
			return bad_input(error,
					 "--ipc: '%.80s' is not private, host or container:NAME",
					 argument);
		break;
	case OPT_PID:
		if (parse_share_mode(argument, &options->pid, &options->pid_container) != 0)
			return bad_input(error,
					 "--pid: '%.80s' is not private, host or container:NAME",
					 argument);
		break;
	case OPT_SKEL:
		if (argument[0] == '\0' || strlen(argument) >= PATH_MAX)
			return bad_input(error, "--skel: '%.80s' is not a usable path", argument);
		options->skel = argument;
		break;
	case OPT_ROOTFS_SIZE:
		if (parse_size(argument, &options->rootfs_size) != 0 ||
		    options->rootfs_size < 1 << 20)
			return bad_input(
				error,
				"--rootfs-size: '%.80s' is not a size of at least 1M (like 50M or 1G)",
				argument);
		options->rootfs_size_text = argument;
		break;
	case OPT_OVERLAY:
		options->overlay = true;
		break;
	case OPT_NET:
		if (strcmp(argument, "veth") == 0)
			options->net = NET_VETH;
		else if (strcmp(argument, "none") == 0)
			options->net = NET_NONE;
		else if (strcmp(argument, "host") == 0)
			options->net = NET_HOST;
		else if (strcmp(argument, "pasta") == 0)
			options->net = NET_PASTA;
		else if (strncmp(argument, "container:", 10) == 0 &&
			 valid_container_name(argument + 10)) {
			options->net = NET_CONTAINER;
			options->net_container = argument + 10;
		} else
			return bad_input(error,
					 "--net: '%.80s' is not veth, none, host, container:NAME or pasta",
					 argument);
		break;
	case OPT_HOST_IP:
	case OPT_IP:
		if (parse_cidr(argument, option == OPT_IP ? &options->ip : &options->host_ip) != 0)
			return bad_input(
				error,
				"%s: '%.80s' is not an IPv4 address with a prefix length from 1 to 30 "
				"(like 192.168.47.12/24)",
				option == OPT_IP ? "--ip" : "--host-ip", argument);
		options->addresses_given = true;
		break;
	case OPT_STOP_TIMEOUT:
		errno = 0;
		unsigned long seconds = strtoul(argument, &end, 10);
		if (!isdigit((unsigned char)argument[0]) || *end != '\0' || errno != 0 ||
		    seconds > 3600)
			return bad_input(
				error,
				"--stop-timeout: '%.80s' is not a number of seconds from 0 to 3600",
				argument);
		options->stop_timeout = (unsigned)seconds;
		break;
	case OPT_CAP_ADD:
	case OPT_CAP_DROP:
		if (parse_capability(argument, &number, &all) != 0)
			return bad_input(
				error,
				"%s: '%.80s' is not a capability name (like NET_ADMIN or CAP_NET_ADMIN)",
				option == OPT_CAP_ADD ? "--cap-add" : "--cap-drop", argument);
		if (option == OPT_CAP_ADD) {
			options->cap_add_all |= all;
			options->cap_add |= all ? 0 : UINT64_C(1) << number;
		} else {
			options->cap_drop_all |= all;
			options->cap_drop |= all ? 0 : UINT64_C(1) << number;
		}
		break;
	case OPT_MEMORY:
		if (parse_size(argument, &bytes) != 0 || bytes < 6 << 20)
			return bad_input(
				error, "--memory: '%.80s' is not a size of at least 6M (like 256M)",
				argument);
		options->memory = bytes;
		options->memory_text = argument;
		break;
	case OPT_MEMORY_RESERVATION:
		if (parse_size(argument, &options->memory_reservation) != 0)
			return bad_input(error, "--memory-reservation: '%.80s' is not a size (like 64M)",
					 argument);
		options->memory_reservation_text = argument;
		break;
	case OPT_CPUS:
		if (parse_cpus(argument, &options->cpus_milli) != 0)
			return bad_input(
				error,
				"--cpus: '%.80s' is not a number of CPUs from 0.01 (like 1.5)",
				argument);
		break;
	case OPT_CPU_SHARES:
		errno = 0;
		unsigned long shares = strtoul(argument, &end, 10);
		if (!isdigit((unsigned char)argument[0]) || *end != '\0' || errno != 0 ||
		    shares < 2 || shares > 262144)
			return bad_input(error, "--cpu-shares: '%.80s' is not a weight from 2 to 262144",
					 argument);
		options->cpu_shares = (unsigned)shares;
		break;
	case OPT_CPUSET_CPUS:
	case OPT_CPUSET_MEMS:
		if (parse_cpu_list(argument, &list) != 0)
			return bad_input(error,
					 "%s: '%.80s' is not a list of numbers below %d (like 0-2,4)",
					 option == OPT_CPUSET_CPUS ? "--cpuset-cpus" : "--cpuset-mems",
					 argument, CPU_LIST_MAX);
		*(option == OPT_CPUSET_CPUS ? &options->cpuset_cpus : &options->cpuset_mems) = argument;
		break;
	case OPT_PIDS:
		errno = 0;
		unsigned long pids = strtoul(argument, &end, 10);
		if (!isdigit((unsigned char)argument[0]) || *end != '\0' || errno != 0 ||
		    pids < 1 || pids > 4194304)
			return bad_input(
				error,
				"--pids: '%.80s' is not a number of processes from 1 to 4194304",
				argument);
		options->pids = (unsigned)pids;
		break;
	case OPT_ULIMIT: {
		struct ulimit limit;
		const char *problem = parse_ulimit(argument, &number, &limit);
		if (problem != NULL)
			return bad_input(error, "--ulimit: '%.80s': %s", argument, problem);
		options->ulimits[number] = limit; /* a name given twice: the last counts */
		break;
	}
	case OPT_DEVICE: {
		struct device device;
		const char *problem = parse_device(argument, &device);
		if (problem != NULL)
			return bad_input(error, "--device: '%.80s': %s", argument, problem);
		if (options->device_count == MAX_DEVICES)
			return bad_input(error, "--device: more than %d devices", MAX_DEVICES);
		options->devices[options->device_count++] = device;
		break;
	}
	case OPT_DEVICE_READ_BPS:
	case OPT_DEVICE_WRITE_BPS:
	case OPT_DEVICE_READ_IOPS:
	case OPT_DEVICE_WRITE_IOPS: {
		static char paths[MAX_IO_LIMITS + 1][PATH_MAX]; /* argv is not ours to cut */
		struct io_limit limit = { .kind = (enum io_limit_kind)(option - OPT_DEVICE_READ_BPS) };
		const char *problem = parse_io_limit(argument, &limit);
		size_t length = strrchr(argument, ':') - argument;
		if (problem == NULL && length >= PATH_MAX)
			problem = "DEV is too long";
		if (problem != NULL)
			return bad_input(error, "%s: '%.80s': %s", io_limit_option(limit.kind), argument,
					 problem);
		if (options->io_limit_count == MAX_IO_LIMITS)
			return bad_input(error, "%s: more than %d limits", io_limit_option(limit.kind),
					 MAX_IO_LIMITS);
		char *path = paths[options->io_limit_count];
		memcpy(path, argument, length);
		path[length] = '\0';
		limit.path = path;
		options->io_limits[options->io_limit_count++] = limit;
		break;
	}
	case OPT_BLKIO_WEIGHT:
		errno = 0;
		unsigned long weight = strtoul(argument, &end, 10);
		if (!isdigit((unsigned char)argument[0]) || *end != '\0' || errno != 0 || weight < 10 ||
		    weight > 1000)
			return bad_input(error, "--blkio-weight: '%.80s' is not a weight from 10 to 1000",
					 argument);
		options->blkio_weight = (unsigned)weight;
		break;
	case OPT_SECCOMP:
		if (strcmp(argument, "unconfined") != 0)
			return bad_input(error,
					 "--seccomp: '%.80s' is not understood (only 'unconfined')",
					 argument);
		options->seccomp_unconfined = true;
		break;
	case OPT_LANDLOCK:
		if (strcmp(argument, "on") == 0)
			options->landlock_off = false;
		else if (strcmp(argument, "off") == 0)
			options->landlock_off = true;
		else
			return bad_input(error, "--landlock: '%.80s' is neither on nor off", argument);
		break;
	case OPT_LANDLOCK_WRITE:
	case OPT_LANDLOCK_EXEC: {
		const char *name = option == OPT_LANDLOCK_WRITE ? "--landlock-write" : "--landlock-exec";
		const char *problem = parse_landlock_path(argument);
		int shown = (int)strcspn(argument, "\n\r"); /* one line, whatever the input */
		if (problem != NULL)
			return bad_input(error, "%s: '%.*s': %s", name, shown < 80 ? shown : 80,
					 argument, problem);
		if (options->landlock_path_count == MAX_LANDLOCK_PATHS)
			return bad_input(error, "%s: more than %d paths", name, MAX_LANDLOCK_PATHS);
		options->landlock_paths[options->landlock_path_count++] = (struct landlock_path){
			argument, option == OPT_LANDLOCK_WRITE ? GRANT_WRITE : GRANT_EXECUTE
		};
		break;
	}
	case OPT_SYSCTL:
		return parse_sysctl(argument, options, error);
	default: /* parse_options() handles '?' and ':' before */
		return bad_input(error, "getopt_long returned %d", option);
	}
	return OPTIONS_OK;
}

void
joined_namespaces(const struct options *options,
		  struct joined_namespace joined[JOINABLE_NAMESPACES])
{
	joined[0] = (struct joined_namespace){
		"--ipc", "ipc", options->ipc == SHARE_CONTAINER ? options->ipc_container : NULL, 1
	};
	joined[1] = (struct joined_namespace){
		"--pid", "pid", options->pid == SHARE_CONTAINER ? options->pid_container : NULL, 2
	};
	joined[2] = (struct joined_namespace){
		"--net", "net", options->net == NET_CONTAINER ? options->net_container : NULL, 3
	};
}

/* container:NAME of --net, --ipc or --pid naming this container itself. */
static int
check_joined_names(const struct options *options, struct error *error)
{
	struct joined_namespace joined[JOINABLE_NAMESPACES];

	joined_namespaces(options, joined);
	for (int i = 0; i < JOINABLE_NAMESPACES; i++) {
		if (joined[i].container != NULL && options->name != NULL &&
		    strcmp(joined[i].container, options->name) == 0)
			return bad_input(error, "%s container:%s: that is this container's own --name",
					 joined[i].option, options->name);
	}
	return OPTIONS_OK;
}

/* --sysctl of an IPC or network namespace that is shared: another's. */
static int
check_shared_sysctls(const struct options *options, struct error *error)
{
	bool net_shared = options->net == NET_HOST || options->net == NET_CONTAINER;

	for (int i = 0; i < options->sysctl_count; i++) {
		const struct sysctl *sysctl = &options->sysctls[i];
		if (sysctl->step == 1 && options->ipc != SHARE_PRIVATE)
			return bad_input(error,
					 "--sysctl %.80s: an IPC namespace parameter, and --ipc "
					 "%s shares %s",
					 sysctl->key,
					 options->ipc == SHARE_HOST ? "host" : "container:NAME",
					 options->ipc == SHARE_HOST ? "the host's" : "NAME's");
		if (sysctl->step == 3 && net_shared)
			return bad_input(error,
					 "--sysctl %.80s: a network namespace parameter, and --net "
					 "%s shares %s",
					 sysctl->key,
					 options->net == NET_HOST ? "host" : "container:NAME",
					 options->net == NET_HOST ? "the host's" : "NAME's");
	}
	return OPTIONS_OK;
}

/* --uts, --ipc, --pid and --net shared with the host (host) or with a
 * running container (container:NAME): a namespace that is not the
 * container's own to name, to rename or to set parameters of. */
static int
check_shared_namespaces(const struct options *options, struct error *error)
{
	if (check_joined_names(options, error) != OPTIONS_OK)
		return OPTIONS_BAD_INPUT;
	if (options->uts == SHARE_HOST && options->hostname_given)
		return bad_input(error,
				 "--hostname %.80s: --uts host keeps the host's hostname, which the "
				 "container must not change",
				 options->hostname);
	/* Without a PID 1 of its own, the container's end kills nothing it
	 * started: step7's cgroup is what ends them (supervisor/cgroup.c). */
	if (options->pid != SHARE_PRIVATE && step_number <= 2 && options->until >= 2 &&
	    options->until < 7)
		return bad_input(error,
				 "--pid %s: the container has no PID 1 whose end ends it; "
				 "only step7's cgroup does, and --until %d ends before it",
				 options->pid == SHARE_HOST ? "host" : "container:NAME",
				 options->until);
	return check_shared_sysctls(options, error);
}

/* Options that are each fine but not together. */
static int
check_combinations(const struct options *options, struct error *error)
{
	static const char *const net_modes[] = { [NET_NONE] = "none", [NET_HOST] = "host",
						 [NET_CONTAINER] = "container:NAME",
						 [NET_PASTA] = "pasta" };

	/* The two ends of the veth pair: the other modes make no pair. */
	if (options->addresses_given && options->net != NET_VETH)
		return bad_input(error, "--ip and --host-ip: the veth pair's addresses, and --net %s "
				 "makes no veth pair", net_modes[options->net]);
	if (options->landlock_off && options->landlock_path_count > 0)
		return bad_input(error, "%s %.80s: nothing to add it to with --landlock off",
				 options->landlock_paths[0].grant == GRANT_WRITE ? "--landlock-write"
										 : "--landlock-exec",
				 options->landlock_paths[0].path);
	return check_shared_namespaces(options, error);
}

int
parse_options(int argc, char **argv, struct options *options, char *error_text, size_t error_size)
{
	static const struct cidr default_host_ip = { { 0 }, 24 }, default_ip = { { 0 }, 24 };
	struct error error = { error_text, error_size };
	int option;

	error_text[0] = '\0';

	*options = (struct options){
		.until = LAST_STEP,
		.hostname = "mycontainer",
		.rootfs_size = 50 << 20,
		.rootfs_size_text = "50M",
		.net = NET_VETH,
		.host_ip = default_host_ip,
		.ip = default_ip,
		.stop_timeout = 10,
		.memory = 256 << 20,
		.memory_text = "256M",
		.pids = 128,
	};
	inet_pton(AF_INET, "192.168.47.11", &options->host_ip.address);
	inet_pton(AF_INET, "192.168.47.12", &options->ip.address);

	/* execve(2) allows an empty argv (Linux before 5.18 passes it on):
	 * then argv + optind below would be the environment. */
	if (argc < 1)
		return bad_input(&error, "no program name in argv");
	/* getopt_long keeps its place in globals; 0 starts it afresh, so that
	 * a second call (a fuzz target's next input) parses from the start. */
	optind = 0;
	opterr = 0;
	/* "+": stop at COMMAND, whose own options are not ours (unshare.c does
	 * the same). ":": a missing argument returns ':', not '?'. */
	while ((option = getopt_long(argc, argv, "+:hv", long_options, NULL)) != -1) {
		if (option == '?' || option == ':')
			return option_error(option, argv, &error);
		int result = parse_one(option, optarg, options, &error);
		if (result != OPTIONS_OK)
			return result;
		remember_given(option, options);
	}
	options->command = argv + optind;

	if (options->until < step_number)
		return bad_input(&error, "--until %d: this is step %d, which is already past it",
				 options->until, step_number);
	uint32_t differing =
		ntohl(options->host_ip.address.s_addr) ^ ntohl(options->ip.address.s_addr);
	if (differing >> (32 - options->host_ip.prefix_length) != 0 ||
	    options->host_ip.prefix_length != options->ip.prefix_length)
		return bad_input(&error, "--host-ip and --ip must be in the same subnet");
	if (options->memory_reservation > options->memory) /* Docker refuses it too */
		return bad_input(&error, "--memory-reservation: '%.80s' is above --memory %.80s",
				 options->memory_reservation_text, options->memory_text);
	if (options->host_ip.address.s_addr == options->ip.address.s_addr)
		return bad_input(&error, "--host-ip and --ip must differ");
	for (int i = 0; i < options->sysctl_count; i++) {
		const struct sysctl *sysctl = &options->sysctls[i];
		if (sysctl->step > options->until)
			return bad_input(&error,
					 "--sysctl %.80s: a parameter of the network namespace "
					 "step3 makes, and --until %d ends before it",
					 sysctl->key, options->until);
	}
	if (check_combinations(options, &error) != OPTIONS_OK)
		return OPTIONS_BAD_INPUT;
	for (char **word = options->command; *word != NULL; word++) {
		if (strlen(*word) > 4096)
			return bad_input(&error,
					 "an argument of COMMAND is longer than 4096 bytes");
	}
	return OPTIONS_OK;
}
