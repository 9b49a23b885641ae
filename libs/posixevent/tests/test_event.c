/* posixevent unit tests: eventfd and timerfd on the real fdtab, uksched,
 * ukschedcoop and posixpoll with a fake clock. clock_gettime is a test
 * double: CLOCK_REALTIME runs 1000 s ahead of the scheduler's clock.
 * Threads count errors instead of asserting (no longjmp across stacks). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/posixevent.h>
#include <uk/posixpoll.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

#define MS	 1000000ULL
#define NS	 1000000000ULL
#define RT_AHEAD (1000 * NS)

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

struct ts {
	int64_t sec, nsec;
};

UK_SYSCALL_R_DEFINE(int, clock_gettime, int, clock, struct ts *, t)
{
	uint64_t v = fake_ns + (clock == 0 ? RT_AHEAD : 0);

	t->sec = (int64_t)(v / NS);
	t->nsec = (int64_t)(v % NS);
	return 0;
}

static long rd64(int fd, uint64_t *v)
{
	return uk_syscall_call(read, fd, v, 8);
}

static long wr64(int fd, uint64_t v)
{
	return uk_syscall_call(write, fd, &v, 8);
}

static void test_eventfd_basic(void **state)
{
	int fd;
	uint64_t v;
	char small[4];
	struct uk_stat st;

	(void)state;
	fd = uk_syscall_call(eventfd2, 5, UK_O_NONBLOCK | UK_O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(uk_syscall_call(fcntl, fd, 1, 0), UK_FD_CLOEXEC);
	assert_int_equal(uk_syscall_call(fstat, fd, &st), 0);
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 5);
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	assert_int_equal(wr64(fd, 3), 8);
	assert_int_equal(wr64(fd, 4), 8);
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 7);
	/* bad sizes and values */
	assert_int_equal(uk_syscall_call(read, fd, small, 4), -EINVAL);
	assert_int_equal(uk_syscall_call(write, fd, small, 4), -EINVAL);
	assert_int_equal(wr64(fd, UINT64_MAX), -EINVAL);
	/* overflow: the counter stops at 2^64 - 2 */
	assert_int_equal(wr64(fd, UINT64_MAX - 1), 8);
	assert_int_equal(wr64(fd, 1), -EAGAIN);
	assert_int_equal(wr64(fd, 0), 8);
	assert_int_equal(rd64(fd, &v), 8);
	assert_true(v == UINT64_MAX - 1);
	assert_int_equal(uk_syscall_call(close, fd), 0);
	assert_int_equal(uk_syscall_call(eventfd2, 0, 0x10), -EINVAL);
	fd = uk_syscall_call(eventfd, 0);
	assert_true(fd >= 0);
	assert_int_equal(uk_syscall_call(fcntl, fd, 1, 0), 0);
	uk_syscall_call(close, fd);
}

static void test_eventfd_semaphore(void **state)
{
	int fd = uk_syscall_call(eventfd2, 3, UK_EFD_SEMAPHORE | UK_O_NONBLOCK);
	uint64_t v;

	(void)state;
	assert_true(fd >= 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rd64(fd, &v), 8);
		assert_int_equal(v, 1);
	}
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	uk_syscall_call(close, fd);
}

struct job {
	int fd;
	uint64_t delay, val;
	long r;
};

static void poster(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	j->r = wr64(j->fd, j->val);
}

static void taker(void *arg)
{
	struct job *j = arg;
	uint64_t v = 0;

	uk_sched_sleep_ns(j->delay);
	j->r = rd64(j->fd, &v);
	j->val = v;
}

static void test_eventfd_blocking(void **state)
{
	int fd = uk_syscall_call(eventfd2, 0, 0), ep;
	struct job j = {.delay = 5 * MS, .val = 42};
	struct uk_thread *t;
	struct uk_epoll_event ev = {UK_EPOLLIN, 7}, out;
	uint64_t v;

	(void)state;
	assert_true(fd >= 0);
	j.fd = fd;
	t = uk_thread_create(NULL, "post", poster, &j, 0);
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 42);
	assert_true(fake_ns >= 5 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* a blocked writer waits for room */
	assert_int_equal(wr64(fd, UINT64_MAX - 1), 8);
	j = (struct job){.fd = fd, .delay = 2 * MS};
	t = uk_thread_create(NULL, "take", taker, &j, 0);
	assert_int_equal(wr64(fd, 10), 8);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.r, 8);
	assert_true(j.val == UINT64_MAX - 1);
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 10);
	/* epoll wakes for a post from another thread */
	ep = uk_syscall_call(epoll_create1, 0);
	assert_true(ep >= 0);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, fd, &ev), 0);
	assert_int_equal(uk_syscall_call(epoll_wait, ep, &out, 1, 0), 0);
	j = (struct job){.fd = fd, .delay = 3 * MS, .val = 1};
	t = uk_thread_create(NULL, "post", poster, &j, 0);
	assert_int_equal(uk_syscall_call(epoll_wait, ep, &out, 1, -1), 1);
	assert_int_equal(out.data, 7);
	assert_true(out.events & UK_EPOLLIN);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	uk_syscall_call(close, ep);
	uk_syscall_call(close, fd);
}

static void its(struct uk_itimerspec *i, uint64_t val, uint64_t ivl)
{
	i->value_sec = (int64_t)(val / NS);
	i->value_nsec = (int64_t)(val % NS);
	i->interval_sec = (int64_t)(ivl / NS);
	i->interval_nsec = (int64_t)(ivl % NS);
}

static void test_timerfd_basic(void **state)
{
	int fd;
	struct uk_itimerspec it, cur;
	uint64_t v;

	(void)state;
	assert_int_equal(uk_syscall_call(timerfd_create, 5, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(timerfd_create, 1, 0x1), -EINVAL);
	fd = uk_syscall_call(timerfd_create, 1, UK_O_NONBLOCK);
	assert_true(fd >= 0);
	/* disarmed: nothing to read, a zero setting */
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	assert_int_equal(uk_syscall_call(timerfd_gettime, fd, &cur), 0);
	assert_int_equal(cur.value_sec + cur.value_nsec, 0);
	/* one shot in 10 ms */
	its(&it, 10 * MS, 0);
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, &it, NULL), 0);
	uk_sched_sleep_ns(4 * MS);
	assert_int_equal(uk_syscall_call(timerfd_gettime, fd, &cur), 0);
	assert_int_equal(cur.value_nsec, 6 * MS);
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	uk_sched_sleep_ns(7 * MS);
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 1);
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	/* periodic: expirations are counted while nobody reads */
	its(&it, 5 * MS, 5 * MS);
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, &it, &cur), 0);
	assert_int_equal(cur.value_sec + cur.value_nsec, 0);
	uk_sched_sleep_ns(22 * MS); /* expiries at 5, 10, 15, 20 */
	assert_int_equal(rd64(fd, &v), 8);
	assert_int_equal(v, 4);
	assert_int_equal(uk_syscall_call(timerfd_gettime, fd, &cur), 0);
	assert_int_equal(cur.value_nsec, 3 * MS);
	assert_int_equal(cur.interval_nsec, 5 * MS);
	/* disarm: old setting back, pending count dropped */
	uk_sched_sleep_ns(4 * MS);
	its(&it, 0, 0);
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, &it, &cur), 0);
	assert_int_equal(cur.interval_nsec, 5 * MS);
	assert_int_equal(rd64(fd, &v), -EAGAIN);
	/* errors */
	its(&it, MS, 0);
	it.value_nsec = (int64_t)NS;
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, &it, NULL),
			 -EINVAL);
	it.value_nsec = -1;
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, &it, NULL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 0, NULL, NULL),
			 -EFAULT);
	assert_int_equal(uk_syscall_call(timerfd_settime, fd, 8, &it, NULL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(timerfd_settime, 500, 0, &it, NULL),
			 -EBADF);
	{
		int e = uk_syscall_call(eventfd, 0); /* not a timer */

		assert_int_equal(uk_syscall_call(timerfd_gettime, e, &cur),
				 -EINVAL);
		uk_syscall_call(close, e);
	}
	assert_int_equal(uk_syscall_call(timerfd_gettime, fd, NULL), -EFAULT);
	assert_int_equal(uk_syscall_call(write, fd, &v, 8), -EINVAL);
	assert_int_equal(uk_syscall_call(read, fd, &v, 4), -EINVAL);
	uk_syscall_call(close, fd);
}

static void test_timerfd_abstime(void **state)
{
	int mono = uk_syscall_call(timerfd_create, 1, 0);
	int rt = uk_syscall_call(timerfd_create, 0, 0);
	struct uk_itimerspec it;
	uint64_t v, start;

	(void)state;
	assert_true(mono >= 0 && rt >= 0);
	fake_ns = 100 * MS;
	start = fake_ns;
	/* CLOCK_MONOTONIC absolute: at 130 ms */
	its(&it, 130 * MS, 0);
	assert_int_equal(uk_syscall_call(timerfd_settime, mono,
					 UK_TFD_TIMER_ABSTIME, &it, NULL),
			 0);
	/* a blocking read sleeps until then */
	assert_int_equal(rd64(mono, &v), 8);
	assert_int_equal(v, 1);
	assert_int_equal(fake_ns, 130 * MS);
	/* CLOCK_REALTIME absolute: the real-time clock is 1000 s ahead */
	its(&it, RT_AHEAD + 150 * MS, 0);
	assert_int_equal(uk_syscall_call(timerfd_settime, rt,
					 UK_TFD_TIMER_ABSTIME |
						 UK_TFD_TIMER_CANCEL_ON_SET,
					 &it, NULL),
			 0);
	assert_int_equal(rd64(rt, &v), 8);
	assert_int_equal(fake_ns, 150 * MS);
	/* a time already past expires at once */
	its(&it, 1, 0);
	assert_int_equal(uk_syscall_call(timerfd_settime, mono,
					 UK_TFD_TIMER_ABSTIME, &it, NULL),
			 0);
	assert_int_equal(rd64(mono, &v), 8);
	assert_int_equal(fake_ns, 150 * MS);
	/* CANCEL_ON_SET needs ABSTIME and CLOCK_REALTIME */
	assert_int_equal(uk_syscall_call(timerfd_settime, mono,
					 UK_TFD_TIMER_ABSTIME |
						 UK_TFD_TIMER_CANCEL_ON_SET,
					 &it, NULL),
			 -EINVAL);
	(void)start;
	uk_syscall_call(close, mono);
	uk_syscall_call(close, rt);
}

static void test_timerfd_epoll(void **state)
{
	int a = uk_syscall_call(timerfd_create, 1, UK_O_NONBLOCK);
	int b = uk_syscall_call(timerfd_create, 1, UK_O_NONBLOCK);
	int ep = uk_syscall_call(epoll_create1, 0);
	struct uk_epoll_event ev = {UK_EPOLLIN, 1}, out[2];
	struct uk_itimerspec it;
	struct uk_pollfd pfd = {a, UK_POLLIN, 0};
	uint64_t v;

	(void)state;
	assert_true(a >= 0 && b >= 0 && ep >= 0);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, a, &ev), 0);
	ev.data = 2;
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, b, &ev), 0);
	fake_ns = 1;
	its(&it, 20 * MS, 0);
	uk_syscall_call(timerfd_settime, a, 0, &it, NULL);
	its(&it, 8 * MS, 8 * MS);
	uk_syscall_call(timerfd_settime, b, 0, &it, NULL);
	/* the helper thread wakes epoll_wait at the first expiry (b) */
	assert_int_equal(uk_syscall_call(epoll_wait, ep, out, 2, -1), 1);
	assert_int_equal(out[0].data, 2);
	assert_true(fake_ns >= 8 * MS && fake_ns < 9 * MS);
	assert_int_equal(rd64(b, &v), 8);
	/* disarm b; then a at 20 ms */
	its(&it, 0, 0);
	uk_syscall_call(timerfd_settime, b, 0, &it, NULL);
	assert_int_equal(uk_syscall_call(epoll_wait, ep, out, 2, -1), 1);
	assert_int_equal(out[0].data, 1);
	assert_true(fake_ns >= 20 * MS && fake_ns < 21 * MS);
	/* poll sees it too */
	assert_int_equal(uk_syscall_call(poll, &pfd, 1, 0), 1);
	assert_int_equal(rd64(a, &v), 8);
	assert_int_equal(uk_syscall_call(poll, &pfd, 1, 0), 0);
	/* re-arm a and poll with no timeout: woken at its expiry */
	its(&it, 5 * MS, 0);
	uk_syscall_call(timerfd_settime, a, 0, &it, NULL);
	assert_int_equal(uk_syscall_call(poll, &pfd, 1, -1), 1);
	assert_int_equal(rd64(a, &v), 8);
	uk_syscall_call(close, ep);
	uk_syscall_call(close, a);
	uk_syscall_call(close, b);
	uk_sched_yield(); /* the helper sees no armed timer and ends */
}

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	for (int fd = 0; fd < 64; fd++)
		uk_syscall_call(close, fd);
	for (int i = 0; i < 4; i++)
		uk_sched_yield();
	return errors != 0 || coop.sched.nr_threads != 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eventfd_basic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_eventfd_semaphore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_eventfd_blocking, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timerfd_basic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timerfd_abstime, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timerfd_epoll, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
