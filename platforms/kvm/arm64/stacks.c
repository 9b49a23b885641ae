/* SPDX-License-Identifier: BSD-3-Clause */
/* Which stack the caller runs on (the stacks are defined in entry.S). */
#include <stdint.h>
#include <uk/plat/stack.h>
#include "kvm_arm64.h"

/* A stack the platform did not make (main()'s, ukboot): <uk/plat/stack.h> */
static const char *reg_name;
static uintptr_t reg_guard, reg_lo, reg_hi;

void ukplat_stack_register(const char *name, uintptr_t guard, uintptr_t lo,
			   uintptr_t hi)
{
	reg_name = name;
	reg_guard = guard;
	reg_lo = lo;
	reg_hi = hi;
}

/* The name of the registered stack whose guard page holds addr, else 0. */
const char *kvm_arm64_registered_guard_name(uintptr_t addr)
{
	if (reg_guard && addr >= reg_guard && addr < reg_guard + 4096)
		return reg_name;
	return 0;
}

uintptr_t ukplat_stack_top(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	if (sp >= reg_lo && sp < reg_hi)
		return reg_hi;
	if (sp >= (uintptr_t)ukplat_kvm_arm64_exc_stack_bottom &&
	    sp < (uintptr_t)ukplat_kvm_arm64_exc_stack_top)
		return (uintptr_t)ukplat_kvm_arm64_exc_stack_top;
	return (uintptr_t)ukplat_kvm_arm64_boot_stack_top;
}
