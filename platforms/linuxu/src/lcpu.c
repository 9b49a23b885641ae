/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt flag of a linuxu image: a process gets no device
 * interrupts (host signals are not delivered as interrupts), so the flag
 * is bookkeeping only. It keeps code written for a CPU with interrupts
 * (save, critical section, restore) working unchanged here.
 */
#include <errno.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>

static int irqs_off;

void ukplat_lcpu_enable_irq(void)
{
	irqs_off = 0;
}

void ukplat_lcpu_disable_irq(void)
{
	irqs_off = 1;
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f = (unsigned long)irqs_off;

	irqs_off = 1;
	return f;
}

void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	irqs_off = flags != 0;
}

int ukplat_lcpu_irqs_disabled(void)
{
	return irqs_off;
}

/* No loaded program runs on linuxu (the `syscall` instruction belongs to
 * the host kernel), so no interrupt ever returns to one. */
int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *r, void *fx))
{
	(void)fn;
	return -ENOTSUP;
}
