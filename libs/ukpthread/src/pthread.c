/* SPDX-License-Identifier: BSD-3-Clause */
/* Threads, once, keys, thread attributes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The main thread (and any thread not made by pthread_create) gets a
 * record on first use; UP: no race. */
static struct __unikit_pthread main_rec;

static struct __unikit_pthread *self_rec(void)
{
	struct uk_thread *t = uk_thread_current();

	if (!t)
		return &main_rec;
	if (!t->priv) {
		/* main, or a uksched thread pthread_self() first meets */
		struct __unikit_pthread *r = (t->flags & UK_THREAD_MAIN)
						     ? &main_rec
						     : calloc(1, sizeof(*r));

		/* (a record for a plain uksched thread is never freed) */
		if (!r)
			return &main_rec;
		r->t = t;
		r->detached = 1; /* nobody can join it through pthreads */
		t->priv = r;
	}
	return t->priv;
}

/* ---- keys ---- */

static struct {
	int used;
	void (*dtor)(void *);
} keys[UK_PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*dtor)(void *))
{
	for (unsigned int i = 0; i < UK_PTHREAD_KEYS_MAX; i++) {
		if (!keys[i].used) {
			keys[i].used = 1;
			keys[i].dtor = dtor;
			*key = i;
			return 0;
		}
	}
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= UK_PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = 0;
	keys[key].dtor = NULL;
	/* values are not destroyed (POSIX); clear the current thread's so a
	 * reused key starts at NULL there at least */
	self_rec()->specific[key] = NULL;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key >= UK_PTHREAD_KEYS_MAX || !keys[key].used)
		return NULL;
	return self_rec()->specific[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= UK_PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	self_rec()->specific[key] = (void *)(uintptr_t)value;
	return 0;
}

static void run_dtors(struct __unikit_pthread *r)
{
	for (int it = 0; it < UK_PTHREAD_DESTRUCTOR_ITERATIONS; it++) {
		int any = 0;

		for (unsigned int i = 0; i < UK_PTHREAD_KEYS_MAX; i++) {
			void *v = r->specific[i];

			if (!v || !keys[i].used || !keys[i].dtor)
				continue;
			r->specific[i] = NULL;
			keys[i].dtor(v);
			any = 1;
		}
		if (!any)
			break;
	}
}

/* ---- threads ---- */

static void trampoline(void *arg)
{
	struct __unikit_pthread *r = arg;

	pthread_exit(r->start(r->arg));
}

int pthread_create(pthread_t *th, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	const struct pt_attr *a = attr ? PT_ATTR(attr) : NULL;
	struct __unikit_pthread *r;

	if (!uk_sched_get_default())
		return EAGAIN; /* no scheduler linked/running */
	r = calloc(1, sizeof(*r));
	if (!r)
		return EAGAIN;
	r->start = start;
	r->arg = arg;
	r->detached = a && a->detach == PTHREAD_CREATE_DETACHED;
	r->t = uk_thread_create(NULL, "pthread", trampoline, r,
				a && a->stacksize ? a->stacksize
						  : UK_PTHREAD_STACK_DEFAULT);
	if (!r->t) {
		free(r);
		return EAGAIN;
	}
	/* UP, cooperative: the thread runs only once we block or yield */
	r->t->priv = r;
	if (r->detached)
		uk_thread_detach(r->t);
	*th = PT_ID(r);
	return 0;
}

void pthread_exit(void *ret)
{
	struct __unikit_pthread *r = self_rec();

	run_dtors(r);
	if (r == &main_rec || !r->start) {
		/* not a pthread_create() thread: end the image like returning
		 * from main would, once every other thread is done (POSIX) */
		struct uk_sched *s = uk_sched_get_default();

		while (s && s->nr_threads > 1)
			uk_sched_yield();
		exit(0);
	}
	r->ret = ret;
	r->exited = 1;
	if (r->detached) {
		r->t->priv = NULL;
		free(r);
	}
	uk_thread_exit(0);
}

int pthread_join(pthread_t th, void **ret)
{
	struct __unikit_pthread *r = PT_REC(th);
	int e;

	if (r == self_rec())
		return EDEADLK;
	if (!r || !r->start)
		return ESRCH;
	if (r->detached)
		return EINVAL;
	e = uk_thread_join(r->t, NULL);
	if (e < 0)
		return -e;
	if (ret)
		*ret = r->ret;
	free(r);
	return 0;
}

int pthread_detach(pthread_t th)
{
	struct __unikit_pthread *r = PT_REC(th);
	int e;

	if (!r || !r->start)
		return ESRCH;
	if (r->detached)
		return EINVAL;
	e = uk_thread_detach(r->t);
	if (e < 0)
		return -e;
	if (r->exited) {
		free(r); /* uksched freed the thread already */
		return 0;
	}
	r->detached = 1;
	return 0;
}

pthread_t pthread_self(void)
{
	return PT_ID(self_rec());
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int sched_yield(void)
{
	uk_sched_yield();
	return 0;
}

/* No asynchronous cancellation in unikit: the state is recorded, never
 * acted on (newlib's stdio calls this around its locked sections). */
int pthread_setcancelstate(int state, int *old)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = PTHREAD_CANCEL_ENABLE;
	return 0;
}

/* ---- once ---- */

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	volatile int *st = (volatile int *)(void *)once;

	if (*st == 2)
		return 0;
	if (*st == 1) {
		/* another thread is in fn (it blocked): wait for it (UP) */
		while (*st == 1)
			uk_sched_yield();
		return 0;
	}
	*st = 1;
	fn();
	*st = 2;
	return 0;
}

/* ---- thread attributes ---- */

int pthread_attr_init(pthread_attr_t *attr)
{
	struct pt_attr *a = PT_ATTR(attr);

	memset(attr, 0, sizeof(*attr));
	a->detach = PTHREAD_CREATE_JOINABLE;
	a->init = 1;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	PT_ATTR(attr)->init = 0;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < UK_PTHREAD_STACK_MIN || size > (1UL << 30))
		return EINVAL;
	PT_ATTR(attr)->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	const struct pt_attr *a = (const struct pt_attr *)(const void *)attr;

	/* 0 means the scheduler's default (64 KiB unless configured) */
	*size = a->stacksize ? a->stacksize : UK_PTHREAD_STACK_DEFAULT;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_DETACHED &&
	    state != PTHREAD_CREATE_JOINABLE)
		return EINVAL;
	PT_ATTR(attr)->detach = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = ((const struct pt_attr *)(const void *)attr)->detach;
	return 0;
}
