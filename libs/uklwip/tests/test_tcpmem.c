/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip: the TCP send-buffer budget (src/tcpmem.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/plat_doubles.h> /* the console ukdebug writes to */

#include "lwip/opt.h"
#include <uk/lwip.h>

#define MIN UKLWIP_TCP_SNDBUF_MIN

/* under the budget: the whole send buffer, minus what the connection holds */
static void test_no_pressure(void **state)
{
	(void)state;
	assert_int_equal(uklwip_tcpmem_room(0, 0, 1 << 20), TCP_SND_BUF);
	assert_int_equal(uklwip_tcpmem_room(1000, 5000, 1 << 20),
			 TCP_SND_BUF - 1000);
	assert_int_equal(uklwip_tcpmem_room(TCP_SND_BUF, TCP_SND_BUF, 1 << 20),
			 0);
}

/* near the budget: only what is left of it */
static void test_partial(void **state)
{
	(void)state;
	assert_int_equal(uklwip_tcpmem_room(MIN, 100000, 100000 + 3000), 3000);
	assert_int_equal(uklwip_tcpmem_room(0, 100000, 100000 + 3 * MIN),
			 3 * MIN);
}

/* over it: the floor, and nothing for a connection holding the floor */
static void test_floor(void **state)
{
	(void)state;
	assert_int_equal(uklwip_tcpmem_room(0, 1 << 20, 1000), MIN);
	assert_int_equal(uklwip_tcpmem_room(MIN / 2, 1 << 20, 1000),
			 MIN - MIN / 2);
	assert_int_equal(uklwip_tcpmem_room(MIN, 1 << 20, 1000), 0);
	assert_int_equal(uklwip_tcpmem_room(5 * MIN, 1 << 20, 1000), 0);
	/* a connection at its floor is writable again once its data is
	 * acknowledged: the room then exceeds lwIP's low-water mark */
	assert_true(uklwip_tcpmem_room(0, SIZE_MAX, 0) > TCP_SNDLOWAT);
}

static void test_budget(void **state)
{
	(void)state;
	assert_int_equal(uklwip_tcpmem_budget_for(0), UKLWIP_TCPMEM_MIN_BUDGET);
	assert_int_equal(uklwip_tcpmem_budget_for(64u << 20),
			 (64u << 20) / UKLWIP_TCPMEM_HEAP_DIV);
	uklwip_tcpmem_init(32u << 20);
	assert_int_equal(uklwip_tcpmem_budget(),
			 (32u << 20) / UKLWIP_TCPMEM_HEAP_DIV);
}

/* a short heap lowers the limit: only what is free above the reserve */
static void test_limit(void **state)
{
	(void)state;
	assert_int_equal(uklwip_tcpmem_limit(0, 1000, 1 << 20), 1000);
	assert_int_equal(uklwip_tcpmem_limit(100, 1000, 1200), 100 + 200);
	assert_int_equal(uklwip_tcpmem_limit(100, 1000, 900), 100);
	assert_int_equal(uklwip_tcpmem_limit(900, 1000, 1 << 20), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_pressure),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
