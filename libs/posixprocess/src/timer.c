/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers that send signals: POSIX timers (timer_create, timer_settime,
 * timer_gettime, timer_getoverrun, timer_delete; SIGEV_SIGNAL, SIGEV_NONE,
 * SIGEV_THREAD_ID - musl builds SIGEV_THREAD on the latter) and the
 * interval timers (setitimer, getitimer, alarm).
 *
 * Every timer runs on the monotonic clock: an absolute CLOCK_REALTIME
 * expiry is converted when it is set, and the CPU-time clocks count all
 * time (as getrusage does here). Expiries are handled by pp_timers_run(),
 * which three things call:
 *  - a kernel thread ("posix-timers") sleeping until the next expiry, for
 *    when every thread blocks;
 *  - the way out of a system call, when the platform's timer interrupt
 *    (armed for the next expiry) has said that one is due, or, on a
 *    platform without a timer interrupt (linuxu), when the clock says so;
 *  - the return of that interrupt to a loaded program it stopped
 *    (uk_process_irq_return), so that a program spinning in a loop gets
 *    its SIGALRM.
 * An expiry whose previous signal is still pending counts an overrun
 * instead of queueing another one (timer_getoverrun, si_overrun).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "signal_impl.h"

#pragma weak uk_thread_create
#pragma weak uk_thread_detach
#pragma weak uk_thread_find
#pragma weak uk_waitq_wait_timeout
#pragma weak uk_waitq_wake_all
#pragma weak uk_sched_get_default

#define NS_PER_S	 1000000000ULL
#define TIMERS_MAX	 256 /* per process */
#define SIGEV_SIGNAL_	 0
#define SIGEV_NONE_	 1
#define SIGEV_THREAD_	 2
#define SIGEV_THREAD_ID_ 4
#define TIMER_ABSTIME_	 1
#define ITIMER_REAL_	 0
#define ITIMER_VIRTUAL_	 1
#define ITIMER_PROF_	 2

struct pp_timer {
	struct pp_timer *next;
	struct pp_process *p;
	int id;	   /* timer_create's id; -1 - which for interval timers */
	int clock; /* the clock it was created on */
	int notify, signo, tid;
	uint64_t value;	   /* sigev_value */
	uint64_t expiry;   /* monotonic ns; 0: disarmed */
	uint64_t interval; /* ns; 0: one-shot */
	/* A periodic POSIX timer whose signal is queued is stopped until the
	 * signal is taken (Linux does the same): next_due is its next
	 * nominal expiry then, and the expiries missed meanwhile become the
	 * overrun count. No interrupt storm for tiny intervals. */
	uint64_t next_due;
	int overrun;	  /* expiries while its signal was pending */
	int last_overrun; /* at the last delivery (timer_getoverrun) */
};

static struct pp_timer *timers;
static volatile int due; /* the timer interrupt saw an expiry */
static int no_irq;	 /* the platform has no timer interrupt */
static uint64_t next_expiry;
static struct uk_thread *thread;
static struct uk_waitq thread_wq;

/* ---- clocks ---- */

struct pp_ts {
	int64_t tv_sec, tv_nsec;
};
struct pp_tv {
	int64_t tv_sec, tv_usec;
};

static uint64_t now(void)
{
	return ukplat_monotonic_clock();
}

/* CLOCK_REALTIME - monotonic, through posixtime's clock_gettime when the
 * image has it (its offset follows settimeofday), else the platform's. */
static int64_t realtime_offset(void)
{
	struct pp_ts ts;
	uint64_t m = now();

	if (uk_syscall_call(clock_gettime, 0, &ts) == 0)
		return (int64_t)((uint64_t)ts.tv_sec * NS_PER_S +
				 (uint64_t)ts.tv_nsec) -
		       (int64_t)m;
	return ukplat_wall_clock() ? (int64_t)ukplat_wall_clock() - (int64_t)m
				   : 0;
}

static int valid_ts(const struct pp_ts *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

static uint64_t ts_ns(const struct pp_ts *ts)
{
	if ((uint64_t)ts->tv_sec >= UINT64_MAX / 2 / NS_PER_S)
		return UINT64_MAX / 2;
	return (uint64_t)ts->tv_sec * NS_PER_S + (uint64_t)ts->tv_nsec;
}

static void ns_ts(uint64_t ns, struct pp_ts *ts)
{
	ts->tv_sec = (int64_t)(ns / NS_PER_S);
	ts->tv_nsec = (int64_t)(ns % NS_PER_S);
}

static int timer_clock_ok(int clk)
{
	switch (clk) {
	case 0:	 /* REALTIME */
	case 1:	 /* MONOTONIC */
	case 2:	 /* PROCESS_CPUTIME_ID */
	case 3:	 /* THREAD_CPUTIME_ID */
	case 7:	 /* BOOTTIME */
	case 8:	 /* REALTIME_ALARM */
	case 9:	 /* BOOTTIME_ALARM */
	case 11: /* TAI */
		return 1;
	default:
		return 0;
	}
}

static int is_realtime(int clk)
{
	return clk == 0 || clk == 8 || clk == 11;
}

/* ---- the list and the next expiry ---- */

static struct pp_timer *find(struct pp_process *p, int id)
{
	struct pp_timer *t;

	for (t = timers; t; t = t->next) /* bounded: the timers */
		if (t->p == p && t->id == id)
			return t;
	return NULL;
}

static void timer_thread(void *arg);

/* Make sure the next expiry will be handled: the kernel thread's sleep
 * and the platform's timer interrupt. */
static void reschedule(void)
{
	struct pp_timer *t;
	uint64_t n = 0;

	for (t = timers; t; t = t->next)
		if (t->expiry && t->notify != SIGEV_NONE_ &&
		    (!n || t->expiry < n))
			n = t->expiry;
	next_expiry = n;
	if (n && !thread && uk_thread_create && uk_sched_get_default &&
	    uk_sched_get_default()) {
		thread = uk_thread_create(NULL, "posix-timers", timer_thread,
					  NULL, 16384);
		if (thread)
			uk_thread_detach(thread);
		else
			uk_pr_warn("no memory for the timer thread: timers "
				   "expire only at system calls");
	}
	if (thread && uk_waitq_wake_all)
		uk_waitq_wake_all(&thread_wq); /* to sleep until n */
	if (!no_irq && ukplat_timer_arm(n) == -ENODEV)
		no_irq = 1;
	pp_update_exit_work();
}

int pp_timer_work(void)
{
	return due || (no_irq && next_expiry);
}

/* ---- expiry ---- */

/* Its signal still waits in a queue (so this expiry is an overrun). */
static int still_queued(const struct pp_timer *tm)
{
	return pp_queued_timer(tm->p, tm->id);
}

/* Expiries of a periodic timer from `due` up to time t. */
static uint64_t periods(const struct pp_timer *tm, uint64_t due, uint64_t t)
{
	return t < due ? 0 : (t - due) / tm->interval + 1;
}

static void add_overrun(struct pp_timer *tm, uint64_t n)
{
	uint64_t o = (uint64_t)tm->overrun + n;

	tm->overrun = o > INT32_MAX ? INT32_MAX : (int)o;
}

#define ITIMER_MIN_NS 100000ULL /* the shortest re-arm of setitimer */

static void fire(struct pp_timer *tm, uint64_t t)
{
	struct pp_siginfo info;
	struct uk_thread *target = NULL;
	uint64_t k = 0;

	if (tm->interval && tm->id < 0) {
		/* interval timers re-arm at once (their standard signal
		 * coalesces), never closer than ITIMER_MIN_NS */
		k = periods(tm, tm->expiry, t);
		tm->expiry += k * tm->interval;
		if (tm->expiry < t + ITIMER_MIN_NS)
			tm->expiry = t + ITIMER_MIN_NS;
	} else if (tm->interval) {
		/* stopped until its signal is taken (pp_timer_delivered) */
		k = periods(tm, tm->expiry, t);
		tm->next_due = tm->expiry + k * tm->interval;
		tm->expiry = 0;
	} else {
		tm->expiry = 0;
	}
	if (tm->id >= 0 && still_queued(tm)) {
		add_overrun(tm, k ? k : 1);
		return;
	}
	tm->overrun = 0;
	if (k > 1)
		add_overrun(tm, k - 1);
	memset(&info, 0, sizeof(info));
	info.signo = tm->signo;
	if (tm->id >= 0) {
		info.code = SI_TIMER_;
		info.timer.tid = tm->id;
		info.timer.value = tm->value;
	} else {
		info.code = SI_KERNEL_; /* setitimer, alarm */
	}
	if (tm->notify == SIGEV_THREAD_ID_ && uk_thread_find)
		target = uk_thread_find(tm->tid);
	if (target && target->state != UK_THREAD_EXITED &&
	    pp_process_of(target) == tm->p)
		pp_send_thread(target, &info);
	else
		pp_send_process(tm->p, &info);
}

void pp_timers_run(void)
{
	struct pp_timer *t;
	uint64_t n = now();

	due = 0;
	/* bounded: each timer fires at most once per run */
	for (t = timers; t; t = t->next)
		if (t->expiry && t->expiry <= n && t->notify != SIGEV_NONE_)
			fire(t, n);
	reschedule();
}

/* The platform's timer interrupt: only raise the flags (no signal state is
 * touched in interrupt context); the way out of a call, the return to a
 * program or the timer thread does the rest. */
static void on_timer_irq(uint64_t deadline, void *arg)
{
	(void)deadline, (void)arg;
	due = 1;
	uk_syscall_exit_work = 1;
}

/* A detached kernel thread, alive while a timer is armed (bounded by the
 * expiries: each round handles the due ones). */
static void timer_thread(void *arg)
{
	(void)arg;
	while (next_expiry) {
		uk_waitq_wait_timeout(&thread_wq, next_expiry);
		pp_timers_run();
	}
	thread = NULL;
}

void pp_timers_check(void)
{
	if (due || (no_irq && next_expiry && now() >= next_expiry))
		pp_timers_run();
}

/* A timer signal is being delivered: the expiries since count as overruns,
 * the timer runs again, and its overrun count goes with the signal. */
void pp_timer_delivered(struct pp_process *p, struct pp_siginfo *info)
{
	struct pp_timer *tm = find(p, info->timer.tid);

	if (!tm)
		return;
	if (tm->next_due) {
		uint64_t k = periods(tm, tm->next_due, now());

		add_overrun(tm, k);
		tm->expiry = tm->next_due + k * tm->interval;
		tm->next_due = 0;
		reschedule();
	}
	info->timer.overrun = tm->overrun;
	tm->last_overrun = tm->overrun;
	tm->overrun = 0;
}

static int hooked;

static void arm(struct pp_timer *tm, uint64_t expiry, uint64_t interval)
{
	if (!hooked) {
		ukplat_timer_set_handler(on_timer_irq, NULL);
		pp_irq_hook();
		hooked = 1;
	}
	tm->expiry = expiry;
	tm->interval = expiry ? interval : 0;
	reschedule();
}

/* ---- POSIX timers ---- */

struct pp_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid; /* _sigev_un._tid */
	int32_t pad[11];
};
_Static_assert(sizeof(struct pp_sigevent) == 64, "struct sigevent");

UK_SYSCALL_R_DEFINE(int, timer_create, int, clk, const struct pp_sigevent *,
		    sev, int *, idp)
{
	struct pp_process *p = pp_process_of(pp_current());
	struct pp_timer *tm;
	int id, n = 0;

	if (!timer_clock_ok(clk))
		return -EINVAL;
	if (!idp)
		return -EFAULT;
	tm = calloc(1, sizeof(*tm));
	if (!tm)
		return -EAGAIN;
	tm->p = p;
	tm->clock = clk;
	if (sev) {
		tm->notify = sev->notify;
		tm->signo = sev->signo;
		tm->value = sev->value;
		tm->tid = sev->tid;
		switch (sev->notify) {
		case SIGEV_NONE_:
			break;
		case SIGEV_SIGNAL_:
			if (sev->signo <= 0 || sev->signo > NSIG_)
				goto inval;
			break;
		case SIGEV_THREAD_ID_: {
			struct uk_thread *t = uk_thread_find
						      ? uk_thread_find(sev->tid)
						      : NULL;

			if (sev->signo <= 0 || sev->signo > NSIG_)
				goto inval;
			if (sev->tid != pp_current()->tid &&
			    (!t || pp_process_of(t) != p))
				goto inval;
			break;
		}
		default: /* SIGEV_THREAD is the libc's (a thread of its own) */
			goto inval;
		}
	} else {
		tm->notify = SIGEV_SIGNAL_;
		tm->signo = SIGALRM_;
	}
	/* the lowest free id; bounded by TIMERS_MAX */
	for (id = 0; id < TIMERS_MAX && find(p, id); id++)
		;
	for (struct pp_timer *t = timers; t; t = t->next)
		n += t->p == p && t->id >= 0;
	if (id >= TIMERS_MAX || n >= TIMERS_MAX) {
		free(tm);
		return -EAGAIN;
	}
	tm->id = id;
	if (!sev)
		tm->value = (uint64_t)id;
	tm->next = timers;
	timers = tm;
	*idp = id;
	return 0;
inval:
	free(tm);
	return -EINVAL;
}

struct pp_itimerspec {
	struct pp_ts interval, value;
};

static void get(const struct pp_timer *tm, struct pp_itimerspec *out)
{
	uint64_t n = now(), e = tm->expiry ? tm->expiry : tm->next_due;

	/* a stopped periodic timer, or one nobody is told about (SIGEV_NONE,
	 * never expired by the machinery): its next nominal expiry */
	if (e && e <= n && tm->interval)
		e += periods(tm, e, n) * tm->interval;
	else if (e && e <= n)
		e = 0; /* a one-shot SIGEV_NONE timer that expired */
	ns_ts(tm->interval, &out->interval);
	ns_ts(e ? e - n : 0, &out->value);
}

static struct pp_timer *user_timer(int id)
{
	if (id < 0)
		return NULL;
	return find(pp_process_of(pp_current()), id);
}

UK_SYSCALL_R_DEFINE(int, timer_settime, int, id, int, flags,
		    const struct pp_itimerspec *, new, struct pp_itimerspec *,
		    old)
{
	struct pp_timer *tm = user_timer(id);
	uint64_t v, expiry = 0, n;

	if (!tm)
		return -EINVAL;
	if (!new)
		return -EFAULT;
	if (!valid_ts(&new->value) || !valid_ts(&new->interval))
		return -EINVAL;
	if (old)
		get(tm, old);
	v = ts_ns(&new->value);
	n = now();
	if (v && (flags & TIMER_ABSTIME_)) {
		int64_t mono = (int64_t)v;
		if (is_realtime(tm->clock))
			mono -= realtime_offset();
		/* a time in the past expires at once */
		expiry = mono <= (int64_t)n ? n : (uint64_t)mono;
	} else if (v) {
		expiry = n + v;
	}
	/* a disarmed or re-armed timer forgets its overruns */
	tm->overrun = 0;
	tm->next_due = 0;
	arm(tm, expiry, ts_ns(&new->interval));
	if (expiry && expiry <= n)
		pp_timers_run();
	return 0;
}

UK_SYSCALL_R_DEFINE(int, timer_gettime, int, id, struct pp_itimerspec *, cur)
{
	struct pp_timer *tm = user_timer(id);

	if (!tm)
		return -EINVAL;
	if (!cur)
		return -EFAULT;
	get(tm, cur);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, timer_getoverrun, int, id)
{
	struct pp_timer *tm = user_timer(id);

	if (!tm)
		return -EINVAL;
	return tm->last_overrun;
}

static void unlink_timer(struct pp_timer *tm)
{
	struct pp_timer **pp;

	for (pp = &timers; *pp; pp = &(*pp)->next)
		if (*pp == tm) {
			*pp = tm->next;
			break;
		}
	/* a signal of it still pending keeps its information; its overrun
	 * count is gone with it */
	free(tm);
	reschedule();
}

UK_SYSCALL_R_DEFINE(int, timer_delete, int, id)
{
	struct pp_timer *tm = user_timer(id);

	if (!tm)
		return -EINVAL;
	unlink_timer(tm);
	return 0;
}

/* Every timer of process p (it exits), or its POSIX timers (it execs). */
static void drop(struct pp_process *p, int posix_only)
{
	struct pp_timer *t, *next;

	for (t = timers; t; t = next) {
		next = t->next;
		if (t->p == p && (!posix_only || t->id >= 0))
			unlink_timer(t);
	}
}

void pp_timers_drop(struct pp_process *p)
{
	drop(p, 0);
}

void pp_timers_drop_posix(struct pp_process *p)
{
	drop(p, 1);
}

/* ---- interval timers ---- */

struct pp_itimerval {
	struct pp_tv interval, value;
};

static struct pp_timer *itimer(int which, int create)
{
	struct pp_process *p = pp_process_of(pp_current());
	struct pp_timer *tm = find(p, -1 - which);
	static const int sig[3] = {SIGALRM_, SIGVTALRM_, SIGPROF_};

	if (tm || !create)
		return tm;
	tm = calloc(1, sizeof(*tm));
	if (!tm)
		return NULL;
	tm->p = p;
	tm->id = -1 - which;
	tm->clock = 1;
	tm->notify = SIGEV_SIGNAL_;
	tm->signo = sig[which];
	tm->next = timers;
	timers = tm;
	return tm;
}

static void itimer_get(int which, struct pp_itimerval *out)
{
	struct pp_timer *tm = itimer(which, 0);
	struct pp_itimerspec s;

	memset(out, 0, sizeof(*out));
	if (!tm)
		return;
	get(tm, &s);
	out->interval.tv_sec = s.interval.tv_sec;
	out->interval.tv_usec = (s.interval.tv_nsec + 999) / 1000;
	out->value.tv_sec = s.value.tv_sec;
	out->value.tv_usec = (s.value.tv_nsec + 999) / 1000;
	/* rounded up to 1 s: Linux never says "disarmed" for an armed one */
	if (out->value.tv_usec == 1000000) {
		out->value.tv_sec++;
		out->value.tv_usec = 0;
	}
}

static int valid_tv(const struct pp_tv *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static uint64_t tv_ns(const struct pp_tv *tv)
{
	if ((uint64_t)tv->tv_sec >= UINT64_MAX / 2 / NS_PER_S)
		return UINT64_MAX / 2;
	return (uint64_t)tv->tv_sec * NS_PER_S + (uint64_t)tv->tv_usec * 1000;
}

UK_SYSCALL_R_DEFINE(int, getitimer, int, which, struct pp_itimerval *, cur)
{
	if (which < ITIMER_REAL_ || which > ITIMER_PROF_)
		return -EINVAL;
	if (!cur)
		return -EFAULT;
	itimer_get(which, cur);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setitimer, int, which, const struct pp_itimerval *,
		    new, struct pp_itimerval *, old)
{
	struct pp_timer *tm;
	uint64_t v;

	if (which < ITIMER_REAL_ || which > ITIMER_PROF_)
		return -EINVAL;
	if (new && (!valid_tv(&new->value) || !valid_tv(&new->interval)))
		return -EINVAL;
	if (old)
		itimer_get(which, old);
	if (!new)
		return 0;
	v = tv_ns(&new->value);
	tm = itimer(which, v != 0);
	if (!tm)
		return v ? -ENOMEM : 0;
	arm(tm, v ? now() + v : 0, tv_ns(&new->interval));
	return 0;
}

UK_SYSCALL_R_DEFINE(unsigned int, alarm, unsigned int, seconds)
{
	struct pp_itimerval it = {{0, 0}, {seconds, 0}}, old;
	unsigned int left;

	uk_syscall_call(setitimer, ITIMER_REAL_, &it, &old);
	/* Linux: rounded to the nearest second, never 0 when armed */
	left = (unsigned int)old.value.tv_sec;
	if (old.value.tv_usec >= 500000 || (!left && old.value.tv_usec))
		left++;
	return left;
}

void pp_timers_reset(void)
{
	struct pp_timer *t, *next;

	for (t = timers; t; t = next) {
		next = t->next;
		free(t);
	}
	timers = NULL;
	next_expiry = 0;
	due = 0;
	thread = NULL; /* (tests: the scheduler it ran on is gone) */
	uk_waitq_init(&thread_wq);
	ukplat_timer_arm(0);
}
