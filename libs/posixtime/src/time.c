/* SPDX-License-Identifier: BSD-3-Clause */
/* The clock and sleep system calls. See <uk/posixtime.h>. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/posixtime.h>
#include <uk/syscall.h>

/* Linux x86_64 values and layouts (the libc headers may lack them). */
#define PT_CLOCK_REALTIME	    0
#define PT_CLOCK_MONOTONIC	    1
#define PT_CLOCK_PROCESS_CPUTIME_ID 2
#define PT_CLOCK_THREAD_CPUTIME_ID  3
#define PT_CLOCK_MONOTONIC_RAW	    4
#define PT_CLOCK_REALTIME_COARSE    5
#define PT_CLOCK_MONOTONIC_COARSE   6
#define PT_CLOCK_BOOTTIME	    7
#define PT_TIMER_ABSTIME	    1
#define NSEC_PER_SEC		    1000000000LL

struct pt_timespec {
	long tv_sec;
	long tv_nsec;
};
struct pt_timeval {
	long tv_sec;
	long tv_usec;
};
struct pt_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* uksched, when the image has it (declared here, weak, so that images
 * without uksched link; the signatures are those of <uk/sched.h>). */
struct uk_sched;
struct uk_sched *uk_sched_get_default(void) __attribute__((weak));
void uk_sched_sleep_until(uint64_t deadline) __attribute__((weak));
uint64_t uk_sched_now(void) __attribute__((weak));
struct uk_waitq;
int uk_waitq_wait_intr(struct uk_waitq *wq, uint64_t deadline)
	__attribute__((weak));

/* CLOCK_REALTIME - base clock; set by settimeofday/clock_settime. UP: no
 * lock needed, nothing preempts a reader. */
static int64_t wall_offset_ns;

static int64_t wall_base_ns(void)
{
	uint64_t w = ukplat_wall_clock();
	return (int64_t)(w ? w : ukplat_monotonic_clock());
}

int64_t uk_posixtime_realtime_ns(void)
{
	return wall_base_ns() + wall_offset_ns;
}

int uk_posixtime_sched_running(void)
{
	return uk_sched_get_default && uk_sched_sleep_until && uk_sched_now &&
	       uk_sched_get_default() != NULL;
}

void uk_posixtime_sleep_until(uint64_t deadline)
{
	uint64_t now = ukplat_monotonic_clock();

	if (now >= deadline)
		return;
	if (uk_posixtime_sched_running()) {
		/* the scheduler's clock is the monotonic clock in images;
		 * convert anyway, it costs nothing */
		uk_sched_sleep_until(uk_sched_now() + (deadline - now));
		return;
	}
	/* halt_until returns at or after the deadline; the bound only
	 * guards against a platform that does not keep that promise */
	for (int i = 0; i < 1000000 && ukplat_monotonic_clock() < deadline; i++)
		ukplat_halt_until(deadline);
}

int uk_posixtime_sleep_until_intr(uint64_t deadline)
{
	uint64_t now = ukplat_monotonic_clock();

	if (now >= deadline)
		return 0;
	if (uk_posixtime_sched_running() && uk_waitq_wait_intr) {
		uint64_t base = uk_sched_now(), rel = deadline - now;
		uint64_t d = rel > UINT64_MAX - 1 - base ? UINT64_MAX - 1
							 : base + rel;
		/* no queue: only the deadline or a signal ends it */
		return uk_waitq_wait_intr(NULL, d) == -EINTR ? -EINTR : 0;
	}
	uk_posixtime_sleep_until(deadline);
	return 0;
}

static int valid_ts(const struct pt_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < NSEC_PER_SEC;
}

static int64_t ts_to_ns(const struct pt_timespec *ts)
{
	/* saturate: sleeping 292 years is forever */
	if (ts->tv_sec >= INT64_MAX / NSEC_PER_SEC - 1)
		return INT64_MAX;
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static void ns_to_ts(int64_t ns, struct pt_timespec *ts)
{
	ts->tv_sec = (long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
	if (ts->tv_nsec < 0) { /* before 1970 after a settimeofday */
		ts->tv_nsec += NSEC_PER_SEC;
		ts->tv_sec--;
	}
}

/* The clock's value in ns, or -EINVAL for an unknown clock. */
static int clock_read(long clk, int64_t *ns)
{
	switch (clk) {
	case PT_CLOCK_REALTIME:
	case PT_CLOCK_REALTIME_COARSE:
		*ns = uk_posixtime_realtime_ns();
		return 0;
	case PT_CLOCK_MONOTONIC:
	case PT_CLOCK_MONOTONIC_COARSE:
	case PT_CLOCK_MONOTONIC_RAW:
	case PT_CLOCK_BOOTTIME:
	case PT_CLOCK_PROCESS_CPUTIME_ID:
	case PT_CLOCK_THREAD_CPUTIME_ID:
		*ns = (int64_t)ukplat_monotonic_clock();
		return 0;
	default:
		return -EINVAL;
	}
}

UK_SYSCALL_R_DEFINE(int, clock_gettime, long, clk, struct pt_timespec *, ts)
{
	int64_t ns;
	int rc = clock_read(clk, &ns);

	if (rc < 0)
		return rc;
	if (!ts)
		return -EFAULT;
	ns_to_ts(ns, ts);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, clock_getres, long, clk, struct pt_timespec *, ts)
{
	int64_t ns;
	int rc = clock_read(clk, &ns);

	if (rc < 0)
		return rc;
	if (ts) { /* every clock reads the nanosecond counter */
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, gettimeofday, struct pt_timeval *, tv,
		    struct pt_timezone *, tz)
{
	if (tv) {
		struct pt_timespec ts;
		ns_to_ts(uk_posixtime_realtime_ns(), &ts);
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	if (tz) { /* UTC, no DST: what Linux reports unless told otherwise */
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(long, time, long *, t)
{
	int64_t ns = uk_posixtime_realtime_ns();
	long s = (long)(ns / NSEC_PER_SEC) - (ns < 0 && ns % NSEC_PER_SEC);

	if (t)
		*t = s;
	return s;
}

static int set_realtime(int64_t ns)
{
	wall_offset_ns = ns - wall_base_ns();
	return 0;
}

UK_SYSCALL_R_DEFINE(int, settimeofday, const struct pt_timeval *, tv,
		    const struct pt_timezone *, tz)
{
	(void)tz; /* the kernel time zone is obsolete; accepted, ignored */
	if (!tv)
		return 0;
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EINVAL;
	if (tv->tv_sec >= INT64_MAX / NSEC_PER_SEC - 1)
		return -EINVAL;
	return set_realtime((int64_t)tv->tv_sec * NSEC_PER_SEC +
			    tv->tv_usec * 1000);
}

UK_SYSCALL_R_DEFINE(int, clock_settime, long, clk, const struct pt_timespec *,
		    ts)
{
	if (clk != PT_CLOCK_REALTIME)
		return -EINVAL; /* Linux: only CLOCK_REALTIME is settable */
	if (!ts)
		return -EFAULT;
	if (!valid_ts(ts) || ts->tv_sec >= INT64_MAX / NSEC_PER_SEC - 1)
		return -EINVAL;
	return set_realtime(ts_to_ns(ts));
}

/* Sleep for `rel` ns (relative). A signal handler to run ends the sleep
 * early: -EINTR and the time left in *left (never restarted, whatever
 * SA_RESTART says: Linux's rule for the sleep calls). */
static int sleep_rel(int64_t rel, int64_t *left)
{
	uint64_t now = ukplat_monotonic_clock();
	uint64_t d = (uint64_t)rel > UINT64_MAX - now ? UINT64_MAX
						      : now + (uint64_t)rel;
	int rc = uk_posixtime_sleep_until_intr(d);

	now = ukplat_monotonic_clock();
	*left = rc == -EINTR && d > now ? (int64_t)(d - now) : 0;
	return rc;
}

UK_SYSCALL_R_DEFINE(int, nanosleep, const struct pt_timespec *, req,
		    struct pt_timespec *, rem)
{
	int64_t left;
	int rc;

	if (!req)
		return -EFAULT;
	if (!valid_ts(req))
		return -EINVAL;
	rc = sleep_rel(ts_to_ns(req), &left);
	if (rem && rc == -EINTR)
		ns_to_ts(left, rem);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, clock_nanosleep, long, clk, int, flags,
		    const struct pt_timespec *, req, struct pt_timespec *, rem)
{
	int64_t now, t;
	int rc;

	switch (clk) {
	case PT_CLOCK_REALTIME:
	case PT_CLOCK_MONOTONIC:
	case PT_CLOCK_BOOTTIME:
	case PT_CLOCK_PROCESS_CPUTIME_ID:
		break;
	case PT_CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL; /* as Linux */
	default:
		return -EINVAL;
	}
	if (!req)
		return -EFAULT;
	if (!valid_ts(req))
		return -EINVAL;
	t = ts_to_ns(req);
	if (flags & PT_TIMER_ABSTIME) {
		/* A REALTIME deadline is converted once: a clock_settime
		 * during the sleep does not move it (Linux would). */
		clock_read(clk, &now);
		if (t > now)
			return sleep_rel(t - now, &t); /* no time left told */
		return 0;
	}
	rc = sleep_rel(t, &t);
	if (rem && rc == -EINTR)
		ns_to_ts(t, rem);
	return rc;
}
