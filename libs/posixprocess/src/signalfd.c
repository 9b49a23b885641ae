/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * signalfd / signalfd4: a descriptor that reads the caller's pending
 * signals of a mask as struct signalfd_siginfo records (they are taken, as
 * sigtimedwait takes them), pollable (readable while one of them is
 * pending for the polling thread or its process). Readers block in an
 * interruptible wait, woken like sigtimedwait's; every signal generated
 * notifies the open signalfd files (uk_process_signal_notify), so that
 * poll/select/epoll see them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/file.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "signal_impl.h"

#pragma weak uk_waitq_wait_intr

#define SFD_CLOEXEC_  02000000
#define SFD_NONBLOCK_ 04000

struct sfd {
	uint64_t mask;
	struct uk_file *f;
	struct sfd *next, *prev;
};

/* struct signalfd_siginfo */
struct pp_sfd_info {
	uint32_t signo;
	int32_t errcode, code;
	uint32_t pid, uid;
	int32_t fd;
	uint32_t tid, band, overrun, trapno;
	int32_t status, intval;
	uint64_t ptr, utime, stime, addr;
	uint16_t addr_lsb;
	uint8_t pad[46];
};
_Static_assert(sizeof(struct pp_sfd_info) == 128, "signalfd_siginfo");

static struct sfd *all; /* every open signalfd, for notifications */

static void to_sfd(const struct pp_siginfo *i, struct pp_sfd_info *o)
{
	memset(o, 0, sizeof(*o));
	o->signo = (uint32_t)i->signo;
	o->errcode = i->errcode;
	o->code = i->code;
	switch (i->code) {
	case SI_TIMER_:
		o->tid = (uint32_t)i->timer.tid;
		o->overrun = (uint32_t)i->timer.overrun;
		o->ptr = i->timer.value;
		o->intval = (int32_t)i->timer.value;
		break;
	default:
		o->pid = (uint32_t)i->k.pid;
		o->uid = (uint32_t)i->k.uid;
		if (i->signo == SIGCHLD_) {
			o->status = i->k.status;
			o->utime = (uint64_t)i->k.utime;
			o->stime = (uint64_t)i->k.stime;
		} else {
			o->ptr = i->k.value;
			o->intval = (int32_t)i->k.value;
		}
		break;
	}
}

static ssize_t sfd_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct sfd *s = f->priv;
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = pp_tsig(t);
	struct pp_siginfo info;
	size_t done = 0;
	int rc = 0;

	(void)off;
	if (len < sizeof(struct pp_sfd_info))
		return -EINVAL;
	if (!d)
		return -ENOMEM;
	/* bounded by the buffer and by the wake-ups (a signal each) */
	for (;;) {
		while (done + sizeof(struct pp_sfd_info) <= len &&
		       pp_take_signal(t, s->mask, &info)) {
			to_sfd(&info,
			       (struct pp_sfd_info *)((char *)buf + done));
			done += sizeof(struct pp_sfd_info);
		}
		if (done)
			return (ssize_t)done;
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		if (rc == -EINTR || !uk_waitq_wait_intr)
			return rc == -EINTR ? -UK_ERESTARTSYS : -EAGAIN;
		d->waitset = s->mask;
		d->waiting = 1;
		rc = uk_waitq_wait_intr(&d->wq, UK_SCHED_FOREVER);
		d->waiting = 0;
	}
}

static unsigned sfd_poll(struct uk_file *f, unsigned events,
			 struct uk_waitq **wq)
{
	struct sfd *s = f->priv;
	struct uk_thread *t = pp_current();

	if (wq)
		*wq = NULL;
	return pp_pending_of(t, s->mask) ? (events & UK_POLLIN) : 0;
}

static void sfd_release(struct uk_file *f)
{
	struct sfd *s = f->priv;

	if (s->prev)
		s->prev->next = s->next;
	else
		all = s->next;
	if (s->next)
		s->next->prev = s->prev;
	free(s);
}

static const struct uk_file_ops sfd_ops = {
	.read = sfd_read,
	.poll = sfd_poll,
	.release = sfd_release,
};

void uk_process_signal_notify(void)
{
	/* bounded: the open signalfd files */
	for (struct sfd *s = all; s; s = s->next)
		uk_file_notify(s->f, UK_POLLIN);
}

UK_SYSCALL_R_DEFINE(int, signalfd4, int, fd, const uint64_t *, mask, size_t,
		    size, int, flags)
{
	struct uk_file *f;
	struct sfd *s;
	int r;

	if (size != SIGSETSZ)
		return -EINVAL;
	if (flags & ~(SFD_CLOEXEC_ | SFD_NONBLOCK_))
		return -EINVAL;
	if (!mask)
		return -EFAULT;
	if (fd != -1) {
		f = uk_fdtab_get(fd);
		if (!f)
			return -EBADF;
		if (f->ops != &sfd_ops) {
			uk_file_put(f);
			return -EINVAL;
		}
		((struct sfd *)f->priv)->mask = *mask & ~UNBLOCKABLE_;
		uk_file_notify(f, UK_POLLIN);
		uk_file_put(f);
		return fd;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->mask = *mask & ~UNBLOCKABLE_;
	f = uk_file_create(&sfd_ops, s,
			   UK_O_RDONLY |
				   (flags & SFD_NONBLOCK_ ? UK_O_NONBLOCK : 0));
	if (!f) {
		free(s);
		return -ENOMEM;
	}
	s->f = f;
	s->next = all;
	if (all)
		all->prev = s;
	all = s;
	r = uk_fdtab_alloc(f, flags & SFD_CLOEXEC_ ? UK_O_CLOEXEC : 0);
	if (r < 0)
		uk_file_put(f); /* releases s too */
	return r;
}

UK_SYSCALL_R_DEFINE(int, signalfd, int, fd, const uint64_t *, mask, size_t,
		    size)
{
	return (int)uk_syscall_call(signalfd4, fd, mask, size, 0);
}
