/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-shot timer of kvm/x86_64: the local APIC timer, in TSC-deadline mode
 * when the CPU has it, else in one-shot mode counting the APIC timer clock,
 * whose rate is measured against the TSC once, on first use (1 ms).
 */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>
#include <uk/time.h>
#include "intctrl.h"

#define APIC_LVT_TIMER	 0x320
#define APIC_TMICT	 0x380
#define APIC_TMCCT	 0x390
#define APIC_TDCR	 0x3e0
#define LVT_MASKED	 (1u << 16)
#define LVT_PERIODIC	 (1u << 17)
#define LVT_TSC_DEADLINE (2u << 17)
#define MSR_TSC_DEADLINE 0x6e0
/* Shorter periods are raised to this: QEMU's emulated APIC stops keeping time
 * (and its guest stalls) with periods of a few nanoseconds. */
#define MIN_PERIOD_NS 10000u

static int state; /* 0 not set up, 1 ready, -1 unavailable */
static int tsc_deadline;
static uint64_t apic_hz; /* APIC timer clock, divide by 1 */
static struct uk_tsc_conv tsc;
static uint64_t armed;	 /* ukplat_timer_arm()'s deadline (ns), 0 none */
static uint64_t halt_dl; /* a halt's own deadline (ns), 0 none */
static uint64_t period;	 /* ns, periodic mode */
static uint64_t next_periodic;
static ukplat_timer_fn_t user_fn;
static void *user_arg;

static void program(uint64_t deadline);
static void program_next(uint64_t now);

static void timer_stop(void)
{
	kvm_lapic_write(APIC_LVT_TIMER, LVT_MASKED | KVM_VEC_TIMER);
	kvm_lapic_write(APIC_TMICT, 0);
}

static void timer_interrupt(void)
{
	uint64_t now = ukplat_monotonic_clock();

	if (period) {
		uint64_t dl = next_periodic;
		next_periodic += period;
		if (user_fn)
			user_fn(dl, user_arg);
		return;
	}
	if (armed && now >= armed) {
		uint64_t dl = armed;
		armed = 0;
		if (user_fn)
			user_fn(dl, user_arg);
	}
	/* the other deadline, or the same one when the counter's range ran
	 * out first */
	program_next(now);
}

static int setup(void)
{
	uint32_t id[4];

	if (state)
		return state > 0 ? 0 : -ENODEV;
	state = -1;
	if (kvm_intctrl_init() < 0)
		return -ENODEV;
	const struct ukplat_clock_info *ci = ukplat_clock_info();
	if (uk_tsc_conv_init(&tsc, ci->mono_hz) < 0) {
		uk_pr_err("timer: no usable TSC frequency (%lu Hz)",
			  (unsigned long)ci->mono_hz);
		return -ENODEV;
	}
	ukarch_cpuid(1, id);
	tsc_deadline = !!(id[2] & (1u << 24));
	kvm_lapic_write(APIC_TDCR, 0xb); /* divide by 1 */
	{
		/* APIC timer clock against the TSC, over 1 ms (periodic mode
		 * needs it even where TSC-deadline mode exists). Each register
		 * read is bracketed by two TSC reads and timed at their middle:
		 * under emulation a read can take tens of microseconds. */
		uint64_t span = ci->mono_hz / 1000, a0, b0, a1, b1;
		kvm_lapic_write(APIC_LVT_TIMER, LVT_MASKED | KVM_VEC_TIMER);
		kvm_lapic_write(APIC_TMICT, 0xffffffffu);
		a0 = ukarch_rdtsc();
		uint32_t c0 = kvm_lapic_read(APIC_TMCCT);
		b0 = ukarch_rdtsc();
		do {
			a1 = ukarch_rdtsc();
		} while (a1 - b0 < span);
		uint32_t c1 = kvm_lapic_read(APIC_TMCCT);
		b1 = ukarch_rdtsc();
		kvm_lapic_write(APIC_TMICT, 0);
		uint64_t dt = (a1 + b1) / 2 - (a0 + b0) / 2;
		apic_hz = (uint64_t)(c0 - c1) * ci->mono_hz / dt;
		if (apic_hz < 1000) {
			uk_pr_err("timer: the APIC timer does not count");
			return -ENODEV;
		}
	}
	kvm_intctrl_set_timer_fn(timer_interrupt);
	uk_pr_debug("timer: local APIC, %s%lu Hz",
		    tsc_deadline ? "TSC-deadline mode, TSC "
				 : "one-shot mode, ",
		    (unsigned long)(tsc_deadline ? ci->mono_hz : apic_hz));
	state = 1;
	return 0;
}

/* Program the hardware for `deadline` (ns); interrupts disabled. */
static void program(uint64_t deadline)
{
	if (tsc_deadline) {
		uint64_t t = ukplat_bootinfo()->tsc_at_entry +
			     uk_ns_to_tsc(&tsc, deadline);
		kvm_lapic_write(APIC_LVT_TIMER,
				LVT_TSC_DEADLINE | KVM_VEC_TIMER);
		ukarch_wrmsr(MSR_TSC_DEADLINE, t);
		return;
	}
	uint64_t now = ukplat_monotonic_clock();
	uint64_t ns = deadline > now ? deadline - now : 0;
	uint64_t ticks =
		(uint64_t)(((unsigned __int128)ns * apic_hz + 999999999u) /
			   1000000000u);
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu; /* re-armed when it fires early */
	kvm_lapic_write(APIC_LVT_TIMER, KVM_VEC_TIMER);
	kvm_lapic_write(APIC_TMICT, (uint32_t)ticks);
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
	next_periodic = ukplat_monotonic_clock() + period_ns;
	uint64_t ticks = period_ns * apic_hz / 1000000000u;
	if (ticks == 0)
		ticks = 1; /* the shortest period there is */
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	kvm_lapic_write(APIC_TDCR, 0xb);
	kvm_lapic_write(APIC_LVT_TIMER, LVT_PERIODIC | KVM_VEC_TIMER);
	kvm_lapic_write(APIC_TMICT, (uint32_t)ticks);
	ukplat_lcpu_restore_irqf(f);
	return 0;
}

void ukplat_halt_until(uint64_t deadline_ns)
{
	ukplat_halt_until_or(deadline_ns, NULL);
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	int forever = deadline_ns == UINT64_MAX;

	if (!forever && setup() < 0) {
		/* no timer: wait without one */
		while (ukplat_monotonic_clock() < deadline_ns &&
		       !(wake && *wake))
			__asm__ __volatile__("pause");
		return;
	}
	/* Check and halt with interrupts off: an interrupt that comes after
	 * the check stays pending and ends the halt (sti; hlt is atomic), so
	 * a wake-up cannot be lost between the two. The halt's deadline is
	 * its own: an armed deadline (ukplat_timer_arm) stays armed. */
	unsigned long f = ukplat_lcpu_save_irqf();
	if (!forever) {
		period = 0;
		halt_dl = deadline_ns;
		program_next(ukplat_monotonic_clock());
	}
	while (!(wake && *wake) &&
	       (forever || ukplat_monotonic_clock() < deadline_ns))
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	if (!forever) {
		halt_dl = 0;
		program_next(ukplat_monotonic_clock());
	}
	ukplat_lcpu_restore_irqf(f);
}
