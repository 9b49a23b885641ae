/* SPDX-License-Identifier: BSD-3-Clause */
/* Ending a kvm image: isa-debug-exit, else ACPI S5, else a stopped CPU. */
#include <string.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include "kvm.h"

#define DEBUG_EXIT_PORT 0xf4

extern uint64_t kvm_pdpt[];
extern uint64_t ukplat_kvm_rsdp_paddr;

/* Page directories for 1-4 GiB, filled only when power-off needs them
 * (ACPI tables high in RAM, microvm's MMIO sleep register at 0xfexxxxxx). */
static uint64_t high_pd[3][512] __attribute__((aligned(4096)));

extern uint64_t kvm_pt0[];

static void map_low_4g(void)
{
	/* page 0 again: the BIOS data area holds the EBDA pointer */
	kvm_pt0[0] = 0x3;
	for (int g = 0; g < 3; g++) {
		if (kvm_pdpt[g + 1])
			continue;
		for (int i = 0; i < 512; i++) {
			uint64_t pa =
				((uint64_t)(g + 1) << 30) + ((uint64_t)i << 21);
			/* present, writable, 2 MiB; uncached in the MMIO GiB */
			high_pd[g][i] = pa | 0x83 | (g == 2 ? 0x18 : 0);
		}
		kvm_pdpt[g + 1] = (uint64_t)(uintptr_t)high_pd[g] | 0x3;
	}
	uint64_t cr3;
	__asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3"
			     : "=r"(cr3)
			     :
			     : "memory");
}

static const void *phys(uint64_t addr, size_t len)
{
	if (addr < 4096 || addr + len < addr || addr + len > (4ull << 30))
		return NULL;
	return (const void *)(uintptr_t)addr;
}

static uint64_t find_rsdp(void)
{
	if (ukplat_kvm_rsdp_paddr)
		return ukplat_kvm_rsdp_paddr;
	/* EBDA first KiB, then the BIOS area, on 16-byte boundaries */
	uint16_t ebda_seg;
	memcpy(&ebda_seg, (const void *)(uintptr_t)0x40e, 2);
	uint64_t ebda = (uint64_t)ebda_seg << 4;
	for (uint64_t a = ebda; ebda >= 0x80000 && a < ebda + 1024; a += 16) {
		int x;
		if (acpi_rsdp_root((const void *)(uintptr_t)a, &x))
			return a;
	}
	for (uint64_t a = 0xe0000; a < 0x100000; a += 16) {
		int x;
		if (acpi_rsdp_root((const void *)(uintptr_t)a, &x))
			return a;
	}
	return 0;
}

static void acpi_poweroff(void)
{
	struct acpi_poweroff po;

	map_low_4g();
	uint64_t rsdp = find_rsdp();
	if (!rsdp) {
		uk_pr_crit("no ACPI RSDP found");
		return;
	}
	if (acpi_prepare_poweroff(rsdp, phys, &po) < 0) {
		uk_pr_crit("ACPI tables give no usable S5 power-off");
		return;
	}
	if (po.hw_reduced) {
		uint8_t v = (uint8_t)(((po.slp_typ & 7) << 2) | (1 << 5));
		if (po.sleep_space == 1)
			ukarch_outb((uint16_t)po.sleep_addr, v);
		else
			*(volatile uint8_t *)(uintptr_t)po.sleep_addr = v;
	} else {
		uint16_t v = (uint16_t)((po.slp_typ << 10) | (1 << 13));
		ukarch_outw((uint16_t)po.pm1a_cnt, v);
		if (po.pm1b_cnt)
			ukarch_outw((uint16_t)po.pm1b_cnt, v);
	}
}

void ukplat_exit(int status)
{
	__asm__ __volatile__("cli");
	/* QEMU's isa-debug-exit: the VMM exits with (status << 1) | 1. */
	ukarch_outb(DEBUG_EXIT_PORT, (uint8_t)status);

	uk_printk(UK_LOG_INFO, "kvm",
		  "exit status %d; no isa-debug-exit "
		  "device, powering off through ACPI",
		  status & 0xff);
	acpi_poweroff();
	/* The write takes effect asynchronously on some VMMs: give it time. */
	for (volatile int i = 0; i < 1000000; i++)
		;
	uk_printk(UK_LOG_CRIT, "kvm",
		  "power-off failed: halting the CPU "
		  "(exit status was %d)",
		  status & 0xff);
	ukarch_halt_forever();
}
