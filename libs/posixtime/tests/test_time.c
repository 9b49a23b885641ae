/* Native tests of posixtime on a fake clock. With TEST_NO_SCHED the
 * executable has no uksched symbol at all (the weak references stay 0). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <uk/posixtime.h>
#include <uk/syscall.h>

struct ts {
	long s, ns;
};
struct tv {
	long s, us;
};
struct tz {
	int w, d;
};

/* ---- platform doubles ---- */
static uint64_t mono = 5 * 1000000000ULL; /* 5 s after boot */
static uint64_t wall_at_boot = 1700000000ULL * 1000000000ULL;
static int have_wall = 1;
static int nhalts;
static uint64_t last_halt;

uint64_t ukplat_monotonic_clock(void)
{
	return mono;
}
uint64_t ukplat_wall_clock(void)
{
	return have_wall ? wall_at_boot + mono : 0;
}
void ukplat_halt_until(uint64_t deadline)
{
	nhalts++;
	last_halt = deadline;
	if (deadline > mono)
		mono = deadline;
}

#ifndef TEST_NO_SCHED
/* ---- a fake uksched whose clock runs 1000 s ahead of the platform's ---- */
struct uk_sched;
static int sched_on;
static int nsleeps;
static uint64_t last_sleep;
struct uk_sched *uk_sched_get_default(void)
{
	return sched_on ? (struct uk_sched *)&sched_on : NULL;
}
uint64_t uk_sched_now(void)
{
	return mono + 1000000000000ULL;
}
void uk_sched_sleep_until(uint64_t d)
{
	nsleeps++;
	last_sleep = d;
	mono = d - 1000000000000ULL;
}
/* the interruptible wait: a signal after `intr_after` ns when set */
static uint64_t intr_after;
struct uk_waitq;
int uk_waitq_wait_intr(struct uk_waitq *wq, uint64_t d)
{
	(void)wq;
	nsleeps++;
	last_sleep = d;
	if (intr_after) {
		mono += intr_after;
		return -EINTR;
	}
	mono = d - 1000000000000ULL;
	return -ETIMEDOUT;
}
#endif

static void test_gettime(void **state)
{
	(void)state;
	struct ts t;

	assert_int_equal(uk_syscall_call(clock_gettime, 1, &t), 0);
	assert_int_equal(t.s, 5);
	assert_int_equal(t.ns, 0);
	mono += 1234;
	for (long c = 1; c <= 7; c++) {
		if (c == 5)
			continue;
		assert_int_equal(uk_syscall_call(clock_gettime, c, &t), 0);
		assert_int_equal(t.s, 5);
		assert_int_equal(t.ns, 1234);
	}
	assert_int_equal(uk_syscall_call(clock_gettime, 0, &t), 0);
	assert_int_equal(t.s, 1700000005);
	assert_int_equal(t.ns, 1234);
	assert_int_equal(uk_syscall_call(clock_gettime, 5, &t), 0);
	assert_int_equal(t.s, 1700000005);
	for (long c = 8; c < 16; c++)
		assert_int_equal(uk_syscall_call(clock_gettime, c, &t),
				 -EINVAL);
	assert_int_equal(uk_syscall_call(clock_gettime, -6, &t), -EINVAL);
	assert_int_equal(uk_syscall_call(clock_gettime, 0, NULL), -EFAULT);

	assert_int_equal(uk_syscall_call(clock_getres, 1, &t), 0);
	assert_int_equal(t.s, 0);
	assert_int_equal(t.ns, 1);
	assert_int_equal(uk_syscall_call(clock_getres, 0, NULL), 0);
	assert_int_equal(uk_syscall_call(clock_getres, 11, &t), -EINVAL);

	/* no wall clock: realtime follows the monotonic clock */
	have_wall = 0;
	assert_int_equal(uk_syscall_call(clock_gettime, 0, &t), 0);
	assert_int_equal(t.s, 5);
	have_wall = 1;
}

static void test_timeofday(void **state)
{
	(void)state;
	struct tv tv;
	struct tz tz = {77, 77};
	long t2;

	mono = 5000000000ULL + 2500000;
	assert_int_equal(uk_syscall_call(gettimeofday, &tv, &tz), 0);
	assert_int_equal(tv.s, 1700000005);
	assert_int_equal(tv.us, 2500);
	assert_int_equal(tz.w, 0);
	assert_int_equal(tz.d, 0);
	assert_int_equal(uk_syscall_call(gettimeofday, NULL, NULL), 0);
	assert_int_equal(uk_syscall_call(time, NULL), 1700000005);
	assert_int_equal(uk_syscall_call(time, &t2), 1700000005);
	assert_int_equal(t2, 1700000005);

	/* set the clock back 100 years, forward again */
	tv.s = 1000;
	tv.us = 999999;
	assert_int_equal(uk_syscall_call(settimeofday, &tv, NULL), 0);
	assert_int_equal(uk_syscall_call(time, NULL), 1000);
	mono += 1000;
	assert_int_equal(uk_syscall_call(gettimeofday, &tv, NULL), 0);
	assert_int_equal(tv.s, 1001);
	assert_int_equal(tv.us, 0);
	assert_int_equal(uk_posixtime_realtime_ns(), 1001000000000LL);
	/* monotonic unaffected */
	struct ts t;
	uk_syscall_call(clock_gettime, 1, &t);
	assert_int_equal(t.s, 5);

	tv.us = 1000000;
	assert_int_equal(uk_syscall_call(settimeofday, &tv, NULL), -EINVAL);
	tv.us = -1;
	assert_int_equal(uk_syscall_call(settimeofday, &tv, NULL), -EINVAL);
	tv.us = 0;
	tv.s = -1;
	assert_int_equal(uk_syscall_call(settimeofday, &tv, NULL), -EINVAL);
	assert_int_equal(uk_syscall_call(settimeofday, NULL, &tz), 0);

	t.s = 2000000000;
	t.ns = 5;
	assert_int_equal(uk_syscall_call(clock_settime, 1, &t), -EINVAL);
	assert_int_equal(uk_syscall_call(clock_settime, 7, &t), -EINVAL);
	assert_int_equal(uk_syscall_call(clock_settime, 99, &t), -EINVAL);
	assert_int_equal(uk_syscall_call(clock_settime, 0, &t), 0);
	struct ts r;
	assert_int_equal(uk_syscall_call(clock_gettime, 0, &r), 0);
	assert_int_equal(r.s, 2000000000);
	assert_int_equal(r.ns, 5);
	t.ns = 1000000000;
	assert_int_equal(uk_syscall_call(clock_settime, 0, &t), -EINVAL);
	t.ns = -1;
	assert_int_equal(uk_syscall_call(clock_settime, 0, &t), -EINVAL);
	/* back to the platform's time */
	t.s = 1700000005;
	t.ns = 2501000;
	assert_int_equal(uk_syscall_call(clock_settime, 0, &t), 0);
}

static void test_nanosleep(void **state)
{
	(void)state;
	struct ts req = {1, 500}, rem = {9, 9};
	uint64_t m0 = mono;

	nhalts = 0;
	assert_int_equal(uk_syscall_call(nanosleep, &req, &rem), 0);
	assert_int_equal(mono, m0 + 1000000500);
	assert_int_equal(rem.s, 9); /* untouched unless interrupted */
	assert_int_equal(rem.ns, 9);
	assert_int_equal(nhalts, 1);
	assert_int_equal(last_halt, mono);

	req.ns = 1000000000;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), -EINVAL);
	req.ns = -1;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), -EINVAL);
	req.s = -1;
	req.ns = 0;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), -EINVAL);
	assert_int_equal(uk_syscall_call(nanosleep, NULL, NULL), -EFAULT);
	req.s = 0;
	m0 = mono;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), 0);
	assert_int_equal(mono, m0);
	/* huge: saturates instead of wrapping */
	req.s = 0x7fffffffffffffffL;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), 0);
	assert_true(mono >= (uint64_t)INT64_MAX);
	mono = 100 * 1000000000ULL;
}

static void test_clock_nanosleep(void **state)
{
	(void)state;
	struct ts req = {0, 700};
	uint64_t m0 = mono;

	assert_int_equal(uk_syscall_call(clock_nanosleep, 1, 0, &req, NULL), 0);
	assert_int_equal(mono, m0 + 700);
	/* absolute monotonic */
	req.s = 200;
	req.ns = 0;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 1, 1, &req, NULL), 0);
	assert_int_equal(mono, 200000000000ULL);
	/* absolute in the past: returns at once */
	nhalts = 0;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 1, 1, &req, NULL), 0);
	assert_int_equal(nhalts, 0);
	/* absolute realtime, 3 s ahead */
	struct ts now;
	uk_syscall_call(clock_gettime, 0, &now);
	req.s = now.s + 3;
	req.ns = now.ns;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 0, 1, &req, NULL), 0);
	assert_int_equal(mono, 203000000000ULL);
	req.ns = 1000000000;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 0, 1, &req, NULL),
			 -EINVAL);
	req.ns = 0;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 3, 0, &req, NULL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(clock_nanosleep, 42, 0, &req, NULL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(clock_nanosleep, 7, 0, NULL, NULL),
			 -EFAULT);
}

static void test_sched_path(void **state)
{
	(void)state;
	struct ts req = {0, 5000};
	uint64_t m0 = mono;

#ifdef TEST_NO_SCHED
	assert_int_equal(uk_posixtime_sched_running(), 0);
	nhalts = 0;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), 0);
	assert_int_equal(nhalts, 1);
	assert_int_equal(mono, m0 + 5000);
#else
	assert_int_equal(uk_posixtime_sched_running(), 0);
	sched_on = 1;
	assert_int_equal(uk_posixtime_sched_running(), 1);
	nhalts = nsleeps = 0;
	assert_int_equal(uk_syscall_call(nanosleep, &req, NULL), 0);
	assert_int_equal(nhalts, 0);
	assert_int_equal(nsleeps, 1);
	assert_int_equal(last_sleep, m0 + 5000 + 1000000000000ULL);
	assert_int_equal(mono, m0 + 5000);
	/* a signal ends the sleep: EINTR and the time left */
	struct ts big = {3, 0}, rem = {0, 0};
	intr_after = 1000000001;
	m0 = mono;
	assert_int_equal(uk_syscall_call(nanosleep, &big, &rem), -EINTR);
	assert_int_equal(rem.s, 1);
	assert_int_equal(rem.ns, 999999999);
	assert_int_equal(uk_syscall_call(clock_nanosleep, 1, 0, &big, &rem),
			 -EINTR);
	assert_int_equal(rem.s, 1);
	/* absolute: EINTR, nothing to tell */
	big.s = (long)((mono + 5000000000ULL) / 1000000000ULL);
	rem.s = 77;
	assert_int_equal(uk_syscall_call(clock_nanosleep, 1, 1, &big, &rem),
			 -EINTR);
	assert_int_equal(rem.s, 77);
	intr_after = 0;
	sched_on = 0;
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gettime),
		cmocka_unit_test(test_timeofday),
		cmocka_unit_test(test_nanosleep),
		cmocka_unit_test(test_clock_nanosleep),
		cmocka_unit_test(test_sched_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
