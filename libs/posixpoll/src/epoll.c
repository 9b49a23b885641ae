/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
 * epoll_pwait2.
 *
 * An instance is an fdtab file. Its interest items live in a hash table
 * keyed by descriptor (identity: descriptor + open file, as Linux); each
 * item has a watcher on its file. A notification that concerns an item puts
 * it on the instance's ready list (once) and wakes the instance's waiters,
 * so epoll_wait() polls only the items on that list, never the whole set.
 * Harvest: an item that is no longer ready leaves the list; a reported
 * level-triggered item goes back to its tail (it is polled again next
 * time); an edge-triggered one leaves it until the next notification; a
 * one-shot one is disarmed until EPOLL_CTL_MOD.
 * When an item's file is released (its last descriptor closed), the item
 * goes away. The instance itself is pollable (readable when an item is
 * ready) and notifies its own watchers, so instances nest (depth and loops
 * checked at EPOLL_CTL_ADD, as Linux). UP, cooperative: no locks.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include "pp.h"

#define SIGSET_SIZE 8
#define MIN_BUCKETS 16

/* what EPOLL_CTL_ADD/MOD accept */
#define EP_USER_BITS                                                          \
	(UK_EPOLLIN | UK_EPOLLPRI | UK_EPOLLOUT | UK_EPOLLERR | UK_EPOLLHUP | \
	 UK_EPOLLRDNORM | UK_EPOLLRDBAND | UK_EPOLLWRNORM | UK_EPOLLWRBAND |  \
	 UK_EPOLLMSG | UK_EPOLLRDHUP | UK_EPOLLEXCLUSIVE | UK_EPOLLWAKEUP |   \
	 UK_EPOLLONESHOT | UK_EPOLLET)
#define EP_POLL_BITS 0xffffu

struct ep;

struct epi {
	struct uk_file_watch w; /* first */
	struct ep *ep;
	struct uk_file *file; /* not referenced (Linux neither) */
	int fd;
	uint32_t events; /* as given (EPOLLET, EPOLLONESHOT included) */
	uint64_t data;
	int disarmed; /* one-shot fired */
	int queued;   /* on the ready list */
	struct epi *rd_next, *rd_prev;
	struct epi *h_next;
};

struct ep {
	struct uk_file *file;
	struct uk_waitq wq; /* epoll_wait() callers */
	struct epi **buckets;
	unsigned nbuckets, nitems;
	struct epi *rd_head, *rd_tail;
	unsigned nready;
};

static const struct uk_file_ops ep_ops;

int uk_epoll_is(const struct uk_file *f)
{
	return f && f->ops == &ep_ops;
}

/* ---- ready list ---- */

static void rd_append(struct ep *ep, struct epi *it)
{
	it->rd_next = NULL;
	it->rd_prev = ep->rd_tail;
	if (ep->rd_tail)
		ep->rd_tail->rd_next = it;
	else
		ep->rd_head = it;
	ep->rd_tail = it;
	it->queued = 1;
	ep->nready++;
}

static void rd_remove(struct ep *ep, struct epi *it)
{
	if (!it->queued)
		return;
	if (it->rd_prev)
		it->rd_prev->rd_next = it->rd_next;
	else
		ep->rd_head = it->rd_next;
	if (it->rd_next)
		it->rd_next->rd_prev = it->rd_prev;
	else
		ep->rd_tail = it->rd_prev;
	it->rd_next = it->rd_prev = NULL;
	it->queued = 0;
	ep->nready--;
}

/* ---- hash table ---- */

static unsigned bucket_of(const struct ep *ep, int fd)
{
	return ((unsigned)fd * 2654435761u) & (ep->nbuckets - 1);
}

static struct epi *lookup(struct ep *ep, int fd, struct uk_file *f)
{
	struct epi *it;

	for (it = ep->buckets[bucket_of(ep, fd)]; it; it = it->h_next)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

static void h_unlink(struct ep *ep, struct epi *it)
{
	struct epi **p = &ep->buckets[bucket_of(ep, it->fd)];

	while (*p && *p != it) /* bounded: the bucket */
		p = &(*p)->h_next;
	if (*p)
		*p = it->h_next;
	ep->nitems--;
}

/* Double the table when it gets loaded; on no memory keep the old one. */
static void h_grow(struct ep *ep)
{
	unsigned nb = ep->nbuckets * 2, old = ep->nbuckets;
	struct epi **b, **ob = ep->buckets;

	if (ep->nitems < 2 * old || nb > (1u << 24))
		return;
	b = calloc(nb, sizeof(*b));
	if (!b)
		return;
	ep->buckets = b;
	ep->nbuckets = nb;
	for (unsigned i = 0; i < old; i++) {
		struct epi *it = ob[i], *next;

		for (; it; it = next) {
			unsigned k = bucket_of(ep, it->fd);

			next = it->h_next;
			it->h_next = b[k];
			b[k] = it;
		}
	}
	free(ob);
}

/* ---- notifications ---- */

static void ep_wake(struct ep *ep)
{
	if (!uk_waitq_empty(&ep->wq))
		uk_waitq_wake_all(&ep->wq);
	uk_file_notify(ep->file, UK_POLLIN | UK_POLLRDNORM);
}

static void epi_free(struct ep *ep, struct epi *it)
{
	rd_remove(ep, it);
	h_unlink(ep, it);
	free(it);
}

static void epi_fired(struct uk_file_watch *w, struct uk_file *f,
		      unsigned events)
{
	struct epi *it = (struct epi *)w;
	struct ep *ep = it->ep;

	(void)f;
	if (events & UK_POLL_RELEASE) { /* watch already off */
		epi_free(ep, it);
		return;
	}
	if (it->disarmed || it->queued || !pp_relevant(events, it->events))
		return;
	rd_append(ep, it);
	ep_wake(ep);
}

/* Poll `it` now and queue it if ready. Returns whether it is. */
static int epi_check(struct ep *ep, struct epi *it)
{
	if (it->disarmed || !pp_poll_file(it->file, it->events & EP_POLL_BITS))
		return 0;
	if (!it->queued) {
		rd_append(ep, it);
		ep_wake(ep);
	}
	return 1;
}

/* Move ready items of the list into `out` (at most `max`). */
static int harvest(struct ep *ep, struct uk_epoll_event *out, int max)
{
	unsigned todo = ep->nready; /* re-queued items are not seen twice */
	int n = 0;

	while (todo-- && n < max && ep->rd_head) {
		struct epi *it = ep->rd_head;
		unsigned r;

		rd_remove(ep, it);
		r = pp_poll_file(it->file, it->events & EP_POLL_BITS);
		if (!r)
			continue;
		out[n].events = r;
		out[n].data = it->data;
		n++;
		if (it->events & UK_EPOLLONESHOT)
			it->disarmed = 1;
		else if (!(it->events & UK_EPOLLET))
			rd_append(ep, it);
	}
	return n;
}

/* ---- the instance as a file ---- */

static unsigned ep_poll(struct uk_file *f, unsigned events,
			struct uk_waitq **wq)
{
	struct ep *ep = f->priv;
	unsigned todo = ep->nready;

	if (wq)
		*wq = &ep->wq;
	if (!(events & (UK_POLLIN | UK_POLLRDNORM)))
		return 0;
	/* drop the items that are not ready any more; stop at a ready one */
	while (todo-- && ep->rd_head) {
		struct epi *it = ep->rd_head;

		if (pp_poll_file(it->file, it->events & EP_POLL_BITS))
			return UK_POLLIN;
		rd_remove(ep, it);
	}
	return 0;
}

static void ep_release(struct uk_file *f)
{
	struct ep *ep = f->priv;

	for (unsigned i = 0; i < ep->nbuckets; i++) {
		struct epi *it = ep->buckets[i], *next;

		for (; it; it = next) {
			next = it->h_next;
			uk_file_watch_del(it->file, &it->w);
			free(it);
		}
	}
	free(ep->buckets);
	free(ep);
}

static const struct uk_file_ops ep_ops = {
	.poll = ep_poll,
	.release = ep_release,
};

static int ep_create(int flags)
{
	struct ep *ep;
	int fd;

	if (flags & ~UK_EPOLL_CLOEXEC)
		return -EINVAL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	ep->nbuckets = MIN_BUCKETS;
	ep->buckets = calloc(ep->nbuckets, sizeof(*ep->buckets));
	ep->file = ep->buckets ? uk_file_create(&ep_ops, ep, UK_O_RDWR) : NULL;
	if (!ep->file) {
		free(ep->buckets);
		free(ep);
		return -ENOMEM;
	}
	fd = uk_fdtab_alloc(ep->file, (unsigned)flags & UK_O_CLOEXEC);
	if (fd < 0)
		uk_file_put(ep->file);
	return fd;
}

UK_SYSCALL_R_DEFINE(int, epoll_create1, int, flags)
{
	return ep_create(flags);
}

UK_SYSCALL_R_DEFINE(int, epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return ep_create(0);
}

/* Whether watching `target` from `ep` would close a loop or nest deeper
 * than UK_EPOLL_MAX_NEST instances. */
static int would_loop(struct ep *ep, struct uk_file *target, int depth)
{
	struct ep *t;

	if (!uk_epoll_is(target))
		return 0;
	if (target == ep->file || depth >= UK_EPOLL_MAX_NEST)
		return 1;
	t = target->priv;
	for (unsigned i = 0; i < t->nbuckets; i++)
		for (struct epi *it = t->buckets[i]; it; it = it->h_next)
			if (would_loop(ep, it->file, depth + 1))
				return 1;
	return 0;
}

/* Regular files and directories cannot be watched (Linux: EPERM). */
static int pollable(struct uk_file *f)
{
	struct uk_stat st;

	if (f->ops->poll)
		return 1;
	memset(&st, 0, sizeof(st));
	if (f->ops->fstat && f->ops->fstat(f, &st) == 0 &&
	    (UK_S_ISTYPE(st.st_mode, UK_S_IFREG) ||
	     UK_S_ISTYPE(st.st_mode, UK_S_IFDIR)))
		return 0;
	return 1;
}

static int ep_ctl(struct ep *ep, int op, int fd, struct uk_file *tf,
		  const struct uk_epoll_event *ev)
{
	struct epi *it = lookup(ep, fd, tf);
	uint32_t events = 0;

	if (op == UK_EPOLL_CTL_ADD || op == UK_EPOLL_CTL_MOD) {
		events = ev->events;
		if (events & ~EP_USER_BITS)
			events &= EP_USER_BITS; /* Linux ignores unknown bits */
		if ((events & UK_EPOLLEXCLUSIVE) &&
		    ((op == UK_EPOLL_CTL_MOD) || (events & UK_EPOLLONESHOT) ||
		     uk_epoll_is(tf)))
			return -EINVAL;
		events |= PP_ALWAYS;
	}
	switch (op) {
	case UK_EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		if (would_loop(ep, tf, 0))
			return -ELOOP;
		it = calloc(1, sizeof(*it));
		if (!it)
			return -ENOMEM;
		it->ep = ep;
		it->file = tf;
		it->fd = fd;
		it->events = events;
		it->data = ev->data;
		it->w.fn = epi_fired;
		uk_file_watch_add(tf, &it->w);
		{
			unsigned k = bucket_of(ep, fd);

			it->h_next = ep->buckets[k];
			ep->buckets[k] = it;
			ep->nitems++;
		}
		h_grow(ep);
		epi_check(ep, it);
		return 0;
	case UK_EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & UK_EPOLLEXCLUSIVE)
			return -EINVAL;
		it->events = events;
		it->data = ev->data;
		it->disarmed = 0;
		if (!epi_check(ep, it))
			rd_remove(ep, it);
		return 0;
	case UK_EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		uk_file_watch_del(tf, &it->w);
		epi_free(ep, it);
		return 0;
	default:
		return -EINVAL;
	}
}

UK_SYSCALL_R_DEFINE(int, epoll_ctl, int, epfd, int, op, int, fd,
		    const struct uk_epoll_event *, event)
{
	struct uk_file *ef, *tf;
	int r;

	if ((op == UK_EPOLL_CTL_ADD || op == UK_EPOLL_CTL_MOD) && !event)
		return -EFAULT;
	ef = uk_fdtab_get(epfd);
	if (!ef)
		return -EBADF;
	tf = uk_fdtab_get(fd);
	if (!tf) {
		uk_file_put(ef);
		return -EBADF;
	}
	if (!pollable(tf))
		r = -EPERM;
	else if (ef == tf || !uk_epoll_is(ef))
		r = -EINVAL;
	else
		r = ep_ctl(ef->priv, op, fd, tf, event);
	uk_file_put(tf);
	uk_file_put(ef);
	return r;
}

/* timeout in ns, UK_SCHED_FOREVER: none */
static int ep_wait(int epfd, struct uk_epoll_event *events, int maxevents,
		   uint64_t timeout)
{
	struct uk_file *f;
	struct ep *ep;
	uint64_t deadline;
	int n, rc;

	if (maxevents <= 0 ||
	    (size_t)maxevents > INT_MAX / sizeof(struct uk_epoll_event))
		return -EINVAL;
	if (!events)
		return -EFAULT;
	f = uk_fdtab_get(epfd);
	if (!f)
		return -EBADF;
	if (!uk_epoll_is(f)) {
		uk_file_put(f);
		return -EINVAL;
	}
	ep = f->priv;
	if (timeout == UK_SCHED_FOREVER)
		deadline = UK_SCHED_FOREVER;
	else if (timeout == 0 || !pp_can_block())
		deadline = 0;
	else
		deadline = pp_deadline_in(timeout);
	for (int yielded = 0;;) { /* each pass follows a wake-up */
		n = harvest(ep, events, maxevents);
		if (n || !pp_can_block())
			break;
		if (deadline == 0) {
			/*
			 * Nothing ready and no waiting: let the other threads
			 * run once and look again. Under a cooperative
			 * scheduler a program that polls in a loop without
			 * sleeping (redis serving clients from inside a long
			 * Lua script) would otherwise starve the network's
			 * receive thread and never see the events it polls
			 * for.
			 */
			if (yielded++)
				break;
			uk_sched_yield();
			continue;
		}
		rc = uk_waitq_wait_intr(&ep->wq, deadline);
		if (rc == -ETIMEDOUT) {
			n = harvest(ep, events, maxevents);
			break;
		}
		if (rc == -EINTR) {
			n = -EINTR; /* a signal handler first; no restart */
			break;
		}
	}
	uk_file_put(f); /* we held the instance: it lives until here */
	return n;
}

static uint64_t ms_ns(int timeout)
{
	return timeout < 0 ? UK_SCHED_FOREVER : (uint64_t)timeout * PP_NS_MS;
}

UK_SYSCALL_R_DEFINE(int, epoll_wait, int, epfd, struct uk_epoll_event *, events,
		    int, maxevents, int, timeout)
{
	return ep_wait(epfd, events, maxevents, ms_ns(timeout));
}

UK_SYSCALL_R_DEFINE(int, epoll_pwait, int, epfd, struct uk_epoll_event *,
		    events, int, maxevents, int, timeout, const void *, sigmask,
		    size_t, sigsetsize)
{
	int r;

	if (sigmask && sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	pp_sigmask_push(sigmask);
	r = ep_wait(epfd, events, maxevents, ms_ns(timeout));
	pp_sigmask_pop(sigmask, r);
	return r;
}

struct ep_timespec {
	long tv_sec, tv_nsec;
};

UK_SYSCALL_R_DEFINE(int, epoll_pwait2, int, epfd, struct uk_epoll_event *,
		    events, int, maxevents, const struct ep_timespec *, ts,
		    const void *, sigmask, size_t, sigsetsize)
{
	uint64_t ns = UK_SCHED_FOREVER;
	int n;

	if (sigmask && sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (ts) {
		if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
		    (unsigned long)ts->tv_nsec >= PP_NS_SEC)
			return -EINVAL;
		if ((unsigned long)ts->tv_sec >=
		    (UK_SCHED_FOREVER - 1) / PP_NS_SEC)
			ns = UK_SCHED_FOREVER - 1;
		else
			ns = (uint64_t)ts->tv_sec * PP_NS_SEC +
			     (uint64_t)ts->tv_nsec;
	}
	pp_sigmask_push(sigmask);
	n = ep_wait(epfd, events, maxevents, ns);
	pp_sigmask_pop(sigmask, n);
	return n;
}
