/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat stacks: what crash reports need to walk a stack safely. */
#ifndef UK_PLAT_STACK_H
#define UK_PLAT_STACK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Return the highest address (exclusive) of the stack the caller runs on, or 0
 * when the platform does not know it. Every byte between the current stack
 * pointer and this address MUST be readable. MAY be called from exception
 * handlers.
 */
uintptr_t ukplat_stack_top(void);

/*
 * Tell the platform about a stack it did not make (ukboot's stack for
 * main()): [lo, hi), and the unmapped page below it at `guard` (0: none), so
 * that ukplat_stack_top() answers for it and a crash report names it
 * ("stack overflow: NAME ran into its guard page") and walks its frames.
 * One such stack; a later call replaces the earlier one. `name` MUST stay
 * valid. MUST be accepted; a platform MAY use it for nothing.
 */
void ukplat_stack_register(const char *name, uintptr_t guard, uintptr_t lo,
			   uintptr_t hi);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_STACK_H */
