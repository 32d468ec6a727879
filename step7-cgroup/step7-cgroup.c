/* placeholder: replaced by the real step */
#define _GNU_SOURCE
#include "../common/chain.h"
int
main(int argc, char **argv)
{
	struct options options;

	step_init(7, "step7-cgroup", argc, argv, &options);
	exec_next(&options);
}
