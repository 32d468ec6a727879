/* chain.h: the plumbing every step shares.
 *
 * Nothing in here isolates anything. It is the part of each step that is
 * the same in all eight: reading the options, reporting errors in one
 * shape, narrating kernel calls with -v, and handing over to the next step
 * (or to COMMAND at the end of the chain). See DESIGN.md for the hand-over.
 */
#ifndef CHAIN_H
#define CHAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#define LAST_STEP 8

/* Exit statuses, as shells and Docker use them. */
enum {
	EXIT_SETUP_FAILED = 125, /* a kernel call of the chain failed */
	EXIT_BAD_INPUT = 2,      /* usage error: nothing was created */
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

struct cidr {
	struct in_addr address;
	unsigned prefix_length;
};

enum net_mode { NET_VETH, NET_NONE };

/* --ulimit NAME=SOFT[:HARD], by resource number (RLIMIT_NOFILE, ...). */
struct ulimit {
	bool given;
	rlim_t soft, hard; /* RLIM_INFINITY: unlimited */
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

struct options {
	bool verbose;
	int until;               /* the last step of the chain, 1..8 */
	const char *hostname;
	bool ipc_host;          /* --ipc host: no IPC namespace of its own */
	const char *skel;        /* NULL: the skelfs/ next to the binaries */
	uint64_t rootfs_size;    /* bytes */
	const char *rootfs_size_text;
	bool overlay;
	enum net_mode net;
	struct cidr host_ip, ip;
	bool addresses_given;    /* --host-ip or --ip: no automatic next subnet */
	unsigned stop_timeout;   /* seconds between forwarded signal and SIGKILL */
	uint64_t cap_add, cap_drop; /* bit masks of capability numbers */
	bool cap_add_all, cap_drop_all;
	uint64_t memory;         /* bytes, 0: no limit */
	const char *memory_text;
	unsigned cpus_milli;     /* 1000 per CPU, 0: no limit */
	unsigned pids;           /* 0: no limit */
	struct ulimit ulimits[RLIMIT_NLIMITS];
	struct device devices[MAX_DEVICES];
	struct io_limit io_limits[MAX_IO_LIMITS];
	unsigned device_count, io_limit_count;
	unsigned blkio_weight;   /* 10..1000, 0: none */
	bool seccomp_unconfined;
	char **command;          /* NULL-terminated; empty: the login shell */
};

/* The step this program is: set by step_init(). */
extern const char *step_name;
extern int step_number;
extern bool verbose;

/* Parse and validate argv (exits 2 on bad input), then pick up what the
 * previous step handed over. Every step calls this first. */
void step_init(int number, const char *name, int argc, char **argv,
	       struct options *options);

/* True in the step that began the chain on the host. */
bool chain_started_here(void);

/* Errors: "stepN-name: <what>: <strerror>", exit 125. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *format, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *format, ...);
__attribute__((noreturn, format(printf, 2, 3))) void die_with_status(int status, const char *format, ...);
__attribute__((format(printf, 1, 2))) void warn_errno(const char *format, ...);
__attribute__((format(printf, 1, 2))) void hint(const char *format, ...);

/* Failure injection for the tests: in a build with -DFAULT_INJECTION
 * (make faults), the step dies here when CHAIN_FAULT names this point, to
 * prove that a failure after creating something leaves nothing behind. In
 * the normal build it is nothing at all. */
#ifdef FAULT_INJECTION
void fault_point(const char *name);
#else
static inline void
fault_point(const char *name)
{
	(void)name;
}
#endif

/* -v: print the call on stderr before making it. */
__attribute__((format(printf, 1, 2))) void narrate(const char *format, ...);

/* Write a short string to a file, as "echo VALUE > FILE" would. */
int write_file_at(int dirfd, const char *path, const char *value);

/* Hand over: exec the next step, or COMMAND if this step is the last one.
 * Never returns. */
__attribute__((noreturn)) void exec_next(const struct options *options);

/* Hand-over state that outlives one step (see DESIGN.md). */
int handed_cgroup_fd(void);          /* -1 when step7 is not in the chain */

/* The supervisor, before it forks, names the container "<hostname>-<16
 * random hex digits>" (the name of its cgroup) and hands the name down in
 * CHAIN_SUPERVISOR; if step7 is in the chain it also holds the lock file
 * SUPERVISOR_LOCKS/<name> until it exits, by which the next start tells a
 * live supervisor from a dead one (common/cgroup.c). */
#define SUPERVISOR_LOCKS "/run/under-the-hood"
void hand_over_supervisor(const struct options *options);
const char *handed_container_name(void); /* NULL when no supervisor runs */

/* The option parser (options.c). It never exits and prints nothing:
 * step_init() prints the message and exits 2 on OPTIONS_BAD_INPUT, prints
 * the usage and exits 0 on OPTIONS_HELP. Fuzz targets call it directly. */
enum { OPTIONS_OK, OPTIONS_HELP, OPTIONS_BAD_INPUT };
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);
void print_usage(void);

/* Helpers for the option parser, also used by fuzz targets. */
int parse_size(const char *text, uint64_t *bytes);
int parse_cidr(const char *text, struct cidr *cidr);
int parse_cpus(const char *text, unsigned *milli);
int parse_capability(const char *text, int *number, bool *all);
bool valid_hostname(const char *name);
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
const char *format_size(uint64_t bytes, char *buffer, size_t length);

/* The supervisor: the one process that stays outside the container.
 * block_supervisor_signals() before fork; the child calls
 * die_with_supervisor(), the parent supervise(). */
void block_supervisor_signals(sigset_t *previous);
void die_with_supervisor(const sigset_t *previous);
__attribute__((noreturn)) void supervise(long child, const struct options *options);

#endif
