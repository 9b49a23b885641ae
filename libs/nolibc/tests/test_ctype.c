/* SPDX-License-Identifier: BSD-3-Clause */
/* <ctype.h> against glibc's "C" locale for EOF and every byte value. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include "nolibc_api.h"

struct pair {
	const char *name;
	int (*nolibc)(int);
	int (*host)(int);
};

/* The host's may be macros: wrap them. */
// clang-format off
#define HOST(f) static int host_##f(int c) { return f(c); }
HOST(isalnum)
HOST(isalpha)
HOST(isblank)
HOST(iscntrl)
HOST(isdigit)
HOST(isgraph)
HOST(islower)
HOST(isprint)
HOST(ispunct)
HOST(isspace)
HOST(isupper)
HOST(isxdigit)
HOST(tolower)
HOST(toupper)
#define P(f) { #f, nolibc_##f, host_##f }

static const struct pair classes[] = {
	P(isalnum), P(isalpha), P(isblank), P(iscntrl),
	P(isdigit), P(isgraph), P(islower), P(isprint),
	P(ispunct), P(isspace), P(isupper), P(isxdigit),
};
// clang-format on

static void test_classes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		for (int c = EOF; c <= 255; c++) {
			int got = classes[i].nolibc(c) != 0;
			int want = classes[i].host(c) != 0;

			if (got != want)
				fail_msg("%s(%d): %d, glibc %d",
					 classes[i].name, c, got, want);
		}
	}
}

static void test_case(void **state)
{
	(void)state;
	for (int c = EOF; c <= 255; c++) {
		assert_int_equal(nolibc_tolower(c), host_tolower(c));
		assert_int_equal(nolibc_toupper(c), host_toupper(c));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
