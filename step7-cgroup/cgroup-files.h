/* cgroup-files.h: the container's cgroup as step7's files share it: its
 * place, the names of its files on cgroup v1 and on v2, and how a value is
 * written to one of them (cgroup-files.c). The lesson (step7-cgroup.c), the
 * guarantees (guarantees.c) and the I/O limits (io.c) write through it. */
#ifndef CGROUP_FILES_H
#define CGROUP_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "../supervisor/supervisor.h"
#include "../common/chain.h"

/* Where v1 and v2 differ, all of it: the file that holds each setting (NULL
 * where a version has none), and how a value is written there. */
struct cgroup_files {
	enum cgroup_layout layout;
	/* The trees the cgroup is made in: one on v2 ({ NULL }: the root
	 * itself), one per controller on v1 ("memory", "pids", ...). */
	const char *const *hierarchies;
	size_t hierarchy_count;
	/* Before our cgroup is made in PARENT, and once it is (PATH): what
	 * each version needs first. -1 with ENOENT when the directory has
	 * gone (another container's supervisor removed it): make it again. */
	int (*prepare_parent)(int root_fd, const char *hierarchy, const char *parent);
	int (*prepare_cgroup)(int root_fd, const char *hierarchy, const char *path);
	const char *procs;             /* writing "0" moves the writer in */
	const char *memory_max;
	const char *swap_max;
	bool swap_max_counts_memory;   /* v1: memory+swap; v2: swap alone */
	const char *socket_memory_max; /* v1 only: v2 counts sockets as memory */
	const char *cpu_period;        /* v1 only: v2 has the period in cpu.max */
	const char *cpu_max;
	void (*format_cpu_max)(char *value, size_t size, unsigned quota, unsigned period);
	const char *cpu_weight;
	unsigned long (*weight_of_shares)(unsigned long shares);
	const char *memory_low;
	bool memory_low_in_parent_too; /* v2: bounded by the parent's own */
	const char *io_max[4];         /* by enum io_limit_kind */
	void (*format_io_max)(char *value, size_t size, const struct io_limit *limit);
	const char *io_bfq_weight, *io_weight;
	void (*format_io_weight)(char *value, size_t size, unsigned weight);
};

/* The table for the host's layout (cgroup_layout()). */
const struct cgroup_files *cgroup_files_of(enum cgroup_layout layout);

struct container_cgroup {
	int root_fd; /* /sys/fs/cgroup, handed down by the first step */
	const struct cgroup_files *files;
	const char *name; /* <hostname>-<16 hex digits>, from the supervisor */
};

/* "<hierarchy>/under-the-hood[/<name>][/<file>]", relative to
 * /sys/fs/cgroup (the hierarchy on v1 only); NULL leaves a part out. */
void cgroup_path(char *path, size_t size, const struct container_cgroup *cgroup,
		 const char *controller, const char *name, const char *file);
/* Write VALUE to the cgroup's FILE (on v1 in CONTROLLER's hierarchy),
 * narrated. Returns -1 with errno ENOENT when the file does not exist and
 * OPTIONAL; exits on any other failure. */
int write_cgroup_file(const struct container_cgroup *cgroup, const char *controller,
		      const char *file, const char *value, bool optional);

#endif
