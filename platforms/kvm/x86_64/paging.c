/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot page tables, made W^X: entry.S maps the first GiB with every page
 * outside the image no-execute; here the image's own pages get their final
 * protection (text read+execute, rodata read-only, data and bss read+write,
 * no-execute), and page 0 and the page below the boot stack are unmapped.
 */
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <uk/arch/paging.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/devices.h>
#include <uk/plat/io.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include "kvm.h"
#include "intctrl.h"

extern char __uk_image_start[], __uk_text_end[], __uk_rodata_start[],
	__uk_rodata_end[], __uk_data_start[], __uk_image_end[];
extern char ukplat_kvm_boot_stack_guard[];
extern char ukplat_kvm_ist_area[3][4096 + KVM_IST_SIZE];
extern uint64_t kvm_pt0[], kvm_pd[];

#define PAGE 4096ul

/*
 * The image, page 0 and the stack guard all lie in the first 2 MiB, which
 * entry.S maps with the 4 KiB page table kvm_pt0. Editing those entries
 * directly costs a few instructions per page and no code beyond this file;
 * the general page-table editor (<uk/arch/paging.h>) is for run-time
 * mappings, and stays out of images that make none.
 */
static int have_nx;

static void set_range(const void *from, const void *to, uint64_t flags)
{
	uintptr_t a = (uintptr_t)from & ~(PAGE - 1);
	uintptr_t b = ((uintptr_t)to + PAGE - 1) & ~(PAGE - 1);

	if (!have_nx)
		flags &= ~UKARCH_PTE_NX; /* the bit would be reserved */
	for (; a < b && a < (2ul << 20); a += PAGE) {
		uint64_t *pte = &kvm_pt0[a / PAGE];
		*pte = (*pte & UKARCH_PTE_ADDR) | flags;
		__asm__ __volatile__("invlpg (%0)" : : "r"(a) : "memory");
	}
}

void kvm_paging_init(void)
{
	/* entry.S set EFER.NXE if the CPU has no-execute */
	have_nx = !!(ukarch_rdmsr(0xc0000080) & (1u << 11));

	set_range(__uk_image_start, __uk_text_end, UKARCH_PTE_P);
	set_range(__uk_rodata_start, __uk_rodata_end,
		  UKARCH_PTE_P | UKARCH_PTE_NX);
	set_range(__uk_data_start, __uk_image_end,
		  UKARCH_PTE_P | UKARCH_PTE_RW | UKARCH_PTE_NX);
	set_range(0, (void *)PAGE, 0);
	/* a guard page below every stack the platform creates */
	set_range(ukplat_kvm_boot_stack_guard, ukplat_kvm_boot_stack_guard + 1,
		  0);
	for (int i = 0; i < 3; i++)
		set_range(ukplat_kvm_ist_area[i], ukplat_kvm_ist_area[i] + 1,
			  0);
	if (!have_nx)
		uk_pr_warn("CPU without no-execute: W^X covers writes only");
}

/* Page directories for 1-4 GiB, filled on first need (APIC and IOAPIC
 * registers, ACPI tables high in RAM, microvm's sleep register). */
static uint64_t high_pd[3][512] __attribute__((aligned(PAGE)));
extern uint64_t kvm_pdpt[];

void kvm_map_low_4g(void)
{
	uint64_t nx = have_nx ? UKARCH_PTE_NX : 0;

	for (int g = 0; g < 3; g++) {
		if (kvm_pdpt[g + 1])
			continue;
		for (int i = 0; i < 512; i++) {
			uint64_t pa =
				((uint64_t)(g + 1) << 30) + ((uint64_t)i << 21);
			/* present, writable, 2 MiB, no-execute; uncached
			 * (PCD|PWT) in the GiB of device registers */
			high_pd[g][i] = pa | 0x83 | nx | (g == 2 ? 0x18 : 0);
		}
		kvm_pdpt[g + 1] = (uint64_t)(uintptr_t)high_pd[g] | 0x3;
	}
	uint64_t cr3;
	__asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3"
			     : "=r"(cr3)
			     :
			     : "memory");
}

const char *kvm_stack_guard_name(uint64_t addr)
{
	static const char *const names[] = {
		"the boot stack", "the #DF/#NMI/#MC stack",
		"the page-fault stack", "the interrupt stack"};
	uint64_t g[4] = {(uint64_t)(uintptr_t)ukplat_kvm_boot_stack_guard,
			 (uint64_t)(uintptr_t)ukplat_kvm_ist_area[0],
			 (uint64_t)(uintptr_t)ukplat_kvm_ist_area[1],
			 (uint64_t)(uintptr_t)ukplat_kvm_ist_area[2]};

	for (int i = 0; i < 4; i++)
		if (addr >= g[i] && addr < g[i] + PAGE)
			return names[i];
	return NULL;
}

/*
 * Guard pages at run time, through the ukarch page-table editor: unmapping a
 * page of the heap splits its 2 MiB mapping, with a page table from this
 * pool (in a section of its own: images that never guard a page do not
 * carry it). 64 tables (256 KiB) cover 128 MiB of guarded stacks and
 * mprotect()ed ranges.
 */
#define GUARD_TABLES 64
static uint8_t guard_tables[GUARD_TABLES][PAGE]
	__attribute__((aligned(PAGE), section(".bss.kvm_guard_tables")));
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
	__asm__ __volatile__("invlpg (%0)" : : "r"(vaddr) : "memory");
}

static void run_pt_init(void)
{
	if (!run_pt.root) {
		uint64_t cr3;
		__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
		run_pt.root = cr3 & UKARCH_PTE_ADDR;
		run_pt.ops.phys_to_virt = pt_p2v;
		run_pt.ops.alloc_table = pt_alloc;
		run_pt.ops.flush = pt_flush;
	}
}

int ukplat_page_protect(void *addr, unsigned long len, int prot)
{
	uint64_t va = (uint64_t)(uintptr_t)addr;

	/* heap memory only: never the image or what lies below it */
	if (va & (PAGE - 1) || len & (PAGE - 1) ||
	    va < (uint64_t)(uintptr_t)__uk_image_end || va >= KVM_MAPPED_TOP ||
	    len > KVM_MAPPED_TOP - va ||
	    (prot & ~(UKPLAT_PROT_READ | UKPLAT_PROT_WRITE | UKPLAT_PROT_EXEC)))
		return -EINVAL;
	if ((prot & UKPLAT_PROT_WRITE) && (prot & UKPLAT_PROT_EXEC))
		return -EACCES;
	if (!len)
		return 0;
	run_pt_init();
	if (prot == UKPLAT_PROT_NONE)
		return ukarch_pt_unmap(&run_pt, va, len);
	/* readable is implied by present; no NX bit: executable anyway */
	prot |= UKARCH_PROT_READ | (have_nx ? 0 : UKARCH_PROT_EXEC);
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

	/* heap memory only: never the image or what lies below it */
	if (va & (PAGE - 1) || va < (uint64_t)(uintptr_t)__uk_image_end ||
	    va >= KVM_MAPPED_TOP)
		return -EINVAL;
	run_pt_init();
	if (on)
		return ukarch_pt_unmap(&run_pt, va, PAGE);
	return ukarch_pt_map(&run_pt, va, va, PAGE,
			     UKARCH_PROT_READ | UKARCH_PROT_WRITE |
				     (have_nx ? 0 : UKARCH_PROT_EXEC),
			     UKARCH_PAGE_4K);
}

/*
 * Device registers for drivers (<uk/plat/io.h>). RAM below 1 GiB is mapped
 * already (virtual == physical); 1-4 GiB gets the boot-time 2 MiB mappings of
 * kvm_map_low_4g() (the last GiB, where QEMU and firmware put PCI memory BARs,
 * virtio-mmio, IOAPIC and LAPIC, uncached). Nothing above 4 GiB yet: firmware
 * puts 64-bit BARs there only when the window below 4 GiB is full.
 */
void *ukplat_mmio_map(uint64_t phys, size_t len)
{
	if (!len || phys + len < phys || phys + len > (4ull << 30))
		return NULL;
	if (phys + len > KVM_MAPPED_TOP)
		kvm_map_low_4g();
	return (void *)(uintptr_t)phys;
}

int ukplat_ioport_access(void)
{
	return 1;
}

int kvm_page_readable(uint64_t va)
{
	run_pt_init();
	return ukarch_pt_lookup(&run_pt, va, NULL, NULL, NULL) == 0;
}

/*
 * The window for fixed-address programs (<uk/plat/memory.h>): 2 MiB slots
 * of the first GiB whose page-directory entries point at page tables the
 * caller owns, one set per program; installing a set rewrites those few
 * entries and flushes the TLB (a CR3 reload). The run-time editor above
 * edits the installed tables like any others (mprotect of a program).
 */
#define SLOT (2ul << 20)
static unsigned window_first, window_slots;

int ukplat_window_init(uintptr_t base, unsigned long len)
{
	uintptr_t img_lo = (uintptr_t)__uk_image_start & ~(SLOT - 1);
	uintptr_t img_hi = ((uintptr_t)__uk_image_end + SLOT - 1) & ~(SLOT - 1);

	if (window_slots)
		return -EBUSY;
	if (!len || (base | len) & (SLOT - 1) || base >= KVM_MAPPED_TOP ||
	    len > KVM_MAPPED_TOP - base)
		return -EINVAL;
	if (base < img_hi && base + len > img_lo)
		return -EINVAL; /* the image's own 2 MiB pages */
	window_first = (unsigned)(base / SLOT);
	window_slots = (unsigned)(len / SLOT);
	ukplat_window_install(NULL);
	return 0;
}

int ukplat_window_map(uint64_t *const pts[], uintptr_t va, uint64_t pa,
		      unsigned long len, int prot)
{
	uintptr_t base = (uintptr_t)window_first * SLOT;
	uint64_t bits = UKARCH_PTE_P;

	if (!window_slots || (va | pa | len) & (PAGE - 1) || va < base ||
	    va - base > (uintptr_t)window_slots * SLOT ||
	    len > (uintptr_t)window_slots * SLOT - (va - base) ||
	    (pa & ~UKARCH_PTE_ADDR))
		return -EINVAL;
	if ((prot & UKPLAT_PROT_WRITE) && (prot & UKPLAT_PROT_EXEC))
		return -EACCES;
	if (prot & UKPLAT_PROT_WRITE)
		bits |= UKARCH_PTE_RW;
	if (!(prot & UKPLAT_PROT_EXEC) && have_nx)
		bits |= UKARCH_PTE_NX;
	if (prot == UKPLAT_PROT_NONE)
		bits = 0;
	for (unsigned long off = 0; off < len; off += PAGE) {
		uintptr_t v = va + off;
		unsigned slot = (unsigned)((v - base) / SLOT);
		uint64_t *pt = pts[slot];

		if (!pt)
			return -EINVAL;
		pt[(v % SLOT) / PAGE] = bits ? (pa + off) | bits : 0;
		if ((kvm_pd[window_first + slot] & UKARCH_PTE_ADDR) ==
		    (uint64_t)(uintptr_t)pt)
			__asm__ __volatile__("invlpg (%0)"
					     :
					     : "r"(v)
					     : "memory");
	}
	return 0;
}

void ukplat_window_install(uint64_t *const pts[])
{
	uint64_t cr3;

	for (unsigned i = 0; i < window_slots; i++)
		kvm_pd[window_first + i] =
			pts && pts[i] ? (uint64_t)(uintptr_t)pts[i] |
						UKARCH_PTE_P | UKARCH_PTE_RW
				      : 0;
	__asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3"
			     : "=r"(cr3)
			     :
			     : "memory");
}

/* PVH gives no device description beyond ACPI, which is not parsed for
 * devices (virtio-mmio on microvm: the command line or ukvirtio's scan). */
int ukplat_mmio_device(const char *compat, unsigned int i,
		       struct ukplat_mmio_device *out)
{
	(void)compat, (void)i, (void)out;
	return -ENODEV;
}
