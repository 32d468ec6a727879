/* argument-masks.h: the rules that allow a call for some values of one
 * argument only, written as masks over the bits the kernel reads (see
 * argument-masks.c for the puzzle). */
#ifndef ARGUMENT_MASKS_H
#define ARGUMENT_MASKS_H

#include <seccomp.h>

/* personality(2) with Docker's five values only. */
void allow_docker_personalities(scmp_filter_ctx filter);
/* ioctl(2) with any request but TIOCSTI. */
void allow_ioctl_but_tiocsti(scmp_filter_ctx filter);
/* socket(2) for families 0 to 63 but AF_ALG and AF_VSOCK. */
void allow_socket_but_vsock(scmp_filter_ctx filter);

#endif
