/* enter.h: the parts of ./enter (enter.c), apart from joining. */
#ifndef ENTER_H
#define ENTER_H

/* enter --list: a line for each running container (list.c). */
void list_containers(void);

#endif
