/* SPDX-License-Identifier: BSD-3-Clause */
/* The native dispatcher for call numbers known only at run time (musl's
 * syscall(), its cancellation point, __synccall's setxid...): one copy of
 * the switch for the whole image. */
#include <uk/syscall.h>

long uk_syscall_dispatch(long n, long a, long b, long c, long d, long e, long f)
{
	switch (n) {
#define UK_SYSCALL_CASE_(nr, name) \
	case nr:                   \
		return uk_syscall_r_##name(a, b, c, d, e, f);
		UK_SYSCALL_LIST(UK_SYSCALL_CASE_)
#undef UK_SYSCALL_CASE_
	default:
		return uk_syscall_enosys(n);
	}
}
