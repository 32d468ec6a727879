/* values.c: the syntax of the options' values, each on its own.
 *
 * Sizes, addresses, CPU lists, capability and resource names, devices and
 * disk rates: pure functions of a string, as Docker's command line reads
 * them. options.c says which option takes which; the fuzz targets in
 * fuzz/ call these directly.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "options.h"

int
parse_size(const char *text, uint64_t *bytes)
{
	char *end;
	uint64_t shift = 0;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	unsigned long long value = strtoull(text, &end, 10);
	if (errno != 0)
		return -1;
	if (end[0] != '\0' && end[1] != '\0')
		return -1;
	/* clang-format off: a table reads better on one line a suffix */
	switch (end[0]) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return -1;
	}
	/* clang-format on */
	if (value == 0 || value > (UINT64_MAX >> 1) >> shift)
		return -1;
	*bytes = (uint64_t)value << shift;
	return 0;
}

const char *
format_size(uint64_t bytes, char *buffer, size_t length)
{
	static const char suffixes[] = "kMG";
	int index = -1;

	while (index < 2 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		index++;
	}
	if (index < 0)
		snprintf(buffer, length, "%" PRIu64, bytes);
	else
		snprintf(buffer, length, "%" PRIu64 "%c", bytes, suffixes[index]);
	return buffer;
}

int
parse_cidr(const char *text, struct cidr *cidr)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	char *end;

	if (slash == NULL || (size_t)(slash - text) >= sizeof(address))
		return -1;
	memcpy(address, text, (size_t)(slash - text));
	address[slash - text] = '\0';
	if (inet_pton(AF_INET, address, &cidr->address) != 1)
		return -1;
	if (!isdigit((unsigned char)slash[1]))
		return -1;
	errno = 0;
	unsigned long prefix = strtoul(slash + 1, &end, 10);
	/* A /31 or /32 leaves no room for a host and its peer in one subnet. */
	if (errno != 0 || *end != '\0' || prefix < 1 || prefix > 30)
		return -1;
	cidr->prefix_length = (unsigned)prefix;
	return 0;
}

int
parse_cpus(const char *text, unsigned *milli)
{
	unsigned whole = 0, fraction = 0;
	const char *p = text;

	if (!isdigit((unsigned char)*p) && *p != '.')
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > 1024)
			return -1;
	}
	if (*p == '.') {
		unsigned digits = 0;
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (digits < 3)
				fraction = fraction * 10 + (unsigned)(*p - '0');
		}
		if (digits == 0)
			return -1;
		for (unsigned d = digits; d < 3; d++)
			fraction *= 10;
	}
	if (*p != '\0')
		return -1;
	*milli = whole * 1000 + fraction;
	/* The kernel's smallest quota is 1ms per 100ms period: 0.01 CPU. */
	return *milli >= 10 ? 0 : -1;
}

/* One number of a list, below CPU_LIST_MAX; the end of its digits. */
static const char *
parse_list_number(const char *text, unsigned *number)
{
	if (!isdigit((unsigned char)*text))
		return NULL;
	for (*number = 0; isdigit((unsigned char)*text); text++) {
		*number = *number * 10 + (unsigned)(*text - '0');
		if (*number >= CPU_LIST_MAX)
			return NULL;
	}
	return text;
}

/* The kernel's list format (cpuset(7) "FORMATS"): "0-2,4", ranges low to
 * high, no spaces, no empty items. */
int
parse_cpu_list(const char *text, struct cpu_list *list)
{
	unsigned first, last;

	*list = (struct cpu_list){ { 0 } };
	do {
		text = parse_list_number(text, &first);
		if (text == NULL)
			return -1;
		last = first;
		if (*text == '-' && ((text = parse_list_number(text + 1, &last)) == NULL || last < first))
			return -1;
		for (unsigned n = first; n <= last; n++)
			list->bits[n / 64] |= UINT64_C(1) << (n % 64);
	} while (*text++ == ',');
	return text[-1] == '\0' ? 0 : -1;
}

int
parse_capability(const char *text, int *number, bool *all)
{
	char name[64];
	cap_value_t value;

	*all = strcasecmp(text, "ALL") == 0;
	if (*all)
		return 0;
	if (strncasecmp(text, "CAP_", 4) == 0)
		text += 4;
	/* cap_from_name() also takes numbers; Docker and capsh take names. */
	if (text[0] == '\0' || isdigit((unsigned char)text[0]))
		return -1;
	if (snprintf(name, sizeof(name), "cap_%s", text) >= (int)sizeof(name))
		return -1;
	if (cap_from_name(name, &value) != 0 || value < 0 || value > 63)
		return -1;
	*number = value;
	return 0;
}

/* RFC 1123: labels of letters, digits and inner hyphens, joined by dots. */
bool
valid_hostname(const char *name)
{
	size_t length = strlen(name), label = 0;

	if (length == 0 || length > 64)
		return false;
	for (size_t i = 0; i < length; i++) {
		char c = name[i];
		if (c == '.') {
			if (label == 0 || name[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum((unsigned char)c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && name[length - 1] != '-';
}

/* Docker's rule for names, [a-zA-Z0-9][a-zA-Z0-9_.-]*, shorter: a name is
 * a directory of the registry, and a first character that is a letter or
 * a digit already rules out ".", ".." and options. */
bool
valid_container_name(const char *name)
{
	size_t length = strlen(name);

	if (length == 0 || length > CONTAINER_NAME_MAX || !isalnum((unsigned char)name[0]))
		return false;
	for (size_t i = 1; i < length; i++) {
		char c = name[i];
		if (!isalnum((unsigned char)c) && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

/* Docker's names (`docker run --ulimit`, go-units' ulimit.go): getrlimit(2)'s
 * in lower case, without RLIMIT_. "as" is left out, as Docker leaves it. */
const char *const ulimit_names[RLIMIT_NLIMITS] = {
	[RLIMIT_CORE] = "core",         [RLIMIT_CPU] = "cpu",       [RLIMIT_DATA] = "data",
	[RLIMIT_FSIZE] = "fsize",       [RLIMIT_LOCKS] = "locks",   [RLIMIT_MEMLOCK] = "memlock",
	[RLIMIT_MSGQUEUE] = "msgqueue", [RLIMIT_NICE] = "nice",     [RLIMIT_NOFILE] = "nofile",
	[RLIMIT_NPROC] = "nproc",       [RLIMIT_RSS] = "rss",       [RLIMIT_RTPRIO] = "rtprio",
	[RLIMIT_RTTIME] = "rttime",     [RLIMIT_SIGPENDING] = "sigpending",
	[RLIMIT_STACK] = "stack",
};

/* A number below RLIM_INFINITY, or "unlimited", "infinity" (Docker's
 * word) or -1 for RLIM_INFINITY, in the LENGTH bytes at TEXT. */
static int
parse_rlimit_value(const char *text, size_t length, rlim_t *value)
{
	char number[24], *end;

	if (length == 0 || length >= sizeof(number))
		return -1;
	memcpy(number, text, length);
	number[length] = '\0';
	if (strcmp(number, "unlimited") == 0 || strcmp(number, "infinity") == 0 ||
	    strcmp(number, "-1") == 0) {
		*value = RLIM_INFINITY;
		return 0;
	}
	if (!isdigit((unsigned char)number[0]))
		return -1;
	errno = 0;
	unsigned long long parsed = strtoull(number, &end, 10);
	if (errno != 0 || *end != '\0' || parsed >= RLIM_INFINITY)
		return -1;
	*value = (rlim_t)parsed;
	return 0;
}

const char *
parse_ulimit(const char *text, int *resource, struct ulimit *limit)
{
	const char *equals = strchr(text, '='), *colon;

	if (equals == NULL)
		return "not NAME=SOFT[:HARD] (like nofile=1024:524288)";
	*resource = -1;
	for (int i = 0; i < RLIMIT_NLIMITS; i++) {
		const char *name = ulimit_names[i];
		if (name != NULL && strlen(name) == (size_t)(equals - text) &&
		    strncmp(name, text, (size_t)(equals - text)) == 0)
			*resource = i;
	}
	if (*resource == -1)
		return "no such limit (core, cpu, data, fsize, locks, memlock, msgqueue, nice, "
		       "nofile, nproc, rss, rtprio, rttime, sigpending, stack)";
	colon = strchr(equals + 1, ':');
	size_t soft_length = colon ? (size_t)(colon - equals - 1) : strlen(equals + 1);
	if (parse_rlimit_value(equals + 1, soft_length, &limit->soft) != 0 ||
	    (colon != NULL && parse_rlimit_value(colon + 1, strlen(colon + 1), &limit->hard) != 0))
		return "a limit is not a number, 'unlimited' or -1";
	if (colon == NULL)
		limit->hard = limit->soft; /* as Docker: one value is both */
	/* RLIM_INFINITY is the largest rlim_t: "unlimited" is above any number. */
	if (limit->soft > limit->hard)
		return "the soft limit is above the hard limit";
	limit->given = true;
	return NULL;
}

/* No "..": a container path must stay under /dev once resolved. */
const char *
parse_device(const char *text, struct device *device)
{
	static char paths[MAX_DEVICES * 2][PATH_MAX]; /* argv is not ours to cut */
	static unsigned next;
	const char *colon = strchr(text, ':');
	size_t length = colon != NULL ? (size_t)(colon - text) : strlen(text);
	char *host = paths[next++ % (MAX_DEVICES * 2)];

	if (length == 0 || length >= PATH_MAX || text[0] != '/')
		return "HOST_PATH is not an absolute path";
	memcpy(host, text, length);
	host[length] = '\0';
	device->host_path = host;
	device->container_path = colon != NULL ? colon + 1 : host;
	const char *inside = device->container_path;
	if (colon == NULL && strncmp(inside, "/dev/", 5) != 0)
		return "HOST_PATH is not under /dev: give a CONTAINER_PATH under /dev";
	if (strncmp(inside, "/dev/", 5) != 0 || inside[5] == '\0' || strlen(inside) >= 256 ||
	    strstr(inside, "/..") != NULL || strchr(inside, ':') != NULL)
		return "CONTAINER_PATH is not a path under /dev (like /dev/xvda)";
	return NULL;
}

const char *
io_limit_option(enum io_limit_kind kind)
{
	static const char *const names[] = {
		[IO_READ_BPS] = "--device-read-bps", [IO_WRITE_BPS] = "--device-write-bps",
		[IO_READ_IOPS] = "--device-read-iops", [IO_WRITE_IOPS] = "--device-write-iops",
	};
	return names[kind];
}

/* Docker's RATE (go-units' RAMInBytes): a number and a unit of powers of
 * 1024, kb mb gb or k m g, in either case; unlike Docker, a bare number
 * is refused, since 1 byte a second is never what was meant. */
static int
parse_rate(const char *text, uint64_t *bytes)
{
	char number[32];
	size_t digits = strspn(text, "0123456789");
	const char *unit = text + digits;

	if (digits == 0 || digits >= sizeof(number) - 1 || *unit == '\0')
		return -1;
	if (unit[1] != '\0' && (tolower((unsigned char)unit[1]) != 'b' || unit[2] != '\0'))
		return -1;
	memcpy(number, text, digits);
	number[digits] = (char)tolower((unsigned char)unit[0]);
	number[digits + 1] = '\0';
	return strchr("kmg", number[digits]) == NULL ? -1 : parse_size(number, bytes);
}

const char *
parse_io_limit(const char *text, struct io_limit *limit)
{
	const char *colon = strrchr(text, ':');
	char *end;

	if (colon == NULL || colon == text || text[0] != '/')
		return "not DEV:VALUE, DEV the path of a block device (like /dev/sda:1mb)";
	limit->path = NULL; /* set by the caller, which owns the copy */
	if (limit->kind == IO_READ_BPS || limit->kind == IO_WRITE_BPS) {
		if (parse_rate(colon + 1, &limit->value) != 0)
			return "the rate is not a number with a unit kb, mb or gb (like 1mb)";
		return NULL;
	}
	errno = 0;
	unsigned long long value = strtoull(colon + 1, &end, 10);
	if (!isdigit((unsigned char)colon[1]) || *end != '\0' || errno != 0 || value == 0 ||
	    value > UINT32_MAX)
		return "not a number of operations a second from 1 (like 100)";
	limit->value = value;
	return NULL;
}

/* A place inside the container, opened by step9 after pivot_root: only
 * its syntax can be checked here. Control characters are refused so that
 * the path stays on the one line of -v and of an error. */
const char *
parse_landlock_path(const char *text)
{
	size_t length = strlen(text);

	if (text[0] != '/')
		return "not an absolute path (like /srv)";
	if (length >= PATH_MAX)
		return "longer than PATH_MAX";
	for (size_t i = 0; i < length; i++) {
		if (iscntrl((unsigned char)text[i]))
			return "holds a control character";
	}
	return NULL;
}
