/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 page-table editor (VMSAv8-64, 4 KiB granule, 48-bit TTBR0 space).
 * Levels are numbered 4 (the Arm ARM's level 0) down to 1 (its level 3), as
 * on x86_64; an entry at level L maps 2^(12 + 9 * (L - 1)) bytes.
 *
 * Each operation runs in three passes: a check pass over the range that
 * finds every reason to refuse and counts the page tables the change will
 * need, an allocation pass that obtains all of them into a private pool
 * (chained through their first word), and an apply pass that cannot fail.
 * So a refused or failed operation changes no entry.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/arch/paging.h>

#define PTE_P	  UKARCH_PTE_VALID
#define PTE_TABLE UKARCH_PTE_TABLE
#define PTE_RO	  UKARCH_PTE_RO
#define PTE_PXN	  UKARCH_PTE_PXN
#define PTE_ADDR  UKARCH_PTE_ADDR
/* what every leaf this code writes has, besides protection */
#define LEAF_BASE                                                 \
	(UKARCH_PTE_VALID | UKARCH_PTE_AF | UKARCH_PTE_SH_INNER | \
	 UKARCH_PTE_ATTR(0) | UKARCH_PTE_UXN)
#define MAX_PADDR (1ULL << 48)
#define NENTRIES  512

static inline unsigned lvl_shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

static inline uint64_t lvl_size(int level)
{
	return 1ULL << lvl_shift(level);
}

static inline unsigned lvl_index(uint64_t va, int level)
{
	return (unsigned)(va >> lvl_shift(level)) & (NENTRIES - 1);
}

static inline uint64_t *table(const struct ukarch_pt *pt, uint64_t e)
{
	return pt->ops.phys_to_virt(pt->ops.ctx, e & PTE_ADDR);
}

/* Entries are read and written whole (the MMU may read them meanwhile). */
static inline uint64_t ld(const uint64_t *t, unsigned i)
{
	return __atomic_load_n(&t[i], __ATOMIC_RELAXED);
}

static inline void st(uint64_t *t, unsigned i, uint64_t v)
{
	__atomic_store_n(&t[i], v, __ATOMIC_RELAXED);
}

/* Level 1 holds pages; levels 3 and 2 blocks when bit 1 is clear (level 4
 * has no blocks with a 4 KiB granule). */
static inline bool is_leaf(uint64_t e, int level)
{
	return level == 1 || (level <= 3 && !(e & PTE_TABLE));
}

static inline void flush(const struct ukarch_pt *pt, uint64_t va)
{
	if (pt->ops.flush)
		pt->ops.flush(pt->ops.ctx, va);
}

static inline void free_table(const struct ukarch_pt *pt, uint64_t e)
{
	if (pt->ops.free_table)
		pt->ops.free_table(pt->ops.ctx, e & PTE_ADDR);
}

/* All 512 entries zero (non-present entries this code leaves are 0). */
static bool table_empty(const uint64_t *t)
{
	for (unsigned i = 0; i < NENTRIES; i++)
		if (ld(t, i))
			return false;
	return true;
}

/* The TTBR0 space: [0, 2^48). */
static inline bool canonical(uint64_t a)
{
	return (a >> 48) == 0;
}

/* Checks a range common to all operations; sets *last = vaddr + len - 1. */
static int check_range(uint64_t va, uint64_t len, uint64_t align,
		       uint64_t *last)
{
	if (len == 0 || ((va | len) & (align - 1)))
		return -EINVAL;
	*last = va + len - 1;
	if (*last < va)
		return -EINVAL;
	if (!canonical(va) || !canonical(*last))
		return -EINVAL;
	return 0;
}

/* Leaf bits AP[2] and PXN for prot. */
static int prot_bits(int prot, uint64_t *bits)
{
	if ((prot &
	     ~(UKARCH_PROT_READ | UKARCH_PROT_WRITE | UKARCH_PROT_EXEC)) ||
	    !(prot & UKARCH_PROT_READ))
		return -EINVAL;
	*bits = ((prot & UKARCH_PROT_WRITE) ? 0 : PTE_RO) |
		((prot & UKARCH_PROT_EXEC) ? 0 : PTE_PXN);
	return 0;
}

/*
 * The slots of the table at some level that a range [va, last] touches, in
 * order: slot i maps from `base`, [lo, hi] is the part of the range inside
 * it and `full` says whether that is the whole slot. Use as
 *   span_start(&s, level, va, last); do { ... } while (span_next(&s));
 * (`continue` goes on with the next slot).
 */
struct span {
	uint64_t base, lo, hi;
	bool full;
	unsigned i;
	unsigned end;
	uint64_t size, last;
};

static inline void span_set(struct span *s)
{
	s->hi = s->i == s->end ? s->last : s->base + s->size - 1;
	s->full = s->lo == s->base && s->hi == s->base + s->size - 1;
}

static inline void span_start(struct span *s, int level, uint64_t va,
			      uint64_t last)
{
	s->size = lvl_size(level);
	s->i = lvl_index(va, level);
	s->end = lvl_index(last, level);
	s->base = va & ~(s->size - 1);
	s->lo = va;
	s->last = last;
	span_set(s);
}

static inline bool span_next(struct span *s)
{
	if (s->i == s->end)
		return false;
	s->i++;
	s->base += s->size;
	s->lo = s->base;
	span_set(s);
	return true;
}

/* Page tables obtained before an apply pass, chained through word 0. */
struct pool {
	uint64_t head;
	uint64_t n;
};

static void pool_release(const struct ukarch_pt *pt, struct pool *p);

static int pool_fill(const struct ukarch_pt *pt, struct pool *p, uint64_t n)
{
	while (p->n < n) {
		uint64_t pa;

		if (pt->ops.alloc_table(pt->ops.ctx, &pa) != 0) {
			pool_release(pt, p);
			return -ENOMEM;
		}
		st(table(pt, pa), 0, p->head);
		p->head = pa;
		p->n++;
	}
	return 0;
}

/* A zero-filled table from the pool; the pool MUST not be empty. */
static uint64_t pool_take(const struct ukarch_pt *pt, struct pool *p)
{
	uint64_t pa = p->head;
	uint64_t *t = table(pt, pa);

	p->head = ld(t, 0);
	st(t, 0, 0);
	p->n--;
	return pa & PTE_ADDR;
}

static void pool_release(const struct ukarch_pt *pt, struct pool *p)
{
	while (p->n)
		free_table(pt, pool_take(pt, p));
}

/*
 * Map check pass: -EEXIST if some page of [va, last] is mapped; otherwise
 * add to *need the number of tables to create. t is NULL for a table that
 * does not exist yet (every entry 0).
 */
static int map_check(const struct ukarch_pt *pt, const uint64_t *t, int level,
		     uint64_t va, uint64_t last, int leaf, uint64_t *need)
{
	struct span s;
	int rc;

	if (!t && level == leaf)
		return 0;
	span_start(&s, level, va, last);
	do {
		uint64_t e = t ? ld(t, s.i) : 0;

		if (level == leaf) {
			if (!(e & PTE_P))
				continue;
			/* a page table with nothing in it may be replaced
			 * by a large leaf */
			if (level > 1 && (e & PTE_TABLE) &&
			    table_empty(table(pt, e)))
				continue;
			return -EEXIST;
		}
		if (!(e & PTE_P)) {
			*need += 1;
			rc = map_check(pt, NULL, level - 1, s.lo, s.hi, leaf,
				       need);
		} else if (is_leaf(e, level)) {
			return -EEXIST;
		} else {
			rc = map_check(pt, table(pt, e), level - 1, s.lo, s.hi,
				       leaf, need);
		}
		if (rc)
			return rc;
	} while (span_next(&s));
	return 0;
}

/* Map apply pass: leaf entries for [va, last] map va + delta. */
static void map_apply(const struct ukarch_pt *pt, struct pool *p, uint64_t *t,
		      int level, uint64_t va, uint64_t last, int leaf,
		      uint64_t delta, uint64_t bits)
{
	struct span s;

	span_start(&s, level, va, last);
	do {
		uint64_t e = ld(t, s.i);

		if (level == leaf) {
			st(t, s.i, ((s.lo + delta) & PTE_ADDR) | bits);
			flush(pt, s.lo);
			if (e & PTE_P) /* the empty table map_check allowed */
				free_table(pt, e);
			continue;
		}
		if (!(e & PTE_P)) {
			e = pool_take(pt, p) | PTE_P | PTE_TABLE;
			st(t, s.i, e);
		}
		map_apply(pt, p, table(pt, e), level - 1, s.lo, s.hi, leaf,
			  delta, bits);
	} while (span_next(&s));
}

/*
 * Tables needed to split a leaf at `level` so that [lo, hi], a part of it,
 * is covered by whole leaves.
 */
static uint64_t split_need(int level, uint64_t lo, uint64_t hi)
{
	struct span s;
	uint64_t n = 1;

	if (level - 1 == 1)
		return n; /* 4 KiB leaves: [lo, hi] is 4 KiB aligned */
	span_start(&s, level - 1, lo, hi);
	do {
		if (!s.full)
			n += split_need(level - 1, s.lo, s.hi);
	} while (span_next(&s));
	return n;
}

/* Replace the leaf t[i] at `level` by a table of 512 leaves one level down
 * with the same addresses and bits. Returns the new entry. */
static uint64_t split(const struct ukarch_pt *pt, struct pool *p, uint64_t *t,
		      unsigned i, int level, uint64_t base, uint64_t e)
{
	uint64_t pa = pool_take(pt, p);
	uint64_t *c = table(pt, pa);
	uint64_t csize = lvl_size(level - 1);
	uint64_t addr = e & PTE_ADDR & ~(lvl_size(level) - 1);
	/* the same attributes; pages (level 1) carry bit 1, blocks not */
	uint64_t flags =
		(e & ~PTE_ADDR & ~PTE_TABLE) | (level - 1 == 1 ? PTE_TABLE : 0);
	uint64_t ne;

	for (unsigned k = 0; k < NENTRIES; k++)
		st(c, k, (addr + k * csize) | flags);
	ne = pa | PTE_P | PTE_TABLE;
	st(t, i, ne);
	flush(pt, base); /* drops the large TLB entry */
	return ne;
}

/* Unmap/protect check pass: -ENOENT if some page of [va, last] is not
 * mapped; otherwise add to *need the tables that splits will take. */
static int present_check(const struct ukarch_pt *pt, const uint64_t *t,
			 int level, uint64_t va, uint64_t last, uint64_t *need)
{
	struct span s;
	int rc;

	span_start(&s, level, va, last);
	do {
		uint64_t e = ld(t, s.i);

		if (!(e & PTE_P))
			return -ENOENT;
		if (is_leaf(e, level)) {
			if (!s.full)
				*need += split_need(level, s.lo, s.hi);
			continue;
		}
		rc = present_check(pt, table(pt, e), level - 1, s.lo, s.hi,
				   need);
		if (rc)
			return rc;
	} while (span_next(&s));
	return 0;
}

enum range_op { OP_UNMAP, OP_PROTECT };

/* Unmap/protect apply pass; bits are the new AP[2]/PXN bits for OP_PROTECT. */
static void range_apply(const struct ukarch_pt *pt, struct pool *p, uint64_t *t,
			int level, uint64_t va, uint64_t last, enum range_op op,
			uint64_t bits)
{
	struct span s;

	span_start(&s, level, va, last);
	do {
		uint64_t e = ld(t, s.i), ne;
		uint64_t *c;

		if (is_leaf(e, level)) {
			if (s.full) {
				if (op == OP_UNMAP)
					ne = 0;
				else
					ne = (e & ~(PTE_RO | PTE_PXN)) | bits;
				if (ne != e) {
					st(t, s.i, ne);
					flush(pt, s.base);
				}
				continue;
			}
			e = split(pt, p, t, s.i, level, s.base, e);
		}
		c = table(pt, e);
		range_apply(pt, p, c, level - 1, s.lo, s.hi, op, bits);
		if (op == OP_UNMAP && pt->ops.free_table && table_empty(c)) {
			st(t, s.i, 0);
			flush(pt, s.base); /* no cached walk may use it now */
			free_table(pt, e);
		}
	} while (span_next(&s));
}

int ukarch_pt_init(struct ukarch_pt *pt, const struct ukarch_pt_ops *ops)
{
	uint64_t pa;

	pt->ops = *ops;
	if (ops->alloc_table(ops->ctx, &pa) != 0)
		return -ENOMEM;
	pt->root = pa & PTE_ADDR;
	return 0;
}

int ukarch_pt_map(struct ukarch_pt *pt, uint64_t vaddr, uint64_t paddr,
		  uint64_t len, int prot, int flags)
{
	struct pool p = {0, 0};
	uint64_t last, bits, size, need = 0;
	int leaf, rc;

	if (flags & ~UKARCH_PAGE_2M)
		return -EINVAL;
	leaf = (flags & UKARCH_PAGE_2M) ? 2 : 1;
	size = lvl_size(leaf);
	rc = check_range(vaddr, len, size, &last);
	if (rc)
		return rc;
	rc = prot_bits(prot, &bits);
	if (rc)
		return rc;
	if ((paddr & (size - 1)) || paddr >= MAX_PADDR ||
	    len > MAX_PADDR - paddr)
		return -EINVAL;

	rc = map_check(pt, table(pt, pt->root), 4, vaddr, last, leaf, &need);
	if (rc)
		return rc;
	rc = pool_fill(pt, &p, need);
	if (rc)
		return rc;
	map_apply(pt, &p, table(pt, pt->root), 4, vaddr, last, leaf,
		  paddr - vaddr,
		  LEAF_BASE | bits | (leaf == 1 ? PTE_TABLE : 0));
	pool_release(pt, &p); /* empty unless the count was wrong */
	return 0;
}

static int range_op(struct ukarch_pt *pt, uint64_t vaddr, uint64_t len,
		    enum range_op op, uint64_t bits)
{
	struct pool p = {0, 0};
	uint64_t last, need = 0;
	int rc;

	rc = check_range(vaddr, len, UKARCH_PAGE_SIZE_4K, &last);
	if (rc)
		return rc;
	rc = present_check(pt, table(pt, pt->root), 4, vaddr, last, &need);
	if (rc)
		return rc;
	rc = pool_fill(pt, &p, need);
	if (rc)
		return rc;
	range_apply(pt, &p, table(pt, pt->root), 4, vaddr, last, op, bits);
	pool_release(pt, &p);
	return 0;
}

int ukarch_pt_unmap(struct ukarch_pt *pt, uint64_t vaddr, uint64_t len)
{
	return range_op(pt, vaddr, len, OP_UNMAP, 0);
}

int ukarch_pt_protect(struct ukarch_pt *pt, uint64_t vaddr, uint64_t len,
		      int prot)
{
	uint64_t bits;
	int rc = prot_bits(prot, &bits);

	if (rc)
		return rc;
	return range_op(pt, vaddr, len, OP_PROTECT, bits);
}

int ukarch_pt_lookup(const struct ukarch_pt *pt, uint64_t vaddr,
		     uint64_t *paddr, int *prot, uint64_t *page_size)
{
	uint64_t e = pt->root, ro = 0, nx = 0;

	if (!canonical(vaddr))
		return -EINVAL;
	for (int level = 4; level >= 1; level--) {
		e = ld(table(pt, e), lvl_index(vaddr, level));
		if (!(e & PTE_P) || (level == 4 && !(e & PTE_TABLE)) ||
		    (level == 1 && !(e & PTE_TABLE)))
			return -ENOENT; /* invalid, or reserved encodings */
		if (is_leaf(e, level)) {
			ro |= e & PTE_RO;
			nx |= e & PTE_PXN;
		} else {
			ro |= e & UKARCH_PTE_APTABLE_RO;
			nx |= e & UKARCH_PTE_PXNTABLE;
		}
		if (is_leaf(e, level)) {
			uint64_t size = lvl_size(level);

			if (paddr)
				*paddr = (e & PTE_ADDR & ~(size - 1)) +
					 (vaddr & (size - 1));
			if (prot)
				*prot = UKARCH_PROT_READ |
					(ro ? 0 : UKARCH_PROT_WRITE) |
					(nx ? 0 : UKARCH_PROT_EXEC);
			if (page_size)
				*page_size = size;
			return 0;
		}
	}
	return -ENOENT; /* not reached: level 1 entries are leaves */
}
