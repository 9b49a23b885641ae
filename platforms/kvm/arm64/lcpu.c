/* SPDX-License-Identifier: BSD-3-Clause */
/* The local interrupt flag (PSTATE.I) and the thread pointer (TPIDR_EL0). */
#include <errno.h>
#include <uk/arch/arm64.h>
#include <uk/plat/lcpu.h>

void ukplat_lcpu_enable_irq(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

void ukplat_lcpu_disable_irq(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f = ukarch_sysreg_read(daif);

	ukplat_lcpu_disable_irq();
	return f;
}

void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	ukarch_sysreg_write(daif, flags);
}

int ukplat_lcpu_irqs_disabled(void)
{
	return !!(ukarch_sysreg_read(daif) & (1u << 7));
}

/* The system call entry the synchronous vector branches to for an SVC
 * (vectors.S), NULL: an SVC is a crash. */
void (*ukplat_kvm_arm64_svc_entry)(void);

/*
 * arm64: `entry` is branched to from the exception vector at EL1h on the
 * exception stack, with the caller's x16 and x17 pushed on it and every
 * other register, ELR_EL1 and SPSR_EL1 as the svc left them
 * (archs/arm64/src/syscall_entry.S is written for exactly this).
 */
int ukplat_syscall_enable(void (*entry)(void))
{
	ukplat_kvm_arm64_svc_entry = entry;
	__asm__ __volatile__("dsb ish" ::: "memory");
	return 0;
}

void ukplat_tlsp_set(void *tp)
{
	ukarch_sysreg_write(tpidr_el0, (uint64_t)(uintptr_t)tp);
}
