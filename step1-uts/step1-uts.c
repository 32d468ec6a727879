/* step1-uts: a UTS namespace and the container's own hostname.
 *
 * The talk's script:   unshare -u bash step2
 *                      (and step2 begins with: hostname mycontainer)
 *
 * The UTS namespace holds the hostname and the NIS domain name (uname(2)'s
 * "nodename" and "domainname"). After unshare(CLONE_NEWUTS) this process
 * has a private copy of both, so sethostname() changes what it and its
 * children see, and nothing on the host. The talk sets the hostname at the
 * top of step2; it belongs here, where the namespace that holds it is made.
 * See uts_namespaces(7).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "../common/chain.h"

static void
unshare_uts_namespace(void)
{
	narrate("unshare(CLONE_NEWUTS)");
	if (unshare(CLONE_NEWUTS) == -1)
		die_errno("unshare(CLONE_NEWUTS)");
}

static void
set_hostname(const char *hostname)
{
	narrate("sethostname(\"%s\", %zu)", hostname, strlen(hostname));
	if (sethostname(hostname, strlen(hostname)) == -1)
		die_errno("sethostname(\"%s\")", hostname);
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(1, "step1-uts", argc, argv, &options);
	unshare_uts_namespace();
	set_hostname(options.hostname);
	exec_next(&options);
}
