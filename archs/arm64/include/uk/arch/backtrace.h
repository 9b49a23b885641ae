/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-pointer backtraces. Every unikit image is built with
 * -fno-omit-frame-pointer, so each AArch64 frame record is [saved x29][saved
 * x30] at the frame pointer, the same shape as x86_64's [rbp][rip].
 */
#ifndef UK_ARCH_BACKTRACE_H
#define UK_ARCH_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>
#include <uk/arch/regs.h>

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

/*
 * The caller of a function that runs without a frame record of its own (a
 * leaf the compiler gave none): on arm64 the link register x30 still holds
 * its return address. Returned only if it points into code (`in_code(addr)`
 * for addr - 4) right after a BL or BLR instruction; else 0.
 * stack_lo/stack_hi are not needed here (nothing is read from the stack).
 */
uintptr_t ukarch_leaf_caller(const struct ukarch_regs *r, uintptr_t stack_lo,
			     uintptr_t stack_hi, int (*in_code)(uintptr_t));

#endif /* UK_ARCH_BACKTRACE_H */
