/* mounts.c: the small mount helpers step5-rootfs.c and dev.c share, each
 * narrated with the call as it is made, flags by their names. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../common/chain.h"
#include "mounts.h"

const char *
mount_flag_names(unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ MS_RDONLY, "MS_RDONLY" }, { MS_NOSUID, "MS_NOSUID" }, { MS_NODEV, "MS_NODEV" },
		{ MS_NOEXEC, "MS_NOEXEC" }, { MS_REMOUNT, "MS_REMOUNT" }, { MS_BIND, "MS_BIND" },
		{ MS_REC, "MS_REC" },       { MS_PRIVATE, "MS_PRIVATE" },
	};
	static char text[160];
	size_t length = 0;

	text[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (flags & names[i].flag) {
			length += (size_t)snprintf(text + length, sizeof(text) - length, "%s%s",
						   length ? "|" : "", names[i].name);
			flags &= ~names[i].flag;
		}
	}
	if (flags != 0) /* one this table lacks: its number, rather than nothing */
		snprintf(text + length, sizeof(text) - length, "%s0x%lx", length ? "|" : "", flags);
	else if (length == 0)
		snprintf(text, sizeof(text), "0");
	return text;
}

void
make_directory(const char *path, mode_t mode)
{
	narrate("mkdir(\"%s\", 0%o)", path, (unsigned)mode);
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		die_call();
}

static int
try_mount_tmpfs(const char *target, unsigned long flags, const char *data)
{
	narrate("mount(\"tmpfs\", \"%s\", \"tmpfs\", %s, \"%s\")", target, mount_flag_names(flags),
		data);
	return mount("tmpfs", target, "tmpfs", flags, data);
}

void
mount_tmpfs(const char *target, unsigned long flags, const char *data)
{
	if (try_mount_tmpfs(target, flags, data) == -1)
		die_call();
}

/* huge=within_size lets tmpfs keep a file in pages larger than 4 KiB, as
 * far as the file's size goes: the copy then allocates, charges and at exit
 * frees a few hundred large pages instead of thousands of small ones
 * (bench/RESULTS.md, "Copying the skeleton"). Kernels built
 * without transparent huge pages refuse the option with EINVAL: the same
 * tmpfs without it will do. */
void
mount_tmpfs_in_large_pages(const char *target, unsigned long flags, const char *data)
{
	char large[128];

	snprintf(large, sizeof(large), "%s,huge=within_size", data);
	if (try_mount_tmpfs(target, flags, large) == 0)
		return;
	if (errno != EINVAL)
		die_call();
	narrate("EINVAL: again without huge=");
	mount_tmpfs(target, flags, data);
}
