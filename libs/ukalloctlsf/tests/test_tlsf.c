/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native tests of ukalloctlsf, through the ukalloc wrappers (uk_malloc ...)
 * so that the statistics are checked too: a randomized run against a shadow
 * model, every alignment, out of memory, pages, edge cases, addmem, init cost.
 * Heaps are host buffers filled with random bytes.
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
#include <uk/alloctlsf.h>

#define BK_NAME	       "tlsf"
#define BK_INIT	       uk_alloctlsf_init
#define BK_CHECK       uk_alloctlsf_check
#define BK_RECLAIMS    1
#define BK_EXACT_PAGES 0
#define BK_MIN_LEN     UK_ALLOCTLSF_MIN_LEN
#define BK_MIN_ADDMEM  UK_ALLOCTLSF_MIN_ADDMEM

/* The tests every backend must pass (randomized shadow-model run, every
 * alignment, out of memory, pages, edge cases, addmem, init cost), written
 * once in ukalloc and parameterized by the BK_* macros above. */
#include <uk/alloc_conformance.h>

/* Per-block overhead: one size_t, sizes rounded so payloads stay 16-aligned;
 * blocks cut from one free block lie back to back. */
static void test_overhead(void **state)
{
	const size_t len = 1 << 20;
	void *heap = host_heap(len);
	struct uk_alloc *a = uk_alloctlsf_init(heap, len);
	char *prev = NULL;
	size_t prev_usable = 0, avail0;

	(void)state;
	assert_non_null(a);
	avail0 = uk_alloc_availmem(a);
	for (size_t size = 1; size <= 200; size++) {
		size_t before = uk_alloc_availmem(a);
		char *p = uk_malloc(a, size);
		size_t want = ((size + 8 + 15) & ~(size_t)15) - 8;

		assert_non_null(p);
		want = want < 24 ? 24 : want;
		assert_int_equal(uk_usable_size(a, p), want);
		/* what the block costs: its usable bytes and one size_t */
		assert_int_equal(before - uk_alloc_availmem(a), want + 8);
		if (prev)
			assert_int_equal(p - prev, prev_usable + 8);
		prev = p;
		prev_usable = uk_usable_size(a, p);
	}
	print_message("  malloc(1) uses 32 bytes (24 usable), malloc(24) 32, "
		      "malloc(25) 48: 8 bytes + rounding to 16 per block\n");
	/* in-place growth into the free space after the last block, and
	 * in-place shrinking */
	char *q = uk_realloc(a, prev, 5000);
	assert_ptr_equal(q, prev);
	q = uk_realloc(a, q, 100);
	assert_ptr_equal(q, prev);
	assert_int_equal(uk_usable_size(a, q), 104);
	assert_true(uk_alloctlsf_check(a) >= 0);
	/* a memalign gap becomes a free block that malloc can use */
	char *x = uk_memalign(a, 4096, 64);
	assert_int_equal((uintptr_t)x % 4096, 0);
	assert_true(uk_alloctlsf_check(a) >= 2);
	uk_free(a, x);
	uk_free(a, q);
	assert_true(uk_alloc_availmem(a) < avail0);
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
