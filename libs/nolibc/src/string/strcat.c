/* SPDX-License-Identifier: BSD-3-Clause */
/* strcat, strncat. */
#include <string.h>

char *strcat(char *__restrict dst, const char *__restrict src)
{
	stpcpy(dst + strlen(dst), src);
	return dst;
}

/* Appends at most n bytes of src, then always a NUL. */
char *strncat(char *__restrict dst, const char *__restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	for (; n && *src; n--)
		*d++ = *src++;
	*d = '\0';
	return dst;
}
