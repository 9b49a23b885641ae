/* SPDX-License-Identifier: BSD-3-Clause */
/* strcpy, stpcpy, strncpy. */
#include <string.h>

char *stpcpy(char *__restrict dst, const char *__restrict src)
{
	while ((*dst = *src)) {
		dst++;
		src++;
	}
	return dst;
}

char *strcpy(char *__restrict dst, const char *__restrict src)
{
	stpcpy(dst, src);
	return dst;
}

/* Copies at most n bytes; pads with NULs up to n; no NUL if src is longer. */
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}
