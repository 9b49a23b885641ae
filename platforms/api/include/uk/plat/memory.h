/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat memory protection: guard pages and page permissions. */
#ifndef UK_PLAT_MEMORY_H
#define UK_PLAT_MEMORY_H

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

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_MEMORY_H */
