/* placeholder: replaced by the real step */
#define _GNU_SOURCE
#include "../common/chain.h"
int
main(int argc, char **argv)
{
	struct options options;

	step_init(8, "step8-seccomp", argc, argv, &options);
	exec_next(&options);
}
