/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukalloc's conformance tests for allocator backends: native cmocka tests
 * that drive a backend through the uk_* wrappers, so that the statistics are
 * checked too. Not a library header: a backend's test file defines
 *   BK_NAME "tlsf"                   the allocator's name
 *   BK_INIT uk_alloctlsf_init        its constructor
 *   BK_CHECK uk_alloctlsf_check      a full heap walk: free blocks, or < 0
 *   BK_RECLAIMS 1                    whether free() gives memory back
 *   BK_EXACT_PAGES 0                 whether palloc(n) takes exactly n pages
 *   BK_MIN_LEN, BK_MIN_ADDMEM        the smallest heap / added region
 * then includes this file (after <cmocka.h> and the host's libc headers) and
 * lists the test_* functions it wants in its main().
 */
#ifndef UK_ALLOC_CONFORMANCE_H
#define UK_ALLOC_CONFORMANCE_H

/*
 * The randomized test runs 3 seeds of OPS_PER_SEED operations each:
 * 1,050,000 in all. The ASan+UBSan build (the -asan-ubsan twin) runs the same
 * count: in a default (-O0) build the whole test takes about 2 s plain and
 * 3-5 s sanitized, well under its minute, so nothing is scaled down (if it
 * ever had to be, divide OPS_PER_SEED under __SANITIZE_ADDRESS__ here).
 */
#define OPS_PER_SEED 350000
#define SLOTS	     2048
#define CHECK_EVERY  4096
#define PAGE	     4096

/* ---- host memory for heaps: random garbage, so that nothing relies on
 * zeroed memory ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t rnd_below(size_t n)
{
	return (size_t)(rnd() % n);
}

/* 1 B to 64 KiB, mostly small */
static size_t rnd_size(void)
{
	size_t r = rnd_below(100);

	if (r < 60)
		return 1 + rnd_below(128);
	if (r < 85)
		return 129 + rnd_below(896);
	if (r < 97)
		return 1025 + rnd_below(7168);
	return 8193 + rnd_below(65536 - 8192);
}

static void *host_heap(size_t len)
{
	unsigned char *p = NULL;
	uint64_t s = rng_state;

	assert_int_equal(posix_memalign((void **)&p, PAGE, len), 0);
	rng_state = 0x5eed ^ len;
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t v = rnd();
		memcpy(p + i, &v, 8);
	}
	rng_state = s;
	return p;
}

/* ---- byte patterns: 64-bit word j of block `id` is h(id) + j * K ---- */

#define PAT_K 0x9e3779b97f4a7c15ull

static uint64_t pat_seed(uint32_t id)
{
	uint64_t h = id * 0xbf58476d1ce4e5b9ull;

	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 29);
}

static unsigned char pat_byte(uint64_t h, size_t i)
{
	uint64_t w = h + (uint64_t)(i / 8) * PAT_K;
	unsigned char b[8];

	memcpy(b, &w, 8);
	return b[i % 8];
}

static void fill(void *p, size_t n, uint32_t id)
{
	uint64_t h = pat_seed(id), *w = p;
	unsigned char *c = p;
	size_t nw = n / 8;

	for (size_t j = 0; j < nw; j++)
		w[j] = h + j * PAT_K;
	for (size_t i = nw * 8; i < n; i++)
		c[i] = pat_byte(h, i);
}

/* Do the first n bytes at p (8-aligned) hold block id's pattern? */
static int pattern_ok(const void *p, size_t n, uint32_t id)
{
	uint64_t h = pat_seed(id), acc = 0;
	const uint64_t *w = p;
	const unsigned char *c = p;
	size_t nw = n / 8;

	for (size_t j = 0; j < nw; j++)
		acc |= w[j] ^ (h + j * PAT_K);
	for (size_t i = nw * 8; i < n; i++)
		acc |= c[i] ^ pat_byte(h, i);
	return acc == 0;
}

static const unsigned char zeros[65536 + 64];

static int all_zero(const void *p, size_t n)
{
	assert_true(n <= sizeof(zeros));
	return !memcmp(p, zeros, n);
}

/* ---- the shadow model ---- */

struct blk {
	unsigned char *p; /* NULL: slot empty */
	size_t size;	  /* bytes asked for */
	size_t usable;	  /* uk_usable_size() at allocation */
	size_t pages;	  /* > 0: from uk_palloc */
	uint32_t id;
};

struct model {
	struct uk_alloc *a;
	void *base;
	size_t len;
	struct blk *slot;
	size_t nslots, live;
	uint64_t allocs, frees, failures;
	size_t cur, peak, pages;
	uint32_t next_id;
	size_t avail0;	/* availmem() right after init */
	size_t avail;	/* availmem() after the last operation */
	uintptr_t bump; /* non-reclaiming: every new block lies above this */
	size_t handed;	/* bytes of all blocks handed out so far */
	unsigned long ops, restarts;
	uint64_t all_allocs, all_frees, all_failures; /* over restarts */
};

static void model_init(struct model *m, void *base, size_t len, size_t nslots)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->len = len;
	m->a = BK_INIT(base, len);
	assert_non_null(m->a);
	assert_string_equal(m->a->name, BK_NAME);
	m->slot = calloc(nslots, sizeof(*m->slot));
	assert_non_null(m->slot);
	m->nslots = nslots;
	m->avail0 = m->avail = uk_alloc_availmem(m->a);
	m->next_id = 1;
}

#if !BK_RECLAIMS
/* A new allocator on the same memory, all blocks freed before. */
static void model_restart(struct model *m)
{
	m->a = BK_INIT(m->base, m->len);
	assert_non_null(m->a);
	m->all_allocs += m->allocs;
	m->all_frees += m->frees;
	m->all_failures += m->failures;
	m->allocs = m->frees = m->failures = 0;
	m->cur = m->peak = m->pages = 0;
	m->avail0 = m->avail = uk_alloc_availmem(m->a);
	m->bump = 0;
	m->restarts++;
}
#endif

static void expect_stats(const struct model *m)
{
	struct uk_alloc_stats s;

	uk_alloc_stats_get(m->a, &s);
	assert_int_equal(s.nb_allocs, m->allocs);
	assert_int_equal(s.nb_frees, m->frees);
	assert_int_equal(s.nb_failures, m->failures);
	assert_int_equal(s.cur_bytes, m->cur);
	assert_int_equal(s.peak_bytes, m->peak);
	assert_int_equal(s.cur_pages, m->pages);
}

static size_t blk_bytes(const struct blk *b)
{
	return b->pages ? b->pages * PAGE : b->usable;
}

static void verify(const struct model *m, const struct blk *b)
{
	assert_true(pattern_ok(b->p, blk_bytes(b), b->id));
	if (!b->pages)
		assert_int_equal(uk_usable_size(m->a, b->p), b->usable);
}

/* After a successful allocation of b: what every backend must give. */
static void accept_block(struct model *m, struct blk *b, size_t align)
{
	uintptr_t p = (uintptr_t)b->p;

	if (align < 16)
		align = 16;
	assert_int_equal(p % align, 0);
	assert_true(p >= (uintptr_t)m->base &&
		    p + blk_bytes(b) <= (uintptr_t)m->base + m->len);
#if !BK_RECLAIMS
	/* a bump allocator never goes back: no overlap with anything */
	assert_true(p >= m->bump);
	m->bump = p + blk_bytes(b);
#endif
	b->id = m->next_id++;
	fill(b->p, blk_bytes(b), b->id);
	m->handed += blk_bytes(b);
	m->live++;
}

static void note_alloc(struct model *m, struct blk *b, void *p, size_t size,
		       size_t align)
{
	if (!p) {
		m->failures++;
		return;
	}
	b->p = p;
	b->size = size;
	b->pages = 0;
	b->usable = uk_usable_size(m->a, p);
	assert_true(b->usable >= size);
	m->allocs++;
	m->cur += b->usable;
	if (m->cur > m->peak)
		m->peak = m->cur;
	accept_block(m, b, align);
}

static void do_malloc(struct model *m, struct blk *b, size_t size)
{
	note_alloc(m, b, uk_malloc(m->a, size), size, 16);
}

static void do_calloc(struct model *m, struct blk *b, size_t size)
{
	size_t n = 1 + rnd_below(4), each = (size + n - 1) / n;
	void *p = uk_calloc(m->a, n, each);

	if (p)
		assert_true(all_zero(p, n * each));
	note_alloc(m, b, p, n * each, 16);
}

static void do_memalign(struct model *m, struct blk *b, size_t size)
{
	size_t align = (size_t)1 << rnd_below(13); /* 1 .. 4096 */
	void *p = NULL;

	if (align >= sizeof(void *) && rnd_below(2)) {
		int rc = uk_posix_memalign(m->a, &p, align, size);

		assert_true(rc == 0 || (rc == -ENOMEM && !p));
	} else {
		p = uk_memalign(m->a, align, size);
	}
	note_alloc(m, b, p, size, align);
}

static void do_palloc(struct model *m, struct blk *b)
{
	size_t n = 1 + rnd_below(16);
	void *p = uk_palloc(m->a, n);

	if (!p) {
		m->failures++;
		return;
	}
	b->p = p;
	b->size = n * PAGE;
	b->usable = 0;
	b->pages = n;
	m->pages += n;
	accept_block(m, b, PAGE);
}

static void do_free(struct model *m, struct blk *b)
{
	verify(m, b);
	if (b->pages) {
		uk_pfree(m->a, b->p, b->pages);
		m->pages -= b->pages;
	} else {
		uk_free(m->a, b->p);
		m->frees++;
		m->cur -= b->usable;
	}
	b->p = NULL;
	m->live--;
}

static void do_realloc(struct model *m, struct blk *b, size_t size)
{
	size_t old = b->usable;
	void *q;

	verify(m, b);
	q = uk_realloc(m->a, b->p, size);
	if (!q) {
		m->failures++;
		verify(m, b); /* the old block is still intact */
		return;
	}
	size_t nu = uk_usable_size(m->a, q);
	assert_true(nu >= size);
	assert_int_equal((uintptr_t)q % 16, 0);
	assert_true(pattern_ok(q, b->size < size ? b->size : size, b->id));
	if (m->a->ops.realloc) {
		/* the backend's realloc: one block replaces the other */
		m->cur = m->cur - old + nu;
		if (m->cur > m->peak)
			m->peak = m->cur;
	} else if (q != b->p) {
		/* the wrapper's: both blocks are live for a moment */
		m->cur += nu;
		if (m->cur > m->peak)
			m->peak = m->cur;
		m->cur -= old;
	} else {
		assert_int_equal(nu, old);
	}
#if !BK_RECLAIMS
	if (q != b->p) {
		assert_true((uintptr_t)q >= m->bump);
		m->bump = (uintptr_t)q + nu;
	}
#endif
	if (q != b->p)
		m->handed += nu;
	b->p = q;
	b->size = size;
	b->usable = nu;
	b->id = m->next_id++;
	fill(q, nu, b->id);
}

static void check_everything(struct model *m)
{
	size_t sum = 0, live = 0;

	for (size_t i = 0; i < m->nslots; i++) {
		struct blk *b = &m->slot[i];

		if (!b->p)
			continue;
		verify(m, b);
		live++;
		if (!b->pages)
			sum += b->usable;
	}
	assert_int_equal(live, m->live);
	assert_int_equal(sum, m->cur);
	expect_stats(m);
	assert_true(BK_CHECK(m->a) >= 0);
}

static void free_everything(struct model *m)
{
	for (size_t i = 0; i < m->nslots; i++)
		if (m->slot[i].p)
			do_free(m, &m->slot[i]);
	assert_int_equal(m->live, 0);
	assert_int_equal(m->cur, 0);
	expect_stats(m);
}

static void model_done(struct model *m)
{
	free(m->slot);
	m->slot = NULL;
}

/* One random operation on a random slot. */
static void random_op(struct model *m)
{
	struct blk *b = &m->slot[rnd_below(m->nslots)];
	size_t r = rnd_below(100);

	if (!b->p) {
		size_t size = rnd_size();

		if (r < 52)
			do_malloc(m, b, size);
		else if (r < 70)
			do_calloc(m, b, size);
		else if (r < 88)
			do_memalign(m, b, size);
		else if (r < 97)
			note_alloc(m, b, uk_realloc(m->a, NULL, size), size,
				   16);
		else
			do_palloc(m, b);
	} else if (b->pages || r < 50) {
		do_free(m, b);
	} else if (r < 96) {
		/* shrink to a random smaller size, or grow to a random one */
		size_t size = rnd_below(2) && b->size > 1
				      ? 1 + rnd_below(b->size - 1)
				      : rnd_size();
		do_realloc(m, b, size);
	} else {
		/* realloc(p, 0) frees */
		verify(m, b);
		assert_null(uk_realloc(m->a, b->p, 0));
		m->frees++;
		m->cur -= b->usable;
		b->p = NULL;
		m->live--;
	}
	m->ops++;
}

static void random_run(uint64_t seed, size_t heap_len, unsigned long nops)
{
	struct model m;
	void *heap = host_heap(heap_len);
	long nfree0;

	model_init(&m, heap, heap_len, SLOTS);
	nfree0 = BK_CHECK(m.a);
	assert_true(nfree0 >= 0);
	rng_state = seed;
	for (unsigned long i = 0; i < nops; i++) {
		size_t handed = m.handed;

		random_op(&m);
		expect_stats(&m);
		size_t avail = uk_alloc_availmem(m.a);
#if !BK_RECLAIMS
		/* never grows, and shrinks by at least what was handed out */
		assert_true(avail <= m.avail);
		assert_true(m.avail - avail >= m.handed - handed);
#else
		(void)handed;
#endif
		m.avail = avail;
		if (i % CHECK_EVERY == CHECK_EVERY - 1)
			check_everything(&m);
#if !BK_RECLAIMS
		/* Region never reclaims: when the heap runs low, free
		 * everything (which gives nothing back) and start a new
		 * allocator on the same memory. */
		if (avail < heap_len / 64) {
			check_everything(&m);
			free_everything(&m);
			assert_int_equal(uk_alloc_availmem(m.a), avail);
			model_restart(&m);
		}
#endif
	}
	check_everything(&m);
	struct uk_alloc_stats s;
	uk_alloc_stats_get(m.a, &s);
	print_message("  seed %#llx, %zu KiB heap: %lu ops, %llu allocs, "
		      "%llu frees, %llu failures, peak %zu KiB, %lu restarts\n",
		      (unsigned long long)seed, heap_len >> 10, m.ops,
		      (unsigned long long)(m.all_allocs + m.allocs),
		      (unsigned long long)(m.all_frees + m.frees),
		      (unsigned long long)(m.all_failures + m.failures),
		      m.peak >> 10, m.restarts);
	free_everything(&m);
#if BK_RECLAIMS
	/* everything back, and merged back into the blocks init made */
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
	assert_int_equal(BK_CHECK(m.a), nfree0);
#endif
	model_done(&m);
	free(heap);
}

static unsigned long total_random_ops;

static void test_random(void **state)
{
	(void)state;
	static const struct {
		uint64_t seed;
		size_t heap;
	} runs[] = {
		{0x1234, 64 << 20},
		{0xbeef, 64 << 20},
		/* a small heap: many allocations fail */
		{0xc0ffee, 2 << 20},
	};

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		random_run(runs[i].seed, runs[i].heap, OPS_PER_SEED);
		total_random_ops += OPS_PER_SEED;
	}
	print_message("  %lu random operations in total\n", total_random_ops);
}

/* Every alignment from 1 to 4096, several sizes each. */
static void test_alignments(void **state)
{
	static const size_t sizes[] = {1, 7, 16, 33, 100, 1000, 5000};
	const size_t len = 16 << 20;
	struct model m;
	void *heap = host_heap(len);
	size_t n = 0;

	(void)state;
	model_init(&m, heap, len, 2 * 13 * 7);
	for (size_t align = 1; align <= 4096; align++) {
		int pow2 = !(align & (align - 1));

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct blk *b = &m.slot[n];
			void *p = uk_memalign(m.a, align, sizes[i]);

			if (!pow2) {
				assert_null(p);
				m.failures++;
				expect_stats(&m);
			} else {
				assert_non_null(p);
				note_alloc(&m, b, p, sizes[i], align);
				expect_stats(&m);
				n++;
			}
			p = (void *)&m;
			int rc = uk_posix_memalign(m.a, &p, align, sizes[i]);
			if (!pow2 || align % sizeof(void *)) {
				assert_int_equal(rc, -EINVAL);
				assert_ptr_equal(p, &m); /* untouched */
				/* (this failure may or may not be counted:
				 * resync) */
				struct uk_alloc_stats s;
				uk_alloc_stats_get(m.a, &s);
				assert_true(s.nb_failures == m.failures ||
					    s.nb_failures == m.failures + 1);
				m.failures = s.nb_failures;
			} else {
				assert_int_equal(rc, 0);
				note_alloc(&m, &m.slot[n], p, sizes[i], align);
				n++;
			}
			expect_stats(&m);
		}
	}
	assert_int_equal(n, 2 * 13 * 7 - 3 * 7); /* posix: not 1, 2, 4 */
	check_everything(&m);
	free_everything(&m);
#if BK_RECLAIMS
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
#endif
	assert_true(BK_CHECK(m.a) >= 0);
	model_done(&m);
	free(heap);
}

static int cmp_ptr(const void *x, const void *y)
{
	const struct blk *a = x, *b = y;

	return a->p < b->p ? -1 : a->p > b->p;
}

/* Allocate until NULL, free everything, do it again. */
static void test_oom(void **state)
{
	const size_t len = 8 << 20;
	const size_t cap = len / 16;
	struct model m;
	void *heap = host_heap(len);
	size_t *sizes = malloc(cap * sizeof(*sizes)), n1, n2;

	(void)state;
	assert_non_null(sizes);
	rng_state = 77;
	for (size_t i = 0; i < cap; i++)
		sizes[i] = rnd_size();
	model_init(&m, heap, len, cap);
	for (n1 = 0; n1 < cap; n1++) {
		do_malloc(&m, &m.slot[n1], sizes[n1]);
		if (!m.slot[n1].p)
			break;
	}
	assert_true(n1 < cap); /* NULL came */
	assert_int_equal(m.failures, 1);
	/* exhausted: more NULLs, the heap stays consistent */
	assert_null(uk_malloc(m.a, sizes[n1]));
	assert_null(uk_memalign(m.a, 4096, 65536));
	assert_null(uk_palloc(m.a, 64));
	assert_null(uk_calloc(m.a, 1, sizes[n1]));
	m.failures += 4;
	check_everything(&m);
	size_t low = uk_alloc_availmem(m.a);
	print_message("  %zu blocks fit in %zu KiB (%zu bytes left)\n", n1,
		      len >> 10, low);

	/* no two blocks overlap */
	struct blk *sorted = malloc(n1 * sizeof(*sorted));
	assert_non_null(sorted);
	memcpy(sorted, m.slot, n1 * sizeof(*sorted));
	qsort(sorted, n1, sizeof(*sorted), cmp_ptr);
	for (size_t i = 1; i < n1; i++)
		assert_true(sorted[i - 1].p + sorted[i - 1].usable <=
			    sorted[i].p);
	free(sorted);

	/* free in random order */
	for (size_t i = n1; i > 1; i--) {
		size_t j = rnd_below(i);
		struct blk t = m.slot[i - 1];

		m.slot[i - 1] = m.slot[j];
		m.slot[j] = t;
	}
	free_everything(&m);
#if BK_RECLAIMS
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
	for (n2 = 0; n2 < cap; n2++) {
		do_malloc(&m, &m.slot[n2], sizes[n2]);
		if (!m.slot[n2].p)
			break;
	}
	assert_int_equal(n2, n1); /* the same blocks fit again */
	check_everything(&m);
	free_everything(&m);
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
#else
	/* Not applicable: region never reclaims, so nothing fits again. */
	(void)n2;
	assert_int_equal(uk_alloc_availmem(m.a), low);
	assert_null(uk_malloc(m.a, sizes[n1]));
	m.failures++;
	expect_stats(&m);
#endif
	model_done(&m);
	free(sizes);
	free(heap);
}

#if !BK_EXACT_PAGES
static size_t pow2_ceil(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}
#endif

/* Pages: alignment, no overlap with malloc blocks, counts, waste. */
static void test_pages(void **state)
{
	const size_t len = 32 << 20;
	static const size_t big[] = {1000, 1025, 255, 257};
	struct model m;
	void *heap = host_heap(len);
	size_t n = 0, total = 0;

	(void)state;
	rng_state = 99;
	model_init(&m, heap, len, 2 * (64 + 4));
	for (size_t i = 1; i <= 64 + 4; i++) {
		size_t np = i <= 64 ? i : big[i - 65];
		size_t before = uk_alloc_availmem(m.a), used;
		struct blk *b = &m.slot[n++];

		b->p = uk_palloc(m.a, np);
		assert_non_null(b->p);
		b->pages = np;
		b->usable = 0;
		m.pages += np;
		total += np;
		accept_block(&m, b, PAGE);
		used = before - uk_alloc_availmem(m.a);
		assert_true(used >= np * PAGE);
#if BK_EXACT_PAGES
		assert_int_equal(used, np * PAGE); /* nothing wasted */
#else
		assert_true(used <= pow2_ceil(np) * PAGE + 2 * PAGE);
#endif
		do_malloc(&m, &m.slot[n++], rnd_size());
		expect_stats(&m);
	}
	assert_int_equal(m.pages, total);
	/* no overlap between any two blocks */
	struct blk *sorted = malloc(n * sizeof(*sorted));
	assert_non_null(sorted);
	memcpy(sorted, m.slot, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		assert_true(sorted[i - 1].p + blk_bytes(&sorted[i - 1]) <=
			    sorted[i].p);
	free(sorted);
	check_everything(&m);
	/* free pages first, every other one, then the rest */
	for (size_t i = 0; i < n; i += 4)
		do_free(&m, &m.slot[i]);
	check_everything(&m);
	free_everything(&m);
	assert_int_equal(m.pages, 0);
#if BK_RECLAIMS
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
	/* single pages until NULL: they must use the memory well */
	size_t count = 0, avail = uk_alloc_availmem(m.a);
	void **pg = malloc((len / PAGE) * sizeof(*pg));
	assert_non_null(pg);
	while (count < len / PAGE && (pg[count] = uk_palloc(m.a, 1))) {
		assert_int_equal((uintptr_t)pg[count] % PAGE, 0);
		count++;
	}
	assert_true(count < len / PAGE);
	print_message("  %zu single pages from %zu KiB free\n", count,
		      avail >> 10);
#if BK_EXACT_PAGES
	assert_true(count * PAGE + 2 * PAGE >= avail);
#else
	assert_true(count * PAGE * 2 + 2 * PAGE >= avail);
#endif
	struct uk_alloc_stats s;
	uk_alloc_stats_get(m.a, &s);
	assert_int_equal(s.cur_pages, count);
	assert_int_equal(s.nb_failures, m.failures + 1);
	m.failures++;
	for (size_t i = 0; i < count; i += 2)
		uk_pfree(m.a, pg[i], 1);
	for (size_t i = count - 1 - (count % 2 == 0 ? 0 : 1); i < count; i -= 2)
		uk_pfree(m.a, pg[i], 1);
	free(pg);
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);
#endif
	assert_true(BK_CHECK(m.a) >= 0);
	model_done(&m);
	free(heap);
}

/* malloc(0), free(NULL), realloc corner cases, sizes that cannot be. */
static void test_edges(void **state)
{
	const size_t len = 4 << 20;
	struct model m;
	void *heap = host_heap(len), *p, *q;
	struct blk *b;

	(void)state;
	model_init(&m, heap, len, 16);

	/* malloc(0): a real, unique block */
	b = &m.slot[0];
	do_malloc(&m, b, 0);
	assert_non_null(b->p);
	do_malloc(&m, &m.slot[1], 0);
	assert_ptr_not_equal(m.slot[1].p, b->p);
	uk_free(m.a, NULL);
	expect_stats(&m);
	assert_int_equal(uk_usable_size(m.a, NULL), 0);

	/* realloc(NULL, n) is malloc, realloc(p, 0) is free */
	b = &m.slot[2];
	note_alloc(&m, b, uk_realloc(m.a, NULL, 100), 100, 16);
	assert_non_null(b->p);
	expect_stats(&m);
	assert_null(uk_realloc(m.a, b->p, 0));
	m.frees++;
	m.cur -= b->usable;
	b->p = NULL;
	m.live--;
	expect_stats(&m);

	/* huge sizes: NULL, counted, nothing changes */
	do_malloc(&m, &m.slot[3], 1000);
	size_t avail = uk_alloc_availmem(m.a);
	static const size_t huge[] = {SIZE_MAX,
				      SIZE_MAX - 8,
				      SIZE_MAX - 4096,
				      SIZE_MAX / 2,
				      SIZE_MAX / 2 + 1,
				      (size_t)1 << 40,
				      ((size_t)1 << 40) + 1,
				      (size_t)4 << 20,
				      ((size_t)4 << 20) + 1};
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		assert_null(uk_malloc(m.a, huge[i]));
		assert_null(uk_calloc(m.a, 1, huge[i]));
		assert_null(uk_memalign(m.a, 64, huge[i]));
		assert_null(uk_memalign(m.a, 4096, huge[i]));
		assert_null(uk_realloc(m.a, m.slot[3].p, huge[i]));
		m.failures += 5;
		expect_stats(&m);
		verify(&m, &m.slot[3]);
	}
	assert_null(uk_calloc(m.a, SIZE_MAX / 2, 3));
	assert_null(uk_calloc(m.a, (size_t)1 << 32, (size_t)1 << 32));
	assert_null(uk_memalign(m.a, (size_t)1 << 62, 1));
	assert_null(uk_memalign(m.a, (size_t)1 << 63, 1));
	assert_null(uk_memalign(m.a, (size_t)1 << 40, 16));
	assert_null(uk_memalign(m.a, (size_t)1 << 24, 16)); /* > heap */
	m.failures += 6;
	p = &m;
	assert_int_equal(uk_posix_memalign(m.a, &p, (size_t)1 << 62, 1),
			 -ENOMEM);
	assert_ptr_equal(p, &m);
	m.failures++;
	assert_null(uk_palloc(m.a, SIZE_MAX));
	assert_null(uk_palloc(m.a, SIZE_MAX / PAGE));
	assert_null(uk_palloc(m.a, (size_t)1 << 28));
	assert_null(uk_palloc(m.a, (len / PAGE) + 1));
	assert_null(uk_palloc(m.a, 0));
	m.failures += 5;
	expect_stats(&m);
	assert_int_equal(uk_alloc_availmem(m.a), avail);
	check_everything(&m);

	/* realloc within the block and beyond it keeps the contents */
	b = &m.slot[3];
	do_realloc(&m, b, 1);
	do_realloc(&m, b, 3000);
	do_realloc(&m, b, 2999);
	do_realloc(&m, b, 100000);
	do_realloc(&m, b, 10);
	expect_stats(&m);
	check_everything(&m);

	/* constructors refuse what they cannot use */
	assert_null(BK_INIT(NULL, len));
	assert_null(BK_INIT(heap, BK_MIN_LEN - 1));
	assert_null(BK_INIT(heap, 0));
	assert_null(BK_INIT((void *)((uintptr_t)-1 - 8192), 8192));
	assert_null(BK_INIT(heap, SIZE_MAX));
	/* the smallest heap, at an odd address */
	q = host_heap(BK_MIN_LEN + 8);
	struct uk_alloc *t = BK_INIT((char *)q + 3, BK_MIN_LEN);
	assert_non_null(t);
	assert_true(uk_alloc_availmem(t) > 0);
	p = uk_malloc(t, 8);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_true((char *)p > (char *)q + 3 &&
		    (char *)p + 8 <= (char *)q + 3 + BK_MIN_LEN);
	uk_free(t, p);
	free(q);

	free_everything(&m);
	model_done(&m);
	free(heap);
}

/* A second (and third) disjoint region: both get used. */
static void test_addmem(void **state)
{
	const size_t len = 2 << 20, len2 = 4 << 20;
	struct model m;
	unsigned char *heap = host_heap(len), *heap2 = host_heap(len2);
	size_t n = 0, in1 = 0, in2 = 0, avail;

	(void)state;
	model_init(&m, heap, len, 4096);
	/* refused: overlapping, too small, wrapping */
	assert_int_equal(uk_alloc_addmem(m.a, heap + 4096, 65536), -EINVAL);
	assert_int_equal(uk_alloc_addmem(m.a, heap - 4096, 8192), -EINVAL);
	assert_int_equal(uk_alloc_addmem(m.a, heap2, BK_MIN_ADDMEM - 1),
			 -EINVAL);
	assert_int_equal(uk_alloc_addmem(m.a, NULL, 65536), -EINVAL);
	assert_int_equal(
		uk_alloc_addmem(m.a, (void *)((uintptr_t)-1 - 8192), 8192),
		-EINVAL);
	assert_int_equal(uk_alloc_addmem(m.a, heap2, SIZE_MAX), -EINVAL);
	assert_int_equal(uk_alloc_availmem(m.a), m.avail0);

	assert_int_equal(uk_alloc_addmem(m.a, heap2, len2), 0);
	avail = uk_alloc_availmem(m.a);
	assert_true(avail > m.avail0 + len2 - len2 / 32);
	assert_int_equal(uk_alloc_addmem(m.a, heap2 + 100, 4096), -EINVAL);
	/* the model checks blocks against [base, base + len): widen it */
	m.base = heap < heap2 ? (void *)heap : (void *)heap2;
	m.len = (heap < heap2 ? heap2 + len2 - heap : heap + len - heap2);
	m.bump = 0;
	for (n = 0; n < m.nslots; n++) {
		struct blk *b = &m.slot[n];

		do_malloc(&m, b, 4000);
		if (!b->p)
			break;
#if !BK_RECLAIMS
		m.bump = 0; /* two regions: addresses may go down once */
#endif
		if (b->p >= heap && b->p < heap + len)
			in1++;
		else if (b->p >= heap2 && b->p < heap2 + len2)
			in2++;
		else
			fail_msg("block %p in neither region", (void *)b->p);
	}
	assert_true(n < m.nslots);
	/* both regions are used up (to less than a block each) */
	assert_true(uk_alloc_availmem(m.a) < 65536);
	print_message("  %zu blocks in the first region, %zu in the second\n",
		      in1, in2);
	assert_true(in1 > 0 && in2 > 0);
	assert_true(in1 * 4000 > len / 2 && in2 * 4000 > len2 / 2);
	check_everything(&m);
	free_everything(&m);
#if BK_RECLAIMS
	assert_int_equal(uk_alloc_availmem(m.a), avail);
	/* a third region, smaller */
	unsigned char *heap3 = host_heap(65536);
	assert_int_equal(uk_alloc_addmem(m.a, heap3 + 5, 65536 - 5), 0);
	m.base = NULL; /* anywhere */
	m.len = SIZE_MAX;
	assert_true(uk_alloc_availmem(m.a) > avail + 32768);
	do_malloc(&m, &m.slot[0], 40000);
	do_malloc(&m, &m.slot[1], 40000);
	check_everything(&m);
	free_everything(&m);
	assert_true(BK_CHECK(m.a) >= 0);
	free(heap3);
#else
	/* a bump allocator keeps a handful of regions */
	unsigned char *more[UK_ALLOCREGION_MAX_REGIONS];
	for (size_t i = 0; i < UK_ALLOCREGION_MAX_REGIONS; i++) {
		more[i] = host_heap(4096);
		assert_int_equal(uk_alloc_addmem(m.a, more[i], 4096),
				 i + 2 < UK_ALLOCREGION_MAX_REGIONS ? 0
								    : -ENOSPC);
	}
	for (size_t i = 0; i < UK_ALLOCREGION_MAX_REGIONS; i++)
		free(more[i]);
#endif
	model_done(&m);
	free(heap);
	free(heap2);
}

static size_t resident_pages(void *p, size_t len)
{
	size_t n = len / (size_t)sysconf(_SC_PAGESIZE), count = 0;
	unsigned char *vec = malloc(n);

	assert_non_null(vec);
	assert_int_equal(mincore(p, len, vec), 0);
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	free(vec);
	return count;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Initialisation must not depend on the heap size nor touch the heap. */
static void test_init_cost(void **state)
{
	static const size_t lens[] = {(size_t)16 << 20, (size_t)1 << 30};
	double t[2];

	(void)state;
	for (int i = 0; i < 2; i++) {
		size_t len = lens[i];
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);
		assert_true(p != MAP_FAILED);
		double t0 = now_ns();
		struct uk_alloc *a = BK_INIT((char *)p + 24, len - 24);
		t[i] = now_ns() - t0;
		assert_non_null(a);
		size_t touched = resident_pages(p, len);
		print_message("  %zu MiB heap: init %.0f ns, %zu pages "
			      "touched\n",
			      len >> 20, t[i], touched);
		/* O(log len) headers and bitmap words, never O(len) */
		assert_true(touched <= 64);
		assert_true(uk_alloc_availmem(a) > len - len / 16);
		void *x = uk_malloc(a, 100), *y = uk_palloc(a, 3);
		assert_non_null(x);
		assert_non_null(y);
		uk_free(a, x);
		uk_pfree(a, y, 3);
		assert_true(BK_CHECK(a) >= 0);
		/* warm: the CPU cost alone (informational; the page count
		 * above is the check) */
		double best = 1e18;
		for (int j = 0; j < 200; j++) {
			double t1 = now_ns();
			a = BK_INIT((char *)p + 24, len - 24);
			t1 = now_ns() - t1;
			assert_non_null(a);
			if (t1 < best)
				best = t1;
		}
		print_message("  %zu MiB heap: warm init %.0f ns\n", len >> 20,
			      best);
		munmap(p, len);
	}
}

#endif /* UK_ALLOC_CONFORMANCE_H */
