/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's thread-related assembly, replaced by C (the originals execute the
 * `syscall` instruction): the thread pointer, thread creation and the
 * cancellation-point system call. Threads come from posixfutex when the
 * image links it (an app lists posixfutex, uksched and a scheduler); it is
 * detected through a weak reference, so other images need none of it.
 */
#include <errno.h>
#include <sys/types.h>
#include <uk/arch/ctx.h>
#include <uk/plat/lcpu.h>
#include <uk/syscall.h>

#define ARCH_SET_FS_ 0x1002 /* Linux arch_prctl code */

/* posixfutex's native clone (see its <uk/futex.h>); NULL when not linked */
int uk_clone_fn(int (*fn)(void *), void *stack, int flags, void *arg,
		pid_t *ptid, void *tls, pid_t *ctid) __attribute__((weak));

/* uksched's (see its <uk/sched.h>); NULL when not linked */
int uk_thread_set_tp(void *tp) __attribute__((weak));

/* musl's (hidden) */
long __cancel(void);

/* Set the thread pointer (x86_64: FS base; arm64: TPIDR_EL0) of the calling
 * thread for musl's thread descriptor. Returns 0, which tells musl that
 * threads can work. */
int __set_thread_area(void *p)
{
#ifdef UK_SYSCALL_NR_arch_prctl
	/* where the architecture has arch_prctl (x86_64), posixfutex's also
	 * records it in the uksched thread, so that context switches keep
	 * it and ARCH_GET_FS finds it */
	if (uk_clone_fn)
		return (int)uk_syscall_call(arch_prctl, ARCH_SET_FS_, p);
#endif
	/* threads without pthreads: the running uksched thread's pointer */
	if (uk_thread_set_tp && !uk_thread_set_tp(p))
		return 0;
	ukplat_tlsp_set(p);
	return 0;
}

/*
 * musl's __clone(fn, stack, flags, arg, ptid, tls, ctid): a new thread
 * running fn(arg) on `stack`. Without posixfutex: -ENOSYS, which
 * pthread_create() reports as EAGAIN.
 */
int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	__builtin_va_list ap;
	pid_t *ptid, *ctid;
	void *tls;

	if (!uk_clone_fn)
		return -ENOSYS;
	__builtin_va_start(ap, arg);
	ptid = __builtin_va_arg(ap, pid_t *);
	tls = __builtin_va_arg(ap, void *);
	ctid = __builtin_va_arg(ap, pid_t *);
	__builtin_va_end(ap);
	return uk_clone_fn(func, stack, flags, arg, ptid, tls, ctid);
}

/*
 * musl's libc init asks for the boot thread's id with set_tid_address. In
 * an image without posixfutex (whose strong definition wins) there is one
 * thread, id 1, and nothing to clear at its exit; this weak default keeps
 * uksyscall's -ENOSYS default (and its warning) out of every boot. The
 * top-level build links muslglue before uksyscall, so this one is the weak
 * definition the linker takes.
 */
__attribute__((weak)) long uk_syscall_r_set_tid_address(long a0, long a1,
							long a2, long a3,
							long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 1;
}

/*
 * A system call that is a cancellation point (pthread_cancel.c): act on a
 * pending cancellation, else make the call. Signal handlers run on the way
 * out of the call, not at an instruction inside it, so the address range
 * musl's cancellation signal handler checks is empty: a SIGCANCEL that
 * arrives during a blocking call makes it restart, and the loop below
 * acts on the cancellation before the call is made again.
 */
long __syscall_cp_asm(volatile int *cancel, long nr, long u, long v, long w,
		      long x, long y, long z)
{
	long r;

	/* uk_syscall6_exit(), with the cancellation checked before every
	 * restart too (SIGCANCEL's handler has SA_RESTART) */
	for (;;) {
		if (*cancel)
			return __cancel();
		r = uk_syscall6(nr, u, v, w, x, y, z);
		if (!uk_syscall_exit_work)
			return r;
		r = uk_syscall_exit_native(r);
		if (r != -UK_ERESTARTSYS)
			return r;
	}
}

const char __cp_begin[1] = {0}, __cp_end[1] = {0}, __cp_cancel[1] = {0};

/*
 * A detached thread's last act (musl's pthread_exit): unmap the mapping its
 * own stack and thread descriptor live in, then end the thread. musl's
 * generic version moves to a 256-byte static stack for that, far too small
 * for our munmap (allocator, page tables). Ours moves to a 16 KiB one. Only
 * one thread runs at a time and a thread that got here never runs again, so
 * one stack serves every exiting thread (uniprocessor, cooperative).
 */
static char unmap_stack[16384] __attribute__((aligned(16)));
static void *unmap_base;
static size_t unmap_size;

__attribute__((noreturn, used)) static void unmap_and_exit(void)
{
	uk_syscall_call(munmap, unmap_base, unmap_size);
	uk_syscall_call(exit, 0);
	for (;;) /* exit does not return */
		;
}

void __unmapself(void *base, size_t size);
void __unmapself(void *base, size_t size)
{
	unmap_base = base;
	unmap_size = size;
	ukarch_run_on_stack(unmap_stack + sizeof(unmap_stack), unmap_and_exit);
	__builtin_unreachable();
}
