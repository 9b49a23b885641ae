/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strstr: naive search, O(len(haystack) * len(needle)) in the worst case.
 * Good enough for the short strings unikernel code searches.
 */
#include <string.h>

char *strstr(const char *haystack, const char *needle)
{
	size_t i;

	if (!*needle)
		return (char *)haystack;
	for (; *haystack; haystack++) {
		if (*haystack != *needle)
			continue;
		for (i = 1; needle[i] && haystack[i] == needle[i]; i++)
			;
		if (!needle[i])
			return (char *)haystack;
		if (!haystack[i])
			break; /* the rest of haystack is too short */
	}
	return NULL;
}
