/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock: locks on top of uksched's wait queues (one CPU, cooperative: the
 * steps between a check and a wait are not interrupted by other threads).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/arch/cpu.h>
#include <uk/lock.h>

/* ---- spinlock ---- */

static const struct uk_lock_irq_ops *irq_ops;

void uk_lock_set_irq_ops(const struct uk_lock_irq_ops *ops)
{
	irq_ops = ops;
}

static unsigned long irq_save(void)
{
	return irq_ops ? irq_ops->save() : 0;
}

static void irq_restore(unsigned long f)
{
	if (irq_ops)
		irq_ops->restore(f);
}

void uk_spin_init(struct uk_spinlock *l)
{
	l->locked = 0;
	l->irqf = 0;
}

int uk_spin_trylock(struct uk_spinlock *l)
{
	unsigned long f = irq_save();

	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		irq_restore(f);
		return 0;
	}
	l->irqf = f;
	return 1;
}

void uk_spin_lock(struct uk_spinlock *l)
{
	while (!uk_spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			ukarch_spin_hint();
}

void uk_spin_unlock(struct uk_spinlock *l)
{
	unsigned long f = l->irqf;

	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore(f);
}

/* ---- mutex ---- */

void uk_mutex_init(struct uk_mutex *m, unsigned int flags)
{
	m->owner = NULL;
	m->depth = 0;
	m->flags = flags;
	uk_waitq_init(&m->wq);
}

int uk_mutex_is_locked_by_me(const struct uk_mutex *m)
{
	return m->owner && m->owner == uk_thread_current();
}

int uk_mutex_trylock(struct uk_mutex *m)
{
	struct uk_thread *cur = uk_thread_current();

	if (!m->owner) {
		m->owner = cur;
		m->depth = 1;
		return 0;
	}
	if (m->owner != cur)
		return -EBUSY;
	if (!(m->flags & UK_MUTEX_RECURSIVE))
		return -EDEADLK;
	m->depth++;
	return 0;
}

int uk_mutex_timedlock(struct uk_mutex *m, uint64_t deadline)
{
	struct uk_thread *cur = uk_thread_current();
	int rc = uk_mutex_trylock(m);

	if (rc != -EBUSY)
		return rc;
	/* UP: the unlocker hands the mutex over (owner = us) before waking
	 * us, so being woken means owning it. */
	rc = uk_waitq_wait_timeout(&m->wq, deadline);
	if (rc)
		return rc;
	return m->owner == cur ? 0 : -EAGAIN;
}

int uk_mutex_lock(struct uk_mutex *m)
{
	return uk_mutex_timedlock(m, UK_SCHED_FOREVER);
}

/* Give m away completely: to the longest waiter, or free. */
static void mutex_release(struct uk_mutex *m)
{
	struct uk_thread *next = m->wq.head;

	m->owner = next;
	m->depth = next ? 1 : 0;
	if (next)
		uk_waitq_wake_one(&m->wq);
}

int uk_mutex_unlock(struct uk_mutex *m)
{
	if (!uk_mutex_is_locked_by_me(m))
		return -EPERM;
	if (--m->depth == 0)
		mutex_release(m);
	return 0;
}

/* ---- semaphore ---- */

void uk_semaphore_init(struct uk_semaphore *s, long count)
{
	s->count = count;
	uk_waitq_init(&s->wq);
}

int uk_semaphore_trydown(struct uk_semaphore *s)
{
	if (s->count <= 0)
		return -EAGAIN;
	s->count--;
	return 0;
}

int uk_semaphore_down_timeout(struct uk_semaphore *s, uint64_t deadline)
{
	if (uk_semaphore_trydown(s) == 0)
		return 0;
	/* UP: woken means uk_semaphore_up() handed us its unit. */
	return uk_waitq_wait_timeout(&s->wq, deadline);
}

void uk_semaphore_down(struct uk_semaphore *s)
{
	uk_semaphore_down_timeout(s, UK_SCHED_FOREVER);
}

void uk_semaphore_up(struct uk_semaphore *s)
{
	if (!uk_waitq_wake_one(&s->wq))
		s->count++;
}

/* ---- condition variable ---- */

void uk_condvar_init(struct uk_condvar *c)
{
	uk_waitq_init(&c->wq);
}

int uk_condvar_timedwait(struct uk_condvar *c, struct uk_mutex *m,
			 uint64_t deadline)
{
	unsigned int depth;
	int rc, lrc;

	if (!uk_mutex_is_locked_by_me(m))
		return -EPERM;
	if (deadline != UK_SCHED_FOREVER && deadline <= uk_sched_now())
		return -ETIMEDOUT;
	depth = m->depth;
	/* UP: nothing runs between the release and the wait, so no signal
	 * is lost. */
	mutex_release(m);
	rc = uk_waitq_wait_timeout(&c->wq, deadline);
	do
		lrc = uk_mutex_lock(m);
	while (lrc == -EAGAIN);
	m->depth = depth;
	return rc;
}

int uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m)
{
	return uk_condvar_timedwait(c, m, UK_SCHED_FOREVER);
}

void uk_condvar_signal(struct uk_condvar *c)
{
	uk_waitq_wake_one(&c->wq);
}

void uk_condvar_broadcast(struct uk_condvar *c)
{
	uk_waitq_wake_all(&c->wq);
}

/* ---- rwlock ---- */

void uk_rwlock_init(struct uk_rwlock *l)
{
	l->readers = 0;
	l->writer = NULL;
	l->writers_waiting = 0;
	uk_waitq_init(&l->rq);
	uk_waitq_init(&l->wq);
}

int uk_rwlock_tryrdlock(struct uk_rwlock *l)
{
	if (l->writer || l->writers_waiting)
		return -EBUSY;
	l->readers++;
	return 0;
}

int uk_rwlock_timedrdlock(struct uk_rwlock *l, uint64_t deadline)
{
	int rc;

	while (uk_rwlock_tryrdlock(l)) {
		rc = uk_waitq_wait_timeout(&l->rq, deadline);
		if (rc)
			return rc;
	}
	return 0;
}

int uk_rwlock_rdlock(struct uk_rwlock *l)
{
	return uk_rwlock_timedrdlock(l, UK_SCHED_FOREVER);
}

int uk_rwlock_trywrlock(struct uk_rwlock *l)
{
	if (l->writer == uk_thread_current())
		return -EDEADLK;
	if (l->writer || l->readers)
		return -EBUSY;
	l->writer = uk_thread_current();
	return 0;
}

int uk_rwlock_timedwrlock(struct uk_rwlock *l, uint64_t deadline)
{
	int rc;

	rc = uk_rwlock_trywrlock(l);
	if (rc != -EBUSY)
		return rc;
	l->writers_waiting++;
	do {
		rc = uk_waitq_wait_timeout(&l->wq, deadline);
		if (rc) {
			/* readers held back by us may go now */
			if (--l->writers_waiting == 0 && !l->writer)
				uk_waitq_wake_all(&l->rq);
			return rc;
		}
	} while (l->writer || l->readers);
	l->writers_waiting--;
	l->writer = uk_thread_current();
	return 0;
}

int uk_rwlock_wrlock(struct uk_rwlock *l)
{
	return uk_rwlock_timedwrlock(l, UK_SCHED_FOREVER);
}

int uk_rwlock_unlock(struct uk_rwlock *l)
{
	if (l->writer) {
		if (l->writer != uk_thread_current())
			return -EPERM;
		l->writer = NULL;
	} else if (l->readers) {
		if (--l->readers)
			return 0;
	} else {
		return -EPERM;
	}
	if (l->writers_waiting)
		uk_waitq_wake_one(&l->wq);
	else
		uk_waitq_wake_all(&l->rq);
	return 0;
}
