/* SPDX-License-Identifier: BSD-3-Clause */
/* memcmp. Built without LTO: the compiler may emit calls to it. */
#include <string.h>

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}
