/* true-nolibc: exit(0) without any C library, so that `make bench` can tell
 * what glibc's start-up costs (its row against a static `true`). x86-64
 * only: the exit system call (60) is made by hand. */
/* _start is reserved, and that is the point: it is the entry point the
 * linker looks for when there is no C library to provide one. */
void _start(void); /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

void
_start(void) /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
{
	/* syscall takes its number in rax and its argument in rdi, and
	 * overwrites rcx and r11. */
	__asm__ volatile("syscall" : : "a"(60), "D"(0) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
