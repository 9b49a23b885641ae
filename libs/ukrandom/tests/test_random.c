/* Native tests of ukrandom: ChaCha20 (RFC 8439), BLAKE2s (RFC 7693) and
 * SipHash-2-4 against published vectors, the entropy pool and its sources
 * (CPU features hidden through the test hook), getrandom's flags. */
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
#include <uk/stackguard.h>
#include <uk/syscall.h>

/* ---- a recording uk_printk ---- */
static char logbuf[8192];
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logbuf);

	(void)level;
	(void)lib;
	va_start(ap, fmt);
	if (n < sizeof(logbuf) - 1)
		vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
}

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

static void hex(const char *h, uint8_t *out)
{
	for (size_t i = 0; h[2 * i]; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void test_blake2s(void **state)
{
	(void)state;
	uint8_t out[32], want[32], in[300];

	/* RFC 7693, appendix B */
	uk_blake2s256("abc", 3, out);
	hex("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
	    want);
	assert_memory_equal(out, want, 32);
	/* block boundaries: the empty input, 64 and 65 bytes of i*7+1 (the
	 * digests of Python's hashlib.blake2s for the same bytes) */
	for (int i = 0; i < 300; i++)
		in[i] = (uint8_t)(i * 7 + 1);
	uk_blake2s256(in, 0, out);
	hex("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
	    want);
	assert_memory_equal(out, want, 32);
	uk_blake2s256(in, 64, out);
	hex("1aa2abc48784c4b7b509e56540ccde672903c613c7aa32c1396e10d716351dfe",
	    want);
	assert_memory_equal(out, want, 32);
	uk_blake2s256(in, 65, out);
	hex("6abfa13e2982b1bbba3b960049261555c146e4aa817ef504bac543407bdec579",
	    want);
	assert_memory_equal(out, want, 32);
}

static void test_siphash(void **state)
{
	(void)state;
	uint8_t key[16], in[64];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		in[i] = (uint8_t)i;
	/* the SipHash paper, appendix A: 15 bytes 00..0e */
	assert_int_equal(uk_siphash24(key, in, 15), 0xa129ca6149be45e5ull);
	/* the reference implementation's vectors for 0, 7, 8 and 63 bytes */
	assert_int_equal(uk_siphash24(key, in, 0), 0x726fdb47dd0e0e31ull);
	assert_int_equal(uk_siphash24(key, in, 7), 0xab0200f58b01d137ull);
	assert_int_equal(uk_siphash24(key, in, 8), 0x93f5f5799a932462ull);
	assert_int_equal(uk_siphash24(key, in, 63), 0x958a324ceb064572ull);
	/* another key, another hash */
	key[0] ^= 1;
	assert_true(uk_siphash24(key, in, 15) != 0xa129ca6149be45e5ull);
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
	assert_false(uk_random_seeded());
	assert_string_equal(uk_random_sources(), "none");
	check_output();
	assert_true(uk_random_seeded());
	assert_string_equal(uk_random_sources(), rdseed && rdrand
							 ? "rdseed, rdrand"
						 : rdseed ? "rdseed"
						 : rdrand ? "rdrand"
							  : "jitter");

	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND);
	check_output();
	assert_string_equal(uk_random_sources(), rdseed ? "rdseed" : "jitter");

	logbuf[0] = 0;
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	check_output();
	assert_string_equal(uk_random_sources(), "jitter");
	assert_non_null(strstr(logbuf, "seeding from timer jitter"));
	assert_non_null(strstr(logbuf, "seeded from jitter"));
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

	if (rdrand) { /* RDRAND that keeps failing counts for nothing */
		uk_random_test_hide(UK_RANDOM_FAIL_RDRAND |
				    UK_RANDOM_HIDE_RDSEED);
		check_output();
		assert_string_equal(uk_random_sources(), "jitter");
	}
	uk_random_test_hide(0);
}

/* A device feeds the pool: it seeds the generator once 256 bits are
 * credited, and only then; the sources are named in order. */
static void test_add_entropy(void **state)
{
	(void)state;
	uint8_t dev[32], buf[16];

	for (int i = 0; i < 32; i++)
		dev[i] = (uint8_t)(i * 37 + 5);
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	assert_int_equal(uk_random_add_entropy(NULL, 1, 8, "x"), -EINVAL);
	assert_int_equal(uk_random_add_entropy(dev, 1, 8, NULL), -EINVAL);
	/* 16 bytes credit at most 128 bits, whatever the caller claims */
	assert_int_equal(uk_random_add_entropy(dev, 16, 100000, "virtio-rng"),
			 0);
	assert_false(uk_random_seeded());
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 1), -EAGAIN);
	/* a zero-credit contribution is mixed but named nowhere */
	assert_int_equal(uk_random_add_entropy(dev, 32, 0, "clocks"), 0);
	assert_false(uk_random_seeded());
	logbuf[0] = 0;
	assert_int_equal(uk_random_add_entropy(dev + 16, 16, 128, "virtio-rng"),
			 0);
	assert_true(uk_random_seeded());
	assert_string_equal(uk_random_sources(), "virtio-rng");
	assert_non_null(strstr(logbuf, "seeded from virtio-rng"));
	assert_null(strstr(logbuf, "jitter"));
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 1), 16);
	check_output();
	assert_string_equal(uk_random_sources(), "virtio-rng");

	/* the key is a function of what was mixed in, nothing else: the
	 * same device bytes alone give the same stream, and anything mixed
	 * in before them (at boot: the clocks) another one */
	uint8_t a[32], b[32];
	const uint64_t t = 12345;
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	uk_random_add_entropy(dev, 32, 256, "virtio-rng");
	uk_random_fill(a, sizeof(a));
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	uk_random_add_entropy(dev, 32, 256, "virtio-rng");
	uk_random_fill(b, sizeof(b));
	assert_memory_equal(a, b, sizeof(a));
	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	uk_random_add_entropy(&t, sizeof(t), 0, "clocks");
	uk_random_add_entropy(dev, 32, 256, "virtio-rng");
	uk_random_fill(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	/* and consecutive requests never repeat (fast key erasure) */
	uk_random_fill(a, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));

	/* more sources later: all named, each reseeds */
	uk_random_test_hide(0);
	uk_random_fill(a, 1);
	uk_random_add_entropy(dev, 32, 256, "virtio-rng");
	assert_non_null(strstr(uk_random_sources(), "virtio-rng"));
	uk_random_test_hide(0);
}

static void test_getrandom(void **state)
{
	(void)state;
	uint8_t buf[100] = {0}, zero[100] = {0};

	uk_random_test_hide(0);
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

/* Before any source: GRND_NONBLOCK (with or without GRND_RANDOM) is
 * EAGAIN; GRND_INSECURE answers; a blocking call seeds (from jitter here)
 * and answers; then GRND_NONBLOCK answers too. */
static void test_getrandom_unseeded(void **state)
{
	(void)state;
	uint8_t buf[16];

	uk_random_test_hide(UK_RANDOM_HIDE_RDRAND | UK_RANDOM_HIDE_RDSEED);
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 1), -EAGAIN);
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 3), -EAGAIN);
	assert_false(uk_random_seeded());
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 4), 16);
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 5), 16);
	assert_false(uk_random_seeded());
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 2), 16);
	assert_true(uk_random_seeded());
	assert_string_equal(uk_random_sources(), "jitter");
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 1), 16);
	assert_int_equal(uk_syscall_call(getrandom, buf, 16, 3), 16);

	/* with a CPU source, GRND_NONBLOCK never needs to wait */
	if (cpu_has(7, 1, 18) || cpu_has(1, 2, 30)) {
		uk_random_test_hide(0);
		assert_int_equal(uk_syscall_call(getrandom, buf, 16, 1), 16);
		assert_null(strstr(uk_random_sources(), "jitter"));
	}
	uk_random_test_hide(0);
}

/* The canary (<uk/stackguard.h>): NUL low byte, never the same twice,
 * from each source; the generator is not touched. */
static void test_stack_guard(void **state)
{
	(void)state;
	const unsigned masks[] = {
		0, UK_STACKGUARD_HIDE_RDSEED,
		UK_STACKGUARD_HIDE_RDSEED | UK_STACKGUARD_HIDE_RDRAND,
		UK_STACKGUARD_HIDE_RDSEED | UK_STACKGUARD_FAIL_RDRAND};
	uk_random_test_hide(0);
	for (size_t m = 0; m < sizeof(masks) / sizeof(*masks); m++) {
		uintptr_t seen[16];
		const char *src = NULL;
		for (int i = 0; i < 16; i++) {
			seen[i] = uk_random_stack_guard(masks[m], &src);
			assert_int_equal(seen[i] & 0xff, 0);
			assert_true(seen[i] >> 8 != 0);
			for (int j = 0; j < i; j++)
				assert_true(seen[j] != seen[i]);
		}
		assert_non_null(src);
		if (m >= 2)
			assert_string_equal(src, "jitter");
		else
			assert_string_not_equal(src, "jitter");
		assert_false(uk_random_seeded());
		assert_string_equal(uk_random_sources(), "none");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chacha20_rfc8439),
		cmocka_unit_test(test_blake2s),
		cmocka_unit_test(test_siphash),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_add_entropy),
		cmocka_unit_test(test_getrandom),
		cmocka_unit_test(test_getrandom_unseeded),
		cmocka_unit_test(test_stack_guard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
