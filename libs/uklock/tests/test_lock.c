/* SPDX-License-Identifier: BSD-3-Clause */
/* uklock unit tests, on the real uksched core and ukschedcoop.
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
#include <uk/lock.h>
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

#define MS 1000000ULL

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 32768,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	host_live = 0;
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	return host_live != 0 || errors != 0 || coop.sched.nr_threads != 1;
}

static struct uk_thread *spawn(uk_thread_fn_t fn, void *arg)
{
	struct uk_thread *t = uk_thread_create(NULL, "t", fn, arg, 0);

	assert_non_null(t);
	return t;
}

static void join(struct uk_thread *t)
{
	assert_int_equal(uk_thread_join(t, NULL), 0);
}

/* ---- spinlock ---- */

static int irq_disabled, irq_saves, irq_restores;

static unsigned long fake_save(void)
{
	unsigned long f = (unsigned long)irq_disabled;

	irq_disabled = 1;
	irq_saves++;
	return f;
}

static void fake_restore(unsigned long f)
{
	irq_disabled = (int)f;
	irq_restores++;
}

static const struct uk_lock_irq_ops fake_irq = {fake_save, fake_restore};

static void test_spinlock(void **state)
{
	struct uk_spinlock a = UK_SPINLOCK_INITIALIZER, b;

	(void)state;
	uk_spin_init(&b);
	uk_spin_lock(&a); /* no hook: nothing happens to interrupts */
	uk_spin_unlock(&a);
	uk_lock_set_irq_ops(&fake_irq);
	irq_disabled = 0;
	uk_spin_lock(&a);
	assert_int_equal(irq_disabled, 1);
	assert_int_equal(uk_spin_trylock(&a), 0); /* busy, irqs stay off */
	assert_int_equal(irq_disabled, 1);
	assert_int_equal(uk_spin_trylock(&b), 1);
	uk_spin_unlock(&b);
	assert_int_equal(irq_disabled, 1); /* a still held */
	uk_spin_unlock(&a);
	assert_int_equal(irq_disabled, 0);
	assert_int_equal(irq_saves, 3);
	assert_int_equal(irq_restores, 3);
	uk_lock_set_irq_ops(NULL);
}

/* ---- mutex ---- */

static struct uk_mutex mtx;
static long counter;
static int inside;

static void incrementer(void *arg)
{
	int i, n = (int)(intptr_t)arg;

	for (i = 0; i < n; i++) {
		CHECK(uk_mutex_lock(&mtx) == 0);
		CHECK(inside++ == 0);
		long c = counter;
		uk_sched_yield(); /* others run, and must block */
		counter = c + 1;
		CHECK(--inside == 0);
		CHECK(uk_mutex_unlock(&mtx) == 0);
		if (i % 7 == 0)
			uk_sched_yield();
	}
}

static void test_mutex_contention(void **state)
{
	struct uk_thread *t[8];
	int i;

	(void)state;
	uk_mutex_init(&mtx, 0);
	counter = 0;
	for (i = 0; i < 8; i++)
		t[i] = spawn(incrementer, (void *)1000);
	for (i = 0; i < 8; i++)
		join(t[i]);
	assert_int_equal(counter, 8000);
	assert_null(mtx.owner);
}

static void try_other(void *arg)
{
	int *rc = arg;

	rc[0] = uk_mutex_trylock(&mtx);
	rc[1] = uk_mutex_unlock(&mtx);
}

static void test_mutex_errors(void **state)
{
	int rc[2];
	struct uk_thread *t;

	(void)state;
	uk_mutex_init(&mtx, 0);
	assert_int_equal(uk_mutex_unlock(&mtx), -EPERM);
	assert_int_equal(uk_mutex_lock(&mtx), 0);
	assert_true(uk_mutex_is_locked_by_me(&mtx));
	assert_int_equal(uk_mutex_lock(&mtx), -EDEADLK);
	assert_int_equal(uk_mutex_trylock(&mtx), -EDEADLK);
	t = spawn(try_other, rc);
	join(t);
	assert_int_equal(rc[0], -EBUSY);
	assert_int_equal(rc[1], -EPERM);
	assert_int_equal(uk_mutex_unlock(&mtx), 0);
	assert_false(uk_mutex_is_locked_by_me(&mtx));

	uk_mutex_init(&mtx, UK_MUTEX_RECURSIVE);
	assert_int_equal(uk_mutex_lock(&mtx), 0);
	assert_int_equal(uk_mutex_lock(&mtx), 0);
	assert_int_equal(uk_mutex_trylock(&mtx), 0);
	assert_int_equal(mtx.depth, 3);
	assert_int_equal(uk_mutex_unlock(&mtx), 0);
	assert_int_equal(uk_mutex_unlock(&mtx), 0);
	assert_true(uk_mutex_is_locked_by_me(&mtx));
	assert_int_equal(uk_mutex_unlock(&mtx), 0);
	assert_null(mtx.owner);
}

static char order[32];
static int norder;

static void fifo_locker(void *arg)
{
	CHECK(uk_mutex_lock(&mtx) == 0);
	order[norder++] = *(const char *)arg;
	CHECK(uk_mutex_unlock(&mtx) == 0);
}

static void test_mutex_fifo_handoff(void **state)
{
	struct uk_thread *t[3];

	(void)state;
	uk_mutex_init(&mtx, 0);
	norder = 0;
	uk_mutex_lock(&mtx);
	t[0] = spawn(fifo_locker, "a");
	t[1] = spawn(fifo_locker, "b");
	t[2] = spawn(fifo_locker, "c");
	uk_sched_yield(); /* all three block */
	assert_int_equal(norder, 0);
	uk_mutex_unlock(&mtx); /* handed to a */
	assert_ptr_equal(mtx.owner, t[0]);
	/* the mutex is a's now, even though it has not run yet */
	assert_int_equal(uk_mutex_trylock(&mtx), -EBUSY);
	join(t[0]);
	join(t[1]);
	join(t[2]);
	order[norder] = 0;
	assert_string_equal(order, "abc");
}

static void timed_locker(void *arg)
{
	int *rc = arg;

	*rc = uk_mutex_timedlock(&mtx, uk_sched_now() + 3 * MS);
	if (*rc == 0)
		uk_mutex_unlock(&mtx);
}

static void test_mutex_timedlock(void **state)
{
	int rc = 1;
	uint64_t t0;
	struct uk_thread *t;

	(void)state;
	uk_mutex_init(&mtx, 0);
	uk_mutex_lock(&mtx);
	t0 = uk_sched_now();
	t = spawn(timed_locker, &rc);
	join(t); /* main blocks, the clock runs to the deadline */
	assert_int_equal(rc, -ETIMEDOUT);
	assert_int_equal(uk_sched_now(), t0 + 3 * MS);
	assert_true(uk_waitq_empty(&mtx.wq));
	/* released before the deadline: 0 */
	rc = 1;
	t = spawn(timed_locker, &rc);
	uk_sched_yield();
	uk_sched_sleep_ns(1 * MS);
	uk_mutex_unlock(&mtx);
	join(t);
	assert_int_equal(rc, 0);
	/* free mutex, deadline passed: still taken (trylock first) */
	assert_int_equal(uk_mutex_timedlock(&mtx, 0), 0);
	uk_mutex_unlock(&mtx);
}

/* ---- producer / consumer, mutex + condvar ---- */

#define NITEMS 1000000L
#define QLEN   16

static struct uk_condvar not_empty, not_full;
static long q[QLEN];
static unsigned long qhead, qtail;
static long consumed_sum, consumed_n;

static void producer(void *arg)
{
	long i, n = (long)(intptr_t)arg;

	for (i = 1; i <= n; i++) {
		uk_mutex_lock(&mtx);
		while (qtail - qhead == QLEN)
			uk_condvar_wait(&not_full, &mtx);
		q[qtail++ % QLEN] = i;
		uk_condvar_signal(&not_empty);
		uk_mutex_unlock(&mtx);
	}
}

static void consumer_in_order(void *arg)
{
	long i, v;

	(void)arg;
	for (i = 1; i <= NITEMS; i++) {
		uk_mutex_lock(&mtx);
		while (qtail == qhead)
			uk_condvar_wait(&not_empty, &mtx);
		v = q[qhead++ % QLEN];
		uk_condvar_signal(&not_full);
		uk_mutex_unlock(&mtx);
		CHECK(v == i);
		consumed_n++;
	}
}

static void test_producer_consumer(void **state)
{
	struct uk_thread *p, *c;

	(void)state;
	uk_mutex_init(&mtx, 0);
	uk_condvar_init(&not_empty);
	uk_condvar_init(&not_full);
	qhead = qtail = 0;
	consumed_n = 0;
	c = spawn(consumer_in_order, NULL);
	p = spawn(producer, (void *)NITEMS);
	join(p);
	join(c);
	assert_int_equal(consumed_n, NITEMS);
	assert_int_equal(errors, 0);
}

static void consumer_sum(void *arg)
{
	long n = (long)(intptr_t)arg;

	while (n--) {
		uk_mutex_lock(&mtx);
		while (qtail == qhead)
			uk_condvar_wait(&not_empty, &mtx);
		consumed_sum += q[qhead++ % QLEN];
		consumed_n++;
		uk_condvar_signal(&not_full);
		uk_mutex_unlock(&mtx);
		if (n % 5 == 0)
			uk_sched_yield();
	}
}

static void test_many_producers_consumers(void **state)
{
	struct uk_thread *t[8];
	int i;

	(void)state;
	uk_mutex_init(&mtx, 0);
	uk_condvar_init(&not_empty);
	uk_condvar_init(&not_full);
	qhead = qtail = 0;
	consumed_n = consumed_sum = 0;
	for (i = 0; i < 4; i++) {
		t[2 * i] = spawn(producer, (void *)50000);
		t[2 * i + 1] = spawn(consumer_sum, (void *)50000);
	}
	for (i = 0; i < 8; i++)
		join(t[i]);
	assert_int_equal(consumed_n, 200000);
	assert_int_equal(consumed_sum, 4L * 50000 * 50001 / 2);
}

/* ---- condvar timeouts and broadcast ---- */

static struct uk_condvar cv;
static int woken;

static void cv_waiter(void *arg)
{
	(void)arg;
	uk_mutex_lock(&mtx);
	CHECK(uk_condvar_wait(&cv, &mtx) == 0);
	CHECK(uk_mutex_is_locked_by_me(&mtx));
	woken++;
	uk_mutex_unlock(&mtx);
}

static void test_condvar(void **state)
{
	struct uk_thread *t[5];
	uint64_t t0;
	int i;

	(void)state;
	uk_mutex_init(&mtx, UK_MUTEX_RECURSIVE);
	uk_condvar_init(&cv);
	assert_int_equal(uk_condvar_wait(&cv, &mtx), -EPERM);
	/* timeout, at recursion depth 2: depth restored, mutex held */
	uk_mutex_lock(&mtx);
	uk_mutex_lock(&mtx);
	t0 = uk_sched_now();
	assert_int_equal(uk_condvar_timedwait(&cv, &mtx, t0 + 7 * MS),
			 -ETIMEDOUT);
	assert_int_equal(uk_sched_now(), t0 + 7 * MS);
	assert_true(uk_mutex_is_locked_by_me(&mtx));
	assert_int_equal(mtx.depth, 2);
	assert_int_equal(uk_condvar_timedwait(&cv, &mtx, t0), -ETIMEDOUT);
	uk_mutex_unlock(&mtx);
	uk_mutex_unlock(&mtx);
	/* broadcast wakes all, signal one */
	woken = 0;
	for (i = 0; i < 5; i++)
		t[i] = spawn(cv_waiter, NULL);
	uk_sched_yield();
	uk_condvar_signal(&cv);
	uk_sched_yield();
	uk_sched_yield();
	assert_int_equal(woken, 1);
	uk_mutex_lock(&mtx);
	uk_condvar_broadcast(&cv);
	uk_mutex_unlock(&mtx);
	for (i = 0; i < 5; i++)
		join(t[i]);
	assert_int_equal(woken, 5);
}

/* ---- semaphores ---- */

static struct uk_semaphore ping, pong;
static int rounds;

static void ponger(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 10000; i++) {
		uk_semaphore_down(&ping);
		rounds++;
		uk_semaphore_up(&pong);
	}
}

static void test_semaphore(void **state)
{
	struct uk_semaphore s;
	struct uk_thread *t;
	uint64_t t0;
	int i;

	(void)state;
	uk_semaphore_init(&s, 2);
	assert_int_equal(uk_semaphore_trydown(&s), 0);
	assert_int_equal(uk_semaphore_trydown(&s), 0);
	assert_int_equal(uk_semaphore_trydown(&s), -EAGAIN);
	t0 = uk_sched_now();
	assert_int_equal(uk_semaphore_down_timeout(&s, t0 + 2 * MS),
			 -ETIMEDOUT);
	assert_int_equal(uk_sched_now(), t0 + 2 * MS);
	uk_semaphore_up(&s);
	assert_int_equal(uk_semaphore_down_timeout(&s, 0), 0);
	assert_true(uk_waitq_empty(&s.wq));

	uk_semaphore_init(&ping, 0);
	uk_semaphore_init(&pong, 0);
	rounds = 0;
	t = spawn(ponger, NULL);
	for (i = 0; i < 10000; i++) {
		uk_semaphore_up(&ping);
		uk_semaphore_down(&pong);
		assert_int_equal(rounds, i + 1);
	}
	join(t);
	assert_int_equal(ping.count, 0);
	assert_int_equal(pong.count, 0);
}

static struct uk_semaphore sem;

static void sem_taker(void *arg)
{
	uk_semaphore_down(&sem);
	order[norder++] = *(const char *)arg;
}

static void test_semaphore_fifo(void **state)
{
	struct uk_thread *t[3];
	int i;

	(void)state;
	uk_semaphore_init(&sem, 0);
	norder = 0;
	t[0] = spawn(sem_taker, "x");
	t[1] = spawn(sem_taker, "y");
	t[2] = spawn(sem_taker, "z");
	uk_sched_yield();
	for (i = 0; i < 3; i++)
		uk_semaphore_up(&sem);
	/* handed to the waiters, not counted: a trydown now fails */
	assert_int_equal(uk_semaphore_trydown(&sem), -EAGAIN);
	for (i = 0; i < 3; i++)
		join(t[i]);
	order[norder] = 0;
	assert_string_equal(order, "xyz");
	assert_int_equal(sem.count, 0);
}

/* ---- rwlock ---- */

static struct uk_rwlock rw;
static int readers_in, max_readers, writer_in;

static void reader(void *arg)
{
	(void)arg;
	CHECK(uk_rwlock_rdlock(&rw) == 0);
	CHECK(!writer_in);
	readers_in++;
	if (readers_in > max_readers)
		max_readers = readers_in;
	uk_sched_yield();
	uk_sched_yield();
	readers_in--;
	CHECK(uk_rwlock_unlock(&rw) == 0);
}

static void writer(void *arg)
{
	(void)arg;
	CHECK(uk_rwlock_wrlock(&rw) == 0);
	CHECK(readers_in == 0 && !writer_in);
	writer_in = 1;
	uk_sched_yield();
	writer_in = 0;
	CHECK(uk_rwlock_unlock(&rw) == 0);
}

static void test_rwlock(void **state)
{
	struct uk_thread *t[12];
	int i;

	(void)state;
	uk_rwlock_init(&rw);
	readers_in = max_readers = writer_in = 0;
	for (i = 0; i < 12; i++)
		t[i] = spawn(i % 4 == 3 ? writer : reader, NULL);
	for (i = 0; i < 12; i++)
		join(t[i]);
	assert_true(max_readers >= 3);
	assert_int_equal(rw.readers, 0);
	assert_null(rw.writer);

	/* errors and try */
	assert_int_equal(uk_rwlock_unlock(&rw), -EPERM);
	assert_int_equal(uk_rwlock_wrlock(&rw), 0);
	assert_int_equal(uk_rwlock_wrlock(&rw), -EDEADLK);
	assert_int_equal(uk_rwlock_tryrdlock(&rw), -EBUSY);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);
	assert_int_equal(uk_rwlock_tryrdlock(&rw), 0);
	assert_int_equal(uk_rwlock_tryrdlock(&rw), 0);
	assert_int_equal(uk_rwlock_trywrlock(&rw), -EBUSY);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);
	assert_int_equal(uk_rwlock_unlock(&rw), -EPERM);
}

static int rw_rc[3];

static void timed_wr(void *arg)
{
	(void)arg;
	rw_rc[0] = uk_rwlock_timedwrlock(&rw, uk_sched_now() + 4 * MS);
}

static void timed_rd(void *arg)
{
	(void)arg;
	rw_rc[1] = uk_rwlock_timedrdlock(&rw, uk_sched_now() + 10 * MS);
	if (rw_rc[1] == 0)
		uk_rwlock_unlock(&rw);
}

static void test_rwlock_timeouts(void **state)
{
	struct uk_thread *w, *r;
	uint64_t t0;

	(void)state;
	uk_rwlock_init(&rw);
	/* main reads; a writer times out after 4 ms; a reader that came
	 * after the writer (held back: writers preferred) then gets in */
	assert_int_equal(uk_rwlock_rdlock(&rw), 0);
	t0 = uk_sched_now();
	rw_rc[0] = rw_rc[1] = 1;
	w = spawn(timed_wr, NULL);
	uk_sched_yield();
	assert_int_equal(rw.writers_waiting, 1);
	r = spawn(timed_rd, NULL);
	join(w);
	assert_int_equal(rw_rc[0], -ETIMEDOUT);
	assert_int_equal(uk_sched_now(), t0 + 4 * MS);
	join(r);
	assert_int_equal(rw_rc[1], 0);
	assert_int_equal(uk_sched_now(), t0 + 4 * MS);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);

	/* main writes: a reader times out */
	assert_int_equal(uk_rwlock_wrlock(&rw), 0);
	t0 = uk_sched_now();
	r = spawn(timed_rd, NULL);
	join(r);
	assert_int_equal(rw_rc[1], -ETIMEDOUT);
	assert_int_equal(uk_sched_now(), t0 + 10 * MS);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);
	assert_int_equal(uk_rwlock_timedwrlock(&rw, 0), 0);
	assert_int_equal(uk_rwlock_unlock(&rw), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spinlock),
		cmocka_unit_test_setup_teardown(test_mutex_contention, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mutex_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mutex_fifo_handoff, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mutex_timedlock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_producer_consumer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_producers_consumers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_condvar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_semaphore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_semaphore_fifo, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rwlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rwlock_timeouts, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
