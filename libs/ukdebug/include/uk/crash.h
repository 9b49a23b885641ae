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
 * Print RIP with its symbol, all general registers, and a frame-pointer
 * backtrace starting at regs->rbp. Frames are only followed inside
 * [regs->rsp, stack_hi), so a corrupt chain cannot fault; stack_hi = 0 means
 * "unknown" and then only the faulting RIP is shown.
 */
void uk_crash_report(const struct ukarch_regs *regs, uintptr_t stack_hi);

/*
 * Explain a page fault: the faulting address and its page, the access (read,
 * write, instruction fetch) and whether the page was absent or protected,
 * decoded from the x86 page-fault error code; flags NULL dereferences.
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
