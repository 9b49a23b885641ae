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

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_STACK_H */
