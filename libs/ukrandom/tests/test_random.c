/* Native tests of ukrandom: ChaCha20 against RFC 8439, getrandom's flags,
 * every source (CPU features hidden through the test hook). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <uk/random.h>
#include <uk/syscall.h>

/* ---- platform doubles: the host's clocks ---- */
uint64_t ukplat_monotonic_clock(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}
static int no_wall;
uint64_t ukplat_wall_clock(void)
{
	struct timespec t;
	if (no_wall)
		return 0;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void test_chacha20_rfc8439(void **state)
{
	(void)state;
	/* RFC 8439, 2.3.2 */
	uint8_t key[32], out[64];
	const uint8_t nonce[12] = {0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0};
	const uint8_t expect[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f,
		0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7,
		0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4,
		0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09,
		0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12,
		0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8,
		0xa2, 0x50, 0x3c, 0x4e};
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	uk_chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, expect, 64);
}

/* Exact length, no overrun, not constant, roughly uniform bytes. */
static void check_output(void)
{
	static uint8_t big[1 << 20];
	unsigned long hist[256] = {0};
	uint8_t buf[256 + 32];
	double chi = 0, e = sizeof(big) / 256.0;

	for (size_t len = 0; len <= 256; len++) {
		memset(buf, 0xa5, sizeof(buf));
		uk_random_fill(buf + 16, len);
		for (int i = 0; i < 16; i++)
			assert_int_equal(buf[i], 0xa5);
		for (size_t i = 16 + len; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xa5);
	}
	uk_random_fill(big, sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++)
		hist[big[i]]++;
	for (int i = 0; i < 256; i++)
		chi += (hist[i] - e) * (hist[i] - e) / e;
	/* 255 degrees of freedom: p(chi > 400) is about 1e-8 */
	assert_true(chi < 400);
	/* successive small requests differ */
	uint64_t prev = 0, v;
	for (int i = 0; i < 1000; i++) {
		uk_random_fill(&v, sizeof(v));
		assert_true(v != prev);
		prev = v;
	}
}

static int cpu_has(int leaf, int reg, int bit)
{
	unsigned r[4];
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(0));
	return (r[reg] >> bit) & 1;
}

static void test_sources(void **state)
{
	(void)state;
	int rdrand = cpu_has(1, 2, 30), rdseed = cpu_has(7, 1, 18);

	uk_random_test_hide(0);
	assert_string_equal(uk_random_source(),
			    rdrand   ? "rdrand"
			    : rdseed ? "chacha20 (rdseed seed)"
				     : "chacha20 (jitter seed)");
	check_output();

	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND);
	assert_string_equal(uk_random_source(),
			    rdseed ? "chacha20 (rdseed seed)"
				   : "chacha20 (jitter seed)");
	check_output();

	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	assert_string_equal(uk_random_source(), "chacha20 (jitter seed)");
	check_output();
	no_wall = 1; /* no wall clock either: still works */
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	check_output();
	no_wall = 0;

	/* two seedings give different streams */
	uint8_t a[32], b[32];
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	uk_random_fill(a, sizeof(a));
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	uk_random_fill(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));

	if (rdrand) { /* RDRAND that keeps failing: fallback per word */
		uk_random_test_hide(UK_RANDOM_FAIL_RDRAND |
				    UK_RANDOM_HIDE_RDSEED);
		assert_string_equal(uk_random_source(),
				    "chacha20 (jitter seed)");
		check_output();
	}
	uk_random_test_hide(0);
}

static void test_getrandom(void **state)
{
	(void)state;
	uint8_t buf[100] = {0}, zero[100] = {0};

	assert_int_equal(uk_syscall_call(getrandom, buf, 100, 0), 100);
	assert_memory_not_equal(buf, zero, 100);
	for (unsigned f = 0; f < 8; f++) {
		long rc = uk_syscall_call(getrandom, buf, 10, f);
		if ((f & 4) && (f & 2))
			assert_int_equal(rc, -EINVAL);
		else
			assert_int_equal(rc, 10);
	}
	assert_int_equal(uk_syscall_call(getrandom, buf, 10, 8), -EINVAL);
	assert_int_equal(uk_syscall_call(getrandom, buf, 10, 0x80000000u),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(getrandom, buf, 0, 0), 0);
	assert_int_equal(uk_syscall_call(getrandom, NULL, 0, 0), 0);
	assert_int_equal(uk_syscall_call(getrandom, NULL, 5, 0), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chacha20_rfc8439),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_getrandom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
