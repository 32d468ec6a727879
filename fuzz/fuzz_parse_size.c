/* fuzz_parse_size: --rootfs-size and --memory.
 *
 * Properties: an accepted size is at least 1 byte and below 2^63, and it
 * survives format_size() and a second parse_size() unchanged (step7 writes
 * format_size()'s text to memory.max and the narration shows it). */
#define _GNU_SOURCE
#include <inttypes.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	uint64_t bytes = 0, again = 0;

	if (parse_size(text, &bytes) == 0) {
		char formatted[32];
		require(bytes >= 1 && bytes <= INT64_MAX, text);
		format_size(bytes, formatted, sizeof(formatted));
		require(parse_size(formatted, &again) == 0, text);
		require(again == bytes, text);
	}
	free(text);
	return 0;
}
