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
 * Protection is real: every region whose protection is not plain
 * read/write gets it with ukplat_page_protect() (PROT_NONE: inaccessible),
 * and pages are made read/write again before they go back to the allocator
 * or posixmmap writes into them itself. W^X: PROT_WRITE together with
 * PROT_EXEC is refused with -EACCES by mmap and mprotect (as Linux does
 * when SELinux denies execmem). mprotect on memory posixmmap did not map
 * (ELF segments from the allocator) changes its real permissions too; the
 * image itself is left alone (success, nothing recorded). When the
 * platform runs out of page tables: -ENOMEM, nothing changed.
 *
 * brk: a bounded area (option brk_size, default 8 MiB) allocated on first
 * use.
 */
#ifndef UK_MMAP_H
#define UK_MMAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Spaces per process (posixprocess's processes; one address space, so
 * spaces only say who mapped what): the calls work on the current space.
 * uk_mmap_space_new(): an empty one for a process after execve (NULL: no
 * memory); uk_mmap_space_switch(s): make it current (NULL: the image's
 * first process's); uk_mmap_space_release(s): unmap everything it has,
 * give back its brk area and free it (the current space stays current
 * unless it was s).
 */
struct uk_mmap_space;
struct uk_mmap_space *uk_mmap_space_new(void);
void uk_mmap_space_switch(struct uk_mmap_space *s);
void uk_mmap_space_release(struct uk_mmap_space *s);

/* Call `fn` for every mapped region in address order (for diagnostics and
 * tests); returns the number of regions. */
size_t uk_mmap_iter(void (*fn)(uintptr_t start, uintptr_t end, int prot,
			       int flags, void *arg),
		    void *arg);

#ifdef __cplusplus
}
#endif
#endif /* UK_MMAP_H */
