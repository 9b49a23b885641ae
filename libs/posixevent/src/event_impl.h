/* SPDX-License-Identifier: BSD-3-Clause */
/* posixevent internals. */
#ifndef EVENT_IMPL_H
#define EVENT_IMPL_H

#include <errno.h>
#include <uk/sched.h>
#include <uk/syscall.h>

/*
 * The one place eventfd and timerfd sleep: until woken (0) or `deadline`
 * (-ETIMEDOUT), or until a signal the thread must handle arrives
 * (posixprocess interrupts the wait): -UK_ERESTARTSYS, Linux's
 * ERESTARTSYS (made again under SA_RESTART, else EINTR).
 */
static inline int uk_event_sleep(struct uk_waitq *wq, uint64_t deadline)
{
	int r = uk_waitq_wait_intr(wq, deadline);

	return r == -EINTR ? -UK_ERESTARTSYS : r;
}

#endif /* EVENT_IMPL_H */
