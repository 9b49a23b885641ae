/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * muslglue: what musl needs from unikit to start (its libc init with a
 * synthetic process start vector) and the pieces of musl unikit replaces
 * (malloc glue, thread pointer, clone, cancellation points). Nothing here is
 * called by applications: the init table runs uk_muslglue_init().
 */
#ifndef UK_MUSLGLUE_H
#define UK_MUSLGLUE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Linux auxiliary vector keys (values as in the Linux ELF ABI). */
#define UK_AT_NULL   0
#define UK_AT_PHDR   3
#define UK_AT_PHENT  4
#define UK_AT_PHNUM  5
#define UK_AT_PAGESZ 6
#define UK_AT_UID    11
#define UK_AT_EUID   12
#define UK_AT_GID    13
#define UK_AT_EGID   14
#define UK_AT_HWCAP  16
#define UK_AT_CLKTCK 17
#define UK_AT_SECURE 23
#define UK_AT_RANDOM 25

#define UK_PT_TLS 7 /* ELF program header type of the TLS template */

/* Same layout as the ELF64 program header (Elf64_Phdr). */
struct uk_muslglue_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* The image's TLS template: .tdata (filesz bytes at image) then .tbss,
 * memsz bytes in all. memsz == 0: no thread-local variables. */
struct uk_muslglue_tls {
	uintptr_t image;
	size_t filesz;
	size_t memsz;
	size_t align;
};

/* What goes into the auxiliary vector. */
struct uk_muslglue_startinfo {
	size_t pagesz;
	unsigned long hwcap;
	const unsigned char *random; /* 16 bytes */
	struct uk_muslglue_tls tls;
};

/*
 * Build the start vector musl's __init_libc(envp, argv0) reads: an empty
 * environment (a NULL), then the auxiliary vector (key, value pairs ending
 * with AT_NULL). `phdr` receives the PT_TLS header the vector points at
 * (AT_PHDR/AT_PHNUM; AT_PHNUM is 0 when the image has no TLS).
 * Returns the number of words used, -EINVAL for a TLS template that is
 * inconsistent (filesz > memsz, an alignment that is not a power of two),
 * or -ENOSPC when `n` words are not enough.
 */
int uk_muslglue_startvec(size_t *vec, size_t n, struct uk_muslglue_phdr *phdr,
			 const struct uk_muslglue_startinfo *si);

/* The init-table entry: musl's libc init for the boot thread. */
int uk_muslglue_init(void);

#ifdef __cplusplus
}
#endif

#endif /* UK_MUSLGLUE_H */
