/* SPDX-License-Identifier: BSD-3-Clause */
/* <stdlib.h> (and the <inttypes.h> functions) against glibc. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat/halt.h>
#include "nolibc_api.h"
#include "ukplat_double.h"

static const char *const strto_inputs[] = {
	"0",
	"-0",
	"+0",
	"  +7z",
	"42",
	"-42",
	" \t\n\v\f\r123",
	"7 ",
	"0x",
	"0X",
	"0x1f",
	"0X1F",
	"0xg",
	"-0x10",
	"+0x",
	"0x0x1",
	"00x1",
	"0 x1",
	"\x80 1",
	"1e5",
	"010",
	"08",
	"-010",
	"0b101",
	"z",
	"Z",
	"zz",
	"1z",
	"123abc",
	"abc",
	"",
	"   ",
	"+",
	"-",
	"+-1",
	"--1",
	" - 1",
	"2147483647",
	"2147483648",
	"-2147483648",
	"-2147483649",
	"4294967295",
	"4294967296",
	"-4294967296",
	"9223372036854775807",
	"9223372036854775808",
	"-9223372036854775808",
	"-9223372036854775809",
	"18446744073709551615",
	"18446744073709551616",
	"-18446744073709551615",
	"-18446744073709551616",
	"99999999999999999999999999abc",
	"-99999999999999999999999999",
	"0x7fffffffffffffff",
	"0x8000000000000000",
	"-0x8000000000000000",
	"0xffffffffffffffff",
	"0x10000000000000000",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
	"-1",
	"3w5e11",
	"zzzzzzzzzzzz",
	"zzzzzzzzzzzzz",
	"1y2p0ij32e8e7",
	"1y2p0ij32e8e8",
};

static const int strto_bases[] = {0, 2, 3, 8, 10, 16, 35, 36, 1, 37, -1};

#define CHECK_STRTO(fn, type, fmt)                                             \
	do {                                                                   \
		char *e1 = (char *)s + 100, *e2 = (char *)s + 100;             \
		errno = 0;                                                     \
		nolibc_errno = 0;                                              \
		type want = fn(s, &e2, base);                                  \
		int want_errno = errno;                                        \
		type got = nolibc_##fn(s, &e1, base);                          \
		/* invalid base: glibc leaves *endptr alone, nolibc            \
		 * sets it to nptr (checked in test_strto_spec) */             \
		if (want_errno == EINVAL)                                      \
			e2 = (char *)s;                                        \
		if (got != want || e1 != e2 || nolibc_errno != want_errno)     \
			fail_msg(#fn "(\"%s\", %d): " fmt " end+%td errno %d;" \
				     " glibc " fmt " end+%td errno %d",        \
				 s, base, got, e1 - s, nolibc_errno, want,     \
				 e2 - s, want_errno);                          \
		/* endptr may be NULL */                                       \
		nolibc_errno = 0;                                              \
		assert_true(nolibc_##fn(s, NULL, base) == want);               \
		assert_int_equal(nolibc_errno, want_errno);                    \
	} while (0)

static void test_strto(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(strto_inputs) / sizeof(strto_inputs[0]);
	     i++) {
		for (size_t b = 0;
		     b < sizeof(strto_bases) / sizeof(strto_bases[0]); b++) {
			const char *s = strto_inputs[i];
			int base = strto_bases[b];

			CHECK_STRTO(strtol, long, "%ld");
			CHECK_STRTO(strtoul, unsigned long, "%lu");
			CHECK_STRTO(strtoll, long long, "%lld");
			CHECK_STRTO(strtoull, unsigned long long, "%llu");
			CHECK_STRTO(strtoimax, intmax_t, "%jd");
			CHECK_STRTO(strtoumax, uintmax_t, "%ju");
		}
	}
}

static void test_strto_spec(void **state)
{
	char *end;
	const char *s;

	(void)state;
	/* The C11 rules spelled out, independent of glibc. */
	s = "0x";
	assert_int_equal(nolibc_strtol(s, &end, 16), 0);
	assert_ptr_equal(end, s + 1); /* subject is "0", 'x' is left */
	assert_int_equal(nolibc_strtol(s, &end, 0), 0);
	assert_ptr_equal(end, s + 1);
	s = "  +7z";
	assert_int_equal(nolibc_strtol(s, &end, 10), 7);
	assert_ptr_equal(end, s + 4);
	s = "  -";
	assert_int_equal(nolibc_strtol(s, &end, 10), 0);
	assert_ptr_equal(end, s); /* no subject sequence */
	s = "-0";
	assert_int_equal(nolibc_strtoul(s, &end, 10), 0);
	assert_ptr_equal(end, s + 2);
	nolibc_errno = 0;
	assert_true(nolibc_strtol("9223372036854775808", NULL, 10) == LONG_MAX);
	assert_int_equal(nolibc_errno, ERANGE);
	nolibc_errno = 0;
	assert_true(nolibc_strtol("-9223372036854775809", NULL, 10) ==
		    LONG_MIN);
	assert_int_equal(nolibc_errno, ERANGE);
	nolibc_errno = 0;
	assert_true(nolibc_strtoul("-1", NULL, 10) == ULONG_MAX);
	assert_int_equal(nolibc_errno, 0);
	assert_true(nolibc_strtoul("18446744073709551616", NULL, 10) ==
		    ULONG_MAX);
	assert_int_equal(nolibc_errno, ERANGE);
	nolibc_errno = 0;
	s = "10";
	end = NULL;
	assert_int_equal(nolibc_strtol(s, &end, 1), 0);
	assert_int_equal(nolibc_errno, EINVAL);
	assert_ptr_equal(end, s);
	nolibc_errno = 0;
	assert_int_equal(nolibc_strtoull(s, &end, 37), 0);
	assert_int_equal(nolibc_errno, EINVAL);
	assert_true(nolibc_strtol("zZ", NULL, 36) == 35 * 36 + 35);
}

static void test_atoi(void **state)
{
	const char *strs[] = {"0", "42",	 "-42",		"  +17abc", "x",
			      "",  "2147483647", "-2147483648", " 010"};

	(void)state;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		assert_int_equal(nolibc_atoi(strs[i]), atoi(strs[i]));
		assert_int_equal(nolibc_atol(strs[i]), atol(strs[i]));
		assert_int_equal(nolibc_atoll(strs[i]), atoll(strs[i]));
	}
	assert_true(nolibc_atoll("-9223372036854775808") == LLONG_MIN);
}

static void test_abs_div(void **state)
{
	const int iv[] = {0, 1, -1, 7, -7, INT_MAX, INT_MIN + 1};
	const int dv[] = {1, -1, 2, -2, 3, -3, 7, INT_MAX};

	(void)state;
	for (size_t i = 0; i < sizeof(iv) / sizeof(iv[0]); i++) {
		assert_int_equal(nolibc_abs(iv[i]), abs(iv[i]));
		assert_true(nolibc_labs((long)iv[i] * 3) ==
			    labs((long)iv[i] * 3));
		assert_true(nolibc_llabs((long long)iv[i] * (1LL << 20)) ==
			    llabs((long long)iv[i] * (1LL << 20)));
		assert_true(
			nolibc_imaxabs((intmax_t)iv[i] * ((intmax_t)1 << 30)) ==
			imaxabs((intmax_t)iv[i] * ((intmax_t)1 << 30)));
		for (size_t j = 0; j < sizeof(dv) / sizeof(dv[0]); j++) {
			div_t a = nolibc_div(iv[i], dv[j]),
			      b = div(iv[i], dv[j]);
			ldiv_t la = nolibc_ldiv(iv[i], dv[j]),
			       lb = ldiv(iv[i], dv[j]);
			lldiv_t lla = nolibc_lldiv((long long)iv[i] * 5, dv[j]);
			lldiv_t llb = lldiv((long long)iv[i] * 5, dv[j]);
			imaxdiv_t ma = nolibc_imaxdiv(iv[i], dv[j]);
			imaxdiv_t mb = imaxdiv(iv[i], dv[j]);

			assert_int_equal(a.quot, b.quot);
			assert_int_equal(a.rem, b.rem);
			assert_true(la.quot == lb.quot && la.rem == lb.rem);
			assert_true(lla.quot == llb.quot && lla.rem == llb.rem);
			assert_true(ma.quot == mb.quot && ma.rem == mb.rem);
		}
	}
	assert_true(nolibc_llabs(LLONG_MIN + 1) == LLONG_MAX);
}

/* qsort */

struct rec {
	int key;
	int id;
};

static const void *cmp_lo, *cmp_hi;
static size_t ncmp;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	assert_true((const char *)a >= (const char *)cmp_lo &&
		    (const char *)a < (const char *)cmp_hi);
	assert_true((const char *)b >= (const char *)cmp_lo &&
		    (const char *)b < (const char *)cmp_hi);
	ncmp++;
	return (x > y) - (x < y);
}

static int cmp_int_plain(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* for bsearch: the key comes first and is outside the array */
static int cmp_key_elem(const void *key, const void *elem)
{
	int x = *(const int *)key, y = *(const int *)elem;

	assert_true((const char *)elem >= (const char *)cmp_lo &&
		    (const char *)elem < (const char *)cmp_hi);
	return (x > y) - (x < y);
}

static int cmp_rec_key(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	ncmp++;
	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_rec_full(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->id > y->id) - (x->id < y->id);
}

/* 3-byte elements: compares as a big-endian 24-bit number */
static int cmp_3(const void *a, const void *b)
{
	return memcmp(a, b, 3);
}

static const size_t sizes[] = {0, 1, 2, 3, 5, 7, 16, 31, 100, 1000, 4097};

static void test_qsort_int(void **state)
{
	(void)state;
	srand(12345);
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t n = sizes[si];
		/* random, many duplicates, sorted, reversed, all equal */
		for (int kind = 0; kind < 5; kind++) {
			int *a = malloc((n + 1) * sizeof(int));
			int *ref = malloc((n + 1) * sizeof(int));

			for (size_t i = 0; i < n; i++) {
				switch (kind) {
				case 0:
					a[i] = rand() - RAND_MAX / 2;
					break;
				case 1:
					a[i] = rand() % 4;
					break;
				case 2:
					a[i] = (int)i;
					break;
				case 3:
					a[i] = (int)(n - i);
					break;
				default:
					a[i] = 9;
					break;
				}
			}
			memcpy(ref, a, n * sizeof(int));
			qsort(ref, n, sizeof(int), cmp_int_plain);
			cmp_lo = a;
			cmp_hi = a + n;
			ncmp = 0;
			nolibc_qsort(a, n, sizeof(int), cmp_int);
			assert_memory_equal(a, ref, n * sizeof(int));
			if (n > 1) {
				/* O(n log n): heapsort needs at most about
				 * 2 n log2 n + 2 n comparisons */
				size_t lg = 0;

				while (((size_t)1 << lg) < n)
					lg++;
				assert_true(ncmp <= 2 * n * lg + 2 * n);
			}
			free(a);
			free(ref);
		}
	}
}

static void test_qsort_struct(void **state)
{
	(void)state;
	srand(777);
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t n = sizes[si];
		struct rec *a = malloc((n + 1) * sizeof(*a));
		struct rec *ref = malloc((n + 1) * sizeof(*a));

		for (size_t i = 0; i < n; i++) {
			a[i].key = rand() % 10;
			a[i].id = (int)i;
		}
		memcpy(ref, a, n * sizeof(*a));
		nolibc_qsort(a, n, sizeof(*a), cmp_rec_key);
		for (size_t i = 1; i < n; i++)
			assert_true(a[i - 1].key <= a[i].key);
		/* same multiset of records */
		qsort(a, n, sizeof(*a), cmp_rec_full);
		qsort(ref, n, sizeof(*a), cmp_rec_full);
		assert_memory_equal(a, ref, n * sizeof(*a));
		free(a);
		free(ref);
	}
}

static void test_qsort_odd_size(void **state)
{
	unsigned char a[3 * 500 + 1], ref[3 * 500 + 1];

	(void)state;
	srand(4242);
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(rand() % 3);
	memcpy(ref, a, sizeof(a));
	/* elements start at an odd address: the bytewise swap path */
	nolibc_qsort(a + 1, 500, 3, cmp_3);
	qsort(ref + 1, 500, 3, cmp_3);
	assert_memory_equal(a, ref, sizeof(a));
}

static void test_bsearch(void **state)
{
	int a[200];
	size_t n = sizeof(a) / sizeof(a[0]);

	(void)state;
	for (size_t i = 0; i < n; i++)
		a[i] = (int)(i / 3) * 2; /* duplicates, even numbers only */
	cmp_lo = a;
	cmp_hi = a + n;
	for (int key = -3; key < (int)n; key++) {
		for (size_t len = 0; len <= n; len += 37) {
			int *p = nolibc_bsearch(&key, a, len, sizeof(int),
						cmp_key_elem);
			int present = 0;

			for (size_t i = 0; i < len; i++)
				present |= a[i] == key;
			if (present) {
				assert_non_null(p);
				assert_int_equal(*p, key);
				assert_true(p >= a && p < a + len);
			} else {
				assert_null(p);
			}
		}
	}
	/* distinct values, every length: each element must be found */
	for (size_t i = 0; i < n; i++)
		a[i] = (int)i * 2;
	for (size_t len = 0; len <= 70; len++) {
		for (int key = -1; key <= (int)len * 2; key++) {
			int *p = nolibc_bsearch(&key, a, len, sizeof(int),
						cmp_key_elem);

			if (key >= 0 && key % 2 == 0 && key < (int)len * 2)
				assert_ptr_equal(p, a + key / 2);
			else
				assert_null(p);
		}
	}

	/* the key is the first argument to compar */
	int key = 12;

	assert_ptr_equal(
		nolibc_bsearch(&key, a + 6, 1, sizeof(int), cmp_key_elem),
		a + 6);
}

static void test_rand(void **state)
{
	int first[16];
	long long sum = 0;
	int odd = 0;

	(void)state;
	nolibc_srand(1);
	for (int i = 0; i < 16; i++)
		first[i] = nolibc_rand();
	nolibc_srand(1);
	for (int i = 0; i < 16; i++)
		assert_int_equal(nolibc_rand(), first[i]);
	nolibc_srand(2);
	int same = 1;

	for (int i = 0; i < 16; i++)
		same &= nolibc_rand() == first[i];
	assert_false(same);
	for (int i = 0; i < 100000; i++) {
		int r = nolibc_rand();

		assert_true(r >= 0 && r <= RAND_MAX);
		sum += r;
		odd += r & 1;
	}
	/* crude: mean near RAND_MAX / 2, low bit balanced */
	assert_true(sum / 100000 > RAND_MAX / 2 - RAND_MAX / 50);
	assert_true(sum / 100000 < RAND_MAX / 2 + RAND_MAX / 50);
	assert_true(odd > 49000 && odd < 51000);
}

static void call_exit(void *arg)
{
	nolibc_exit(*(int *)arg);
}

static void call_abort(void *arg)
{
	(void)arg;
	nolibc_abort();
}

static void test_exit_abort(void **state)
{
	int status = -1, code;

	(void)state;
	for (code = 0; code < 4; code++) {
		console_reset();
		assert_int_equal(run_until_exit(call_exit, &code, &status), 1);
		assert_int_equal(status, code);
		assert_int_equal(console_len, 0);
	}
	code = EXIT_FAILURE;
	assert_int_equal(run_until_exit(call_exit, &code, &status), 1);
	assert_int_equal(status, 1);

	console_reset();
	assert_int_equal(run_until_exit(call_abort, NULL, &status), 1);
	assert_int_equal(status, UKPLAT_EXIT_PANIC);
	assert_int_equal(status, 124);
	assert_string_equal(console_buf, "abort() called\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strto),
		cmocka_unit_test(test_strto_spec),
		cmocka_unit_test(test_atoi),
		cmocka_unit_test(test_abs_div),
		cmocka_unit_test(test_qsort_int),
		cmocka_unit_test(test_qsort_struct),
		cmocka_unit_test(test_qsort_odd_size),
		cmocka_unit_test(test_bsearch),
		cmocka_unit_test(test_rand),
		cmocka_unit_test(test_exit_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
