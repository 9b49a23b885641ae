/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukrandom: random bytes for the image and the getrandom system call.
 *
 * Source: RDRAND when CPUID.1:ECX bit 30 announces it (each 64-bit word
 * retried up to 10 times, as Intel recommends; a word that still fails comes
 * from the fallback). Fallback: a ChaCha20-based generator (fast key erasure:
 * the key is replaced after every request) seeded once, lazily, from RDSEED
 * when CPUID.7:EBX bit 18 announces it, else from TSC jitter and the clocks.
 * Never fails and never blocks, also at boot on CPUs without RDRAND/RDSEED
 * (where the seed is only as good as the timing jitter: see README.md).
 */
#ifndef UK_RANDOM_H
#define UK_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fill `buf` with `len` random bytes. */
void uk_random_fill(void *buf, size_t len);

/* Where the bytes come from now: "rdrand", "chacha20 (rdseed seed)" or
 * "chacha20 (jitter seed)"; for logs and tests. */
const char *uk_random_source(void);

/* One ChaCha20 block (RFC 8439 section 2.3): 64 bytes of key stream for
 * `key`, block `counter` and `nonce`. */
void uk_chacha20_block(const uint8_t key[32], uint32_t counter,
		       const uint8_t nonce[12], uint8_t out[64]);

/*
 * Tests: hide CPU features and forget the generator's state, so that the
 * next request chooses its source (and seeds) again.
 */
#define UK_RANDOM_HIDE_RDRAND 0x1 /* as if CPUID.1:ECX[30] were 0 */
#define UK_RANDOM_HIDE_RDSEED 0x2 /* as if CPUID.7:EBX[18] were 0 */
#define UK_RANDOM_FAIL_RDRAND 0x4 /* RDRAND present but never succeeds */
void uk_random_test_hide(unsigned int mask);

#ifdef __cplusplus
}
#endif
#endif /* UK_RANDOM_H */
