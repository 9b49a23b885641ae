/* SPDX-License-Identifier: BSD-3-Clause */
/* memmove: like memcpy, for overlapping buffers. Built without LTO. */
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((__may_alias__)) word_t;

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	int aligned =
		(((uintptr_t)d | (uintptr_t)s) & (sizeof(word_t) - 1)) == 0;

	if (d == s || n == 0)
		return dst;

	if ((uintptr_t)d < (uintptr_t)s) {
		/* Forwards: every read happens before the write that could
		 * clobber it. Word copies are safe when d <= s - 8 or the
		 * pieces do not overlap within a word; with d < s and both
		 * aligned, d <= s - 8 holds. */
		if (aligned) {
			for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
				*(word_t *)(void *)d =
					*(const word_t *)(const void *)s;
				d += sizeof(word_t);
				s += sizeof(word_t);
			}
		}
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		if (aligned) {
			/* The tail may not be a whole word: do it first. */
			while (n & (sizeof(word_t) - 1)) {
				*--d = *--s;
				n--;
			}
			for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
				d -= sizeof(word_t);
				s -= sizeof(word_t);
				*(word_t *)(void *)d =
					*(const word_t *)(const void *)s;
			}
		}
		while (n--)
			*--d = *--s;
	}
	return dst;
}
