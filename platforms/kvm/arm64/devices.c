/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory-mapped devices from the device tree (<uk/plat/devices.h>). */
#include <errno.h>
#include <string.h>
#include <uk/plat/devices.h>
#include <uk/plat/irq.h>
#include "kvm_arm64.h"

/* The device's interrupt and registers. */
static int describe(const struct fdt *f, const struct fdt_dev *d,
		    struct ukplat_mmio_device *out)
{
	const void *irqs = fdt_val_ptr(f, d->irqs);
	uint32_t len = d->irqs.len;
	/* a GIC specifier: <type number flags>; type 0 SPI, 1 PPI; flags 1
	 * edge rising, 4 level high */
	uint32_t type = fdt_cell(irqs, len, 0, ~0u);
	uint32_t num = fdt_cell(irqs, len, 1, ~0u);
	uint32_t flags = fdt_cell(irqs, len, 2, 0);

	if (fdt_reg_get(f, &d->reg, 0, &out->base, &out->size) < 0 ||
	    !out->size || type > 1 || num >= (type ? 16u : 988u))
		return -EINVAL;
	out->irq = (type ? 16 : 32) + num;
	out->irq_mode = (flags & 0xf) == 1 ? UKPLAT_IRQ_EDGE_HIGH
					   : UKPLAT_IRQ_LEVEL_LOW;
	return 0;
}

int ukplat_mmio_device(const char *compat, unsigned int i,
		       struct ukplat_mmio_device *out)
{
	const struct fdt *f = kvm_arm64_fdt;
	const struct fdt_boot *b = kvm_arm64_dt;
	unsigned n = 0;

	if (!f)
		return -ENODEV;
	/* virtio-mmio transports: from the boot's pass, unless there were
	 * more than it keeps */
	if (!strcmp(compat, "virtio,mmio") && !b->virtio_more) {
		for (unsigned k = 0; k < b->nr_virtio; k++)
			if (b->virtio[k].enabled && n++ == i)
				return describe(f, &b->virtio[k], out);
		return -ENOENT;
	}
	for (int node = fdt_find_compatible(f, -1, compat); node >= 0;
	     node = fdt_find_compatible(f, node, compat)) {
		if (!fdt_node_enabled(f, node) || n++ != i)
			continue;

		struct fdt_dev d = {.node = node};
		int parent = fdt_parent(f, node);
		uint32_t ac, sc;
		const uint8_t *v;

		if (parent >= 0) {
			fdt_cells(f, parent, &ac, &sc);
			d.reg.ac = ac > 255 ? 255 : (uint8_t)ac;
			d.reg.sc = sc > 255 ? 255 : (uint8_t)sc;
		}
		v = fdt_prop(f, node, "reg", &d.reg.v.len);
		d.reg.v.off = v ? (uint32_t)(v - f->blob) : 0;
		v = fdt_prop(f, node, "interrupts", &d.irqs.len);
		d.irqs.off = v ? (uint32_t)(v - f->blob) : 0;
		return describe(f, &d, out);
	}
	return -ENOENT;
}
