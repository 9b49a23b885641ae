/*
 * Segment permissions on kvm. The platform maps all free RAM (the heap)
 * read/write and no-execute, and the ukplat API has no call that changes
 * that (only ukplat_page_guard), while posixmmap's mprotect() only records
 * the protection of its own mappings. So elfrun, which runs on kvm only,
 * edits the live page tables itself with the ukarch page-table editor
 * (identity-mapped, tables from the page allocator) until the platform
 * offers page protection: text becomes read+execute, rodata read-only, data
 * read/write, no page writable and executable at once.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/arch/paging.h>
#include "elfrun.h"

static struct ukarch_pt pt;

static void *p2v(void *ctx, uint64_t paddr)
{
	(void)ctx;
	return (void *)(uintptr_t)paddr; /* the kvm platform maps 1:1 */
}

static int alloc_table(void *ctx, uint64_t *paddr)
{
	void *p = uk_palloc(uk_alloc_get_default(), 1);

	(void)ctx;
	if (!p)
		return -ENOMEM;
	memset(p, 0, 4096);
	*paddr = (uint64_t)(uintptr_t)p;
	return 0;
}

static void flush(void *ctx, uint64_t vaddr)
{
	(void)ctx;
	__asm__ __volatile__("invlpg (%0)" : : "r"(vaddr) : "memory");
}

int elfrun_kvm_protect(void *addr, size_t len, int prot)
{
	if (!pt.root) {
		uint64_t cr3;

		__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
		pt.root = cr3 & UKARCH_PTE_ADDR;
		pt.ops.phys_to_virt = p2v;
		pt.ops.alloc_table = alloc_table;
		pt.ops.flush = flush;
	}
	/* Linux PROT_READ/WRITE/EXEC have the UKARCH_PROT_* values */
	return ukarch_pt_protect(&pt, (uint64_t)(uintptr_t)addr, len, prot);
}
