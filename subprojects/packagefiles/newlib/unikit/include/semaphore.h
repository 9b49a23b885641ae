/*
 * unikit: POSIX unnamed semaphores for newlib images (newlib has no
 * <semaphore.h>); implemented by lib ukpthread on uklock's semaphore.
 */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H

#include <sys/cdefs.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned long __u[4];
} sem_t;

#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED    ((sem_t *)0)

int sem_init(sem_t *, int, unsigned int);
int sem_destroy(sem_t *);
int sem_wait(sem_t *);
int sem_trywait(sem_t *);
int sem_timedwait(sem_t *__restrict, const struct timespec *__restrict);
int sem_post(sem_t *);
int sem_getvalue(sem_t *__restrict, int *__restrict);

#ifdef __cplusplus
}
#endif

#endif
