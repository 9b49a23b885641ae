/*
 * unikit: the pthread types of newlib images, in place of newlib's generic
 * sys/_pthreadtypes.h (32-bit handles into an object table). Here the
 * objects are the storage itself, sized for lib ukpthread's structures on
 * uklock (ukpthread checks the sizes at compile time); all-zero is a valid
 * unlocked default mutex, condition variable and rwlock, so the static
 * initialisers are zeros. Attribute structures are private to ukpthread.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <sys/sched.h>

struct __unikit_pthread;
typedef struct __unikit_pthread *pthread_t;

#define PTHREAD_SCOPE_PROCESS	0
#define PTHREAD_SCOPE_SYSTEM	1
#define PTHREAD_INHERIT_SCHED	1
#define PTHREAD_EXPLICIT_SCHED	2
#define PTHREAD_CREATE_DETACHED 0
#define PTHREAD_CREATE_JOINABLE 1
#define PTHREAD_STACK_MIN	16384

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED	1

#define PTHREAD_MUTEX_NORMAL	 0
#define PTHREAD_MUTEX_RECURSIVE	 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT	 3

typedef struct {
	unsigned long __u[4];
} pthread_attr_t;

typedef struct {
	unsigned long __u[5];
} pthread_mutex_t;
#define _PTHREAD_MUTEX_INITIALIZER \
	{                          \
		{                  \
			0          \
		}                  \
	}

typedef struct {
	int __u[2];
} pthread_mutexattr_t;

typedef struct {
	unsigned long __u[3];
} pthread_cond_t;
#define _PTHREAD_COND_INITIALIZER _PTHREAD_MUTEX_INITIALIZER

typedef struct {
	int __u[2];
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	int __state;
} pthread_once_t;
#define _PTHREAD_ONCE_INIT \
	{                  \
		0          \
	}

typedef struct {
	unsigned long __u[7];
} pthread_rwlock_t;
#define _PTHREAD_RWLOCK_INITIALIZER _PTHREAD_MUTEX_INITIALIZER

typedef struct {
	int __u[2];
} pthread_rwlockattr_t;

#endif /* ! _SYS__PTHREADTYPES_H_ */
