/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BLAKE2s-256 (RFC 7693), the entropy pool's mixing function, and
 * SipHash-2-4, the keyed hash of short inputs (TCP initial sequence
 * numbers). Both written from their specifications.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/random.h>
#include "hash.h"

static inline uint32_t rotr32(uint32_t v, int n)
{
	return (v >> n) | (v << (32 - n));
}

static inline uint64_t rotl64(uint64_t v, int n)
{
	return (v << n) | (v >> (64 - n));
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

/* ---- BLAKE2s ---- */

static const uint32_t b2s_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				   0xa54ff53a, 0x510e527f, 0x9b05688c,
				   0x1f83d9ab, 0x5be0cd19};

static const uint8_t b2s_sigma[10][16] = {
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
	{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
	{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
	{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
	{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
	{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
	{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
	{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

#define B2S_G(a, b, c, d, x, y)                 \
	do {                                    \
		v[a] = v[a] + v[b] + (x);       \
		v[d] = rotr32(v[d] ^ v[a], 16); \
		v[c] = v[c] + v[d];             \
		v[b] = rotr32(v[b] ^ v[c], 12); \
		v[a] = v[a] + v[b] + (y);       \
		v[d] = rotr32(v[d] ^ v[a], 8);  \
		v[c] = v[c] + v[d];             \
		v[b] = rotr32(v[b] ^ v[c], 7);  \
	} while (0)

static void b2s_compress(struct uk_blake2s *s, int last)
{
	uint32_t v[16], m[16];

	for (int i = 0; i < 16; i++)
		m[i] = ld32(s->buf + 4 * i);
	for (int i = 0; i < 8; i++) {
		v[i] = s->h[i];
		v[i + 8] = b2s_iv[i];
	}
	v[12] ^= (uint32_t)s->t;
	v[13] ^= (uint32_t)(s->t >> 32);
	if (last)
		v[14] = ~v[14];
	for (int r = 0; r < 10; r++) {
		const uint8_t *sg = b2s_sigma[r];
		B2S_G(0, 4, 8, 12, m[sg[0]], m[sg[1]]);
		B2S_G(1, 5, 9, 13, m[sg[2]], m[sg[3]]);
		B2S_G(2, 6, 10, 14, m[sg[4]], m[sg[5]]);
		B2S_G(3, 7, 11, 15, m[sg[6]], m[sg[7]]);
		B2S_G(0, 5, 10, 15, m[sg[8]], m[sg[9]]);
		B2S_G(1, 6, 11, 12, m[sg[10]], m[sg[11]]);
		B2S_G(2, 7, 8, 13, m[sg[12]], m[sg[13]]);
		B2S_G(3, 4, 9, 14, m[sg[14]], m[sg[15]]);
	}
	for (int i = 0; i < 8; i++)
		s->h[i] ^= v[i] ^ v[i + 8];
	memset(v, 0, sizeof(v));
	memset(m, 0, sizeof(m));
}

void uk_blake2s_init(struct uk_blake2s *s)
{
	memcpy(s->h, b2s_iv, sizeof(s->h));
	s->h[0] ^= 0x01010000u ^ 32u; /* no key, 32-byte digest */
	s->t = 0;
	s->n = 0;
}

void uk_blake2s_update(struct uk_blake2s *s, const void *in, size_t len)
{
	const uint8_t *p = in;

	while (len) {
		/* a full buffer is compressed only once more input follows:
		 * the last block must be compressed with the final flag */
		if (s->n == sizeof(s->buf)) {
			s->t += sizeof(s->buf);
			b2s_compress(s, 0);
			s->n = 0;
		}
		size_t c = sizeof(s->buf) - s->n;
		if (c > len)
			c = len;
		memcpy(s->buf + s->n, p, c);
		s->n += c;
		p += c;
		len -= c;
	}
}

void uk_blake2s_final(struct uk_blake2s *s, uint8_t out[32])
{
	s->t += s->n;
	memset(s->buf + s->n, 0, sizeof(s->buf) - s->n);
	b2s_compress(s, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)s->h[i];
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 3] = (uint8_t)(s->h[i] >> 24);
	}
	memset(s, 0, sizeof(*s));
}

void uk_blake2s256(const void *in, size_t len, uint8_t out[32])
{
	struct uk_blake2s s;

	uk_blake2s_init(&s);
	uk_blake2s_update(&s, in, len);
	uk_blake2s_final(&s, out);
}

/* ---- SipHash-2-4 ---- */

#define SIPROUND                                                              \
	do {                                                                  \
		v0 += v1, v1 = rotl64(v1, 13), v1 ^= v0, v0 = rotl64(v0, 32); \
		v2 += v3, v3 = rotl64(v3, 16), v3 ^= v2;                      \
		v0 += v3, v3 = rotl64(v3, 21), v3 ^= v0;                      \
		v2 += v1, v1 = rotl64(v1, 17), v1 ^= v2, v2 = rotl64(v2, 32); \
	} while (0)

uint64_t uk_siphash24(const uint8_t key[16], const void *in, size_t len)
{
	const uint8_t *p = in;
	uint64_t k0 = ld64(key), k1 = ld64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull;
	uint64_t v3 = k1 ^ 0x7465646279746573ull;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = ld64(p + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)p[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
