/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm/arm64: from the Linux arm64 Image hand-over (entry.S) to ukboot. The
 * device tree gives the console, the memory, the command line (/chosen
 * bootargs), the initrd (/chosen linux,initrd-start/-end) and the PSCI
 * conduit.
 */
#include <stdio.h>
#include <string.h>
#include <uk/boot.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include <uk/ssp.h>
#ifdef UK_STACK_PROTECTOR
#include <uk/stackguard.h>
#endif
#include "../src/kvm.h"
#include "kvm_arm64.h"

extern char __uk_image_start[], __uk_image_end[];

/* Written by entry.S after .bss is cleared. */
uint64_t ukplat_kvm_arm64_counter_at_entry;

static struct ukplat_bootinfo bootinfo;
static struct fdt fdt;
static struct fdt_boot dt;
const struct fdt *kvm_arm64_fdt;
const struct fdt_boot *kvm_arm64_dt;
#define KVM_CMDLINE_CAP (64u << 10)
/* written before it is read: not cleared at entry (.uk_noinit) */
static char cmdline[KVM_CMDLINE_CAP]
	__attribute__((section(".bss.uk_noinit.cmdline")));
/* Device trees larger than this are refused (Linux's limit too). */
#define FDT_MAX_SIZE (2u << 20)
#define MEM_ENTRIES  16

const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bootinfo;
}

static __attribute__((noreturn)) void bootfail(void)
{
	ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
}

static void reserve(uint64_t base, uint64_t end)
{
	if (kvm_memmap_reserve(&bootinfo, base, end) < 0)
		uk_pr_warn("memory map has more than %d regions; the rest is "
			   "not used",
			   UKPLAT_MEMREGION_MAX);
}

/* RAM from every enabled device_type = "memory" node, within the RAM the
 * boot page tables map. */
static void take_memory(const struct fdt *f, const struct fdt_boot *b)
{
	struct pvh_memmap_entry map[MEM_ENTRIES];
	uint32_t n = 0, dropped = b->mem_more;

	for (unsigned node = 0; node < b->nr_mem; node++) {
		uint64_t base, size;

		for (unsigned i = 0;
		     fdt_reg_get(f, &b->mem[node], i, &base, &size) == 0; i++) {
			uint64_t end = base + size;

			if (end < base)
				continue;
			if (base < KVM_ARM64_RAM_BASE)
				base = KVM_ARM64_RAM_BASE;
			if (end > KVM_ARM64_RAM_TOP) {
				dropped = 1;
				end = KVM_ARM64_RAM_TOP;
			}
			if (end <= base)
				continue;
			if (n == MEM_ENTRIES) {
				dropped = 1;
				continue;
			}
			map[n].addr = base;
			map[n].size = end - base;
			map[n].type = E820_RAM;
			n++;
		}
	}
	if (!n) {
		uk_pr_crit("the device tree describes no memory inside "
			   "%#llx-%#llx",
			   KVM_ARM64_RAM_BASE, KVM_ARM64_RAM_TOP);
		bootfail();
	}
	if (dropped)
		uk_pr_warn("only the first GiB of RAM (%#llx-%#llx) is used",
			   KVM_ARM64_RAM_BASE, KVM_ARM64_RAM_TOP);
	if (kvm_memmap_to_regions(
		    &bootinfo, map, n, (uintptr_t)__uk_image_start,
		    (uintptr_t)__uk_image_end, KVM_ARM64_RAM_TOP) < 0)
		uk_pr_warn("memory map has more than %d regions; the rest is "
			   "not used",
			   UKPLAT_MEMREGION_MAX);
}

static int prop_u64(const struct fdt *f, struct fdt_val val, uint64_t *v)
{
	const void *p = fdt_val_ptr(f, val);
	uint32_t len = val.len;

	if (!p || (len != 4 && len != 8))
		return -1;
	*v = len == 4 ? fdt_cell(p, len, 0, 0)
		      : ((uint64_t)fdt_cell(p, len, 0, 0) << 32) |
				fdt_cell(p, len, 1, 0);
	return 0;
}

static void take_chosen(const struct fdt *f, const struct fdt_boot *b)
{
	uint64_t ird_start, ird_end;

	bootinfo.cmdline = "";
	if (b->chosen < 0)
		return;
	const char *args = fdt_val_string(f, b->bootargs);
	if (args) {
		size_t len = strlen(args);

		if (len >= KVM_CMDLINE_CAP) {
			uk_pr_crit("command line is longer than %u bytes",
				   KVM_CMDLINE_CAP - 1);
			bootfail();
		}
		memcpy(cmdline, args, len + 1);
		bootinfo.cmdline = cmdline;
		bootinfo.cmdline_len = len;
	}
	if (prop_u64(f, b->initrd_start, &ird_start) == 0 &&
	    prop_u64(f, b->initrd_end, &ird_end) == 0) {
		if (ird_end < ird_start || ird_start < KVM_ARM64_RAM_BASE ||
		    ird_end > KVM_ARM64_RAM_TOP) {
			uk_pr_crit("initrd at %#llx-%#llx lies outside the "
				   "first GiB of RAM the image maps",
				   (unsigned long long)ird_start,
				   (unsigned long long)ird_end);
			bootfail();
		}
		if (ird_start < (uintptr_t)__uk_image_end &&
		    ird_end > (uintptr_t)__uk_image_start) {
			uk_pr_crit("initrd at %#llx-%#llx overlaps the image",
				   (unsigned long long)ird_start,
				   (unsigned long long)ird_end);
			bootfail();
		}
		bootinfo.initrd = (const void *)(uintptr_t)ird_start;
		bootinfo.initrd_len = (size_t)(ird_end - ird_start);
		if (bootinfo.initrd_len)
			reserve(ird_start, ird_end);
	}
}

static __attribute__((noinline)) void kvm_arm64_setup(const void *dtb)
{
	uint64_t d = (uint64_t)(uintptr_t)dtb;
	uint32_t bad_off = 0;
	const char *why = "";
	size_t max;

	kvm_arm64_mmu_init();
	bootinfo.plat_name = "kvm";
	bootinfo.loader_name = "linux-arm64-image";
	bootinfo.tsc_at_entry = ukplat_kvm_arm64_counter_at_entry;
	bootinfo.cmdline = "";

	/* Until the device tree names the console, only semihosting (when
	 * QEMU has it) can carry a message. */
	kvm_arm64_semihosting_init();
	if (d < KVM_ARM64_RAM_BASE || d >= KVM_ARM64_RAM_TOP || (d & 7)) {
		kvm_arm64_semihosting_write(
			"[kvm] CRIT: no device tree: x0 at entry does not "
			"point "
			"to 8-byte aligned RAM in the first GiB\n");
		bootfail();
	}
	max = KVM_ARM64_RAM_TOP - d;
	if (max > FDT_MAX_SIZE)
		max = FDT_MAX_SIZE;
	if (fdt_scan(&fdt, &dt, dtb, max, &bad_off, &why) < 0) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "[kvm] CRIT: device tree at %#lx refused: %s (at "
			 "offset %u)\n",
			 (unsigned long)d, why, bad_off);
		kvm_arm64_semihosting_write(msg);
		bootfail();
	}
	kvm_arm64_fdt = &fdt;
	kvm_arm64_dt = &dt;
	kvm_arm64_console_init(&fdt, &dt);
	kvm_arm64_psci_init(&fdt, &dt);

	take_memory(&fdt, &dt);
	reserve(d, d + fdt.size);
	for (unsigned i = 0;; i++) {
		uint64_t a, s;

		if (fdt_rsv(&fdt, i, &a, &s) < 0)
			break;
		if (a + s > a)
			reserve(a, a + s);
	}
	take_chosen(&fdt, &dt);
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

void ukplat_kvm_arm64_entry(const void *dtb);
/* Unprotected: the stack protector's canary changes while it runs. */
UK_NO_STACK_PROTECTOR void ukplat_kvm_arm64_entry(const void *dtb)
{
#ifdef UK_STACK_PROTECTOR
	/* before anything reads the loader's data */
	const char *src;
	__stack_chk_guard = uk_random_stack_guard(0, &src);
#endif
	kvm_arm64_setup(dtb);
}
