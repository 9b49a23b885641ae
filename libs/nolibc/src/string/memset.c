/* SPDX-License-Identifier: BSD-3-Clause */
/* memset. Built without LTO and without loop-to-libcall transformations. */
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((__may_alias__)) word_t;

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	while (n && ((uintptr_t)d & (sizeof(word_t) - 1))) {
		*d++ = b;
		n--;
	}
	if (n >= sizeof(word_t)) {
		word_t w = b * (word_t)0x0101010101010101ULL;

		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)(void *)d = w;
			d += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}
