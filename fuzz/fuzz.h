/* fuzz.h: what every fuzz target shares.
 *
 * Each fuzz_*.c is a libFuzzer target (LLVMFuzzerTestOneInput) for one
 * parser of options/ (values.c, options.c), built and run by `make fuzz`
 * (mk/fuzz.mk).
 * A target crashes, and so fails `make fuzz`, on a sanitizer report or on
 * a broken property checked with require().
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/chain.h"

/* The input as a C string, in a buffer of exactly its length: a parser that
 * reads past the terminator reads past the allocation, which ASan reports.
 * The string ends at the first NUL of the input. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* A property that must hold: print it and abort, which libFuzzer reports as
 * a crash and saves the input that broke it. */
#define require(condition, text)                                                              \
	do {                                                                                  \
		if (!(condition)) {                                                           \
			fprintf(stderr, "property broken: %s\n  input: \"%s\"\n  at %s:%d\n", \
				#condition, text, __FILE__, __LINE__);                        \
			abort();                                                              \
		}                                                                             \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
