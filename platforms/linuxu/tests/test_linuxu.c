/* argv -> command line (linuxu) -> argv (ukargparse) round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/argparse.h>
#include "linuxu.h"

static void roundtrip(int argc, char *argv[])
{
	char buf[4096];
	char *out[64];
	long n = linuxu_join_args(argc, argv, buf, sizeof(buf));
	assert_true(n >= 0);
	assert_int_equal((size_t)n, strlen(buf));
	int got = uk_argparse(buf, out, 63, NULL);
	assert_int_equal(got, argc - 1);
	for (int i = 1; i < argc; i++)
		assert_string_equal(out[i - 1], argv[i]);
}

static void test_roundtrip(void **s)
{
	(void)s;
	char *a[] = {"prog",   "plain",	      "with space", "it's",
		     "\"dq\"", "back\\slash", "",	    "'''",
		     "--",     "tab\there",   "new\nline",  NULL};
	roundtrip(11, a);
	char *b[] = {"prog", NULL};
	roundtrip(1, b);
}

static void test_overflow(void **s)
{
	(void)s;
	char buf[8];
	char *a[] = {"prog", "abcd", NULL};
	assert_int_equal(linuxu_join_args(2, a, buf, 7), 6); /* 'abcd' fits */
	assert_string_equal(buf, "'abcd'");
	assert_int_equal(linuxu_join_args(2, a, buf, 6), -1);
	char *q[] = {"prog", "'", NULL}; /* ''\''' is 6 bytes */
	assert_int_equal(linuxu_join_args(2, q, buf, 6), -1);
	assert_int_equal(linuxu_join_args(2, q, buf, 7), 6);
	assert_int_equal(linuxu_join_args(2, q, buf, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
