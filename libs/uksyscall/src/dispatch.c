/* SPDX-License-Identifier: BSD-3-Clause */
/* The native dispatcher for call numbers known only at run time (musl's
 * syscall(), its cancellation point, __synccall's setxid...): one copy of
 * the switch for the whole image. */
#include <uk/syscall.h>

long uk_syscall_dispatch(long n, long a, long b, long c, long d, long e, long f)
{
	UK_SYSCALL_SWITCH_(n)
}
