/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time on kvm/arm64: the Arm generic timer. The monotonic clock is the
 * virtual counter (CNTVCT_EL0) since the image's first instruction, at the
 * frequency CNTFRQ_EL0 announces (no calibration); the wall clock is the
 * PL031 RTC's seconds, followed by the monotonic clock; one-shot deadlines
 * and periodic interrupts come from the EL1 virtual timer (CNTV_CVAL_EL0, a
 * 64-bit compare value: no range to run out of) on its PPI from the device
 * tree, through the GIC. Set up on first use.
 */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/arm64.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>
#include <uk/time.h>
#include "kvm_arm64.h"

#define CTL_ENABLE	 (1u << 0)
#define CTL_IMASK	 (1u << 1)
#define CTL_ISTATUS	 (1u << 2)
#define MIN_PERIOD_NS	 10000u
#define PPI_VIRT_DEFAULT 11 /* architecture's recommendation */

static struct uk_tsc_conv conv;
static struct ukplat_clock_info info;
static int clock_state; /* 0 not set up, 1 ready */

static void clock_setup(void)
{
	if (clock_state)
		return;
	info.mono_hz = ukarch_cntfrq();
	info.mono_source = "generic timer (CNTVCT_EL0)";
	info.wall_source = "none";
	info.calib_ns = 0;
	if (uk_tsc_conv_init(&conv, info.mono_hz) < 0) {
		/* CNTFRQ_EL0 is set by firmware; QEMU always does */
		uk_pr_crit("clock: CNTFRQ_EL0 says %lu Hz: not usable",
			   (unsigned long)info.mono_hz);
		info.mono_hz = 62500000;
		uk_tsc_conv_init(&conv, info.mono_hz);
	}
	clock_state = 1;
}

uint64_t ukplat_monotonic_clock(void)
{
	clock_setup();
	return uk_tsc_to_ns(&conv,
			    ukarch_cntvct() - ukplat_bootinfo()->tsc_at_entry);
}

/* Counter value of monotonic time ns. */
static uint64_t ns_to_counter(uint64_t ns)
{
	return ukplat_bootinfo()->tsc_at_entry + uk_ns_to_tsc(&conv, ns);
}

static uint64_t wall_base_ns, wall_mono_ns;
static int wall_state; /* 0 not read, 1 from the RTC, -1 none */

uint64_t ukplat_wall_clock(void)
{
	if (!wall_state) {
		const struct fdt *f = kvm_arm64_fdt;
		const struct fdt_dev *d =
			f ? &kvm_arm64_dt->first[FDT_PL031] : NULL;
		uint64_t base, size;
		volatile uint8_t *rtc = 0;

		wall_state = -1;
		if (d && d->node >= 0 && d->enabled &&
		    fdt_reg_get(f, &d->reg, 0, &base, &size) == 0)
			rtc = kvm_arm64_map_device(base, size ? size : 4096);
		if (rtc) {
			/* whole seconds: the middle of the current one is
			 * the best guess without waiting for the next */
			uint32_t secs = ukarch_mmio_read32(rtc);

			wall_mono_ns = ukplat_monotonic_clock();
			wall_base_ns =
				(uint64_t)secs * 1000000000ull + 500000000ull;
			wall_state = 1;
			info.wall_source = "pl031 rtc (whole seconds)";
		}
	}
	if (wall_state < 0)
		return 0;
	return wall_base_ns + (ukplat_monotonic_clock() - wall_mono_ns);
}

const struct ukplat_clock_info *ukplat_clock_info(void)
{
	clock_setup();
	(void)ukplat_wall_clock();
	return &info;
}

/* ---- the timer ---- */

static int state;	 /* 0 not set up, 1 ready, -1 unavailable */
static uint64_t armed;	 /* ukplat_timer_arm()'s deadline (ns), 0 none */
static uint64_t halt_dl; /* a halt's own deadline (ns), 0 none */
static uint64_t period;	 /* ns, periodic mode */
static uint64_t period_ticks, next_cval;
static uint64_t next_periodic;
static ukplat_timer_fn_t user_fn;
static void *user_arg;

static void timer_stop(void)
{
	ukarch_sysreg_write(cntv_ctl_el0, CTL_IMASK);
	ukarch_isb();
}

static void program(uint64_t deadline_ns)
{
	ukarch_sysreg_write(cntv_cval_el0, ns_to_counter(deadline_ns));
	ukarch_sysreg_write(cntv_ctl_el0, CTL_ENABLE);
	ukarch_isb();
}

/* The earlier of the armed deadline and a halt's deadline, if still ahead
 * (a halt whose deadline passed ends by itself); interrupts disabled. */
static void program_next(uint64_t now)
{
	uint64_t d = armed;

	if (halt_dl > now && (!d || halt_dl < d))
		d = halt_dl;
	if (d)
		program(d);
	else
		timer_stop();
}

static void timer_interrupt(void)
{
	uint32_t ctl = (uint32_t)ukarch_sysreg_read(cntv_ctl_el0);

	if (!(ctl & CTL_ISTATUS) || (ctl & CTL_IMASK))
		return;
	if (period) {
		uint64_t dl = next_periodic;

		uint64_t now = ukarch_cntvct();

		next_periodic += period;
		next_cval += period_ticks;
		if (next_cval <= now) {
			/* periods that passed while the CPU was elsewhere
			 * (an emulator's host busy) are dropped, as a
			 * hardware periodic timer does, not fired at once
			 * one after the other */
			uint64_t missed = (now - next_cval) / period_ticks + 1;

			next_cval += missed * period_ticks;
			next_periodic += missed * period;
		}
		ukarch_sysreg_write(cntv_cval_el0, next_cval);
		ukarch_isb();
		if (user_fn)
			user_fn(dl, user_arg);
		return;
	}
	uint64_t now = ukplat_monotonic_clock();

	if (armed && now >= armed) {
		uint64_t dl = armed;
		armed = 0;
		if (user_fn)
			user_fn(dl, user_arg);
	}
	/* the other deadline (a halt's, or the armed one after a halt's) */
	program_next(ukplat_monotonic_clock());
}

static int setup(void)
{
	if (state)
		return state > 0 ? 0 : -ENODEV;
	state = -1;
	clock_setup();
	unsigned ppi = PPI_VIRT_DEFAULT;
	const struct fdt *f = kvm_arm64_fdt;
	const struct fdt_dev *d = f ? &kvm_arm64_dt->first[FDT_TIMER] : NULL;
	if (d && d->node >= 0) {
		uint32_t len = d->irqs.len;
		const void *v = fdt_val_ptr(f, d->irqs);
		/* secure phys, non-secure phys, virtual, hyp: the third */
		if (v && len >= 36 && fdt_cell(v, len, 6, 0) == 1)
			ppi = fdt_cell(v, len, 7, PPI_VIRT_DEFAULT);
	}
	if (ppi >= 16) {
		uk_pr_err("timer: device tree names PPI %u", ppi);
		return -ENODEV;
	}
	timer_stop();
	if (kvm_arm64_gic_set_timer(16 + ppi, timer_interrupt) < 0)
		return -ENODEV;
	uk_pr_debug("timer: generic timer (virtual, PPI %u), %lu Hz", ppi,
		    (unsigned long)info.mono_hz);
	state = 1;
	return 0;
}

void ukplat_timer_set_handler(ukplat_timer_fn_t fn, void *arg)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	user_fn = fn;
	user_arg = arg;
	ukplat_lcpu_restore_irqf(f);
}

int ukplat_timer_arm(uint64_t deadline_ns)
{
	int rc = setup();

	if (rc < 0)
		return rc;
	unsigned long f = ukplat_lcpu_save_irqf();
	period = 0;
	armed = deadline_ns;
	program_next(ukplat_monotonic_clock());
	ukplat_lcpu_restore_irqf(f);
	return 0;
}

int ukplat_timer_periodic(uint64_t period_ns)
{
	int rc = setup();

	if (rc < 0)
		return rc;
	unsigned long f = ukplat_lcpu_save_irqf();
	armed = 0;
	if (period_ns && period_ns < MIN_PERIOD_NS)
		period_ns = MIN_PERIOD_NS;
	period = period_ns;
	if (!period_ns) {
		timer_stop();
		ukplat_lcpu_restore_irqf(f);
		return 0;
	}
	period_ticks = uk_ns_to_tsc(&conv, period_ns);
	if (!period_ticks)
		period_ticks = 1;
	next_periodic = ukplat_monotonic_clock() + period_ns;
	next_cval = ns_to_counter(next_periodic);
	ukarch_sysreg_write(cntv_cval_el0, next_cval);
	ukarch_sysreg_write(cntv_ctl_el0, CTL_ENABLE);
	ukarch_isb();
	ukplat_lcpu_restore_irqf(f);
	return 0;
}

void ukplat_lcpu_halt_irq(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	/* WFI wakes on a pending interrupt even while it is masked, so the
	 * one that arrives between the caller's check and here is not lost;
	 * it is taken when the mask is lifted for an instant. */
	__asm__ __volatile__("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\t"
			     "msr daifset, #2" ::
				     : "memory");
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_lcpu_poll_irq(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	/* the isb makes the unmasking take effect: a pending interrupt is
	 * taken there */
	__asm__ __volatile__("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::
				     : "memory");
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_halt_until(uint64_t deadline_ns)
{
	ukplat_halt_until_or(deadline_ns, 0);
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	int forever = deadline_ns == UINT64_MAX;

	if (!forever && setup() < 0) {
		/* no timer: wait without one */
		while (ukplat_monotonic_clock() < deadline_ns &&
		       !(wake && *wake))
			__asm__ __volatile__("yield");
		return;
	}
	/* The halt's deadline is its own: an armed deadline
	 * (ukplat_timer_arm) stays armed, and its handler runs if it comes
	 * first. */
	unsigned long f = ukplat_lcpu_save_irqf();
	if (!forever) {
		period = 0;
		halt_dl = deadline_ns;
		program_next(ukplat_monotonic_clock());
	}
	while (!(wake && *wake) &&
	       (forever || ukplat_monotonic_clock() < deadline_ns))
		__asm__ __volatile__("dsb sy\n\twfi\n\tmsr daifclr, #2\n\t"
				     "isb\n\tmsr daifset, #2" ::
					     : "memory");
	if (!forever) {
		halt_dl = 0;
		program_next(ukplat_monotonic_clock());
	}
	ukplat_lcpu_restore_irqf(f);
}
