/* SPDX-License-Identifier: BSD-3-Clause */
/* The boot heap from the platform's FREE regions, with a range a library
 * reserves cut out (uk_alloc_boot_reserve). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/allocboot.h>
#include <uk/plat/bootinfo.h>

#include <uk/plat_doubles.h>

static struct ukplat_bootinfo bi = {
	.nr_memregions = 3,
	.memregions = {{0x100000, 0x100000, UKPLAT_MEMR_IMAGE},
		       {0x200000, 0xe00000, UKPLAT_MEMR_FREE},
		       {0x2000000, 0x400000, UKPLAT_MEMR_FREE}},
};
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

/* A backend double: records what it is given. */
static struct {
	uintptr_t base;
	size_t len;
} given[8];
static int ngiven;
static struct uk_alloc fake = {.name = "fake"};

static int fake_addmem(struct uk_alloc *a, void *base, size_t len)
{
	(void)a;
	given[ngiven].base = (uintptr_t)base;
	given[ngiven++].len = len;
	return 0;
}

static struct uk_alloc *fake_init(void *base, size_t len)
{
	fake.ops.addmem = fake_addmem;
	fake_addmem(&fake, base, len);
	return &fake;
}

static uintptr_t res_base;
static size_t res_len;
int uk_alloc_boot_reserve(uintptr_t *base, size_t *len)
{
	*base = res_base;
	*len = res_len;
	return res_len != 0;
}

static void test_reserve(void **state)
{
	(void)state;
	/* 4-8 MiB out of the first FREE region */
	res_base = 0x400000;
	res_len = 0x400000;
	assert_int_equal(uk_alloc_boot_heap(fake_init), 0);
	assert_int_equal(ngiven, 3);
	assert_int_equal(given[0].base, 0x200000);
	assert_int_equal(given[0].len, 0x200000);
	assert_int_equal(given[1].base, 0x800000);
	assert_int_equal(given[1].len, 0x800000);
	assert_int_equal(given[2].base, 0x2000000);
	assert_int_equal(given[2].len, 0x400000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
