/* SPDX-License-Identifier: BSD-3-Clause */
/* <string.h> and <strings.h> against glibc, including boundaries. */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include "nolibc_api.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
}

/* A heap copy of exactly n bytes, so that ASan catches any read past it. */
static char *exact(const void *p, size_t n)
{
	char *q = malloc(n ? n : 1);

	assert_non_null(q);
	memcpy(q, p, n);
	return q;
}

static void test_memcpy(void **state)
{
	unsigned char src[128], dst[160], ref[160];

	(void)state;
	fill(src, sizeof(src), 1);
	for (size_t so = 0; so < 9; so++) {
		for (size_t dof = 0; dof < 9; dof++) {
			for (size_t n = 0; n <= 100; n++) {
				memset(dst, 0xaa, sizeof(dst));
				memset(ref, 0xaa, sizeof(ref));
				memcpy(ref + dof, src + so, n);
				assert_ptr_equal(
					nolibc_memcpy(dst + dof, src + so, n),
					dst + dof);
				assert_memory_equal(dst, ref, sizeof(dst));
			}
		}
	}
	/* exact-size heap buffers */
	for (size_t n = 0; n < 40; n++) {
		char *s = exact(src, n), *d = malloc(n ? n : 1);

		nolibc_memcpy(d, s, n);
		assert_memory_equal(d, src, n);
		free(s);
		free(d);
	}
}

static void test_memmove(void **state)
{
	unsigned char buf[96], ref[96], init[96];

	(void)state;
	fill(init, sizeof(init), 2);
	for (size_t from = 0; from < 40; from++) {
		for (size_t to = 0; to < 40; to++) {
			for (size_t n = 0; n <= 56; n++) {
				memcpy(buf, init, sizeof(buf));
				memcpy(ref, init, sizeof(ref));
				memmove(ref + to, ref + from, n);
				assert_ptr_equal(
					nolibc_memmove(buf + to, buf + from, n),
					buf + to);
				assert_memory_equal(buf, ref, sizeof(buf));
			}
		}
	}
}

static void test_memset(void **state)
{
	unsigned char buf[96], ref[96];
	const int vals[] = {0, 1, 0x7f, 0x80, 0xff, 0x1ab, -1, -128};

	(void)state;
	for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
		for (size_t off = 0; off < 9; off++) {
			for (size_t n = 0; n <= 80; n++) {
				memset(buf, 0x55, sizeof(buf));
				memset(ref, 0x55, sizeof(ref));
				memset(ref + off, vals[v], n);
				assert_ptr_equal(
					nolibc_memset(buf + off, vals[v], n),
					buf + off);
				assert_memory_equal(buf, ref, sizeof(buf));
			}
		}
	}
}

static void test_memcmp(void **state)
{
	unsigned char a[64], b[64];

	(void)state;
	fill(a, sizeof(a), 3);
	for (size_t i = 0; i < sizeof(a); i++) {
		for (int delta = -2; delta <= 2; delta++) {
			memcpy(b, a, sizeof(b));
			b[i] = (unsigned char)(b[i] + delta);
			for (size_t n = 0; n <= sizeof(a); n += 7) {
				assert_int_equal(sign(nolibc_memcmp(a, b, n)),
						 sign(memcmp(a, b, n)));
				assert_int_equal(sign(nolibc_memcmp(b, a, n)),
						 sign(memcmp(b, a, n)));
			}
		}
	}
	/* bytes compare unsigned */
	assert_true(nolibc_memcmp("\x80", "\x01", 1) > 0);
	assert_int_equal(nolibc_memcmp(NULL, NULL, 0), 0);
}

static void test_memchr(void **state)
{
	const char text[] = "abcabc\0xyz\xe9";
	char *p = exact(text, sizeof(text) - 1); /* 11 bytes, no terminator */
	size_t n = sizeof(text) - 1;

	(void)state;
	for (int c = 0; c < 256; c++) {
		for (size_t len = 0; len <= n; len++) {
			assert_ptr_equal(nolibc_memchr(p, c, len),
					 memchr(p, c, len));
			assert_ptr_equal(nolibc_memrchr(p, c, len),
					 memrchr(p, c, len));
		}
	}
	/* c is converted to unsigned char */
	assert_ptr_equal(nolibc_memchr(p, 0x100 + 'b', n), p + 1);
	assert_ptr_equal(nolibc_memchr(p, -23, n), p + 10);
	assert_ptr_equal(nolibc_memrchr(p, 'a', n), p + 3);
	free(p);
}

static void test_strlen(void **state)
{
	const char *strs[] = {"",	 "a",	     "ab",	 "hello world",
			      "1234567", "12345678", "123456789"};

	(void)state;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		size_t len = strlen(strs[i]);
		char *p = exact(strs[i], len + 1);
		char *q = exact(strs[i], len); /* not terminated */

		assert_int_equal(nolibc_strlen(p), len);
		for (size_t m = 0; m <= len + 3; m++)
			assert_int_equal(nolibc_strnlen(p, m), strnlen(p, m));
		for (size_t m = 0; m <= len; m++)
			assert_int_equal(nolibc_strnlen(q, m), m);
		free(p);
		free(q);
	}
}

static void test_strcmp(void **state)
{
	const char *strs[] = {"",      "a",	"b",   "ab",   "abc",
			      "abd",   "abcd",	"A",   "\x80", "\x7f",
			      "a\xff", "a\x01", "zzzz"};
	size_t n = sizeof(strs) / sizeof(strs[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			assert_int_equal(sign(nolibc_strcmp(strs[i], strs[j])),
					 sign(strcmp(strs[i], strs[j])));
			for (size_t k = 0; k < 6; k++)
				assert_int_equal(
					sign(nolibc_strncmp(strs[i], strs[j],
							    k)),
					sign(strncmp(strs[i], strs[j], k)));
			assert_int_equal(
				sign(nolibc_strcasecmp(strs[i], strs[j])),
				sign(strcasecmp(strs[i], strs[j])));
			for (size_t k = 0; k < 6; k++)
				assert_int_equal(
					sign(nolibc_strncasecmp(strs[i],
								strs[j], k)),
					sign(strncasecmp(strs[i], strs[j], k)));
		}
	}
	assert_int_equal(nolibc_strcasecmp("HeLLo", "hello"), 0);
	assert_int_equal(nolibc_strncasecmp("HeLLo!", "hellO?", 5), 0);
	assert_true(nolibc_strncasecmp("HeLLo!", "hellO?", 6) != 0);
	assert_true(nolibc_strcasecmp("[", "a") < 0); /* '[' < 'a', not 'A' */
}

static void test_strdup(void **state)
{
	char *d;

	(void)state;
	d = nolibc_strdup("hello");
	assert_string_equal(d, "hello");
	free(d);
	d = nolibc_strdup("");
	assert_string_equal(d, "");
	free(d);
	/* strndup stops at n or at the NUL, whichever is first, and reads no
	 * further (the source is exactly 3 bytes without a NUL) */
	char *src = exact("abc", 3);
	d = nolibc_strndup(src, 3);
	assert_string_equal(d, "abc");
	free(d);
	d = nolibc_strndup(src, 2);
	assert_string_equal(d, "ab");
	free(d);
	free(src);
	d = nolibc_strndup("xy", 10);
	assert_string_equal(d, "xy");
	free(d);
}

static void test_strcpy_cat(void **state)
{
	char buf[32], ref[32];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(nolibc_strcpy(buf, "hello"), buf);
	assert_string_equal(buf, "hello");
	assert_int_equal(buf[6], 'x');

	assert_ptr_equal(nolibc_stpcpy(buf, "abc"), buf + 3);
	assert_ptr_equal(nolibc_stpcpy(buf + 3, ""), buf + 3);
	assert_string_equal(buf, "abc");

	for (size_t n = 0; n < 12; n++) {
		memset(buf, 'x', sizeof(buf));
		memset(ref, 'x', sizeof(ref));
		strncpy(ref, "hello", n);
		assert_ptr_equal(nolibc_strncpy(buf, "hello", n), buf);
		assert_memory_equal(buf, ref, sizeof(buf));
	}

	strcpy(buf, "foo");
	assert_ptr_equal(nolibc_strcat(buf, "bar"), buf);
	assert_string_equal(buf, "foobar");
	assert_ptr_equal(nolibc_strcat(buf, ""), buf);
	assert_string_equal(buf, "foobar");

	for (size_t n = 0; n < 8; n++) {
		memset(buf, 'x', sizeof(buf));
		memset(ref, 'x', sizeof(ref));
		strcpy(buf, "ab");
		strcpy(ref, "ab");
		strncat(ref, "cdef", n);
		/* for n < 4, the source has no terminator: strncat must not
		 * read more than n bytes of it */
		char *src = exact("cdef", n < 4 ? n : 5);

		assert_ptr_equal(nolibc_strncat(buf, src, n), buf);
		assert_memory_equal(buf, ref, sizeof(buf));
		free(src);
	}
}

static void test_strchr(void **state)
{
	const char s[] = "hello, w\xe9rld";

	(void)state;
	for (int c = -128; c < 256; c++) {
		assert_ptr_equal(nolibc_strchr(s, c), strchr(s, c));
		assert_ptr_equal(nolibc_strrchr(s, c), strrchr(s, c));
	}
	assert_ptr_equal(nolibc_strchr(s, 0), s + strlen(s));
	assert_ptr_equal(nolibc_strrchr(s, 0), s + strlen(s));
	assert_ptr_equal(nolibc_strrchr(s, 'l'), s + 10);
	assert_null(nolibc_strchr("", 'a'));
}

static void test_strstr(void **state)
{
	const char *hay[] = {"",	"a",	       "aaa",	      "abcabd",
			     "abababc", "hello world", "mississippi", "aab"};
	const char *needle[] = {"",	  "a",	   "aa",    "aaaa",
				"abd",	  "ababc", "world", "issip",
				"ssippi", "xyz",   "b",	    "hello world!"};

	(void)state;
	for (size_t i = 0; i < sizeof(hay) / sizeof(hay[0]); i++) {
		for (size_t j = 0; j < sizeof(needle) / sizeof(needle[0]);
		     j++) {
			char *h = exact(hay[i], strlen(hay[i]) + 1);

			assert_ptr_equal(nolibc_strstr(h, needle[j]),
					 strstr(h, needle[j]));
			free(h);
		}
	}
}

static void test_strspn(void **state)
{
	const char *strs[] = {"",	   "abc",   "  \tx y", "hello, world",
			      "\xe9\xe8z", "123abc"};
	const char *sets[] = {"",      "a",    "cba",	     " \t",
			      "lo he", "\xe9", "0123456789", "z"};

	(void)state;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		for (size_t j = 0; j < sizeof(sets) / sizeof(sets[0]); j++) {
			assert_int_equal(nolibc_strspn(strs[i], sets[j]),
					 strspn(strs[i], sets[j]));
			assert_int_equal(nolibc_strcspn(strs[i], sets[j]),
					 strcspn(strs[i], sets[j]));
			assert_ptr_equal(nolibc_strpbrk(strs[i], sets[j]),
					 strpbrk(strs[i], sets[j]));
		}
	}
}

static void test_strtok_r(void **state)
{
	char a[] = "  one,two;;three ,";
	char b[] = "  one,two;;three ,";
	char *sa, *sb, *ta, *tb;

	(void)state;
	ta = nolibc_strtok_r(a, " ,;", &sa);
	tb = strtok_r(b, " ,;", &sb);
	for (;;) {
		if (!tb) {
			assert_null(ta);
			break;
		}
		assert_non_null(ta);
		assert_int_equal(ta - a, tb - b);
		assert_string_equal(ta, tb);
		ta = nolibc_strtok_r(NULL, " ,;", &sa);
		tb = strtok_r(NULL, " ,;", &sb);
	}
	/* calling again after the end keeps returning NULL */
	assert_null(nolibc_strtok_r(NULL, " ,;", &sa));

	char c[] = ";;;";

	assert_null(nolibc_strtok_r(c, ";", &sa));
	char d[] = "single";

	assert_ptr_equal(nolibc_strtok_r(d, ";", &sa), d);
	assert_null(nolibc_strtok_r(NULL, ";", &sa));
}

static void test_strerror(void **state)
{
	(void)state;
	/* Same texts as glibc for every Linux errno value. */
	for (int e = 0; e <= 133; e++) {
		if (e == 41 || e == 58) /* unused numbers */
			continue;
		assert_string_equal(nolibc_strerror(e), strerror(e));
	}
	assert_string_equal(nolibc_strerror(41), "Unknown error 41");
	assert_string_equal(nolibc_strerror(134), "Unknown error 134");
	assert_string_equal(nolibc_strerror(-1), "Unknown error -1");
	assert_string_equal(nolibc_strerror(INT32_MIN),
			    "Unknown error -2147483648");
	assert_string_equal(nolibc_strerror(INT32_MAX),
			    "Unknown error 2147483647");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_memchr),
		cmocka_unit_test(test_strlen),
		cmocka_unit_test(test_strcmp),
		cmocka_unit_test(test_strcpy_cat),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_strchr),
		cmocka_unit_test(test_strstr),
		cmocka_unit_test(test_strspn),
		cmocka_unit_test(test_strtok_r),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
