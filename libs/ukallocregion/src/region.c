/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocregion: region (bump) allocator.
 *
 * Data structure
 *   struct ralloc, at the 16-aligned start of the first memory region, holds
 *   the struct uk_alloc and up to UK_ALLOCREGION_MAX_REGIONS regions. Each
 *   region is [start, end) with a cursor `cur`: [cur, end) has never been
 *   handed out. A block is a size_t header holding its usable size, followed
 *   by the user bytes:
 *
 *       cur -> [size_t usable][user bytes ...........][next header] ...
 *                             ^ 16-aligned user pointer
 *
 * Invariants
 *   - start <= cur <= end, and (cur + HDR) % 16 == 0: the next block's user
 *     pointer, cur + HDR, is 16-aligned without padding;
 *   - usable % 16 == 16 - HDR, so a block ends where the invariant holds
 *     again; memalign() skips a gap (lost) to reach a larger alignment;
 *   - cur only grows: memory is never reused, free() is a no-op, and
 *     availmem() (the sum of end - cur) only decreases;
 *   - end <= UINTPTR_MAX - GUARD, so cur + HDR + align and size + HDR + 15
 *     (with align, size <= end - cur, checked first) cannot wrap.
 *
 * Every operation is O(number of regions), at most 4.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocregion.h>

#define ALIGN 16
#define HDR   sizeof(size_t)
#define GUARD 4096

struct region {
	uintptr_t start; /* the whole range given to us, for overlap checks */
	uintptr_t cur;	 /* first byte never handed out */
	uintptr_t end;
};

struct ralloc {
	struct uk_alloc a; /* first: a struct uk_alloc * is a struct ralloc * */
	unsigned int nr;
	struct region r[UK_ALLOCREGION_MAX_REGIONS];
};

static struct ralloc *ra_of(struct uk_alloc *a)
{
	return (struct ralloc *)a;
}

/* [start, end) with end - start >= HDR + ALIGN and end below the guard. */
static void region_set(struct region *r, uintptr_t start, uintptr_t end)
{
	r->start = start;
	r->cur = ((start + HDR + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1)) - HDR;
	r->end = end;
}

/* A block of at least `size` bytes at a multiple of `align` (a power of two
 * >= ALIGN) from region r, or NULL if it does not fit. */
static void *carve(struct region *r, size_t align, size_t size)
{
	uintptr_t room = r->end - r->cur;
	uintptr_t p;
	size_t usable;

	if (size > room || align > room)
		return NULL;
	p = (r->cur + HDR + align - 1) & ~(uintptr_t)(align - 1);
	usable = ((size + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1)) - HDR;
	if (p > r->end || usable > r->end - p)
		return NULL;
	*(size_t *)(p - HDR) = usable;
	r->cur = p + usable;
	return (void *)p;
}

static void *ra_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct ralloc *ra = ra_of(a);
	void *p;

	if (!align || (align & (align - 1)))
		return NULL;
	if (align < ALIGN)
		align = ALIGN;
	for (unsigned int i = 0; i < ra->nr; i++) {
		p = carve(&ra->r[i], align, size);
		if (p)
			return p;
	}
	return NULL;
}

static void *ra_malloc(struct uk_alloc *a, size_t size)
{
	return ra_memalign(a, ALIGN, size);
}

static void ra_free(struct uk_alloc *a, void *ptr)
{
	(void)a;
	(void)ptr;
}

static size_t ra_usable_size(struct uk_alloc *a, const void *ptr)
{
	(void)a;
	return *(const size_t *)((uintptr_t)ptr - HDR);
}

static int ra_addmem(struct uk_alloc *a, void *base, size_t len)
{
	struct ralloc *ra = ra_of(a);
	uintptr_t b = (uintptr_t)base;

	if (!base || len < UK_ALLOCREGION_MIN_ADDMEM ||
	    len > UINTPTR_MAX - GUARD - b)
		return -EINVAL;
	for (unsigned int i = 0; i < ra->nr; i++)
		if (b < ra->r[i].end && ra->r[i].start < b + len)
			return -EINVAL; /* overlaps memory we have */
	if (ra->nr == UK_ALLOCREGION_MAX_REGIONS)
		return -ENOSPC;
	region_set(&ra->r[ra->nr], b, b + len);
	ra->nr++;
	return 0;
}

static size_t ra_availmem(const struct uk_alloc *a)
{
	const struct ralloc *ra = (const struct ralloc *)a;
	size_t n = 0;

	for (unsigned int i = 0; i < ra->nr; i++)
		n += ra->r[i].end - ra->r[i].cur;
	return n;
}

struct uk_alloc *uk_allocregion_init(void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;
	struct ralloc *ra;

	if (!base || len < UK_ALLOCREGION_MIN_LEN ||
	    len > UINTPTR_MAX - GUARD - b)
		return NULL;
	ra = (struct ralloc *)((b + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1));
	memset(ra, 0, sizeof(*ra));
	ra->a.name = "region";
	ra->a.ops.malloc = ra_malloc;
	ra->a.ops.memalign = ra_memalign;
	ra->a.ops.free = ra_free;
	ra->a.ops.usable_size = ra_usable_size;
	ra->a.ops.addmem = ra_addmem;
	ra->a.ops.availmem = ra_availmem;
	region_set(&ra->r[0], (uintptr_t)(ra + 1), b + len);
	ra->r[0].start = b;
	ra->nr = 1;
	return &ra->a;
}
