/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip: the RFC 6528 initial sequence number function (src/isn.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat_doubles.h> /* the console ukdebug writes to */

#include <uk/lwip.h>

#define TICK 4000ULL /* ns per tick of M */

static const uint8_t key_a[16] = {1, 2,	 3,  4,	 5,  6,	 7,  8,
				  9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t key_b[16] = {1, 2,	 3,  4,	 5,  6,	 7,  8,
				  9, 10, 11, 12, 13, 14, 15, 17};

struct tuple {
	uint32_t lip, rip;
	uint16_t lport, rport;
};

static uint32_t isn(const uint8_t *key, uint64_t t, const struct tuple *u)
{
	return uklwip_isn_compute(key, t, u->lip, u->lport, u->rip, u->rport);
}

static struct tuple tuple_n(unsigned n)
{
	struct tuple u = {0x0200000a + (n % 7) * 0x01000000u,
			  0x0100000a + (n / 7) * 0x01000000u,
			  (uint16_t)(80 + n % 3), (uint16_t)(40000 + n)};
	return u;
}

/* The same key, time and tuple: the same number. */
static void test_deterministic(void **state)
{
	(void)state;
	for (unsigned n = 0; n < 100; n++) {
		struct tuple u = tuple_n(n);
		uint64_t t = n * 123456789ULL;
		assert_int_equal(isn(key_a, t, &u), isn(key_a, t, &u));
	}
}

/* Another key (one bit apart): another number for every tuple and time. */
static void test_key_matters(void **state)
{
	(void)state;
	for (unsigned n = 0; n < 1000; n++) {
		struct tuple u = tuple_n(n);
		uint64_t t = n * 1000003ULL;
		assert_int_not_equal(isn(key_a, t, &u), isn(key_b, t, &u));
	}
}

/* Any change of the tuple (each of its 96 bits flipped alone) changes the
 * number at the same time: F covers all of it. */
static void test_tuple_matters(void **state)
{
	(void)state;
	struct tuple u0 = {0x0200000a, 0x0100000a, 80, 40000};
	uint32_t base = isn(key_a, 5000000, &u0);

	for (unsigned b = 0; b < 96; b++) {
		struct tuple u = u0;
		if (b < 32)
			u.lip ^= 1u << b;
		else if (b < 64)
			u.rip ^= 1u << (b - 32);
		else if (b < 80)
			u.lport ^= (uint16_t)(1u << (b - 64));
		else
			u.rport ^= (uint16_t)(1u << (b - 80));
		assert_int_not_equal(isn(key_a, 5000000, &u), base);
	}
	/* swapping the ends is another connection too */
	struct tuple s = {u0.rip, u0.lip, u0.rport, u0.lport};
	assert_int_not_equal(isn(key_a, 5000000, &s), base);
}

/* For a fixed tuple the number moves with the clock and only with it: one
 * step per 4 us, never backwards (modulo 2^32), nothing between ticks. */
static void test_monotonic_clock(void **state)
{
	(void)state;
	struct tuple u = tuple_n(3);
	uint64_t t0 = 987654321ULL, t = t0;
	uint32_t i0 = isn(key_a, t0, &u), prev = i0;

	for (unsigned k = 0; k < 10000; k++) {
		t += 1 + (k * 7919ULL) % 20000; /* 1 ns .. 20 us steps */
		uint32_t i = isn(key_a, t, &u);
		assert_true((int32_t)(i - prev) >= 0);
		assert_int_equal(i - i0, (uint32_t)(t / TICK - t0 / TICK));
		prev = i;
	}
	/* within one tick: unchanged */
	uint64_t tb = (t0 / TICK) * TICK;
	assert_int_equal(isn(key_a, tb, &u), isn(key_a, tb + TICK - 1, &u));
	assert_int_equal(isn(key_a, tb + TICK, &u) - isn(key_a, tb, &u), 1);
	/* the counter wraps like sequence numbers do (every ~4.77 hours) */
	uint64_t wrap = (1ULL << 32) * TICK;
	assert_int_equal(isn(key_a, t0 + wrap, &u), i0);
}

/* What an observer of many connections sees at one instant: numbers of
 * neighbouring source ports that are unrelated (no two consecutive
 * differences equal, none close to another). */
static void test_ports_unrelated(void **state)
{
	(void)state;
	uint32_t v[1000];
	unsigned close = 0;

	for (unsigned n = 0; n < 1000; n++) {
		struct tuple u = {0x0200000a, 0x0100000a, 80,
				  (uint16_t)(50000 + n)};
		v[n] = isn(key_a, 42 * TICK, &u);
	}
	for (unsigned n = 2; n < 1000; n++)
		assert_int_not_equal(v[n] - v[n - 1], v[n - 1] - v[n - 2]);
	for (unsigned n = 1; n < 1000; n++)
		if ((uint32_t)(v[n] - v[n - 1] + 100000) < 200000)
			close++;
	assert_true(close < 3); /* 1000 * 2e5 / 2^32 = 0.05 expected */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_key_matters),
		cmocka_unit_test(test_tuple_matters),
		cmocka_unit_test(test_monotonic_clock),
		cmocka_unit_test(test_ports_unrelated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
