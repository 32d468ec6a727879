/* user-namespace.c: the options in a chain that runs in a user namespace
 * (step0-user, or a step started under `unshare --user`).
 *
 * There the container's root has every capability, but only over what its
 * user namespace owns: the namespaces the chain makes from now on. What
 * belongs to the host's user namespace stays the host root's: the host's
 * network namespace (where the veth pair's other end goes), the host's
 * own namespaces, /run, and the cgroup tree. An option that needs one of
 * them is bad input here, refused before anything is made, rather than a
 * container half built when the kernel says EPERM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "options.h"

static int
refuse(char *error, size_t error_size, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error, error_size, format, arguments);
	va_end(arguments);
	return OPTIONS_BAD_INPUT;
}

static const char *
share_option_refused(const struct options *options)
{
	if (options->ipc != SHARE_PRIVATE)
		return "--ipc";
	if (options->pid != SHARE_PRIVATE)
		return "--pid";
	if (options->net == NET_HOST || options->net == NET_CONTAINER)
		return "--net";
	return NULL;
}

/* The controller an option given needs that the delegated cgroup lacks
 * (DELEGATED: " memory pids cpu "), and the option into *OPTION; NULL if
 * none does. --memory and --pids need memory and pids, which any cgroup
 * delegated for a container has (find_delegated_cgroup()). */
static const char *
missing_controller(const struct options *options, const char *delegated, const char **option)
{
	const struct {
		bool given;
		const char *option, *controller;
	} needs[] = {
		{ options->cpus_milli != 0, "--cpus", " cpu " },
		{ options->cpu_shares != 0, "--cpu-shares", " cpu " },
		{ options->cpuset_cpus != NULL, "--cpuset-cpus", " cpuset " },
		{ options->cpuset_mems != NULL, "--cpuset-mems", " cpuset " },
		{ options->io_limit_count != 0, "--device-*-bps/iops", " io " },
		{ options->blkio_weight != 0, "--blkio-weight", " io " },
	};

	for (size_t i = 0; i < sizeof(needs) / sizeof(*needs); i++) {
		if (needs[i].given && strstr(delegated, needs[i].controller) == NULL) {
			*option = needs[i].option;
			return needs[i].controller;
		}
	}
	return NULL;
}

int
check_user_namespace(struct options *options, bool in_namespace, const char *delegated,
		     char *error, size_t error_size)
{
	const char *shared = share_option_refused(options);

	if (!in_namespace && options->map_given)
		return refuse(error, error_size,
			      "--map: only step0 makes a user namespace, and this chain "
			      "starts without it (./step0 ...)");
	if (!in_namespace && options->net == NET_PASTA)
		return refuse(error, error_size,
			      "--net pasta: for a chain in a user namespace (./step0); as root, "
			      "--net veth makes a pair to the host");
	if (!in_namespace)
		return OPTIONS_OK;
	options->user_namespace = true;
	if (options->net_given && options->net == NET_VETH)
		return refuse(error, error_size,
			      "--net veth: in a user namespace, step3 cannot put the pair's "
			      "other end in the host's network namespace (that needs the "
			      "host's CAP_NET_ADMIN): use --net none, or --net pasta");
	if (options->addresses_given)
		return refuse(error, error_size,
			      "--ip and --host-ip: the veth pair's addresses, and in a user "
			      "namespace step3 makes no veth pair");
	if (!options->net_given)
		options->net = NET_NONE;
	/* --uts host is allowed: it only leaves the hostname alone. */
	if (shared != NULL)
		return refuse(error, error_size,
			      "%s: in a user namespace, the chain can only make namespaces "
			      "of its own (the host's, and another container's, belong to "
			      "the host's root)",
			      shared);
	if (options->name != NULL)
		return refuse(error, error_size,
			      "--name %s: in a user namespace there is no registry of names "
			      "(/run/under-the-hood is the host root's), and no ./enter",
			      options->name);
	if (options->cgroup_option == NULL || options->until < 7)
		return OPTIONS_OK;
	if (delegated == NULL)
		return refuse(error, error_size,
			      "--%s: a cgroup limit, and in a user namespace step7 has no "
			      "cgroup to set it in (the tree is the host root's, and none of "
			      "it is delegated to the caller)",
			      options->cgroup_option);
	const char *option = NULL;
	const char *missing = *delegated != '\0' ? missing_controller(options, delegated, &option)
						  : NULL;
	if (missing != NULL)
		return refuse(error, error_size,
			      "%s: needs the%scontroller, and the cgroup delegated to the "
			      "caller has only%.*s",
			      option, missing, (int)strlen(delegated) - 1, delegated);
	return OPTIONS_OK;
}
