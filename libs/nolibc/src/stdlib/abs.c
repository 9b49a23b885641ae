/* SPDX-License-Identifier: BSD-3-Clause */
/* abs, labs, llabs, imaxabs. The most negative value has no absolute value
 * (undefined behaviour in C); here it comes back unchanged. */
#include <inttypes.h>
#include <stdlib.h>

int abs(int x)
{
	return x < 0 ? (int)(0U - (unsigned int)x) : x;
}

long labs(long x)
{
	return x < 0 ? (long)(0UL - (unsigned long)x) : x;
}

long long llabs(long long x)
{
	return x < 0 ? (long long)(0ULL - (unsigned long long)x) : x;
}

intmax_t imaxabs(intmax_t x)
{
	return x < 0 ? (intmax_t)(0 - (uintmax_t)x) : x;
}
