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
 * EINVAL while the parent mount of the new root, or of the current root, is
 * shared (pivot_root(2), its list of restrictions).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>

#include "../common/chain.h"

static void
unshare_mount_namespace(void)
{
	/* exercise 4.1: give this process a mount namespace of its own, a copy
	 * of the caller's mount table that later mounts change alone:
	 * unshare(2), mount_namespaces(7) */
	narrate("unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS) == -1)
		die_call();
	/* end of exercise 4.1 */
}

static void
make_mounts_private(void)
{
	/* exercise 4.2: make every mount of the copy private, / and all the
	 * mounts under it, so that no mount or unmount propagates to or from
	 * the host's peers: mount(2) "Changing the propagation type of an
	 * existing mount", mount_namespaces(7) "Shared subtrees" */
	narrate("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die_call();
	/* end of exercise 4.2 */
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
