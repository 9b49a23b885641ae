/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one stack the platform did not make (main()'s, ukboot's):
 * <uk/plat/stack.h>. Kept here for both kvm architectures; their
 * ukplat_stack_top() and fault reports ask it.
 */
#include <stdint.h>
#include <uk/plat/stack.h>
#include "stackreg.h"

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

uintptr_t kvm_registered_stack_top(uintptr_t sp)
{
	return sp >= reg_lo && sp < reg_hi ? reg_hi : 0;
}

const char *kvm_registered_guard_name(uintptr_t addr)
{
	if (reg_guard && addr >= reg_guard && addr < reg_guard + 4096)
		return reg_name;
	return 0;
}
