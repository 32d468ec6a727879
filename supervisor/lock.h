/* lock.h: the supervisors' lock files as the cgroup's removal (cgroup.c)
 * reads them (lock.c). Taking one's own is hand_over_supervisor(). */
#ifndef LOCK_H
#define LOCK_H

/* The lock file NAME in LOCKS_FD (SUPERVISOR_LOCKS), locked, of a
 * supervisor that has gone; -1 while its supervisor lives. */
int lock_of_dead_supervisor(int locks_fd, const char *name);
/* Remove the lock file NAME, and SUPERVISOR_LOCKS with the last one. */
void remove_lock_file(const char *name);

#endif
