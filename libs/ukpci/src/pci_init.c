/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration mechanism #1 and the boot-time probe. */
#include <uk/init.h>
#include <uk/pci.h>
#include <uk/plat/io.h>
#include <uk/print.h>

#define CFG_ADDR 0xcf8
#define CFG_DATA 0xcfc

static uint32_t mech1_read(void *ctx, uint32_t addr, unsigned size)
{
	(void)ctx;
	uk_pci_outl(CFG_ADDR, 0x80000000u | (addr & ~3u));
	switch (size) {
	case 1:
		return uk_pci_inb(CFG_DATA + (addr & 3));
	case 2:
		return uk_pci_inw(CFG_DATA + (addr & 2));
	default:
		return uk_pci_inl(CFG_DATA);
	}
}

static void mech1_write(void *ctx, uint32_t addr, unsigned size, uint32_t v)
{
	(void)ctx;
	uk_pci_outl(CFG_ADDR, 0x80000000u | (addr & ~3u));
	switch (size) {
	case 1:
		uk_pci_outb(CFG_DATA + (addr & 3), (uint8_t)v);
		break;
	case 2:
		uk_pci_outw(CFG_DATA + (addr & 2), (uint16_t)v);
		break;
	default:
		uk_pci_outl(CFG_DATA, v);
	}
}

const struct uk_pci_cfg_ops uk_pci_cfg_mech1 = {
	.read = mech1_read, .write = mech1_write, .ctx = 0};

static int pci_init(void)
{
	if (!ukplat_ioport_access())
		return 0;
	/* no host bridge answering: no PCI (microvm without pcie=on) */
	uk_pci_outl(CFG_ADDR, 0x80000000u);
	if ((uk_pci_inl(CFG_DATA) & 0xffff) == 0xffff) {
		uk_pr_debug("pci: no bus");
		return 0;
	}
	int n = uk_pci_probe_all(&uk_pci_cfg_mech1);
	uk_pr_debug("pci: %d device(s) taken by drivers", n);
	return 0;
}
/* after the scheduler (LIB 0), before libraries at the default priority */
UK_INIT_CLASS(pci_init, UK_INIT_LIB, 1);
