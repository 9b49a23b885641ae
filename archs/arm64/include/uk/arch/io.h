/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port I/O: arm64 has no port space (PCI I/O BARs are memory-mapped windows
 * the platform would have to map). These exist so that drivers compile on
 * every architecture; the platform answers 0 to ukplat_ioport_access(), and
 * a driver that asks first never calls them. Reads give all ones (what an
 * absent device answers), writes go nowhere.
 */
#ifndef UK_ARCH_IO_H
#define UK_ARCH_IO_H

#include <stdint.h>

#define UKARCH_HAS_PORT_IO 0

static inline void ukarch_port_out8(uint16_t port, uint8_t v)
{
	(void)port, (void)v;
}
static inline void ukarch_port_out16(uint16_t port, uint16_t v)
{
	(void)port, (void)v;
}
static inline void ukarch_port_out32(uint16_t port, uint32_t v)
{
	(void)port, (void)v;
}
static inline uint8_t ukarch_port_in8(uint16_t port)
{
	(void)port;
	return 0xff;
}
static inline uint16_t ukarch_port_in16(uint16_t port)
{
	(void)port;
	return 0xffff;
}
static inline uint32_t ukarch_port_in32(uint16_t port)
{
	(void)port;
	return 0xffffffffu;
}

#endif /* UK_ARCH_IO_H */
