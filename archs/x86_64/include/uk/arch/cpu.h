/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What libraries ask of the CPU without caring which it is: a fast cycle
 * counter, the hardware random number instructions, a spin-wait hint, and
 * the names and numbers Linux gives the architecture (uname, ELF, auxv).
 * x86_64: TSC, RDRAND/RDSEED, pause, CPUID.
 */
#ifndef UK_ARCH_CPU_H
#define UK_ARCH_CPU_H

#include <stdint.h>
#include <uk/arch/x86_64.h>

/* uname's machine, AT_PLATFORM, and the ELF e_machine of programs */
#define UKARCH_LINUX_MACHINE "x86_64"
#define UKARCH_ELF_MACHINE   62 /* EM_X86_64 */

/* A counter that only goes up, for timing and jitter (not calibrated:
 * <uk/plat/time.h> converts time). */
static inline uint64_t ukarch_cycles(void)
{
	return ukarch_rdtsc();
}

/* ukarch_cycles()'s rate in Hz when the architecture states it, else 0
 * (the TSC's needs calibrating against another clock). */
static inline uint64_t ukarch_cycles_hz(void)
{
	return 0;
}

/* Hint that the caller spins. */
static inline void ukarch_spin_hint(void)
{
	__asm__ __volatile__("pause");
}

/* Non-zero when the CPU has a random number instruction (RDRAND) / one
 * that draws from the entropy source directly (RDSEED). */
static inline int ukarch_rng_present(void)
{
	uint32_t r[4];

	ukarch_cpuid(1, r);
	return (r[2] >> 30) & 1;
}

static inline int ukarch_rng_seed_present(void)
{
	uint32_t r[4];

	ukarch_cpuid(0, r);
	if (r[0] < 7)
		return 0;
	ukarch_cpuid(7, r);
	return (r[1] >> 18) & 1;
}

/* One attempt: 1 and *v, or 0 when the instruction had no number. */
static inline int ukarch_rng_u64(uint64_t *v)
{
	unsigned char ok;

	__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

static inline int ukarch_rng_seed_u64(uint64_t *v)
{
	unsigned char ok;

	__asm__ __volatile__("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

/* AT_HWCAP as Linux reports it: CPUID.1:EDX on x86_64. */
static inline unsigned long ukarch_linux_hwcap(void)
{
	uint32_t r[4];

	ukarch_cpuid(1, r);
	return r[3];
}

#endif /* UK_ARCH_CPU_H */
