/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukalloctlsf: Two-Level Segregated Fit allocator, after M. Masmano,
 * I. Ripoll, A. Crespo, J. Real, "TLSF: a new dynamic memory allocator for
 * real-time systems" (ECRTS 2004).
 *
 * Blocks
 *   Memory is a sequence of physically adjacent blocks. A block b has a
 *   header of two words and a payload:
 *
 *     b: [prev_phys][size|flags][payload: next_free, prev_free when free ...]
 *        ^ belongs to the previous block's payload unless that block is free
 *
 *   The payload starts at b + BHDR (16-aligned) and the next block starts at
 *   b + bsize(b), so a used block can use bsize - W bytes (W = one size_t):
 *   its payload runs over the next block's prev_phys word, which is only
 *   meaningful when this block is free (a "boundary tag": the free block's
 *   address, so the next block can find it to merge).
 *   Flags in the low bits of size: FREE (this block), PREV_FREE (the block
 *   before). Each memory region ends with a sentinel: a used block of size 0.
 *
 * Free lists
 *   A free block of size s is in list [fl][sl]: for s < 512, fl = 0 and
 *   sl = s / 16 (exact sizes); otherwise fl = floor(log2 s) - 8 and sl is the
 *   next 5 bits of s below the leading one (32 classes per power of two).
 *   fl_map has bit fl set iff some list of row fl is non-empty, sl_map[fl]
 *   bit sl iff list [fl][sl] is; a list head is only read when its bit is
 *   set, so init does not clear the 8 KiB of heads. malloc rounds the
 *   request up to the start of the next class, so the head of any non-empty
 *   list at or above it fits (good fit, O(1) with two find-first-set).
 *
 * Invariants
 *   - every block size is a multiple of 16, >= MIN_BSIZE, <= BSIZE_MAX;
 *     every payload address is a multiple of 16;
 *   - a block is FREE iff it is in the list of its size class;
 *   - no two free blocks are adjacent (free merges with both neighbours);
 *   - PREV_FREE of b is set iff the block before b is free, and then
 *     b->prev_phys points at it; the first block of a region has no PREV_FREE;
 *   - free_bytes is the sum of bsize - W over the free blocks.
 * A block is never larger than BSIZE_MAX because no region is: merging stays
 * within a region (the sentinel is never free).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/alloctlsf.h>

#define ALIGN_SHIFT 4
#define ALIGN	    ((size_t)1 << ALIGN_SHIFT)
#define SLI	    5 /* log2 of the second-level subdivisions */
#define SL_COUNT    (1u << SLI)
#define FL_SHIFT    (SLI + ALIGN_SHIFT) /* sizes below 2^FL_SHIFT: fl = 0 */
#define SMALL	    ((size_t)1 << FL_SHIFT)
#define FL_COUNT    32u
#if SIZE_MAX > 0xffffffffu
/* fl = FL_COUNT - 1 holds sizes below 2^(FL_COUNT + FL_SHIFT - 1) = 1 TiB */
#define BSIZE_MAX (((size_t)1 << (FL_COUNT + FL_SHIFT - 1)) - ALIGN)
#else
#define BSIZE_MAX ((size_t)0x7ffffff0u)
#endif
#define GUARD                                                           \
	4096 /* regions end this far below the top of the address space \
	      */

#define FREE	  ((size_t)1)
#define PREV_FREE ((size_t)2)
#define FLAGS	  (ALIGN - 1)

struct tblock {
	struct tblock *prev_phys; /* valid only while PREV_FREE is set */
	size_t size;		  /* bsize | FREE | PREV_FREE */
	struct tblock *next_free; /* the payload starts here; */
	struct tblock *prev_free; /* these two only while FREE */
};

#define BHDR	  offsetof(struct tblock, next_free)
#define OVERHEAD  sizeof(size_t)
#define MIN_BSIZE ((sizeof(struct tblock) + ALIGN - 1) & ~(ALIGN - 1))

struct tregion {
	struct tregion *next;
	uintptr_t start, end; /* the range given to us */
	struct tblock *first;
};

struct tlsf {
	struct uk_alloc a; /* first: a struct uk_alloc * is a struct tlsf * */
	uint32_t fl_map;
	uint32_t sl_map[FL_COUNT];
	size_t free_bytes;
	unsigned long nregions;
	struct tregion *regions;
	/* last, not cleared at init: a head is valid iff its sl_map bit is
	 * set (which keeps init at a few hundred bytes of stores) */
	struct tblock *heads[FL_COUNT][SL_COUNT];
};

static struct tlsf *tlsf_of(struct uk_alloc *a)
{
	return (struct tlsf *)a;
}

/* ---- blocks ---- */

static size_t bsize(const struct tblock *b)
{
	return b->size & ~FLAGS;
}

static int is_free(const struct tblock *b)
{
	return (b->size & FREE) != 0;
}

static struct tblock *next_phys(const struct tblock *b)
{
	return (struct tblock *)((uintptr_t)b + bsize(b));
}

static void *payload(struct tblock *b)
{
	return (char *)b + BHDR;
}

static struct tblock *block_of(const void *p)
{
	return (struct tblock *)((uintptr_t)p - BHDR);
}

/* Set FREE on b and the boundary tag and PREV_FREE on its successor. */
static void mark_free(struct tblock *b)
{
	struct tblock *n = next_phys(b);

	b->size |= FREE;
	n->prev_phys = b;
	n->size |= PREV_FREE;
}

static void mark_used(struct tblock *b)
{
	b->size &= ~FREE;
	next_phys(b)->size &= ~PREV_FREE;
}

/* Cut b at `bs` (bsize(b) >= bs + MIN_BSIZE); b keeps its flags, the rest
 * (returned) has none. */
static struct tblock *split(struct tblock *b, size_t bs)
{
	struct tblock *r = (struct tblock *)((uintptr_t)b + bs);

	r->size = bsize(b) - bs;
	b->size = bs | (b->size & FLAGS);
	return r;
}

/* ---- size classes ---- */

static unsigned int fls_size(size_t x)
{
	return (unsigned int)(sizeof(unsigned long long) * 8 - 1 -
			      (unsigned int)__builtin_clzll(x));
}

static void mapping(size_t bs, unsigned int *fl, unsigned int *sl)
{
	if (bs < SMALL) {
		*fl = 0;
		*sl = (unsigned int)(bs >> ALIGN_SHIFT);
	} else {
		unsigned int f = fls_size(bs);

		*sl = (unsigned int)(bs >> (f - SLI)) ^ SL_COUNT;
		*fl = f - FL_SHIFT + 1;
	}
}

/* The first class whose every block is >= bs (bs <= BSIZE_MAX); fl may
 * come out as FL_COUNT: nothing is that large. */
static void mapping_search(size_t bs, unsigned int *fl, unsigned int *sl)
{
	if (bs >= SMALL)
		bs += ((size_t)1 << (fls_size(bs) - SLI)) - 1;
	mapping(bs, fl, sl);
}

/* Block size for a request, 0 if it is too large. */
static size_t adjust(size_t size)
{
	size_t bs;

	if (size > BSIZE_MAX - OVERHEAD - ALIGN)
		return 0;
	bs = (size + OVERHEAD + ALIGN - 1) & ~(ALIGN - 1);
	return bs < MIN_BSIZE ? MIN_BSIZE : bs;
}

/* ---- free lists ---- */

static struct tblock *head(const struct tlsf *t, unsigned int fl,
			   unsigned int sl)
{
	return (t->sl_map[fl] & (1u << sl)) ? t->heads[fl][sl] : NULL;
}

static void list_insert(struct tlsf *t, struct tblock *b)
{
	unsigned int fl, sl;
	struct tblock *h;

	mapping(bsize(b), &fl, &sl);
	h = head(t, fl, sl);
	b->next_free = h;
	b->prev_free = NULL;
	if (h)
		h->prev_free = b;
	t->heads[fl][sl] = b;
	t->fl_map |= 1u << fl;
	t->sl_map[fl] |= 1u << sl;
	t->free_bytes += bsize(b) - OVERHEAD;
}

static void list_remove(struct tlsf *t, struct tblock *b)
{
	unsigned int fl, sl;

	mapping(bsize(b), &fl, &sl);
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else
		t->heads[fl][sl] = b->next_free;
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (!t->heads[fl][sl]) {
		t->sl_map[fl] &= ~(1u << sl);
		if (!t->sl_map[fl])
			t->fl_map &= ~(1u << fl);
	}
	t->free_bytes -= bsize(b) - OVERHEAD;
}

/* A free block of at least bs bytes, removed from its list, or NULL. */
static struct tblock *find_free(struct tlsf *t, size_t bs)
{
	unsigned int fl, sl;
	uint32_t slm = 0, flm;
	struct tblock *b;

	mapping_search(bs, &fl, &sl);
	if (fl < FL_COUNT)
		slm = t->sl_map[fl] & (~(uint32_t)0 << sl);
	if (!slm) {
		flm = fl + 1 < FL_COUNT ? t->fl_map & (~(uint32_t)0 << (fl + 1))
					: 0;
		if (flm) {
			fl = (unsigned int)__builtin_ctz(flm);
			slm = t->sl_map[fl];
		}
	}
	if (slm) {
		b = t->heads[fl][__builtin_ctz(slm)];
	} else {
		/* Nothing in a class that surely fits: the head of bs's own
		 * class may still be large enough (O(1), helps when memory is
		 * nearly exhausted). */
		mapping(bs, &fl, &sl);
		b = head(t, fl, sl);
		if (!b || bsize(b) < bs)
			return NULL;
	}
	list_remove(t, b);
	return b;
}

/* Make b (in no list) free: merge it with free neighbours, list it. */
static void release(struct tlsf *t, struct tblock *b)
{
	struct tblock *n;

	if (b->size & PREV_FREE) {
		struct tblock *p = b->prev_phys;

		list_remove(t, p);
		p->size += bsize(b);
		b = p;
	}
	n = next_phys(b);
	if (is_free(n)) {
		list_remove(t, n);
		b->size += bsize(n);
	}
	mark_free(b);
	list_insert(t, b);
}

/* Hand out b (in no list, bsize >= bs): give back what is left over. */
static void *take(struct tlsf *t, struct tblock *b, size_t bs)
{
	if (bsize(b) - bs >= MIN_BSIZE) {
		struct tblock *r = split(b, bs);

		/* r's successor was b's: used, since b was free */
		mark_free(r);
		list_insert(t, r);
	}
	mark_used(b);
	return payload(b);
}

/* ---- operations ---- */

static void *tl_malloc(struct uk_alloc *a, size_t size)
{
	struct tlsf *t = tlsf_of(a);
	size_t bs = adjust(size);
	struct tblock *b;

	if (!bs)
		return NULL;
	b = find_free(t, bs);
	return b ? take(t, b, bs) : NULL;
}

static void *tl_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct tlsf *t = tlsf_of(a);
	size_t bs = adjust(size), gap;
	uintptr_t p, q;
	struct tblock *b;

	if (!align || (align & (align - 1)))
		return NULL;
	if (align <= ALIGN)
		return tl_malloc(a, size);
	if (!bs || align > BSIZE_MAX || bs > BSIZE_MAX - MIN_BSIZE - align)
		return NULL;
	/* room for the block, the alignment and a leading free block */
	b = find_free(t, bs + align + MIN_BSIZE);
	if (!b)
		return NULL;
	p = (uintptr_t)payload(b);
	q = (p + align - 1) & ~(uintptr_t)(align - 1);
	if (q != p && q - p < MIN_BSIZE)
		q = (p + MIN_BSIZE + align - 1) & ~(uintptr_t)(align - 1);
	gap = q - p;
	if (gap) {
		/* the gap stays free; its predecessor is used, since b was
		 * free */
		struct tblock *nb = split(b, gap);

		mark_free(b);
		list_insert(t, b);
		b = nb;
	}
	return take(t, b, bs);
}

static void tl_free(struct uk_alloc *a, void *ptr)
{
	struct tblock *b = block_of(ptr);

	if (is_free(b))
		return; /* double free: leave the heap alone */
	release(tlsf_of(a), b);
}

static void *tl_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	struct tlsf *t = tlsf_of(a);
	struct tblock *b = block_of(ptr), *n;
	size_t bs = adjust(size), cur = bsize(b);
	void *q;

	if (!bs)
		return NULL;
	if (bs > cur) {
		n = next_phys(b);
		if (!is_free(n) || bsize(n) < bs - cur) {
			q = tl_malloc(a, size);
			if (!q)
				return NULL;
			memcpy(q, ptr,
			       cur - OVERHEAD < size ? cur - OVERHEAD : size);
			release(t, b);
			return q;
		}
		list_remove(t, n);
		b->size += bsize(n);
		mark_used(b);
	}
	if (bsize(b) - bs >= MIN_BSIZE)
		release(t, split(b, bs));
	return ptr;
}

static size_t tl_usable_size(struct uk_alloc *a, const void *ptr)
{
	(void)a;
	return bsize(block_of(ptr)) - OVERHEAD;
}

static size_t tl_availmem(const struct uk_alloc *a)
{
	return ((const struct tlsf *)a)->free_bytes;
}

/* Manage [start, end) (end below the guard), header at `at` >= start. */
static int add_region(struct tlsf *t, uintptr_t start, uintptr_t end,
		      uintptr_t at)
{
	struct tregion *rg =
		(struct tregion *)((at + ALIGN - 1) & ~(ALIGN - 1));
	uintptr_t p0, pe;
	struct tblock *b, *s;
	size_t bs;

	if ((uintptr_t)(rg + 1) + BHDR + ALIGN > end)
		return -EINVAL;
	/* first payload, and where the sentinel's payload would be */
	p0 = ((uintptr_t)(rg + 1) + BHDR + ALIGN - 1) & ~(ALIGN - 1);
	pe = end & ~(ALIGN - 1);
	if (pe < p0 || pe - p0 < MIN_BSIZE)
		return -EINVAL;
	bs = pe - p0 > BSIZE_MAX ? BSIZE_MAX : pe - p0;
	b = block_of((void *)p0);
	s = (struct tblock *)((uintptr_t)b + bs);
	b->size = bs;
	s->size = 0;
	mark_free(b);
	list_insert(t, b);
	rg->start = start;
	rg->end = end;
	rg->first = b;
	rg->next = t->regions;
	t->regions = rg;
	t->nregions++;
	return 0;
}

static int tl_addmem(struct uk_alloc *a, void *base, size_t len)
{
	struct tlsf *t = tlsf_of(a);
	uintptr_t b = (uintptr_t)base;
	struct tregion *rg = t->regions;

	if (!base || len < UK_ALLOCTLSF_MIN_ADDMEM ||
	    len > UINTPTR_MAX - GUARD - b)
		return -EINVAL;
	for (unsigned long i = 0; i < t->nregions; i++, rg = rg->next)
		if (b < rg->end && rg->start < b + len)
			return -EINVAL;
	return add_region(t, b, b + len, b);
}

struct uk_alloc *uk_alloctlsf_init(void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;
	struct tlsf *t;

	if (!base || len < UK_ALLOCTLSF_MIN_LEN ||
	    len > UINTPTR_MAX - GUARD - b)
		return NULL;
	t = (struct tlsf *)((b + ALIGN - 1) & ~(ALIGN - 1));
	memset(t, 0, offsetof(struct tlsf, heads));
	t->a.name = "tlsf";
	t->a.ops.malloc = tl_malloc;
	t->a.ops.memalign = tl_memalign;
	t->a.ops.realloc = tl_realloc;
	t->a.ops.free = tl_free;
	t->a.ops.usable_size = tl_usable_size;
	t->a.ops.addmem = tl_addmem;
	t->a.ops.availmem = tl_availmem;
	if (add_region(t, b, b + len, (uintptr_t)(t + 1)) < 0)
		return NULL;
	return &t->a;
}

/* ---- consistency check ---- */

#define BAD() return -(long)__LINE__

static int in_region(const struct tregion *rg, const struct tblock *b)
{
	return (uintptr_t)b >= (uintptr_t)rg->first &&
	       (uintptr_t)b + MIN_BSIZE <= rg->end;
}

long uk_alloctlsf_check(struct uk_alloc *a)
{
	struct tlsf *t = tlsf_of(a);
	struct tregion *rg = t->regions;
	unsigned long nfree = 0, nlisted = 0;
	size_t sum = 0;

	for (unsigned long i = 0; i < t->nregions; i++, rg = rg->next) {
		struct tblock *b, *prev = NULL;
		size_t steps;

		if (!rg)
			BAD();
		b = rg->first;
		steps = (rg->end - rg->start) / MIN_BSIZE + 2;
		for (;;) {
			if (!steps--)
				BAD();
			if ((uintptr_t)payload(b) & (ALIGN - 1))
				BAD();
			if (!!(b->size & PREV_FREE) != (prev && is_free(prev)))
				BAD();
			if ((b->size & PREV_FREE) && b->prev_phys != prev)
				BAD();
			if (!bsize(b)) { /* the sentinel */
				if (is_free(b) ||
				    (uintptr_t)payload(b) > rg->end)
					BAD();
				break;
			}
			if (bsize(b) < MIN_BSIZE || bsize(b) > BSIZE_MAX ||
			    bsize(b) > rg->end - (uintptr_t)b)
				BAD();
			if (is_free(b)) {
				if (prev && is_free(prev))
					BAD(); /* not merged */
				nfree++;
				sum += bsize(b) - OVERHEAD;
			}
			prev = b;
			b = next_phys(b);
		}
	}
	if (sum != t->free_bytes)
		BAD();
	for (unsigned int fl = 0; fl < FL_COUNT; fl++) {
		if (!!(t->fl_map & (1u << fl)) != !!t->sl_map[fl])
			BAD();
		for (unsigned int sl = 0; sl < SL_COUNT; sl++) {
			struct tblock *b = head(t, fl, sl), *prev = NULL;

			if ((t->sl_map[fl] & (1u << sl)) && !b)
				BAD();
			for (; b; prev = b, b = b->next_free) {
				unsigned int f, s;
				int found = 0;

				if (++nlisted > nfree)
					BAD();
				rg = t->regions;
				for (unsigned long i = 0; i < t->nregions;
				     i++, rg = rg->next)
					found |= in_region(rg, b);
				if (!found || !is_free(b) ||
				    b->prev_free != prev)
					BAD();
				mapping(bsize(b), &f, &s);
				if (f != fl || s != sl)
					BAD();
			}
		}
	}
	if (nlisted != nfree)
		BAD();
	return (long)nfree;
}
