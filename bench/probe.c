/* probe: what this machine charges for the things a container start is
 * made of, measured, so that RESULTS.md can say why a layer costs what it
 * costs. Prints "name value" lines:
 *
 *   cpuid_us         one CPUID instruction (glibc runs dozens of them when
 *                    any program starts; in a VM each one traps to the
 *                    hypervisor)
 *   fresh_pages_ms   writing 16 MiB into memory never touched before, in
 *                    4 KiB pages (what a copy into a new tmpfs pays)
 *   warm_pages_ms    writing the same 16 MiB again (memory bandwidth only)
 *   procs_move_ms    a single-threaded process moving itself into a new
 *                    cgroup through cgroup.procs (median)
 *   tasks_move_ms    the same through the v1 tasks file, "0" (median; v1
 *                    and hybrid hosts only)
 *
 * The cgroup is bench-probe.<pid>, in the pids hierarchy (v1) or at the
 * root (v2); it is removed before the probe exits.
 *
 * Usage: probe (as root)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#define MOVES 9
#define FRESH_BYTES ((size_t)16 << 20)

static char cgroup[128];

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
remove_cgroup(void)
{
	if (cgroup[0] != '\0' && rmdir(cgroup) == -1)
		fprintf(stderr, "probe: rmdir %s: %s\n", cgroup, strerror(errno));
}

__attribute__((noreturn)) static void
die(const char *what)
{
	fprintf(stderr, "probe: %s: %s\n", what, strerror(errno));
	remove_cgroup();
	exit(1);
}

static void
probe_cpuid(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned eax, ebx, ecx, edx;
	int count = 2000;
	double start = now_ms();

	for (int i = 0; i < count; i++)
		__cpuid_count(0x8000001d, (unsigned)i & 3, eax, ebx, ecx, edx);
	printf("cpuid_us %.2f\n", (now_ms() - start) * 1000 / count);
	(void)eax, (void)ebx, (void)ecx, (void)edx;
#endif
}

static void
probe_pages(void)
{
	char *memory = mmap(NULL, FRESH_BYTES, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (memory == MAP_FAILED)
		die("mmap");
	/* EINVAL: a kernel without transparent huge pages, 4 KiB pages anyway */
	if (madvise(memory, FRESH_BYTES, MADV_NOHUGEPAGE) == -1 && errno != EINVAL)
		die("madvise");
	double start = now_ms();
	memset(memory, 1, FRESH_BYTES);
	double fresh = now_ms() - start;
	start = now_ms();
	memset(memory, 2, FRESH_BYTES);
	double warm = now_ms() - start;
	printf("fresh_pages_ms %.2f\nwarm_pages_ms %.2f\n", fresh, warm);
	munmap(memory, FRESH_BYTES);
}

static int
compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A child writes "0" (itself) into FILE of the probe's cgroup and reports
 * how long the write took. The pause before each lets the kernel's lock for
 * moving tasks fall back to its slow state, as it is when a container
 * starts on a quiet host. */
static double
median_move(const char *file)
{
	char path[192];
	double times[MOVES];
	int report[2];

	snprintf(path, sizeof(path), "%s/%s", cgroup, file);
	for (int i = 0; i < MOVES; i++) {
		usleep(200 * 1000);
		if (pipe(report) == -1)
			die("pipe");
		pid_t child = fork();
		if (child == -1)
			die("fork");
		if (child == 0) {
			int fd = open(path, O_WRONLY | O_CLOEXEC);
			double start = now_ms();
			if (fd == -1 || write(fd, "0", 1) != 1)
				_exit(1);
			double took = now_ms() - start;
			_exit(write(report[1], &took, sizeof(took)) == sizeof(took) ? 0 : 1);
		}
		close(report[1]);
		int status;
		if (read(report[0], &times[i], sizeof(times[i])) != sizeof(times[i]) ||
		    waitpid(child, &status, 0) == -1 || status != 0) {
			errno = EIO;
			die(path);
		}
		close(report[0]);
	}
	qsort(times, MOVES, sizeof(*times), compare);
	return times[MOVES / 2];
}

static void
probe_cgroup_moves(void)
{
	struct stat unused;
	bool v1 = stat("/sys/fs/cgroup/pids/cgroup.procs", &unused) == 0;

	snprintf(cgroup, sizeof(cgroup), "/sys/fs/cgroup/%sbench-probe.%d", v1 ? "pids/" : "",
		 (int)getpid());
	if (mkdir(cgroup, 0755) == -1) {
		cgroup[0] = '\0';
		die("mkdir cgroup");
	}
	printf("procs_move_ms %.3f\n", median_move("cgroup.procs"));
	if (v1)
		printf("tasks_move_ms %.3f\n", median_move("tasks"));
	remove_cgroup();
}

int
main(void)
{
	probe_cpuid();
	probe_pages();
	probe_cgroup_moves();
	return 0;
}
