/* Native tests of the frame-pointer walker on hand-built and real frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/arch/backtrace.h>

/* A fake stack: three frames chained upwards, then a zero frame pointer. */
static void test_synthetic_chain(void **state)
{
	(void)state;
	uintptr_t stack[16] = {0};
	uintptr_t base = (uintptr_t)stack;

	stack[0] = base + 4 * 8; /* frame 0 -> frame 1 */
	stack[1] = 0x1000;
	stack[4] = base + 8 * 8; /* frame 1 -> frame 2 */
	stack[5] = 0x2000;
	stack[8] = 0; /* frame 2: end of chain */
	stack[9] = 0x3000;

	uintptr_t pcs[8];
	size_t n = ukarch_backtrace(base, base, base + sizeof(stack), pcs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(pcs[0], 0x1000);
	assert_int_equal(pcs[1], 0x2000);
	assert_int_equal(pcs[2], 0x3000);

	/* max bounds the walk */
	assert_int_equal(
		ukarch_backtrace(base, base, base + sizeof(stack), pcs, 2), 2);
}

static void test_corrupt_chain_stops(void **state)
{
	(void)state;
	uintptr_t stack[8] = {0};
	uintptr_t base = (uintptr_t)stack;
	uintptr_t pcs[8];

	/* pointer that goes downwards: loop guard */
	stack[0] = base;
	stack[1] = 0x1000;
	assert_int_equal(
		ukarch_backtrace(base, base, base + sizeof(stack), pcs, 8), 1);

	/* pointer out of the stack range: not followed */
	stack[0] = 0xdead0000;
	assert_int_equal(
		ukarch_backtrace(base, base, base + sizeof(stack), pcs, 8), 1);

	/* misaligned start: nothing */
	assert_int_equal(
		ukarch_backtrace(base + 3, base, base + sizeof(stack), pcs, 8),
		0);

	/* start outside range: nothing */
	assert_int_equal(ukarch_backtrace(base + 4096, base,
					  base + sizeof(stack), pcs, 8),
			 0);
}

static __attribute__((noinline)) size_t inner(uintptr_t *pcs, size_t max)
{
	return ukarch_backtrace((uintptr_t)__builtin_frame_address(0), 0, 0,
				pcs, max);
}

static __attribute__((noinline)) size_t outer(uintptr_t *pcs, size_t max)
{
	size_t n = inner(pcs, max);
	__asm__ __volatile__("" ::: "memory"); /* no tail call */
	return n;
}

/* On a real frame-pointer chain the first two return addresses are in outer()
 * and in this test function. */
static void test_real_frames(void **state)
{
	(void)state;
	uintptr_t pcs[4];
	size_t n = outer(pcs, 4);
	assert_true(n >= 2);
	assert_true(pcs[0] > (uintptr_t)outer &&
		    pcs[0] < (uintptr_t)outer + 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic_chain),
		cmocka_unit_test(test_corrupt_chain_stops),
		cmocka_unit_test(test_real_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
