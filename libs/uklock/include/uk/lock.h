/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock: spinlock, mutex, semaphore, condition variable and rwlock.
 *
 * All but the spinlock block through uksched's wait queues, so they MUST be
 * used from threads, never from interrupt handlers. Blocking is in FIFO
 * order; mutexes and semaphores hand the lock/unit directly to the longest
 * waiter. Timed variants take an absolute deadline in ns of the scheduler's
 * clock (uk_sched_now(); UK_SCHED_FOREVER: no timeout) and return
 * -ETIMEDOUT once it passes without the lock (immediately if it has passed).
 *
 * Everything here is for one CPU with a cooperative scheduler: the blocking
 * objects rely on no other thread running between their checks and the
 * wait. A preemptive scheduler needs them to take a spinlock around that
 * (marked "UP" in the source).
 */
#ifndef UK_LOCK_H
#define UK_LOCK_H

#include <stdint.h>
#include <uk/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- interrupt hook of the spinlock ---- */

/* How a spinlock masks interrupts (images: ukplat_lcpu_save_irqf /
 * ukplat_lcpu_restore_irqf). Default (NULL): no masking, fine natively. */
struct uk_lock_irq_ops {
	unsigned long (*save)(void); /* disable, return previous state */
	void (*restore)(unsigned long flags); /* back to the saved state */
};

/* Install `ops` (NULL: none) for every spinlock. */
void uk_lock_set_irq_ops(const struct uk_lock_irq_ops *ops);

/* ---- spinlock ---- */

struct uk_spinlock {
	volatile int locked;
	unsigned long irqf; /* interrupt state saved by the holder */
};

#define UK_SPINLOCK_INITIALIZER \
	{                       \
		0, 0            \
	}

void uk_spin_init(struct uk_spinlock *l);
/* Mask interrupts, then take the lock (spinning; on one CPU it is always
 * free unless the holder is interrupted code: a bug). */
void uk_spin_lock(struct uk_spinlock *l);
/* Like uk_spin_lock, without spinning: 1 taken, 0 busy (irqs restored). */
int uk_spin_trylock(struct uk_spinlock *l);
/* Release, then restore the interrupt state saved by uk_spin_lock. */
void uk_spin_unlock(struct uk_spinlock *l);

/* ---- mutex ---- */

#define UK_MUTEX_RECURSIVE 0x1

struct uk_mutex {
	struct uk_thread *owner; /* NULL: free */
	unsigned int depth;	 /* recursion depth of the owner */
	unsigned int flags;	 /* UK_MUTEX_* */
	struct uk_waitq wq;
};

/* flags: 0 or UK_MUTEX_RECURSIVE. */
void uk_mutex_init(struct uk_mutex *m, unsigned int flags);
/* Take m, blocking. 0, or -EDEADLK: a non-recursive mutex we hold. */
int uk_mutex_lock(struct uk_mutex *m);
/* As uk_mutex_lock, giving up at `deadline`: -ETIMEDOUT. */
int uk_mutex_timedlock(struct uk_mutex *m, uint64_t deadline);
/* 0, -EBUSY (held by another thread) or -EDEADLK. */
int uk_mutex_trylock(struct uk_mutex *m);
/* Release one level. 0, or -EPERM if we do not hold it. */
int uk_mutex_unlock(struct uk_mutex *m);
/* 1 if the current thread holds m. */
int uk_mutex_is_locked_by_me(const struct uk_mutex *m);

/* ---- semaphore ---- */

struct uk_semaphore {
	long count;
	struct uk_waitq wq;
};

void uk_semaphore_init(struct uk_semaphore *s, long count);
/* Take a unit, blocking while there is none. */
void uk_semaphore_down(struct uk_semaphore *s);
/* 0 or -ETIMEDOUT (sem_timedwait). */
int uk_semaphore_down_timeout(struct uk_semaphore *s, uint64_t deadline);
/* 0, or -EAGAIN when no unit is available (sem_trywait). */
int uk_semaphore_trydown(struct uk_semaphore *s);
/* Give a unit: to the longest waiter if any, else to the count. */
void uk_semaphore_up(struct uk_semaphore *s);

/* ---- condition variable ---- */

struct uk_condvar {
	struct uk_waitq wq;
};

void uk_condvar_init(struct uk_condvar *c);
/* Release m (held, at any recursion depth), wait for a signal, retake m.
 * 0, or -EPERM if we do not hold m. Spurious wake-ups are possible: loop. */
int uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m);
/* As uk_condvar_wait; -ETIMEDOUT at `deadline` (m is held again). */
int uk_condvar_timedwait(struct uk_condvar *c, struct uk_mutex *m,
			 uint64_t deadline);
/* Wake one / every waiter. */
void uk_condvar_signal(struct uk_condvar *c);
void uk_condvar_broadcast(struct uk_condvar *c);

/* ---- reader/writer lock (writers preferred) ---- */

struct uk_rwlock {
	unsigned long readers;	  /* readers inside */
	struct uk_thread *writer; /* writer inside, or NULL */
	unsigned long writers_waiting;
	struct uk_waitq rq, wq; /* waiting readers / writers */
};

void uk_rwlock_init(struct uk_rwlock *l);
/* Shared: waits while a writer holds or waits. 0 or -ETIMEDOUT. */
int uk_rwlock_rdlock(struct uk_rwlock *l);
int uk_rwlock_timedrdlock(struct uk_rwlock *l, uint64_t deadline);
/* Exclusive. 0, -ETIMEDOUT, or -EDEADLK if we hold it for writing. */
int uk_rwlock_wrlock(struct uk_rwlock *l);
int uk_rwlock_timedwrlock(struct uk_rwlock *l, uint64_t deadline);
/* 0 or -EBUSY. */
int uk_rwlock_tryrdlock(struct uk_rwlock *l);
int uk_rwlock_trywrlock(struct uk_rwlock *l);
/* Release a read or the write hold. 0, or -EPERM if not held. */
int uk_rwlock_unlock(struct uk_rwlock *l);

#ifdef __cplusplus
}
#endif
#endif /* UK_LOCK_H */
