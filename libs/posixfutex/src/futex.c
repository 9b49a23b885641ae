/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Futexes: a hash table of wait queues keyed by address. Each waiter is a
 * record on its own stack, linked in its address's bucket (FIFO) and
 * blocked on its own one-thread uksched wait queue; a wake unlinks the
 * record, marks it woken and makes the thread runnable; a requeue moves
 * records between buckets. UP, cooperative: no locking.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/futex.h>
#include <uk/sched.h>
#include <uk/syscall.h>

/* Linux values */
#define FUTEX_WAIT_	      0
#define FUTEX_WAKE_	      1
#define FUTEX_REQUEUE_	      3
#define FUTEX_CMP_REQUEUE_    4
#define FUTEX_WAIT_BITSET_    9
#define FUTEX_WAKE_BITSET_    10
#define FUTEX_PRIVATE_FLAG_   128
#define FUTEX_CLOCK_REALTIME_ 256
#define CLOCK_REALTIME_	      0

#define NS_PER_S 1000000000ULL

/* struct __kernel_timespec on x86_64 */
struct futex_ts {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct futex_bucket;

struct futex_waiter {
	const uint32_t *addr;
	uint32_t bitset;
	int woken;
	struct uk_thread *t;
	struct uk_waitq wq; /* just this thread */
	struct futex_bucket *b;
	struct futex_waiter *next, *prev;
};

struct futex_bucket {
	struct futex_waiter *head, *tail;
};

#define NR_BUCKETS_LOG2 6
static struct futex_bucket buckets[1 << NR_BUCKETS_LOG2];

static struct futex_bucket *bucket_of(const uint32_t *addr)
{
	uint64_t h = ((uintptr_t)addr >> 2) * 0x9e3779b97f4a7c15ULL;

	return &buckets[h >> (64 - NR_BUCKETS_LOG2)];
}

static void enqueue(struct futex_bucket *b, struct futex_waiter *w)
{
	w->b = b;
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
}

static void dequeue(struct futex_waiter *w)
{
	struct futex_bucket *b = w->b;

	if (!b)
		return; /* taken out already (see gone()) */
	if (w->prev)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->next = w->prev = NULL;
	w->b = NULL;
}

/* A waiter a signal interrupted no longer waits, although its record is
 * still queued until its thread runs: wakes skip it (and unlink it), so
 * that they go to a thread that does wait. */
static int gone(struct futex_waiter *w)
{
	if (w->t && w->t->intr && uk_waitq_empty(&w->wq)) {
		dequeue(w);
		return 1;
	}
	return 0;
}

static void wake(struct futex_waiter *w)
{
	dequeue(w);
	w->woken = 1;
	uk_waitq_wake_one(&w->wq);
}

static int check_addr(const uint32_t *uaddr)
{
	if (!uaddr)
		return -EFAULT;
	if ((uintptr_t)uaddr & 3)
		return -EINVAL;
	return 0;
}

int uk_futex_wait(const uint32_t *uaddr, uint32_t val, uint64_t deadline,
		  uint32_t bitset)
{
	struct futex_waiter w = {
		.addr = uaddr, .bitset = bitset, .t = uk_thread_current()};
	int rc = check_addr(uaddr);

	if (rc)
		return rc;
	if (!bitset)
		return -EINVAL;
	if (!uk_sched_get_default())
		return -ENOSYS;
	if (__atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != val)
		return -EAGAIN;
	uk_waitq_init(&w.wq);
	enqueue(bucket_of(uaddr), &w);
	rc = uk_waitq_wait_intr(&w.wq, deadline);
	/* A wake after the timeout fired (or a signal came) but before we
	 * ran still counts: the waker unlinked us and counted us. */
	if (w.woken)
		return 0;
	dequeue(&w);
	return rc == -EINTR ? -EINTR : -ETIMEDOUT;
}

int uk_futex_wake(const uint32_t *uaddr, int nr_wake, uint32_t bitset)
{
	struct futex_waiter *w, *next;
	int rc = check_addr(uaddr), n = 0;

	if (rc)
		return rc;
	if (!bitset)
		return -EINVAL;
	if (nr_wake <= 0)
		nr_wake = 1; /* Linux wakes one for 0 */
	/* bounded: the bucket's waiters */
	for (w = bucket_of(uaddr)->head; w && n < nr_wake; w = next) {
		next = w->next;
		if (w->addr != uaddr || !(w->bitset & bitset) || gone(w))
			continue;
		wake(w);
		n++;
	}
	return n;
}

int uk_futex_requeue(const uint32_t *uaddr, int nr_wake, const uint32_t *uaddr2,
		     int nr_requeue, int cmp, uint32_t cmpval)
{
	struct futex_waiter *w, *next;
	struct futex_bucket *to;
	int rc = check_addr(uaddr), woken = 0, moved = 0;

	if (!rc)
		rc = check_addr(uaddr2);
	if (rc)
		return rc;
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if (cmp && __atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != cmpval)
		return -EAGAIN;
	to = bucket_of(uaddr2);
	/* bounded: the bucket's waiters (moved ones go to the tail of `to`,
	 * which may be this bucket: stop once nr_requeue are moved) */
	for (w = bucket_of(uaddr)->head; w; w = next) {
		next = w->next;
		if (w->addr != uaddr || gone(w))
			continue;
		if (woken < nr_wake) {
			wake(w);
			woken++;
			continue;
		}
		if (moved >= nr_requeue)
			break;
		if (uaddr2 != uaddr) {
			dequeue(w);
			w->addr = uaddr2;
			enqueue(to, w);
		}
		moved++;
	}
	return woken + moved;
}

int uk_futex_nr_waiters(const uint32_t *uaddr)
{
	struct futex_waiter *w;
	int n = 0;

	for (w = bucket_of(uaddr)->head; w; w = w->next)
		n += w->addr == uaddr;
	return n;
}

static uint64_t ts_ns(const struct futex_ts *ts)
{
	uint64_t s = (uint64_t)ts->tv_sec;

	if (s >= (UK_SCHED_FOREVER - 1) / NS_PER_S)
		return UK_SCHED_FOREVER - 1;
	return s * NS_PER_S + (uint64_t)ts->tv_nsec;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return b >= UK_SCHED_FOREVER - 1 - a ? UK_SCHED_FOREVER - 1 : a + b;
}

/* The uk_sched_now() deadline for a futex timeout: relative, or absolute on
 * the monotonic clock (= uk_sched_now()) or on CLOCK_REALTIME. */
static int deadline_of(const struct futex_ts *ts, int absolute, int realtime,
		       uint64_t *deadline)
{
	struct futex_ts wall;
	uint64_t ns, now, wall_ns;
	long rc;

	if (!ts) {
		*deadline = UK_SCHED_FOREVER;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (uint64_t)ts->tv_nsec >= NS_PER_S)
		return -EINVAL;
	if (!uk_sched_get_default())
		return -ENOSYS;
	ns = ts_ns(ts);
	now = uk_sched_now();
	if (!absolute) {
		*deadline = add_sat(now, ns);
		return 0;
	}
	if (!realtime) {
		*deadline = ns;
		return 0;
	}
	rc = uk_syscall_call(clock_gettime, CLOCK_REALTIME_, &wall);
	if (rc < 0)
		return (int)rc;
	wall_ns = ts_ns(&wall);
	*deadline = ns <= wall_ns ? now : add_sat(now, ns - wall_ns);
	return 0;
}

UK_SYSCALL_R_DEFINE(long, futex, uint32_t *, uaddr, int, op, uint32_t, val,
		    const struct futex_ts *, timeout, uint32_t *, uaddr2,
		    uint32_t, val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG_ | FUTEX_CLOCK_REALTIME_);
	int realtime = (op & FUTEX_CLOCK_REALTIME_) != 0;
	uint64_t deadline = UK_SCHED_FOREVER;
	int rc;

	/* Everything is process-private here: the flag changes nothing. */
	if (realtime && cmd != FUTEX_WAIT_ && cmd != FUTEX_WAIT_BITSET_)
		return -ENOSYS; /* as Linux */
	switch (cmd) {
	case FUTEX_WAIT_:
		val3 = UK_FUTEX_BITSET_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET_:
		rc = deadline_of(timeout, cmd == FUTEX_WAIT_BITSET_, realtime,
				 &deadline);
		if (rc)
			return rc;
		return uk_futex_wait(uaddr, val, deadline, val3);
	case FUTEX_WAKE_:
		val3 = UK_FUTEX_BITSET_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET_:
		return uk_futex_wake(uaddr, (int)val, val3);
	case FUTEX_REQUEUE_:
	case FUTEX_CMP_REQUEUE_:
		/* the timeout argument carries val2, the requeue count */
		return uk_futex_requeue(uaddr, (int)val, uaddr2,
					(int)(uintptr_t)timeout,
					cmd == FUTEX_CMP_REQUEUE_, val3);
	default:
		/* WAKE_OP, the PI operations, FD: not here (as an unknown
		 * operation on Linux) */
		return -ENOSYS;
	}
}
