/* SPDX-License-Identifier: BSD-3-Clause */
/* strcasecmp, strncasecmp (<strings.h>): ASCII letters fold to lower case. */
#include <strings.h>

static int fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int strcasecmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && fold(*p) == fold(*q)) {
		p++;
		q++;
	}
	return fold(*p) - fold(*q);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (fold(*p) != fold(*q))
			return fold(*p) - fold(*q);
		if (!*p)
			break;
	}
	return 0;
}
