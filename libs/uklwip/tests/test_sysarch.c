/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip: sys_arch semantics (semaphores, mutexes, mailboxes with
 * timeouts, threads, time) on the real uksched/ukschedcoop and uklock with
 * a fake clock. Threads never call cmocka asserts: they count errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>

#include "lwip/opt.h"
#include "lwip/sys.h"

#include <uk/schedcoop.h>
#include <uk/sched_testing.h>

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)
#define MS 1000000ULL

/* netif.c's hook (not linked into this test's needs, but sys_arch.c
 * calls it on core unlock) is in the stack library */

static void test_time(void **state)
{
	(void)state;
	fake_ns = 5 * MS + 7;
	assert_int_equal(sys_now(), 5);
	fake_ns += 1000 * MS;
	assert_int_equal(sys_now(), 1005);
}

static void test_mbox_fifo_and_full(void **state)
{
	sys_mbox_t mb;
	void *m;
	int a, b, c;

	(void)state;
	assert_int_equal(sys_mbox_new(&mb, 2), ERR_OK);
	assert_true(sys_mbox_valid(&mb));
	assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), SYS_MBOX_EMPTY);
	assert_int_equal(sys_mbox_trypost(&mb, &a), ERR_OK);
	sys_mbox_post(&mb, &b);
	assert_int_equal(sys_mbox_trypost(&mb, &c), ERR_MEM); /* full */
	assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), 0);
	assert_ptr_equal(m, &a);
	assert_int_equal(sys_mbox_trypost(&mb, &c), ERR_OK); /* wraps */
	assert_int_not_equal(sys_arch_mbox_fetch(&mb, &m, 0), SYS_ARCH_TIMEOUT);
	assert_ptr_equal(m, &b);
	assert_int_not_equal(sys_arch_mbox_fetch(&mb, NULL, 0),
			     SYS_ARCH_TIMEOUT);
	sys_mbox_free(&mb);
	assert_false(sys_mbox_valid(&mb));
}

/* a mailbox grows from a few slots to the size asked for, keeping the
 * order across the wrap, and is full exactly there */
static void test_mbox_grows(void **state)
{
	enum { N = 100 };
	sys_mbox_t mb;
	int v[N];
	void *m;
	int i, round;

	(void)state;
	assert_int_equal(sys_mbox_new(&mb, N), ERR_OK);
	/* start off the ring's first slot so that the growth copies a
	 * wrapped ring */
	for (round = 0; round < 3; round++) {
		assert_int_equal(sys_mbox_trypost(&mb, &v[0]), ERR_OK);
		assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), 0);
	}
	for (i = 0; i < N; i++) {
		if (i % 2)
			sys_mbox_post(&mb, &v[i]);
		else
			assert_int_equal(sys_mbox_trypost(&mb, &v[i]), ERR_OK);
		if (i == 5) { /* take one out in the middle */
			assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), 0);
			assert_ptr_equal(m, &v[0]);
		}
	}
	assert_int_equal(sys_mbox_trypost(&mb, &v[0]), ERR_OK);	 /* N now */
	assert_int_equal(sys_mbox_trypost(&mb, &v[0]), ERR_MEM); /* full */
	for (i = 1; i < N; i++) {
		assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), 0);
		assert_ptr_equal(m, &v[i]);
	}
	assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), 0);
	assert_ptr_equal(m, &v[0]);
	assert_int_equal(sys_arch_mbox_tryfetch(&mb, &m), SYS_MBOX_EMPTY);
	sys_mbox_free(&mb);
}

static void test_mbox_timeout(void **state)
{
	sys_mbox_t mb;
	void *m = &m;
	uint64_t t0;

	(void)state;
	assert_int_equal(sys_mbox_new(&mb, 4), ERR_OK);
	t0 = fake_ns;
	/* nobody posts: the fake clock runs to the deadline (no spinning:
	 * the scheduler idles once) */
	idle_calls = 0;
	assert_int_equal(sys_arch_mbox_fetch(&mb, &m, 25), SYS_ARCH_TIMEOUT);
	assert_true(fake_ns - t0 >= 25 * MS);
	assert_true(idle_calls <= 2);
	sys_mbox_free(&mb);
}

struct pc {
	sys_mbox_t mb;
	int got[8], n;
};

static void producer(void *arg)
{
	struct pc *pc = arg;
	static int v[8];
	int i;

	for (i = 0; i < 8; i++) {
		v[i] = i;
		uk_sched_sleep_ns(MS); /* the consumer blocks meanwhile */
		sys_mbox_post(&pc->mb, &v[i]); /* blocks while full */
	}
}

static void test_mbox_threads(void **state)
{
	struct pc pc = {0};
	struct uk_thread *t;
	void *m;
	int i;

	(void)state;
	errors = 0;
	assert_int_equal(sys_mbox_new(&pc.mb, 2), ERR_OK);
	t = uk_thread_create(NULL, "producer", producer, &pc, 0);
	assert_non_null(t);
	for (i = 0; i < 8; i++) {
		u32_t w = sys_arch_mbox_fetch(&pc.mb, &m, 1000);

		CHECK(w != SYS_ARCH_TIMEOUT);
		pc.got[i] = *(int *)m;
	}
	assert_int_equal(uk_thread_join(t, NULL), 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(pc.got[i], i);
	assert_int_equal(errors, 0);
	sys_mbox_free(&pc.mb);
}

static sys_sem_t sem;
static int woke;

static void signaller(void *arg)
{
	(void)arg;
	uk_sched_sleep_ns(3 * MS);
	woke = 1;
	sys_sem_signal(&sem);
}

static void test_sem(void **state)
{
	struct uk_thread *t;
	uint64_t t0;
	u32_t w;

	(void)state;
	assert_int_equal(sys_sem_new(&sem, 1), ERR_OK);
	assert_true(sys_sem_valid(&sem));
	assert_int_not_equal(sys_arch_sem_wait(&sem, 10), SYS_ARCH_TIMEOUT);
	t0 = fake_ns;
	assert_int_equal(sys_arch_sem_wait(&sem, 10), SYS_ARCH_TIMEOUT);
	assert_true(fake_ns - t0 >= 10 * MS);
	woke = 0;
	t = uk_thread_create(NULL, "sig", signaller, NULL, 0);
	assert_non_null(t);
	w = sys_arch_sem_wait(&sem, 0); /* forever */
	assert_int_equal(woke, 1);
	assert_true(w >= 3 && w != SYS_ARCH_TIMEOUT);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	sys_sem_free(&sem);
	assert_false(sys_sem_valid(&sem));
}

static sys_mutex_t mtx;
static int inside, max_inside;

static void locker(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 5; i++) {
		sys_mutex_lock(&mtx);
		inside++;
		if (inside > max_inside)
			max_inside = inside;
		uk_sched_sleep_ns(MS); /* blocks holding it */
		inside--;
		sys_mutex_unlock(&mtx);
	}
}

static void test_mutex_and_threads(void **state)
{
	sys_thread_t a, b;

	(void)state;
	assert_int_equal(sys_mutex_new(&mtx), ERR_OK);
	inside = max_inside = 0;
	a = sys_thread_new("a", locker, NULL, 16384, 1);
	b = sys_thread_new("b", locker, NULL, 0, 1);
	assert_non_null(a);
	assert_non_null(b);
	uk_sched_sleep_ns(100 * MS); /* both detached: let them finish */
	assert_int_equal(max_inside, 1);
	assert_int_equal(inside, 0);
	sys_mutex_free(&mtx);
}

static void test_protect(void **state)
{
	sys_prot_t p;

	(void)state;
	p = sys_arch_protect();
	sys_arch_unprotect(p);
}

int main(void)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_mbox_fifo_and_full),
		cmocka_unit_test(test_mbox_grows),
		cmocka_unit_test(test_mbox_timeout),
		cmocka_unit_test(test_mbox_threads),
		cmocka_unit_test(test_sem),
		cmocka_unit_test(test_mutex_and_threads),
		cmocka_unit_test(test_protect),
	};

	fake_ns = 1;
	if (uk_schedcoop_init(&coop, &cfg))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
