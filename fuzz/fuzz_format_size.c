/* fuzz_format_size: format_size() and parse_size() are inverses.
 *
 * The input's first 8 bytes are the number. Every size from 1 to 2^63-1
 * must come back from parse_size(format_size(x)) as x; 0 and sizes from
 * 2^63 on must be refused by parse_size(), never wrapped to another size. */
#define _GNU_SOURCE
#include <inttypes.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char formatted[32];
	uint64_t bytes = 0, again = 0;

	if (size < sizeof(bytes))
		return 0;
	memcpy(&bytes, data, sizeof(bytes));
	format_size(bytes, formatted, sizeof(formatted));
	require(strlen(formatted) < sizeof(formatted) - 1, formatted);
	if (bytes >= 1 && bytes <= INT64_MAX) {
		require(parse_size(formatted, &again) == 0, formatted);
		require(again == bytes, formatted);
	} else {
		require(parse_size(formatted, &again) != 0, formatted);
	}
	return 0;
}
