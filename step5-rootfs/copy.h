#ifndef COPY_H
#define COPY_H

#include <stdbool.h>

/* Copy the skeleton's tree into the new root, as `rsync -a` would. In a
 * user namespace, files of owners unmapped there are the copier's. */
void copy_skeleton(int skeleton_fd, int root_fd, const char *size_text, bool user_namespace);

#endif
