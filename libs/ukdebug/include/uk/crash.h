/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukdebug crash report: what platforms print when the CPU (or, on linuxu, the
 * host kernel) reports a fatal fault. The platform prints the first lines
 * (what happened, error code, faulting address); this prints the rest.
 */
#ifndef UK_CRASH_H
#define UK_CRASH_H

#include <stdint.h>
#include <uk/arch/regs.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Print the program counter with its symbol, all general registers (as the
 * architecture formats them, <uk/arch/regs.h>), and a frame-pointer
 * backtrace starting at the frame pointer. Frames are only followed inside
 * [stack pointer, stack_hi), so a corrupt chain cannot fault; stack_hi = 0
 * means "unknown" and then only the faulting program counter is shown.
 */
void uk_crash_report(const struct ukarch_regs *regs, uintptr_t stack_hi);

/* What uk_crash_page_fault() is told about the access (the bits are those
 * of the x86 page-fault error code, so x86 passes its code unchanged;
 * other architectures translate theirs). */
#define UK_CRASH_PF_PRESENT 0x1	 /* the page was mapped: a protection fault */
#define UK_CRASH_PF_WRITE   0x2	 /* a write (else a read) */
#define UK_CRASH_PF_RSVD    0x8	 /* a reserved bit in a page-table entry */
#define UK_CRASH_PF_FETCH   0x10 /* an instruction fetch */

/*
 * Explain a page fault: the faulting address and its page, the access (read,
 * write, instruction fetch) and whether the page was absent or protected,
 * from the UK_CRASH_PF_* bits in `error_code`; flags NULL dereferences and
 * stack overflows into a thread's guard page.
 */
void uk_crash_page_fault(uintptr_t addr, uint64_t error_code);

/* How many panics are in progress: a panic inside a panic gives up at once
 * instead of recursing. Only unit tests, whose exit double returns, reset it.
 */
extern int uk_panic_nesting;

/* Print a backtrace from the caller's frame (used by UK_CRASH). */
void uk_backtrace_here(uintptr_t stack_hi);

#ifdef __cplusplus
}
#endif
#endif /* UK_CRASH_H */
