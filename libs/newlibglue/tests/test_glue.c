/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <uk/newlibglue.h>

static void test_ret(void **state)
{
	int err = 0;

	(void)state;
	assert_int_equal(uk_newlibglue_ret(0, &err), 0);
	assert_int_equal(uk_newlibglue_ret(12345, &err), 12345);
	assert_int_equal(err, 0);
	assert_int_equal(uk_newlibglue_ret(-ENOENT, &err), -1);
	assert_int_equal(err, ENOENT);
	assert_int_equal(uk_newlibglue_ret(-ENOSYS, &err), -1);
	assert_int_equal(err, ENOSYS);
	/* large positive results (lseek offsets) pass through */
	assert_true(uk_newlibglue_ret(1L << 40, &err) == (1L << 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
