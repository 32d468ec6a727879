/* fuzz_parse_cpu_list: --cpuset-cpus and --cpuset-mems ("0-2,4").
 *
 * Properties: an accepted list holds only digits, commas and hyphens and
 * names at least one number below CPU_LIST_MAX; printed back as the kernel
 * prints it, it parses to the same set. */
#define _GNU_SOURCE
#include "fuzz.h"

/* The set as the kernel prints it: "0-2,4". */
static void
print_list(const struct cpu_list *list, char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (unsigned n = 0; n < CPU_LIST_MAX; n++) {
		if (!(list->bits[n / 64] >> (n % 64) & 1))
			continue;
		unsigned last = n;
		while (last + 1 < CPU_LIST_MAX && list->bits[(last + 1) / 64] >> ((last + 1) % 64) & 1)
			last++;
		used += (size_t)snprintf(text + used, size - used, used ? ",%u" : "%u", n);
		if (last > n)
			used += (size_t)snprintf(text + used, size - used, "-%u", last);
		n = last;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct cpu_list list, again;

	if (parse_cpu_list(text, &list) == 0) {
		char printed[8192];
		bool any = false;
		require(strspn(text, "0123456789,-") == strlen(text), text);
		for (size_t i = 0; i < CPU_LIST_MAX / 64; i++)
			any |= list.bits[i] != 0;
		require(any, text);
		print_list(&list, printed, sizeof(printed));
		require(parse_cpu_list(printed, &again) == 0, text);
		require(memcmp(&list, &again, sizeof(list)) == 0, text);
	}
	free(text);
	return 0;
}
