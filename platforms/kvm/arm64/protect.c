/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page protection at run time (<uk/plat/memory.h>): guard pages under thread
 * stacks and mprotect(), through the ukarch page-table editor on the live
 * boot tables. Heap RAM is mapped with 2 MiB blocks; changing one page
 * splits its block with a level-3 table from this pool (in a section of its
 * own, not cleared at entry: pt_alloc() clears a table when it hands it out;
 * images that never protect a page do not carry it). 64 tables cover
 * 128 MiB of guarded stacks and mprotect()ed ranges.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/arch/paging.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include "kvm_arm64.h"

#define PAGE	     4096ull
#define GUARD_TABLES 64

extern char __uk_image_start[], __uk_image_end[];

static uint8_t guard_tables[GUARD_TABLES][PAGE] __attribute__((
	aligned(PAGE), section(".bss.uk_noinit.kvm_guard_tables")));
static unsigned guard_tables_used;
static struct ukarch_pt run_pt;

static void *pt_p2v(void *ctx, uint64_t paddr)
{
	(void)ctx;
	return (void *)(uintptr_t)paddr;
}

static int pt_alloc(void *ctx, uint64_t *paddr)
{
	(void)ctx;
	if (guard_tables_used >= GUARD_TABLES) {
		static int said;
		if (!said++)
			uk_pr_warn(
				"all %d page tables for run-time page "
				"protection are in use: new thread stacks get "
				"no guard page, mprotect() fails with ENOMEM",
				GUARD_TABLES);
		return -ENOMEM;
	}
	memset(guard_tables[guard_tables_used], 0, PAGE);
	*paddr = (uint64_t)(uintptr_t)guard_tables[guard_tables_used++];
	return 0;
}

static void pt_flush(void *ctx, uint64_t vaddr)
{
	(void)ctx;
	/* the new entries are visible to the walker before the old
	 * translation goes */
	__asm__ __volatile__("dsb ishst\n\t"
			     "tlbi vaae1is, %0\n\t"
			     "dsb ish\n\t"
			     "isb" ::"r"(vaddr >> 12)
			     : "memory");
}

static void run_pt_init(void)
{
	if (!run_pt.root) {
		run_pt.root = (uint64_t)(uintptr_t)ukplat_kvm_arm64_pt_l0;
		run_pt.ops.phys_to_virt = pt_p2v;
		run_pt.ops.alloc_table = pt_alloc;
		run_pt.ops.flush = pt_flush;
	}
}

/* RAM the heap may hold: never the image (whose 2 MiB block has its own
 * level 3 table, set up at boot) */
static int heap_range(uint64_t va, uint64_t len)
{
	uint64_t is = (uint64_t)(uintptr_t)__uk_image_start;
	uint64_t ie = (uint64_t)(uintptr_t)__uk_image_end;

	if ((va & (PAGE - 1)) || (len & (PAGE - 1)) ||
	    va < KVM_ARM64_RAM_BASE || va >= KVM_ARM64_RAM_TOP ||
	    len > KVM_ARM64_RAM_TOP - va)
		return 0;
	return va + len <= is || va >= ie;
}

int ukplat_page_protect(void *addr, unsigned long len, int prot)
{
	uint64_t va = (uint64_t)(uintptr_t)addr;

	if (!heap_range(va, len) ||
	    (prot & ~(UKPLAT_PROT_READ | UKPLAT_PROT_WRITE | UKPLAT_PROT_EXEC)))
		return -EINVAL;
	if ((prot & UKPLAT_PROT_WRITE) && (prot & UKPLAT_PROT_EXEC))
		return -EACCES;
	if (!len)
		return 0;
	run_pt_init();
	if (prot == UKPLAT_PROT_NONE)
		return ukarch_pt_unmap(&run_pt, va, len);
	prot |= UKARCH_PROT_READ; /* EL1 cannot map unreadable pages */
	int rc = ukarch_pt_protect(&run_pt, va, len, prot);
	if (rc != -ENOENT)
		return rc;
	/* some pages were made inaccessible before: map those back, page by
	 * page (the others just change) */
	for (uint64_t p = va; p < va + len; p += PAGE) {
		rc = ukarch_pt_protect(&run_pt, p, PAGE, prot);
		if (rc == -ENOENT)
			rc = ukarch_pt_map(&run_pt, p, p, PAGE, prot,
					   UKARCH_PAGE_4K);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ukplat_page_guard(void *page, int on)
{
	uint64_t va = (uint64_t)(uintptr_t)page;

	if (!heap_range(va, PAGE))
		return -EINVAL;
	run_pt_init();
	if (on)
		return ukarch_pt_unmap(&run_pt, va, PAGE);
	return ukarch_pt_map(&run_pt, va, va, PAGE,
			     UKARCH_PROT_READ | UKARCH_PROT_WRITE,
			     UKARCH_PAGE_4K);
}

/* No window for fixed-address programs on arm64 yet: RAM starts at 1 GiB
 * on QEMU virt, so the 4 MiB link address of non-PIE programs is not RAM,
 * and per-program tables for it are not written. posixexec then refuses
 * such programs with a sentence; static PIEs run. */
int ukplat_window_init(uintptr_t base, unsigned long len)
{
	(void)base, (void)len;
	return -ENOTSUP;
}

int ukplat_window_map(uint64_t *const pts[], uintptr_t va, uint64_t pa,
		      unsigned long len, int prot)
{
	(void)pts, (void)va, (void)pa, (void)len, (void)prot;
	return -ENOTSUP;
}

void ukplat_window_install(uint64_t *const pts[])
{
	(void)pts;
}
