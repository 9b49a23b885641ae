/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukalloctlsf: a TLSF allocator (two-level segregated fit, Masmano et al.),
 * the default backend of ukalloc.
 *
 * malloc, free, memalign and realloc in place are O(1): free blocks sit in
 * 32 x 32 size-class lists found through two bitmaps; neighbours merge on
 * free. Each block costs 8 bytes (one size_t) plus rounding to 16 bytes;
 * the smallest block has 24 usable bytes.
 */
#ifndef UK_ALLOCTLSF_H
#define UK_ALLOCTLSF_H

#include <stddef.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Smallest `len` uk_alloctlsf_init() accepts: the control data (the list
 * heads) take about 8.5 KiB of it. */
#define UK_ALLOCTLSF_MIN_LEN 16384
/* Smallest region uk_alloc_addmem() accepts (smaller: -EINVAL). */
#define UK_ALLOCTLSF_MIN_ADDMEM 128

/*
 * Build a TLSF allocator whose control data lives at the start of
 * [base, base + len); the rest is its heap. Returns NULL if len is smaller
 * than UK_ALLOCTLSF_MIN_LEN or the range wraps around the address space.
 * Does not register it. O(1): writes ~300 bytes of control data and two block
 * headers, whatever len is. A region larger than 1 TiB is used up to 1 TiB.
 *
 * ops: all but palloc/pfree (the ukalloc wrappers use memalign/free for
 * pages); addmem takes any number of disjoint regions (overlap: -EINVAL).
 */
struct uk_alloc *uk_alloctlsf_init(void *base, size_t len);

/*
 * Check every block and list of the heap (O(number of blocks); for tests and
 * debugging). Returns the number of free blocks, or a negative value
 * identifying the first inconsistency found.
 */
long uk_alloctlsf_check(struct uk_alloc *a);

#ifdef __cplusplus
}
#endif
#endif /* UK_ALLOCTLSF_H */
