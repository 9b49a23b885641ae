/* SPDX-License-Identifier: BSD-3-Clause */
/* Which stack the caller runs on (the stacks are defined in entry.S). */
#include <stdint.h>
#include <uk/plat/stack.h>
#include "kvm_arm64.h"
#include "stackreg.h"

uintptr_t ukplat_stack_top(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	uintptr_t reg_top = kvm_registered_stack_top(sp);

	if (reg_top)
		return reg_top;
	if (sp >= (uintptr_t)ukplat_kvm_arm64_exc_stack_bottom &&
	    sp < (uintptr_t)ukplat_kvm_arm64_exc_stack_top)
		return (uintptr_t)ukplat_kvm_arm64_exc_stack_top;
	return (uintptr_t)ukplat_kvm_arm64_boot_stack_top;
}
