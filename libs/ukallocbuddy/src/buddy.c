/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocbuddy: binary buddy allocator.
 *
 * Blocks
 *   A block of order k is 2^k bytes (MIN_ORDER <= k <= MAX_ORDER) at an
 *   address that is a multiple of 2^k (the origin is address 0, so the
 *   buddy of block a is a ^ 2^k and a block of order >= 12 is page-aligned).
 *   Each memory region [start, end) is tiled by a binary tree of nodes per
 *   maximal aligned block ("top-level" nodes: the greedy decomposition of
 *   [start, end), at most two per order). A node is free (a block in a free
 *   list), allocated (a block handed out), or split (both halves are nodes).
 *
 * State, out of band
 *   Per region, two bitmaps indexed by node: F (free) and S (split; not
 *   kept for order MIN_ORDER, which cannot split). The bit of node (k, a) is
 *   fbias[k] + (a >> k). Blocks themselves have no header; a free block holds
 *   its list links and its region while it is free.
 *   The bitmaps are NOT cleared at init: a node is "active" if it is
 *   top-level or its parent is split, and only active nodes' bits are ever
 *   read. Splitting a node writes both children's bits; init writes the
 *   top-level ones. So init costs O(log len) and touches O(log len) words.
 *
 * Invariants
 *   - every active node has accurate F and S, and not both set;
 *   - a node is in the free list of its order iff it is active and F is set;
 *     then it holds a struct bfree naming its region;
 *   - a free block's buddy is not free (merging is complete), unless the
 *     block is top-level (its parent does not fit in the region) or
 *     MAX_ORDER;
 *   - nonempty has bit k - MIN_ORDER set iff list k is non-empty;
 *   - free_bytes is the total size of the free blocks.
 *
 * Operations
 *   malloc/memalign: smallest non-empty list >= max(order(size), log2 align)
 *   (a find-first-set), split down keeping the lower half: O(log n).
 *   free/usable_size: find the region, walk down the split nodes from the
 *   top-level node to the block (O(log n)), merge with free buddies.
 *   palloc(n): a block of 2^ceil(log2 n) pages, of which the pages past n go
 *   back as free blocks, so exactly n pages are used; pfree(n) frees the
 *   same pieces (one per bit of n).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocbuddy.h>

#define MIN_ORDER 5
#if UINTPTR_MAX > 0xffffffffu
#define MAX_ORDER 40
#else
#define MAX_ORDER 30
#endif
#define NORDERS	   (MAX_ORDER - MIN_ORDER + 1)
#define PAGE_ORDER 12
#define BPW	   (8 * sizeof(unsigned long))
#define GUARD	   4096 /* regions end this far below the address space top */
/* greedy tiling of a region: two blocks per order, plus this many of
 * MAX_ORDER (memory beyond that in one region is left unused) */
#define MAX_TOPS (2 * NORDERS + 64)

#define ORDER_SIZE(k) ((uintptr_t)1 << (k))

struct bregion;

struct bfree {
	struct bfree *next, *prev;
	struct bregion *rg;
};

struct bregion {
	struct bregion *next;
	uintptr_t raw_start, raw_end; /* the range given to us */
	uintptr_t start, end;	      /* managed, multiples of 2^MIN_ORDER */
	unsigned long *fmap, *smap;
	size_t scut;	  /* S bit = F bit - scut (no S bits at MIN_ORDER) */
	unsigned int top; /* largest order of a node inside the region */
	size_t fbias[NORDERS];
};

struct buddy {
	struct uk_alloc a; /* first: a struct uk_alloc * is a struct buddy * */
	uint64_t nonempty;
	size_t free_bytes;
	unsigned long nregions;
	struct bregion *regions;
	struct bfree *heads[NORDERS];
};

static struct buddy *bd_of(struct uk_alloc *a)
{
	return (struct buddy *)a;
}

/* ---- bitmaps ---- */

static size_t fbit(const struct bregion *r, unsigned int k, uintptr_t a)
{
	return r->fbias[k - MIN_ORDER] + (a >> k);
}

static int bit_test(const unsigned long *m, size_t i)
{
	return (int)((m[i / BPW] >> (i % BPW)) & 1);
}

static void bit_put(unsigned long *m, size_t i, int v)
{
	if (v)
		m[i / BPW] |= 1UL << (i % BPW);
	else
		m[i / BPW] &= ~(1UL << (i % BPW));
}

static int test_f(const struct bregion *r, unsigned int k, uintptr_t a)
{
	return bit_test(r->fmap, fbit(r, k, a));
}

static void put_f(struct bregion *r, unsigned int k, uintptr_t a, int v)
{
	bit_put(r->fmap, fbit(r, k, a), v);
}

static int test_s(const struct bregion *r, unsigned int k, uintptr_t a)
{
	return k > MIN_ORDER && bit_test(r->smap, fbit(r, k, a) - r->scut);
}

static void put_s(struct bregion *r, unsigned int k, uintptr_t a, int v)
{
	if (k > MIN_ORDER)
		bit_put(r->smap, fbit(r, k, a) - r->scut, v);
}

/* ---- geometry ---- */

/* Does node (k, a) have no parent in r? */
static int is_top(const struct bregion *r, uintptr_t a, unsigned int k)
{
	uintptr_t p;

	if (k >= MAX_ORDER)
		return 1;
	p = a & ~(ORDER_SIZE(k + 1) - 1);
	return p < r->start || r->end - p < ORDER_SIZE(k + 1);
}

static struct bregion *region_of(const struct buddy *bd, uintptr_t a)
{
	struct bregion *r = bd->regions;

	for (unsigned long i = 0; i < bd->nregions && r; i++, r = r->next)
		if (a >= r->start && a < r->end)
			return r;
	return NULL;
}

/* The block (free or not) starting at or containing a (in r, a multiple of
 * 2^MIN_ORDER): its order; *node gets its address. */
static unsigned int descend(const struct bregion *r, uintptr_t a,
			    uintptr_t *node)
{
	unsigned int k = r->top;
	uintptr_t n = a & ~(ORDER_SIZE(k) - 1);

	/* the largest node holding a that fits is the top-level one */
	while (k > MIN_ORDER && (n < r->start || r->end - n < ORDER_SIZE(k))) {
		k--;
		n = a & ~(ORDER_SIZE(k) - 1);
	}
	while (k > MIN_ORDER && test_s(r, k, n)) {
		k--;
		n = a & ~(ORDER_SIZE(k) - 1);
	}
	*node = n;
	return k;
}

/* The allocated block at a: its order, or -1 if a is not one. */
static int find_block(const struct buddy *bd, uintptr_t a, struct bregion **rp)
{
	struct bregion *r = region_of(bd, a);
	uintptr_t n;
	unsigned int k;

	if (!r || (a & (ORDER_SIZE(MIN_ORDER) - 1)))
		return -1;
	k = descend(r, a, &n);
	if (n != a || test_f(r, k, n))
		return -1;
	*rp = r;
	return (int)k;
}

/* ---- free lists ---- */

static void push(struct buddy *bd, struct bregion *r, unsigned int k,
		 uintptr_t a)
{
	struct bfree *f = (struct bfree *)a;
	unsigned int i = k - MIN_ORDER;

	f->rg = r;
	f->prev = NULL;
	f->next = bd->heads[i];
	if (f->next)
		f->next->prev = f;
	bd->heads[i] = f;
	bd->nonempty |= (uint64_t)1 << i;
	put_f(r, k, a, 1);
	bd->free_bytes += ORDER_SIZE(k);
}

static void unlink_block(struct buddy *bd, unsigned int k, struct bfree *f)
{
	unsigned int i = k - MIN_ORDER;

	if (f->prev)
		f->prev->next = f->next;
	else
		bd->heads[i] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (!bd->heads[i])
		bd->nonempty &= ~((uint64_t)1 << i);
	put_f(f->rg, k, (uintptr_t)f, 0);
	bd->free_bytes -= ORDER_SIZE(k);
}

/* ---- allocation ---- */

/* Order of the smallest block holding size bytes, or -1. */
static int order_of(size_t size)
{
	if (size > (size_t)ORDER_SIZE(MAX_ORDER))
		return -1;
	if (size <= (size_t)ORDER_SIZE(MIN_ORDER))
		return MIN_ORDER;
	return (int)(sizeof(unsigned long long) * 8) -
	       __builtin_clzll((unsigned long long)size - 1);
}

/* Split node (k, a) of r (allocated, active) into two allocated-looking
 * halves of order k - 1; the caller decides what each becomes. */
static void split_node(struct bregion *r, unsigned int k, uintptr_t a)
{
	uintptr_t b = a + ORDER_SIZE(k - 1);

	put_s(r, k, a, 1);
	put_f(r, k - 1, a, 0);
	put_s(r, k - 1, a, 0);
	put_f(r, k - 1, b, 0);
	put_s(r, k - 1, b, 0);
}

/* A block of order k taken from a free block of order >= min_k, whose
 * alignment it keeps (it is the lowest piece); 0 if there is none. */
static uintptr_t alloc_order(struct buddy *bd, unsigned int k,
			     unsigned int min_k, struct bregion **rp)
{
	uint64_t m = bd->nonempty & (~(uint64_t)0 << (min_k - MIN_ORDER));
	struct bregion *r;
	struct bfree *f;
	unsigned int j;
	uintptr_t a;

	if (!m)
		return 0;
	j = (unsigned int)__builtin_ctzll(m) + MIN_ORDER;
	f = bd->heads[j - MIN_ORDER];
	r = f->rg;
	a = (uintptr_t)f;
	unlink_block(bd, j, f);
	for (; j > k; j--) {
		split_node(r, j, a);
		push(bd, r, j - 1, a + ORDER_SIZE(j - 1));
	}
	if (rp)
		*rp = r;
	return a;
}

/* Free block (k, a) of r (allocated, active): merge it up, list it. */
static void free_block(struct buddy *bd, struct bregion *r, unsigned int k,
		       uintptr_t a)
{
	while (!is_top(r, a, k)) {
		uintptr_t b = a ^ ORDER_SIZE(k);

		if (!test_f(r, k, b))
			break;
		unlink_block(bd, k, (struct bfree *)b);
		a &= ~ORDER_SIZE(k);
		k++;
		put_s(r, k, a, 0);
	}
	push(bd, r, k, a);
}

static void *bd_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	int k = order_of(size);
	unsigned int min_k;

	if (k < 0 || !align || (align & (align - 1)) ||
	    align > (size_t)ORDER_SIZE(MAX_ORDER))
		return NULL;
	min_k = (unsigned int)__builtin_ctzll(align);
	if (min_k < (unsigned int)k)
		min_k = (unsigned int)k;
	return (void *)alloc_order(bd_of(a), (unsigned int)k, min_k, NULL);
}

static void *bd_malloc(struct uk_alloc *a, size_t size)
{
	int k = order_of(size);

	if (k < 0)
		return NULL;
	return (void *)alloc_order(bd_of(a), (unsigned int)k, (unsigned int)k,
				   NULL);
}

static void bd_free(struct uk_alloc *a, void *ptr)
{
	struct buddy *bd = bd_of(a);
	struct bregion *r;
	int k = find_block(bd, (uintptr_t)ptr, &r);

	if (k >= 0) /* else not ours, or freed already: ignore */
		free_block(bd, r, (unsigned int)k, (uintptr_t)ptr);
}

static size_t bd_usable_size(struct uk_alloc *a, const void *ptr)
{
	struct bregion *r;
	int k = find_block(bd_of(a), (uintptr_t)ptr, &r);

	return k >= 0 ? (size_t)ORDER_SIZE(k) : 0;
}

static void *bd_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	struct buddy *bd = bd_of(a);
	uintptr_t p = (uintptr_t)ptr;
	struct bregion *r;
	int k = find_block(bd, p, &r), n = order_of(size);
	unsigned int j;
	void *q;

	if (k < 0 || n < 0)
		return NULL;
	if (n < k) { /* shrink: give back the upper halves */
		for (j = (unsigned int)k; j > (unsigned int)n; j--) {
			split_node(r, j, p);
			push(bd, r, j - 1, p + ORDER_SIZE(j - 1));
		}
		return ptr;
	}
	if (n == k)
		return ptr;
	/* grow in place if p is the lower half at each level up to n and
	 * every upper half is free */
	for (j = (unsigned int)k; j < (unsigned int)n; j++)
		if ((p & ORDER_SIZE(j)) || is_top(r, p, j) ||
		    !test_f(r, j, p + ORDER_SIZE(j)))
			break;
	if (j == (unsigned int)n) {
		for (j = (unsigned int)k; j < (unsigned int)n; j++) {
			unlink_block(bd, j,
				     (struct bfree *)(p + ORDER_SIZE(j)));
			put_s(r, j + 1, p, 0);
		}
		return ptr;
	}
	q = bd_malloc(a, size);
	if (!q)
		return NULL;
	memcpy(q, ptr, (size_t)ORDER_SIZE(k));
	free_block(bd, r, (unsigned int)k, p);
	return q;
}

/* ---- pages ---- */

static void *bd_palloc(struct uk_alloc *a, size_t npages)
{
	struct buddy *bd = bd_of(a);
	struct bregion *r;
	uintptr_t p, x;
	size_t rem;
	int kk;
	unsigned int k;

	if (!npages || npages > (size_t)ORDER_SIZE(MAX_ORDER - PAGE_ORDER))
		return NULL;
	rem = npages << PAGE_ORDER;
	kk = order_of(rem);
	k = (unsigned int)kk;
	p = alloc_order(bd, k, k, &r);
	if (!p)
		return NULL;
	/* Keep [p, p + rem) allocated, free the rest. Invariant: node
	 * (k, x) is allocated and 0 < rem <= 2^k; rem is a multiple of the
	 * page size, so this ends by k == PAGE_ORDER. */
	for (x = p; rem != (size_t)ORDER_SIZE(k); k--) {
		uintptr_t half = ORDER_SIZE(k - 1);

		split_node(r, k, x);
		if (rem > half) { /* lower half stays allocated whole */
			rem -= half;
			x += half;
		} else {
			push(bd, r, k - 1, x + half);
		}
	}
	return (void *)p;
}

static void bd_pfree(struct uk_alloc *a, void *ptr, size_t npages)
{
	struct buddy *bd = bd_of(a);
	uintptr_t p = (uintptr_t)ptr;
	struct bregion *r;
	size_t bytes;

	if (!npages || npages > (size_t)ORDER_SIZE(MAX_ORDER - PAGE_ORDER))
		return;
	bytes = npages << PAGE_ORDER;
	/* the pieces palloc kept: one per set bit, largest first */
	for (int k = MAX_ORDER; k >= PAGE_ORDER; k--) {
		if (!(bytes & ORDER_SIZE(k)))
			continue;
		if (find_block(bd, p, &r) == k)
			free_block(bd, r, (unsigned int)k, p);
		p += ORDER_SIZE(k);
	}
}

static size_t bd_availmem(const struct uk_alloc *a)
{
	return ((const struct buddy *)a)->free_bytes;
}

/* ---- regions ---- */

/* Manage [raw_start, raw_end) (below the guard); the region header and
 * bitmaps go at `at` >= raw_start. */
static int add_region(struct buddy *bd, uintptr_t raw_start, uintptr_t raw_end,
		      uintptr_t at)
{
	struct bregion *r = (struct bregion *)((at + 15) & ~(uintptr_t)15);
	uintptr_t maps = (uintptr_t)(r + 1), a;
	size_t len, fbits = 0, sbits, fwords, swords, off = 0;
	unsigned int k, n;

	if (maps >= raw_end)
		return -EINVAL;
	len = raw_end - maps;
	/* bitmap sizes: at most len / 2^k + 1 nodes of order k */
	for (k = MIN_ORDER; k <= MAX_ORDER; k++)
		fbits += (len >> k) + 1;
	sbits = fbits - ((len >> MIN_ORDER) + 1);
	fwords = (fbits + BPW - 1) / BPW;
	swords = (sbits + BPW - 1) / BPW;
	if (fwords + swords > len / sizeof(unsigned long))
		return -EINVAL;
	r->fmap = (unsigned long *)maps;
	r->smap = r->fmap + fwords;
	r->start = ((uintptr_t)(r->smap + swords) + ORDER_SIZE(MIN_ORDER) - 1) &
		   ~(ORDER_SIZE(MIN_ORDER) - 1);
	r->end = raw_end & ~(ORDER_SIZE(MIN_ORDER) - 1);
	if (r->start >= r->end)
		return -EINVAL;
	r->raw_start = raw_start;
	r->raw_end = raw_end;
	r->top = MIN_ORDER;
	for (k = MIN_ORDER; k <= MAX_ORDER; k++) {
		uintptr_t first = (r->start >> k) +
				  ((r->start & (ORDER_SIZE(k) - 1)) != 0);
		uintptr_t last = r->end >> k;
		size_t cnt = last > first ? last - first : 0;

		r->fbias[k - MIN_ORDER] = off - first;
		if (k == MIN_ORDER)
			r->scut = cnt;
		if (cnt)
			r->top = k;
		off += cnt;
	}
	/* the top-level blocks: the largest aligned block at each step */
	for (a = r->start, n = 0; a < r->end && n < MAX_TOPS; n++) {
		k = MAX_ORDER;
		if (a & (ORDER_SIZE(MAX_ORDER) - 1))
			k = (unsigned int)__builtin_ctzll(a);
		while (ORDER_SIZE(k) > r->end - a)
			k--;
		put_s(r, k, a, 0);
		push(bd, r, k, a);
		a += ORDER_SIZE(k);
	}
	r->next = bd->regions;
	bd->regions = r;
	bd->nregions++;
	return 0;
}

static int bd_addmem(struct uk_alloc *a, void *base, size_t len)
{
	struct buddy *bd = bd_of(a);
	uintptr_t b = (uintptr_t)base;
	struct bregion *r = bd->regions;

	if (!base || len < UK_ALLOCBUDDY_MIN_ADDMEM ||
	    len > UINTPTR_MAX - GUARD - b)
		return -EINVAL;
	for (unsigned long i = 0; i < bd->nregions && r; i++, r = r->next)
		if (b < r->raw_end && r->raw_start < b + len)
			return -EINVAL;
	return add_region(bd, b, b + len, b);
}

struct uk_alloc *uk_allocbuddy_init(void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;
	struct buddy *bd;

	if (!base || len < UK_ALLOCBUDDY_MIN_LEN ||
	    len > UINTPTR_MAX - GUARD - b)
		return NULL;
	bd = (struct buddy *)((b + 15) & ~(uintptr_t)15);
	memset(bd, 0, sizeof(*bd));
	bd->a.name = "buddy";
	bd->a.ops.malloc = bd_malloc;
	bd->a.ops.memalign = bd_memalign;
	bd->a.ops.realloc = bd_realloc;
	bd->a.ops.free = bd_free;
	bd->a.ops.usable_size = bd_usable_size;
	bd->a.ops.palloc = bd_palloc;
	bd->a.ops.pfree = bd_pfree;
	bd->a.ops.addmem = bd_addmem;
	bd->a.ops.availmem = bd_availmem;
	if (add_region(bd, b, b + len, (uintptr_t)(bd + 1)) < 0)
		return NULL;
	return &bd->a;
}

/* ---- consistency check ---- */

#define BAD() return -(long)__LINE__

long uk_allocbuddy_check(struct uk_alloc *a)
{
	struct buddy *bd = bd_of(a);
	struct bregion *r = bd->regions;
	unsigned long nlisted = 0, nfree = 0;
	size_t total = 0, sum = 0;

	for (unsigned long i = 0; i < bd->nregions; i++, r = r->next) {
		if (!r)
			BAD();
		total += r->end - r->start;
	}
	for (unsigned int k = MIN_ORDER; k <= MAX_ORDER; k++) {
		struct bfree *f = bd->heads[k - MIN_ORDER], *prev = NULL;
		size_t bound = (total >> k) + 1;

		if (!!(bd->nonempty & ((uint64_t)1 << (k - MIN_ORDER))) != !!f)
			BAD();
		for (; f; prev = f, f = f->next) {
			uintptr_t fa = (uintptr_t)f, n;

			if (!bound--)
				BAD();
			if (f->prev != prev || (fa & (ORDER_SIZE(k) - 1)))
				BAD();
			r = region_of(bd, fa);
			if (!r || r != f->rg || r->end - fa < ORDER_SIZE(k))
				BAD();
			if (descend(r, fa, &n) != k || n != fa)
				BAD(); /* not an active leaf of order k */
			if (!test_f(r, k, fa) || test_s(r, k, fa))
				BAD();
			nlisted++;
			sum += ORDER_SIZE(k);
		}
	}
	if (sum != bd->free_bytes)
		BAD();
	/* every block of every region, in address order */
	r = bd->regions;
	for (unsigned long i = 0; i < bd->nregions; i++, r = r->next) {
		uintptr_t x = r->start, n;
		size_t steps = ((r->end - r->start) >> MIN_ORDER) + 1;

		while (x < r->end) {
			unsigned int k = descend(r, x, &n);

			if (!steps-- || n != x)
				BAD();
			if (test_f(r, k, x)) {
				nfree++;
				if (!is_top(r, x, k) &&
				    test_f(r, k, x ^ ORDER_SIZE(k)))
					BAD(); /* buddies both free */
			}
			x += ORDER_SIZE(k);
		}
	}
	if (nfree != nlisted)
		BAD();
	return (long)nfree;
}
