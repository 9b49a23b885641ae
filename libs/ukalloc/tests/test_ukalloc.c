/* Native tests of the ukalloc core: registry, wrapper statistics and
 * argument checks (on a tiny host-malloc backend), and - when built with
 * UK_ALLOC_DEBUG=1 - the debug layer's reports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <malloc.h>
#include <uk/alloc.h>

/* ---- platform doubles (ukdebug reports through them) ---- */
#include <uk/plat_doubles.h>
#include <uk/crash.h>	  /* uk_panic_nesting */
static jmp_buf crash_jmp; /* armed in setup() */

/* ---- a host-malloc backend ---- */
static int fail_next;
static void *h_malloc(struct uk_alloc *a, size_t size)
{
	(void)a;
	if (fail_next) {
		fail_next = 0;
		return NULL;
	}
	return malloc(size);
}
static void *h_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	(void)a;
	void *p = NULL;
	if (fail_next) {
		fail_next = 0;
		return NULL;
	}
	return posix_memalign(&p, align, size) ? NULL : p;
}
static void h_free(struct uk_alloc *a, void *p)
{
	(void)a;
	free(p);
}
static size_t h_usable(struct uk_alloc *a, const void *p)
{
	(void)a;
	return malloc_usable_size((void *)p);
}
static size_t h_avail(const struct uk_alloc *a)
{
	(void)a;
	return 1 << 20;
}

static struct uk_alloc host_a = {
	.name = "host",
	.ops = {.malloc = h_malloc,
		.memalign = h_memalign,
		.free = h_free,
		.usable_size = h_usable,
		.availmem = h_avail},
};
#if UK_ALLOC_DEBUG
/* A bump backend that never gives memory back, so freed blocks stay
 * readable: the debug layer's double-free check can be tested under ASan. */
static _Alignas(4096) unsigned char arena[1 << 16];
static size_t arena_used;
static void *b_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	(void)a;
	size_t at = (arena_used + align - 1) & ~(align - 1);
	if (at + size > sizeof(arena))
		return NULL;
	arena_used = at + size;
	return arena + at;
}
static void *b_malloc(struct uk_alloc *a, size_t size)
{
	return b_memalign(a, 16, size);
}
static void b_free(struct uk_alloc *a, void *p)
{
	(void)a;
	(void)p;
}
static struct uk_alloc bump_a = {
	.name = "bump",
	.ops = {.malloc = b_malloc,
		.memalign = b_memalign,
		.free = b_free,
		.usable_size = h_usable, /* not used in debug builds */
		.availmem = h_avail},
};
#endif

static struct uk_alloc other_a = {.name = "other", .ops = {.malloc = h_malloc}};

static int setup(void **s)
{
	(void)s;
	memset(&host_a.stats, 0, sizeof(host_a.stats));
	plat_out_reset();
	plat_exit_status = 0;
	plat_exit_jmp = &crash_jmp;
	fail_next = 0;
	uk_panic_nesting = 0;
	return 0;
}

static void test_registry(void **s)
{
	(void)s;
	assert_null(uk_alloc_get_default());
	assert_null(uk_alloc_iter(NULL));
	assert_int_equal(uk_alloc_register(&host_a), 0);
	assert_int_equal(uk_alloc_register(&host_a), -EEXIST);
	assert_ptr_equal(uk_alloc_get_default(), &host_a);
	assert_int_equal(uk_alloc_register(&other_a), 0);
	assert_ptr_equal(uk_alloc_get_default(), &host_a); /* first stays */
	assert_ptr_equal(uk_alloc_find("other"), &other_a);
	assert_null(uk_alloc_find("nope"));
	assert_int_equal(uk_alloc_set_default(&other_a), 0);
	assert_ptr_equal(uk_alloc_get_default(), &other_a);
	struct uk_alloc stray = {.name = "stray"};
	assert_int_equal(uk_alloc_set_default(&stray), -ENOENT);
	assert_ptr_equal(uk_alloc_iter(NULL), &host_a);
	assert_ptr_equal(uk_alloc_iter(&host_a), &other_a);
	assert_null(uk_alloc_iter(&other_a));
	assert_int_equal(uk_alloc_set_default(&host_a), 0);
}

static void test_stats(void **s)
{
	(void)s;
	struct uk_alloc_stats st;
	struct uk_alloc *a = &host_a;
	void *p = uk_malloc(a, 100);
	void *q = uk_calloc(a, 10, 10);
	assert_non_null(p);
	assert_non_null(q);
	for (int i = 0; i < 100; i++)
		assert_int_equal(((unsigned char *)q)[i], 0);
	size_t up = uk_usable_size(a, p), uq = uk_usable_size(a, q);
	uk_alloc_stats_get(a, &st);
	assert_int_equal(st.nb_allocs, 2);
	assert_int_equal(st.cur_bytes, up + uq);
	assert_int_equal(st.peak_bytes, up + uq);
	uk_free(a, p);
	uk_free(a, NULL); /* no count */
	uk_alloc_stats_get(a, &st);
	assert_int_equal(st.nb_frees, 1);
	assert_int_equal(st.cur_bytes, uq);
	assert_int_equal(st.peak_bytes, up + uq);

	/* failures: backend NULL, calloc overflow, bad alignments */
	fail_next = 1;
	assert_null(uk_malloc(a, 10));
	assert_null(uk_calloc(a, SIZE_MAX / 2, 3));
	assert_null(uk_memalign(a, 3, 8));
	void *m = (void *)0x1;
	assert_int_equal(uk_posix_memalign(a, &m, 24, 8), -EINVAL);
	assert_int_equal(uk_posix_memalign(a, &m, 2, 8), -EINVAL);
	assert_ptr_equal(m, (void *)0x1);
	fail_next = 1;
	assert_int_equal(uk_posix_memalign(a, &m, 64, 8), -ENOMEM);
	assert_ptr_equal(m, (void *)0x1);
	uk_alloc_stats_get(a, &st);
	assert_int_equal(st.nb_failures, 4);

	/* realloc: NULL, grow with copy, size 0 frees */
	char *r = uk_realloc(a, NULL, 8);
	memcpy(r, "abcdefg", 8);
	r = uk_realloc(a, r, 4000);
	assert_string_equal(r, "abcdefg");
	assert_null(uk_realloc(a, r, 0));
	uk_free(a, q);
	uk_alloc_stats_get(a, &st);
	assert_int_equal(st.cur_bytes, 0);
	assert_int_equal(st.nb_allocs, st.nb_frees);

	/* memalign honours every power of two */
	for (size_t al = 1; al <= 4096; al <<= 1) {
		void *x = uk_memalign(a, al, 33);
		assert_non_null(x);
		assert_int_equal((uintptr_t)x % al, 0);
		uk_free(a, x);
	}
	/* pages */
	void *pg = uk_palloc(a, 3);
	assert_int_equal((uintptr_t)pg % 4096, 0);
	uk_alloc_stats_get(a, &st);
	assert_int_equal(st.cur_pages, 3);
	uk_pfree(a, pg, 3);
	assert_null(uk_palloc(a, 0));
	assert_null(uk_palloc(a, SIZE_MAX / 2));
	assert_int_equal(uk_alloc_addmem(a, NULL, 0), -ENOTSUP);
}

#if UK_ALLOC_DEBUG
static void test_debug_overflow(void **s)
{
	(void)s;
	char *p = uk_malloc(&host_a, 10);
	assert_int_equal(uk_usable_size(&host_a, p), 10);
	p[10] = 'x'; /* one past the end */
	if (!setjmp(crash_jmp)) {
		uk_free(&host_a, p);
		fail_msg("overflow not detected");
	}
	assert_int_equal(plat_exit_status, 124);
	assert_non_null(
		plat_out_find("write past the end of the 10-byte block "
			      "(byte 0 after it changed from 0xca to 0x78)"));
	/* repair the canary: now the block frees cleanly */
	p[10] = (char)0xca;
	uk_panic_nesting = 0;
	uk_free(&host_a, p);
}

static void test_debug_double_free(void **s)
{
	(void)s;
	/* keep the backend from reusing or unmapping it: host free is
	 * real, so hold a second pointer to the raw block via a big size */
	char *p = uk_malloc(&bump_a, 64);
	memset(p, 1, 64);
	uk_free(&bump_a, p);
	if (!setjmp(crash_jmp)) {
		uk_free(&bump_a, p);
		fail_msg("double free not detected");
	}
	assert_int_equal(plat_exit_status, 124);
	assert_non_null(plat_out_find("free of "));
	assert_non_null(plat_out_find(": double free (the 64-byte block was "
				      "freed already)"));
	/* a pointer that never came from the heap */
	static char notheap[128];
	plat_out_reset();
	uk_panic_nesting = 0;
	if (!setjmp(crash_jmp)) {
		uk_free(&bump_a, notheap + 64);
		fail_msg("foreign pointer not detected");
	}
	assert_non_null(plat_out_find("not a live heap block"));
}

static void test_debug_poison(void **s)
{
	(void)s;
	/* poisoning is visible through a backend that does not reuse */
	memset(&bump_a.stats, 0, sizeof(bump_a.stats));
	unsigned char *p = uk_malloc(&bump_a, 32);
	memset(p, 0x11, 32);
	struct uk_alloc_stats st;
	uk_alloc_stats_get(&bump_a, &st);
	assert_int_equal(st.cur_bytes, 32); /* exact in debug builds */
	uk_free(&bump_a, p);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p[i], 0xdb);
	/* aligned debug blocks keep their alignment */
	for (size_t al = 1; al <= 4096; al <<= 1) {
		void *x = uk_memalign(&bump_a, al, 5);
		assert_non_null(x);
		assert_int_equal((uintptr_t)x % al, 0);
		uk_free(&bump_a, x);
	}
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_registry, setup),
		cmocka_unit_test_setup(test_stats, setup),
#if UK_ALLOC_DEBUG
		cmocka_unit_test_setup(test_debug_overflow, setup),
		cmocka_unit_test_setup(test_debug_double_free, setup),
		cmocka_unit_test_setup(test_debug_poison, setup),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
