/* fail-call CALL[:ARG0] ERRNO COMMAND [ARGUMENT...]: run COMMAND with one
 * system call failing, as the kernel would fail it.
 *
 *   fail-call sethostname EPERM ./step1 -v --until 1 true
 *   fail-call unshare:0x20000 EPERM ./step4 -v true     only CLONE_NEWNS
 *
 * For tests/messages.bats, on the host: it installs a seccomp filter that
 * answers ERRNO to CALL (when its first argument's low 32 bits are ARG0,
 * if given) and allows every other call, then executes COMMAND, which
 * inherits the filter with all its children. The tests make a step's
 * kernel call fail on purpose and check the message it prints.
 *
 * Root loads the filter with CAP_SYS_ADMIN and without no_new_privs
 * (seccomp(2)), so that COMMAND runs as it would without it: set-user-ID
 * programs and file capabilities keep working. The filter goes with the
 * last process of COMMAND; nothing else on the host sees it.
 *
 * Exit status: 2 for a usage error, 1 if the filter cannot be loaded, 127
 * or 126 if COMMAND cannot be executed, else COMMAND's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int number;
} errnos[] = {
	{ "EPERM", EPERM },   { "ENOENT", ENOENT }, { "EIO", EIO },       { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },   { "EINVAL", EINVAL },
	{ "ENOSPC", ENOSPC }, { "ENOSYS", ENOSYS }, { "EAGAIN", EAGAIN },
	{ "EOPNOTSUPP", EOPNOTSUPP },
};

static int
usage(void)
{
	fprintf(stderr, "usage: fail-call CALL[:ARG0] ERRNO COMMAND [ARGUMENT...]\n");
	return 2;
}

static int
errno_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(*errnos); i++)
		if (strcmp(errnos[i].name, name) == 0)
			return errnos[i].number;
	return -1;
}

int
main(int argc, char **argv)
{
	if (argc < 4)
		return usage();

	char call[64];
	snprintf(call, sizeof(call), "%s", argv[1]);
	char *value = strchr(call, ':');
	if (value != NULL)
		*value++ = '\0';
	int number = seccomp_syscall_resolve_name(call);
	int error = errno_by_name(argv[2]);
	if (number == __NR_SCMP_ERROR || error == -1)
		return usage();

	/* Calls of other architectures (i386, x32) pass, as without a filter. */
	scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
	if (filter == NULL) {
		fprintf(stderr, "fail-call: seccomp_init: out of memory\n");
		return 1;
	}
	int rc = seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0);
	if (rc == 0)
		rc = seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (rc == 0 && value != NULL) {
		char *end;
		errno = 0;
		unsigned long long arg0 = strtoull(value, &end, 0);
		if (errno != 0 || *value == '\0' || *end != '\0' || arg0 > UINT32_MAX)
			return usage();
		/* The kernel reads these arguments (flags, options) as an int. */
		rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(error), number, 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffU, arg0));
	} else if (rc == 0) {
		rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(error), number, 0);
	}
	if (rc == 0)
		rc = seccomp_load(filter);
	if (rc < 0) {
		fprintf(stderr, "fail-call: %s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	seccomp_release(filter);

	execvp(argv[3], argv + 3);
	fprintf(stderr, "fail-call: %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
