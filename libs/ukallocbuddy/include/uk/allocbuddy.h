/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocbuddy: a binary buddy allocator, also a page allocator.
 *
 * Blocks are 2^k bytes (32 B to 1 TiB), aligned to their size; a freed block
 * merges with its buddy (block address XOR size) while that is free too.
 * Every operation is O(log n). Blocks have no header: the state lives in
 * bitmaps at the start of each memory region (3 bits per 32 bytes, 1.2 %),
 * and a block costs its rounding up to a power of two. palloc(n) hands out
 * exactly n pages (4 KiB-aligned), giving the rest of the power of two back.
 */
#ifndef UK_ALLOCBUDDY_H
#define UK_ALLOCBUDDY_H

#include <stddef.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Smallest `len` uk_allocbuddy_init() accepts: the control data take about
 * 1 KiB plus 1.2 % of len. */
#define UK_ALLOCBUDDY_MIN_LEN 4096
/* Smallest region uk_alloc_addmem() accepts (smaller: -EINVAL); the region
 * header takes about 400 bytes plus 1.2 % of it. */
#define UK_ALLOCBUDDY_MIN_ADDMEM 1024

/*
 * Build a buddy allocator whose control data lives at the start of
 * [base, base + len); the rest is its heap. Returns NULL if len is smaller
 * than UK_ALLOCBUDDY_MIN_LEN or the range wraps around the address space.
 * Does not register it. O(log len): the bitmaps are not cleared (only the
 * bits of the initial blocks are written), the heap gets at most ~72 block
 * headers.
 *
 * ops: all of them. palloc(n)/pfree(p, n) must be paired with the same n;
 * malloc/memalign/realloc blocks go to free(). addmem takes any number of
 * disjoint regions (overlap: -EINVAL); blocks never span two regions.
 */
struct uk_alloc *uk_allocbuddy_init(void *base, size_t len);

/*
 * Check the free lists, bitmaps and block tree (O(number of blocks x
 * log n); for tests and debugging). Returns the number of free blocks, or a
 * negative value identifying the first inconsistency found.
 */
long uk_allocbuddy_check(struct uk_alloc *a);

#ifdef __cplusplus
}
#endif
#endif /* UK_ALLOCBUDDY_H */
