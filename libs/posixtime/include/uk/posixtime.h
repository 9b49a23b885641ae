/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixtime: the clock and sleep system calls (clock_gettime, clock_getres,
 * clock_settime, gettimeofday, settimeofday, time, nanosleep,
 * clock_nanosleep), defined with UK_SYSCALL_R_DEFINE; call them through
 * uk_syscall_call() or a libc. This header adds the C helpers other
 * libraries share.
 *
 * Clocks: CLOCK_MONOTONIC(_COARSE/_RAW) and CLOCK_BOOTTIME are
 * ukplat_monotonic_clock(); CLOCK_PROCESS_CPUTIME_ID / THREAD_CPUTIME_ID are
 * approximated by it (one process, no accounting of idle time);
 * CLOCK_REALTIME(_COARSE) is ukplat_wall_clock() (or the monotonic clock when
 * the platform has no wall clock) plus the offset settimeofday() /
 * clock_settime() keep.
 *
 * Sleeping: through uksched (an interruptible wait) when a scheduler is
 * running, so other threads run meanwhile and a signal handler to run ends
 * nanosleep/clock_nanosleep with EINTR and the time left; otherwise the CPU
 * halts until the deadline (ukplat_halt_until). uksched is referenced by
 * weak symbols: images without it link.
 */
#ifndef UK_POSIXTIME_H
#define UK_POSIXTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CLOCK_REALTIME in nanoseconds since the epoch (offset included). */
int64_t uk_posixtime_realtime_ns(void);

/* Block the caller until monotonic time `deadline_ns` (see above). */
void uk_posixtime_sleep_until(uint64_t deadline_ns);
/* The same, ended early by a signal the thread must handle (uksched's
 * interruptible wait): 0 at the deadline, -EINTR. */
int uk_posixtime_sleep_until_intr(uint64_t deadline_ns);

/* Non-zero when a uksched scheduler runs (the sleep path it takes). */
int uk_posixtime_sched_running(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXTIME_H */
