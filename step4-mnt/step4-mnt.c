/* step4-mnt: a mount namespace in which every mount is private.
 *
 * The talk's script:   unshare -m bash step5
 *
 * unshare(CLONE_NEWNS) gives this process a copy of the host's mount table.
 * A copy is not enough: systemd makes / a *shared* mount, and mounts under a
 * shared mount propagate to its peers, the host's among them
 * (mount_namespaces(7), "Shared subtrees"). Making every mount private, as
 * util-linux unshare does by default, keeps what the container mounts in the
 * container. It is also what step5's pivot_root(2) needs: it fails with
 * EINVAL while / or the new root is shared.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>

#include "../common/chain.h"

static void
unshare_mount_namespace(void)
{
	narrate("unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS) == -1)
		die_call();
}

static void
make_mounts_private(void)
{
	narrate("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die_call();
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(4, "step4-mnt", argc, argv, &options);
	unshare_mount_namespace();
	make_mounts_private();
	fault_point("step4-private");
	exec_next(&options);
}
