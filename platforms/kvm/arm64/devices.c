/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory-mapped devices from the device tree (<uk/plat/devices.h>). */
#include <errno.h>
#include <uk/plat/devices.h>
#include <uk/plat/irq.h>
#include "kvm_arm64.h"

int ukplat_mmio_device(const char *compat, unsigned int i,
		       struct ukplat_mmio_device *out)
{
	const struct fdt *f = kvm_arm64_fdt;
	unsigned n = 0;

	if (!f)
		return -ENODEV;
	for (int node = fdt_find_compatible(f, -1, compat); node >= 0;
	     node = fdt_find_compatible(f, node, compat)) {
		if (!fdt_node_enabled(f, node) || n++ != i)
			continue;
		uint32_t len;
		const void *irqs = fdt_prop(f, node, "interrupts", &len);
		/* a GIC specifier: <type number flags>; type 0 SPI, 1 PPI;
		 * flags 1 edge rising, 4 level high */
		uint32_t type = fdt_cell(irqs, len, 0, ~0u);
		uint32_t num = fdt_cell(irqs, len, 1, ~0u);
		uint32_t flags = fdt_cell(irqs, len, 2, 0);

		if (fdt_reg(f, node, 0, &out->base, &out->size) < 0 ||
		    !out->size || type > 1 || num >= (type ? 16u : 988u))
			return -EINVAL;
		out->irq = (type ? 16 : 32) + num;
		out->irq_mode = (flags & 0xf) == 1 ? UKPLAT_IRQ_EDGE_HIGH
						   : UKPLAT_IRQ_LEVEL_LOW;
		return 0;
	}
	return -ENOENT;
}
