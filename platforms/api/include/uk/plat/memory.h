/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat memory protection: guard pages. */
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

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_MEMORY_H */
