/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat memory protection: guard pages and page permissions. */
#ifndef UK_PLAT_MEMORY_H
#define UK_PLAT_MEMORY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * on != 0: make the 4 KiB page at `page` (page-aligned, memory the heap gave
 * out) inaccessible, so that touching it faults: a stack guard page.
 * on == 0: make it readable and writable again (not executable) before the
 * memory goes back to the heap.
 * Returns 0; -EINVAL for an unaligned or unmapped page; -ENOMEM when the
 * platform has no page-table page left to split a large mapping with (the
 * caller then runs without a guard).
 */
int ukplat_page_guard(void *page, int on);

/* Page permissions, with Linux's PROT_* values. */
#define UKPLAT_PROT_NONE  0x0
#define UKPLAT_PROT_READ  0x1
#define UKPLAT_PROT_WRITE 0x2
#define UKPLAT_PROT_EXEC  0x4

/*
 * Give the pages of [addr, addr + len) (page-aligned; memory the heap gave
 * out) the permissions `prot`: what mprotect() and a program loader need.
 * PROT_NONE makes them inaccessible. Writable and executable at once is
 * refused (-EACCES): images are W^X. Returns 0; -EINVAL for an unaligned or
 * foreign range; -ENOMEM when no page-table page is left to split a large
 * mapping with (nothing changed then).
 */
int ukplat_page_protect(void *addr, unsigned long len, int prot);

/*
 * A window for fixed-address programs: [base, base + len) (2 MiB aligned,
 * RAM that the heap does not use, outside the image's 2 MiB pages) whose
 * mappings differ per program. Each program has a set of page tables, one
 * 4 KiB page-aligned zeroed page per 2 MiB of the window (`pts`, owned by
 * the caller); ukplat_window_map() writes mappings of va -> pa with `prot`
 * (PROT_NONE: unmapped; W+X refused: -EACCES) into them, and
 * ukplat_window_install() makes a set the live one (NULL: nothing is
 * mapped in the window). The run-time calls above (ukplat_page_protect)
 * then act on the installed set.
 * init: 0, -EINVAL (alignment, beyond mapped RAM, the image), -EBUSY
 * (already), -ENOTSUP (linuxu). map: 0, -EINVAL (outside the window, no
 * table for a slot, alignment), -EACCES.
 */
int ukplat_window_init(uintptr_t base, unsigned long len);
int ukplat_window_map(uint64_t *const pts[], uintptr_t va, uint64_t pa,
		      unsigned long len, int prot);
void ukplat_window_install(uint64_t *const pts[]);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_MEMORY_H */
