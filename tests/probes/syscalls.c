/* syscall-probe NAME [VALUE]: make one system call and say what the kernel
 * answered: "NAME: OK" (exit 0) or "NAME: <strerror>" (exit 1).
 *
 * For tests/step8-seccomp.bats, inside the container (build/test-skel has
 * it in /usr/local/bin). The arguments are chosen so that nothing happens
 * even where the call is allowed, and so that the kernel's own answer is not
 * the filter's EPERM: a NULL pointer (EFAULT), an unknown command or mode
 * (EINVAL, EOPNOTSUPP), a file that does not exist (ENOENT), a read-only
 * request (OK). Where the kernel checks a capability before anything else
 * (pivot_root, reboot, swapoff, acct, syslog, vhangup, clone with most
 * namespace flags), the answer without the filter is EPERM as well unless
 * the container keeps that capability: the tests compare with --cap-add.
 *
 * The calls the filter does not name answer ENOSYS without it where the
 * kernel predates them (listmount before 6.8), and calls newer than the
 * filter's list answer ENOSYS with it: the tests tell the two apart.
 *
 * VALUE, when given, replaces the first argument: personality 0x8.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000 /* __X32_SYSCALL_BIT in <asm/unistd.h> */
#define HIGH_BIT 0x100000000L      /* above the 32 bits of an int argument */

/* Calls newer than this libc's headers, by their x86_64 numbers. */
#define NR_statmount 457    /* Linux 6.8 */
#define NR_listmount 458    /* Linux 6.8 */
#define NR_file_getattr 468 /* Linux 6.17 */

enum way {
	DIRECT,         /* syscall(number, arguments...) */
	FORKS,          /* a clone: the child exits at once, the parent reaps it */
	I386,           /* int $0x80: the number is an i386 one */
	IN_NEW_SESSION, /* in a child without a controlling terminal (vhangup) */
};

struct probe {
	const char *name;
	long number;
	enum way way;
	long arguments[6];
};

static int
run_in_new_session(const struct probe *probe)
{
	pid_t child = fork();
	int status;

	if (child == -1)
		return -1;
	if (child == 0) {
		setsid(); /* cannot fail in a child: it leads no process group */
		long result = syscall(probe->number, probe->arguments[0]);
		_exit(result == -1 ? errno : 0);
	}
	if (waitpid(child, &status, 0) == -1)
		return -1;
	errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	return errno == 0 ? 0 : -1;
}

/* The i386 entry of a 64-bit kernel, from a 64-bit process: the kernel
 * takes the number as an i386 one and reports the architecture as i386. */
static long
i386_syscall(long number)
{
	int result;

	__asm__ volatile("int $0x80" : "=a"(result) : "a"(number) : "r8", "r9", "r10", "r11", "memory");
	if (result < 0 && result > -4096) {
		errno = -result;
		return -1;
	}
	return result;
}

static long
run(const struct probe *probe)
{
	const long *a = probe->arguments;
	long result;

	switch (probe->way) {
	case DIRECT:
		return syscall(probe->number, a[0], a[1], a[2], a[3], a[4], a[5]);
	case FORKS:
		result = syscall(probe->number, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (result == 0)
			_exit(0);
		if (result > 0 && waitpid((pid_t)result, NULL, 0) == -1)
			return -1;
		return result;
	case I386:
		return i386_syscall(probe->number);
	case IN_NEW_SESSION:
		return run_in_new_session(probe);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static struct timeval bad_time = { .tv_sec = 0, .tv_usec = 2000000 }; /* EINVAL */
	static struct timex read_only = { .modes = 0 }; /* modes 0: only reads the clock */
	/* The last column: what this kernel (no modules, kexec, iopl or x32)
	 * answers without the filter; in brackets, without the capability. */
	const struct probe probes[] = {
		{ "mount", SYS_mount, DIRECT, { 0, 0, 0, 0, 0 } },                  /* EFAULT */
		{ "umount2", SYS_umount2, DIRECT, { 0, 0 } },                       /* EFAULT */
		{ "pivot_root", SYS_pivot_root, DIRECT, { 0, 0 } },                 /* EFAULT (EPERM) */
		{ "unshare", SYS_unshare, DIRECT, { CLONE_NEWUSER } },              /* OK, needs none */
		{ "setns", SYS_setns, DIRECT, { -1, 0 } },                          /* EBADF */
		{ "clone", SYS_clone, FORKS, { SIGCHLD } },                         /* OK, allowed */
		{ "clone-newns", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWNS } },     /* OK (EPERM) */
		{ "clone-newuts", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWUTS } },   /* OK (EPERM) */
		{ "clone-newipc", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWIPC } },   /* OK (EPERM) */
		{ "clone-newuser", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWUSER } }, /* OK, needs none */
		{ "clone-newpid", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWPID } },   /* OK (EPERM) */
		{ "clone-newnet", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWNET } },   /* OK (EPERM) */
		{ "clone-newcgroup", SYS_clone, FORKS, { SIGCHLD | CLONE_NEWCGROUP } }, /* OK (EPERM) */
		{ "clone3", SYS_clone3, DIRECT, { 0, 0 } },                         /* EINVAL: size 0 */
		{ "keyctl", SYS_keyctl, DIRECT, { 0x7fff } },                       /* EOPNOTSUPP: no command */
		{ "add_key", SYS_add_key, DIRECT, { 0, 0, 0, 0, 0 } },              /* EFAULT */
		{ "request_key", SYS_request_key, DIRECT, { 0, 0, 0, 0 } },         /* EFAULT */
		{ "init_module", SYS_init_module, DIRECT, { 0, 0, (long)"" } },     /* ENOSYS (else ENOEXEC) */
		{ "finit_module", SYS_finit_module, DIRECT, { -1, (long)"", 0 } },  /* ENOSYS (else EBADF) */
		{ "delete_module", SYS_delete_module, DIRECT, { 0, 0 } },           /* ENOSYS (else EFAULT) */
		{ "kexec_load", SYS_kexec_load, DIRECT, { 0, 1000, 0, 0 } },        /* ENOSYS (else EINVAL) */
		{ "kexec_file_load", SYS_kexec_file_load, DIRECT, { -1, -1, 0, 0, -1 } }, /* ENOSYS (else EINVAL) */
		{ "reboot", SYS_reboot, DIRECT, { 0, 0, 0, 0 } },                   /* EINVAL: no magic (EPERM) */
		{ "swapon", SYS_swapon, DIRECT, { 0, -1 } },                        /* EINVAL: flags */
		{ "swapoff", SYS_swapoff, DIRECT, { 0 } },                          /* EFAULT (EPERM) */
		{ "acct", SYS_acct, DIRECT, { (long)"/nonexistent" } },             /* ENOENT (EPERM) */
		{ "quotactl", SYS_quotactl, DIRECT, { 0xff, 0, 0, 0 } },            /* EINVAL: type 255 */
		{ "syslog", SYS_syslog, DIRECT, { 10 /* SIZE_BUFFER */ } },         /* OK (EPERM) */
		{ "vhangup", SYS_vhangup, IN_NEW_SESSION, { 0 } },                  /* OK (EPERM) */
		{ "mbind", SYS_mbind, DIRECT, { 0, 0, 99, 0, 0, 0 } },              /* EINVAL: mode 99 */
		{ "set_mempolicy", SYS_set_mempolicy, DIRECT, { 99, 0, 0 } },       /* EINVAL: mode 99 */
		{ "move_pages", SYS_move_pages, DIRECT, { 0, 0, 0, 0, 0, -1 } },    /* EINVAL: flags */
		{ "migrate_pages", SYS_migrate_pages, DIRECT, { 0x7fffffff } },     /* ESRCH */
		{ "iopl", SYS_iopl, DIRECT, { 4 } },                                /* ENOSYS (else EINVAL) */
		{ "ioperm", SYS_ioperm, DIRECT, { 0, 0, 0 } },                      /* ENOSYS (else EINVAL) */
		{ "clock_settime", SYS_clock_settime, DIRECT, { CLOCK_REALTIME, 0 } }, /* EFAULT */
		{ "clock_adjtime", SYS_clock_adjtime, DIRECT, { CLOCK_REALTIME, (long)&read_only } }, /* OK */
		{ "settimeofday", SYS_settimeofday, DIRECT, { (long)&bad_time, 0 } }, /* EINVAL */
		{ "adjtimex", SYS_adjtimex, DIRECT, { (long)&read_only } },         /* OK */
		{ "open_by_handle_at", SYS_open_by_handle_at, DIRECT, { -1, 0, 0 } }, /* EFAULT */
		{ "name_to_handle_at", SYS_name_to_handle_at, DIRECT, { AT_FDCWD, (long)"/nonexistent" } }, /* ENOENT */
		{ "bpf", SYS_bpf, DIRECT, { -1, 0, 0 } },                           /* EINVAL: command -1 */
		{ "perf_event_open", SYS_perf_event_open, DIRECT, { 0, 0, -1, -1, 0 } }, /* EFAULT */
		{ "userfaultfd", SYS_userfaultfd, DIRECT, { -1 } },                 /* EINVAL: flags */
		{ "lookup_dcookie", SYS_lookup_dcookie, DIRECT, { 0, 0, 0 } },      /* ENOSYS: gone from 6.x kernels */
		{ "personality", SYS_personality, DIRECT, { 0x0040000 } },          /* OK (ADDR_NO_RANDOMIZE) */
		{ "getpid-i386", 20 /* i386 getpid */, I386, { 0 } },               /* OK */
		{ "getpid-x32", X32_SYSCALL_BIT | SYS_getpid, DIRECT, { 0 } },      /* ENOSYS (else OK) */
		/* Not on Docker's list, or newer than it. */
		{ "io_uring_setup", SYS_io_uring_setup, DIRECT, { 1, 0 } },        /* EFAULT */
		{ "kcmp", SYS_kcmp, DIRECT, { 0, 0, 0, 0, 0 } },                    /* ESRCH: no pid 0 */
		{ "set_mempolicy_home_node", SYS_set_mempolicy_home_node, DIRECT, { 0, 0, 0, 0 } }, /* OK: 0 pages */
		{ "landlock_create_ruleset", SYS_landlock_create_ruleset, DIRECT, { 0, 0, 1 } }, /* OK: ABI version */
		{ "statmount", NR_statmount, DIRECT, { 0, 0, 0, 0 } },              /* EFAULT (ENOSYS before 6.8) */
		{ "listmount", NR_listmount, DIRECT, { 0, 0, 0, 0 } },              /* EFAULT (ENOSYS before 6.8) */
		{ "file_getattr", NR_file_getattr, DIRECT, { -1, 0, 0, 0, 0 } },    /* EINVAL (ENOSYS before 6.17) */
		{ "future-500", 500, DIRECT, { 0 } },                               /* ENOSYS: not yet a call */
		{ "future-1000", 1000, DIRECT, { 0 } },                             /* ENOSYS: not yet a call */
		/* Allowed with conditions on their arguments. */
		{ "socket-inet", SYS_socket, DIRECT, { AF_INET, SOCK_DGRAM, 0 } },  /* OK */
		{ "socket-vsock", SYS_socket, DIRECT, { AF_VSOCK, SOCK_STREAM, 0 } }, /* OK (EAFNOSUPPORT) */
		{ "socket-vsock-high", SYS_socket, DIRECT, { HIGH_BIT | AF_VSOCK, SOCK_STREAM, 0 } }, /* as above */
		{ "socket-alg", SYS_socket, DIRECT, { AF_ALG, SOCK_SEQPACKET, 0 } }, /* EAFNOSUPPORT (OK) */
		{ "ioctl-tcgets", SYS_ioctl, DIRECT, { -1, TCGETS, 0 } },           /* EBADF */
		{ "ioctl-tiocsti", SYS_ioctl, DIRECT, { -1, TIOCSTI, 0 } },         /* EBADF */
		{ "ioctl-tiocsti-high", SYS_ioctl, DIRECT, { -1, HIGH_BIT | TIOCSTI, 0 } }, /* EBADF */
	};

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: syscall-probe NAME [VALUE]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(*probes); i++) {
		struct probe probe = probes[i];
		if (strcmp(probe.name, argv[1]) != 0)
			continue;
		if (argc == 3)
			probe.arguments[0] = (long)strtoul(argv[2], NULL, 0);
		long result = run(&probe);
		printf("%s: %s\n", probe.name, result == -1 ? strerror(errno) : "OK");
		return result == -1 ? 1 : 0;
	}
	fprintf(stderr, "syscall-probe: %s: no such probe\n", argv[1]);
	return 2;
}
