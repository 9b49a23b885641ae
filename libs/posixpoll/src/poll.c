/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * poll, ppoll, select, pselect6.
 *
 * One wait: scan every descriptor (ops->poll); while nothing is ready, the
 * scan also hangs a watcher on each file (holding a reference, so a close()
 * by another thread cannot free it under us). Then sleep on a wait queue of
 * our own until a watcher fires or the deadline passes, take the watchers
 * off and scan again. UP: nothing runs between a scan and the sleep, so no
 * notification is lost.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include "pp.h"

#define SIGSET_SIZE 8  /* Linux's kernel sigset_t */
#define STACK_ENTS  32 /* entries on the stack; more are allocated */

#define SEL_IN	(UK_POLLIN | UK_POLLRDNORM | UK_POLLRDBAND | PP_ALWAYS)
#define SEL_OUT (UK_POLLOUT | UK_POLLWRNORM | UK_POLLWRBAND | UK_POLLERR)
#define SEL_EX	UK_POLLPRI

struct waiter {
	struct uk_waitq wq;
	int fired;
};

struct ent {
	struct uk_file_watch w; /* first */
	struct waiter *wt;
	struct uk_file *f; /* held while the watch is on */
	int fd;
	unsigned events, revents;
};

struct uk_timespec_ {
	long tv_sec, tv_nsec;
};

struct uk_timeval_ {
	long tv_sec, tv_usec;
};

static void ent_fired(struct uk_file_watch *w, struct uk_file *f,
		      unsigned events)
{
	struct ent *e = (struct ent *)w;

	(void)f;
	if (!pp_relevant(events, e->events) && !(events & UK_POLL_RELEASE))
		return;
	if (!e->wt->fired) {
		e->wt->fired = 1;
		uk_waitq_wake_all(&e->wt->wq);
	}
}

/* One pass; `wt` non-NULL: watch every file until one is ready. Returns the
 * number of entries with events (NVAL included). */
static int scan(struct ent *e, unsigned n, struct waiter *wt)
{
	int ready = 0;

	for (unsigned i = 0; i < n; i++) {
		struct uk_file *f;

		e[i].revents = 0;
		if (e[i].fd < 0)
			continue;
		f = uk_fdtab_get(e[i].fd);
		if (!f) {
			e[i].revents = UK_POLLNVAL;
			ready++;
			continue;
		}
		e[i].revents = pp_poll_file(f, e[i].events);
		if (e[i].revents)
			ready++;
		if (wt && !ready) {
			e[i].w.fn = ent_fired;
			e[i].wt = wt;
			e[i].f = f;
			uk_file_watch_add(f, &e[i].w);
		} else {
			uk_file_put(f);
		}
	}
	return ready;
}

static void unwatch(struct ent *e, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!e[i].f)
			continue;
		uk_file_watch_del(e[i].f, &e[i].w);
		uk_file_put(e[i].f);
		e[i].f = NULL;
	}
}

/* Wait until an entry is ready or `deadline` (0: don't wait). Returns the
 * number of ready entries, or -EINTR when a signal handler must run first
 * (never restarted: Linux's rule for poll and select). */
static int wait_ents(struct ent *e, unsigned n, uint64_t deadline)
{
	struct waiter wt;
	int ready, rc, timed_out = deadline == 0 || !pp_can_block();

	uk_waitq_init(&wt.wq);
	for (unsigned i = 0; i < n; i++)
		e[i].f = NULL;
	for (;;) { /* each pass follows a wake-up or the timeout */
		wt.fired = 0;
		ready = scan(e, n, timed_out ? NULL : &wt);
		if (ready || timed_out) {
			unwatch(e, n);
			return ready;
		}
		rc = wt.fired ? 0 : uk_waitq_wait_intr(&wt.wq, deadline);
		unwatch(e, n);
		if (rc == -ETIMEDOUT)
			timed_out = 1;
		if (rc == -EINTR)
			return -EINTR;
	}
}

static struct ent *ents_get(struct ent *stack, unsigned n)
{
	if (n <= STACK_ENTS)
		return stack;
	return malloc(n * sizeof(struct ent));
}

static void ents_put(struct ent *stack, struct ent *e)
{
	if (e != stack)
		free(e);
}

static int do_poll(struct uk_pollfd *fds, unsigned nfds, uint64_t deadline)
{
	struct ent stack[STACK_ENTS], *e;
	int ready;

	if (nfds > uk_fdtab_get_limit())
		return -EINVAL;
	if (nfds && !fds)
		return -EFAULT;
	e = ents_get(stack, nfds);
	if (!e)
		return -ENOMEM;
	for (unsigned i = 0; i < nfds; i++) {
		e[i].fd = fds[i].fd;
		e[i].events = (unsigned short)fds[i].events;
	}
	ready = wait_ents(e, nfds, deadline);
	for (unsigned i = 0; i < nfds && ready >= 0; i++)
		fds[i].revents = (short)e[i].revents;
	ents_put(stack, e);
	return ready;
}

static uint64_t ms_deadline(int timeout)
{
	if (timeout < 0)
		return UK_SCHED_FOREVER;
	if (timeout == 0 || !pp_can_block())
		return 0;
	return pp_deadline_in((uint64_t)timeout * PP_NS_MS);
}

UK_SYSCALL_R_DEFINE(int, poll, struct uk_pollfd *, fds, unsigned int, nfds, int,
		    timeout)
{
	return do_poll(fds, nfds, ms_deadline(timeout));
}

/* timespec -> deadline; 0 for a zero timeout, -1 (as uint64) if invalid */
static int ts_deadline(const struct uk_timespec_ *ts, uint64_t *deadline)
{
	uint64_t ns;

	if (!ts) {
		*deadline = UK_SCHED_FOREVER;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (unsigned long)ts->tv_nsec >= PP_NS_SEC)
		return -EINVAL;
	if (!ts->tv_sec && !ts->tv_nsec) {
		*deadline = 0;
		return 0;
	}
	if ((unsigned long)ts->tv_sec >= (UK_SCHED_FOREVER - 1) / PP_NS_SEC)
		ns = UK_SCHED_FOREVER - 1;
	else
		ns = (uint64_t)ts->tv_sec * PP_NS_SEC + (uint64_t)ts->tv_nsec;
	*deadline = pp_can_block() ? pp_deadline_in(ns) : 0;
	return 0;
}

/* Write the time left back (Linux does for ppoll/select/pselect6). */
static void ts_left(struct uk_timespec_ *ts, uint64_t deadline)
{
	uint64_t left;

	if (!ts || deadline == UK_SCHED_FOREVER)
		return;
	left = deadline && pp_can_block() ? pp_left(deadline) : 0;
	ts->tv_sec = (long)(left / PP_NS_SEC);
	ts->tv_nsec = (long)(left % PP_NS_SEC);
}

UK_SYSCALL_R_DEFINE(int, ppoll, struct uk_pollfd *, fds, unsigned int, nfds,
		    struct uk_timespec_ *, tsp, const void *, sigmask, size_t,
		    sigsetsize)
{
	uint64_t deadline;
	int r;

	if (sigmask && sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	r = ts_deadline(tsp, &deadline);
	if (r)
		return r;
	pp_sigmask_push(sigmask);
	r = do_poll(fds, nfds, deadline);
	pp_sigmask_pop(sigmask, r);
	if (r >= 0 || r == -EINTR)
		ts_left(tsp, deadline);
	return r;
}

/* ---- select ---- */

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static int isset(const unsigned long *set, int fd)
{
	return set && (set[fd / BITS_PER_WORD] >> (fd % BITS_PER_WORD)) & 1;
}

static int do_select(int n, unsigned long *in, unsigned long *out,
		     unsigned long *ex, uint64_t deadline)
{
	struct ent stack[STACK_ENTS], *e;
	unsigned cnt = 0, k = 0;
	size_t words;
	int ready = 0;

	if (n < 0)
		return -EINVAL;
	if ((unsigned)n > uk_fdtab_get_limit())
		n = (int)uk_fdtab_get_limit();
	for (int fd = 0; fd < n; fd++) /* bounded: the descriptor limit */
		if (isset(in, fd) || isset(out, fd) || isset(ex, fd))
			cnt++;
	e = ents_get(stack, cnt);
	if (!e)
		return -ENOMEM;
	for (int fd = 0; fd < n && k < cnt; fd++) {
		unsigned ev = (isset(in, fd) ? SEL_IN : 0) |
			      (isset(out, fd) ? SEL_OUT : 0) |
			      (isset(ex, fd) ? SEL_EX : 0);

		if (!ev)
			continue;
		e[k].fd = fd;
		e[k].events = ev;
		k++;
	}
	for (unsigned i = 0; i < cnt; i++) { /* closed descriptors: EBADF */
		struct uk_file *f = uk_fdtab_get(e[i].fd);

		if (!f) {
			ents_put(stack, e);
			return -EBADF;
		}
		uk_file_put(f);
	}
	if (wait_ents(e, cnt, deadline) == -EINTR) {
		ents_put(stack, e);
		return -EINTR; /* the sets are left as they were */
	}
	words = ((size_t)n + BITS_PER_WORD - 1) / BITS_PER_WORD;
	if (in)
		memset(in, 0, words * sizeof(long));
	if (out)
		memset(out, 0, words * sizeof(long));
	if (ex)
		memset(ex, 0, words * sizeof(long));
	for (unsigned i = 0; i < cnt; i++) {
		unsigned r = e[i].revents;
		int fd = e[i].fd;
		unsigned long bit = 1UL << (fd % BITS_PER_WORD);

		if (r & UK_POLLNVAL)
			continue; /* closed during the wait: not reported */
		if (in && (e[i].events & UK_POLLIN) && (r & SEL_IN)) {
			in[fd / BITS_PER_WORD] |= bit;
			ready++;
		}
		if (out && (e[i].events & UK_POLLOUT) && (r & SEL_OUT)) {
			out[fd / BITS_PER_WORD] |= bit;
			ready++;
		}
		if (ex && (e[i].events & SEL_EX) && (r & SEL_EX)) {
			ex[fd / BITS_PER_WORD] |= bit;
			ready++;
		}
	}
	ents_put(stack, e);
	return ready;
}

UK_SYSCALL_R_DEFINE(int, select, int, n, unsigned long *, in, unsigned long *,
		    out, unsigned long *, ex, struct uk_timeval_ *, tv)
{
	struct uk_timespec_ ts;
	uint64_t deadline;
	int r;

	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
			return -EINVAL;
		ts.tv_sec = tv->tv_sec;
		ts.tv_nsec = tv->tv_usec * 1000;
	}
	r = ts_deadline(tv ? &ts : NULL, &deadline);
	if (r)
		return r;
	r = do_select(n, in, out, ex, deadline);
	if ((r >= 0 || r == -EINTR) && tv) {
		ts_left(&ts, deadline);
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	return r;
}

/* pselect6's sixth argument: {const sigset_t *ss; size_t ss_len} */
struct sigarg {
	const void *ss;
	size_t len;
};

UK_SYSCALL_R_DEFINE(int, pselect6, int, n, unsigned long *, in, unsigned long *,
		    out, unsigned long *, ex, struct uk_timespec_ *, tsp,
		    const struct sigarg *, sig)
{
	uint64_t deadline;
	int r;

	if (sig && sig->ss && sig->len != SIGSET_SIZE)
		return -EINVAL;
	r = ts_deadline(tsp, &deadline);
	if (r)
		return r;
	pp_sigmask_push(sig ? sig->ss : NULL);
	r = do_select(n, in, out, ex, deadline);
	pp_sigmask_pop(sig ? sig->ss : NULL, r);
	if (r >= 0 || r == -EINTR)
		ts_left(tsp, deadline);
	return r;
}
