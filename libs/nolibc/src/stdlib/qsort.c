/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qsort: heapsort. O(n log n) comparisons in every case, no recursion, no
 * allocation; not stable (C does not ask for it).
 */
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);
typedef long __attribute__((__may_alias__)) word_t;

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
	if ((((uintptr_t)a | (uintptr_t)b | size) & (sizeof(word_t) - 1)) ==
	    0) {
		word_t *p = (word_t *)(void *)a, *q = (word_t *)(void *)b;

		for (size /= sizeof(word_t); size; size--, p++, q++) {
			word_t t = *p;

			*p = *q;
			*q = t;
		}
		return;
	}
	for (; size; size--, a++, b++) {
		unsigned char t = *a;

		*a = *b;
		*b = t;
	}
}

/* Restore the max-heap property below node i of a heap of n elements. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
		      cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + i * size, base + child * size) >= 0)
			return;
		swap(base + i * size, base + child * size, size);
		i = child;
	}
}

void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *))
{
	unsigned char *b = base;
	size_t i;

	if (nmemb < 2 || size == 0)
		return;
	for (i = nmemb / 2; i > 0; i--)
		sift_down(b, i - 1, nmemb, size, compar);
	for (i = nmemb - 1; i > 0; i--) {
		swap(b, b + i * size, size);
		sift_down(b, 0, i, size, compar);
	}
}
