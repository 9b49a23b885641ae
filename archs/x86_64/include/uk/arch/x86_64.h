/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 instructions that C code needs, as inline functions. */
#ifndef UK_ARCH_X86_64_H
#define UK_ARCH_X86_64_H

#include <stdint.h>

static inline uint64_t ukarch_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void ukarch_outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void ukarch_outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void ukarch_outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t ukarch_inb(uint16_t port)
{
	uint8_t v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t ukarch_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void ukarch_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((uint32_t)v),
			       "d"((uint32_t)(v >> 32)));
}

/* CPUID leaf `leaf`, subleaf 0: r[0..3] = eax, ebx, ecx, edx. */
static inline void ukarch_cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(0));
}

static inline uint64_t ukarch_read_cr2(void)
{
	uint64_t v;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* Stop this CPU for good: interrupts off, halt in a loop. */
static inline __attribute__((noreturn)) void ukarch_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

#endif /* UK_ARCH_X86_64_H */
