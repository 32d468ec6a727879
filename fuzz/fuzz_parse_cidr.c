/* fuzz_parse_cidr: --host-ip and --ip.
 *
 * Properties: an accepted CIDR has a prefix length from 1 to 30, and its
 * address printed back by inet_ntop() parses to the same address. */
#define _GNU_SOURCE
#include <arpa/inet.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct cidr cidr, again;

	if (parse_cidr(text, &cidr) == 0) {
		char address[INET_ADDRSTRLEN], printed[INET_ADDRSTRLEN + 4];
		require(cidr.prefix_length >= 1 && cidr.prefix_length <= 30, text);
		require(inet_ntop(AF_INET, &cidr.address, address, sizeof(address)) != NULL, text);
		snprintf(printed, sizeof(printed), "%s/%u", address, cidr.prefix_length);
		require(parse_cidr(printed, &again) == 0, text);
		require(again.address.s_addr == cidr.address.s_addr, text);
		require(again.prefix_length == cidr.prefix_length, text);
	}
	free(text);
	return 0;
}
