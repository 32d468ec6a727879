/* fuzz_parse_cpus: --cpus.
 *
 * Properties: an accepted value is from 0.01 to 1024.999 CPUs, it is the
 * number strtod() reads from the same text, cut to thousandths (within one
 * thousandth for the float's rounding), and printed as "%u.%03u" it parses
 * back to itself. */
#define _GNU_SOURCE
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	unsigned milli = 0, again = 0;

	if (parse_cpus(text, &milli) == 0) {
		char printed[32];
		require(milli >= 10 && milli <= 1024999, text);
		double expected = strtod(text, NULL) * 1000;
		require(expected - milli > -1e-6 && expected - milli < 1 + 1e-6, text);
		snprintf(printed, sizeof(printed), "%u.%03u", milli / 1000, milli % 1000);
		require(parse_cpus(printed, &again) == 0 && again == milli, text);
	}
	free(text);
	return 0;
}
