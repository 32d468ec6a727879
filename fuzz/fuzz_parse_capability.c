/* fuzz_parse_capability: --cap-add and --cap-drop.
 *
 * Properties: an accepted name is ALL or a capability from 0 to 63 (the
 * options keep them in a 64-bit mask), and libcap's own name for that
 * number parses back to it. */
#define _GNU_SOURCE
#include <sys/capability.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	int number = -1, again = -1;
	bool all = false, again_all = true;

	if (parse_capability(text, &number, &all) == 0 && !all) {
		require(number >= 0 && number <= 63, text);
		char *name = cap_to_name(number);
		require(name != NULL, text);
		require(parse_capability(name, &again, &again_all) == 0, text);
		require(!again_all && again == number, text);
		cap_free(name);
	}
	free(text);
	return 0;
}
