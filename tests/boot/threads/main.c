/* Boot test app: uksched + ukschedcoop + uklock in a real image. Four
 * sleepers (10-40 ms on the timer) check their per-thread TLS block through
 * the FS base; a producer and a consumer hand 100,000 items through a mutex
 * and a condition variable, in order. Exit status 0 when all is well. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#if defined(__x86_64__)
#include <uk/arch/x86_64.h>
#define cycles() ukarch_rdtsc()
#else
#include <uk/arch/arm64.h>
#define cycles() ukarch_cntvct()
#endif
#include <uk/lock.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/memory.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/schedcoop.h>

/* The thread pointer as the CPU has it (x86_64: the TCB's self pointer
 * through FS; arm64: TPIDR_EL0). */
static void *fs0(void)
{
	void *p;
#if defined(__x86_64__)
	__asm__ volatile("movq %%fs:0, %0" : "=r"(p));
#else
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(p));
#endif
	return p;
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

/* a real thread-local variable: every thread starts from the template */
static __thread long tls_value = 7;

static void sleeper(void *arg)
{
	uint64_t ms = (uintptr_t)arg, t0 = uk_sched_now();

	if (tls_value != 7)
		bad++; /* not a fresh copy of the TLS template */
	uk_sched_sleep_ns(ms * 1000000);
	uint64_t d = uk_sched_now() - t0;
	tls_value = (long)ms;
	uk_sched_yield();
	if (fs0() != uk_thread_current()->tls || tls_value != (long)ms)
		bad++;
	printf("slept %llu ms: %llu us\n", (unsigned long long)ms,
	       (unsigned long long)(d / 1000));
	if (d < ms * 1000000)
		bad++;
}

static long items = 100000;

static void producer(void *arg)
{
	(void)arg;
	for (long i = 1; i <= items; i++) {
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
	for (long i = 1; i <= items; i++) {
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

static int bench(void)
{
	uint64_t n0 = ukplat_monotonic_clock(), t0 = cycles();
	struct uk_thread *a = uk_thread_create(NULL, "a", yielder, NULL, 0);
	struct uk_thread *b = uk_thread_create(NULL, "b", yielder, NULL, 0);
	uk_thread_join(a, NULL);
	uk_thread_join(b, NULL);
	uint64_t t1 = cycles(), n1 = ukplat_monotonic_clock();
	for (int i = 0; i < 1000; i++)
		uk_thread_join(uk_thread_create(NULL, "n", nothing, NULL, 0),
			       NULL);
	uint64_t t2 = cycles(), n2 = ukplat_monotonic_clock();
	printf("threads: bench: %llu ticks per yield round trip, %llu per "
	       "create+join\n",
	       (unsigned long long)((t1 - t0) / BENCH_ROUNDS),
	       (unsigned long long)((t2 - t1) / 1000));
	printf("threads: bench: %llu ns per yield round trip, %llu per "
	       "create+join\n",
	       (unsigned long long)((n1 - n0) / BENCH_ROUNDS),
	       (unsigned long long)((n2 - n1) / 1000));
	return 0;
}

/* `threads many`: create and join 10,000 threads, 100 at a time */
static int many(void)
{
	static struct uk_thread *t[100];
	long done = 0;

	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 100; i++) {
			t[i] = uk_thread_create(NULL, "n", nothing, NULL, 0);
			if (!t[i]) {
				printf("threads: create failed at %ld\n", done);
				return 1;
			}
		}
		for (int i = 0; i < 100; i++)
			done += uk_thread_join(t[i], NULL) == 0;
	}
	printf("threads: many: %ld created and joined\n", done);
	return done != 10000;
}

/*
 * `threads sleeporder`: threads sleeping until base + 1..100 ms wake in
 * that order. The deadlines are absolute, from one base, so that the time
 * it takes to create and start the threads does not change the expected
 * order. A thread that starts after its deadline has passed proves
 * nothing about the order (it does not sleep at all): then the run is
 * repeated with a base further ahead, up to 5 times.
 */
static int wake_order[100], woken, late;
static uint64_t order_base;

static void orderly(void *arg)
{
	long ms = (long)(intptr_t)arg;
	uint64_t deadline = order_base + (uint64_t)ms * 1000000;

	if (uk_sched_now() >= deadline)
		late++;
	uk_sched_sleep_until(deadline);
	wake_order[woken++] = (int)ms;
}

static int sleeporder(void)
{
	static struct uk_thread *t[100];
	int i, ok = 1;

	for (int attempt = 0; attempt < 5; attempt++) {
		uint64_t margin_ms = 20ull << attempt;

		woken = late = 0;
		order_base = uk_sched_now() + margin_ms * 1000000;
		for (i = 0; i < 100; i++) /* created in reverse: 100 ms first */
			t[i] = uk_thread_create(NULL, "z", orderly,
						(void *)(intptr_t)(100 - i), 0);
		for (i = 0; i < 100; i++)
			uk_thread_join(t[i], NULL);
		if (late) {
			printf("threads: sleeporder: %d threads started after "
			       "their deadline (base %llu ms ahead), again\n",
			       late, (unsigned long long)margin_ms);
			continue;
		}
		for (i = 0; i < 100; i++)
			ok &= wake_order[i] == i + 1;
		printf("threads: sleeporder: %d woke, %s\n", woken,
		       ok ? "in deadline order" : "OUT OF ORDER");
		return !ok || woken != 100;
	}
	printf("threads: sleeporder: inconclusive, threads kept starting "
	       "after their deadlines\n");
	return 1;
}

/* `threads sem`: a semaphore ping-pong, 10,000 rounds */
static struct uk_semaphore sem[2];
static long pings;

static void pinger(void *arg)
{
	long me = (long)(intptr_t)arg;
	for (int i = 0; i < 10000; i++) {
		uk_semaphore_down(&sem[me]);
		pings++;
		uk_semaphore_up(&sem[!me]);
	}
}

static int sems(void)
{
	uk_semaphore_init(&sem[0], 1);
	uk_semaphore_init(&sem[1], 0);
	struct uk_thread *a = uk_thread_create(NULL, "a", pinger, (void *)0, 0);
	struct uk_thread *b = uk_thread_create(NULL, "b", pinger, (void *)1, 0);
	uk_thread_join(a, NULL);
	uk_thread_join(b, NULL);
	int late = uk_semaphore_down_timeout(&sem[1],
					     uk_sched_now() + 1000000) == 0;
	printf("threads: sem: %ld pings, timeout %s\n", pings,
	       late ? "did not fire" : "fired");
	return pings != 20000 || late;
}

/* `threads fpu`: each thread keeps its own SSE register and double */
static int fpu_bad;

static void fpu_thread(void *arg)
{
	double mine = (double)(intptr_t)arg * 1.5, acc = 0;
	uint64_t x = (uint64_t)(intptr_t)arg * 0x0101010101010101ull, back;

#if defined(__x86_64__)
	__asm__ __volatile__("movq %0, %%xmm7" : : "r"(x) : "xmm7");
#else
	__asm__ __volatile__("fmov d7, %0" : : "r"(x) : "v7");
#endif
	for (int i = 0; i < 50; i++) {
		acc += mine;
		uk_sched_yield();
#if defined(__x86_64__)
		__asm__ __volatile__("movq %%xmm7, %0" : "=r"(back));
#else
		__asm__ __volatile__("fmov %0, d7" : "=r"(back));
#endif
		if (back != x)
			fpu_bad++;
	}
	if (acc != mine * 50)
		fpu_bad++;
}

static int fpu(void)
{
	struct uk_thread *t[4];
	for (int i = 0; i < 4; i++)
		t[i] = uk_thread_create(NULL, "f", fpu_thread,
					(void *)(intptr_t)(i + 1), 0);
	for (int i = 0; i < 4; i++)
		uk_thread_join(t[i], NULL);
	printf("threads: fpu: %d threads, %d corruptions\n", 4, fpu_bad);
	return fpu_bad != 0;
}

/* `threads overflow`: a thread recursing without end must hit its guard
 * page, and the crash report must name it */
static unsigned long (*volatile down_fn)(unsigned long);

static unsigned long down(unsigned long n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	return down_fn(n + 1) + pad[0];
}

static void deep(void *arg)
{
	(void)arg;
	down_fn = down;
	printf("threads: overflow: %lu\n", down_fn(0));
}

static int overflow(void)
{
	struct uk_thread *t = uk_thread_create(NULL, "deep", deep, NULL, 0);
	uk_thread_join(t, NULL);
	printf("threads: overflow: the guard page did not stop it\n");
	return 1;
}

int main(int argc, char *argv[])
{
	struct uk_sched_config cfg = {
		.a = uk_alloc_get_default(),
		.now = ukplat_monotonic_clock,
		.set_tls = ukplat_tlsp_set,
		.idle = idle,
		.guard_page = ukplat_page_guard,
	};
	struct uk_thread *t[6];
	int i;

	if (uk_sched_tls_image(&cfg) || !cfg.tls_size)
		return 2;
	/* ukschedcoop's boot init normally set the default scheduler up
	 * already; ours only when it did not */
	int own = !uk_sched_get_default();
	if (own && uk_schedcoop_init(&coop, &cfg))
		return 2;
	/* __thread in the main thread too (boot init gave it a block) */
	if (!own && (fs0() != uk_thread_current()->tls || tls_value != 7))
		bad++;
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "bench"))
		return bench();
	if (!strcmp(mode, "many"))
		return many();
	if (!strcmp(mode, "sleeporder"))
		return sleeporder();
	if (!strcmp(mode, "sem"))
		return sems();
	if (!strcmp(mode, "fpu"))
		return fpu();
	if (!strcmp(mode, "overflow"))
		return overflow();
	if (!strcmp(mode, "million"))
		items = 1000000;
	uk_mutex_init(&m, 0);
	uk_condvar_init(&cv);
	for (i = 0; i < 4; i++)
		t[i] = uk_thread_create(NULL, "s", sleeper,
					(void *)(uintptr_t)(40 - 10 * i), 0);
	t[4] = uk_thread_create(NULL, "p", producer, NULL, 0);
	t[5] = uk_thread_create(NULL, "c", consumer, NULL, 0);
	for (i = 0; i < 6; i++)
		uk_thread_join(t[i], NULL);
	printf("threads: got %ld, bad %d, switches %llu\n", got, bad,
	       (unsigned long long)uk_sched_get_default()->nr_switches);
	return bad || got != items;
}
