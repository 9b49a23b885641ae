/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * memcpy. Built without LTO and without loop-to-libcall transformations (see
 * meson.build): the compiler emits calls to it on its own.
 */
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((__may_alias__)) word_t;

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(word_t) - 1)) == 0) {
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
