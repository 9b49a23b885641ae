/* SPDX-License-Identifier: BSD-3-Clause */
/* Open file descriptions, the descriptor table and the descriptor calls.
 * UP, cooperative: nothing here blocks or yields between check and use. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <uk/exit.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define RWF_HIPRI	1
#define RWF_DSYNC	2
#define RWF_SYNC	4
#define RWF_NOWAIT	8
#define RWF_APPEND	16
#define FIONBIO		0x5421
#define SEEK_SET_	0
#define SEEK_CUR_	1
#define SEEK_END_	2
#define IOV_MAX_	1024
#define RW_MAX		0x7ffff000UL /* Linux's MAX_RW_COUNT */
#define CLAMP(len)	((len) > RW_MAX ? RW_MAX : (len))

/* status flags F_SETFL may change */
#define SETFL_MASK \
	(UK_O_APPEND | UK_O_NONBLOCK | UK_O_ASYNC | UK_O_DIRECT | UK_O_NOATIME)

struct fdent {
	struct uk_file *f;
	unsigned fdflags;
};

static const struct uk_file_lock_ops *lock_ops;

/* A table: one per process (posixprocess switches `cur` when another
 * process's thread runs); the image's first process has `boot`. The code
 * below names the current table's fields through the macros. */
struct uk_fdtab {
	struct fdent *ents;
	unsigned ents_cap;
	unsigned limit;
	unsigned low;	/* no free descriptor below this one */
	unsigned users; /* processes sharing it (CLONE_FILES) */
};

static struct uk_fdtab boot = {NULL, 0, UK_FDTAB_DEFAULT_LIMIT, 0, 1};
static struct uk_fdtab *cur = &boot;

#define tab	 (cur->ents)
#define tab_cap	 (cur->ents_cap)
#define fd_limit (cur->limit)
#define low_free (cur->low)

struct uk_file *uk_file_create(const struct uk_file_ops *ops, void *priv,
			       unsigned flags)
{
	struct uk_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	f->refs = 1;
	f->flags = flags & ~(UK_O_CREAT | UK_O_EXCL | UK_O_NOCTTY | UK_O_TRUNC |
			     UK_O_CLOEXEC);
	return f;
}

void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w)
{
	w->prev = NULL;
	w->next = f->watch;
	if (f->watch)
		f->watch->prev = w;
	f->watch = w;
}

void uk_file_watch_del(struct uk_file *f, struct uk_file_watch *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		f->watch = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->next = w->prev = NULL;
}

void uk_file_notify_watchers(struct uk_file *f, unsigned events)
{
	struct uk_file_watch *w, *next;

	events &= ~UK_POLL_RELEASE;
	for (w = f->watch; w; w = next) { /* bounded: the watch list */
		next = w->next;
		w->fn(w, f, events);
	}
}

void uk_file_put(struct uk_file *f)
{
	struct uk_file_watch *w;

	if (--f->refs)
		return;
	while ((w = f->watch) != NULL) { /* each pass removes one */
		uk_file_watch_del(f, w);
		w->fn(w, f, UK_POLL_RELEASE);
	}
	if (lock_ops)
		lock_ops->release(f);
	if (f->ops->release)
		f->ops->release(f);
	free(f);
}

off_t uk_file_lseek_size(struct uk_file *f, off_t off, int whence, off_t size)
{
	off_t base;

	if (whence == SEEK_SET_)
		base = 0;
	else if (whence == SEEK_CUR_)
		base = f->off;
	else if (whence == SEEK_END_)
		base = size;
	else
		return -EINVAL;
	if ((off > 0 && base > LONG_MAX - off) || base + off < 0)
		return -EINVAL;
	return f->off = base + off;
}

void uk_file_set_lock_ops(const struct uk_file_lock_ops *ops)
{
	lock_ops = ops;
}

int uk_fdtab_set_limit(unsigned limit)
{
	if (limit == 0 || limit > UK_FDTAB_MAX)
		return -EINVAL;
	fd_limit = limit;
	return 0;
}

unsigned uk_fdtab_get_limit(void)
{
	return fd_limit;
}

static struct uk_file *fd_file(int fd)
{
	if (fd < 0 || (unsigned)fd >= tab_cap)
		return NULL;
	return tab[fd].f;
}

struct uk_file *uk_fdtab_get(int fd)
{
	struct uk_file *f = fd_file(fd);

	return f ? uk_file_ref(f) : NULL;
}

/* Make room for descriptor `fd` (< fd_limit <= UK_FDTAB_MAX). */
static int grow(unsigned fd)
{
	unsigned cap = tab_cap ? tab_cap : 16;
	struct fdent *n;

	while (cap <= fd)
		cap *= 2;
	n = realloc(tab, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + tab_cap, 0, (cap - tab_cap) * sizeof(*n));
	tab = n;
	tab_cap = cap;
	return 0;
}

static void install(int fd, struct uk_file *f, unsigned flags)
{
	if ((unsigned)fd == low_free)
		low_free++;
	tab[fd].f = f;
	tab[fd].fdflags = (flags & UK_O_CLOEXEC) ? UK_FD_CLOEXEC : 0;
}

int uk_fdtab_alloc_from(struct uk_file *f, unsigned flags, int min)
{
	unsigned fd = min < 0 ? 0 : (unsigned)min;

	if (fd < low_free)
		fd = low_free;
	while (fd < tab_cap && tab[fd].f)
		fd++;
	if (min <= (int)low_free)
		low_free = fd; /* nothing free in between */
	if (fd >= fd_limit)
		return -EMFILE;
	if (fd >= tab_cap && grow(fd))
		return -ENOMEM;
	install((int)fd, f, flags);
	return (int)fd;
}

int uk_fdtab_next(int fd)
{
	for (unsigned i = fd < 0 ? 0 : (unsigned)fd; i < tab_cap; i++)
		if (tab[i].f)
			return (int)i;
	return -1;
}

int uk_fdtab_alloc(struct uk_file *f, unsigned flags)
{
	return uk_fdtab_alloc_from(f, flags, 0);
}

void uk_fdtab_close_on_exec(void)
{
	for (unsigned fd = 0; fd < tab_cap; fd++)
		if (tab[fd].f && (tab[fd].fdflags & UK_FD_CLOEXEC))
			uk_syscall_call(close, fd);
}

/* The image ends as a process does: its descriptors are closed through the
 * ordinary path, so a socket hands its last data and its FIN to the network
 * stack (whose own exit hook then waits for them to leave) and a file's
 * locks go. */
static void fdtab_exit(void)
{
	for (unsigned fd = 0; fd < tab_cap; fd++)
		if (tab[fd].f)
			uk_syscall_call(close, fd);
}
UK_EXIT_HOOK(fdtab_exit, UK_EXIT_FDS);

/* A descriptor's reference to `f` goes (close, or dup2/dup3 over it). */
static void fd_closed(struct uk_file *f)
{
	if (lock_ops) /* POSIX: closing any descriptor drops the locks */
		lock_ops->close(f);
	if (f->ops->flush)
		f->ops->flush(f);
	uk_file_put(f);
}

struct uk_fdtab *uk_fdtab_current(void)
{
	return cur;
}

struct uk_fdtab *uk_fdtab_clone(int share)
{
	struct uk_fdtab *t;

	if (share) {
		cur->users++;
		return cur;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->limit = cur->limit;
	t->users = 1;
	if (cur->ents_cap) {
		t->ents = calloc(cur->ents_cap, sizeof(*t->ents));
		if (!t->ents) {
			free(t);
			return NULL;
		}
		t->ents_cap = cur->ents_cap;
		/* bounded: the table */
		for (unsigned fd = 0; fd < cur->ents_cap; fd++) {
			t->ents[fd] = cur->ents[fd];
			if (t->ents[fd].f)
				uk_file_ref(t->ents[fd].f);
		}
	}
	t->low = cur->low;
	return t;
}

void uk_fdtab_switch(struct uk_fdtab *t)
{
	cur = t ? t : &boot;
}

void uk_fdtab_release(struct uk_fdtab *t)
{
	struct uk_fdtab *was = cur;

	if (!t || --t->users)
		return;
	/* close through the ordinary path (release hooks, locks) */
	cur = t;
	for (unsigned fd = 0; fd < tab_cap; fd++)
		if (tab[fd].f)
			uk_syscall_call(close, fd);
	cur = was == t ? &boot : was;
	free(t->ents);
	if (t != &boot)
		free(t);
	else
		boot = (struct uk_fdtab){NULL, 0, UK_FDTAB_DEFAULT_LIMIT, 0, 1};
}

UK_SYSCALL_R_DEFINE(int, close, int, fd)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	tab[fd].f = NULL;
	if ((unsigned)fd < low_free)
		low_free = (unsigned)fd;
	fd_closed(f);
	return 0;
}

static int dupfd(int old, int min, unsigned flags)
{
	struct uk_file *f = fd_file(old);
	int fd;

	if (!f)
		return -EBADF;
	fd = uk_fdtab_alloc_from(uk_file_ref(f), flags, min);
	if (fd < 0)
		f->refs--; /* still referenced by `old` */
	return fd;
}

UK_SYSCALL_R_DEFINE(int, dup, int, fd)
{
	return dupfd(fd, 0, 0);
}

UK_SYSCALL_R_DEFINE(int, dup3, int, old, int, new, int, flags)
{
	struct uk_file *f = fd_file(old), *prev;

	if (flags & ~UK_O_CLOEXEC)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (old == new)
		return -EINVAL;
	if (new < 0 || (unsigned)new >= fd_limit)
		return -EBADF;
	if ((unsigned)new >= tab_cap && grow((unsigned)new))
		return -ENOMEM;
	prev = tab[new].f;
	install(new, uk_file_ref(f), (unsigned)flags);
	if (prev)
		fd_closed(prev);
	return new;
}

UK_SYSCALL_R_DEFINE(int, dup2, int, old, int, new)
{
	if (old == new)
		return fd_file(old) ? new : -EBADF;
	return uk_syscall_call(dup3, old, new, 0);
}

UK_SYSCALL_R_DEFINE(int, fcntl, int, fd, int, cmd, unsigned long, arg)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= fd_limit)
			return -EINVAL;
		return dupfd(fd, (int)arg, cmd == F_DUPFD ? 0 : UK_O_CLOEXEC);
	case F_GETFD:
		return (int)tab[fd].fdflags;
	case F_SETFD:
		tab[fd].fdflags = arg & UK_FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return (int)f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW: {
		int r;

		if (!lock_ops)
			return -EINVAL;
		uk_file_ref(f); /* F_SETLKW sleeps */
		r = lock_ops->fcntl(f, cmd, (void *)arg);
		uk_file_put(f);
		return r;
	}
	default:
		if (f->ops->fcntl)
			return f->ops->fcntl(f, cmd, arg);
		if (cmd == F_SETPIPE_SZ || cmd == F_GETPIPE_SZ)
			return -EBADF; /* Linux: not a pipe */
		return -EINVAL;
	}
}

/* The file at `fd` if its access mode allows `acc` (1 read, 2 write). */
static struct uk_file *fd_acc(int fd, unsigned acc)
{
	struct uk_file *f = fd_file(fd);
	unsigned m;

	if (!f || (f->flags & UK_O_PATH))
		return NULL;
	m = f->flags & UK_O_ACCMODE;
	if ((acc == 1 && m == UK_O_WRONLY) || (acc == 2 && m == UK_O_RDONLY))
		return NULL;
	return f;
}

/* Transfer through `f` with offset *off (pos < 0: the file offset). */
static ssize_t xfer(struct uk_file *f, int wr, void *buf, size_t len, off_t pos)
{
	off_t *off = &f->off;
	ssize_t r;

	if (pos >= 0)
		off = &pos;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	if (wr)
		r = f->ops->write ? f->ops->write(f, buf, len, off) : -EINVAL;
	else
		r = f->ops->read ? f->ops->read(f, buf, len, off) : -EINVAL;
	return r;
}

/* read/write/pread/pwrite/readv/... on descriptor `fd`. pos < 0: no
 * explicit offset; pos == -2: an explicit offset was negative. */
static ssize_t rw_file(struct uk_file *f, int wr, const struct uk_iovec *iov,
		       int cnt, off_t pos, int positional);

/* The file stays referenced during the transfer: a pipe or socket may
 * sleep, and another thread may close the descriptor meanwhile. */
static ssize_t rw(int fd, int wr, const struct uk_iovec *iov, int cnt,
		  off_t pos, int positional)
{
	struct uk_file *f = fd_acc(fd, wr ? 2 : 1);
	ssize_t r;

	if (!f)
		return -EBADF;
	uk_file_ref(f);
	r = rw_file(f, wr, iov, cnt, pos, positional);
	uk_file_put(f);
	return r;
}

static ssize_t rw_file(struct uk_file *f, int wr, const struct uk_iovec *iov,
		       int cnt, off_t pos, int positional)
{
	ssize_t total = 0, r = 0;
	size_t sum = 0;

	if (cnt < 0 || cnt > IOV_MAX_)
		return -EINVAL;
	if (positional && (pos < 0))
		return -EINVAL;
	if (positional && !f->ops->lseek)
		return -ESPIPE;
	if (cnt && !iov)
		return -EFAULT;
	for (int i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - sum)
			return -EINVAL;
		sum += iov[i].iov_len;
	}
	if (cnt > 1 && (wr ? f->ops->writev : f->ops->readv)) {
		off_t *off = positional ? &pos : &f->off;

		for (int i = 0; i < cnt; i++)
			if (iov[i].iov_len && !iov[i].iov_base)
				return -EFAULT;
		return wr ? f->ops->writev(f, iov, cnt, off)
			  : f->ops->readv(f, iov, cnt, off);
	}
	for (int i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		if (!iov[i].iov_base)
			return total ? total : -EFAULT;
		r = xfer(f, wr, iov[i].iov_base, iov[i].iov_len,
			 positional ? pos + total : -1);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	if (!cnt || !sum) /* zero-length transfers still check the file */
		return xfer(f, wr, NULL, 0, positional ? pos : -1);
	return total;
}

UK_SYSCALL_R_DEFINE(ssize_t, read, int, fd, void *, buf, size_t, len)
{
	struct uk_iovec v = {buf, CLAMP(len)};

	return rw(fd, 0, &v, 1, -1, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, write, int, fd, const void *, buf, size_t, len)
{
	struct uk_iovec v = {(void *)buf, CLAMP(len)};

	return rw(fd, 1, &v, 1, -1, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, pread64, int, fd, void *, buf, size_t, len, off_t,
		    pos)
{
	struct uk_iovec v = {buf, CLAMP(len)};

	return rw(fd, 0, &v, 1, pos, 1);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwrite64, int, fd, const void *, buf, size_t, len,
		    off_t, pos)
{
	struct uk_iovec v = {(void *)buf, CLAMP(len)};

	return rw(fd, 1, &v, 1, pos, 1);
}

UK_SYSCALL_R_DEFINE(ssize_t, readv, int, fd, const struct uk_iovec *, iov, int,
		    cnt)
{
	return rw(fd, 0, iov, cnt, -1, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, writev, int, fd, const struct uk_iovec *, iov, int,
		    cnt)
{
	return rw(fd, 1, iov, cnt, -1, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, preadv, int, fd, const struct uk_iovec *, iov, int,
		    cnt, off_t, pos)
{
	return rw(fd, 0, iov, cnt, pos, 1);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwritev, int, fd, const struct uk_iovec *, iov,
		    int, cnt, off_t, pos)
{
	return rw(fd, 1, iov, cnt, pos, 1);
}

UK_SYSCALL_R_DEFINE(off_t, lseek, int, fd, off_t, off, int, whence)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->lseek)
		return -ESPIPE;
	return f->ops->lseek(f, off, whence);
}

UK_SYSCALL_R_DEFINE(int, fstat, int, fd, struct uk_stat *, st)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!st)
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	return f->ops->fstat ? f->ops->fstat(f, st) : 0;
}

UK_SYSCALL_R_DEFINE(int, ioctl, int, fd, unsigned long, cmd, void *, arg)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (cmd == FIONBIO) {
		if (!arg)
			return -EFAULT;
		if (*(int *)arg)
			f->flags |= UK_O_NONBLOCK;
		else
			f->flags &= ~UK_O_NONBLOCK;
		return 0;
	}
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

UK_SYSCALL_R_DEFINE(int, fsync, int, fd)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ops->fsync ? f->ops->fsync(f) : 0;
}

UK_SYSCALL_R_DEFINE(int, fdatasync, int, fd)
{
	return uk_syscall_call(fsync, fd);
}

UK_SYSCALL_R_DEFINE(int, ftruncate, int, fd, off_t, len)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (len < 0 || !fd_acc(fd, 2) || !f->ops->ftruncate)
		return -EINVAL;
	return f->ops->ftruncate(f, len);
}

UK_SYSCALL_R_DEFINE(ssize_t, getdents64, int, fd, void *, buf, size_t, len)
{
	struct uk_file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!buf)
		return -EFAULT;
	return f->ops->getdents(f, buf, len);
}

/* The old getdents record: d_name right after d_reclen and d_type in the
 * record's last byte. Its records have the same size as getdents64's
 * (20 bytes + the name, rounded to 8), so they are converted in place. */
UK_SYSCALL_R_DEFINE(ssize_t, getdents, int, fd, void *, buf, size_t, len)
{
	ssize_t n = uk_syscall_call(getdents64, fd, buf, len);
	char *p = buf;

	for (ssize_t at = 0; n > 0 && at < n;) { /* bounded: n */
		struct uk_dirent64 *d = (struct uk_dirent64 *)(p + at);
		uint16_t rl = d->d_reclen;
		uint8_t type = d->d_type;
		size_t nl;

		if (rl < 24 || (size_t)(n - at) < rl)
			return -EIO; /* a filesystem's bad record */
		nl = strnlen(d->d_name, rl - 19);
		memmove((char *)d + 18, d->d_name, nl);
		memset((char *)d + 18 + nl, 0, rl - 18 - nl);
		((char *)d)[rl - 1] = (char)type;
		at += rl;
	}
	return n;
}

/* preadv2/pwritev2: pos -1 is the file offset; RWF_NOWAIT and RWF_APPEND
 * hold for this call only; HIPRI, DSYNC and SYNC change nothing in memory. */
static ssize_t rw2(int fd, int wr, const struct uk_iovec *iov, int cnt,
		   off_t pos, int flags)
{
	struct uk_file *f = fd_acc(fd, wr ? 2 : 1);
	unsigned saved, extra = 0;
	ssize_t r;

	if (flags &
	    ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	if (!f)
		return -EBADF;
	if (pos < -1)
		return -EINVAL;
	if (flags & RWF_NOWAIT)
		extra |= UK_O_NONBLOCK;
	if (wr && (flags & RWF_APPEND))
		extra |= UK_O_APPEND;
	uk_file_ref(f);
	saved = f->flags;
	f->flags |= extra;
	r = rw_file(f, wr, iov, cnt, pos, pos != -1);
	f->flags = (f->flags & ~extra) | (saved & extra);
	uk_file_put(f);
	return r;
}

UK_SYSCALL_R_DEFINE(ssize_t, preadv2, int, fd, const struct uk_iovec *, iov,
		    int, cnt, off_t, pos, int, flags)
{
	return rw2(fd, 0, iov, cnt, pos, flags);
}

UK_SYSCALL_R_DEFINE(ssize_t, pwritev2, int, fd, const struct uk_iovec *, iov,
		    int, cnt, off_t, pos, int, flags)
{
	return rw2(fd, 1, iov, cnt, pos, flags);
}

#define COPY_CHUNK     65536
#define COPY_CHUNK_MIN 4096

/* Copy up to len bytes from `in` (at *ipos, or its offset if NULL) to
 * `out` (likewise) through a bounce buffer. Stops at the end of `in` or a
 * short write. Returns the count, or the error if nothing was copied. */
static ssize_t copy(struct uk_file *in, off_t *ipos, struct uk_file *out,
		    off_t *opos, size_t len)
{
	size_t total = 0, chunk = len < COPY_CHUNK ? len : COPY_CHUNK;
	char *buf;
	ssize_t r = 0;

	if (!len)
		return 0;
	if (!in->ops->read || !out->ops->write)
		return -EINVAL;
	/* a smaller bounce buffer when the heap has no 64 KB block free (a
	 * busy small guest): slower, but no ENOMEM while 4 KB are to be had */
	while (!(buf = malloc(chunk)) && chunk > COPY_CHUNK_MIN)
		chunk /= 2;
	if (!buf)
		return -ENOMEM;
	while (total < len) { /* bounded by len */
		size_t want = len - total < chunk ? len - total : chunk;
		ssize_t w;

		r = in->ops->read(in, buf, want, ipos ? ipos : &in->off);
		if (r <= 0)
			break;
		w = out->ops->write(out, buf, (size_t)r,
				    opos ? opos : &out->off);
		if (w < 0) {
			/* what was read but not written goes back */
			if (ipos)
				*ipos -= r;
			else if (in->ops->lseek)
				in->off -= r;
			r = w;
			break;
		}
		total += (size_t)w;
		if (w < r) {
			if (ipos)
				*ipos -= r - w;
			else if (in->ops->lseek)
				in->off -= r - w;
			break;
		}
	}
	free(buf);
	return total ? (ssize_t)total : r;
}

UK_SYSCALL_R_DEFINE(ssize_t, sendfile, int, out_fd, int, in_fd, off_t *, off,
		    size_t, count)
{
	struct uk_file *in = fd_acc(in_fd, 1), *out = fd_acc(out_fd, 2);
	off_t pos;
	ssize_t r;

	if (!in || !out)
		return -EBADF;
	if (off && (!in->ops->lseek))
		return -ESPIPE;
	if (off && *off < 0)
		return -EINVAL;
	if (out->flags & UK_O_APPEND)
		return -EINVAL;
	pos = off ? *off : 0;
	uk_file_ref(in), uk_file_ref(out);
	r = copy(in, off ? &pos : NULL, out, NULL, CLAMP(count));
	uk_file_put(in), uk_file_put(out);
	if (off && r >= 0)
		*off = pos;
	return r;
}

static int regular(struct uk_file *f)
{
	struct uk_stat st;

	memset(&st, 0, sizeof(st));
	if (!f->ops->fstat || f->ops->fstat(f, &st))
		return -EINVAL;
	if (UK_S_ISTYPE(st.st_mode, UK_S_IFDIR))
		return -EISDIR;
	return UK_S_ISTYPE(st.st_mode, UK_S_IFREG) ? 0 : -EINVAL;
}

UK_SYSCALL_R_DEFINE(ssize_t, copy_file_range, int, in_fd, off_t *, in_off, int,
		    out_fd, off_t *, out_off, size_t, len, unsigned, flags)
{
	struct uk_file *in = fd_acc(in_fd, 1), *out = fd_acc(out_fd, 2);
	off_t ipos, opos;
	ssize_t r;

	if (flags)
		return -EINVAL;
	if (!in || !out || (out->flags & UK_O_APPEND))
		return -EBADF;
	if ((r = regular(in)) || (r = regular(out)))
		return r;
	ipos = in_off ? *in_off : in->off;
	opos = out_off ? *out_off : out->off;
	if (ipos < 0 || opos < 0)
		return -EINVAL;
	len = CLAMP(len);
	if (in == out && ipos < opos + (off_t)len && opos < ipos + (off_t)len)
		return -EINVAL; /* overlapping ranges of one file */
	uk_file_ref(in), uk_file_ref(out);
	r = copy(in, &ipos, out, &opos, len);
	uk_file_put(in), uk_file_put(out);
	if (r > 0) {
		if (in_off)
			*in_off = ipos;
		else
			in->off = ipos;
		if (out_off)
			*out_off = opos;
		else
			out->off = opos;
	}
	return r;
}

static int file_mode(struct uk_file *f, uint32_t *mode)
{
	struct uk_stat st;

	memset(&st, 0, sizeof(st));
	if (f->ops->fstat && f->ops->fstat(f, &st))
		return -EINVAL;
	*mode = st.st_mode;
	return 0;
}

/* Memory-backed files have nothing to write back: Linux's checks, then 0. */
UK_SYSCALL_R_DEFINE(int, sync_file_range, int, fd, off_t, off, off_t, nbytes,
		    unsigned, flags)
{
	struct uk_file *f = fd_file(fd);
	uint32_t mode = 0;

	if (flags & ~7u)
		return -EINVAL;
	if (off < 0 || nbytes < 0 || off > LONG_MAX - nbytes)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (file_mode(f, &mode) ||
	    !(UK_S_ISTYPE(mode, UK_S_IFREG) || UK_S_ISTYPE(mode, UK_S_IFDIR) ||
	      UK_S_ISTYPE(mode, UK_S_IFBLK) || UK_S_ISTYPE(mode, UK_S_IFLNK)))
		return -ESPIPE;
	return 0;
}

/* Accepted and checked; nothing to tune for memory-backed files. */
UK_SYSCALL_R_DEFINE(int, fadvise64, int, fd, off_t, off, off_t, len, int,
		    advice)
{
	struct uk_file *f = fd_file(fd);
	uint32_t mode = 0;

	(void)off;
	if (!f)
		return -EBADF;
	if (file_mode(f, &mode) == 0 && UK_S_ISTYPE(mode, UK_S_IFIFO))
		return -ESPIPE;
	if (advice < 0 || advice > 5 || len < 0)
		return -EINVAL;
	return 0;
}

#define FALLOC_FL_KEEP_SIZE 1

/*
 * uk-syscall-partial(fallocate): blocks are not reserved (mode 0 extends
 * the file, KEEP_SIZE is accepted; a later write can still fail with
 * ENOSPC); punch/zero/collapse/insert ranges answer EOPNOTSUPP.
 */
UK_SYSCALL_R_DEFINE(int, fallocate, int, fd, int, mode, off_t, off, off_t, len)
{
	struct uk_file *f = fd_acc(fd, 2);
	struct uk_stat st;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	memset(&st, 0, sizeof(st));
	if (f->ops->fstat)
		f->ops->fstat(f, &st);
	if (UK_S_ISTYPE(st.st_mode, UK_S_IFIFO))
		return -ESPIPE;
	if (UK_S_ISTYPE(st.st_mode, UK_S_IFDIR))
		return -EISDIR;
	if (!UK_S_ISTYPE(st.st_mode, UK_S_IFREG) || !f->ops->ftruncate)
		return -ENODEV;
	if (off > LONG_MAX - len)
		return -EFBIG;
	if (mode & FALLOC_FL_KEEP_SIZE || off + len <= st.st_size)
		return 0;
	return f->ops->ftruncate(f, off + len);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

UK_SYSCALL_R_DEFINE(int, close_range, unsigned, first, unsigned, last, unsigned,
		    flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	/* one table: UNSHARE changes nothing */
	for (unsigned fd = first; fd <= last && fd < tab_cap; fd++) {
		if (!tab[fd].f)
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			tab[fd].fdflags |= UK_FD_CLOEXEC;
		else
			uk_syscall_call(close, fd);
	}
	return 0;
}

/* sync and syncfs are vfscore's: it knows the mounts that can write back */
UK_SYSCALL_R_DEFINE(ssize_t, readahead, int, fd, off_t, off, size_t, count)
{
	struct uk_file *f = fd_acc(fd, 1);
	uint32_t mode = 0;

	(void)off, (void)count;
	if (!f)
		return -EBADF;
	if (file_mode(f, &mode) || !UK_S_ISTYPE(mode, UK_S_IFREG))
		return -EINVAL;
	return 0;
}
