/* fuzz_options: the whole option parser on a fuzzed argv.
 *
 * The input's first byte picks the step that parses (0 to LAST_STEP, as
 * step_number), the rest is split on NUL bytes into argv[1..]. Properties:
 * parse_options() returns one of its three results; on success every value
 * is in the range its option documents and COMMAND lies within argv; on bad
 * input the message fits step_init()'s buffer uncut (every value in it is
 * printed with a precision); and check_user_namespace()'s rules hold
 * (check_user_namespace_rules()). getopt_long's state is reset by parse_options()
 * itself (optind = 0), so every input is parsed from the start. */
#define _GNU_SOURCE
#include <getopt.h>

#include "fuzz.h"

enum { MAX_ARGS = 64 };

static void
check_options(const struct options *o, char **argv, int argc)
{
	const char *text = argv[1] != NULL ? argv[1] : "";

	require(o->until >= 1 && o->until <= LAST_STEP && o->until >= step_number, text);
	require(valid_hostname(o->hostname), text);
	require(o->skel == NULL || (o->skel[0] != '\0' && strlen(o->skel) < 4096), text);
	require(o->rootfs_size >= 1 << 20, text);
	require(o->memory >= 6 << 20, text);
	require(o->cpus_milli == 0 || o->cpus_milli >= 10, text);
	require(o->cpu_shares == 0 || (o->cpu_shares >= 2 && o->cpu_shares <= 262144), text);
	require(o->memory_reservation <= o->memory, text);
	require(!o->addresses_given || o->net == NET_VETH, text);
	struct cpu_list list;
	require(o->cpuset_cpus == NULL || parse_cpu_list(o->cpuset_cpus, &list) == 0, text);
	require(o->cpuset_mems == NULL || parse_cpu_list(o->cpuset_mems, &list) == 0, text);
	require(o->pids >= 1 && o->pids <= 4194304, text);
	require(o->stop_timeout <= 3600, text);
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		require(!o->ulimits[i].given ||
				(ulimit_names[i] != NULL && o->ulimits[i].soft <= o->ulimits[i].hard),
			text);
	require(o->host_ip.prefix_length == o->ip.prefix_length, text);
	require(o->host_ip.address.s_addr != o->ip.address.s_addr, text);
	require(o->command >= argv + 1 && o->command <= argv + argc, text);
	for (char **word = o->command; *word != NULL; word++)
		require(strlen(*word) <= 4096, text);
	require(!(o->uts == SHARE_HOST && o->hostname_given), text);
	require(o->ipc != SHARE_CONTAINER || valid_container_name(o->ipc_container), text);
	require(o->pid != SHARE_CONTAINER || valid_container_name(o->pid_container), text);
	require(o->pid == SHARE_PRIVATE || step_number > 2 || o->until < 2 || o->until >= 7, text);
	require(o->sysctl_count >= 0 && o->sysctl_count <= MAX_SYSCTLS, text);
	for (int i = 0; i < o->sysctl_count; i++) {
		const struct sysctl *sysctl = &o->sysctls[i];
		require(sysctl->key[0] != '\0' && strpbrk(sysctl->key, "/=") == NULL &&
				strstr(sysctl->key, "..") == NULL,
			text);
		require(sysctl->value[0] != '\0' && strchr(sysctl->value, '\n') == NULL, text);
		require(sysctl->step == (strncmp(sysctl->key, "net.", 4) == 0 ? 3 : 1), text);
		require(sysctl->step <= o->until && !(sysctl->step == 1 && o->ipc != SHARE_PRIVATE), text);
	}
}

/* check_user_namespace() on what parsed: in a user namespace (IN, from
 * the first byte's high bit), what it lets through needs nothing of the
 * host's root, and a cgroup limit only the controllers of a cgroup
 * delegated to the caller (DELEGATED, from the next bit: memory and pids,
 * or none); outside one, only --map is refused. */
static void
check_user_namespace_rules(struct options *o, bool in, const char *delegated, char **argv)
{
	const char *text = argv[1] != NULL ? argv[1] : "";
	char error[256];

	memset(error, 'x', sizeof(error));
	int result = check_user_namespace(o, in, delegated, error, sizeof(error));
	if (result == OPTIONS_BAD_INPUT) {
		require(memchr(error, '\0', sizeof(error)) != NULL && error[0] != '\0', text);
		return;
	}
	require(result == OPTIONS_OK, text);
	require(in || (!o->map_given && o->net != NET_PASTA), text);
	if (!in)
		return;
	require(o->user_namespace && (o->net == NET_NONE || o->net == NET_PASTA), text);
	require(!o->addresses_given, text);
	require(o->ipc == SHARE_PRIVATE && o->pid == SHARE_PRIVATE && o->name == NULL, text);
	if (o->until < 7)
		return;
	require(o->cgroup_option == NULL || delegated != NULL, text);
	require(o->cpus_milli == 0 && o->cpu_shares == 0 && o->cpuset_cpus == NULL &&
			o->cpuset_mems == NULL && o->io_limit_count == 0 && o->blkio_weight == 0,
		text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], error[256], program[] = "step1";
	struct options options;
	int argc = 0;

	if (size < 1)
		return 0;
	step_number = data[0] % (LAST_STEP + 1);
	char *text = malloc(size); /* the rest, NUL-terminated */
	if (text == NULL)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	argv[argc++] = program;
	for (char *word = text; word < text + size - 1 && argc <= MAX_ARGS;
	     word += strlen(word) + 1)
		argv[argc++] = word;
	argv[argc] = NULL;

	memset(error, 'x', sizeof(error));
	switch (parse_options(argc, argv, &options, error, sizeof(error))) {
	case OPTIONS_OK:
		check_options(&options, argv, argc);
		check_user_namespace_rules(&options, data[0] >= 128,
					   (data[0] & 64) != 0 ? " memory pids " : NULL, argv);
		break;
	case OPTIONS_HELP:
		break;
	case OPTIONS_BAD_INPUT:
		require(memchr(error, '\0', sizeof(error)) != NULL, argv[argc - 1]);
		require(error[0] != '\0' && strlen(error) < sizeof(error) - 1, error);
		break;
	default:
		require(!"parse_options() returned a result it does not document", argv[argc - 1]);
	}
	free(text);
	return 0;
}
