/* SPDX-License-Identifier: BSD-3-Clause */
/* posixevent internals. */
#ifndef EVENT_IMPL_H
#define EVENT_IMPL_H

#include <uk/sched.h>

/*
 * The one place eventfd and timerfd sleep: until woken (0) or `deadline`
 * (-ETIMEDOUT). When signals are delivered asynchronously (issue 14, part
 * B), a pending unblocked signal ends the wait here with -EINTR.
 */
static inline int uk_event_sleep(struct uk_waitq *wq, uint64_t deadline)
{
	return uk_waitq_wait_timeout(wq, deadline);
}

#endif /* EVENT_IMPL_H */
