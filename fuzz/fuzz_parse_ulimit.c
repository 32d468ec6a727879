/* fuzz_parse_ulimit: --ulimit NAME=SOFT[:HARD].
 *
 * Properties: an accepted value names one of Docker's resources, its soft
 * limit is at most its hard limit, and printed back as NAME=SOFT:HARD
 * (RLIM_INFINITY as "unlimited") it parses to the same limits; a refused
 * one comes with a reason. */
#define _GNU_SOURCE
#include "fuzz.h"

static void
print_value(char *text, size_t size, rlim_t value)
{
	if (value == RLIM_INFINITY)
		snprintf(text, size, "unlimited");
	else
		snprintf(text, size, "%llu", (unsigned long long)value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct ulimit limit = { false, 0, 0 }, again = { false, 0, 0 };
	int resource = -1, resource_again = -1;
	const char *problem = parse_ulimit(text, &resource, &limit);

	if (problem == NULL) {
		char soft[24], hard[24], printed[96];
		require(resource >= 0 && resource < RLIMIT_NLIMITS, text);
		require(ulimit_names[resource] != NULL, text);
		require(limit.given && limit.soft <= limit.hard, text);
		print_value(soft, sizeof(soft), limit.soft);
		print_value(hard, sizeof(hard), limit.hard);
		snprintf(printed, sizeof(printed), "%s=%s:%s", ulimit_names[resource], soft, hard);
		require(parse_ulimit(printed, &resource_again, &again) == NULL, text);
		require(resource_again == resource && again.soft == limit.soft &&
				again.hard == limit.hard, text);
	} else {
		require(problem[0] != '\0', text);
	}
	free(text);
	return 0;
}
