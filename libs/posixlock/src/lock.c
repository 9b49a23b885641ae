/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File locks: one list of byte-range locks for the image, each with a file
 * key (st_dev, st_ino), an inclusive range, a type, a class (fcntl or
 * flock: the two never see each other) and an owner (the process for POSIX
 * locks, the open file description for OFD and flock locks). Locks of one
 * owner and class never overlap: setting a range first cuts the owner's
 * locks out of it, then merges with neighbours of the same type.
 * Blocked requests sleep on one wait queue, woken whenever a lock goes; a
 * waiter table (owner -> the owner it waits for) finds cycles (EDEADLK).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/posixlock.h>
#include <uk/sched.h>
#include <uk/syscall.h>

#define F_GETLK_      5
#define F_SETLK_      6
#define F_SETLKW_     7
#define F_OFD_GETLK_  36
#define F_OFD_SETLKW_ 38
#define END	      INT64_MAX /* "to the end of the file and beyond" */

enum { K_POSIX, K_OFD, K_FLOCK };
#define CLASS(k) ((k) == K_FLOCK)

struct key {
	uint64_t dev, ino;
};

struct lk {
	struct lk *next;
	struct key key;
	int64_t start, end;
	int type, kind;
	const void *owner;
};

struct waiter {
	struct waiter *next;
	const void *owner, *blocker;
};

static struct lk *locks;
static unsigned nlocks;
static struct waiter *waiters;
static unsigned nwaiters;
static struct uk_waitq lock_wq;
static const char process_owner; /* the owner of every POSIX lock */

unsigned uk_posixlock_count(void)
{
	return nlocks;
}

/*
 * The one place a lock request sleeps: until woken (0), or until a signal the
 * thread must handle arrives (posixprocess interrupts the wait):
 * -UK_ERESTARTSYS.
 */
static int sleep_on(struct uk_waitq *wq)
{
	/* Linux's ERESTARTSYS: made again under SA_RESTART, else EINTR */
	if (uk_waitq_wait_intr(wq, UK_SCHED_FOREVER) == -EINTR)
		return -UK_ERESTARTSYS;
	return 0;
}
static struct key file_key(struct uk_file *f)
{
	struct uk_stat st;
	struct key k = {UINT64_MAX, (uintptr_t)f};

	memset(&st, 0, sizeof(st));
	if (f->ops->fstat && !f->ops->fstat(f, &st) && st.st_ino)
		k = (struct key){st.st_dev, st.st_ino};
	return k;
}

static int same_key(const struct key *a, const struct key *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/* A lock of another owner in the same class that conflicts, or NULL. */
static struct lk *conflict(struct key k, int64_t s, int64_t e, int type,
			   int kind, const void *owner)
{
	for (struct lk *l = locks; l; l = l->next)
		if (same_key(&l->key, &k) && CLASS(l->kind) == CLASS(kind) &&
		    l->owner != owner && l->start <= e && s <= l->end &&
		    (type == UK_F_WRLCK || l->type == UK_F_WRLCK))
			return l;
	return NULL;
}

static void unlink_free(struct lk **pp)
{
	struct lk *l = *pp;

	*pp = l->next;
	free(l);
	nlocks--;
}

/*
 * Make [s, e] of `owner` (class of `kind`) `type` (UK_F_UNLCK: no lock).
 * Returns 0 or -ENOLCK (no memory; then nothing changed).
 */
static int set_range(struct key k, int64_t s, int64_t e, int type, int kind,
		     const void *owner)
{
	struct lk *spare = malloc(sizeof(*spare)), *nl = NULL, **pp;

	if (!spare || (type != UK_F_UNLCK && !(nl = malloc(sizeof(*nl))))) {
		free(spare);
		return -ENOLCK;
	}
	/* cut [s, e] out of the owner's locks; at most one gets split */
	for (pp = &locks; *pp;) {
		struct lk *l = *pp;

		if (!same_key(&l->key, &k) || l->owner != owner ||
		    CLASS(l->kind) != CLASS(kind) || l->end < s ||
		    e < l->start) {
			pp = &l->next;
			continue;
		}
		if (l->start < s && l->end > e) { /* split in two */
			*spare = *l;
			spare->start = e + 1;
			l->end = s - 1;
			spare->next = l->next;
			l->next = spare;
			spare = NULL;
			nlocks++;
			pp = &l->next->next;
		} else if (l->start < s) {
			l->end = s - 1;
			pp = &l->next;
		} else if (l->end > e) {
			l->start = e + 1;
			pp = &l->next;
		} else {
			unlink_free(pp);
		}
	}
	free(spare);
	if (nl) {
		/* merge with touching locks of the same owner and type */
		for (pp = &locks; *pp;) {
			struct lk *l = *pp;

			if (same_key(&l->key, &k) && l->owner == owner &&
			    l->kind == kind && l->type == type &&
			    ((l->end != END && l->end + 1 == s) ||
			     (e != END && e + 1 == l->start))) {
				s = l->start < s ? l->start : s;
				e = l->end > e ? l->end : e;
				unlink_free(pp);
				continue;
			}
			pp = &l->next;
		}
		*nl = (struct lk){locks, k, s, e, type, kind, owner};
		locks = nl;
		nlocks++;
	}
	uk_waitq_wake_all(&lock_wq); /* something may have gone */
	return 0;
}

/* Whether waiting for `blocker` would close a cycle back to `owner`. */
static int deadlock(const void *owner, const void *blocker)
{
	for (unsigned i = 0; i <= nwaiters; i++) { /* bounded: the table */
		struct waiter *w;

		if (blocker == owner)
			return 1;
		for (w = waiters; w && w->owner != blocker;)
			w = w->next;
		if (!w)
			return 0;
		blocker = w->blocker;
	}
	return 0;
}

/* Take the lock, waiting for conflicts to go if `wait`. */
static int acquire(struct key k, int64_t s, int64_t e, int type, int kind,
		   const void *owner, int wait, int detect)
{
	struct lk *c;

	while ((c = conflict(k, s, e, type, kind, owner)) != NULL) {
		struct waiter me = {waiters, owner, c->owner};
		int r;

		if (!wait)
			return -EAGAIN;
		if (detect && deadlock(owner, c->owner))
			return -EDEADLK;
		waiters = &me;
		nwaiters++;
		r = sleep_on(&lock_wq);
		for (struct waiter **wp = &waiters;; wp = &(*wp)->next)
			if (*wp == &me) {
				*wp = me.next;
				break;
			}
		nwaiters--;
		if (r)
			return r;
	}
	return set_range(k, s, e, type, kind, owner);
}

static int lk_fcntl(struct uk_file *f, int cmd, void *arg)
{
	struct uk_flock *fl = arg;
	int ofd = cmd >= F_OFD_GETLK_, kind = ofd ? K_OFD : K_POSIX;
	const void *owner = ofd ? (const void *)f : &process_owner;
	unsigned acc = f->flags & UK_O_ACCMODE;
	int64_t base, s, e;
	struct key k;
	struct lk *c;

	if (!fl)
		return -EFAULT;
	if (ofd && fl->l_pid)
		return -EINVAL;
	if (fl->l_type < UK_F_RDLCK || fl->l_type > UK_F_UNLCK)
		return -EINVAL;
	if (fl->l_whence == 0) {
		base = 0;
	} else if (fl->l_whence == 1) {
		base = f->off;
	} else if (fl->l_whence == 2) {
		struct uk_stat st;

		memset(&st, 0, sizeof(st));
		if (f->ops->fstat)
			f->ops->fstat(f, &st);
		base = st.st_size;
	} else {
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->l_start, &s))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(s, fl->l_len - 1, &e))
			return -EOVERFLOW;
	} else if (fl->l_len == 0) {
		e = END;
	} else {
		e = s - 1;
		if (__builtin_add_overflow(s, fl->l_len, &s))
			return -EINVAL;
	}
	if (s < 0)
		return -EINVAL;
	k = file_key(f);
	if (cmd == F_GETLK_ || cmd == F_OFD_GETLK_) {
		if (fl->l_type == UK_F_UNLCK)
			return -EINVAL;
		c = conflict(k, s, e, fl->l_type, kind, owner);
		if (!c) {
			fl->l_type = UK_F_UNLCK;
			return 0;
		}
		fl->l_type = (int16_t)c->type;
		fl->l_whence = 0;
		fl->l_start = c->start;
		fl->l_len = c->end == END ? 0 : c->end - c->start + 1;
		fl->l_pid = c->kind == K_POSIX ? 1 : -1;
		return 0;
	}
	if (fl->l_type == UK_F_UNLCK)
		return set_range(k, s, e, UK_F_UNLCK, kind, owner);
	if ((fl->l_type == UK_F_RDLCK && acc == UK_O_WRONLY) ||
	    (fl->l_type == UK_F_WRLCK && acc == UK_O_RDONLY))
		return -EBADF;
	return acquire(k, s, e, fl->l_type, kind, owner,
		       cmd == F_SETLKW_ || cmd == F_OFD_SETLKW_, 1);
}

/* Drop every lock matching (key or owner) and the kinds in `kinds`. */
static void drop(const struct key *k, const void *owner, unsigned kinds)
{
	int any = 0;

	for (struct lk **pp = &locks; *pp;) {
		struct lk *l = *pp;

		if ((kinds & (1u << l->kind)) &&
		    (k ? same_key(&l->key, k) : l->owner == owner)) {
			unlink_free(pp);
			any = 1;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		uk_waitq_wake_all(&lock_wq);
}

static void lk_close(struct uk_file *f)
{
	struct key k;

	if (!nlocks)
		return;
	k = file_key(f);
	drop(&k, NULL, 1u << K_POSIX);
}

static void lk_release(struct uk_file *f)
{
	if (nlocks)
		drop(NULL, f, (1u << K_OFD) | (1u << K_FLOCK));
}

static const struct uk_file_lock_ops lock_ops = {
	.fcntl = lk_fcntl,
	.close = lk_close,
	.release = lk_release,
};

int uk_posixlock_init(void)
{
	uk_file_set_lock_ops(&lock_ops);
	return 0;
}
UK_INIT_CLASS(uk_posixlock_init, UK_INIT_LIB, 5);

UK_SYSCALL_R_DEFINE(int, flock, int, fd, int, op)
{
	struct uk_file *f = uk_fdtab_get(fd);
	int nb = op & UK_LOCK_NB, r;
	struct key k;

	if (!f)
		return -EBADF;
	op &= ~UK_LOCK_NB;
	k = file_key(f);
	if (op == UK_LOCK_UN)
		r = set_range(k, 0, END, UK_F_UNLCK, K_FLOCK, f);
	else if (op == UK_LOCK_SH || op == UK_LOCK_EX)
		r = acquire(k, 0, END,
			    op == UK_LOCK_SH ? UK_F_RDLCK : UK_F_WRLCK, K_FLOCK,
			    f, !nb, 0);
	else
		r = -EINVAL;
	uk_file_put(f);
	return r;
}
