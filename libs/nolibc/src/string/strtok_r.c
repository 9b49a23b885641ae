/* SPDX-License-Identifier: BSD-3-Clause */
/* strtok_r: reentrant tokenizer; the state lives in *saveptr. */
#include <string.h>

char *strtok_r(char *__restrict s, const char *__restrict delim,
	       char **__restrict saveptr)
{
	char *tok;

	if (!s)
		s = *saveptr;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*saveptr = s;
		return NULL;
	}
	tok = s;
	s += strcspn(s, delim);
	if (*s)
		*s++ = '\0';
	*saveptr = s;
	return tok;
}
