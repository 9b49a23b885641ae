/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The parts of the platform contract a Linux process has no hardware for:
 * no timer interrupt and no interrupt lines. Each call answers as
 * platforms/api/README.md says a platform without the facility does
 * (-ENODEV, zeros), so that libraries using them link on linuxu too and
 * handle "not here" at run time.
 */
#include <errno.h>
#include <string.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>

void ukplat_timer_set_handler(ukplat_timer_fn_t fn, void *arg)
{
	(void)fn;
	(void)arg;
}

int ukplat_timer_arm(uint64_t deadline_ns)
{
	(void)deadline_ns;
	return -ENODEV;
}

int ukplat_timer_periodic(uint64_t period_ns)
{
	(void)period_ns;
	return -ENODEV;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t handler,
			void *arg)
{
	(void)irq;
	(void)handler;
	(void)arg;
	return -ENODEV;
}

int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	(void)mode;
	return ukplat_irq_register(irq, handler, arg);
}

int ukplat_irq_unregister(unsigned int irq, ukplat_irq_handler_t handler,
			  void *arg)
{
	(void)irq;
	(void)handler;
	(void)arg;
	return -ENODEV;
}

void ukplat_irq_stats(struct ukplat_irq_stats *out)
{
	memset(out, 0, sizeof(*out));
}

/* No interrupt will ever come: nothing is pending. */
void ukplat_lcpu_poll_irq(void)
{
}

/* No interrupt will ever come: a short nap stands for "until the next one",
 * so that a caller waiting for a flag polls it instead of hanging. */
void ukplat_lcpu_halt_irq(void)
{
	ukplat_halt_until(ukplat_monotonic_clock() + 1000 * 1000);
}
