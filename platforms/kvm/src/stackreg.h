/* SPDX-License-Identifier: BSD-3-Clause */
/* The registered stack (stackreg.c), for ukplat_stack_top() and faults. */
#ifndef KVM_STACKREG_H
#define KVM_STACKREG_H

#include <stdint.h>

/* The registered stack's top if sp is on it, else 0. */
uintptr_t kvm_registered_stack_top(uintptr_t sp);
/* Its name if addr is in its guard page, else 0. */
const char *kvm_registered_guard_name(uintptr_t addr);

#endif
