/* SPDX-License-Identifier: BSD-3-Clause */
/* ukrandom internal: incremental BLAKE2s-256 for the entropy pool. */
#ifndef UKRANDOM_HASH_H
#define UKRANDOM_HASH_H

#include <stddef.h>
#include <stdint.h>

struct uk_blake2s {
	uint32_t h[8];
	uint64_t t; /* bytes compressed so far */
	uint8_t buf[64];
	size_t n; /* bytes in buf */
};

void uk_blake2s_init(struct uk_blake2s *s);
void uk_blake2s_update(struct uk_blake2s *s, const void *in, size_t len);
/* Writes the digest and wipes the state. */
void uk_blake2s_final(struct uk_blake2s *s, uint8_t out[32]);

#endif
