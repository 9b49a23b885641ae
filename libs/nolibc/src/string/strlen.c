/* SPDX-License-Identifier: BSD-3-Clause */
/* strlen, strnlen. strnlen never reads s[maxlen] or beyond. */
#include <string.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}
