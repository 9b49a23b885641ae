/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm platform: from the PVH hand-over to ukboot. */
#include <string.h>
#include <uk/boot.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include <uk/ssp.h>
#ifdef UK_STACK_PROTECTOR
#include <uk/stackguard.h>
#endif
#include "kvm.h"

extern char __uk_image_start[], __uk_image_end[];

/* Written by entry.S before anything else runs (lives in .data so the
 * write survives; .bss is not cleared, but keep boot data explicit). */
uint64_t ukplat_kvm_tsc_at_entry __attribute__((section(".data")));
uint64_t ukplat_kvm_rsdp_paddr;
/* Multiboot2 boot information (entry.S, _mb2_start32); 0: a PVH boot. */
uint64_t ukplat_kvm_mb2_info __attribute__((section(".data")));
static struct kvm_mb2 mb2;

static struct ukplat_bootinfo bootinfo;
/* The command line is copied out of low memory before page 0 goes away. */
static char cmdline[KVM_CMDLINE_CAP];

const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bootinfo;
}

static void region_overflow(void)
{
	uk_pr_warn("memory map has more than %d regions; the rest is not used",
		   UKPLAT_MEMREGION_MAX);
}

/* The boot proper, protected (not inlined into the entry, which is not). */
static __attribute__((noinline)) void kvm_setup(const struct pvh_start_info *si)
{
	struct kvm_pvh pvh;
	char why[192];

	bootinfo.plat_name = "kvm";
	bootinfo.loader_name = "pvh";
	bootinfo.tsc_at_entry = ukplat_kvm_tsc_at_entry;
	bootinfo.cmdline = "";

	if (ukplat_kvm_mb2_info) {
		/* GRUB's information, as a PVH start_info checked below */
		if (kvm_mb2_parse(ukplat_kvm_mb2_info, NULL, KVM_MAPPED_TOP,
				  &mb2, why, sizeof(why)) < 0) {
			uk_pr_crit("multiboot2 boot data refused: %s", why);
			ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
		}
		if (mb2.si.nr_modules)
			mb2.si.modlist_paddr = (uintptr_t)&mb2.mod;
		if (mb2.has_rsdp)
			mb2.si.rsdp_paddr = (uintptr_t)mb2.rsdp;
		si = &mb2.si;
		bootinfo.loader_name = "multiboot2";
	}
	/* the loader's values are checked before any is followed (pvh.c);
	 * the first GiB is identity-mapped by entry.S */
	if (kvm_pvh_parse((uint64_t)(uintptr_t)si, NULL, KVM_MAPPED_TOP,
			  (uintptr_t)__uk_image_start,
			  (uintptr_t)__uk_image_end, &pvh, why,
			  sizeof(why)) < 0) {
		uk_pr_crit("PVH boot data refused: %s", why);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	ukplat_kvm_rsdp_paddr = pvh.rsdp;
	if (pvh.cmdline) {
		memcpy(cmdline, pvh.cmdline, pvh.cmdline_len);
		cmdline[pvh.cmdline_len] = '\0';
		bootinfo.cmdline = cmdline;
		bootinfo.cmdline_len = pvh.cmdline_len;
	}
	if (pvh.memmap) {
		if (kvm_memmap_to_regions(
			    &bootinfo, pvh.memmap, pvh.memmap_entries,
			    (uintptr_t)__uk_image_start,
			    (uintptr_t)__uk_image_end, KVM_MAPPED_TOP) < 0)
			region_overflow();
	} else {
		uk_pr_warn("loader gave no memory map (start_info version %u)",
			   pvh.version);
	}
	if (pvh.nr_modules > 1)
		uk_pr_warn("%u PVH modules given: only the first (the initrd) "
			   "is used",
			   pvh.nr_modules);
	/* The first PVH module is the initrd (QEMU's -initrd). It stays
	 * where the loader put it; its pages leave the free memory. */
	if (pvh.initrd_len) {
		bootinfo.initrd = (const void *)(uintptr_t)pvh.initrd;
		bootinfo.initrd_len = (size_t)pvh.initrd_len;
		if (kvm_memmap_reserve(&bootinfo, pvh.initrd,
				       pvh.initrd + pvh.initrd_len) < 0)
			region_overflow();
	}
	/* Everything from the loader is copied: from now on NULL faults,
	 * and the image is W^X. */
	kvm_paging_init();
	for (unsigned i = 0; i < bootinfo.nr_memregions; i++)
		uk_pr_debug("memory %#012lx-%#012lx %s",
			    (unsigned long)bootinfo.memregions[i].base,
			    (unsigned long)(bootinfo.memregions[i].base +
					    bootinfo.memregions[i].len),
			    bootinfo.memregions[i].type == UKPLAT_MEMR_FREE
				    ? "free"
			    : bootinfo.memregions[i].type == UKPLAT_MEMR_IMAGE
				    ? "image"
				    : "reserved");
	ukboot_entry();
}

void ukplat_kvm_entry(const struct pvh_start_info *si);
/* Unprotected: the stack protector's canary changes while it runs. */
UK_NO_STACK_PROTECTOR void ukplat_kvm_entry(const struct pvh_start_info *si)
{
	kvm_serial_init();
	kvm_cpu_init();
#ifdef UK_STACK_PROTECTOR
	/* before anything reads the loader's data; only the two calls above
	 * ran before, and they are done */
	const char *src;
	__stack_chk_guard = uk_random_stack_guard(0, &src);
#endif
	kvm_setup(si);
}
