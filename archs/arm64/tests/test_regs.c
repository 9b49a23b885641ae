/* SPDX-License-Identifier: BSD-3-Clause */
/* The arm64 crash-report helpers, natively: the register dump lines, the
 * frame walker on synthetic frame records, and the leaf caller check on
 * synthetic instructions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <uk/arch/backtrace.h>
#include <uk/arch/regs.h>

static void test_lines(void **state)
{
	struct ukarch_regs r;
	char buf[UKARCH_REGS_LINE_MAX];
	unsigned n = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < 31; i++)
		r.x[i] = 0x1111111111111111ull * (uint64_t)(i % 16);
	r.x[30] = 0xdeadbeefcafef00dull;
	r.sp = 0x40201000;
	r.esr = 0x96000046;
	r.far = 0x10;
	r.pstate = 0x3c4;
	size_t len = ukarch_regs_line(&r, 0, buf);
	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "X0 =0000000000000000 X1 =1111111111111111 "
				 "X2 =2222222222222222 X3 =3333333333333333");
	ukarch_regs_line(&r, 7, buf);
	assert_string_equal(buf, "X28=cccccccccccccccc X29=dddddddddddddddd "
				 "X30=deadbeefcafef00d SP =0000000040201000");
	ukarch_regs_line(&r, 8, buf);
	assert_string_equal(buf, "PSTATE=00000000000003c4 ESR=0000000096000046 "
				 "FAR=0000000000000010");
	while (ukarch_regs_line(&r, n, buf)) {
		assert_true(strlen(buf) < UKARCH_REGS_LINE_MAX);
		n++;
	}
	assert_int_equal(n, 9);
	assert_int_equal(buf[0], '\0');
}

static void test_backtrace_chain(void **state)
{
	uintptr_t stack[32] __attribute__((aligned(16)));
	uintptr_t pcs[8];
	uintptr_t lo = (uintptr_t)stack, hi = (uintptr_t)(stack + 32);

	(void)state;
	memset(stack, 0, sizeof(stack));
	/* three records: [fp][lr] at 0, 8, 20, the last ends the chain */
	stack[0] = (uintptr_t)&stack[8];
	stack[1] = 0x1000;
	stack[8] = (uintptr_t)&stack[20];
	stack[9] = 0x2000;
	stack[20] = 0;
	stack[21] = 0x3000;
	assert_int_equal(ukarch_backtrace(lo, lo, hi, pcs, 8), 3);
	assert_int_equal(pcs[0], 0x1000);
	assert_int_equal(pcs[2], 0x3000);
	/* a chain going down stops; an out-of-range one too */
	stack[8] = (uintptr_t)&stack[2];
	assert_int_equal(ukarch_backtrace(lo, lo, hi, pcs, 8), 2);
	stack[8] = hi + 64;
	assert_int_equal(ukarch_backtrace(lo, lo, hi, pcs, 8), 2);
	assert_int_equal(ukarch_backtrace(lo + 4, lo, hi, pcs, 8), 0);
	assert_int_equal(ukarch_backtrace(lo, lo, hi, pcs, 1), 1);
}

static uint32_t code[4];
static int in_code(uintptr_t a)
{
	return a >= (uintptr_t)code && a < (uintptr_t)(code + 4);
}

static void test_leaf_caller(void **state)
{
	struct ukarch_regs r;

	(void)state;
	memset(&r, 0, sizeof(r));
	code[0] = 0x94000123; /* bl */
	code[1] = 0xd63f0100; /* blr x8 */
	code[2] = 0xd503201f; /* nop */
	r.x[30] = (uintptr_t)&code[1];
	assert_int_equal(ukarch_leaf_caller(&r, 0, 0, in_code), r.x[30]);
	r.x[30] = (uintptr_t)&code[2];
	assert_int_equal(ukarch_leaf_caller(&r, 0, 0, in_code), r.x[30]);
	r.x[30] = (uintptr_t)&code[3]; /* after a nop */
	assert_int_equal(ukarch_leaf_caller(&r, 0, 0, in_code), 0);
	r.x[30] = (uintptr_t)&code[1] + 2; /* misaligned */
	assert_int_equal(ukarch_leaf_caller(&r, 0, 0, in_code), 0);
	r.x[30] = 0x4; /* not code */
	assert_int_equal(ukarch_leaf_caller(&r, 0, 0, in_code), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_backtrace_chain),
		cmocka_unit_test(test_leaf_caller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
