/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukpthread: POSIX threads and unnamed semaphores on uksched + uklock, for
 * libcs without their own (newlib). The functions are the standard ones
 * from <pthread.h> and <semaphore.h>; this header holds the limits and the
 * helpers that are exposed for tests.
 *
 * - Threads run on the default scheduler (uk_sched_get_default(), started
 *   at boot when ukschedcoop is linked); without one pthread_create()
 *   returns EAGAIN.
 * - A thread's uk_thread `priv` field points at its pthread record.
 * - Mutexes, condition variables, rwlocks and semaphores are uklock's
 *   objects stored inside the pthread types. Timeouts take CLOCK_REALTIME
 *   or CLOCK_MONOTONIC absolute times, converted to the scheduler's clock.
 * - UP, cooperative (see uklock): no cancellation, no priorities,
 *   process-shared objects are accepted (there is one process).
 */
#ifndef UK_PTHREAD_H
#define UK_PTHREAD_H

#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_PTHREAD_KEYS_MAX		 64
#define UK_PTHREAD_DESTRUCTOR_ITERATIONS 4
#define UK_PTHREAD_STACK_MIN		 16384
/* A thread's stack when its attributes name none: musl's default, so that
 * a program sees the same with either libc (docs/apps.md) */
#define UK_PTHREAD_STACK_DEFAULT 131072

/*
 * The scheduler deadline (ns of uk_sched_now()) for the absolute time `abs`
 * of clock `clk` (CLOCK_REALTIME or CLOCK_MONOTONIC). Returns 0, or EINVAL
 * (tv_nsec out of range, unknown clock). A time in the past gives a
 * deadline that has passed.
 */
int uk_pthread_deadline(clockid_t clk, const struct timespec *abs,
			uint64_t *deadline);

#ifdef __cplusplus
}
#endif
#endif /* UK_PTHREAD_H */
