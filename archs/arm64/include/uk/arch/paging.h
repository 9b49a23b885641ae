/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 page-table editor: VMSAv8-64 stage 1, 4 KiB granule, 4 levels
 * (48-bit addresses through TTBR0_EL1), 4 KiB pages and 2 MiB blocks. The
 * same API as x86_64's <uk/arch/paging.h>; levels are numbered 4 (level 0
 * of the Arm ARM) down to 1 (its level 3).
 *
 * The editor never dereferences a physical address itself: it reaches every
 * page-table page through ops.phys_to_virt() and gets new tables from
 * ops.alloc_table(), so the same code edits the live tables of the kernel
 * (identity mapping) and a simulated physical memory in native tests.
 *
 * Every operation is all-or-nothing: it first checks the whole range and
 * obtains every page table it will need, and only then changes entries. On
 * any error the tables are exactly as before (an allocation failure may only
 * leave behind tables freed with free_table(); see ukarch_pt_ops).
 *
 * Entries written: leaves valid (pages also the "page" bit 1), AF, inner
 * shareable, memory attribute index 0 (the platform's MAIR: normal
 * write-back), AP[2] (read-only) unless writable, PXN unless executable,
 * and UXN always (nothing runs at EL0); never nG or the contiguous hint.
 * Tables this code creates are linked valid|table with no APTable/XNTable
 * bits, so the leaf alone decides (tables made by someone else keep their
 * bits and still restrict). 1 GiB blocks made elsewhere (boot code) are
 * understood: looked up, unmapped, protected and split like 2 MiB ones.
 * A split replaces a live block by a table of the same addresses and
 * attributes directly, without break-before-make (the block may map the
 * very stack the caller runs on): QEMU does not model the TLB conflict this
 * can cause on cores without FEAT_BBM; see docs/design.md. Callers MUST
 * serialise operations on one ukarch_pt. Addresses are the lower 256 TiB
 * (TTBR0); the upper half is not handled.
 */
#ifndef UK_ARCH_PAGING_H
#define UK_ARCH_PAGING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How to reach and obtain page-table pages (4 KiB, physical addresses). */
struct ukarch_pt_ops {
	/* Pointer through which the table page at paddr can be accessed. */
	void *(*phys_to_virt)(void *ctx, uint64_t paddr);
	/* Store the paddr of a new zero-filled, 4 KiB-aligned page in *paddr
	 * and return 0, or return -ENOMEM. */
	int (*alloc_table)(void *ctx, uint64_t *paddr);
	/* Give back a table page. MAY be NULL: then tables are never freed
	 * (and the pages of a failed operation are leaked). */
	void (*free_table)(void *ctx, uint64_t paddr);
	/* Invalidate the TLB entry of the page containing vaddr (tlbi vaae1).
	 * MAY be NULL (e.g. for tables that are not loaded). */
	void (*flush)(void *ctx, uint64_t vaddr);
	void *ctx; /* first argument of every op */
};

struct ukarch_pt {
	uint64_t root; /* paddr of the level 0 table (TTBR0_EL1) */
	struct ukarch_pt_ops ops;
};

#define UKARCH_PROT_READ  0x1
#define UKARCH_PROT_WRITE 0x2
#define UKARCH_PROT_EXEC  0x4 /* without it PXN is set */

/* Page size for ukarch_pt_map(); 4 KiB is the default (0). */
#define UKARCH_PAGE_4K 0x0
#define UKARCH_PAGE_2M 0x1

#define UKARCH_PAGE_SIZE_4K 0x1000ULL
#define UKARCH_PAGE_SIZE_2M 0x200000ULL
#define UKARCH_PAGE_SIZE_1G 0x40000000ULL

/* Raw descriptor bits, for code that inspects entries. */
#define UKARCH_PTE_VALID      0x1ULL
#define UKARCH_PTE_TABLE      0x2ULL /* table at levels 4-2, page at level 1 */
#define UKARCH_PTE_ATTR(i)    ((uint64_t)(i) << 2) /* MAIR index */
#define UKARCH_PTE_RO	      0x80ULL		   /* AP[2] */
#define UKARCH_PTE_SH_INNER   0x300ULL
#define UKARCH_PTE_AF	      0x400ULL
#define UKARCH_PTE_NG	      0x800ULL
#define UKARCH_PTE_PXN	      (1ULL << 53)
#define UKARCH_PTE_UXN	      (1ULL << 54)
#define UKARCH_PTE_PXNTABLE   (1ULL << 59)
#define UKARCH_PTE_APTABLE_RO (1ULL << 62)
#define UKARCH_PTE_ADDR	      0x0000fffffffff000ULL /* bits 12..47 */

/*
 * Fill in *pt with `ops` and a new, empty level 0 table from
 * ops->alloc_table().
 * Returns 0 or -ENOMEM. (For existing tables, fill in root and ops directly.)
 */
int ukarch_pt_init(struct ukarch_pt *pt, const struct ukarch_pt_ops *ops);

/*
 * Map [vaddr, vaddr + len) to [paddr, paddr + len) with pages of the size
 * given by flags (UKARCH_PAGE_4K or UKARCH_PAGE_2M). prot MUST include
 * UKARCH_PROT_READ (EL1 has no mapped-but-unreadable page); WRITE|EXEC
 * together is allowed by the editor (SCTLR_EL1.WXN then makes such a page
 * non-executable anyway). Calls flush() once per new leaf. Returns 0, or,
 * with nothing changed:
 *  -EINVAL vaddr, paddr or len not a multiple of the page size, len 0, the
 *          range wraps or reaches 2^48, paddr + len beyond 2^48, unknown
 *          prot or flags bits;
 *  -EEXIST some page of the range is already mapped (an empty page table
 *          where a 2 MiB page goes does not count: it is replaced);
 *  -ENOMEM a needed page table could not be allocated.
 */
int ukarch_pt_map(struct ukarch_pt *pt, uint64_t vaddr, uint64_t paddr,
		  uint64_t len, int prot, int flags);

/*
 * Remove the mappings of [vaddr, vaddr + len) (4 KiB aligned). A large page
 * only partly in the range is first split into 512 smaller pages with the
 * same physical addresses and bits. Page tables left empty are unlinked and
 * given to free_table() (if not NULL; never the level 0 table). Calls flush()
 * for every removed leaf and unlinked table. Returns 0, or, with nothing
 * changed: -EINVAL (as for map), -ENOENT (some page of the range is not
 * mapped), -ENOMEM (no table for a split).
 */
int ukarch_pt_unmap(struct ukarch_pt *pt, uint64_t vaddr, uint64_t len);

/*
 * Change the protection of every page of [vaddr, vaddr + len) (4 KiB
 * aligned) to prot (same rules as for map), splitting large pages only partly
 * in the range. Only AP[2] and PXN change; flush() is called for every leaf
 * that changed. Returns 0 or, with nothing changed, -EINVAL, -ENOENT or -ENOMEM
 * as for unmap.
 */
int ukarch_pt_protect(struct ukarch_pt *pt, uint64_t vaddr, uint64_t len,
		      int prot);

/*
 * Translate vaddr. Returns 0 and, for each pointer that is not NULL, the
 * physical address of vaddr itself (page base + offset), its effective
 * UKARCH_PROT_* bits (READ always; WRITE unless AP[2] in the leaf or
 * APTable[1] in a table; EXEC unless PXN in the leaf or PXNTable in a table)
 * and the size of the page holding it (4 KiB, 2 MiB or 1 GiB); -ENOENT if it
 * is not mapped; -EINVAL if vaddr is not below 2^48.
 */
int ukarch_pt_lookup(const struct ukarch_pt *pt, uint64_t vaddr,
		     uint64_t *paddr, int *prot, uint64_t *page_size);

#ifdef __cplusplus
}
#endif
#endif /* UK_ARCH_PAGING_H */
