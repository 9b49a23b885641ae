/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm platform: from the PVH hand-over to ukboot. */
#include <string.h>
#include <uk/boot.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include "kvm.h"

extern char __uk_image_start[], __uk_image_end[];

/* Written by entry.S before anything else runs (lives in .data so the
 * write survives; .bss is not cleared, but keep boot data explicit). */
uint64_t ukplat_kvm_tsc_at_entry __attribute__((section(".data")));
uint64_t ukplat_kvm_rsdp_paddr;

static struct ukplat_bootinfo bootinfo;
/* The command line is copied out of low memory before page 0 goes away. */
#define KVM_CMDLINE_CAP (64u << 10)
static char cmdline[KVM_CMDLINE_CAP];

const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bootinfo;
}

/* The first PVH module is the initrd (QEMU's -initrd). It stays where the
 * loader put it; its pages leave the free memory. */
static void kvm_take_initrd(const struct pvh_start_info *si)
{
	const struct pvh_modlist_entry *m =
		(const struct pvh_modlist_entry *)(uintptr_t)si->modlist_paddr;

	if (si->modlist_paddr + sizeof(*m) > KVM_MAPPED_TOP) {
		uk_pr_crit("PVH module list at %#lx lies above the first 1 GiB",
			   (unsigned long)si->modlist_paddr);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	if (si->nr_modules > 1)
		uk_pr_warn(
			"%u PVH modules given: only the first (the initrd) is "
			"used",
			si->nr_modules);
	if (m->size == 0)
		return;
	if (m->paddr + m->size < m->paddr ||
	    m->paddr + m->size > KVM_MAPPED_TOP) {
		uk_pr_crit("initrd at %#lx-%#lx lies above the first 1 GiB "
			   "the image maps: give the VM at most 1 GiB of RAM",
			   (unsigned long)m->paddr,
			   (unsigned long)(m->paddr + m->size));
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	bootinfo.initrd = (const void *)(uintptr_t)m->paddr;
	bootinfo.initrd_len = (size_t)m->size;
	if (kvm_memmap_reserve(&bootinfo, m->paddr, m->paddr + m->size) < 0)
		uk_pr_warn(
			"memory map has more than %d regions; the rest is not "
			"used",
			UKPLAT_MEMREGION_MAX);
}

void ukplat_kvm_entry(const struct pvh_start_info *si);
void ukplat_kvm_entry(const struct pvh_start_info *si)
{
	kvm_serial_init();
	kvm_cpu_init();

	bootinfo.plat_name = "kvm";
	bootinfo.loader_name = "pvh";
	bootinfo.tsc_at_entry = ukplat_kvm_tsc_at_entry;
	bootinfo.cmdline = "";

	if ((uintptr_t)si >= KVM_MAPPED_TOP || si->magic != PVH_START_MAGIC) {
		uk_pr_crit(
			"no valid PVH start_info at %p: this image must be "
			"booted by a PVH loader (qemu -kernel, or a VMM with "
			"PVH support)",
			(const void *)si);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	ukplat_kvm_rsdp_paddr = si->rsdp_paddr;

	if (si->cmdline_paddr && si->cmdline_paddr < KVM_MAPPED_TOP) {
		const char *src = (const char *)(uintptr_t)si->cmdline_paddr;
		size_t max = KVM_MAPPED_TOP - si->cmdline_paddr;
		size_t len = strnlen(
			src, max < KVM_CMDLINE_CAP ? max : KVM_CMDLINE_CAP);
		if (len >= KVM_CMDLINE_CAP) {
			uk_pr_crit("command line is longer than %u bytes",
				   KVM_CMDLINE_CAP - 1);
			ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
		}
		memcpy(cmdline, src, len);
		cmdline[len] = '\0';
		bootinfo.cmdline = cmdline;
		bootinfo.cmdline_len = len;
	}

	if (si->version >= 1 && si->memmap_paddr &&
	    si->memmap_paddr + (uint64_t)si->memmap_entries *
				       sizeof(struct pvh_memmap_entry) <=
		    KVM_MAPPED_TOP) {
		if (kvm_memmap_to_regions(
			    &bootinfo,
			    (const struct pvh_memmap_entry *)(uintptr_t)
				    si->memmap_paddr,
			    si->memmap_entries, (uintptr_t)__uk_image_start,
			    (uintptr_t)__uk_image_end, KVM_MAPPED_TOP) < 0)
			uk_pr_warn("memory map has more than %d regions; the "
				   "rest is not used",
				   UKPLAT_MEMREGION_MAX);
	} else {
		uk_pr_warn("loader gave no usable memory map (start_info "
			   "version %u)",
			   si->version);
	}
	if (si->nr_modules > 0)
		kvm_take_initrd(si);
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
