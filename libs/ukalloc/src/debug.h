/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to ukalloc: the debug layer around every backend call. */
#ifndef UKALLOC_DEBUG_H
#define UKALLOC_DEBUG_H

#include <stddef.h>
#include <uk/alloc.h>

#ifndef UK_ALLOC_DEBUG
#define UK_ALLOC_DEBUG 0
#endif

typedef void *(*uk_alloc_raw_fn)(struct uk_alloc *a, size_t align, size_t size);

/*
 * Debug blocks: [padding][header 32 B][user bytes][canary 16 B]. The header
 * holds a magic (live or freed), the requested size and the offset back to the
 * backend's block. free() checks the magic (double free, foreign pointer) and
 * the canary (writes past the end), then poisons the user bytes with 0xdb.
 * Every problem is reported with UK_CRASH naming the block and its size.
 */
void *uk_alloc_dbg_alloc(struct uk_alloc *a, size_t align, size_t size,
			 uk_alloc_raw_fn raw);
/* Checks and frees the block; returns the size it had. */
size_t uk_alloc_dbg_free(struct uk_alloc *a, void *ptr);
size_t uk_alloc_dbg_usable(struct uk_alloc *a, const void *ptr);

#endif
