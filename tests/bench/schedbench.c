/* Native scheduler benchmark for `./unikit bench sched`: unikit threads
 * (uksched + ukschedcoop + uklock, the real context switch, in this process,
 * as on linuxu) against Linux pthreads (futex) doing the same things, in one
 * run. Output: `bench: sched.<metric> VALUE UNIT` lines.
 *   yield:        round trip between two threads that hand the CPU back and
 *                 forth (unikit: uk_sched_yield; pthreads: two semaphores,
 *                 post/wait, i.e. futex wake and wait, pinned to one CPU)
 *   mutex_handoff: a mutex + condition variable ping-pong (both sides)
 *   create:       create + join of a thread that returns at once */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <uk/alloc.h>
#include <uk/lock.h>
#include <uk/schedcoop.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* host_alloc (a host-malloc struct uk_alloc) and fake_now: the doubles the
 * uksched tests use */
#include <uk/sched_testing.h>

#define ROUNDS	200000l
#define CREATES 20000l

/* ---- unikit ---- */
static struct uk_mutex um;
static struct uk_condvar ucv;
static long uturn;

static void u_yielder(void *arg)
{
	(void)arg;
	for (long i = 0; i < ROUNDS; i++)
		uk_sched_yield();
}

static void u_pingpong(void *arg)
{
	long me = (long)(intptr_t)arg;
	for (long i = 0; i < ROUNDS; i++) {
		uk_mutex_lock(&um);
		while (uturn != me)
			uk_condvar_wait(&ucv, &um);
		uturn = !me;
		uk_condvar_signal(&ucv);
		uk_mutex_unlock(&um);
	}
}

static void u_nothing(void *arg)
{
	(void)arg;
}

/* ---- pthreads ---- */
static sem_t ps[2];
static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pcv = PTHREAD_COND_INITIALIZER;
static long pturn;

static void *p_yielder(void *arg)
{
	long me = (long)(intptr_t)arg;
	for (long i = 0; i < ROUNDS; i++) {
		sem_wait(&ps[me]);
		sem_post(&ps[!me]);
	}
	return NULL;
}

static void *p_pingpong(void *arg)
{
	long me = (long)(intptr_t)arg;
	for (long i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&pm);
		while (pturn != me)
			pthread_cond_wait(&pcv, &pm);
		pturn = !me;
		pthread_cond_signal(&pcv);
		pthread_mutex_unlock(&pm);
	}
	return NULL;
}

static void *p_nothing(void *arg)
{
	return arg;
}

int main(void)
{
	/* one CPU for both, like a unikernel's single vCPU */
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);

	static struct uk_schedcoop coop;
	struct uk_sched_config cfg = {.a = &host_alloc, .now = fake_now};
	if (uk_schedcoop_init(&coop, &cfg)) {
		fprintf(stderr, "schedbench: scheduler init failed\n");
		return 1;
	}
	uk_mutex_init(&um, 0);
	uk_condvar_init(&ucv);

	/* yield round trip: two threads, each yields ROUNDS times */
	double t0 = now_s();
	struct uk_thread *a = uk_thread_create(NULL, "a", u_yielder, NULL, 0);
	struct uk_thread *b = uk_thread_create(NULL, "b", u_yielder, NULL, 0);
	uk_thread_join(a, NULL);
	uk_thread_join(b, NULL);
	double uk_yield = (now_s() - t0) / ROUNDS * 1e9;

	t0 = now_s();
	a = uk_thread_create(NULL, "p0", u_pingpong, (void *)0, 0);
	b = uk_thread_create(NULL, "p1", u_pingpong, (void *)1, 0);
	uk_thread_join(a, NULL);
	uk_thread_join(b, NULL);
	double uk_mutex = (now_s() - t0) / ROUNDS * 1e9;

	t0 = now_s();
	for (long i = 0; i < CREATES; i++)
		uk_thread_join(uk_thread_create(NULL, "n", u_nothing, NULL, 0),
			       NULL);
	double uk_create = (now_s() - t0) / CREATES * 1e9;

	pthread_t pa, pb;
	sem_init(&ps[0], 0, 1);
	sem_init(&ps[1], 0, 0);
	t0 = now_s();
	pthread_create(&pa, NULL, p_yielder, (void *)0);
	pthread_create(&pb, NULL, p_yielder, (void *)1);
	pthread_join(pa, NULL);
	pthread_join(pb, NULL);
	double p_yield = (now_s() - t0) / ROUNDS * 1e9;

	t0 = now_s();
	pthread_create(&pa, NULL, p_pingpong, (void *)0);
	pthread_create(&pb, NULL, p_pingpong, (void *)1);
	pthread_join(pa, NULL);
	pthread_join(pb, NULL);
	double p_mutex = (now_s() - t0) / ROUNDS * 1e9;

	t0 = now_s();
	for (long i = 0; i < CREATES / 4; i++) {
		pthread_create(&pa, NULL, p_nothing, NULL);
		pthread_join(pa, NULL);
	}
	double p_create = (now_s() - t0) / (CREATES / 4) * 1e9;

	printf("bench: sched.yield.ns %.1f ns\n", uk_yield);
	printf("bench: sched.yield.pthread_ns %.1f ns\n", p_yield);
	printf("bench: sched.yield.vs_pthread %.1f x\n", p_yield / uk_yield);
	printf("bench: sched.mutex_handoff.ns %.1f ns\n", uk_mutex);
	printf("bench: sched.mutex_handoff.pthread_ns %.1f ns\n", p_mutex);
	printf("bench: sched.mutex_handoff.vs_pthread %.1f x\n",
	       p_mutex / uk_mutex);
	printf("bench: sched.create.ns %.1f ns\n", uk_create);
	printf("bench: sched.create.pthread_ns %.1f ns\n", p_create);
	printf("bench: sched.create.vs_pthread %.1f x\n", p_create / uk_create);
	return 0;
}
