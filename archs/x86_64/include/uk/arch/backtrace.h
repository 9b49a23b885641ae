/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-pointer backtraces. Every unikit image is built with
 * -fno-omit-frame-pointer, so each frame starts with [saved rbp][return rip].
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
 * A function that calls nothing may run without a frame of its own (GCC does
 * that even with -fno-omit-frame-pointer); the frame chain then skips its
 * caller. Return that caller's return address if `r` shows one: on x86_64
 * the word at the stack pointer (inside [stack_lo, stack_hi)), accepted only
 * if it points into code (`in_code(addr)` non-zero for addr and addr - 5)
 * right after a call instruction (e8 rel32, or ff /2 through a register).
 * Returns 0 otherwise.
 */
uintptr_t ukarch_leaf_caller(const struct ukarch_regs *r, uintptr_t stack_lo,
			     uintptr_t stack_hi, int (*in_code)(uintptr_t));

#endif /* UK_ARCH_BACKTRACE_H */
