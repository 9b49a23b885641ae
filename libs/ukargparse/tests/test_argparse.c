/* Native tests of the command-line parser. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/argparse.h>

#define MAXA 16

/* Parse `line` (copied, as the real caller owns a copy) and compare. */
static void expect_args(const char *line, int n, const char *const *want)
{
	char *buf = strdup(line);
	char *argv[MAXA + 1];
	struct uk_argparse_error err = {0};
	int argc = uk_argparse(buf, argv, MAXA, &err);

	if (argc != n)
		fail_msg("'%s': argc %d, want %d (%s)", line, argc, n,
			 err.reason ? err.reason : "-");
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[argc]);
	free(buf);
}

static void expect_error(const char *line, int code, size_t offset,
			 const char *reason)
{
	char *buf = strdup(line);
	char *argv[MAXA + 1];
	struct uk_argparse_error err = {0};

	assert_int_equal(uk_argparse(buf, argv, MAXA, &err), code);
	assert_int_equal(err.offset, offset);
	assert_string_equal(err.reason, reason);
	free(buf);
}

static void test_plain(void **s)
{
	(void)s;
	expect_args("", 0, NULL);
	expect_args("   \t\n ", 0, NULL);
	expect_args("a", 1, (const char *[]){"a"});
	expect_args("  one two\tthree\n", 3,
		    (const char *[]){"one", "two", "three"});
}

static void test_quotes(void **s)
{
	(void)s;
	expect_args("'a b' \"c d\"", 2, (const char *[]){"a b", "c d"});
	expect_args("a\"b c\"d", 1, (const char *[]){"ab cd"});
	expect_args("'it\"s' \"it's\"", 2, (const char *[]){"it\"s", "it's"});
	expect_args("'a\\b'", 1, (const char *[]){"a\\b"});
	expect_args("\"a\\\"b\\\\c\\d\"", 1, (const char *[]){"a\"b\\c\\d"});
}

static void test_escapes(void **s)
{
	(void)s;
	expect_args("a\\ b c", 2, (const char *[]){"a b", "c"});
	expect_args("\\'x\\\"", 1, (const char *[]){"'x\""});
	expect_args("\\\\", 1, (const char *[]){"\\"});
}

static void test_empty_args(void **s)
{
	(void)s;
	expect_args("\"\" ''", 2, (const char *[]){"", ""});
	expect_args("a '' b", 3, (const char *[]){"a", "", "b"});
	expect_args("''''", 1, (const char *[]){""});
}

static void test_errors(void **s)
{
	(void)s;
	expect_error("ab 'cd", -EINVAL, 3, "unterminated ' quote");
	expect_error("x \"cd\\\"", -EINVAL, 2, "unterminated \" quote");
	expect_error("abc\\", -EINVAL, 3, "trailing backslash");
}

static void test_too_many(void **s)
{
	(void)s;
	/* exactly MAXA is fine, one more is E2BIG at the extra argument */
	char line[4 * (MAXA + 1) + 1];
	char *p = line;
	for (int i = 0; i < MAXA; i++)
		p += sprintf(p, "a%c ", 'a' + i);
	expect_args(line, MAXA,
		    (const char *[]){"aa", "ab", "ac", "ad", "ae", "af", "ag",
				     "ah", "ai", "aj", "ak", "al", "am", "an",
				     "ao", "ap"});
	sprintf(p, "zz");
	expect_error(line, -E2BIG, (size_t)(p - line), "too many arguments");
}

/* 10,000 arguments with a small limit: refused, no overflow (ASan checks). */
static void test_huge(void **s)
{
	(void)s;
	size_t len = 10000 * 2;
	char *line = malloc(len + 1);
	for (size_t i = 0; i < len; i += 2) {
		line[i] = 'x';
		line[i + 1] = ' ';
	}
	line[len] = 0;
	char *argv[257];
	struct uk_argparse_error err;
	assert_int_equal(uk_argparse(line, argv, 256, &err), -E2BIG);
	assert_int_equal(err.offset, 512);
	free(line);
	/* and a NULL err pointer is allowed */
	char bad[] = "'";
	assert_int_equal(uk_argparse(bad, argv, 4, NULL), -EINVAL);
}

static void test_split(void **s)
{
	(void)s;
	char *v1[] = {"uk.a=1", "--", "x", "--", "y", NULL};
	int la, aa;
	char **lv, **av;
	uk_argparse_split(5, v1, &la, &lv, &aa, &av);
	assert_int_equal(la, 1);
	assert_string_equal(lv[0], "uk.a=1");
	assert_int_equal(aa, 3);
	assert_string_equal(av[0], "x");
	assert_string_equal(av[1], "--");
	assert_null(av[3]);

	char *v2[] = {"x", "y", NULL};
	uk_argparse_split(2, v2, &la, &lv, &aa, &av);
	assert_int_equal(la, 0);
	assert_int_equal(aa, 2);
	assert_ptr_equal(av, v2);

	char *v3[] = {"--", NULL};
	uk_argparse_split(1, v3, &la, &lv, &aa, &av);
	assert_int_equal(la, 0);
	assert_int_equal(aa, 0);
	assert_null(av[0]);

	char *v4[] = {"---", "-", NULL};
	uk_argparse_split(2, v4, &la, &lv, &aa, &av);
	assert_int_equal(aa, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_empty_args),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
