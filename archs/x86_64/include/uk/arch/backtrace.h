/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-pointer backtraces. Every unikit image is built with
 * -fno-omit-frame-pointer, so each frame starts with [saved rbp][return rip].
 */
#ifndef UK_ARCH_BACKTRACE_H
#define UK_ARCH_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Walk the frame chain starting at frame pointer `fp` and store up to `max`
 * return addresses in `pcs`. A frame is followed only while its address lies
 * inside [stack_lo, stack_hi), is 8-byte aligned and strictly above the
 * previous one, so a corrupted chain ends the walk instead of faulting.
 * Pass stack_lo = stack_hi = 0 to skip the range check (only safe when every
 * address is known mapped). Returns the number of addresses stored.
 */
size_t ukarch_backtrace(uintptr_t fp, uintptr_t stack_lo, uintptr_t stack_hi,
			uintptr_t *pcs, size_t max);

#endif /* UK_ARCH_BACKTRACE_H */
