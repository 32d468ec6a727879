#ifndef COPY_H
#define COPY_H

/* Copy the skeleton's tree into the new root, as `rsync -a` would. */
void copy_skeleton(int skeleton_fd, int root_fd, const char *size_text);

#endif
