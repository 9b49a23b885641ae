/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What libraries ask of the CPU without caring which it is: a fast cycle
 * counter, the hardware random number instructions, a spin-wait hint, and
 * the names and numbers Linux gives the architecture (uname, ELF, auxv).
 * arm64: the virtual counter, RNDR/RNDRRS (FEAT_RNG), yield, ID registers.
 */
#ifndef UK_ARCH_CPU_H
#define UK_ARCH_CPU_H

#include <stdint.h>
#include <uk/arch/arm64.h>

/* uname's machine, AT_PLATFORM, and the ELF e_machine of programs */
#define UKARCH_LINUX_MACHINE "aarch64"
#define UKARCH_ELF_MACHINE   183 /* EM_AARCH64 */

/* A counter that only goes up, for timing and jitter (CNTVCT_EL0). */
static inline uint64_t ukarch_cycles(void)
{
	return ukarch_cntvct();
}

/* ukarch_cycles()'s rate in Hz when the architecture states it, else 0:
 * the generic timer's, from CNTFRQ_EL0. */
static inline uint64_t ukarch_cycles_hz(void)
{
	return ukarch_cntfrq();
}

/* Hint that the caller spins. */
static inline void ukarch_spin_hint(void)
{
	__asm__ __volatile__("yield");
}

/* Non-zero when the CPU has RNDR (FEAT_RNG: ID_AA64ISAR0_EL1.RNDR); RNDRRS,
 * reseeded from the entropy source for each read, comes with it. */
static inline int ukarch_rng_present(void)
{
	return (ukarch_sysreg_read(id_aa64isar0_el1) >> 60) >= 1;
}

static inline int ukarch_rng_seed_present(void)
{
	return ukarch_rng_present();
}

/* One attempt: 1 and *v, or 0 when the instruction had no number (it
 * sets NZCV to 0b0100 then). */
static inline int ukarch_rng_u64(uint64_t *v)
{
	int ok;

	__asm__ __volatile__("mrs %0, s3_3_c2_c4_0\n\tcset %w1, ne"
			     : "=r"(*v), "=r"(ok)::"cc");
	return ok;
}

static inline int ukarch_rng_seed_u64(uint64_t *v)
{
	int ok;

	__asm__ __volatile__("mrs %0, s3_3_c2_c4_1\n\tcset %w1, ne"
			     : "=r"(*v), "=r"(ok)::"cc");
	return ok;
}

/* AT_HWCAP as Linux reports it on arm64 (the bits a static program may
 * look at: FP, ASIMD, AES, PMULL, SHA1, SHA2, CRC32, ATOMICS). */
static inline unsigned long ukarch_linux_hwcap(void)
{
	uint64_t pfr0 = ukarch_sysreg_read(id_aa64pfr0_el1);
	uint64_t isar0 = ukarch_sysreg_read(id_aa64isar0_el1);
	unsigned long h = 0;

	if (((pfr0 >> 16) & 0xf) != 0xf)
		h |= 1ul << 0; /* FP */
	if (((pfr0 >> 20) & 0xf) != 0xf)
		h |= 1ul << 1; /* ASIMD */
	if (((isar0 >> 4) & 0xf) >= 1)
		h |= 1ul << 3; /* AES */
	if (((isar0 >> 4) & 0xf) >= 2)
		h |= 1ul << 4; /* PMULL */
	if (((isar0 >> 8) & 0xf) >= 1)
		h |= 1ul << 5; /* SHA1 */
	if (((isar0 >> 12) & 0xf) >= 1)
		h |= 1ul << 6; /* SHA2 */
	if (((isar0 >> 16) & 0xf) >= 1)
		h |= 1ul << 7; /* CRC32 */
	if (((isar0 >> 20) & 0xf) >= 2)
		h |= 1ul << 8; /* ATOMICS */
	return h;
}

#endif /* UK_ARCH_CPU_H */
