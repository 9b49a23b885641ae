/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unikit's replacement for musl's arch/aarch64/syscall_arch.h (this directory
 * comes first in the include order): no `svc #0`, every call
 * goes to the system call shim. With a constant number (the usual case:
 * __syscall3(SYS_writev, ...)) uk_syscall6()'s switch folds away at compile
 * time and what remains is a direct call of uk_syscall_r_writev, which
 * whole-program LTO may inline. Always inlined, so that the number stays
 * a constant even at -Os. uk_syscall6_exit() adds the way out of a call:
 * one test of uk_syscall_exit_work, and when it is set, the handlers of
 * pending signals and the restart of an interrupted call (SA_RESTART).
 */
#include <uk/syscall.h>

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

static __inline __attribute__((always_inline)) long __syscall0(long n)
{
	return uk_syscall6_exit(n, 0, 0, 0, 0, 0, 0);
}

static __inline __attribute__((always_inline)) long __syscall1(long n, long a1)
{
	return uk_syscall6_exit(n, a1, 0, 0, 0, 0, 0);
}

static __inline __attribute__((always_inline)) long __syscall2(long n, long a1,
							       long a2)
{
	return uk_syscall6_exit(n, a1, a2, 0, 0, 0, 0);
}

static __inline __attribute__((always_inline)) long __syscall3(long n, long a1,
							       long a2, long a3)
{
	return uk_syscall6_exit(n, a1, a2, a3, 0, 0, 0);
}

static __inline __attribute__((always_inline)) long
__syscall4(long n, long a1, long a2, long a3, long a4)
{
	return uk_syscall6_exit(n, a1, a2, a3, a4, 0, 0);
}

static __inline __attribute__((always_inline)) long
__syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return uk_syscall6_exit(n, a1, a2, a3, a4, a5, 0);
}

static __inline __attribute__((always_inline)) long
__syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return uk_syscall6_exit(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO: clock_gettime() and getcpu() are plain calls into the shim. */

#define IPC_64 0
