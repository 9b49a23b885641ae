/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rand, srand: a 64-bit linear congruential generator (Knuth's MMIX
 * constants); rand() returns the top 31 bits. Not for cryptography. One
 * global state: not thread-safe.
 */
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 1;

void srand(unsigned int seed)
{
	state = seed;
}

int rand(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(state >> 33);
}
