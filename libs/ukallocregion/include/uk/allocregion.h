/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocregion: a region (bump) allocator, the smallest backend of ukalloc.
 *
 * Blocks are carved one after the other from the start of the free space;
 * free() does nothing, so memory is never reclaimed. Every operation is O(1)
 * (O(number of regions), at most UK_ALLOCREGION_MAX_REGIONS). Each block costs
 * a size_t header in front of it plus rounding to 16 bytes.
 */
#ifndef UK_ALLOCREGION_H
#define UK_ALLOCREGION_H

#include <stddef.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Smallest `len` uk_allocregion_init() accepts (the control data
 * takes about 250 bytes of it). */
#define UK_ALLOCREGION_MIN_LEN 512
/* Memory regions one allocator can use: the first plus this many - 1 added
 * with uk_alloc_addmem() (more: -ENOSPC). */
#define UK_ALLOCREGION_MAX_REGIONS 4
/* Smallest region uk_alloc_addmem() accepts (smaller: -EINVAL). */
#define UK_ALLOCREGION_MIN_ADDMEM 64

/*
 * Build a region allocator whose control data lives at the start of
 * [base, base + len); the rest is its heap. Returns NULL if len is smaller
 * than UK_ALLOCREGION_MIN_LEN or the range wraps around the address space.
 * Does not register it. O(1): touches only the control data.
 *
 * ops: malloc, memalign, free (no-op), usable_size, addmem, availmem (the
 * bytes left); realloc, palloc and pfree are NULL (the ukalloc wrappers
 * allocate anew and copy, or use memalign).
 */
struct uk_alloc *uk_allocregion_init(void *base, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* UK_ALLOCREGION_H */
