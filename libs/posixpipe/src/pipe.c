/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipes and FIFOs: a ring buffer (UK_PIPE_SIZE bytes unless F_SETPIPE_SZ
 * changed it) shared by the ends
 * (files) open on it. Readers sleep on `rq`, writers on `wq`, FIFO opens on
 * `oq`; every change of readiness also goes to the ends' watchers
 * (uk_file_notify) for poll/select/epoll. UP, cooperative: nothing changes
 * between a check and its use unless the thread sleeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/pipe.h>
#include <uk/sched.h>
#include <uk/syscall.h>

#define FIONREAD_     0x541B
#define F_SETPIPE_SZ_ 1031
#define F_GETPIPE_SZ_ 1032
#define PAGE_	      4096
#define SIGPIPE_      13
#define HDR	      2 /* packet mode: a 16-bit length before each packet */
#define IN_EV	      (UK_POLLIN | UK_POLLRDNORM)
#define OUT_EV	      (UK_POLLOUT | UK_POLLWRNORM)

struct pipe;

struct pend { /* one open end: the priv of its file */
	struct pend *next;
	struct pipe *p;
	struct uk_file *f;
	int rd, wr;
};

struct pipe {
	char *buf;
	size_t size;	  /* of buf */
	size_t head, len; /* ring: bytes at head..head+len (mod size) */
	size_t bytes;	  /* payload bytes (len less packet headers) */
	unsigned readers, writers;
	unsigned long ropens, wopens; /* FIFO opens so far, per side */
	int packet;
	uint64_t ino;
	void **slot; /* FIFO: where the vnode keeps us */
	/* FIFO: drops the one reference to the vnode the pipe holds while
	 * it has ends (later opens' references are dropped at once) */
	void (*put)(void *arg);
	void *arg;
	struct pend *ends;
	struct uk_waitq rq, wq, oq;
};

static uint64_t next_ino = 1;

/*
 * The one place a pipe sleeps: until woken (0), or until a signal the thread
 * must handle arrives (posixprocess interrupts the wait): -UK_ERESTARTSYS.
 */
static int sleep_on(struct uk_waitq *wq)
{
	/* Linux's ERESTARTSYS: made again under SA_RESTART, else EINTR */
	if (uk_waitq_wait_intr(wq, UK_SCHED_FOREVER) == -EINTR)
		return -UK_ERESTARTSYS;
	return 0;
}

/*
 * A write found no reader: SIGPIPE to the writing thread, through the
 * shim so that whichever signal library the image has decides what happens
 * (posixprocess: delivered on the way out of the call; default action: the
 * image ends with 128 + 13).
 */
static void raise_sigpipe(void)
{
	long tid = uk_syscall_call(gettid);

	uk_syscall_call(tkill, tid, SIGPIPE_);
}

static void notify(struct pipe *p, unsigned rd_ev, unsigned wr_ev)
{
	for (struct pend *e = p->ends; e; e = e->next) {
		unsigned ev = (e->rd ? rd_ev : 0) | (e->wr ? wr_ev : 0);

		if (ev)
			uk_file_notify(e->f, ev);
	}
}

static void ring_put(struct pipe *p, const void *src, size_t n)
{
	size_t at = (p->head + p->len) % p->size;
	size_t first = p->size - at < n ? p->size - at : n;

	memcpy(p->buf + at, src, first);
	memcpy(p->buf, (const char *)src + first, n - first);
	p->len += n;
}

/* Copy n bytes from the ring's head into dst (NULL: drop them). */
static void ring_get(struct pipe *p, void *dst, size_t n)
{
	size_t first = p->size - p->head < n ? p->size - p->head : n;

	if (dst) {
		memcpy(dst, p->buf + p->head, first);
		memcpy((char *)dst + first, p->buf, n - first);
	}
	p->head = (p->head + n) % p->size;
	p->len -= n;
}

/* Payload bytes a write could add now as one piece. */
static size_t room(const struct pipe *p)
{
	size_t free_ = p->size - p->len;

	if (!p->packet)
		return free_;
	return free_ > HDR ? free_ - HDR : 0;
}

static ssize_t p_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct pend *e = f->priv;
	struct pipe *p = e->p;
	size_t n;
	int r;

	(void)off;
	if (!len)
		return 0;
	while (!p->len) { /* each pass follows a wake-up */
		if (!p->writers)
			return 0;
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&p->rq);
		if (r)
			return r;
	}
	if (p->packet) {
		uint16_t plen;

		ring_get(p, &plen, HDR);
		n = plen < len ? plen : len;
		ring_get(p, buf, n);
		ring_get(p, NULL, plen - n); /* what did not fit is gone */
		p->bytes -= plen;
	} else {
		n = p->len < len ? p->len : len;
		ring_get(p, buf, n);
		p->bytes -= n;
	}
	uk_waitq_wake_all(&p->wq);
	notify(p, 0, OUT_EV);
	return (ssize_t)n;
}

static ssize_t p_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	struct pend *e = f->priv;
	struct pipe *p = e->p;
	const char *src = buf;
	size_t done = 0;
	int r;

	(void)off;
	if (!len)
		return 0;
	for (;;) { /* each pass writes a piece or follows a wake-up */
		size_t want = len - done, n;

		if (!p->readers) {
			raise_sigpipe();
			return done ? (ssize_t)done : -EPIPE;
		}
		if (p->packet && want > UK_PIPE_BUF)
			want = UK_PIPE_BUF;
		if (p->packet && want > p->size - HDR)
			want = p->size - HDR; /* a 4 KiB pipe: 4094 */
		n = room(p);
		/* up to PIPE_BUF bytes (and every packet) go in whole */
		if (n >= want || (!p->packet && len > UK_PIPE_BUF && n)) {
			n = n < want ? n : want;
			if (p->packet) {
				uint16_t plen = (uint16_t)n;

				ring_put(p, &plen, HDR);
			}
			ring_put(p, src + done, n);
			p->bytes += n;
			done += n;
			uk_waitq_wake_all(&p->rq);
			notify(p, IN_EV, 0);
			if (done == len)
				return (ssize_t)done;
			continue;
		}
		if (f->flags & UK_O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		r = sleep_on(&p->wq);
		if (r)
			return done ? (ssize_t)done : r;
	}
}

static unsigned p_poll(struct uk_file *f, unsigned events, struct uk_waitq **wq)
{
	struct pend *e = f->priv;
	struct pipe *p = e->p;
	unsigned r = 0;

	if (e->rd) {
		if (p->len)
			r |= IN_EV;
		if (!p->writers)
			r |= UK_POLLHUP;
	}
	if (e->wr) {
		/* room for an atomic write (all of a pipe smaller than that) */
		if (room(p) >= UK_PIPE_BUF || !p->len)
			r |= OUT_EV;
		if (!p->readers)
			r |= UK_POLLERR;
	}
	if (wq)
		*wq = e->rd ? &p->rq : &p->wq;
	return r & (events | UK_POLLHUP | UK_POLLERR);
}

static int p_fstat(struct uk_file *f, struct uk_stat *st)
{
	struct pend *e = f->priv;

	st->st_mode = UK_S_IFIFO | 0600;
	st->st_ino = e->p->ino;
	st->st_nlink = 1;
	st->st_blksize = UK_PIPE_BUF;
	return 0;
}

static int p_ioctl(struct uk_file *f, unsigned long cmd, void *arg)
{
	struct pend *e = f->priv;

	if (cmd != FIONREAD_)
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	*(int *)arg = (int)e->p->bytes;
	return 0;
}

/* F_SETPIPE_SZ: Linux rounds up to a power of two of pages (one page at
 * least); refuses less room than the data in the pipe (EBUSY). */
static int p_setsize(struct pipe *p, unsigned long arg)
{
	size_t want = PAGE_, i;
	char *nb;

	if (arg > UK_PIPE_MAX_SIZE)
		return arg > 0x80000000UL ? -EINVAL : -EPERM;
	while (want < arg) /* bounded: UK_PIPE_MAX_SIZE */
		want <<= 1;
	if (want == p->size)
		return (int)want;
	if (want < p->len)
		return -EBUSY;
	nb = malloc(want);
	if (!nb)
		return -ENOMEM;
	for (i = 0; i < p->len; i++) /* unwrap the ring */
		nb[i] = p->buf[(p->head + i) % p->size];
	free(p->buf);
	p->buf = nb;
	p->head = 0;
	p->size = want;
	uk_waitq_wake_all(&p->wq); /* more room, maybe */
	notify(p, 0, OUT_EV);
	return (int)want;
}

static int p_fcntl(struct uk_file *f, int cmd, unsigned long arg)
{
	struct pend *e = f->priv;

	if (cmd == F_GETPIPE_SZ_)
		return (int)e->p->size;
	if (cmd == F_SETPIPE_SZ_)
		return p_setsize(e->p, arg);
	return -EINVAL;
}

static void p_release(struct uk_file *f)
{
	struct pend *e = f->priv, **pp;
	struct pipe *p = e->p;

	for (pp = &p->ends; *pp != e;)
		pp = &(*pp)->next;
	*pp = e->next;
	if (e->rd && !--p->readers) { /* writers see EPIPE */
		uk_waitq_wake_all(&p->wq);
		notify(p, 0, UK_POLLERR);
	}
	if (e->wr && !--p->writers) { /* readers see EOF */
		uk_waitq_wake_all(&p->rq);
		notify(p, UK_POLLHUP, 0);
	}
	free(e);
	if (!p->ends) {
		/* the slot first: the put may free the vnode it is in */
		if (p->slot)
			*p->slot = NULL;
		if (p->put)
			p->put(p->arg);
		free(p->buf);
		free(p);
	}
}

static const struct uk_file_ops pipe_ops = {
	.read = p_read,
	.write = p_write,
	.fstat = p_fstat,
	.ioctl = p_ioctl,
	.poll = p_poll,
	.release = p_release,
	.fcntl = p_fcntl,
};

int uk_pipe_is(const struct uk_file *f)
{
	return f->ops == &pipe_ops;
}

static struct pipe *pipe_new(int packet)
{
	struct pipe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->size = UK_PIPE_SIZE;
	p->buf = malloc(p->size);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	p->packet = packet;
	p->ino = next_ino++;
	return p;
}

/* A new end of `p` (not counted as reader/writer yet). */
static struct uk_file *end_new(struct pipe *p, unsigned flags)
{
	struct pend *e = calloc(1, sizeof(*e));
	unsigned acc = flags & UK_O_ACCMODE;

	if (!e)
		return NULL;
	e->f = uk_file_create(&pipe_ops, e, flags);
	if (!e->f) {
		free(e);
		return NULL;
	}
	e->p = p;
	e->rd = acc == UK_O_RDONLY || acc == UK_O_RDWR;
	e->wr = acc == UK_O_WRONLY || acc == UK_O_RDWR;
	e->next = p->ends;
	p->ends = e;
	p->readers += e->rd;
	p->writers += e->wr;
	p->ropens += e->rd;
	p->wopens += e->wr;
	return e->f;
}

int uk_pipe_create(unsigned flags, struct uk_file *f[2])
{
	struct pipe *p;

	if (flags & ~(UK_O_NONBLOCK | UK_O_DIRECT))
		return -EINVAL;
	p = pipe_new(!!(flags & UK_O_DIRECT));
	if (!p)
		return -ENOMEM;
	f[0] = end_new(p, UK_O_RDONLY | flags);
	f[1] = f[0] ? end_new(p, UK_O_WRONLY | flags) : NULL;
	if (!f[1]) {
		if (f[0])
			uk_file_put(f[0]); /* frees p */
		else
			free(p->buf), free(p);
		return -ENOMEM;
	}
	return 0;
}

int uk_pipe_fifo_open(void **slot, unsigned flags, void (*put)(void *arg),
		      void *arg, struct uk_file **out)
{
	struct pipe *p = *slot;
	unsigned acc = flags & UK_O_ACCMODE;
	struct uk_file *f;
	unsigned long seen;

	if (acc == 3)
		return -EINVAL;
	if (!p && acc == UK_O_WRONLY && (flags & UK_O_NONBLOCK))
		return -ENXIO; /* no reader */
	if (!p) {
		p = pipe_new(0);
		if (!p)
			return -ENOMEM;
		p->slot = slot;
		*slot = p;
	}
	if (acc == UK_O_WRONLY && (flags & UK_O_NONBLOCK) && !p->readers)
		return -ENXIO; /* p has ends: it stays */
	f = end_new(p, flags & ~(UK_O_CREAT | UK_O_EXCL | UK_O_TRUNC |
				 UK_O_NOCTTY | UK_O_CLOEXEC));
	if (!f) {
		if (!p->ends) {
			*slot = NULL;
			free(p->buf), free(p);
		}
		return -ENOMEM;
	}
	/* the other side may be waiting in its open, or for data */
	uk_waitq_wake_all(&p->oq);
	uk_waitq_wake_all(&p->rq);
	uk_waitq_wake_all(&p->wq);
	notify(p, IN_EV | UK_POLLHUP, OUT_EV | UK_POLLERR); /* re-poll */
	if (!(flags & UK_O_NONBLOCK) && acc != UK_O_RDWR) {
		/* until an open of the other side (it may have closed again) */
		seen = acc == UK_O_RDONLY ? p->wopens : p->ropens;
		while ((acc == UK_O_RDONLY ? p->wopens : p->ropens) == seen &&
		       !(acc == UK_O_RDONLY ? p->writers : p->readers)) {
			int r = sleep_on(&p->oq);

			if (r) {
				uk_file_put(f);
				return r;
			}
		}
	}
	if (!p->put) { /* the pipe keeps this open's vnode reference */
		p->put = put;
		p->arg = arg;
	} else if (put) {
		put(arg);
	}
	*out = f;
	return 0;
}

int uk_pipe_reopen(struct uk_file *f, unsigned flags, struct uk_file **out)
{
	struct pend *e;
	struct pipe *p;
	struct uk_file *nf;

	if (!uk_pipe_is(f) || (flags & UK_O_ACCMODE) == 3)
		return -EINVAL;
	e = f->priv;
	p = e->p;
	nf = end_new(p, flags & ~(UK_O_CREAT | UK_O_EXCL | UK_O_TRUNC |
				  UK_O_NOCTTY | UK_O_CLOEXEC));
	if (!nf)
		return -ENOMEM;
	/* a FIFO's vnode stays held by the pipe while it has ends */
	uk_waitq_wake_all(&p->rq);
	uk_waitq_wake_all(&p->wq);
	uk_waitq_wake_all(&p->oq);
	notify(p, IN_EV | UK_POLLHUP, OUT_EV | UK_POLLERR);
	*out = nf;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, pipe2, int *, fds, int, flags)
{
	struct uk_file *f[2];
	int r, fd0, fd1;

	if ((unsigned)flags & ~(UK_O_CLOEXEC | UK_O_NONBLOCK | UK_O_DIRECT))
		return -EINVAL;
	if (!fds)
		return -EFAULT;
	r = uk_pipe_create((unsigned)flags & ~UK_O_CLOEXEC, f);
	if (r)
		return r;
	fd0 = uk_fdtab_alloc(f[0], (unsigned)flags & UK_O_CLOEXEC);
	if (fd0 < 0) {
		uk_file_put(f[0]);
		uk_file_put(f[1]);
		return fd0;
	}
	fd1 = uk_fdtab_alloc(f[1], (unsigned)flags & UK_O_CLOEXEC);
	if (fd1 < 0) {
		uk_file_put(f[1]);
		uk_syscall_call(close, fd0);
		return fd1;
	}
	fds[0] = fd0;
	fds[1] = fd1;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, pipe, int *, fds)
{
	return uk_syscall_call(pipe2, fds, 0);
}

/* ---- splice, tee, vmsplice ---- */

#define SPLICE_F_MOVE_	   1
#define SPLICE_F_NONBLOCK_ 2
#define SPLICE_F_MORE_	   4
#define SPLICE_F_GIFT_	   8
#define SPLICE_FLAGS_ \
	(SPLICE_F_MOVE_ | SPLICE_F_NONBLOCK_ | SPLICE_F_MORE_ | SPLICE_F_GIFT_)
#define CHUNK_	 65536 /* bytes moved per call at most */
#define IOV_MAX_ 1024

/* Copy n bytes from `skip` bytes after the ring's head, consuming nothing. */
static void ring_peek(struct pipe *p, size_t skip, void *dst, size_t n)
{
	size_t at = (p->head + skip) % p->size;
	size_t first = p->size - at < n ? p->size - at : n;

	memcpy(dst, p->buf + at, first);
	memcpy((char *)dst + first, p->buf, n - first);
}

static int nonblocking(struct uk_file *f, unsigned flags)
{
	return (flags & SPLICE_F_NONBLOCK_) || (f->flags & UK_O_NONBLOCK);
}

/* Wait for data in the read end `f`: 1 data, 0 end of file, or -EAGAIN /
 * a sleep's error. */
static int wait_data(struct uk_file *f, unsigned flags)
{
	struct pipe *p = ((struct pend *)f->priv)->p;

	while (!p->len) { /* each pass follows a wake-up */
		int r;

		if (!p->writers)
			return 0;
		if (nonblocking(f, flags))
			return -EAGAIN;
		r = sleep_on(&p->rq);
		if (r)
			return r;
	}
	return 1;
}

/* Wait for room in the write end `f`: 0, -EPIPE (and SIGPIPE) without
 * readers, -EAGAIN, or a sleep's error. */
static int wait_room(struct uk_file *f, unsigned flags)
{
	struct pipe *p = ((struct pend *)f->priv)->p;

	for (;;) { /* each pass follows a wake-up */
		int r;

		if (!p->readers) {
			raise_sigpipe();
			return -EPIPE;
		}
		if (room(p))
			return 0;
		if (nonblocking(f, flags))
			return -EAGAIN;
		r = sleep_on(&p->wq);
		if (r)
			return r;
	}
}

static void took(struct pipe *p, size_t n)
{
	ring_get(p, NULL, n);
	p->bytes -= n;
	uk_waitq_wake_all(&p->wq);
	notify(p, 0, OUT_EV);
}

static void gave(struct pipe *p, const void *src, size_t n)
{
	ring_put(p, src, n);
	p->bytes += n;
	uk_waitq_wake_all(&p->rq);
	notify(p, IN_EV, 0);
}

/* A descriptor's file for splice: referenced; `acc` 1 read, 2 write. */
static int splice_file(int fd, unsigned acc, struct uk_file **out)
{
	struct uk_file *f = uk_fdtab_get(fd);
	unsigned m;

	if (!f)
		return -EBADF;
	m = f->flags & UK_O_ACCMODE;
	if ((f->flags & UK_O_PATH) || (acc == 1 && m == UK_O_WRONLY) ||
	    (acc == 2 && m == UK_O_RDONLY)) {
		uk_file_put(f);
		return -EBADF;
	}
	if (uk_pipe_is(f) && ((struct pend *)f->priv)->p->packet) {
		uk_file_put(f);
		return -EINVAL; /* packet mode (O_DIRECT): not offered */
	}
	*out = f;
	return 0;
}

/* Between pipe ends; the caller checked the ends and their directions. */
static ssize_t pipe_to_pipe(struct uk_file *in, struct uk_file *out, size_t len,
			    unsigned flags, int keep)
{
	struct pipe *pi = ((struct pend *)in->priv)->p;
	struct pipe *po = ((struct pend *)out->priv)->p;
	char *buf;
	size_t n;
	int r = wait_data(in, flags);

	if (r <= 0)
		return r;
	r = wait_room(out, flags);
	if (r)
		return r;
	n = pi->len < len ? pi->len : len;
	n = room(po) < n ? room(po) : n;
	n = n < CHUNK_ ? n : CHUNK_;
	buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	ring_peek(pi, 0, buf, n);
	gave(po, buf, n);
	if (!keep) /* tee leaves the input as it is */
		took(pi, n);
	free(buf);
	return (ssize_t)n;
}

/* Positional access of a file other than a pipe: *off (or the file's). */
static off_t *file_off(struct uk_file *f, const off_t *user, off_t *local)
{
	if (!user)
		return &f->off;
	*local = *user;
	return local;
}

static ssize_t do_splice(struct uk_file *in, off_t *off_in, struct uk_file *out,
			 off_t *off_out, size_t len, unsigned flags)
{
	int pin = uk_pipe_is(in), pout = uk_pipe_is(out);
	off_t pos;
	char *buf;
	ssize_t r;
	size_t n;

	if ((pin && off_in) || (pout && off_out))
		return -ESPIPE;
	if ((off_in && !in->ops->lseek) || (off_out && !out->ops->lseek))
		return -ESPIPE; /* a stream has no offsets */
	if ((off_in && *off_in < 0) || (off_out && *off_out < 0))
		return -EINVAL;
	if (pin && pout) {
		if (((struct pend *)in->priv)->p ==
		    ((struct pend *)out->priv)->p)
			return -EINVAL;
		return pipe_to_pipe(in, out, len, flags, 0);
	}
	if (pin) { /* pipe -> file: only what the file took leaves the pipe */
		struct pipe *p = ((struct pend *)in->priv)->p;
		off_t *o = file_off(out, off_out, &pos);

		if (out->flags & UK_O_APPEND)
			return -EINVAL;
		if (!out->ops->write)
			return -EINVAL;
		r = wait_data(in, flags);
		if (r <= 0)
			return r;
		n = p->len < len ? p->len : len;
		n = n < CHUNK_ ? n : CHUNK_;
		buf = malloc(n);
		if (!buf)
			return -ENOMEM;
		ring_peek(p, 0, buf, n);
		r = out->ops->write(out, buf, n, o);
		free(buf);
		if (r > 0) {
			took(p, (size_t)r);
			if (off_out)
				*off_out = pos;
		}
		return r;
	}
	if (pout) { /* file -> pipe: no more than fits */
		struct pipe *p = ((struct pend *)out->priv)->p;
		off_t *o = file_off(in, off_in, &pos);

		if (!in->ops->read)
			return -EINVAL;
		r = wait_room(out, flags);
		if (r)
			return r;
		n = room(p) < len ? room(p) : len;
		n = n < CHUNK_ ? n : CHUNK_;
		buf = malloc(n);
		if (!buf)
			return -ENOMEM;
		r = in->ops->read(in, buf, n, o);
		if (r > 0) {
			gave(p, buf, (size_t)r);
			if (off_in)
				*off_in = pos;
		}
		free(buf);
		return r;
	}
	return -EINVAL; /* one side must be a pipe */
}

UK_SYSCALL_R_DEFINE(ssize_t, splice, int, fd_in, off_t *, off_in, int, fd_out,
		    off_t *, off_out, size_t, len, unsigned, flags)
{
	struct uk_file *in, *out;
	ssize_t r;

	if (flags & ~SPLICE_FLAGS_)
		return -EINVAL;
	if (!len)
		return 0;
	r = splice_file(fd_in, 1, &in);
	if (r)
		return r;
	r = splice_file(fd_out, 2, &out);
	if (r) {
		uk_file_put(in);
		return r;
	}
	r = do_splice(in, off_in, out, off_out, len, flags);
	uk_file_put(out);
	uk_file_put(in);
	return r;
}

UK_SYSCALL_R_DEFINE(ssize_t, tee, int, fd_in, int, fd_out, size_t, len,
		    unsigned, flags)
{
	struct uk_file *in, *out;
	ssize_t r;

	if (flags & ~SPLICE_FLAGS_)
		return -EINVAL;
	if (!len)
		return 0;
	r = splice_file(fd_in, 1, &in);
	if (r)
		return r;
	r = splice_file(fd_out, 2, &out);
	if (r) {
		uk_file_put(in);
		return r;
	}
	if (!uk_pipe_is(in) || !uk_pipe_is(out) ||
	    ((struct pend *)in->priv)->p == ((struct pend *)out->priv)->p)
		r = -EINVAL;
	else
		r = pipe_to_pipe(in, out, len, flags, 1);
	uk_file_put(out);
	uk_file_put(in);
	return r;
}

/* The user's memory into the pipe (a write end) or the pipe's data into
 * it (a read end): copies, as SPLICE_F_GIFT is only a hint. */
UK_SYSCALL_R_DEFINE(ssize_t, vmsplice, int, fd, const struct uk_iovec *, iov,
		    size_t, cnt, unsigned, flags)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct pend *e;
	unsigned saved;
	ssize_t done = 0, r = 0;

	if (!f)
		return -EBADF;
	if (!uk_pipe_is(f)) {
		uk_file_put(f);
		return -EBADF;
	}
	e = f->priv;
	if ((flags & ~SPLICE_FLAGS_) || cnt > IOV_MAX_) {
		uk_file_put(f);
		return -EINVAL;
	}
	if (cnt && !iov) {
		uk_file_put(f);
		return -EFAULT;
	}
	saved = f->flags;
	if (flags & SPLICE_F_NONBLOCK_)
		f->flags |= UK_O_NONBLOCK; /* for this call only */
	for (size_t i = 0; i < cnt; i++) { /* bounded: IOV_MAX_ */
		if (!iov[i].iov_len)
			continue;
		if (!iov[i].iov_base) {
			r = -EFAULT;
			break;
		}
		r = e->wr ? p_write(f, iov[i].iov_base, iov[i].iov_len, NULL)
			  : p_read(f, iov[i].iov_base, iov[i].iov_len, NULL);
		if (r <= 0)
			break;
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
		if (!e->wr && !e->p->len)
			break; /* read what there was; do not wait for more */
	}
	f->flags = (f->flags & ~UK_O_NONBLOCK) | (saved & UK_O_NONBLOCK);
	uk_file_put(f);
	return done ? done : r;
}
