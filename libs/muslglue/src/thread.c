/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's thread-related assembly, replaced by C (the originals execute the
 * `syscall` instruction): the thread pointer, thread creation and the
 * cancellation-point system call.
 */
#include <errno.h>
#include <uk/plat/lcpu.h>
#include <uk/syscall.h>

/* musl's (hidden) */
long __cancel(void);

/* Set the thread pointer (FS base) for musl's thread descriptor. Returns 0,
 * which tells musl that threads can work. */
int __set_thread_area(void *p)
{
	/* arch_prctl(ARCH_SET_FS) arrives with the POSIX thread libraries;
	 * until then the platform sets FS directly. */
	ukplat_tlsp_set(p);
	return 0;
}

/* Thread creation: not yet (pthread_create() returns EAGAIN). */
int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	(void)func, (void)stack, (void)flags, (void)arg;
	return -ENOSYS;
}

/*
 * A system call that is a cancellation point (pthread_cancel.c): act on a
 * pending cancellation, else make the call. No signal can interrupt a call
 * here (one CPU, cooperative threads), so the address range musl's
 * cancellation signal handler checks is empty.
 */
long __syscall_cp_asm(volatile int *cancel, long nr, long u, long v, long w,
		      long x, long y, long z)
{
	if (*cancel)
		return __cancel();
	return uk_syscall6(nr, u, v, w, x, y, z);
}

const char __cp_begin[1] = {0}, __cp_end[1] = {0}, __cp_cancel[1] = {0};
