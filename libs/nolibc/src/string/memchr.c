/* SPDX-License-Identifier: BSD-3-Clause */
/* memchr, memrchr: first / last byte equal to (unsigned char)c. */
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	for (; n; n--, p++) {
		if (*p == b)
			return (void *)p;
	}
	return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;
	unsigned char b = (unsigned char)c;

	while (n--) {
		if (*--p == b)
			return (void *)p;
	}
	return NULL;
}
