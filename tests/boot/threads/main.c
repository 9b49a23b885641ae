/* Boot test app: uksched + ukschedcoop + uklock in a real image. Four
 * sleepers (10-40 ms on the timer) check their per-thread TLS block through
 * the FS base; a producer and a consumer hand 100,000 items through a mutex
 * and a condition variable, in order. Exit status 0 when all is well. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/alloc.h>
#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/schedcoop.h>

static void *fs0(void)
{
	void *p;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(p));
	return p;
}

static void set_fs(void *tp)
{
	uint64_t v = (uintptr_t)tp;
	__asm__ volatile("wrmsr"
			 :
			 : "c"(0xc0000100u), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

static void idle(uint64_t d)
{
	if (d == UK_SCHED_FOREVER) {
		printf("threads: deadlock: no thread can run and none "
		       "sleeps\n");
		exit(3);
	}
	ukplat_halt_until(d);
}

static struct uk_schedcoop coop;
static struct uk_mutex m;
static struct uk_condvar cv;
static long q, got;
static int bad;

static void sleeper(void *arg)
{
	uint64_t ms = (uintptr_t)arg, t0 = uk_sched_now();

	uk_sched_sleep_ns(ms * 1000000);
	uint64_t d = uk_sched_now() - t0;
	long *slot = (long *)((char *)fs0() - 8);
	*slot = (long)ms;
	uk_sched_yield();
	if (fs0() != uk_thread_current()->tls || *slot != (long)ms)
		bad++;
	printf("slept %llu ms: %llu us\n", (unsigned long long)ms,
	       (unsigned long long)(d / 1000));
	if (d < ms * 1000000)
		bad++;
}

static void producer(void *arg)
{
	(void)arg;
	for (long i = 1; i <= 100000; i++) {
		uk_mutex_lock(&m);
		while (q)
			uk_condvar_wait(&cv, &m);
		q = i;
		uk_condvar_signal(&cv);
		uk_mutex_unlock(&m);
	}
}

static void consumer(void *arg)
{
	(void)arg;
	for (long i = 1; i <= 100000; i++) {
		uk_mutex_lock(&m);
		while (!q)
			uk_condvar_wait(&cv, &m);
		if (q != i)
			bad++;
		q = 0;
		got++;
		uk_condvar_signal(&cv);
		uk_mutex_unlock(&m);
	}
}

/* `threads bench`: guest instructions (TSC ticks under -icount shift=0)
 * per yield round trip and per create+join, for ./unikit bench sched */
#define BENCH_ROUNDS 10000

static void yielder(void *arg)
{
	(void)arg;
	for (int i = 0; i < BENCH_ROUNDS; i++)
		uk_sched_yield();
}

static void nothing(void *arg)
{
	(void)arg;
}

static uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int bench(void)
{
	uint64_t t0 = tsc();
	struct uk_thread *a = uk_thread_create(NULL, "a", yielder, NULL, 0);
	struct uk_thread *b = uk_thread_create(NULL, "b", yielder, NULL, 0);
	uk_thread_join(a, NULL);
	uk_thread_join(b, NULL);
	uint64_t t1 = tsc();
	for (int i = 0; i < 1000; i++)
		uk_thread_join(uk_thread_create(NULL, "n", nothing, NULL, 0),
			       NULL);
	uint64_t t2 = tsc();
	printf("threads: bench: %llu ticks per yield round trip, %llu per "
	       "create+join\n",
	       (unsigned long long)((t1 - t0) / BENCH_ROUNDS),
	       (unsigned long long)((t2 - t1) / 1000));
	return 0;
}

int main(int argc, char *argv[])
{
	struct uk_sched_config cfg = {
		.a = uk_alloc_get_default(),
		.now = ukplat_monotonic_clock,
		.set_tls = set_fs,
		.idle = idle,
		.tls_size = 256,
	};
	struct uk_thread *t[6];
	int i;

	if (uk_schedcoop_init(&coop, &cfg))
		return 2;
	if (argc > 1 && argv[1][0] == 'b')
		return bench();
	uk_mutex_init(&m, 0);
	uk_condvar_init(&cv);
	/* TLS: variant II, each sleeper keeps a value just below its thread
	 * pointer; with tls_init NULL the block starts zeroed */
	for (i = 0; i < 4; i++)
		t[i] = uk_thread_create(NULL, "s", sleeper,
					(void *)(uintptr_t)(40 - 10 * i), 0);
	t[4] = uk_thread_create(NULL, "p", producer, NULL, 0);
	t[5] = uk_thread_create(NULL, "c", consumer, NULL, 0);
	for (i = 0; i < 6; i++)
		uk_thread_join(t[i], NULL);
	printf("threads: got %ld, bad %d, switches %llu\n", got, bad,
	       (unsigned long long)coop.sched.nr_switches);
	return bad || got != 100000;
}
