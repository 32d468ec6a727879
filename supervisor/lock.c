/* lock.c: the container's name, and the lock by which a supervisor says it
 * lives.
 *
 * The supervisor names the container before it forks; step7 names the
 * cgroup after it. If step7 is in the chain, the supervisor also holds
 * flock(2) on SUPERVISOR_LOCKS/<name> for its whole life: the kernel drops
 * the lock when the last descriptor of it is closed, however the process
 * ended, SIGKILL included. A later start that can take the lock knows the
 * supervisor is gone, from any PID namespace, and removes what it left
 * (cgroup.c); a pid could not tell, since a supervisor in another PID
 * namespace has none here and a dead one's can be reused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "names.h"
#include "supervisor.h"

/* Random, not the supervisor's pid: the container reads its cgroup's name
 * in /proc/self/cgroup, and a pid is the host's to keep; it also says
 * nothing about a supervisor in another PID namespace, or one whose pid
 * has been reused. */
static void
name_container(char *name, size_t size, const char *hostname)
{
	uint64_t random;

	/* Up to 256 bytes, getrandom(2) returns them all once the pool is
	 * initialized, or fails: no short read to check for. */
	narrate("getrandom(&random, %zu, 0)", sizeof(random));
	if (getrandom(&random, sizeof(random), 0) == -1)
		die_call();
	snprintf(name, size, "%s-%016" PRIx64, hostname, random);
}

/* O_CLOEXEC: the child shares the descriptor until it executes the next
 * step, and the container never holds it (nor could it keep a dead
 * supervisor's container looking alive). */
static void
hold_supervisor_lock(const char *name)
{
	char path[sizeof(SUPERVISOR_LOCKS) + 128];
	struct stat status;

	snprintf(path, sizeof(path), SUPERVISOR_LOCKS "/%s", name);
	for (int attempt = 0; attempt < 10; attempt++) {
		narrate("mkdir(\"" SUPERVISOR_LOCKS "\", 0700)");
		if (mkdir(SUPERVISOR_LOCKS, 0700) == -1 && errno != EEXIST)
			die_call();
		narrate("open(\"%s\", O_RDONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)", path);
		int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1 && errno == ENOENT)
			continue; /* the last supervisor removed the empty directory: again */
		if (fd == -1)
			die_call();
		narrate("flock(%d, LOCK_EX)", fd);
		if (flock(fd, LOCK_EX) == -1)
			die_call();
		/* Between open and flock the lock was free: a start that took it
		 * then saw a dead supervisor (one with no cgroup yet) and removed
		 * the file, and our lock is on a file no one can find. */
		narrate("fstat(%d, &status)", fd);
		if (fstat(fd, &status) == -1)
			die_call();
		if (status.st_nlink > 0)
			return; /* the descriptor stays open: the lock with it */
		close(fd); /* nothing written: nothing to lose */
	}
	die("open(\"%s\"): removed by other starts 10 times", path);
}

void
hand_over_supervisor(const struct options *options)
{
	char name[128];

	/* A name for ./enter, when the supervisor runs on the host: started
	 * by step2, or by step7 at the start of the chain (after step4 its
	 * /run would be the container's). Not in a user namespace: /run is
	 * the host root's. Nor the lock that lets a later start remove the
	 * cgroup of a supervisor killed before it could (cgroup.c). */
	if ((step_number == 2 || chain_started_here()) && !options->user_namespace)
		claim_container_name(options);
	name_container(name, sizeof(name), options->hostname);
	if (handed_cgroup_fd() != -1 && !options->user_namespace)
		hold_supervisor_lock(name);
	if (setenv("CHAIN_SUPERVISOR", name, 1) == -1)
		die_errno("setenv(CHAIN_SUPERVISOR)");
}

const char *
handed_container_name(void)
{
	return getenv("CHAIN_SUPERVISOR");
}

/* Only a lock that is free can be taken: its supervisor has exited,
 * whichever PID namespace it was in. */
int
lock_of_dead_supervisor(int locks_fd, const char *name)
{
	struct stat status;

	narrate("openat(%d<" SUPERVISOR_LOCKS ">, \"%s\", O_RDONLY|O_CLOEXEC|O_NOFOLLOW)", locks_fd,
		name);
	int fd = openat(locks_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		if (errno != ENOENT) /* ENOENT: its supervisor or another start removed it */
			warn_call();
		return -1;
	}
	narrate("flock(%d<" SUPERVISOR_LOCKS "/%s>, LOCK_EX|LOCK_NB)", fd, name);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) /* EWOULDBLOCK: its supervisor holds it */
			warn_call();
		close(fd);
		return -1;
	}
	/* Taken after another start removed the file: that start has done
	 * the work, and a supervisor may be making a new file of this name. */
	narrate("fstat(%d<" SUPERVISOR_LOCKS "/%s>, &status)", fd, name);
	if (fstat(fd, &status) == -1)
		die_call();
	if (status.st_nlink == 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The lock file goes only with the cgroup: while the lock file is there,
 * the next start tries the cgroup again. The directory goes with the last
 * lock file (another supervisor's makes rmdir fail with ENOTEMPTY). */
void
remove_lock_file(const char *name)
{
	char path[sizeof(SUPERVISOR_LOCKS) + 256];

	snprintf(path, sizeof(path), SUPERVISOR_LOCKS "/%s", name);
	narrate("unlink(\"%s\")", path);
	if (unlink(path) == -1 && errno != ENOENT)
		warn_call();
	narrate("rmdir(\"" SUPERVISOR_LOCKS "\")");
	if (rmdir(SUPERVISOR_LOCKS) == -1 && errno != ENOTEMPTY && errno != EEXIST &&
	    errno != ENOENT && errno != EBUSY)
		warn_call();
}
