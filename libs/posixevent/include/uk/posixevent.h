/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixevent: event and timer descriptors as fdtab files (Linux x86_64
 * semantics, negative errno results). System calls: eventfd eventfd2
 * (EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC), timerfd_create (CLOCK_REALTIME,
 * CLOCK_MONOTONIC, CLOCK_BOOTTIME; TFD_NONBLOCK, TFD_CLOEXEC),
 * timerfd_settime (TFD_TIMER_ABSTIME), timerfd_gettime. Both kinds are
 * pollable (poll/select/epoll through posixpoll): a helper thread, alive
 * while a timer is armed, wakes pollers when a timer expires.
 * UP, cooperative threads: no locks.
 */
#ifndef UK_POSIXEVENT_H
#define UK_POSIXEVENT_H

#include <stdint.h>
#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_EFD_SEMAPHORE	   1
#define UK_TFD_TIMER_ABSTIME	   1
#define UK_TFD_TIMER_CANCEL_ON_SET 2

/* struct itimerspec of Linux x86_64 */
struct uk_itimerspec {
	int64_t interval_sec, interval_nsec;
	int64_t value_sec, value_nsec;
};

/* Whether `f` is an eventfd / a timerfd. */
int uk_eventfd_is(const struct uk_file *f);
int uk_timerfd_is(const struct uk_file *f);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXEVENT_H */
