/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage blocks, laid out as the compiler's local-exec code
 * expects them. x86_64 uses TLS variant II: the thread's copy of the TLS
 * template ends at the thread pointer (the FS base), and the word at the
 * thread pointer points to itself (the TCB).
 */
#ifndef UK_ARCH_TLS_H
#define UK_ARCH_TLS_H

#include <stddef.h>
#include <stdint.h>

/* Alignment every block gets; templates asking for more are refused. */
#define UKARCH_TLS_MAX_ALIGN 64

/* Bytes of a block for `size` bytes of TLS data (size a multiple of the
 * template's alignment), TCB included. */
static inline size_t ukarch_tls_block_size(size_t size)
{
	return ((size + UKARCH_TLS_MAX_ALIGN - 1) &
		~(size_t)(UKARCH_TLS_MAX_ALIGN - 1)) +
	       UKARCH_TLS_MAX_ALIGN;
}

/* The thread pointer of a zeroed block of ukarch_tls_block_size(size)
 * bytes at `block` (UKARCH_TLS_MAX_ALIGN-aligned); sets up the TCB. */
static inline void *ukarch_tls_tp(void *block, size_t size)
{
	char *tp = (char *)block + ukarch_tls_block_size(size) -
		   UKARCH_TLS_MAX_ALIGN;

	*(void **)tp = tp;
	return tp;
}

/* Where the copy of a template of `size` bytes (aligned to `align`) starts
 * for thread pointer `tp`. */
static inline void *ukarch_tls_data(void *tp, size_t size, size_t align)
{
	(void)align;
	return (char *)tp - size;
}

#endif /* UK_ARCH_TLS_H */
