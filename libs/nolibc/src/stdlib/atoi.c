/* SPDX-License-Identifier: BSD-3-Clause */
/* atoi, atol, atoll: strtol & co. in base 10, without an end pointer. */
#include <stdlib.h>

int atoi(const char *nptr)
{
	return (int)strtol(nptr, NULL, 10);
}

long atol(const char *nptr)
{
	return strtol(nptr, NULL, 10);
}

long long atoll(const char *nptr)
{
	return strtoll(nptr, NULL, 10);
}
