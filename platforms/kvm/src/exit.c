/* SPDX-License-Identifier: BSD-3-Clause */
/* Ending a kvm image: isa-debug-exit, else ACPI S5, else a stopped CPU. */
#include <string.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include "kvm.h"
#include "intctrl.h"

#define DEBUG_EXIT_PORT 0xf4

extern uint64_t ukplat_kvm_rsdp_paddr;
extern uint64_t kvm_pt0[];

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

	/* page 0 again: the BIOS data area holds the EBDA pointer */
	kvm_pt0[0] = 0x3;
	__asm__ __volatile__("invlpg (%0)" : : "r"(0ul) : "memory");
	kvm_map_low_4g();
	uint64_t rsdp = find_rsdp();
	if (!rsdp) {
		uk_pr_crit("no ACPI RSDP found");
		return;
	}
	if (acpi_prepare_poweroff(rsdp, phys, &po) < 0) {
		uk_pr_crit("ACPI tables give no usable S5 power-off: %s %s",
			   po.what, po.why);
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
	/* QEMU's isa-debug-exit: the VMM exits with (status << 1) | 1, of
	 * which a host process status keeps 7 bits: say the whole status
	 * first when it needs the 8th (128 + signal, ...). */
	if ((status & 0xff) > 127)
		uk_printk(UK_LOG_INFO, "kvm",
			  "exit status %d (isa-debug-exit carries 7 bits)",
			  status & 0xff);
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
