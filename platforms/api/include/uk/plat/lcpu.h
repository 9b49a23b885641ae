/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat logical CPU: the local interrupt flag and halting. */
#ifndef UK_PLAT_LCPU_H
#define UK_PLAT_LCPU_H

#ifdef __cplusplus
extern "C" {
#endif

/* Enable / disable interrupts on this CPU. */
void ukplat_lcpu_enable_irq(void);
void ukplat_lcpu_disable_irq(void);
/* Disable interrupts and return the previous state, for
 * ukplat_lcpu_restore_irqf(); the pair MAY nest. */
unsigned long ukplat_lcpu_save_irqf(void);
void ukplat_lcpu_restore_irqf(unsigned long flags);
/* Non-zero when interrupts are disabled on this CPU. */
int ukplat_lcpu_irqs_disabled(void);

/* Set this CPU's thread pointer (x86_64: the FS base), from which the
 * compiler addresses `__thread` variables. A scheduler calls it on every
 * switch. */
void ukplat_tlsp_set(void *tp);

/*
 * Route the `syscall` instruction to `entry` (x86_64: EFER.SCE, STAR, LSTAR;
 * FMASK clears DF, TF and AC; interrupts stay as the caller had them: device
 * interrupts never run on the interrupted code's stack).
 * -ENOTSUP where the platform cannot (linuxu: the instruction belongs to the
 * host kernel).
 */
int ukplat_syscall_enable(void (*entry)(void));

/*
 * Stop the CPU until the next interrupt (of any source), then return with
 * interrupts in the state they had before the call; the interrupt's handler
 * has run by then. Enabling interrupts and halting happen atomically, so an
 * interrupt that arrives in between is not lost. MUST NOT be called from an
 * interrupt handler.
 */
void ukplat_lcpu_halt_irq(void);

/*
 * Take the interrupts that are pending now, without waiting for one: their
 * handlers have run when this returns, with interrupts in the state they had
 * before the call. The image's own code runs with interrupts off except
 * while halting; a thread that keeps running (it yields, but the CPU never
 * idles) calls this so that devices are still heard. MUST NOT be called
 * from an interrupt handler.
 */
void ukplat_lcpu_poll_irq(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_LCPU_H */
