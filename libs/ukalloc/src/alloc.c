/* SPDX-License-Identifier: BSD-3-Clause */
/* ukalloc: registry, wrappers with statistics, optional debug checks. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include "debug.h"

static struct uk_alloc *alloc_head;
static struct uk_alloc *alloc_default;

int uk_alloc_register(struct uk_alloc *a)
{
	for (struct uk_alloc *i = alloc_head; i; i = i->next)
		if (i == a)
			return -EEXIST;
	a->next = NULL;
	struct uk_alloc **tail = &alloc_head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = a;
	if (!alloc_default)
		alloc_default = a;
	return 0;
}

struct uk_alloc *uk_alloc_get_default(void)
{
	return alloc_default;
}

int uk_alloc_set_default(struct uk_alloc *a)
{
	for (struct uk_alloc *i = alloc_head; i; i = i->next) {
		if (i == a) {
			alloc_default = a;
			return 0;
		}
	}
	return -ENOENT;
}

struct uk_alloc *uk_alloc_find(const char *name)
{
	for (struct uk_alloc *i = alloc_head; i; i = i->next)
		if (i->name && !strcmp(i->name, name))
			return i;
	return NULL;
}

struct uk_alloc *uk_alloc_iter(struct uk_alloc *a)
{
	return a ? a->next : alloc_head;
}

/* ---- statistics ---- */

static void account_alloc(struct uk_alloc *a, void *p)
{
	if (!p) {
		a->stats.nb_failures++;
		return;
	}
	a->stats.nb_allocs++;
	a->stats.cur_bytes += uk_usable_size(a, p);
	if (a->stats.cur_bytes > a->stats.peak_bytes)
		a->stats.peak_bytes = a->stats.cur_bytes;
}

static void account_free(struct uk_alloc *a, size_t usable)
{
	a->stats.nb_frees++;
	a->stats.cur_bytes -= usable;
}

/* ---- backend calls (through the debug layer when it is on) ---- */

static void *raw_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	if (align <= 16)
		return a->ops.malloc(a, size);
	return a->ops.memalign(a, align, size);
}

#if UK_ALLOC_DEBUG
#define B_ALLOC(a, al, sz) uk_alloc_dbg_alloc((a), (al), (sz), raw_memalign)
#define B_FREE(a, p)	   ((void)uk_alloc_dbg_free((a), (p)))
#define B_USABLE(a, p)	   uk_alloc_dbg_usable((a), (p))
#else
#define B_ALLOC(a, al, sz) raw_memalign((a), (al), (sz))
#define B_FREE(a, p)	   (a)->ops.free((a), (p))
#define B_USABLE(a, p)	   (a)->ops.usable_size((a), (p))
#endif

size_t uk_usable_size(struct uk_alloc *a, const void *ptr)
{
	return ptr ? B_USABLE(a, ptr) : 0;
}

void *uk_malloc(struct uk_alloc *a, size_t size)
{
	void *p = B_ALLOC(a, 16, size ? size : 1);

	account_alloc(a, p);
	return p;
}

void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(nmemb, size, &total)) {
		a->stats.nb_failures++;
		errno = ENOMEM;
		return NULL;
	}
	void *p = uk_malloc(a, total);
	if (p)
		memset(p, 0, total);
	return p;
}

void *uk_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	if (!align || (align & (align - 1))) {
		a->stats.nb_failures++;
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	void *p = B_ALLOC(a, align, size ? size : 1);
	account_alloc(a, p);
	return p;
}

int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
		      size_t size)
{
	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return -EINVAL;
	void *p = uk_memalign(a, align, size);
	if (!p)
		return -ENOMEM;
	*memptr = p;
	return 0;
}

void uk_free(struct uk_alloc *a, void *ptr)
{
	if (!ptr)
		return;
#if UK_ALLOC_DEBUG
	/* checks the block first, so a bad free is reported as one */
	account_free(a, uk_alloc_dbg_free(a, ptr));
#else
	account_free(a, a->ops.usable_size(a, ptr));
	a->ops.free(a, ptr);
#endif
}

void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	if (!ptr)
		return uk_malloc(a, size);
	if (!size) {
		uk_free(a, ptr);
		return NULL;
	}
	size_t old = B_USABLE(a, ptr);
#if !UK_ALLOC_DEBUG
	if (a->ops.realloc) {
		void *p = a->ops.realloc(a, ptr, size);
		if (!p) {
			a->stats.nb_failures++;
			return NULL;
		}
		a->stats.cur_bytes -= old;
		a->stats.cur_bytes += a->ops.usable_size(a, p);
		if (a->stats.cur_bytes > a->stats.peak_bytes)
			a->stats.peak_bytes = a->stats.cur_bytes;
		return p;
	}
#endif
	if (size <= old && old - size < 256)
		return ptr; /* fits, and shrinking would save little */
	void *p = B_ALLOC(a, 16, size);
	if (!p) {
		a->stats.nb_failures++;
		return NULL;
	}
	memcpy(p, ptr, old < size ? old : size);
	/* the move counts as one block replacing another */
	a->stats.cur_bytes += B_USABLE(a, p);
	if (a->stats.cur_bytes > a->stats.peak_bytes)
		a->stats.peak_bytes = a->stats.cur_bytes;
	a->stats.cur_bytes -= old;
	B_FREE(a, ptr);
	return p;
}

void *uk_palloc(struct uk_alloc *a, size_t npages)
{
	void *p;

	if (!npages || npages > SIZE_MAX / UK_ALLOC_PAGE_SIZE) {
		a->stats.nb_failures++;
		return NULL;
	}
	if (a->ops.palloc)
		p = a->ops.palloc(a, npages);
	else
		p = a->ops.memalign(a, UK_ALLOC_PAGE_SIZE,
				    npages * UK_ALLOC_PAGE_SIZE);
	if (!p)
		a->stats.nb_failures++;
	else
		a->stats.cur_pages += npages;
	return p;
}

void uk_pfree(struct uk_alloc *a, void *ptr, size_t npages)
{
	if (!ptr)
		return;
	a->stats.cur_pages -= npages;
	if (a->ops.pfree)
		a->ops.pfree(a, ptr, npages);
	else
		a->ops.free(a, ptr);
}

int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t len)
{
	if (!a->ops.addmem)
		return -ENOTSUP;
	return a->ops.addmem(a, base, len);
}

size_t uk_alloc_availmem(const struct uk_alloc *a)
{
	return a->ops.availmem(a);
}

void uk_alloc_stats_get(const struct uk_alloc *a, struct uk_alloc_stats *out)
{
	*out = a->stats;
}
