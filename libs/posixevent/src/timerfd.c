/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timerfd on the scheduler's clock. A timer keeps its next expiry as an
 * absolute deadline of uk_sched_now(); expirations are counted lazily
 * (when read, polled or when the helper thread looks), so a timer costs
 * nothing while nobody asks. Readers sleep with the deadline as timeout;
 * pollers are woken by the helper thread, which exists while some timer is
 * armed and sleeps until the earliest deadline. An absolute CLOCK_REALTIME
 * time is turned into a deadline when the timer is set (a later change of
 * the real-time clock does not move it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/posixevent.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "event_impl.h"

#define CLOCK_REALTIME_	 0
#define CLOCK_MONOTONIC_ 1
#define CLOCK_BOOTTIME_	 7
#define NS		 1000000000ULL

struct tfd {
	struct tfd *next, *prev; /* armed timers */
	struct uk_file *f;
	int clock;
	int armed;
	uint64_t deadline; /* next expiry, uk_sched_now() ns */
	uint64_t interval; /* ns, 0: one shot */
	uint64_t ticks;	   /* expirations not read yet */
	struct uk_waitq rq;
};

static struct tfd *armed;
static struct uk_thread *helper;
static struct uk_waitq helper_wq;

/* The clock's current time in ns; the scheduler's clock when the image
 * has no clock_gettime (native tests without posixtime). */
static uint64_t clock_ns(int clock)
{
	struct {
		int64_t sec, nsec;
	} ts;

	if (uk_syscall_call(clock_gettime, clock, &ts) < 0)
		return uk_sched_now();
	return (uint64_t)ts.sec * NS + (uint64_t)ts.nsec;
}

static void unlink_armed(struct tfd *t)
{
	if (!t->armed)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		armed = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	t->armed = 0;
}

/* Count the expirations up to now; returns 1 if there were new ones. */
static int expire(struct tfd *t, uint64_t now)
{
	uint64_t n;

	if (!t->armed || now < t->deadline)
		return 0;
	if (t->interval) {
		n = 1 + (now - t->deadline) / t->interval;
		t->deadline += n * t->interval;
	} else {
		n = 1;
		unlink_armed(t);
	}
	t->ticks += n;
	return 1;
}

static void fire(struct tfd *t)
{
	uk_waitq_wake_all(&t->rq);
	uk_file_notify(t->f, UK_POLLIN | UK_POLLRDNORM);
}

static void helper_main(void *arg)
{
	(void)arg;
	while (armed) { /* ends when no timer is armed */
		uint64_t now = uk_sched_now(), next = UK_SCHED_FOREVER;
		struct tfd *t, *n;

		for (t = armed; t; t = n) {
			n = t->next; /* expire() may unlink t */
			if (expire(t, now))
				fire(t);
		}
		for (t = armed; t; t = t->next)
			if (t->deadline < next)
				next = t->deadline;
		if (next != UK_SCHED_FOREVER)
			uk_waitq_wait_timeout(&helper_wq, next);
	}
	helper = NULL;
}

/* (Re)start the helper, or tell it the earliest deadline changed. */
static int kick_helper(void)
{
	if (helper) {
		uk_waitq_wake_one(&helper_wq);
		return 0;
	}
	helper = uk_thread_create(NULL, "timerfd", helper_main, NULL, 16384);
	if (!helper)
		return -ENOMEM;
	uk_thread_detach(helper);
	return 0;
}

static ssize_t t_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct tfd *t = f->priv;
	int r;

	(void)off;
	if (len < 8)
		return -EINVAL;
	for (;;) { /* each pass follows a wake-up or an expiry */
		expire(t, uk_sched_now());
		if (t->ticks)
			break;
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = uk_event_sleep(&t->rq,
				   t->armed ? t->deadline : UK_SCHED_FOREVER);
		if (r && r != -ETIMEDOUT)
			return r;
	}
	memcpy(buf, &t->ticks, 8);
	t->ticks = 0;
	return 8;
}

static unsigned t_poll(struct uk_file *f, unsigned events, struct uk_waitq **wq)
{
	struct tfd *t = f->priv;

	expire(t, uk_sched_now());
	if (wq)
		*wq = &t->rq;
	return (t->ticks ? UK_POLLIN | UK_POLLRDNORM : 0) & events;
}

static int t_fstat(struct uk_file *f, struct uk_stat *st)
{
	(void)f;
	st->st_mode = 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static void t_release(struct uk_file *f)
{
	struct tfd *t = f->priv;

	unlink_armed(t);
	if (helper) /* it may sleep for this timer: let it re-check */
		uk_waitq_wake_one(&helper_wq);
	free(t);
}

static const struct uk_file_ops tfd_ops = {
	.read = t_read,
	.poll = t_poll,
	.fstat = t_fstat,
	.release = t_release,
};

int uk_timerfd_is(const struct uk_file *f)
{
	return f->ops == &tfd_ops;
}

UK_SYSCALL_R_DEFINE(int, timerfd_create, int, clock, int, flags)
{
	unsigned fl = (unsigned)flags;
	struct tfd *t;
	struct uk_file *f;
	int fd;

	if (clock != CLOCK_REALTIME_ && clock != CLOCK_MONOTONIC_ &&
	    clock != CLOCK_BOOTTIME_)
		return -EINVAL;
	if (fl & ~(UK_O_NONBLOCK | UK_O_CLOEXEC))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->clock = clock;
	f = uk_file_create(&tfd_ops, t, UK_O_RDWR | (fl & UK_O_NONBLOCK));
	if (!f) {
		free(t);
		return -ENOMEM;
	}
	t->f = f;
	fd = uk_fdtab_alloc(f, fl & UK_O_CLOEXEC);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

/* The timer behind `fd` with a reference, or NULL (*err set). */
static struct uk_file *tfd_get(int fd, int *err)
{
	struct uk_file *f = uk_fdtab_get(fd);

	*err = -EBADF;
	if (f && f->ops != &tfd_ops) {
		uk_file_put(f);
		f = NULL;
		*err = -EINVAL;
	}
	return f;
}

static void get_setting(struct tfd *t, struct uk_itimerspec *cur)
{
	uint64_t now = uk_sched_now(), left = 0;

	expire(t, now);
	if (t->armed)
		left = t->deadline > now ? t->deadline - now : 1;
	cur->value_sec = (int64_t)(left / NS);
	cur->value_nsec = (int64_t)(left % NS);
	cur->interval_sec = (int64_t)(t->interval / NS);
	cur->interval_nsec = (int64_t)(t->interval % NS);
}

static int valid(int64_t sec, int64_t nsec)
{
	return sec >= 0 && nsec >= 0 && nsec < (int64_t)NS &&
	       (uint64_t)sec < UINT64_MAX / NS / 2;
}

UK_SYSCALL_R_DEFINE(int, timerfd_settime, int, fd, int, flags,
		    const struct uk_itimerspec *, nv, struct uk_itimerspec *,
		    old)
{
	struct uk_file *f;
	struct tfd *t;
	uint64_t val, now;
	int r;

	if ((unsigned)flags &
	    ~(UK_TFD_TIMER_ABSTIME | UK_TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	f = tfd_get(fd, &r);
	if (!f)
		return r;
	t = f->priv;
	r = 0;
	if (!nv)
		r = -EFAULT;
	else if (!valid(nv->value_sec, nv->value_nsec) ||
		 !valid(nv->interval_sec, nv->interval_nsec))
		r = -EINVAL;
	else if ((flags & UK_TFD_TIMER_CANCEL_ON_SET) &&
		 (!(flags & UK_TFD_TIMER_ABSTIME) ||
		  t->clock != CLOCK_REALTIME_))
		r = -EINVAL;
	if (r) {
		uk_file_put(f);
		return r;
	}
	if (old)
		get_setting(t, old);
	unlink_armed(t);
	if (helper)
		uk_waitq_wake_one(&helper_wq);
	t->ticks = 0;
	val = (uint64_t)nv->value_sec * NS + (uint64_t)nv->value_nsec;
	t->interval =
		(uint64_t)nv->interval_sec * NS + (uint64_t)nv->interval_nsec;
	if (val) {
		now = uk_sched_now();
		if (flags & UK_TFD_TIMER_ABSTIME) {
			uint64_t c = clock_ns(t->clock);

			t->deadline = val > c ? now + (val - c) : now;
		} else {
			t->deadline = now + val;
		}
		t->armed = 1;
		t->next = armed;
		if (armed)
			armed->prev = t;
		armed = t;
		r = kick_helper();
		if (r)
			unlink_armed(t);
	}
	uk_waitq_wake_all(&t->rq); /* readers re-check their deadline */
	uk_file_put(f);
	return r;
}

UK_SYSCALL_R_DEFINE(int, timerfd_gettime, int, fd, struct uk_itimerspec *, cur)
{
	int r;
	struct uk_file *f = tfd_get(fd, &r);

	if (!f)
		return r;
	if (cur)
		get_setting(f->priv, cur);
	uk_file_put(f);
	return cur ? 0 : -EFAULT;
}
