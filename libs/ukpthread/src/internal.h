/* SPDX-License-Identifier: BSD-3-Clause */
/* ukpthread's objects, stored inside the libc's pthread types. */
#ifndef UK_PTHREAD_INTERNAL_H
#define UK_PTHREAD_INTERNAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <uk/lock.h>
#include <uk/pthread.h>
#include <uk/sched.h>

/* A pthread: what pthread_t points at. */
struct __unikit_pthread {
	struct uk_thread *t;
	void *(*start)(void *);
	void *arg;
	void *ret;
	int detached; /* pthread_detach()ed or created detached */
	int exited;   /* past pthread_exit() */
	void *specific[UK_PTHREAD_KEYS_MAX];
};

struct pt_attr {
	size_t stacksize; /* 0: UK_PTHREAD_STACK_DEFAULT */
	int detach;	  /* PTHREAD_CREATE_* */
	int init;
};

struct pt_mutex {
	struct uk_mutex m;
	int type; /* PTHREAD_MUTEX_*; 0 (zeroed) = normal */
};

struct pt_mutexattr {
	int type;
};

struct pt_cond {
	struct uk_condvar c;
	int mono; /* timeouts on CLOCK_MONOTONIC; 0 (zeroed): CLOCK_REALTIME */
};

struct pt_condattr {
	int mono;
};

struct pt_sem {
	struct uk_semaphore s;
};

/* The storage the libc gives each type must hold ours. */
#define PT_FITS(ours, theirs)                                      \
	_Static_assert(sizeof(ours) <= sizeof(theirs) &&           \
			       _Alignof(ours) <= _Alignof(theirs), \
		       #theirs " is too small for ukpthread's " #ours)

PT_FITS(struct pt_attr, pthread_attr_t);
PT_FITS(struct pt_mutex, pthread_mutex_t);
PT_FITS(struct pt_mutexattr, pthread_mutexattr_t);
PT_FITS(struct pt_cond, pthread_cond_t);
PT_FITS(struct pt_condattr, pthread_condattr_t);
PT_FITS(struct uk_rwlock, pthread_rwlock_t);
PT_FITS(struct pt_sem, sem_t);
PT_FITS(int, pthread_once_t);

/* pthread_t <-> record (a pointer type in unikit's newlib headers; the
 * native tests build against the host's, where it is an integer) */
#define PT_REC(p) ((struct __unikit_pthread *)(uintptr_t)(p))
#define PT_ID(r)  ((pthread_t)(uintptr_t)(r))

#define PT_MUTEX(x)  ((struct pt_mutex *)(void *)(x))
#define PT_COND(x)   ((struct pt_cond *)(void *)(x))
#define PT_RWLOCK(x) ((struct uk_rwlock *)(void *)(x))
#define PT_SEM(x)    ((struct pt_sem *)(void *)(x))
#define PT_ATTR(x)   ((struct pt_attr *)(void *)(x))
#define PT_MATTR(x)  ((struct pt_mutexattr *)(void *)(x))
#define PT_CATTR(x)  ((struct pt_condattr *)(void *)(x))

#endif
