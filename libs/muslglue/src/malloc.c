/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's internal allocation entry points (it calls these where a program's
 * own malloc must not be used). unikit's malloc is ukalloc's, not
 * replaceable, so they are the same functions.
 */
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_malloc_impl(size_t n);
void *__libc_calloc(size_t m, size_t n);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

void *__libc_malloc(size_t n)
{
	return malloc(n);
}

void *__libc_malloc_impl(size_t n)
{
	return malloc(n);
}

void *__libc_calloc(size_t m, size_t n)
{
	return calloc(m, n);
}

void *__libc_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

void __libc_free(void *p)
{
	free(p);
}
