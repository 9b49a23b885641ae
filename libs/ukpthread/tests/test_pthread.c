/* SPDX-License-Identifier: BSD-3-Clause */
/* ukpthread unit tests on the real uksched core and ukschedcoop, with the
 * host allocator and the fake clock (whose idle hook jumps to the next
 * deadline, so timeouts pass at once). Threads count errors instead of
 * asserting (a cmocka failure would longjmp across stacks). What threads
 * share is volatile: the host's headers declare sched_yield() & co. `leaf`,
 * which lets the compiler keep this file's statics in registers across
 * them. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/pthread.h>
#include <uk/schedcoop.h>

#include <uk/sched_testing.h>

static struct uk_schedcoop coop;
static volatile int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

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

/* an absolute time `ms` from now on `clk` */
static struct timespec in_ms(clockid_t clk, long ms)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_nsec += (ms % 1000) * 1000000L;
	ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

/* ---- threads ---- */

static void *ret_arg(void *arg)
{
	sched_yield();
	return arg;
}

static void test_create_join(void **state)
{
	pthread_t t[3];
	void *ret = NULL;

	(void)state;
	for (long i = 0; i < 3; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, ret_arg, (void *)i), 0);
	assert_false(pthread_equal(t[0], t[1]));
	assert_true(pthread_equal(t[2], t[2]));
	for (long i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_ptr_equal(ret, (void *)i);
	}
	assert_int_equal(pthread_join(pthread_self(), NULL), EDEADLK);
}

static volatile pthread_t seen_self;

static void *exit_early(void *arg)
{
	seen_self = pthread_self();
	pthread_exit(arg);
	errors++; /* not reached */
	return NULL;
}

static void test_exit_self(void **state)
{
	pthread_t t;
	void *ret;

	(void)state;
	static int token;

	assert_int_equal(pthread_create(&t, NULL, exit_early, &token), 0);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_ptr_equal(ret, &token);
	assert_true(pthread_equal(seen_self, t));
	assert_false(pthread_equal(pthread_self(), t));
}

static volatile int ran;

static void *count_run(void *arg)
{
	(void)arg;
	ran++;
	return NULL;
}

static void test_detach_and_attrs(void **state)
{
	pthread_attr_t a;
	pthread_t t;
	size_t sz;
	int st;

	(void)state;
	ran = 0;
	assert_int_equal(pthread_attr_init(&a), 0);
	assert_int_equal(pthread_attr_getdetachstate(&a, &st), 0);
	assert_int_equal(st, PTHREAD_CREATE_JOINABLE);
	/* the default is musl's 128 KiB */
	assert_int_equal(pthread_attr_getstacksize(&a, &sz), 0);
	assert_int_equal(sz, UK_PTHREAD_STACK_DEFAULT);
	assert_int_equal(sz, 131072);
	assert_int_equal(pthread_attr_setstacksize(&a, 100), EINVAL);
	assert_int_equal(pthread_attr_setstacksize(&a, 262144), 0);
	assert_int_equal(pthread_attr_getstacksize(&a, &sz), 0);
	assert_int_equal(sz, 262144);
	assert_int_equal(pthread_attr_setdetachstate(&a, 12345), EINVAL);
	assert_int_equal(
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED), 0);
	assert_int_equal(pthread_create(&t, &a, count_run, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), EINVAL); /* detached */
	sched_yield();
	sched_yield();
	assert_int_equal(ran, 1);
	assert_int_equal(pthread_attr_destroy(&a), 0);

	/* detach before and after the thread finished */
	assert_int_equal(pthread_create(&t, NULL, count_run, NULL), 0);
	assert_int_equal(pthread_detach(t), 0);
	assert_int_equal(pthread_create(&t, NULL, count_run, NULL), 0);
	sched_yield();
	sched_yield();
	assert_int_equal(ran, 3);
	assert_int_equal(pthread_detach(t), 0);
	sched_yield();
}

/* ---- once and keys ---- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_calls;

static void once_fn(void)
{
	once_calls++;
	sched_yield(); /* others arrive while we are inside */
}

static void *call_once(void *arg)
{
	(void)arg;
	CHECK(pthread_once(&once, once_fn) == 0);
	CHECK(once_calls == 1);
	return NULL;
}

static void test_once(void **state)
{
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, call_once, NULL),
				 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(once_calls, 1);
	assert_int_equal(pthread_once(&once, once_fn), 0);
	assert_int_equal(once_calls, 1);
}

static pthread_key_t key;
static volatile int dtor_calls;

static void dtor(void *v)
{
	CHECK(*(int *)v == 7);
	dtor_calls++;
}

static void *use_key(void *arg)
{
	static int seven = 7;

	(void)arg;
	CHECK(pthread_getspecific(key) == NULL);
	CHECK(pthread_setspecific(key, &seven) == 0);
	sched_yield();
	CHECK(pthread_getspecific(key) == &seven);
	return NULL;
}

static void test_keys(void **state)
{
	pthread_t t[2];
	int mine = 1;

	(void)state;
	dtor_calls = 0;
	assert_int_equal(pthread_key_create(&key, dtor), 0);
	assert_int_equal(pthread_setspecific(key, &mine), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, use_key, NULL), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(dtor_calls, 2);
	assert_ptr_equal(pthread_getspecific(key), &mine);
	assert_int_equal(pthread_key_delete(key), 0);
	assert_int_equal(pthread_key_delete(key), EINVAL);
	assert_int_equal(pthread_setspecific(key, &mine), EINVAL);
	assert_int_equal(pthread_setspecific(UK_PTHREAD_KEYS_MAX, &mine),
			 EINVAL);
}

/* ---- mutexes ---- */

static pthread_mutex_t smx = PTHREAD_MUTEX_INITIALIZER;
static volatile int in_section;

static void *hold_mutex(void *arg)
{
	pthread_mutex_t *m = arg;

	CHECK(pthread_mutex_lock(m) == 0);
	CHECK(in_section == 0);
	in_section = 1;
	sched_yield();
	sched_yield();
	in_section = 0;
	CHECK(pthread_mutex_unlock(m) == 0);
	return NULL;
}

static void *try_other(void *arg)
{
	pthread_mutex_t *m = arg;
	struct timespec ts = in_ms(CLOCK_REALTIME, 10);

	CHECK(pthread_mutex_trylock(m) == EBUSY);
	CHECK(pthread_mutex_unlock(m) == EPERM);
	CHECK(pthread_mutex_timedlock(m, &ts) == ETIMEDOUT);
	return NULL;
}

static void test_mutex(void **state)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t m;
	pthread_t t[3];
	int type;

	(void)state;
	/* static initialiser: mutual exclusion across yields */
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hold_mutex, &smx),
				 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(pthread_mutex_destroy(&smx), 0);

	/* errorcheck: relock and foreign unlock are errors */
	assert_int_equal(pthread_mutexattr_init(&ma), 0);
	assert_int_equal(pthread_mutexattr_settype(&ma, 99), EINVAL);
	assert_int_equal(
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK), 0);
	assert_int_equal(pthread_mutexattr_gettype(&ma, &type), 0);
	assert_int_equal(type, PTHREAD_MUTEX_ERRORCHECK);
	assert_int_equal(pthread_mutex_init(&m, &ma), 0);
	assert_int_equal(pthread_mutex_lock(&m), 0);
	assert_int_equal(pthread_mutex_lock(&m), EDEADLK);
	assert_int_equal(pthread_mutex_trylock(&m), EBUSY);
	assert_int_equal(pthread_mutex_destroy(&m), EBUSY);
	assert_int_equal(pthread_create(&t[0], NULL, try_other, &m), 0);
	assert_int_equal(pthread_join(t[0], NULL), 0);
	assert_int_equal(pthread_mutex_unlock(&m), 0);
	assert_int_equal(pthread_mutex_unlock(&m), EPERM);
	assert_int_equal(pthread_mutex_destroy(&m), 0);

	/* recursive */
	assert_int_equal(
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE), 0);
	assert_int_equal(pthread_mutex_init(&m, &ma), 0);
	assert_int_equal(pthread_mutex_lock(&m), 0);
	assert_int_equal(pthread_mutex_trylock(&m), 0);
	assert_int_equal(pthread_mutex_unlock(&m), 0);
	assert_int_equal(pthread_mutex_unlock(&m), 0);
	assert_int_equal(pthread_mutex_unlock(&m), EPERM);
	assert_int_equal(pthread_mutexattr_destroy(&ma), 0);

	/* timedlock on a free mutex succeeds even with a past time; a bad
	 * time on a held one is EINVAL */
	struct timespec past = {0, 0}, bad = {0, 2000000000L};

	assert_int_equal(pthread_mutex_init(&m, NULL), 0);
	assert_int_equal(pthread_mutex_timedlock(&m, &past), 0);
	assert_int_equal(pthread_create(&t[0], NULL, try_other, &m), 0);
	assert_int_equal(pthread_join(t[0], NULL), 0);
	assert_int_equal(pthread_mutex_unlock(&m), 0);
	(void)bad;
}

/* ---- condition variables ---- */

static pthread_mutex_t cmx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int items;

static void *consume(void *arg)
{
	(void)arg;
	CHECK(pthread_mutex_lock(&cmx) == 0);
	for (int bound = 0; items == 0 && bound < 100; bound++)
		CHECK(pthread_cond_wait(&cv, &cmx) == 0);
	CHECK(items > 0);
	items--;
	CHECK(pthread_mutex_unlock(&cmx) == 0);
	return NULL;
}

static void test_cond(void **state)
{
	pthread_condattr_t ca;
	pthread_cond_t c2;
	pthread_t t[3];
	clockid_t clk;

	(void)state;
	items = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, consume, NULL), 0);
	sched_yield(); /* all three wait */
	assert_int_equal(pthread_cond_destroy(&cv), EBUSY);
	pthread_mutex_lock(&cmx);
	items = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cmx);
	sched_yield();
	pthread_mutex_lock(&cmx);
	items += 2;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cmx);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(items, 0);
	assert_int_equal(pthread_cond_destroy(&cv), 0);

	/* timed waits on both clocks time out (the fake clock jumps) */
	assert_int_equal(pthread_condattr_init(&ca), 0);
	assert_int_equal(pthread_condattr_setclock(&ca, 12345), EINVAL);
	assert_int_equal(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), 0);
	assert_int_equal(pthread_condattr_getclock(&ca, &clk), 0);
	assert_int_equal(clk, CLOCK_MONOTONIC);
	assert_int_equal(pthread_cond_init(&c2, &ca), 0);
	struct timespec ts = in_ms(CLOCK_MONOTONIC, 50);
	uint64_t before = fake_ns;

	pthread_mutex_lock(&cmx);
	assert_int_equal(pthread_cond_timedwait(&c2, &cmx, &ts), ETIMEDOUT);
	assert_true(fake_ns - before >= 40000000ULL);
	/* the mutex is held again */
	assert_int_equal(pthread_mutex_trylock(&cmx), EBUSY);
	ts = in_ms(CLOCK_REALTIME, 5);
	assert_int_equal(pthread_cond_timedwait(&cv, &cmx, &ts), ETIMEDOUT);
	ts.tv_nsec = -1;
	assert_int_equal(pthread_cond_timedwait(&cv, &cmx, &ts), EINVAL);
	pthread_mutex_unlock(&cmx);
	assert_int_equal(pthread_cond_wait(&cv, &cmx), EPERM); /* not held */
	pthread_condattr_destroy(&ca);
}

/* ---- rwlock ---- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_in, max_readers, writer_in;

static void *reader(void *arg)
{
	(void)arg;
	CHECK(pthread_rwlock_rdlock(&rw) == 0);
	CHECK(!writer_in);
	readers_in++;
	if (readers_in > max_readers)
		max_readers = readers_in;
	sched_yield();
	readers_in--;
	CHECK(pthread_rwlock_unlock(&rw) == 0);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	CHECK(pthread_rwlock_wrlock(&rw) == 0);
	CHECK(readers_in == 0);
	writer_in = 1;
	sched_yield();
	writer_in = 0;
	CHECK(pthread_rwlock_unlock(&rw) == 0);
	return NULL;
}

/* while someone else writes */
static void *blocked(void *arg)
{
	struct timespec ts = in_ms(CLOCK_REALTIME, 10);

	(void)arg;
	CHECK(pthread_rwlock_trywrlock(&rw) == EBUSY);
	CHECK(pthread_rwlock_tryrdlock(&rw) == EBUSY);
	CHECK(pthread_rwlock_timedrdlock(&rw, &ts) == ETIMEDOUT);
	ts = in_ms(CLOCK_REALTIME, 10);
	CHECK(pthread_rwlock_timedwrlock(&rw, &ts) == ETIMEDOUT);
	return NULL;
}

static void test_rwlock(void **state)
{
	pthread_t t[3];

	(void)state;
	assert_int_equal(pthread_rwlock_wrlock(&rw), 0);
	assert_int_equal(pthread_rwlock_destroy(&rw), EBUSY);
	assert_int_equal(pthread_create(&t[0], NULL, blocked, NULL), 0);
	assert_int_equal(pthread_join(t[0], NULL), 0);
	assert_int_equal(pthread_rwlock_unlock(&rw), 0);

	/* two readers share, the writer waits for both */
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
	assert_int_equal(pthread_create(&t[2], NULL, writer, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(max_readers, 2);
	assert_int_equal(pthread_rwlock_unlock(&rw), EPERM);
	assert_int_equal(pthread_rwlock_destroy(&rw), 0);
}

/* ---- semaphores ---- */

static sem_t sem;

static void *sem_taker(void *arg)
{
	(void)arg;
	CHECK(sem_wait(&sem) == 0);
	return NULL;
}

static void test_sem(void **state)
{
	pthread_t t;
	struct timespec ts;
	int v;

	(void)state;
	assert_int_equal(sem_init(&sem, 0, 2), 0);
	assert_int_equal(sem_getvalue(&sem, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(sem_trywait(&sem), 0);
	assert_int_equal(sem_wait(&sem), 0);
	errno = 0;
	assert_int_equal(sem_trywait(&sem), -1);
	assert_int_equal(errno, EAGAIN);
	ts = in_ms(CLOCK_REALTIME, 20);
	assert_int_equal(sem_timedwait(&sem, &ts), -1);
	assert_int_equal(errno, ETIMEDOUT);
	ts.tv_nsec = 1000000000L;
	assert_int_equal(sem_timedwait(&sem, &ts), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pthread_create(&t, NULL, sem_taker, NULL), 0);
	sched_yield();
	assert_int_equal(sem_destroy(&sem), -1);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(sem_post(&sem), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(sem_getvalue(&sem, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sem_post(&sem), 0);
	ts = in_ms(CLOCK_REALTIME, 20);
	assert_int_equal(sem_timedwait(&sem, &ts), 0);
	assert_int_equal(sem_init(&sem, 0, 0x80000000U), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sem_destroy(&sem), 0);
}

/* ---- deadlines ---- */

static void test_deadline(void **state)
{
	struct timespec ts = {0, 0};
	uint64_t dl;

	(void)state;
	fake_ns = 5000000000ULL;
	assert_int_equal(uk_pthread_deadline(CLOCK_REALTIME, NULL, &dl),
			 EINVAL);
	ts.tv_nsec = 1000000000L;
	assert_int_equal(uk_pthread_deadline(CLOCK_REALTIME, &ts, &dl), EINVAL);
	ts.tv_nsec = 0;
	assert_int_equal(uk_pthread_deadline((clockid_t)77, &ts, &dl), EINVAL);
	/* long past: 0 */
	assert_int_equal(uk_pthread_deadline(CLOCK_REALTIME, &ts, &dl), 0);
	assert_true(dl <= fake_ns);
	/* far future: saturates */
	ts.tv_sec = (time_t)INT64_MAX;
	assert_int_equal(uk_pthread_deadline(CLOCK_REALTIME, &ts, &dl), 0);
	assert_true(dl >= UK_SCHED_FOREVER - 1);
	/* 1 s ahead on the monotonic clock */
	ts = in_ms(CLOCK_MONOTONIC, 1000);
	assert_int_equal(uk_pthread_deadline(CLOCK_MONOTONIC, &ts, &dl), 0);
	assert_true(dl > fake_ns + 900000000ULL &&
		    dl <= fake_ns + 1000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_join, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_self, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_detach_and_attrs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mutex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cond, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rwlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
