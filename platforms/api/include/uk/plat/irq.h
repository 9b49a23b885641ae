/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat interrupts: handlers for interrupt lines.
 *
 * kvm/x86_64: lines are IOAPIC inputs (GSIs); the legacy PIC is masked.
 * Handlers run with interrupts disabled, on the interrupted stack, and MUST
 * NOT block or allocate.
 */
#ifndef UK_PLAT_IRQ_H
#define UK_PLAT_IRQ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns non-zero if it handled the interrupt (lines MAY be shared: every
 * handler of the line is called until one returns non-zero). */
typedef int (*ukplat_irq_handler_t)(void *arg);

/* Trigger modes for ukplat_irq_register_mode(). */
#define UKPLAT_IRQ_EDGE_HIGH 0 /* ISA devices */
#define UKPLAT_IRQ_LEVEL_LOW 1 /* PCI devices */

/*
 * Add `handler` (called with `arg`) to line `irq` and unmask the line.
 * Returns 0; -EINVAL for a line the platform does not have; -ENOMEM when the
 * platform's handler table is full (UKPLAT_IRQ_HANDLERS_MAX entries).
 */
int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t handler,
			void *arg);
int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode);
/* Remove a registration (same handler and arg); the line is masked when it
 * has no handler left. Returns 0 or -ENOENT. */
int ukplat_irq_unregister(unsigned int irq, ukplat_irq_handler_t handler,
			  void *arg);

#define UKPLAT_IRQ_HANDLERS_MAX 32

struct ukarch_regs;
/*
 * `fn` is called before an interrupt returns to code that is not part of
 * the image (a program an ELF loader started: no kernel code was in
 * progress), with that code's saved registers and FPU state (x86_64:
 * fxsave format, 512 bytes; arm64: q0-q31, FPCR, FPSR, 528 bytes - the
 * layout of the binary system call entry's save area), which it MAY
 * change: the interrupt then returns to what they say (signal delivery).
 * Interrupts disabled, on the interrupt stack; `fn` MUST NOT block. NULL: none.
 * Returns 0, or -ENOTSUP where no such code can run (linuxu).
 */
int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *r, void *fx));

/* Counters for interrupts nobody asked for; never fatal. */
struct ukplat_irq_stats {
	uint64_t spurious;   /* the interrupt controller's spurious vector */
	uint64_t unexpected; /* a vector or line without a handler */
	uint64_t handled;    /* interrupts some handler took */
};
void ukplat_irq_stats(struct ukplat_irq_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_IRQ_H */
