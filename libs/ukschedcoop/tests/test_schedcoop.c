/* SPDX-License-Identifier: BSD-3-Clause */
/* ukschedcoop unit tests, with the real uksched core and context switch.
 * Threads never call cmocka asserts (a failure would longjmp across
 * stacks): they count errors, which the main thread checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/schedcoop.h>

/* host allocator and fake clock, shared with uksched's tests */
#include <uk/sched_testing.h>

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

static void *last_tp;

static void fake_set_tls(void *tp)
{
	last_tp = tp;
}

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.set_tls = fake_set_tls,
		.idle = fake_idle,
		.tls_size = 64,
		.default_stack_size = 32768,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	host_live = 0;
	idle_calls = 0;
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	return host_live != 0 || errors != 0 || coop.rq_head || coop.sl_head;
}

static void test_init_errors(void **state)
{
	struct uk_sched_config cfg = {.a = &host_alloc};

	(void)state;
	assert_int_equal(uk_schedcoop_init(NULL, &cfg), -EINVAL);
	assert_int_equal(uk_schedcoop_init(&coop, &cfg), -EINVAL); /* no now */
}

/* ---- 10,000 threads, in batches ---- */

#define NTHREADS 10000
#define BATCH	 250
static unsigned long ran;

static void counter(void *arg)
{
	CHECK(uk_thread_current()->arg == arg);
	CHECK(last_tp == uk_thread_current()->tls && last_tp);
	uk_sched_yield();
	ran++;
	if ((uintptr_t)arg % 3 == 0)
		uk_thread_exit((int)((uintptr_t)arg % 1000));
}

static void test_many_threads(void **state)
{
	struct uk_thread *t[BATCH];
	unsigned long i, j;
	int st;

	(void)state;
	ran = 0;
	for (i = 0; i < NTHREADS; i += BATCH) {
		for (j = 0; j < BATCH; j++) {
			t[j] = uk_thread_create(NULL, "n", counter,
						(void *)(uintptr_t)(i + j), 0);
			assert_non_null(t[j]);
		}
		assert_int_equal(coop.sched.nr_threads, BATCH + 1);
		for (j = 0; j < BATCH; j++) {
			assert_int_equal(uk_thread_join(t[j], &st), 0);
			assert_int_equal(st, (i + j) % 3 == 0
						     ? (int)((i + j) % 1000)
						     : 0);
		}
	}
	assert_int_equal(ran, NTHREADS);
	assert_int_equal(coop.sched.nr_threads, 1);
	assert_int_equal(errors, 0);
	assert_int_equal(idle_calls, 0);
}

/* detached threads are freed by whoever runs after them */
static void test_many_detached(void **state)
{
	unsigned long i;

	(void)state;
	ran = 0;
	for (i = 0; i < 1000; i++) {
		struct uk_thread *t = uk_thread_create(
			NULL, "d", counter, (void *)(uintptr_t)(i * 3 + 1), 0);

		assert_int_equal(uk_thread_detach(t), 0);
		if (i % 100 == 99)
			while (coop.sched.nr_threads > 1)
				uk_sched_yield();
	}
	assert_int_equal(ran, 1000);
	uk_sched_yield(); /* the last reap */
	assert_int_equal(host_live, 0);
}

/* ---- round robin ---- */

static char order[64];
static int norder;

static void rr(void *arg)
{
	int k;

	for (k = 0; k < 3; k++) {
		order[norder++] = *(const char *)arg;
		uk_sched_yield();
	}
}

static void test_round_robin(void **state)
{
	struct uk_thread *t[3];

	(void)state;
	norder = 0;
	t[0] = uk_thread_create(NULL, "a", rr, "a", 0);
	t[1] = uk_thread_create(NULL, "b", rr, "b", 0);
	t[2] = uk_thread_create(NULL, "c", rr, "c", 0);
	uk_sched_yield(); /* main goes behind a b c */
	order[norder++] = 'M';
	uk_sched_yield();
	order[norder++] = 'M';
	order[norder] = 0;
	assert_string_equal(order, "abcMabcM");
	for (int i = 0; i < 3; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	order[norder] = 0;
	assert_string_equal(order, "abcMabcMabc");
}

/* ---- sleep ordering with the fake clock ---- */

#define NSLEEP 100
static int woke[NSLEEP];
static uint64_t woke_at[NSLEEP];
static int nwoke;

static void sleeper(void *arg)
{
	int ms = (int)(uintptr_t)arg;
	uint64_t t0 = uk_sched_now();

	uk_sched_sleep_ns((uint64_t)ms * 1000000);
	woke_at[nwoke] = uk_sched_now() - t0;
	woke[nwoke++] = ms;
}

static void test_sleep_order(void **state)
{
	struct uk_thread *t[NSLEEP];
	int i;

	(void)state;
	nwoke = 0;
	/* 1..100 ms, created in a scrambled order */
	for (i = 0; i < NSLEEP; i++)
		t[i] = uk_thread_create(
			NULL, "s", sleeper,
			(void *)(uintptr_t)(i * 37 % NSLEEP + 1), 0);
	for (i = 0; i < NSLEEP; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(nwoke, NSLEEP);
	for (i = 0; i < NSLEEP; i++) {
		assert_int_equal(woke[i], i + 1);
		assert_int_equal(woke_at[i], (uint64_t)(i + 1) * 1000000);
	}
	/* one idle per distinct deadline, each jumping the clock to it */
	assert_int_equal(idle_calls, NSLEEP);
	assert_int_equal(coop.nr_idle, NSLEEP);
}

static void same_deadline(void *arg)
{
	uk_sched_sleep_until(5000);
	order[norder++] = *(const char *)arg;
}

static void test_equal_deadlines_fifo(void **state)
{
	struct uk_thread *t[4];
	const char *names[4] = {"a", "b", "c", "d"};
	int i;

	(void)state;
	norder = 0;
	for (i = 0; i < 4; i++)
		t[i] = uk_thread_create(NULL, names[i], same_deadline,
					(void *)names[i], 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	order[norder] = 0;
	assert_string_equal(order, "abcd");
	assert_int_equal(fake_ns, 5000);
}

/* ---- wait queue timeouts ---- */

static struct uk_waitq wq;

static void timed_waiter(void *arg)
{
	int *rc = arg;

	*rc = uk_waitq_wait_timeout(&wq, uk_sched_now() + 2000);
}

static void test_timeout(void **state)
{
	int rc[2] = {1, 1};
	struct uk_thread *a, *b;

	(void)state;
	uk_waitq_init(&wq);
	a = uk_thread_create(NULL, "a", timed_waiter, &rc[0], 0);
	b = uk_thread_create(NULL, "b", timed_waiter, &rc[1], 0);
	uk_sched_yield();
	assert_int_equal(uk_waitq_wake_one(&wq), 1);
	assert_int_equal(uk_thread_join(a, NULL), 0);
	assert_int_equal(uk_thread_join(b, NULL), 0);
	assert_int_equal(rc[0], 0);
	assert_int_equal(rc[1], -ETIMEDOUT);
	assert_int_equal(fake_ns, 2001);
	assert_true(uk_waitq_empty(&wq));
}

/* ---- no idle hook: the scheduler polls the clock ---- */

static uint64_t poll_ns;

static uint64_t polled_now(void)
{
	return poll_ns += 1000;
}

static void test_no_idle_hook(void **state)
{
	struct uk_sched_config cfg = {.a = &host_alloc, .now = polled_now};

	(void)state;
	assert_int_equal(uk_schedcoop_init(&coop, &cfg), 0);
	poll_ns = 0;
	uk_sched_sleep_ns(50000);
	assert_true(poll_ns >= 50000);
	assert_true(coop.nr_idle > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test_setup_teardown(test_many_threads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_detached, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_robin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sleep_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_equal_deadlines_fifo,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_idle_hook, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
