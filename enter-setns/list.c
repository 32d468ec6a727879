/* list.c: enter --list, the running containers, one line each.
 *
 * Everything is read from the registry (supervisor/names.h) but the
 * addresses: step3 picks a free subnet when --ip is not given, and only
 * the container's network namespace knows which. A child joins it and
 * asks, as `ip -n NAME addr` would.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/chain.h"
#include "../supervisor/names.h"
#include "../supervisor/supervisor.h"
#include "enter.h"

/* A small file of the entry, its last newline dropped; "-" if absent. */
static void
read_small(int entry_fd, const char *file, char *text, size_t size)
{
	int fd = openat(entry_fd, file, O_RDONLY | O_CLOEXEC);
	ssize_t length = fd == -1 ? -1 : read(fd, text, size - 1);

	if (fd != -1)
		close(fd);
	if (length <= 0) {
		snprintf(text, size, "-");
		return;
	}
	text[length] = '\0';
	text[strcspn(text, "\n")] = '\0';
}

/* The IPv4 addresses of the namespace, but loopback's, comma-separated,
 * into TEXT: a child joins the namespace and writes them into a pipe. */
static void
read_addresses(int entry_fd, char *text, size_t size)
{
	struct ifaddrs *addresses;
	int fds[2], status;

	snprintf(text, size, "?");
	if (pipe2(fds, O_CLOEXEC) == -1)
		die_errno("pipe2");
	pid_t child = fork();
	if (child == -1)
		die_errno("fork()");
	if (child == 0) {
		FILE *out = fdopen(fds[1], "w");
		int fd = openat(entry_fd, "net", O_RDONLY | O_CLOEXEC), printed = 0;
		if (out == NULL || fd == -1 || setns(fd, CLONE_NEWNET) == -1 ||
		    getifaddrs(&addresses) == -1)
			_exit(1);
		for (struct ifaddrs *a = addresses; a != NULL; a = a->ifa_next) {
			if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_INET ||
			    (a->ifa_flags & IFF_LOOPBACK))
				continue;
			char address[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, address,
				  sizeof(address));
			fprintf(out, "%s%s", printed++ > 0 ? "," : "", address);
		}
		fprintf(out, "%s", printed == 0 ? "-" : "");
		_exit(fclose(out) == 0 ? 0 : 1);
	}
	close(fds[1]);
	ssize_t length = read(fds[0], text, size - 1);
	close(fds[0]);
	if (waitpid(child, &status, 0) == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    length <= 0)
		snprintf(text, size, "?");
	else
		text[length] = '\0';
}

static void
print_uptime(int entry_fd)
{
	struct stat status;

	if (fstatat(entry_fd, "host-pid", &status, 0) == -1) {
		printf("-");
		return;
	}
	long seconds = (long)(time(NULL) - status.st_mtime);
	if (seconds < 120)
		printf("%lds", seconds);
	else if (seconds < 2L * 3600)
		printf("%ldm", seconds / 60);
	else
		printf("%ldh", seconds / 3600);
}

void
list_containers(void)
{
	struct dirent *entry;
	char pid[32], hostname[80], cgroup[160], addresses[256];

	printf("%-16s %-8s %-16s %-16s %-44s %s\n", "NAME", "PID", "HOSTNAME", "ADDRESSES",
	       "CGROUP", "UPTIME");
	narrate("opendir(\"" REGISTRY "\")");
	DIR *registry = opendir(REGISTRY);
	if (registry == NULL) {
		if (errno != ENOENT)
			die_call();
		return; /* no container has run since boot, or none runs */
	}
	while ((entry = readdir(registry)) != NULL) {
		if (entry->d_type != DT_DIR || !valid_container_name(entry->d_name))
			continue;
		int fd = openat(dirfd(registry), entry->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1)
			continue; /* removed since readdir */
		/* A lock we can take is a dead supervisor's: not running. */
		if (flock(fd, LOCK_SH | LOCK_NB) == 0 || faccessat(fd, "host-pid", F_OK, 0) == -1) {
			close(fd);
			continue;
		}
		read_small(fd, "host-pid", pid, sizeof(pid));
		read_small(fd, "hostname", hostname, sizeof(hostname));
		read_small(fd, "cgroup", cgroup, sizeof(cgroup));
		read_addresses(fd, addresses, sizeof(addresses));
		printf("%-16s %-8s %-16s %-16s ", entry->d_name, pid, hostname, addresses);
		if (strcmp(cgroup, "-") == 0)
			printf("%-44s ", "-");
		else
			printf(CGROUP_PARENT "/%-*s ", (int)(44 - sizeof(CGROUP_PARENT)), cgroup);
		print_uptime(fd);
		printf("\n");
		close(fd);
	}
	closedir(registry);
}
