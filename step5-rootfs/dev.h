/* dev.h: the container's /dev, as Docker makes it (dev.c). */
#ifndef DEV_H
#define DEV_H

#include "../common/chain.h"

/* A tmpfs at dev (relative to the working directory, the new root) with
 * the usual nodes, each --device, devpts, shm and mqueue. Exits on failure. */
void make_dev(const struct options *options);

#endif
