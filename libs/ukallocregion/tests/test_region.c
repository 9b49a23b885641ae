/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native tests of ukallocregion, through the ukalloc wrappers (uk_malloc ...)
 * so that the statistics are checked too: a randomized run against a shadow
 * model, every alignment, out of memory, pages, edge cases, addmem, init cost.
 * Heaps are host buffers filled with random bytes.
 *
 * Region never reclaims memory, so where the other backends' tests check that
 * everything comes back after free (availmem, the same number of blocks fit
 * again), these check instead that free gives nothing back, that availmem
 * only ever decreases, and by at least what was handed out, and that every
 * new block lies above all earlier ones (no overlap). The randomized run
 * starts a new allocator on the same memory whenever the heap runs low.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/allocregion.h>

#define BK_NAME	       "region"
#define BK_INIT	       uk_allocregion_init
#define BK_CHECK       region_check
#define BK_RECLAIMS    0
#define BK_EXACT_PAGES 0
#define BK_MIN_LEN     UK_ALLOCREGION_MIN_LEN
#define BK_MIN_ADDMEM  UK_ALLOCREGION_MIN_ADDMEM

/* nothing to walk: the shadow model's checks are all there is */
static long region_check(struct uk_alloc *a)
{
	(void)a;
	return 0;
}

/* The tests every backend must pass (randomized shadow-model run, every
 * alignment, out of memory, pages, edge cases, addmem, init cost), written
 * once in ukalloc and parameterized by the BK_* macros above. */
#include <uk/alloc_conformance.h>

/* Per-block overhead: one size_t header, sizes rounded so that the next
 * block is 16-aligned; blocks lie back to back; availmem drops by exactly
 * what a block costs; free gives nothing back. */
static void test_overhead(void **state)
{
	const size_t len = 1 << 20;
	void *heap = host_heap(len);
	struct uk_alloc *a = uk_allocregion_init(heap, len);
	char *prev = NULL;
	size_t prev_usable = 0;

	(void)state;
	assert_non_null(a);
	for (size_t size = 1; size <= 200; size++) {
		size_t before = uk_alloc_availmem(a);
		char *p = uk_malloc(a, size);
		size_t want = ((size + 8 + 15) & ~(size_t)15) - 8;

		assert_non_null(p);
		assert_int_equal(uk_usable_size(a, p), want);
		assert_int_equal(before - uk_alloc_availmem(a), want + 8);
		if (prev)
			assert_int_equal(p - prev, prev_usable + 8);
		prev = p;
		prev_usable = want;
		uk_free(a, p);
		assert_int_equal(before - uk_alloc_availmem(a), want + 8);
	}
	print_message("  malloc(1) uses 16 bytes (8 usable), malloc(8) 16, "
		      "malloc(9) 32: 8 bytes + rounding to 16 per block\n");
	free(heap);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_alignments),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_addmem),
		cmocka_unit_test(test_init_cost),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_overhead),
	};

	return cmocka_run_group_tests_name("uk" BK_NAME, tests, NULL, NULL);
}
