/* SPDX-License-Identifier: BSD-3-Clause */
/* Port I/O for drivers of legacy devices and PCI I/O BARs (x86_64 has a port
 * space; <uk/plat/io.h> says whether the platform lets drivers use it). */
#ifndef UK_ARCH_IO_H
#define UK_ARCH_IO_H

#include <stdint.h>

#define UKARCH_HAS_PORT_IO 1

static inline void ukarch_port_out8(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void ukarch_port_out16(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void ukarch_port_out32(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t ukarch_port_in8(uint16_t port)
{
	uint8_t v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t ukarch_port_in16(uint16_t port)
{
	uint16_t v;
	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t ukarch_port_in32(uint16_t port)
{
	uint32_t v;
	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* UK_ARCH_IO_H */
