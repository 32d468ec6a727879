/* mounts.h: the small mount helpers step5-rootfs.c and dev.c share
 * (mounts.c), and the new root's tmpfs in large pages. */
#ifndef MOUNTS_H
#define MOUNTS_H

#include <sys/types.h>

/* "MS_NOSUID|MS_NODEV", as the flags are written in the call ("0": none).
 * The text lives until the next call. */
const char *mount_flag_names(unsigned long flags);
/* mkdir(PATH, MODE), where a directory that exists already will do. */
void make_directory(const char *path, mode_t mode);
/* mount("tmpfs", TARGET, "tmpfs", FLAGS, DATA), narrated; exits on failure. */
void mount_tmpfs(const char *target, unsigned long flags, const char *data);
/* The same, asking for large pages (huge=within_size) where the kernel
 * has them: see mounts.c. */
void mount_tmpfs_in_large_pages(const char *target, unsigned long flags, const char *data);

#endif
