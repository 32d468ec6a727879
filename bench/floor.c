/* floor: the least a container start can cost on this kernel.
 *
 * One clone(2) with the namespaces of our chain (UTS, PID, mount, IPC,
 * network), /proc mounted in the child after the mounts are made private,
 * then exec of COMMAND; the parent waits and returns its status. No veth,
 * no root filesystem, no capabilities, no cgroup, no seccomp: what is left
 * is what the kernel itself charges for the namespaces, and `make bench`
 * compares the chain with it.
 *
 * Usage: floor COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE ((size_t)256 * 1024)

__attribute__((noreturn, format(printf, 2, 3))) static void
die_errno(int status, const char *format, ...)
{
	int saved_errno = errno;
	va_list arguments;

	fputs("floor: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fprintf(stderr, ": %s\n", strerror(saved_errno));
	exit(status);
}

/* In the child, PID 1 of the new PID namespace. The mount namespace is a
 * copy of the host's, whose mounts systemd made shared: without MS_PRIVATE
 * first, the proc mount would propagate back to the host (mount_namespaces(7)). */
static int
child(void *argument)
{
	char **command = argument;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die_errno(125, "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE)");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		die_errno(125, "mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)");
	execvp(command[0], command);
	die_errno(errno == ENOENT ? 127 : 126, "execvp(\"%s\")", command[0]);
}

int
main(int argc, char **argv)
{
	/* The child's stack: clone(2) gets its top, the kernel writes to it. */
	static char stack[STACK_SIZE] __attribute__((aligned(16))); /* cppcheck-suppress unassignedVariable */
	int flags = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET;
	int status;

	if (argc < 2) {
		fputs("usage: floor COMMAND [ARG...]\n", stderr);
		return 2;
	}
	pid_t pid = clone(child, stack + STACK_SIZE, flags | SIGCHLD, argv + 1);
	if (pid == -1)
		die_errno(125, "clone(CLONE_NEWUTS|CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWIPC|CLONE_NEWNET)");
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die_errno(125, "waitpid(%d)", pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
