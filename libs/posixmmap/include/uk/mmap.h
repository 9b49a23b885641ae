/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixmmap: mmap, munmap, mprotect, mremap, madvise, msync and brk
 * (Linux x86_64 semantics, negative errno results; call them through
 * uk_syscall_call() or a libc).
 *
 * Memory comes from the default allocator's page allocator (uk_palloc) and
 * is zeroed. Each mmap() is one allocation ("block"); regions inside it can
 * be unmapped, re-protected and re-mapped with MAP_FIXED independently, and
 * the block goes back to the allocator when its last page is unmapped.
 * MAP_FIXED (and MAP_FIXED_NOREPLACE) only work inside a block made earlier,
 * e.g. a PROT_NONE reservation: the image cannot map arbitrary addresses
 * (-ENOMEM otherwise). File mappings are copies read with pread64 (MAP_SHARED
 * only without PROT_WRITE: writes would not reach the file, -ENODEV).
 *
 * Protection is recorded; PROT_NONE ranges of up to UK_MMAP_GUARD_MAX pages
 * are also made inaccessible with ukplat_page_guard() (thread-stack guard
 * pages, small reservations); larger ones and read-only/no-exec are not
 * enforced. brk: a bounded area (option brk_size, default 8 MiB) allocated on
 * first use.
 */
#ifndef UK_MMAP_H
#define UK_MMAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PROT_NONE regions up to this many pages are enforced (see above). */
#define UK_MMAP_GUARD_MAX 16

/* Call `fn` for every mapped region in address order (for diagnostics and
 * tests); returns the number of regions. */
size_t uk_mmap_iter(void (*fn)(uintptr_t start, uintptr_t end, int prot,
			       int flags, void *arg),
		    void *arg);

#ifdef __cplusplus
}
#endif
#endif /* UK_MMAP_H */
