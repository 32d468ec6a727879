/* argument-masks.c: personality, ioctl and socket, allowed for some values
 * of one argument only.
 *
 * Docker's profile allows these three calls for some arguments and not for
 * others. A filter cannot write "personality is one of these five values"
 * or "request is not TIOCSTI" as such, for two reasons, and each rule below
 * is a mask and a value because of them:
 *
 * 1. The filter sees six 64-bit registers; the kernel reads an int or an
 *    unsigned int argument from their low 32 bits only (personality(2)
 *    takes an unsigned int, ioctl's request is read as one, socket's
 *    family is an int). A comparison of all 64 bits can then decide on a
 *    value the kernel never reads: Docker's "family > 40" passes
 *    0x100000028, which the kernel reads as 40, AF_VSOCK. A mask of
 *    0xffffffff compares exactly what the kernel reads.
 *
 * 2. libseccomp 2.5 takes one comparison per argument in a rule, drops
 *    conditional rules beside an unconditional one for the same call, and
 *    refuses a rule whose action is the default's (EPERM). So every rule
 *    here allows, and what is refused is what no rule allows: "not
 *    TIOCSTI" becomes 32 rules, "some bit differs from TIOCSTI's", and
 *    "neither 38 nor 40" becomes eight aligned blocks of families.
 *
 * TUTORIAL.md (chapter 8, "64 bits in the filter, 32 in the kernel") shows
 * what each mask lets through and what it refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>

#include "../common/chain.h"
#include "argument-masks.h"

/* A rule: allow CALL when (argument ARGUMENT & MASK) == VALUE. These rules
 * build the program in memory and are not narrated one by one (-v names
 * each group once); a failure names the rule. libseccomp returns -errno
 * and leaves errno alone. */
static void
allow_when_masked(scmp_filter_ctx filter, const char *call, unsigned argument, uint64_t mask,
		  uint64_t value)
{
	struct scmp_arg_cmp condition = { argument, SCMP_CMP_MASKED_EQ, mask, value };
	int rc = seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(call),
					1, &condition);

	if (rc < 0)
		die("seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(%s), 1, "
		    "SCMP_A%u(SCMP_CMP_MASKED_EQ, %#llx, %#llx)): %s",
		    call, argument, (unsigned long long)mask, (unsigned long long)value, strerror(-rc));
}

/* Docker allows five values: PER_LINUX (0), PER_LINUX32 (8, what
 * `linux32` sets), UNAME26 (0x20000, a 2.6 version number for old
 * programs), the last two together, and 0xffffffff, which changes nothing
 * and only asks for the current value. Every other flag weakens the next
 * exec: ADDR_NO_RANDOMIZE turns off address randomisation,
 * READ_IMPLIES_EXEC makes data executable, MMAP_PAGE_ZERO maps page 0
 * (CVE-2009-1895). The mask is the 32 bits the kernel reads:
 * 0x100000000 is PER_LINUX to it and allowed, 0x100040000 is
 * ADDR_NO_RANDOMIZE and refused. */
void
allow_docker_personalities(scmp_filter_ctx filter)
{
	const uint32_t values[] = { PER_LINUX, PER_LINUX32, UNAME26, UNAME26 | PER_LINUX32,
				    0xffffffff };

	narrate("allow personality 0x0, 0x8, 0x20000, 0x20008 and 0xffffffff");
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++)
		allow_when_masked(filter, "personality", 0, 0xffffffffU, values[i]);
}

/* TIOCSTI pushes characters into a terminal's input queue: the caller's
 * terminal would read them as typed once the container has exited
 * (bubblewrap's CVE-2017-5226), and no capability guards it. Rule BIT
 * allows a request whose bit BIT differs from TIOCSTI's: any request but
 * TIOCSTI matches at least one. Only the low 32 bits: TIOCSTI with a high
 * bit set is TIOCSTI to the kernel, and slipped past a 64-bit comparison
 * in Flatpak (CVE-2019-10063). */
void
allow_ioctl_but_tiocsti(scmp_filter_ctx filter)
{
	/* exercise 8.2: allow ioctl(2) for every request but TIOCSTI, in rules
	 * that each compare one bit of the request with allow_when_masked()
	 * (above); ioctl_tty(2) for TIOCSTI, seccomp_rule_add(3) for
	 * SCMP_CMP_MASKED_EQ */
	narrate("allow ioctl unless request is TIOCSTI (32 rules)");
	for (unsigned bit = 0; bit < 32; bit++) {
		uint32_t mask = 1U << bit;
		allow_when_masked(filter, "ioctl", 1, mask, ~TIOCSTI & mask);
	}
	/* end of exercise 8.2 */
}

/* AF_ALG (38) is the kernel's crypto, refused by Docker since 2026;
 * AF_VSOCK (40) is not namespaced: a container would share the host's
 * ports and reach the hypervisor. Each block of families is a mask that
 * also wants the high 32 bits clear, so that 0x100000028 matches none:
 * 0-31, 32-35, 36-37, 39, 41, 42-43, 44-47, 48-63 (AF_MAX is 46: the
 * kernel refuses the rest itself). */
void
allow_socket_but_vsock(scmp_filter_ctx filter)
{
	static const struct {
		uint64_t first, size;
	} blocks[] = { { 0, 32 }, { 32, 4 }, { 36, 2 }, { 39, 1 },
		       { 41, 1 }, { 42, 2 }, { 44, 4 }, { 48, 16 } };

	narrate("allow socket for families 0 to 63 but AF_ALG (%d) and AF_VSOCK (%d)", AF_ALG,
		AF_VSOCK);
	for (size_t i = 0; i < sizeof(blocks) / sizeof(*blocks); i++)
		allow_when_masked(filter, "socket", 0, ~(blocks[i].size - 1), blocks[i].first);
}
