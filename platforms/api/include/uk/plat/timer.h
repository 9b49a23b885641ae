/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat timer: one-shot "wake me at deadline T" on the monotonic clock of
 * <uk/plat/time.h>. kvm/x86_64: the local APIC timer, in TSC-deadline mode
 * when the CPU has it. Set up on first use.
 */
#ifndef UK_PLAT_TIMER_H
#define UK_PLAT_TIMER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called from the timer interrupt with the deadline that expired. */
typedef void (*ukplat_timer_fn_t)(uint64_t deadline_ns, void *arg);

/* The one function the timer interrupt calls (NULL: none). */
void ukplat_timer_set_handler(ukplat_timer_fn_t fn, void *arg);

/*
 * Arm the timer for monotonic time `deadline_ns` (a past deadline fires at
 * once), replacing any armed deadline; 0 disarms. Returns 0, or -ENODEV when
 * the platform has no timer.
 */
int ukplat_timer_arm(uint64_t deadline_ns);

/*
 * Periodic interrupts every `period_ns` (0 stops them), for tests and
 * benchmarks of interrupt load; the handler gets the nominal deadline of each
 * period. A period shorter than the platform's shortest (kvm: 10 us) is raised
 * to it. Returns 0 or -ENODEV.
 */
int ukplat_timer_periodic(uint64_t period_ns);

/*
 * Halt until monotonic time `deadline_ns` (the timer is programmed for it,
 * and other interrupts are served meanwhile). Returns at or after the
 * deadline. A deadline armed with ukplat_timer_arm() stays armed: its
 * handler runs if it comes first, and the timer is programmed for it again
 * afterwards.
 */
void ukplat_halt_until(uint64_t deadline_ns);

/*
 * Halt until monotonic time `deadline_ns` (UINT64_MAX: no deadline, only an
 * interrupt can end it) or until `*wake` is non-zero, whichever comes
 * first; `*wake` is read with interrupts disabled right before each halt, so
 * an interrupt handler that sets it cannot be missed (the halt ends with
 * that interrupt). `wake` MAY be NULL (then: ukplat_halt_until()). Returns
 * with the caller's interrupt state; an armed deadline stays armed.
 */
void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_TIMER_H */
