/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat device discovery: memory-mapped devices the firmware describes (a
 * device tree on kvm/arm64), for drivers whose bus cannot be scanned
 * (virtio-mmio).
 */
#ifndef UK_PLAT_DEVICES_H
#define UK_PLAT_DEVICES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ukplat_mmio_device {
	uint64_t base;	  /* physical address of the registers */
	uint64_t size;	  /* bytes of registers */
	unsigned int irq; /* interrupt line (<uk/plat/irq.h>) */
	int irq_mode;	  /* UKPLAT_IRQ_EDGE_HIGH or UKPLAT_IRQ_LEVEL_LOW */
};

/*
 * Fill *out with the `i`-th (from 0) enabled device whose compatible string
 * is `compat` (e.g. "virtio,mmio"), in the firmware's order. Returns 0;
 * -ENOENT when there is no i-th one; -EINVAL when its description is
 * malformed (no registers, an interrupt the platform cannot route: the
 * caller skips it and asks for i + 1); -ENODEV when the platform has no
 * such description at all (kvm/x86_64, linuxu).
 */
int ukplat_mmio_device(const char *compat, unsigned int i,
		       struct ukplat_mmio_device *out);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_DEVICES_H */
