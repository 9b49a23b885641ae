/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot page tables after entry.S: guard pages under the platform's
 * stacks, device registers mapped on demand (2 MiB blocks of Device-nGnRE
 * memory below 1 GiB, never the first 2 MiB: page 0 stays unmapped, so NULL
 * dereferences fault).
 */
#include <stdint.h>
#include <uk/arch/arm64.h>
#include <uk/plat/io.h>
#include "kvm_arm64.h"
#include "stackreg.h"

extern char __uk_image_start[];

#define PAGE	       4096ull
#define BLOCK_2M       0x200000ull
#define PT_VALID       (1ull << 0)
#define PT_ATTR_DEVICE (1ull << 2)
#define PT_AF	       (1ull << 10)
#define PT_PXN	       (1ull << 53)
#define PT_UXN	       (1ull << 54)

static void flush_page(uint64_t va)
{
	__asm__ __volatile__("dsb ishst\n\t"
			     "tlbi vaae1is, %0\n\t"
			     "dsb ish\n\t"
			     "isb" ::"r"(va >> 12)
			     : "memory");
}

/* Unmap one 4 KiB page of the image's 2 MiB (the level 3 table). */
static void unmap_image_page(const void *p)
{
	uint64_t va = (uint64_t)(uintptr_t)p;
	uint64_t base = va & ~(BLOCK_2M - 1);

	if (base != ((uint64_t)(uintptr_t)__uk_image_start & ~(BLOCK_2M - 1)))
		return; /* the linker script keeps the image in one block */
	ukplat_kvm_arm64_pt_l3img[(va - base) / PAGE] = 0;
	flush_page(va);
}

void kvm_arm64_mmu_init(void)
{
	unmap_image_page(ukplat_kvm_arm64_boot_stack_guard);
	unmap_image_page(ukplat_kvm_arm64_exc_stack_guard);
	unmap_image_page(ukplat_kvm_arm64_nested_stack_guard);
}

const char *kvm_arm64_stack_guard_name(uint64_t addr)
{
	static const char *const names[] = {"the boot stack",
					    "the exception stack",
					    "the emergency exception stack"};
	const char *g[] = {ukplat_kvm_arm64_boot_stack_guard,
			   ukplat_kvm_arm64_exc_stack_guard,
			   ukplat_kvm_arm64_nested_stack_guard};

	for (int i = 0; i < 3; i++)
		if (addr >= (uintptr_t)g[i] && addr < (uintptr_t)g[i] + PAGE)
			return names[i];
	return kvm_registered_guard_name(addr);
}

void *kvm_arm64_map_device(uint64_t phys, uint64_t len)
{
	if (!len || phys + len < phys || phys < BLOCK_2M ||
	    phys + len > KVM_ARM64_DEV_TOP)
		return 0;
	for (uint64_t b = phys & ~(BLOCK_2M - 1); b < phys + len;
	     b += BLOCK_2M) {
		uint64_t *e = &ukplat_kvm_arm64_pt_l2dev[b / BLOCK_2M];

		if (!*e)
			*e = b | PT_VALID | PT_ATTR_DEVICE | PT_AF | PT_PXN |
			     PT_UXN;
	}
	/* invalid -> valid needs no TLB invalidation, only ordering */
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
	return (void *)(uintptr_t)phys;
}

void *ukplat_mmio_map(uint64_t phys, size_t len)
{
	return kvm_arm64_map_device(phys, len);
}

int ukplat_ioport_access(void)
{
	return 0;
}
