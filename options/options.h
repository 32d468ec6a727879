/* options.h: the command line every step shares (see README.md here).
 *
 * struct options is what the whole option set means once parsed; every
 * step gets the same one from step_init() (common/chain.h).
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/resource.h>

struct cidr {
	struct in_addr address;
	unsigned prefix_length;
};

/* --net: veth (a pair to the host), none (loopback only), host (the
 * caller's network namespace), container:NAME (a running container's),
 * pasta (pasta(1) started by the supervisor: in a user namespace only). */
enum net_mode { NET_VETH, NET_NONE, NET_HOST, NET_CONTAINER, NET_PASTA };

/* --map: who step0's user namespace maps. SELF: the caller alone, as root.
 * SUBIDS: also the caller's ranges of /etc/subuid and /etc/subgid, through
 * newuidmap(1) and newgidmap(1). AUTO: SUBIDS where they are set up. */
enum user_map { MAP_AUTO, MAP_SELF, MAP_SUBIDS };

/* --uts, --ipc, --pid: a namespace of the container's own (the default),
 * the caller's (host), or a running container's (container:NAME). */
enum share_mode { SHARE_PRIVATE, SHARE_HOST, SHARE_CONTAINER };

/* --ulimit NAME=SOFT[:HARD], by resource number (RLIMIT_NOFILE, ...). */
struct ulimit {
	bool given;
	rlim_t soft, hard; /* RLIM_INFINITY: unlimited */
};

/* --sysctl KEY=VALUE: a kernel parameter of one of the container's own
 * namespaces, written by STEP, the step that makes that namespace (1: its
 * IPC namespace, 3: its network namespace). */
#define MAX_SYSCTLS 32
struct sysctl {
	char key[128];           /* "net.ipv4.ip_unprivileged_port_start" */
	const char *value;       /* in argv */
	int step;
};

/* --device HOST_PATH[:CONTAINER_PATH]: a host node bound into /dev. The
 * first step on the host fills in the numbers (step_init()). */
#define MAX_DEVICES 8
struct device {
	const char *host_path, *container_path;
	char type;              /* 'b' or 'c' */
	unsigned major, minor;
};

/* --device-read-bps and the like: DEV:VALUE, DEV a block device's path. */
enum io_limit_kind { IO_READ_BPS, IO_WRITE_BPS, IO_READ_IOPS, IO_WRITE_IOPS };
#define MAX_IO_LIMITS 16
struct io_limit {
	enum io_limit_kind kind;
	const char *path;
	uint64_t value;         /* bytes or operations per second */
	unsigned major, minor;
};

/* --landlock-write PATH, --landlock-exec PATH: a place inside the
 * container where step9 lets the workload write, or execute, besides its
 * own list. */
#define MAX_LANDLOCK_PATHS 16
enum landlock_grant { GRANT_WRITE, GRANT_EXECUTE };
struct landlock_path {
	const char *path;        /* in argv, absolute */
	enum landlock_grant grant;
};

/* Eight-byte fields first, then four-byte ones, then the flags: no padding
 * between them (clang-analyzer's optin.performance.Padding). */
struct options {
	const char *hostname;
	const char *name;        /* --name; NULL: the hostname, made unique */
	const char *net_container; /* --net container:NAME: NAME */
	const char *ipc_container, *pid_container; /* --ipc, --pid container:NAME */
	const char *skel;        /* NULL: the skelfs/ next to the binaries */
	uint64_t rootfs_size;    /* bytes */
	const char *rootfs_size_text;
	uint64_t cap_add, cap_drop; /* bit masks of capability numbers */
	uint64_t memory;         /* bytes, 0: no limit */
	const char *memory_text;
	uint64_t memory_reservation; /* bytes, 0: none */
	const char *memory_reservation_text;
	const char *cpuset_cpus, *cpuset_mems; /* "0-2,4"; NULL: all */
	char **command;          /* NULL-terminated; empty: the login shell */
	struct ulimit ulimits[RLIMIT_NLIMITS];
	struct device devices[MAX_DEVICES];
	struct io_limit io_limits[MAX_IO_LIMITS];
	struct sysctl sysctls[MAX_SYSCTLS];
	struct landlock_path landlock_paths[MAX_LANDLOCK_PATHS];
	struct cidr host_ip, ip;
	int until;               /* the last step of the chain, 1..LAST_STEP */
	enum net_mode net;
	unsigned stop_timeout;   /* seconds between forwarded signal and SIGKILL */
	unsigned cpus_milli;     /* 1000 per CPU, 0: no limit */
	unsigned pids;           /* 0: no limit */
	unsigned device_count, io_limit_count;
	unsigned blkio_weight;   /* 10..1000, 0: none */
	int sysctl_count;
	unsigned landlock_path_count;
	unsigned cpu_shares;     /* 2..262144, 0: not given */
	bool verbose;
	enum share_mode uts, ipc, pid;
	bool hostname_given;     /* --hostname */
	bool overlay;
	bool addresses_given;    /* --host-ip or --ip: no automatic next subnet */
	bool cap_add_all, cap_drop_all;
	bool seccomp_unconfined;
	bool landlock_off;
	/* A user namespace other than the host's (step0, or `unshare --user`):
	 * set by check_user_namespace(), which says what changes there. */
	bool user_namespace;
	enum user_map map;
	bool map_given;
	bool net_given;           /* --net: not the default */
	const char *cgroup_option; /* "memory": an option step7 sets in a cgroup, if given */
};

/* The parser (options.c). It never exits and prints nothing:
 * step_init() prints the message and exits 2 on OPTIONS_BAD_INPUT, prints
 * the usage and exits 0 on OPTIONS_HELP. Fuzz targets call it directly. */
enum { OPTIONS_OK, OPTIONS_HELP, OPTIONS_BAD_INPUT };
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);
void print_usage(void);

/* In a user namespace (IN_NAMESPACE): what needs the host's root is bad
 * input (--net veth, the host's or another container's namespaces, --name),
 * and --net is none unless given. Cgroup limits need a cgroup delegated to
 * the caller: DELEGATED lists its controllers (" memory pids cpu "), is ""
 * where the first step checked them already, NULL where there is none.
 * Outside one, --map is. As parse_options(); every step calls it after
 * parse_options(). */
int check_user_namespace(struct options *options, bool in_namespace, const char *delegated,
			 char *error, size_t error_size);

/* The values' own syntax (values.c), also used by fuzz targets. */
int parse_size(const char *text, uint64_t *bytes);
int parse_cidr(const char *text, struct cidr *cidr);
int parse_cpus(const char *text, unsigned *milli);
/* CPUs or memory nodes by number, 0 to CPU_LIST_MAX - 1 (as glibc's cpu_set_t). */
#define CPU_LIST_MAX 1024
struct cpu_list {
	uint64_t bits[CPU_LIST_MAX / 64];
};
int parse_cpu_list(const char *text, struct cpu_list *list);
/* What only the host can tell, checked by the first step: are the CPUs and
 * memory nodes of --cpuset-cpus/--cpuset-mems there? As parse_options(). */
int check_on_host(const struct options *options, char *error, size_t error_size);
int parse_capability(const char *text, int *number, bool *all);
bool valid_hostname(const char *name);
/* --ipc, --pid and --net container:NAME, in the order of the steps that
 * join them (1, 2, 3): CONTAINER is NAME, or NULL when the option does not
 * name a running container. */
struct joined_namespace {
	const char *option, *kind, *container;
	int step;
};
enum { JOINABLE_NAMESPACES = 3 };
void joined_namespaces(const struct options *options,
		       struct joined_namespace joined[JOINABLE_NAMESPACES]);
/* --name and ./enter NAME: a file name under /run/under-the-hood/names,
 * never "." or "..", no '/'. */
#define CONTAINER_NAME_MAX 63
bool valid_container_name(const char *name);
/* NULL when TEXT is NAME=SOFT[:HARD], else why it is not. */
const char *parse_ulimit(const char *text, int *resource, struct ulimit *limit);
/* NULL when TEXT is HOST_PATH[:CONTAINER_PATH], else why it is not. */
const char *parse_device(const char *text, struct device *device);
/* NULL when TEXT is DEV:RATE (RATE with a unit, kb mb gb) or, for
 * iops, DEV:N; else why it is not. */
const char *parse_io_limit(const char *text, struct io_limit *limit);
const char *io_limit_option(enum io_limit_kind kind); /* "--device-read-bps" */
/* Docker's names of the resources, by number ("nofile"); NULL: none. */
extern const char *const ulimit_names[RLIMIT_NLIMITS];
/* NULL when TEXT is a path step9 can take for --landlock-write or
 * --landlock-exec (absolute, one line), else why it is not. */
const char *parse_landlock_path(const char *text);
const char *format_size(uint64_t bytes, char *buffer, size_t length);

#endif
