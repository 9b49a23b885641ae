/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library's allocation functions, served by the default allocator.
 * Whatever libc the image uses (nolibc today) declares them; ukalloc defines
 * them, so an image that never calls malloc() does not pull any of this in.
 */
#include <errno.h>
#include <stddef.h>
#include <uk/alloc.h>
#include <stdint.h>
#include <uk/boot.h>
#include <uk/plat/memory.h>

static struct uk_alloc *dflt(void)
{
	struct uk_alloc *a = uk_alloc_get_default();

	if (!a)
		errno = ENOMEM;
	return a;
}

void *malloc(size_t size)
{
	struct uk_alloc *a = dflt();
	void *p = a ? uk_malloc(a, size) : NULL;

	if (!p)
		errno = ENOMEM;
	return p;
}

void *calloc(size_t nmemb, size_t size)
{
	struct uk_alloc *a = dflt();
	void *p = a ? uk_calloc(a, nmemb, size) : NULL;

	if (!p)
		errno = ENOMEM;
	return p;
}

void *realloc(void *ptr, size_t size)
{
	struct uk_alloc *a = dflt();

	if (!a)
		return NULL;
	void *p = uk_realloc(a, ptr, size);
	if (!p && size)
		errno = ENOMEM;
	return p;
}

void free(void *ptr)
{
	struct uk_alloc *a = uk_alloc_get_default();

	if (a)
		uk_free(a, ptr);
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
	struct uk_alloc *a = dflt();

	if (!a)
		return ENOMEM;
	return -uk_posix_memalign(a, memptr, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	struct uk_alloc *a = dflt();
	void *p = a ? uk_memalign(a, align, size) : NULL;

	if (!p)
		errno = a ? EINVAL : ENOMEM;
	return p;
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

size_t malloc_usable_size(void *ptr)
{
	struct uk_alloc *a = uk_alloc_get_default();

	return a ? uk_usable_size(a, ptr) : 0;
}

/* main()'s stack (<uk/boot.h>): from the default allocator, never freed,
 * with a guard page below it. */
void *ukboot_stack_alloc(size_t len, uintptr_t *guard)
{
	struct uk_alloc *a = uk_alloc_get_default();
	char *mem;

	*guard = 0;
	if (!a || len > SIZE_MAX - 4096)
		return NULL;
	mem = uk_memalign(a, 4096, 4096 + len);
	if (!mem)
		return NULL;
	if (ukplat_page_guard(mem, 1) == 0)
		*guard = (uintptr_t)mem;
	return mem + 4096;
}
