/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reentrant allocator entry points newlib's own code calls (stdio
 * buffers, atexit, strdup, ...), on malloc & co. from ukalloc.
 */
#include <errno.h>
#include <reent.h>
#include <stddef.h>
#include <stdlib.h>

/*
 * Weak stand-ins for images without an allocator (ukalloc's strong
 * definitions win when it is linked): every request fails with ENOMEM.
 * newlib's own code calls malloc/free directly in places, too.
 */
__attribute__((weak)) void *malloc(size_t n)
{
	(void)n;
	errno = ENOMEM;
	return NULL;
}

__attribute__((weak)) void *calloc(size_t nmemb, size_t n)
{
	(void)nmemb, (void)n;
	errno = ENOMEM;
	return NULL;
}

__attribute__((weak)) void *realloc(void *p, size_t n)
{
	(void)p, (void)n;
	errno = ENOMEM;
	return NULL;
}

__attribute__((weak)) void free(void *p)
{
	(void)p;
}

__attribute__((weak)) void *memalign(size_t align, size_t n)
{
	(void)align, (void)n;
	errno = ENOMEM;
	return NULL;
}

__attribute__((weak)) size_t malloc_usable_size(void *p)
{
	(void)p;
	return 0;
}

static void *nomem(struct _reent *r)
{
	r->_errno = ENOMEM;
	return NULL;
}

void *_malloc_r(struct _reent *r, size_t n)
{
	void *p = malloc(n);

	return p ? p : nomem(r);
}

void *_calloc_r(struct _reent *r, size_t nmemb, size_t n)
{
	void *p = calloc(nmemb, n);

	return p ? p : nomem(r);
}

void *_realloc_r(struct _reent *r, void *old, size_t n)
{
	void *p = realloc(old, n);

	return (p || n == 0) ? p : nomem(r);
}

void _free_r(struct _reent *r, void *p)
{
	(void)r;
	free(p);
}

void *_memalign_r(struct _reent *r, size_t align, size_t n)
{
	void *p = memalign(align, n);

	return p ? p : nomem(r);
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
	(void)r;
	return malloc_usable_size(p);
}
