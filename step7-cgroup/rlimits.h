/* rlimits.h: step7's resource limits of each process (rlimits.c). */
#ifndef RLIMITS_H
#define RLIMITS_H

#include "../common/chain.h"

/* setrlimit() for every resource that --ulimit names or that has a
 * default; the others stay as the caller has them. Exits on failure. */
void limit_each_process(const struct options *options);

#endif
