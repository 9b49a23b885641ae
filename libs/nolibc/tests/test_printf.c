/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printf engine (integers, characters, strings, pointers, %n) checked
 * against glibc's snprintf on generated tables of formats and values; the
 * snprintf contract; the console functions through the ukplat double.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>
#include "nolibc_api.h"
#include "ukplat_double.h"

/* Some tests overflow INT_MAX on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-overflow"
#endif

#define BUFSZ 512

static size_t nchecks;

/* Formats with glibc and with nolibc; fails on any difference. */
static void check_fmt(const char *fmt, ...)
{
	char want[BUFSZ], got[BUFSZ];
	va_list a, b;
	int rw, rg, ew, eg;

	memset(want, 0x5a, sizeof(want));
	memset(got, 0x5a, sizeof(got));
	va_start(a, fmt);
	va_copy(b, a);
	errno = 0;
	rw = vsnprintf(want, sizeof(want), fmt, a);
	ew = errno;
	nolibc_errno = 0;
	rg = nolibc_vsnprintf(got, sizeof(got), fmt, b);
	eg = nolibc_errno;
	va_end(b);
	va_end(a);
	nchecks++;

	if (rw != rg || (rw < 0 && ew != eg) ||
	    (rw >= 0 &&
	     memcmp(want, got,
		    (size_t)rw + 1 < BUFSZ ? (size_t)rw + 1 : BUFSZ) != 0))
		fail_msg("format \"%s\": nolibc %d \"%s\", glibc %d \"%s\"",
			 fmt, rg, got, rw, want);
}

static const char *const flag_sets[] = {
	"",	"-",	"+",	" ",	"#",	 "0",	"-+",  "- ",  "-#",
	"-0",	"+ ",	"+#",	"+0",	" #",	 " 0",	"#0",  "-+ ", "-+#",
	"-+0",	"- #",	"- 0",	"-#0",	"+ #",	 "+ 0", "+#0", " #0", "-+ #",
	"-+ 0", "-+#0", "- #0", "+ #0", "-+ #0", "0-",	"0+",  "00",  "--",
};
static const char *const widths[] = {"", "1", "6", "25"};
static const char *const precs[] = {"", ".", ".0", ".1", ".4", ".30"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Calls body(fmt) for "[%<flags><width><prec><len><conv>]" over all combos. */
#define FOR_EACH_FORMAT(len, convs, body)                                   \
	do {                                                                \
		char fmt[64];                                               \
		for (size_t f_ = 0; f_ < N(flag_sets); f_++)                \
			for (size_t w_ = 0; w_ < N(widths); w_++)           \
				for (size_t p_ = 0; p_ < N(precs); p_++)    \
					for (const char *c_ = (convs); *c_; \
					     c_++) {                        \
						snprintf(fmt, sizeof(fmt),  \
							 "[%%%s%s%s%s%c]",  \
							 flag_sets[f_],     \
							 widths[w_],        \
							 precs[p_], (len),  \
							 *c_);              \
						body;                       \
					}                                   \
	} while (0)

static const int ivals[] = {
	0,	 1,	      -1,	   7,	      -7,	  42,
	127,	 128,	      -128,	   255,	      256,	  4096,
	65535,	 65536,	      -65536,	   123456789, -987654321, INT_MAX,
	INT_MIN, INT_MAX - 1, INT_MIN + 1,
};
static const long long llvals[] = {
	0,
	1,
	-1,
	9,
	255,
	-255,
	65536,
	4294967295LL,
	4294967296LL,
	-4294967296LL,
	1234567890123456789LL,
	-1234567890123456789LL,
	LLONG_MAX,
	LLONG_MIN,
	LLONG_MIN + 1,
	(long long)INT_MIN,
};

static void test_int_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(ivals); i++) {
		int v = ivals[i];

		FOR_EACH_FORMAT("", "diuoxX", check_fmt(fmt, v));
		FOR_EACH_FORMAT("hh", "diuoxX", check_fmt(fmt, v));
		FOR_EACH_FORMAT("h", "diuoxX", check_fmt(fmt, v));
	}
	for (size_t i = 0; i < N(llvals); i++) {
		long long v = llvals[i];

		FOR_EACH_FORMAT("l", "diuoxX", check_fmt(fmt, (long)v));
		FOR_EACH_FORMAT("ll", "diuoxX", check_fmt(fmt, v));
		FOR_EACH_FORMAT("L", "di", check_fmt(fmt, v));
		FOR_EACH_FORMAT("z", "diuoxX", check_fmt(fmt, (size_t)v));
		FOR_EACH_FORMAT("j", "diuoxX", check_fmt(fmt, (intmax_t)v));
		FOR_EACH_FORMAT("t", "diuoxX", check_fmt(fmt, (ptrdiff_t)v));
	}
	/* the extremes of the unsigned types */
	check_fmt("%u %x %o", UINT_MAX, UINT_MAX, UINT_MAX);
	check_fmt("%lu %lx %lo %#lX", ULONG_MAX, ULONG_MAX, ULONG_MAX,
		  ULONG_MAX);
	check_fmt("%" PRIu64 " %" PRIx64 " %" PRId64, UINT64_MAX, UINT64_MAX,
		  INT64_MIN);
	check_fmt("%zu %zx %zd", SIZE_MAX, SIZE_MAX, (ssize_t)-1);
	check_fmt("%ju %jd", UINTMAX_MAX, INTMAX_MIN);
	check_fmt("%hhu %hhd %hu %hd", 0x1ff, 0x1ff, 0x1ffff, 0x18000);
	check_fmt("%" PRIxPTR " %" PRIdPTR, (uintptr_t)0xdeadbeef,
		  (intptr_t)-5);
	assert_true(nchecks > 100000);
}

static void test_char_string_formats(void **state)
{
	const char *svals[] = {"", "a", "hello",
			       "a longer string, 40 chars.....", NULL};
	const int cvals[] = {'a', ' ', '%', 0, 255, -1, 0x141};

	(void)state;
	for (size_t i = 0; i < N(svals); i++)
		FOR_EACH_FORMAT("", "s", check_fmt(fmt, svals[i]));
	for (size_t i = 0; i < N(cvals); i++)
		FOR_EACH_FORMAT("", "c", check_fmt(fmt, cvals[i]));
	check_fmt("%s|%s|%c%c%c", "abc", "", 'x', 'y', 'z');
	check_fmt("%%|%5%|%-5%|a%%b");
	check_fmt("literal only, no conversions");
	check_fmt("");
}

static void test_precision_bounds_read(void **state)
{
	char out[16];
	char *p = malloc(5);

	(void)state;
	/* Exactly 5 bytes, no NUL: %.Ns must read at most N bytes (ASan). */
	memcpy(p, "abcde", 5);
	assert_int_equal(nolibc_snprintf(out, sizeof(out), "%.5s", p), 5);
	assert_string_equal(out, "abcde");
	assert_int_equal(nolibc_snprintf(out, sizeof(out), "[%.3s]", p), 5);
	assert_string_equal(out, "[abc]");
	assert_int_equal(nolibc_snprintf(out, sizeof(out), "%-8.*s|", 5, p), 9);
	assert_string_equal(out, "abcde   |");
	assert_int_equal(nolibc_snprintf(out, sizeof(out), "%.0s", p), 0);
	free(p);
}

static void test_pointer_formats(void **state)
{
	void *pvals[] = {NULL, (void *)1, (void *)0xdeadbeef,
			 (void *)0x7fffffffffff, (void *)UINTPTR_MAX};

	(void)state;
	for (size_t i = 0; i < N(pvals); i++)
		FOR_EACH_FORMAT("", "p", check_fmt(fmt, pvals[i]));
	char out[32];

	assert_int_equal(nolibc_snprintf(out, sizeof(out), "%p", NULL), 5);
	assert_string_equal(out, "(nil)");
	nolibc_snprintf(out, sizeof(out), "%p", (void *)0x1234);
	assert_string_equal(out, "0x1234");
}

static void test_star(void **state)
{
	const int ws[] = {-30, -10, -1, 0, 1, 10, 30};
	const int ps[] = {-5, -1, 0, 1, 3, 12};

	(void)state;
	for (size_t i = 0; i < N(ws); i++) {
		for (size_t j = 0; j < N(ps); j++) {
			for (size_t k = 0; k < N(ivals); k += 3) {
				check_fmt("[%*d]", ws[i], ivals[k]);
				check_fmt("[%-*d]", ws[i], ivals[k]);
				check_fmt("[%0*d]", ws[i], ivals[k]);
				check_fmt("[%.*d]", ps[j], ivals[k]);
				check_fmt("[%*.*x]", ws[i], ps[j], ivals[k]);
				check_fmt("[%#0*.*o]", ws[i], ps[j], ivals[k]);
				check_fmt("[%+0*.*lld|%d]", ws[i], ps[j],
					  llvals[k % N(llvals)], 77);
			}
			check_fmt("[%*.*s]", ws[i], ps[j], "hello");
			check_fmt("[%-*.*s]", ws[i], ps[j], "hello");
			check_fmt("[%*c]", ws[i], 'q');
			check_fmt("[%*p]", ws[i], (void *)0xabc);
			check_fmt("[%*.*f]", ws[i], ps[j], 3.14159);
		}
	}
}

static void test_n(void **state)
{
	signed char hh[2];
	short h[2];
	int i[2];
	long l[2];
	long long ll[2];
	size_t z[2];
	intmax_t j[2];
	ptrdiff_t t[2];
	char out[64];
	int r;

	(void)state;
	memset(i, 0xff, sizeof(i));
	r = nolibc_snprintf(out, sizeof(out), "abc%nde%-5d%n|", &i[0], 1,
			    &i[1]);
	assert_int_equal(r, 11);
	assert_string_equal(out, "abcde1    |");
	assert_int_equal(i[0], 3);
	assert_int_equal(i[1], 10);

	/* every length modifier stores into its own type, as glibc does */
	r = nolibc_snprintf(
		out, sizeof(out), "%hhn1%hn22%n333%ln4444%lln55555%zn6%jn7%tn",
		&hh[0], &h[0], &i[0], &l[0], &ll[0], &z[0], &j[0], &t[0]);
	snprintf(out, sizeof(out), "%hhn1%hn22%n333%ln4444%lln55555%zn6%jn7%tn",
		 &hh[1], &h[1], &i[1], &l[1], &ll[1], &z[1], &j[1], &t[1]);
	assert_int_equal(r, 17);
	assert_int_equal(hh[0], hh[1]);
	assert_int_equal(h[0], h[1]);
	assert_int_equal(i[0], i[1]);
	assert_int_equal(l[0], l[1]);
	assert_int_equal(ll[0], ll[1]);
	assert_int_equal(z[0], z[1]);
	assert_int_equal(j[0], j[1]);
	assert_int_equal(t[0], t[1]);
	assert_int_equal(t[0], 17);

	/* %n counts what would have been written, even when truncated */
	r = nolibc_snprintf(out, 4, "abcdefgh%n", &i[0]);
	assert_int_equal(r, 8);
	assert_int_equal(i[0], 8);
	assert_string_equal(out, "abc");
}

static void test_snprintf_truncation(void **state)
{
	struct {
		const char *fmt;
		int v;
		const char *s;
	} cases[] = {
		{"%d", 12345, NULL},   {"[%s]", 0, "hello, world"},
		{"%-10d|", -42, NULL}, {"%s", 0, ""},
		{"x%sy", 0, "a"},
	};

	(void)state;
	for (size_t c = 0; c < N(cases); c++) {
		char full[64];
		int len = cases[c].s ? snprintf(full, sizeof(full),
						cases[c].fmt, cases[c].s)
				     : snprintf(full, sizeof(full),
						cases[c].fmt, cases[c].v);

		for (size_t n = 0; n <= (size_t)len + 2; n++) {
			char buf[64];
			int r;

			memset(buf, '#', sizeof(buf));
			r = cases[c].s ? nolibc_snprintf(buf, n, cases[c].fmt,
							 cases[c].s)
				       : nolibc_snprintf(buf, n, cases[c].fmt,
							 cases[c].v);
			assert_int_equal(r, len); /* always the full length */
			if (n == 0) {
				assert_int_equal(buf[0], '#');
				continue;
			}
			size_t kept = n - 1 < (size_t)len ? n - 1 : (size_t)len;

			assert_memory_equal(buf, full, kept);
			assert_int_equal(buf[kept], '\0');
			for (size_t k = kept + 1; k < sizeof(buf); k++)
				assert_int_equal(buf[k],
						 '#'); /* nothing beyond */
		}
		/* n == 0: buf may be NULL */
		assert_int_equal(
			cases[c].s ? nolibc_snprintf(NULL, 0, cases[c].fmt,
						     cases[c].s)
				   : nolibc_snprintf(NULL, 0, cases[c].fmt,
						     cases[c].v),
			len);
	}

	/* n == 1 writes only the NUL */
	char one[2] = {'x', 'y'};

	assert_int_equal(nolibc_snprintf(one, 1, "%s", "abc"), 3);
	assert_int_equal(one[0], '\0');
	assert_int_equal(one[1], 'y');

	/* sprintf / vsprintf: no limit */
	char big[300];

	assert_int_equal(nolibc_sprintf(big, "%0250d|%s", 7, "end"), 254);
	assert_int_equal(strlen(big), 254);
	assert_string_equal(big + 249, "7|end");
}

static int call_vsprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = nolibc_vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

static void test_unknown_and_errors(void **state)
{
	char out[64];
	/* not literals: the compiler would (rightly) warn about them */
	const char *fmts[][2] = {
		{"%y", "%y"},	  {"a%yb", "a%yb"},
		{"%5y", "%5y"},	  {"%-#5.3y|", "%-#5.3y|"},
		{"%ly", "%ly"},	  {"%hhk", "%hhk"},
		{"abc%", "abc%"}, {"%l", "%l"},
		{"%-5", "%-5"},	  {"%.", "%."},
		{"%ll", "%ll"},
	};
	const char *fmt;

	(void)state;
	for (size_t i = 0; i < N(fmts); i++) {
		fmt = fmts[i][0];
		assert_int_equal(nolibc_snprintf(out, sizeof(out), fmt, 0),
				 (int)strlen(fmts[i][1]));
		assert_string_equal(out, fmts[i][1]);
	}
	fmt = "%y%d";
	assert_int_equal(nolibc_snprintf(out, sizeof(out), fmt, 5), 3);
	assert_string_equal(out, "%y5");

	assert_int_equal(call_vsprintf(out, "%s=%d", "x", 3), 3);
	assert_string_equal(out, "x=3");

	/* width beyond INT_MAX */
	fmt = "%2147483648d";
	nolibc_errno = 0;
	assert_int_equal(nolibc_snprintf(out, sizeof(out), fmt, 1), -1);
	assert_int_equal(nolibc_errno, EOVERFLOW);
	fmt = "%.2147483648d";
	nolibc_errno = 0;
	assert_int_equal(nolibc_snprintf(out, sizeof(out), fmt, 1), -1);
	assert_int_equal(nolibc_errno, EOVERFLOW);
	/* total beyond INT_MAX */
	nolibc_errno = 0;
	assert_int_equal(nolibc_snprintf(NULL, 0, "%*d%d", INT_MAX, 1, 2), -1);
	assert_int_equal(nolibc_errno, EOVERFLOW);
	/* INT_MAX exactly is fine */
	assert_int_equal(nolibc_snprintf(NULL, 0, "%*d", INT_MAX, 1), INT_MAX);
}

static void test_wide(void **state)
{
	(void)state;
	check_fmt("[%lc][%5lc][%-3lc]", (wint_t)'A', (wint_t)'b', (wint_t)'c');
	check_fmt("[%ls][%.2ls][%8ls][%-8.3ls]", L"hello", L"hello", L"hi",
		  L"world");
	check_fmt("[%ls]", (wchar_t *)NULL);
	check_fmt("[%lc]", (wint_t)0x100);
	check_fmt("[%ls]", L"caf\u00e9");
	/* the precision stops before the character that cannot convert */
	check_fmt("[%.3ls]", L"caf\u00e9");
}

/* console output */

static void test_console_long(void **state)
{
	char big[1001], want[4096];
	int r;

	(void)state;
	for (int i = 0; i < 1000; i++)
		big[i] = (char)('a' + i % 26);
	big[1000] = '\0';

	console_reset();
	r = nolibc_printf("<%s>", big);
	assert_int_equal(r, 1002);
	snprintf(want, sizeof(want), "<%s>", big);
	assert_int_equal(console_len, 1002);
	assert_string_equal(console_buf, want);
	assert_true(console_writes <= 3);

	/* many small pieces: gathered, never one write per character */
	console_reset();
	size_t off = 0;

	for (int i = 0; i < 300; i++)
		off += (size_t)snprintf(want + off, sizeof(want) - off, "%d,",
					i);
	r = nolibc_printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,"
			  "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,",
			  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			  16, 17, 18, 19);
	for (int i = 20; i < 300; i += 10)
		r += nolibc_printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,", i, i + 1,
				   i + 2, i + 3, i + 4, i + 5, i + 6, i + 7,
				   i + 8, i + 9);
	assert_int_equal((size_t)r, off);
	assert_string_equal(console_buf, want);
	assert_true(console_writes < 40);

	/* a single call producing ~1900 characters in small pieces */
	console_reset();
	r = nolibc_printf("%0300d|%-300d|%300s|%*d|%s|%.1000s", 1, 2, "x", 600,
			  3, big, big);
	snprintf(want, sizeof(want), "%0300d|%-300d|%300s|%*d|%s|%.1000s", 1, 2,
		 "x", 600, 3, big, big);
	assert_int_equal(r, (int)strlen(want));
	assert_string_equal(console_buf, want);
	assert_true(console_writes < (size_t)r / 64);
}

static int call_vprintf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = nolibc_vprintf(fmt, ap);
	va_end(ap);
	return r;
}

static int call_vfprintf(NOLIBC_FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = nolibc_vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

static void test_console_functions(void **state)
{
	(void)state;
	console_reset();
	assert_int_equal(nolibc_printf("%s", ""), 0);
	assert_int_equal(console_writes, 0);

	assert_int_equal(nolibc_printf("a=%d ", 1), 4);
	assert_int_equal(nolibc_fprintf(nolibc_stderr, "b=%x ", 255), 5);
	assert_int_equal(nolibc_fprintf(nolibc_stdout, "c "), 2);
	assert_int_equal(call_vprintf("d=%s ", "v"), 4);
	assert_int_equal(call_vfprintf(nolibc_stderr, "e=%c ", 'w'), 4);
	assert_true(nolibc_puts("puts") >= 0);
	assert_true(nolibc_fputs("fputs|", nolibc_stderr) >= 0);
	assert_int_equal(nolibc_putchar('P'), 'P');
	assert_int_equal(nolibc_fputc(0xe9, nolibc_stdout), 0xe9);
	assert_int_equal(nolibc_putc('c', nolibc_stderr), 'c');
	assert_int_equal(nolibc_fflush(nolibc_stdout), 0);
	assert_int_equal(nolibc_fflush(NULL), 0);
	assert_string_equal(console_buf, "a=1 b=ff c d=v e=w puts\nfputs|P\xe9"
					 "c");
}

static void test_console_failure(void **state)
{
	char big[301];

	(void)state;
	memset(big, 'z', 300);
	big[300] = '\0';
	console_reset();
	console_fail_after = 10;
	nolibc_errno = 0;
	assert_int_equal(nolibc_printf("%s%s", "short", big), -1);
	assert_int_equal(nolibc_errno, EIO);

	console_reset();
	console_fail_after = 2;
	assert_int_equal(nolibc_fputs("abc", nolibc_stdout), EOF);
	console_fail_after = 0;
	assert_int_equal(nolibc_putchar('x'), EOF);
	assert_int_equal(nolibc_puts("x"), EOF);
	console_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_formats),
		cmocka_unit_test(test_char_string_formats),
		cmocka_unit_test(test_precision_bounds_read),
		cmocka_unit_test(test_pointer_formats),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_n),
		cmocka_unit_test(test_snprintf_truncation),
		cmocka_unit_test(test_unknown_and_errors),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_console_long),
		cmocka_unit_test(test_console_functions),
		cmocka_unit_test(test_console_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
