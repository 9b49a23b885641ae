/* Native tests of uktime against exact 128-bit arithmetic and timegm(). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <uk/time.h>

typedef unsigned __int128 u128;

#define NSEC 1000000000ULL

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, independent of the host's rand() */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A random value with a random number of significant bits (0..64). */
static uint64_t rnd_magnitude(void)
{
	unsigned bits = (unsigned)(rnd() % 65);

	return bits == 0 ? 0 : rnd() >> (64 - bits);
}

static const uint64_t freqs[] = {
	1000000ULL, /* 1 MHz, lowest accepted */
	1000001ULL,    1000000007ULL,  1000000000ULL,	2893437123ULL,
	3000000000ULL, 2399999999ULL,  1193182ULL,	3579545ULL,
	14318180ULL,   19200000ULL,    24000000ULL,	4294967295ULL,
	4294967296ULL, 99999999999ULL, 100000000000ULL, /* 100 GHz, highest
							   accepted */
};

/* floor(ticks * 1e9 / freq), clamped to UINT64_MAX; sets *over if clamped */
static uint64_t exact_ns(uint64_t freq, uint64_t ticks, int *over)
{
	u128 v = (u128)ticks * NSEC / freq;

	*over = v > UINT64_MAX;
	return *over ? UINT64_MAX : (uint64_t)v;
}

static void check_to_ns(const struct uk_tsc_conv *c, uint64_t ticks)
{
	u128 exact = (u128)ticks * NSEC / c->freq_hz;
	uint64_t got = uk_tsc_to_ns(c, ticks);
	u128 bound = exact / NSEC + 1;

	if (exact > (u128)UINT64_MAX + bound) {
		/* clearly out of range: must saturate */
		if (got != UINT64_MAX)
			fail_msg("freq %llu ticks %llu: got %llu, want "
				 "saturation",
				 (unsigned long long)c->freq_hz,
				 (unsigned long long)ticks,
				 (unsigned long long)got);
		return;
	}
	if (exact > UINT64_MAX)
		exact = UINT64_MAX;
	u128 diff = got > exact ? got - exact : exact - got;
	if (diff > bound)
		fail_msg("freq %llu ticks %llu: got %llu, exact %llu",
			 (unsigned long long)c->freq_hz,
			 (unsigned long long)ticks, (unsigned long long)got,
			 (unsigned long long)exact);
}

static void check_to_tsc(const struct uk_tsc_conv *c, uint64_t ns)
{
	u128 num = (u128)ns * c->freq_hz;
	u128 want = (num + NSEC - 1) / NSEC; /* ceil */
	uint64_t got = uk_ns_to_tsc(c, ns);

	if (want > UINT64_MAX)
		want = UINT64_MAX;
	if ((u128)got != want)
		fail_msg("freq %llu ns %llu: got %llu ticks, want %llu",
			 (unsigned long long)c->freq_hz, (unsigned long long)ns,
			 (unsigned long long)got, (unsigned long long)want);

	/* round trip ns -> tsc -> ns: within a tick period plus the bound */
	if (want == UINT64_MAX)
		return;
	uint64_t back = uk_tsc_to_ns(c, got);
	u128 tick_ns = (NSEC + c->freq_hz - 1) / c->freq_hz;
	u128 bound = (u128)ns / NSEC + 1;
	if ((u128)back + bound < ns || (u128)back > ns + tick_ns + bound)
		fail_msg("freq %llu: round trip %llu -> %llu -> %llu",
			 (unsigned long long)c->freq_hz, (unsigned long long)ns,
			 (unsigned long long)got, (unsigned long long)back);
}

static const uint64_t fixed_values[] = {
	0,
	1,
	2,
	999,
	1000,
	999999999,
	1000000000,
	(1ULL << 32) - 1,
	1ULL << 32,
	(1ULL << 32) + 1,
	1ULL << 40,
	(1ULL << 53) + 12345,
	(1ULL << 63) - 1,
	1ULL << 63,
	(1ULL << 63) + 1,
	UINT64_MAX / 3,
	UINT64_MAX / 1000,
	UINT64_MAX / 1000 + 1,
	UINT64_MAX - 1,
	UINT64_MAX,
};

static void test_units(void **state)
{
	(void)state;
	assert_int_equal(uk_time_us(3), 3000);
	assert_int_equal(uk_time_ms(3), 3000000);
	assert_int_equal(uk_time_sec(3), 3000000000LL);
	assert_int_equal(uk_time_sec(-2), -2000000000LL);
	assert_int_equal(uk_time_sec(0), 0);
	/* the last representable and the first saturating value */
	assert_int_equal(uk_time_sec(9223372036LL), 9223372036000000000LL);
	assert_int_equal(uk_time_sec(9223372037LL), UK_NSEC_MAX);
	assert_int_equal(uk_time_sec(-9223372036LL), -9223372036000000000LL);
	assert_int_equal(uk_time_sec(-9223372037LL), UK_NSEC_MIN);
	assert_int_equal(uk_time_ms(9223372036854LL), 9223372036854000000LL);
	assert_int_equal(uk_time_ms(9223372036855LL), UK_NSEC_MAX);
	assert_int_equal(uk_time_us(9223372036854775LL), 9223372036854775000LL);
	assert_int_equal(uk_time_us(9223372036854776LL), UK_NSEC_MAX);
	assert_int_equal(uk_time_us(INT64_MAX), UK_NSEC_MAX);
	assert_int_equal(uk_time_us(INT64_MIN), UK_NSEC_MIN);
	assert_int_equal(uk_time_ms(INT64_MIN), UK_NSEC_MIN);
	assert_int_equal(uk_time_sec(INT64_MAX), UK_NSEC_MAX);
}

static void test_deadline(void **state)
{
	(void)state;
	assert_int_equal(uk_deadline_after(100, 50), 150);
	assert_int_equal(uk_deadline_after(100, 0), 100);
	assert_int_equal(uk_deadline_after(100, -5), 100);
	assert_int_equal(uk_deadline_after(UK_NSEC_MAX - 10, 10), UK_NSEC_MAX);
	assert_int_equal(uk_deadline_after(UK_NSEC_MAX - 10, 11), UK_NSEC_MAX);
	assert_int_equal(uk_deadline_after(UK_NSEC_MAX - 10, 9),
			 UK_NSEC_MAX - 1);
	assert_int_equal(uk_deadline_after(1, UK_NSEC_MAX), UK_NSEC_MAX);
	assert_int_equal(uk_deadline_after(-100, UK_NSEC_MAX),
			 UK_NSEC_MAX - 100);

	assert_false(uk_deadline_passed(149, 150));
	assert_true(uk_deadline_passed(150, 150));
	assert_true(uk_deadline_passed(151, 150));
	assert_false(uk_deadline_passed(UK_NSEC_MAX, UK_NSEC_MAX));
	assert_true(uk_deadline_passed(UK_NSEC_MAX, UK_NSEC_MAX - 1));
	assert_true(uk_deadline_passed(0, UK_NSEC_MIN));
}

static void test_conv_init(void **state)
{
	(void)state;
	static const uint64_t bad[] = {
		0, 1, 999999, 100000000001ULL, 1ULL << 40, UINT64_MAX};
	struct uk_tsc_conv c = {.mult = 7, .shift = 8, .freq_hz = 9};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(uk_tsc_conv_init(&c, bad[i]), -EINVAL);
		/* left unchanged */
		assert_int_equal(c.mult, 7);
		assert_int_equal(c.shift, 8);
		assert_int_equal(c.freq_hz, 9);
	}
	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		assert_int_equal(uk_tsc_conv_init(&c, freqs[i]), 0);
		assert_int_equal(c.freq_hz, freqs[i]);
		assert_true(c.mult >= (1U << 31));
		/* mult = round(1e9 * 2^shift / freq) */
		u128 num = (u128)NSEC << c.shift;
		u128 want = (2 * num + freqs[i]) / (2 * freqs[i]);
		assert_true((u128)c.mult == want);
	}
	/* 1 GHz is exact */
	assert_int_equal(uk_tsc_conv_init(&c, 1000000000ULL), 0);
	assert_int_equal(uk_tsc_to_ns(&c, UINT64_MAX), UINT64_MAX);
	assert_int_equal(uk_tsc_to_ns(&c, 123456789012345ULL),
			 123456789012345ULL);
}

static void test_tsc_fixed(void **state)
{
	(void)state;
	struct uk_tsc_conv c;

	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		assert_int_equal(uk_tsc_conv_init(&c, freqs[i]), 0);
		for (size_t j = 0;
		     j < sizeof(fixed_values) / sizeof(fixed_values[0]); j++) {
			check_to_ns(&c, fixed_values[j]);
			check_to_tsc(&c, fixed_values[j]);
			/* a whole number of seconds of ticks */
			if (fixed_values[j] < 1000000) {
				uint64_t t = fixed_values[j] * freqs[i];
				check_to_ns(&c, t);
			}
		}
		assert_int_equal(uk_tsc_to_ns(&c, 0), 0);
		assert_int_equal(uk_ns_to_tsc(&c, 0), 0);
	}
}

static void test_tsc_saturation(void **state)
{
	(void)state;
	struct uk_tsc_conv c;
	int over;

	/* 1 MHz: 2^64-1 ticks are 1.8e22 ns, far beyond 64 bits */
	assert_int_equal(uk_tsc_conv_init(&c, 1000000), 0);
	assert_int_equal(uk_tsc_to_ns(&c, UINT64_MAX), UINT64_MAX);
	assert_int_equal(uk_tsc_to_ns(&c, UINT64_MAX / 1000 + 1), UINT64_MAX);
	assert_int_equal(uk_tsc_to_ns(&c, 1ULL << 63), UINT64_MAX);
	assert_int_equal(uk_tsc_to_ns(&c, 1000000), 1000000000ULL);
	/* 100 GHz: ns -> ticks overflows from 2^64 / 100 ns on */
	assert_int_equal(uk_tsc_conv_init(&c, 100000000000ULL), 0);
	assert_int_equal(uk_ns_to_tsc(&c, UINT64_MAX), UINT64_MAX);
	assert_int_equal(uk_ns_to_tsc(&c, UINT64_MAX / 100 + 1), UINT64_MAX);
	assert_int_equal(uk_ns_to_tsc(&c, UINT64_MAX / 100),
			 UINT64_MAX / 100 * 100);
	/* 3 GHz: 2^64-1 ticks fit (about 195 years), so no saturation; a
	 * 64-bit-only product ticks * mult would have overflowed */
	assert_int_equal(uk_tsc_conv_init(&c, 3000000000ULL), 0);
	uint64_t e = exact_ns(c.freq_hz, UINT64_MAX, &over);
	assert_false(over);
	uint64_t got = uk_tsc_to_ns(&c, UINT64_MAX);
	assert_true(got != UINT64_MAX);
	assert_true((got > e ? got - e : e - got) <= e / NSEC + 1);
}

static void test_tsc_random(void **state)
{
	(void)state;
	struct uk_tsc_conv c;

	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		assert_int_equal(uk_tsc_conv_init(&c, freqs[i]), 0);
		for (int j = 0; j < 20000; j++) {
			check_to_ns(&c, rnd_magnitude());
			check_to_tsc(&c, rnd_magnitude());
		}
	}
	/* random frequencies over the whole accepted range */
	for (int i = 0; i < 3000; i++) {
		uint64_t f = UK_TSC_FREQ_MIN +
			     rnd() % (UK_TSC_FREQ_MAX - UK_TSC_FREQ_MIN + 1);
		assert_int_equal(uk_tsc_conv_init(&c, f), 0);
		for (int j = 0; j < 100; j++) {
			check_to_ns(&c, rnd_magnitude());
			check_to_tsc(&c, rnd_magnitude());
		}
		check_to_ns(&c, UINT64_MAX);
		check_to_tsc(&c, UINT64_MAX);
	}
}

static void test_wall(void **state)
{
	(void)state;
	assert_int_equal(uk_wall_from_mono(5, 1700000000LL * 1000000000LL),
			 1700000000000000005LL);
	assert_int_equal(uk_wall_from_mono(0, 0), 0);
	assert_int_equal(uk_wall_from_mono(-5, 3), -2);
	assert_int_equal(uk_wall_from_mono(UK_NSEC_MAX, 1), UK_NSEC_MAX);
	assert_int_equal(uk_wall_from_mono(1, UK_NSEC_MAX), UK_NSEC_MAX);
	assert_int_equal(uk_wall_from_mono(UK_NSEC_MIN, -1), UK_NSEC_MIN);
	assert_int_equal(uk_wall_from_mono(UK_NSEC_MAX, UK_NSEC_MIN), -1);
}

static void test_date_fixed(void **state)
{
	(void)state;
	assert_int_equal(uk_time_from_date(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(uk_time_from_date(1970, 1, 1, 0, 0, 1), 1);
	assert_int_equal(uk_time_from_date(1970, 1, 2, 0, 0, 0), 86400);
	assert_int_equal(uk_time_from_date(2000, 2, 29, 0, 0, 0), 951782400);
	assert_int_equal(uk_time_from_date(2000, 3, 1, 0, 0, 0),
			 951782400 + 86400);
	assert_int_equal(uk_time_from_date(2038, 1, 19, 3, 14, 7),
			 2147483647LL);
	assert_int_equal(uk_time_from_date(2038, 1, 19, 3, 14, 8),
			 2147483648LL);
	assert_int_equal(uk_time_from_date(2024, 2, 29, 12, 30, 45),
			 1709209845LL);
	assert_int_equal(uk_time_from_date(2400, 2, 29, 0, 0, 0),
			 13574563200LL);
	assert_int_equal(uk_time_from_date(9999, 12, 31, 23, 59, 59),
			 253402300799LL);

	/* invalid */
	assert_int_equal(uk_time_from_date(2100, 2, 29, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(1900, 2, 29, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2023, 2, 29, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 2, 30, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 4, 31, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 13, 1, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 0, 1, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 0, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 32, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, 24, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, 0, 60, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, 0, 0, 60), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, -1, 0, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, 0, -1, 0), -1);
	assert_int_equal(uk_time_from_date(2024, 1, 1, 0, 0, -1), -1);
	assert_int_equal(uk_time_from_date(1969, 12, 31, 23, 59, 59), -1);
	assert_int_equal(uk_time_from_date(10000, 1, 1, 0, 0, 0), -1);
	assert_int_equal(uk_time_from_date(-2024, 1, 1, 0, 0, 0), -1);
}

static int64_t host_timegm(int y, int mo, int d, int h, int mi, int s,
			   int *valid)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	time_t t = timegm(&tm);
	/* timegm normalises (Feb 30 -> Mar 1); valid iff nothing moved */
	*valid = tm.tm_year == y - 1900 && tm.tm_mon == mo - 1 &&
		 tm.tm_mday == d && tm.tm_hour == h && tm.tm_min == mi &&
		 tm.tm_sec == s;
	return (int64_t)t;
}

static void test_date_random(void **state)
{
	(void)state;
	int valid_seen = 0, invalid_seen = 0;

	for (int i = 0; i < 20000; i++) {
		int y = 1970 + (int)(rnd() % 8030);
		int mo = 1 + (int)(rnd() % 12);
		int d = 1 + (int)(rnd() % 31);
		int h = (int)(rnd() % 24);
		int mi = (int)(rnd() % 60);
		int s = (int)(rnd() % 60);
		int valid;
		if (i % 4 == 0) /* push towards leap days */
			mo = 2, d = 28 + (int)(rnd() % 3);
		int64_t want = host_timegm(y, mo, d, h, mi, s, &valid);
		int64_t got = uk_time_from_date(y, mo, d, h, mi, s);
		if (!valid)
			want = -1;
		if (got != want)
			fail_msg("%04d-%02d-%02d %02d:%02d:%02d: got %lld, "
				 "want %lld",
				 y, mo, d, h, mi, s, (long long)got,
				 (long long)want);
		if (valid)
			valid_seen++;
		else
			invalid_seen++;
	}
	assert_true(valid_seen > 10000);
	assert_true(invalid_seen > 500);

	/* every day of some leap-rule years */
	static const int years[] = {1970, 1972, 2000, 2023,
				    2024, 2100, 2400, 9999};
	for (size_t k = 0; k < sizeof(years) / sizeof(years[0]); k++)
		for (int mo = 1; mo <= 12; mo++)
			for (int d = 1; d <= 31; d++) {
				int valid;
				int64_t want = host_timegm(years[k], mo, d, 23,
							   59, 59, &valid);
				assert_int_equal(uk_time_from_date(years[k], mo,
								   d, 23, 59,
								   59),
						 valid ? want : -1);
			}
}

static void test_bcd(void **state)
{
	(void)state;
	int valid = 0;

	assert_int_equal(uk_bcd_to_bin(0x00), 0);
	assert_int_equal(uk_bcd_to_bin(0x59), 59);
	assert_int_equal(uk_bcd_to_bin(0x99), 99);
	assert_int_equal(uk_bcd_to_bin_checked(0x23), 23);
	assert_int_equal(uk_bcd_to_bin_checked(0x0a), -EINVAL);
	assert_int_equal(uk_bcd_to_bin_checked(0xa0), -EINVAL);
	assert_int_equal(uk_bcd_to_bin_checked(0xff), -EINVAL);
	for (int v = 0; v < 256; v++) {
		int hi = v >> 4, lo = v & 15;
		int r = uk_bcd_to_bin_checked((uint8_t)v);
		if (hi > 9 || lo > 9) {
			assert_int_equal(r, -EINVAL);
		} else {
			assert_int_equal(r, hi * 10 + lo);
			assert_int_equal(uk_bcd_to_bin((uint8_t)v), r);
			valid++;
		}
	}
	assert_int_equal(valid, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_conv_init),
		cmocka_unit_test(test_tsc_fixed),
		cmocka_unit_test(test_tsc_saturation),
		cmocka_unit_test(test_tsc_random),
		cmocka_unit_test(test_wall),
		cmocka_unit_test(test_date_fixed),
		cmocka_unit_test(test_date_random),
		cmocka_unit_test(test_bcd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
