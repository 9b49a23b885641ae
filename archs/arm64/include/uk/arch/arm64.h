/* SPDX-License-Identifier: BSD-3-Clause */
/* AArch64 instructions that C code needs, as inline functions and macros. */
#ifndef UK_ARCH_ARM64_H
#define UK_ARCH_ARM64_H

#include <stdint.h>

/* Read / write a system register by name (e.g. ukarch_sysreg_read(esr_el1)). */
#define ukarch_sysreg_read(reg)                                             \
	({                                                                  \
		uint64_t v_;                                                \
		__asm__ __volatile__("mrs %0, " #reg : "=r"(v_)::"memory"); \
		v_;                                                         \
	})
#define ukarch_sysreg_write(reg, v)                                  \
	__asm__ __volatile__("msr " #reg ", %0" ::"r"((uint64_t)(v)) \
			     : "memor"                               \
			       "y")

static inline void ukarch_isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

/* Full-system barrier: orders memory and device accesses both ways. */
static inline void ukarch_dsb_sy(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

/* The virtual counter (CNTVCT_EL0) and its frequency (CNTFRQ_EL0). The isb
 * keeps the read from being taken early. */
static inline uint64_t ukarch_cntvct(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t ukarch_cntfrq(void)
{
	return ukarch_sysreg_read(cntfrq_el0);
}

/* Stop this CPU for good: interrupts masked, wait in a loop. */
static inline __attribute__((noreturn)) void ukarch_halt_forever(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

/* 32-bit device register access with the ordering device drivers need. */
static inline uint32_t ukarch_mmio_read32(const volatile void *addr)
{
	uint32_t v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void ukarch_mmio_write32(volatile void *addr, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

#endif /* UK_ARCH_ARM64_H */
