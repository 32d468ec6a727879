/* fuzz_valid_hostname: --hostname.
 *
 * Property: valid_hostname() agrees with a second, plainer reading of
 * RFC 1123 (labels of 1 to 63 ASCII letters, digits and hyphens, not
 * beginning or ending with a hyphen, joined by single dots, 64 bytes at
 * most: sethostname(2)'s limit). */
#define _GNU_SOURCE
#include "fuzz.h"

static bool
label_ok(const char *label, size_t length)
{
	if (length < 1 || length > 63 || label[0] == '-' || label[length - 1] == '-')
		return false;
	for (size_t i = 0; i < length; i++) {
		char c = label[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

static bool
reference(const char *name)
{
	size_t length = strlen(name);

	if (length < 1 || length > 64)
		return false;
	for (const char *label = name;;) {
		const char *dot = strchr(label, '.');
		size_t label_length = dot != NULL ? (size_t)(dot - label) : strlen(label);
		if (!label_ok(label, label_length))
			return false;
		if (dot == NULL)
			return true;
		label = dot + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	require(valid_hostname(text) == reference(text), text);
	free(text);
	return 0;
}
