/* SPDX-License-Identifier: BSD-3-Clause */
/* eventfd: a 64-bit counter behind a descriptor. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/posixevent.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "event_impl.h"

#define MAXV 0xfffffffffffffffeULL

struct efd {
	uint64_t count;
	int sem;
	struct uk_waitq rq, wq;
};

static ssize_t e_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct efd *e = f->priv;
	uint64_t v;
	int r;

	(void)off;
	if (len < 8)
		return -EINVAL;
	while (!e->count) { /* each pass follows a wake-up */
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = uk_event_sleep(&e->rq, UK_SCHED_FOREVER);
		if (r)
			return r;
	}
	v = e->sem ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, 8);
	uk_waitq_wake_all(&e->wq);
	uk_file_notify(f, UK_POLLOUT | UK_POLLWRNORM);
	return 8;
}

static ssize_t e_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	struct efd *e = f->priv;
	uint64_t v;
	int r;

	(void)off;
	if (len < 8)
		return -EINVAL;
	memcpy(&v, buf, 8);
	if (v == UINT64_MAX)
		return -EINVAL;
	while (MAXV - e->count < v) { /* each pass follows a wake-up */
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = uk_event_sleep(&e->wq, UK_SCHED_FOREVER);
		if (r)
			return r;
	}
	e->count += v;
	if (v) {
		uk_waitq_wake_all(&e->rq);
		uk_file_notify(f, UK_POLLIN | UK_POLLRDNORM);
	}
	return 8;
}

static unsigned e_poll(struct uk_file *f, unsigned events, struct uk_waitq **wq)
{
	struct efd *e = f->priv;
	unsigned r = 0;

	if (e->count)
		r |= UK_POLLIN | UK_POLLRDNORM;
	if (e->count < MAXV)
		r |= UK_POLLOUT | UK_POLLWRNORM;
	if (wq)
		*wq = &e->rq;
	return r & (events | UK_POLLERR | UK_POLLHUP);
}

static int e_fstat(struct uk_file *f, struct uk_stat *st)
{
	(void)f;
	st->st_mode = 0600; /* an anonymous inode: no type bits */
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static void e_release(struct uk_file *f)
{
	free(f->priv);
}

static const struct uk_file_ops efd_ops = {
	.read = e_read,
	.write = e_write,
	.poll = e_poll,
	.fstat = e_fstat,
	.release = e_release,
};

int uk_eventfd_is(const struct uk_file *f)
{
	return f->ops == &efd_ops;
}

UK_SYSCALL_R_DEFINE(int, eventfd2, unsigned, initval, int, flags)
{
	unsigned fl = (unsigned)flags;
	struct efd *e;
	struct uk_file *f;
	int fd;

	if (fl & ~(UK_EFD_SEMAPHORE | UK_O_NONBLOCK | UK_O_CLOEXEC))
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->count = initval;
	e->sem = fl & UK_EFD_SEMAPHORE;
	f = uk_file_create(&efd_ops, e, UK_O_RDWR | (fl & UK_O_NONBLOCK));
	if (!f) {
		free(e);
		return -ENOMEM;
	}
	fd = uk_fdtab_alloc(f, fl & UK_O_CLOEXEC);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

UK_SYSCALL_R_DEFINE(int, eventfd, unsigned, initval)
{
	return uk_syscall_call(eventfd2, initval, 0);
}
