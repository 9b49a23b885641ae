/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc's headers against the host's: errno numbers, <limits.h>,
 * <inttypes.h> PRI macros, <sys/types.h> sizes; and <assert.h> behaviour.
 */
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
#include <sys/types.h>
#include <cmocka.h>
#include <uk/plat/halt.h>
#include "nolibc_api.h"
#include "ukplat_double.h"

struct host_const {
	const char *name;
	unsigned long long value;
	size_t size;
	int is_signed;
};

/* The signedness test below compares unsigned values with 0 on purpose. */
#pragma GCC diagnostic ignored "-Wtype-limits"

#define X(n) {#n, (unsigned long long)(n), sizeof(n), ((n) - (n)-1) < 0},
static const struct host_const host_errnos[] = {
#include "list_errno.h"
	{NULL, 0, 0, 0}};

static const struct host_const host_limits[] = {
#include "list_limits.h"
	{NULL, 0, 0, 0}};
#undef X

#define X(n, t) {#n, n},
static const struct {
	const char *name;
	const char *fmt;
} host_pris[] = {
#include "list_pri.h"
	{NULL, NULL}};
#undef X

static void compare_consts(const struct side_const *side,
			   const struct host_const *host)
{
	size_t i;

	for (i = 0; host[i].name; i++) {
		assert_non_null(side[i].name);
		assert_string_equal(side[i].name, host[i].name);
		if (side[i].value != host[i].value ||
		    side[i].size != host[i].size ||
		    side[i].is_signed != host[i].is_signed)
			fail_msg("%s: nolibc %llu (size %zu, signed %d), host "
				 "%llu"
				 " (size %zu, signed %d)",
				 host[i].name, side[i].value, side[i].size,
				 side[i].is_signed, host[i].value, host[i].size,
				 host[i].is_signed);
	}
	assert_null(side[i].name);
}

static void test_errno_values(void **state)
{
	(void)state;
	compare_consts(side_errnos, host_errnos);
	assert_int_equal(side_errnos[0].value, 1); /* EPERM */
}

static void test_limits(void **state)
{
	(void)state;
	compare_consts(side_limits, host_limits);
}

static void test_types(void **state)
{
	const struct host_const host_types[] = {
		{"size_t", sizeof(size_t), sizeof(size_t), 0},
		{"ssize_t", sizeof(ssize_t), sizeof(ssize_t), 1},
		{"off_t", sizeof(off_t), sizeof(off_t), 1},
		{"pid_t", sizeof(pid_t), sizeof(pid_t), 1},
		{"div_t", sizeof(div_t), sizeof(div_t), 0},
		{"ldiv_t", sizeof(ldiv_t), sizeof(ldiv_t), 0},
		{"lldiv_t", sizeof(lldiv_t), sizeof(lldiv_t), 0},
		{"imaxdiv_t", sizeof(imaxdiv_t), sizeof(imaxdiv_t), 0},
		{NULL, 0, 0, 0},
	};

	(void)state;
	compare_consts(side_types, host_types);
}

static void test_pri(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; host_pris[i].name; i++) {
		const struct side_pri *s = &side_pris[i];

		assert_string_equal(s->name, host_pris[i].name);
		if (strstr(s->name, "FAST") && strcmp(s->name + 4, "FAST8") &&
		    strcmp(s->name + 4, "FAST64")) {
			/*
			 * int_fast16_t/int_fast32_t come from the compiler's
			 * stdint.h and differ between gcc and clang: the
			 * modifier must fit the type nolibc really has.
			 */
			assert_int_equal(s->fmt[0] == 'l', s->type_size == 8);
			continue;
		}
		if (strcmp(s->fmt, host_pris[i].fmt))
			fail_msg("%s: nolibc \"%s\", glibc \"%s\"", s->name,
				 s->fmt, host_pris[i].fmt);
	}
	assert_null(side_pris[i].name);

	/* and they work with nolibc's printf */
	char out[64];

	nolibc_snprintf(out, sizeof(out), "%" PRId64 " %" PRIx64 " %" PRIuPTR,
			INT64_MIN, UINT64_MAX, (uintptr_t)UINTPTR_MAX);
	assert_string_equal(
		out,
		"-9223372036854775808 ffffffffffffffff 18446744073709551615");
}

static void call_side_assert(void *arg)
{
	side_assert(*(int *)arg);
}

static void call_side_assert_again(void *arg)
{
	side_assert_again(*(int *)arg);
}

static void test_assert(void **state)
{
	char want[512];
	int status = -1, v;

	(void)state;
	/* a true assertion does nothing */
	v = 1;
	console_reset();
	assert_int_equal(run_until_exit(call_side_assert, &v, &status), 0);
	assert_int_equal(console_len, 0);

	/* a false one prints the message and aborts */
	v = 0;
	assert_int_equal(run_until_exit(call_side_assert, &v, &status), 1);
	assert_int_equal(status, UKPLAT_EXIT_PANIC);
	snprintf(want, sizeof(want),
		 "Assertion failed: v (%s:%d: side_assert)\nabort() called\n",
		 side_file, side_assert_line);
	assert_string_equal(console_buf, want);

	/* NDEBUG: not even evaluated */
	int counter = 5;

	assert_int_equal(side_assert_ndebug(&counter), 5);

	/* <assert.h> included again without NDEBUG: active again */
	v = -3;
	console_reset();
	assert_int_equal(run_until_exit(call_side_assert_again, &v, &status),
			 1);
	assert_int_equal(status, 124);
	assert_non_null(strstr(console_buf, "Assertion failed: v > 0 ("));
	assert_non_null(strstr(console_buf, ": side_assert_again)\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno_values),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_pri),
		cmocka_unit_test(test_assert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
