/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukrandom: random bytes for the image and the getrandom system call.
 *
 * One generator: ChaCha20 with fast key erasure (the key is replaced by
 * fresh key stream after every request), keyed from an entropy pool (a
 * BLAKE2s chain) that every source feeds: RDSEED and RDRAND when the CPU
 * has them (collected at UK_INIT_EARLY), devices through
 * uk_random_add_entropy() (virtio-rng, libs/virtiorng), and timer jitter as
 * the last resort. The generator counts as seeded once sources credited 256
 * bits; at UK_INIT_LIB priority 9 (after device drivers) a generator still
 * unseeded is seeded from jitter, with a warning. README.md lists the
 * sources and what each is worth.
 */
#ifndef UK_RANDOM_H
#define UK_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fill `buf` with `len` random bytes. Seeds the generator first if no
 * source has yet (from the CPU's instructions, else timer jitter). */
void uk_random_fill(void *buf, size_t len);

/*
 * Mix `len` bytes from the entropy source `source` (a static name such as
 * "virtio-rng") into the pool, crediting `bits` bits of entropy (at most
 * 8 * len). Once 256 bits are credited the generator is (re)keyed from the
 * pool. Returns 0, or -EINVAL for a NULL buffer with len > 0 or a NULL name.
 */
int uk_random_add_entropy(const void *buf, size_t len, unsigned bits,
			  const char *source);

/* Non-zero once the generator is seeded (getrandom no longer blocks). */
int uk_random_seeded(void);

/* The sources that fed the generator so far, in order, comma-separated
 * ("rdseed, rdrand", "virtio-rng", "jitter"); "none" before any. */
const char *uk_random_sources(void);

/* The stack protector's canary: <uk/stackguard.h> (header-only, so that
 * the platforms use it without linking the generator). */

/* One ChaCha20 block (RFC 8439 section 2.3): 64 bytes of key stream for
 * `key`, block `counter` and `nonce`. */
void uk_chacha20_block(const uint8_t key[32], uint32_t counter,
		       const uint8_t nonce[12], uint8_t out[64]);

/* BLAKE2s-256 (RFC 7693) of `len` bytes, unkeyed. */
void uk_blake2s256(const void *in, size_t len, uint8_t out[32]);

/* SipHash-2-4 (Aumasson and Bernstein, 2012) of `len` bytes under the
 * 128-bit `key`: a keyed 64-bit hash for short inputs (TCP ISNs, hash
 * tables). */
uint64_t uk_siphash24(const uint8_t key[16], const void *in, size_t len);

/*
 * Tests: hide CPU features and forget all entropy (unseeded, no sources),
 * so that the next request chooses its sources and seeds again.
 */
#define UK_RANDOM_HIDE_RDRAND 0x1 /* as if CPUID.1:ECX[30] were 0 */
#define UK_RANDOM_HIDE_RDSEED 0x2 /* as if CPUID.7:EBX[18] were 0 */
#define UK_RANDOM_FAIL_RDRAND 0x4 /* RDRAND present but never succeeds */
void uk_random_test_hide(unsigned int mask);

#ifdef __cplusplus
}
#endif
#endif /* UK_RANDOM_H */
