/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukalloc: the allocator interface.
 *
 * An allocator is a `struct uk_alloc` whose function pointers a backend
 * (ukallocbuddy, ukalloctlsf, ukallocregion) fills in. Several allocators can
 * be registered at once; one is the default, which malloc() and friends use.
 * Callers use the uk_* wrappers below, never the function pointers: the
 * wrappers keep the statistics and, in debug builds, check every block.
 *
 * Errors: functions returning a pointer return NULL (and count a failure);
 * functions returning int return 0 or a negative errno.
 */
#ifndef UK_ALLOC_H
#define UK_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_ALLOC_PAGE_SIZE 4096

struct uk_alloc;

/* What every backend implements. A backend MAY leave realloc, palloc, pfree
 * and addmem NULL: the wrappers then use malloc/memalign/free instead
 * (addmem then fails with -ENOTSUP). */
struct uk_alloc_ops {
	/* At least `size` bytes aligned to 16, or NULL. size 0 MAY return
	 * NULL or a unique pointer. */
	void *(*malloc)(struct uk_alloc *a, size_t size);
	/* `align` is a power of two >= sizeof(void *); size > 0. */
	void *(*memalign)(struct uk_alloc *a, size_t align, size_t size);
	/* Like C realloc; ptr != NULL and size > 0 (the wrapper handles the
	 * other cases). On failure the old block MUST stay valid. */
	void *(*realloc)(struct uk_alloc *a, void *ptr, size_t size);
	/* ptr != NULL and was returned by this allocator. */
	void (*free)(struct uk_alloc *a, void *ptr);
	/* Bytes usable at ptr (>= the size asked for). */
	size_t (*usable_size)(struct uk_alloc *a, const void *ptr);
	/* npages 4 KiB pages, 4 KiB-aligned. */
	void *(*palloc)(struct uk_alloc *a, size_t npages);
	void (*pfree)(struct uk_alloc *a, void *ptr, size_t npages);
	/* Give the allocator the memory [base, base + len). */
	int (*addmem)(struct uk_alloc *a, void *base, size_t len);
	/* Bytes still free (an upper bound on what one malloc can get). */
	size_t (*availmem)(const struct uk_alloc *a);
};

struct uk_alloc_stats {
	size_t cur_bytes;  /* usable bytes of live allocations */
	size_t peak_bytes; /* highest cur_bytes seen */
	uint64_t
		nb_allocs; /* successful malloc/calloc/memalign/realloc(NULL) */
	uint64_t nb_frees; /* free() of a non-NULL pointer */
	uint64_t nb_failures; /* requests answered with NULL / -ENOMEM */
	size_t cur_pages;     /* pages held through palloc */
};

struct uk_alloc {
	const char *name;
	struct uk_alloc_ops ops;
	struct uk_alloc_stats stats;
	struct uk_alloc *next; /* registry link, owned by ukalloc */
};

/* ---- registry ---- */

/* Add `a` to the registry; the first one registered becomes the default.
 * Returns 0, or -EEXIST if it is registered already. */
int uk_alloc_register(struct uk_alloc *a);
/* The default allocator, or NULL before any is registered. */
struct uk_alloc *uk_alloc_get_default(void);
/* Make a registered allocator the default; -ENOENT if not registered. */
int uk_alloc_set_default(struct uk_alloc *a);
/* The registered allocator called `name`, or NULL. */
struct uk_alloc *uk_alloc_find(const char *name);
/* Iterate: first (NULL) or the one after `a`. */
struct uk_alloc *uk_alloc_iter(struct uk_alloc *a);

/* ---- allocation, with statistics ---- */

void *uk_malloc(struct uk_alloc *a, size_t size);
void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size);
/* ptr NULL: like malloc. size 0 with ptr: frees ptr, returns NULL. */
void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size);
/* align: a power of two and a multiple of sizeof(void *), else -EINVAL.
 * Stores the block in *memptr; -ENOMEM leaves *memptr untouched. */
int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
		      size_t size);
/* align: any power of two (>= 1); NULL and a failure on bad alignment. */
void *uk_memalign(struct uk_alloc *a, size_t align, size_t size);
void uk_free(struct uk_alloc *a, void *ptr);
size_t uk_usable_size(struct uk_alloc *a, const void *ptr);
void *uk_palloc(struct uk_alloc *a, size_t npages);
void uk_pfree(struct uk_alloc *a, void *ptr, size_t npages);
int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t len);
size_t uk_alloc_availmem(const struct uk_alloc *a);
/* Copy of the statistics. */
void uk_alloc_stats_get(const struct uk_alloc *a, struct uk_alloc_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* UK_ALLOC_H */
