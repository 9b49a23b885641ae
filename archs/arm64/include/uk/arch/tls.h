/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage blocks, laid out as the compiler's local-exec code
 * expects them. arm64 uses TLS variant I: the thread pointer (TPIDR_EL0)
 * points at a 16-byte thread control block, and the thread's copy of the TLS
 * template follows it, at the next multiple of the template's alignment.
 */
#ifndef UK_ARCH_TLS_H
#define UK_ARCH_TLS_H

#include <stddef.h>
#include <stdint.h>

/* Alignment every block gets; templates asking for more are refused. */
#define UKARCH_TLS_MAX_ALIGN 64

/* Bytes of a block for `size` bytes of TLS data (size a multiple of the
 * template's alignment), TCB and alignment padding included. */
static inline size_t ukarch_tls_block_size(size_t size)
{
	return UKARCH_TLS_MAX_ALIGN + size;
}

/* The thread pointer of a zeroed block of ukarch_tls_block_size(size)
 * bytes at `block` (UKARCH_TLS_MAX_ALIGN-aligned): its start, the TCB. */
static inline void *ukarch_tls_tp(void *block, size_t size)
{
	(void)size;
	return block;
}

/* Where the copy of a template of `size` bytes (aligned to `align`) starts
 * for thread pointer `tp`: after the 16-byte TCB, aligned. */
static inline void *ukarch_tls_data(void *tp, size_t size, size_t align)
{
	(void)size;
	if (align < 16)
		align = 16;
	return (char *)tp + ((16 + align - 1) & ~(align - 1));
}

#endif /* UK_ARCH_TLS_H */
