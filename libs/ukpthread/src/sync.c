/* SPDX-License-Identifier: BSD-3-Clause */
/* Mutexes, condition variables, rwlocks and semaphores on uklock. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

#ifndef SEM_VALUE_MAX
#define SEM_VALUE_MAX INT_MAX
#endif

#define NS 1000000000LL

int uk_pthread_deadline(clockid_t clk, const struct timespec *abs,
			uint64_t *deadline)
{
	struct timespec now;
	uint64_t base = uk_sched_now();
	int64_t rel;

	if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= NS)
		return EINVAL;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return EINVAL;
	if (clock_gettime(clk, &now) < 0) {
		/* no clock library: the scheduler's clock stands in */
		now.tv_sec = (time_t)(base / NS);
		now.tv_nsec = (long)(base % NS);
	}
	/* saturate instead of overflowing on absurd times */
	if (abs->tv_sec - now.tv_sec > (int64_t)(INT64_MAX / NS - 1)) {
		*deadline = UK_SCHED_FOREVER;
		return 0;
	}
	if (abs->tv_sec - now.tv_sec < -(int64_t)(INT64_MAX / NS - 1)) {
		*deadline = 0;
		return 0;
	}
	rel = (int64_t)(abs->tv_sec - now.tv_sec) * NS +
	      (abs->tv_nsec - now.tv_nsec);
	if (rel <= 0)
		*deadline = rel < 0 && (uint64_t)-rel > base
				    ? 0
				    : base - (uint64_t)-rel;
	else
		*deadline = (uint64_t)rel > UK_SCHED_FOREVER - 1 - base
				    ? UK_SCHED_FOREVER - 1
				    : base + (uint64_t)rel;
	return 0;
}

/* ---- mutex ---- */

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	PT_MATTR(attr)->type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
	    type != PTHREAD_MUTEX_ERRORCHECK && type != PTHREAD_MUTEX_DEFAULT)
		return EINVAL;
	PT_MATTR(attr)->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = ((const struct pt_mutexattr *)(const void *)attr)->type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *mx, const pthread_mutexattr_t *attr)
{
	struct pt_mutex *m = PT_MUTEX(mx);
	int type = attr ? PT_MATTR(attr)->type : PTHREAD_MUTEX_DEFAULT;

	memset(mx, 0, sizeof(*mx));
	m->type = type;
	uk_mutex_init(&m->m,
		      type == PTHREAD_MUTEX_RECURSIVE ? UK_MUTEX_RECURSIVE : 0);
	return 0;
}

/* A zeroed (PTHREAD_MUTEX_INITIALIZER) mutex is a free normal one. */
int pthread_mutex_destroy(pthread_mutex_t *mx)
{
	struct pt_mutex *m = PT_MUTEX(mx);

	if (m->m.owner || !uk_waitq_empty(&m->m.wq))
		return EBUSY;
	return 0;
}

/* uklock refuses to relock a non-recursive mutex (-EDEADLK) instead of
 * hanging: errorcheck semantics for normal mutexes too, which POSIX allows
 * (relocking a normal mutex is undefined). */
int pthread_mutex_lock(pthread_mutex_t *mx)
{
	return -uk_mutex_lock(&PT_MUTEX(mx)->m);
}

int pthread_mutex_trylock(pthread_mutex_t *mx)
{
	int e = uk_mutex_trylock(&PT_MUTEX(mx)->m);

	return e == -EDEADLK ? EBUSY : -e;
}

int pthread_mutex_timedlock(pthread_mutex_t *__restrict mx,
			    const struct timespec *__restrict abs)
{
	uint64_t dl;
	int e;

	/* POSIX: no timeout check when the lock is free */
	e = uk_mutex_trylock(&PT_MUTEX(mx)->m);
	if (e != -EBUSY)
		return -e;
	e = uk_pthread_deadline(CLOCK_REALTIME, abs, &dl);
	if (e)
		return e;
	return -uk_mutex_timedlock(&PT_MUTEX(mx)->m, dl);
}

int pthread_mutex_unlock(pthread_mutex_t *mx)
{
	return -uk_mutex_unlock(&PT_MUTEX(mx)->m);
}

/* ---- condition variable ---- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clk)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return EINVAL;
	PT_CATTR(attr)->mono = clk == CLOCK_MONOTONIC;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *__restrict attr,
			      clockid_t *__restrict clk)
{
	*clk = ((const struct pt_condattr *)(const void *)attr)->mono
		       ? CLOCK_MONOTONIC
		       : CLOCK_REALTIME;
	return 0;
}

int pthread_cond_init(pthread_cond_t *cv, const pthread_condattr_t *attr)
{
	memset(cv, 0, sizeof(*cv));
	uk_condvar_init(&PT_COND(cv)->c);
	PT_COND(cv)->mono = attr ? PT_CATTR(attr)->mono : 0;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cv)
{
	return uk_waitq_empty(&PT_COND(cv)->c.wq) ? 0 : EBUSY;
}

int pthread_cond_wait(pthread_cond_t *__restrict cv,
		      pthread_mutex_t *__restrict mx)
{
	return -uk_condvar_wait(&PT_COND(cv)->c, &PT_MUTEX(mx)->m);
}

int pthread_cond_timedwait(pthread_cond_t *__restrict cv,
			   pthread_mutex_t *__restrict mx,
			   const struct timespec *__restrict abs)
{
	struct pt_cond *c = PT_COND(cv);
	uint64_t dl;
	int e;

	e = uk_pthread_deadline(c->mono ? CLOCK_MONOTONIC : CLOCK_REALTIME, abs,
				&dl);
	if (e)
		return e;
	return -uk_condvar_timedwait(&c->c, &PT_MUTEX(mx)->m, dl);
}

int pthread_cond_signal(pthread_cond_t *cv)
{
	uk_condvar_signal(&PT_COND(cv)->c);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cv)
{
	uk_condvar_broadcast(&PT_COND(cv)->c);
	return 0;
}

/* ---- rwlock ---- */

int pthread_rwlock_init(pthread_rwlock_t *__restrict rw,
			const pthread_rwlockattr_t *__restrict attr)
{
	(void)attr;
	memset(rw, 0, sizeof(*rw));
	uk_rwlock_init(PT_RWLOCK(rw));
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	struct uk_rwlock *l = PT_RWLOCK(rw);

	if (l->readers || l->writer || l->writers_waiting ||
	    !uk_waitq_empty(&l->rq))
		return EBUSY;
	return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return -uk_rwlock_rdlock(PT_RWLOCK(rw));
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return -uk_rwlock_wrlock(PT_RWLOCK(rw));
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return -uk_rwlock_tryrdlock(PT_RWLOCK(rw));
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return -uk_rwlock_trywrlock(PT_RWLOCK(rw));
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *__restrict rw,
			       const struct timespec *__restrict abs)
{
	uint64_t dl;
	int e = uk_rwlock_tryrdlock(PT_RWLOCK(rw));

	if (e != -EBUSY)
		return -e;
	e = uk_pthread_deadline(CLOCK_REALTIME, abs, &dl);
	return e ? e : -uk_rwlock_timedrdlock(PT_RWLOCK(rw), dl);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *__restrict rw,
			       const struct timespec *__restrict abs)
{
	uint64_t dl;
	int e = uk_rwlock_trywrlock(PT_RWLOCK(rw));

	if (e != -EBUSY)
		return -e;
	e = uk_pthread_deadline(CLOCK_REALTIME, abs, &dl);
	return e ? e : -uk_rwlock_timedwrlock(PT_RWLOCK(rw), dl);
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	return -uk_rwlock_unlock(PT_RWLOCK(rw));
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	(void)attr;
	return 0;
}

/* ---- semaphores: -1 and errno ---- */

static int sem_ret(int e)
{
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
	(void)pshared; /* one process: shared or not is the same */
	if (value > SEM_VALUE_MAX)
		return sem_ret(EINVAL);
	memset(sem, 0, sizeof(*sem));
	uk_semaphore_init(&PT_SEM(sem)->s, (long)value);
	return 0;
}

int sem_destroy(sem_t *sem)
{
	return sem_ret(uk_waitq_empty(&PT_SEM(sem)->s.wq) ? 0 : EBUSY);
}

int sem_wait(sem_t *sem)
{
	uk_semaphore_down(&PT_SEM(sem)->s);
	return 0;
}

int sem_trywait(sem_t *sem)
{
	return sem_ret(-uk_semaphore_trydown(&PT_SEM(sem)->s));
}

int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abs)
{
	uint64_t dl;
	int e = uk_semaphore_trydown(&PT_SEM(sem)->s);

	if (e != -EAGAIN)
		return sem_ret(-e);
	e = uk_pthread_deadline(CLOCK_REALTIME, abs, &dl);
	if (e)
		return sem_ret(e);
	return sem_ret(-uk_semaphore_down_timeout(&PT_SEM(sem)->s, dl));
}

int sem_post(sem_t *sem)
{
	struct pt_sem *s = PT_SEM(sem);

	if (s->s.count >= SEM_VALUE_MAX)
		return sem_ret(EOVERFLOW);
	uk_semaphore_up(&s->s);
	return 0;
}

int sem_getvalue(sem_t *__restrict sem, int *__restrict value)
{
	long c = PT_SEM(sem)->s.count;

	*value = c > 0 ? (int)c : 0;
	return 0;
}
