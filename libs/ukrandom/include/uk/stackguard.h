/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukrandom: the stack protector's canary, for the platform's entry function
 * (docs/design.md, "Stack protector"). Header-only: the platforms call it
 * before anything else runs, and linking ukrandom's generator into every
 * image only for this would seed it at boot in every image (a clock
 * calibration, and a jitter warning on CPUs without RDSEED/RDRAND).
 *
 * Sources, as the generator's: RDSEED, else RDRAND (CPUID-announced, each
 * word retried), else TSC jitter around memory accesses (no clock reads:
 * the clocks are not set up that early). Four words are folded through a
 * 64-bit mixer; the low byte of the result is zeroed (a string read past a
 * buffer stops before the rest of the canary, a string write cannot
 * reproduce it). Under TCG's default CPU the canary comes from jitter,
 * which under -icount is deterministic.
 *
 * arm64: RNDR when ID_AA64ISAR0_EL1 announces it (FEAT_RNG), else jitter of
 * the generic timer's virtual count (CNTVCT_EL0) around memory accesses.
 */
#ifndef UK_STACKGUARD_H
#define UK_STACKGUARD_H

#include <stdint.h>
#if defined(__x86_64__)
#include <uk/arch/x86_64.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* uk_random_stack_guard()'s sources, for tests: hide one or make RDRAND
 * fail (the same bits as UK_RANDOM_HIDE_* in <uk/random.h>) */
#define UK_STACKGUARD_HIDE_RDRAND 0x1
#define UK_STACKGUARD_HIDE_RDSEED 0x2
#define UK_STACKGUARD_FAIL_RDRAND 0x4

static inline uint64_t uk_stackguard_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The free-running counter jitter is read from: the TSC, the generic
 * timer's virtual count. */
#if defined(__x86_64__)
static inline uint64_t uk_stackguard_count(void)
{
	return ukarch_rdtsc();
}
#elif defined(__aarch64__)
static inline uint64_t uk_stackguard_count(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}
#else
#error "<uk/stackguard.h>: no canary source for this architecture"
#endif

/* Without a CPU source, w[0] and w[1] from 128 counter samples around two
 * memory accesses each: a few thousand instructions. */
static inline void uk_stackguard_jitter(uint64_t w[4])
{
	static volatile uint8_t scratch[256];
	uint64_t acc, prev;

	w[0] ^= (uint64_t)(uintptr_t)w; /* stack address */
	prev = uk_stackguard_count();
	for (int i = 0; i < 2; i++) {
		acc = w[i];
		for (int k = 0; k < 64; k++) {
			uint64_t t;
			scratch[prev & 255] ^= (uint8_t)prev;
			scratch[(prev >> 3) & 255] ^= (uint8_t)k;
			t = uk_stackguard_count();
			acc = (acc << 7 | acc >> 57) ^ (t - prev);
			prev = t;
		}
		w[i] = acc;
	}
}

/* The four words folded into a canary: low byte zero, never 0; w wiped. */
static inline uintptr_t uk_stackguard_finish(uint64_t w[4])
{
	uint64_t acc = uk_stackguard_mix(
		w[0] ^ uk_stackguard_mix(
			       w[1] ^ uk_stackguard_mix(
					      w[2] ^ uk_stackguard_mix(w[3]))));

	w[0] = w[1] = w[2] = w[3] = 0;
	acc &= ~(uint64_t)0xff;
	return acc ? (uintptr_t)acc : (uintptr_t)0x5a5a5a5a5a5a5a00ull;
}

#if defined(__x86_64__)
/* One word from RDSEED (`seed`) or RDRAND; 0 when it kept failing. */
static inline int uk_stackguard_cpu_word(int seed, uint64_t *v)
{
	for (int i = 0; i < (seed ? 100 : 10); i++) {
		unsigned char ok;
		if (seed)
			__asm__ __volatile__("rdseed %0; setc %1"
					     : "=r"(*v), "=qm"(ok)::"cc");
		else
			__asm__ __volatile__("rdrand %0; setc %1"
					     : "=r"(*v), "=qm"(ok)::"cc");
		if (ok && *v != UINT64_MAX)
			return 1;
	}
	return 0;
}

/*
 * A canary (low byte zero, never 0) and, in *src, where it came from:
 * "rdseed", "rdrand" or "jitter". `hide` is 0 but in tests.
 */
static inline uintptr_t uk_random_stack_guard(unsigned hide, const char **src)
{
	uint64_t w[4] = {0};
	uint32_t r[4];
	int rdrand, rdseed = 0, ok = 0;

	ukarch_cpuid(0, r);
	unsigned max = r[0];
	ukarch_cpuid(1, r);
	rdrand = (r[2] >> 30) & 1 && !(hide & UK_STACKGUARD_HIDE_RDRAND);
	if (max >= 7) {
		ukarch_cpuid(7, r);
		rdseed =
			(r[1] >> 18) & 1 && !(hide & UK_STACKGUARD_HIDE_RDSEED);
	}
	*src = "rdseed";
	for (int i = 0;
	     rdseed && i < 4 && (ok = uk_stackguard_cpu_word(1, &w[i])); i++)
		;
	if (!ok && rdrand && !(hide & UK_STACKGUARD_FAIL_RDRAND)) {
		*src = "rdrand";
		for (int i = 0;
		     i < 4 && (ok = uk_stackguard_cpu_word(0, &w[i])); i++)
			;
	}
	if (!ok) {
		*src = "jitter";
		uk_stackguard_jitter(w);
	}
	return uk_stackguard_finish(w);
}

#elif defined(__aarch64__)

/* One word from RNDR (s3_3_c2_c4_0: assemblers without FEAT_RNG know it by
 * number only); 0 when it kept failing (NZCV.Z set). */
static inline int uk_stackguard_rndr(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint64_t ok;

		__asm__ __volatile__("mrs %0, s3_3_c2_c4_0; cset %1, ne"
				     : "=r"(*v), "=r"(ok)::"cc");
		if (ok)
			return 1;
	}
	return 0;
}

/* A canary (low byte zero, never 0) and, in *src, where it came from:
 * "rndr" or "jitter". `hide` is 0 but in tests (UK_STACKGUARD_HIDE_RDRAND
 * hides RNDR). */
static inline uintptr_t uk_random_stack_guard(unsigned hide, const char **src)
{
	uint64_t w[4] = {0}, isar0;
	int ok = 0;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	*src = "rndr";
	if ((isar0 >> 60) & 0xf && !(hide & UK_STACKGUARD_HIDE_RDRAND))
		for (int i = 0; i < 4 && (ok = uk_stackguard_rndr(&w[i])); i++)
			;
	if (!ok) {
		*src = "jitter";
		uk_stackguard_jitter(w);
	}
	return uk_stackguard_finish(w);
}
#else
#error "<uk/stackguard.h>: no canary source for this architecture"
#endif

#ifdef __cplusplus
}
#endif
#endif /* UK_STACKGUARD_H */
