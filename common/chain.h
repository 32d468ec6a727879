/* chain.h: the plumbing every step shares.
 *
 * Nothing in here isolates anything. It is the part of each step that is
 * the same in every step: reading the options (the parser is in options/),
 * reporting errors in one shape, narrating kernel calls with -v, and
 * handing over to the next step (or to COMMAND at the end of the chain).
 * See DESIGN.md for the hand-over.
 * The process that stays on the host, the supervisor, is in supervisor/.
 */
#ifndef CHAIN_H
#define CHAIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "../options/options.h"
/* LAST_STEP, FOR_EACH_STEP() and STEPS_HELP: the rows of steps.table, made
 * into build/steps.h by tools/steps.awk. */
#include "steps.h"

/* What a step needs from the chain, its row's "needs" in steps.table. */
enum step_needs {
	STEP_NEEDS_SUPERVISOR = 1, /* linked with supervisor/ (the Makefile) */
	STEP_NEEDS_SKELETON = 2,   /* --skel, checked and found on the host */
	STEP_NEEDS_CGROUP = 4,     /* /sys/fs/cgroup opened on the host: handed_cgroup_fd() */
};

/* Exit statuses, as shells and Docker use them. */
enum {
	EXIT_SETUP_FAILED = 125, /* a kernel call of the chain failed */
	EXIT_BAD_INPUT = 2,      /* usage error: nothing was created */
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

/* A wait status as a shell's $?: the exit status, or 128 + the signal. */
int exit_status_of(int status);

/* The step this program is: set by step_init(). */
extern const char *step_name;
extern int step_number;
extern bool verbose;

/* Parse and validate argv (exits 2 on bad input), then pick up what the
 * previous step handed over. Every step calls this first. */
void step_init(int number, const char *name, int argc, char **argv,
	       struct options *options);

/* /dev/null as each of 0, 1 and 2 that the caller left closed. step_init()
 * calls it, and step0, which has no row. */
void open_closed_standard_descriptors(void);
/* True when this process is in a user namespace other than the host's
 * (step0-user, or `unshare --user`): /proc/self/uid_map is not the
 * identity. step_init() then calls check_user_namespace(). */
bool in_user_namespace(void);
/* In a user namespace, the cgroup the container's may be made in: the
 * parent of the caller's own, on cgroup v2, if delegated to the caller
 * (delegation.c). NULL and its path below /sys/fs/cgroup into PARENT, its
 * controllers into CONTROLLERS (" memory pids "); else why there is none. */
const char *find_delegated_cgroup(char *parent, size_t size, char *controllers,
				  size_t controllers_size);
/* What the parser said (parse_options(), check_user_namespace()): with
 * --help, the usage and exit 0; on bad input, ERROR in one line and exit 2;
 * else nothing. step_init() calls it, and step0, which has no row. */
void exit_unless_parsed(int parsed, const char *error);
/* PROGRAM's path in $PATH, as execvp(3) would find it, into PATH; false
 * if there is none. */
bool find_in_path(const char *program, char *path, size_t size);
/* What the steps from this one to --until need from the chain, as a sum
 * of enum step_needs (step0, number 0, needs nothing itself). */
unsigned chain_needs(const struct options *options);
/* True in the step that began the chain on the host. */
bool chain_started_here(void);
/* True when ./enter runs steps 6-9 to confine a process it brought into a
 * running container (CHAIN_ENTER, enter-setns/): what the container's own
 * chain made (masks, cgroup) is there already. */
bool chain_entering(void);
/* The namespace file KIND ("net") of the running container NAME, from the
 * registry its supervisor keeps (supervisor/names.c), opened read-only;
 * -1 when no running container has the name (errno ENOENT, or ESRCH: its
 * supervisor has gone). */
int open_registered_namespace(const char *name, const char *kind);
/* --ipc, --pid, --net container:NAME: setns(2) into NAME's namespace file
 * KIND ("ipc") of type TYPE (CLONE_NEWIPC, narrated as TYPE_NAME), instead
 * of the step's unshare; exits 125 naming OPTION if NAME has ended. */
void join_registered_namespace(const char *option, const char *name, const char *kind, int type,
			       const char *type_name);
/* Unset every CHAIN_* variable: the first step of a chain, and ./enter,
 * set their own. */
void clear_hand_over_environment(void);
/* The argv this step was started with (argv[0] its own name). */
char **chain_arguments(void);

/* Errors: "stepN-name: <what>: <strerror>", exit 125. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *format, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *format, ...);
__attribute__((noreturn, format(printf, 2, 3))) void die_with_status(int status, const char *format, ...);
__attribute__((format(printf, 1, 2))) void warn_errno(const char *format, ...);
__attribute__((format(printf, 1, 2))) void hint(const char *format, ...);
/* One line of what the step did instead of its layer, also without -v. */
__attribute__((format(printf, 1, 2))) void notice(const char *format, ...);

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

/* A learner's copy of a step (make exercise) calls this where a TODO
 * still stands: "step1-uts: exercise 1.1 is not done (make hint STEP=1)",
 * exit 125. The reference steps never call it. */
__attribute__((noreturn)) void exercise_not_done(const char *exercise);

/* Every kernel call is narrated just before it is made, with its real
 * values and flag names: "unshare(CLONE_NEWUTS)". With -v the text goes to
 * stderr; either way it is kept, and if the call fails,
 *
 *	narrate("unshare(%s)", "CLONE_NEWUTS");
 *	if (unshare(CLONE_NEWUTS) == -1)
 *		die_call();
 *
 * reports that same text with errno ("step1-uts: unshare(CLONE_NEWUTS):
 * Operation not permitted") and exits 125. warn_call() prints the same
 * line and returns (errno kept), for a hint() before exiting. */
__attribute__((format(printf, 1, 2))) void narrate(const char *format, ...);
__attribute__((noreturn)) void die_call(void);
void warn_call(void);

/* Write a short string to a file, as "echo VALUE > FILE" would. */
int write_file_at(int dirfd, const char *path, const char *value);

/* --sysctl: write the values that belong to this step's namespace (their
 * step is this step's number) to /proc/sys/KEY, each '.' of KEY a '/', as
 * this process sees it; exits 125 naming the file if one fails. */
void write_own_sysctls(const struct options *options);

/* Hand over: exec the next step, or COMMAND if this step is the last one.
 * Never returns. */
__attribute__((noreturn)) void exec_next(const struct options *options);
/* step0, which is before the chain: execute step1 from this binary's own
 * directory with ARGV (its argv[0] becomes step1's name). */
__attribute__((noreturn)) void exec_first_step(char **argv);
/* The end of the chain: COMMAND with fds 0-2, the container's environment
 * and its terminal (exec_next() of the last step; ./enter without steps
 * 6-9). Under ./enter, COMMAND is forked into the container's PID
 * namespace first. */
__attribute__((noreturn)) void exec_command(const struct options *options);

/* Hand-over state that outlives one step (see DESIGN.md). */
int handed_cgroup_fd(void);          /* -1 when no step that needs it is in the chain */
/* The descriptor the environment variable NAME hands down; -1 if unset. */
int getenv_fd(const char *name);

#endif
