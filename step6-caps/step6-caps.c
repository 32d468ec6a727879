/* step6-caps: root inside, but with only Docker's default capabilities.
 *
 * The talk's container stops at step5, and its root is the host's root:
 * uid 0 with every capability, free to load modules, mount filesystems,
 * reboot the machine. Capabilities split root's power into some forty
 * pieces (capabilities(7)); this step keeps the fourteen Docker keeps.
 *
 * Root stays root: uid 0 still owns the files uid 0 owns. What goes is the
 * power to bypass the kernel's checks beyond that: CAP_SYS_ADMIN (mount,
 * namespaces, and much more), CAP_DAC_READ_SEARCH (open_by_handle_at, the
 * "shocker" escape), CAP_SYS_MODULE, CAP_SYS_PTRACE, CAP_NET_ADMIN, ...
 *
 * Capabilities do not cover everything: root may write /proc/sysrq-trigger
 * (mode 0200, owned by root) with none at all. Such host-wide files in /proc
 * are masked or made read-only first, as Docker does, while this step can
 * still mount.
 *
 * Three sets matter here: the bounding set limits what any later exec can
 * ever regain; permitted and effective are what this process has now.
 * no_new_privs makes sure no set-user-ID or file-capability program brings
 * any back, and it is what lets step8 load a seccomp filter without
 * CAP_SYS_ADMIN.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "../common/chain.h"

/* Docker's default set (moby's oci/caps/defaults.go). */
static const cap_value_t docker_defaults[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER,           CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID,      CAP_SETUID, CAP_SETFCAP,          CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

/* Docker's masked and read-only paths (moby's daemon/pkg/oci/defaults.go):
 * files about the whole machine, not the container. /proc/interrupts and
 * powercap came in 2025 (GHSA-6fw5-f8r9-fgfm, GHSA-jq35-85cj-fj4p); Docker
 * also masks each CPU's thermal_throttle in /sys, which matters only where
 * a sysfs is mounted, and step5 mounts none. */
static const char *const masked_paths[] = {
	"/proc/acpi",      "/proc/asound",    "/proc/interrupts",  "/proc/kcore",
	"/proc/keys",      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi",    "/sys/firmware",     "/sys/devices/virtual/powercap",
};
static const char *const read_only_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* A directory gets an empty read-only tmpfs over it, a file /dev/null. */
static void
mask_path(const char *path)
{
	struct stat status;

	if (stat(path, &status) == -1) {
		if (errno == ENOENT)
			return; /* this kernel has no such file */
		die_errno("stat(\"%s\")", path);
	}
	if (S_ISDIR(status.st_mode)) {
		narrate("mount(\"tmpfs\", \"%s\", \"tmpfs\", MS_RDONLY, \"size=0\")", path);
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0") == -1)
			die_call();
	} else {
		narrate("mount(\"/dev/null\", \"%s\", NULL, MS_BIND, NULL)", path);
		if (mount("/dev/null", path, NULL, MS_BIND, NULL) == -1)
			die_call();
	}
}

/* A bind mount of a path onto itself, remounted read-only. */
static void
make_read_only(const char *path)
{
	struct stat status;

	if (stat(path, &status) == -1) {
		if (errno == ENOENT)
			return; /* this kernel has no such file */
		die_errno("stat(\"%s\")", path);
	}
	narrate("mount(\"%s\", \"%s\", NULL, MS_BIND|MS_REC, NULL)", path, path);
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) == -1)
		die_call();
	narrate("mount(NULL, \"%s\", NULL, MS_BIND|MS_REMOUNT|MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, "
		"NULL)", path);
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) == -1)
		die_call();
}

/* Only in the container's own mount namespace: run on its own on the host,
 * this step would mask the host's /proc. Every chain that reaches step6
 * from an earlier step went through step4 (or step2) first. */
static void
mask_host_wide_proc_files(void)
{
	if (chain_started_here()) {
		narrate("started on the host: /proc is the host's, not masking it");
		return;
	}
	if (chain_entering()) {
		narrate("entering a running container: its /proc is masked already");
		return;
	}
	for (size_t i = 0; i < sizeof(masked_paths) / sizeof(*masked_paths); i++)
		mask_path(masked_paths[i]);
	for (size_t i = 0; i < sizeof(read_only_paths) / sizeof(*read_only_paths); i++)
		make_read_only(read_only_paths[i]);
}

/* Docker's defaults, then --cap-add, then --cap-drop; ALL on either side
 * means every capability this kernel knows. */
static uint64_t
capabilities_to_keep(const struct options *options)
{
	uint64_t known = cap_max_bits() >= 64 ? UINT64_MAX : (UINT64_C(1) << cap_max_bits()) - 1;
	uint64_t keep = 0;

	for (size_t i = 0; i < sizeof(docker_defaults) / sizeof(*docker_defaults); i++)
		keep |= UINT64_C(1) << docker_defaults[i];
	if (options->cap_drop_all)
		keep = 0;
	if (options->cap_add_all)
		keep = known;
	keep |= options->cap_add;
	keep &= ~options->cap_drop;
	/* Nothing can be kept that the caller's bounding set lacks (root in
	 * another container, or a host that dropped some): ALL means all of those. */
	for (cap_value_t capability = 0; capability < (cap_value_t)cap_max_bits(); capability++) {
		if (cap_get_bound(capability) != 1)
			keep &= ~(UINT64_C(1) << capability);
	}
	return keep & known;
}

/* The kernel's name of a capability, CAP_SYS_ADMIN, from libcap's
 * cap_sys_admin (or the number, for one newer than libcap). */
static void
capability_name(cap_value_t capability, char *name, size_t size)
{
	char *lower = cap_to_name(capability);

	if (lower == NULL)
		die_errno("cap_to_name(%d)", capability);
	snprintf(name, size, "%s", lower);
	for (char *c = name; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	cap_free(lower);
}

/* Dropping from the bounding set needs CAP_SETPCAP, so it goes first,
 * while this process still has every capability. Here and for the ambient
 * set, prctl(2) itself (libcap's cap_drop_bound() and cap_reset_ambient()
 * make the same call): what -v shows is then the kernel's interface. */
static void
drop_from_bounding_set(uint64_t keep)
{
	char name[32];

	/* exercise 6.1: drop from the bounding set every capability of this
	 * kernel (cap_max_bits(3)) that KEEP, a bit mask, does not have, each
	 * narrated by its name (capability_name()): prctl(2) PR_CAPBSET_DROP,
	 * capabilities(7) "Capability bounding set" */
	for (cap_value_t capability = 0; capability < (cap_value_t)cap_max_bits(); capability++) {
		if (keep & (UINT64_C(1) << capability))
			continue;
		capability_name(capability, name, sizeof(name));
		narrate("prctl(PR_CAPBSET_DROP, %s)", name);
		if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) == -1)
			die_call();
	}
	/* end of exercise 6.1 */
}

/* Ambient capabilities survive execve() of a program that is not
 * privileged, without set-user-ID or set-group-ID bits or file capabilities
 * (capabilities(7)): none. */
static void
clear_ambient_set(void)
{
	narrate("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1)
		die_call();
}

/* The bounding set limits what an exec may give, not what this process
 * holds now; and root's next exec makes the inheritable set, which
 * PR_CAPBSET_DROP leaves alone, permitted again (capabilities(7),
 * "Capabilities and execution of programs by root"). */
static void
set_permitted_and_effective(uint64_t keep)
{
	/* exercise 6.2: make KEEP this process's permitted and effective sets,
	 * and nothing inheritable, whatever the caller left there: cap_init(3),
	 * cap_set_flag(3), cap_set_proc(3) (which calls capset(2)) */
	cap_t capabilities = cap_init(); /* all three sets empty */

	if (capabilities == NULL)
		die_errno("cap_init");
	for (cap_value_t capability = 0; capability < (cap_value_t)cap_max_bits(); capability++) {
		if (!(keep & (UINT64_C(1) << capability)))
			continue;
		if (cap_set_flag(capabilities, CAP_PERMITTED, 1, &capability, CAP_SET) == -1 ||
		    cap_set_flag(capabilities, CAP_EFFECTIVE, 1, &capability, CAP_SET) == -1)
			die_errno("cap_set_flag");
	}
	/* capset(2) takes the three sets as bit masks in a versioned struct,
	 * which libcap fills in; its text form ("cap_chown,...=ep": no "i",
	 * inheritable empty) is what -v and an error show. */
	char *text = cap_to_text(capabilities, NULL);
	if (text == NULL)
		die_errno("cap_to_text");
	narrate("cap_set_proc(\"%s\")", text);
	if (cap_set_proc(capabilities) == -1)
		die_call();
	cap_free(text);
	cap_free(capabilities);
	/* end of exercise 6.2 */
}

static void
set_no_new_privs(void)
{
	/* exercise 6.3: let no later exec gain a privilege (set-user-ID, file
	 * capabilities), for good and for every child: prctl(2)
	 * PR_SET_NO_NEW_PRIVS, and the kernel's
	 * Documentation/userspace-api/no_new_privs.rst */
	narrate("prctl(PR_SET_NO_NEW_PRIVS, 1)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		die_call();
	/* end of exercise 6.3 */
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(6, "step6-caps", argc, argv, &options);
	uint64_t keep = capabilities_to_keep(&options);
	mask_host_wide_proc_files();
	drop_from_bounding_set(keep);
	clear_ambient_set();
	set_permitted_and_effective(keep);
	set_no_new_privs();
	/* Root executing a program gets its bounding set as permitted and
	 * effective: the next steps and COMMAND keep exactly these. */
	exec_next(&options);
}
