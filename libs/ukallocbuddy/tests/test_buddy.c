/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native tests of ukallocbuddy, through the ukalloc wrappers (uk_malloc ...)
 * so that the statistics are checked too: a randomized run against a shadow
 * model, every alignment, out of memory, pages, edge cases, addmem, init cost.
 * Heaps are host buffers filled with random bytes: the buddy bitmaps are
 * never cleared, so this also checks that no stale bit is ever read.
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
#include <uk/allocbuddy.h>

#define BK_NAME	       "buddy"
#define BK_INIT	       uk_allocbuddy_init
#define BK_CHECK       uk_allocbuddy_check
#define BK_RECLAIMS    1
#define BK_EXACT_PAGES 1
#define BK_MIN_LEN     UK_ALLOCBUDDY_MIN_LEN
#define BK_MIN_ADDMEM  UK_ALLOCBUDDY_MIN_ADDMEM

/* The tests every backend must pass (randomized shadow-model run, every
 * alignment, out of memory, pages, edge cases, addmem, init cost), written
 * once in ukalloc and parameterized by the BK_* macros above. */
#include <uk/alloc_conformance.h>

/* Blocks are powers of two from 32 bytes, aligned to their size; buddies
 * merge; realloc grows into a free buddy and shrinks in place. */
static void test_overhead(void **state)
{
	const size_t len = 1 << 20;
	void *heap = host_heap(len);
	struct uk_alloc *a = uk_allocbuddy_init(heap, len);
	size_t avail0;
	long nfree0;

	(void)state;
	assert_non_null(a);
	avail0 = uk_alloc_availmem(a);
	nfree0 = uk_allocbuddy_check(a);
	assert_true(nfree0 > 0);
	for (size_t size = 1; size <= 5000; size += 7) {
		char *p = uk_malloc(a, size);
		size_t want = 32;

		while (want < size)
			want <<= 1;
		assert_non_null(p);
		assert_int_equal(uk_usable_size(a, p), want);
		assert_int_equal((uintptr_t)p % want, 0);
		assert_int_equal(uk_alloc_availmem(a), avail0 - want);
		uk_free(a, p);
		assert_int_equal(uk_alloc_availmem(a), avail0);
		assert_int_equal(uk_allocbuddy_check(a), nfree0);
	}
	/* grow in place while the upper buddies are free */
	char *p = uk_memalign(a, 4096, 32);
	assert_non_null(p);
	assert_ptr_equal(uk_realloc(a, p, 64), p);
	assert_ptr_equal(uk_realloc(a, p, 4096), p);
	assert_int_equal(uk_usable_size(a, p), 4096);
	/* shrink in place: the upper halves become free blocks */
	assert_ptr_equal(uk_realloc(a, p, 40), p);
	assert_int_equal(uk_usable_size(a, p), 64);
	assert_true(uk_allocbuddy_check(a) >= nfree0 + 5);
	/* the upper buddy taken: realloc must move */
	char *q = uk_malloc(a, 64);
	assert_ptr_equal(q, p + 64);
	memset(p, 0x5a, 64);
	char *r = uk_realloc(a, p, 128);
	assert_ptr_not_equal(r, p);
	char want[64];
	memset(want, 0x5a, sizeof(want));
	assert_memory_equal(r, want, sizeof(want)); /* moved with its bytes */
	uk_free(a, q);
	uk_free(a, r);
	assert_int_equal(uk_alloc_availmem(a), avail0);
	assert_int_equal(uk_allocbuddy_check(a), nfree0);
	/* 3 pages take 3 pages, and come back whole */
	char *pg = uk_palloc(a, 3);
	assert_int_equal(uk_alloc_availmem(a), avail0 - 3 * 4096);
	uk_pfree(a, pg, 3);
	assert_int_equal(uk_alloc_availmem(a), avail0);
	assert_int_equal(uk_allocbuddy_check(a), nfree0);
	print_message("  no header: malloc(32) uses 32 bytes, malloc(33) "
		      "64; bitmaps take 1.2%% of a region\n");
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
