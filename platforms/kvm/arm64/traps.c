/* SPDX-License-Identifier: BSD-3-Clause */
/* Synchronous exceptions of kvm/arm64: crash reports (exception class, ESR,
 * FAR, the registers, a backtrace with function names), and the few
 * exceptions that are expected (the semihosting probe); interrupts to the
 * controller's code, then the return hook (signal delivery to a loaded
 * program). */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/arm64.h>
#include <uk/arch/regs.h>
#include <uk/crash.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include "kvm_arm64.h"

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00:
		return "undefined instruction";
	case 0x01:
		return "WFI/WFE trapped";
	case 0x07:
		return "FP/SIMD access trapped";
	case 0x0e:
		return "illegal execution state";
	case 0x15:
		return "SVC (system call) not enabled";
	case 0x16:
		return "HVC";
	case 0x17:
		return "SMC";
	case 0x18:
		return "system register access trapped";
	case 0x20:
	case 0x21:
		return "instruction abort";
	case 0x22:
		return "PC alignment fault";
	case 0x24:
	case 0x25:
		return "data abort";
	case 0x26:
		return "SP alignment fault";
	case 0x2c:
		return "floating-point exception";
	case 0x2f:
		return "SError";
	case 0x30:
	case 0x31:
		return "breakpoint";
	case 0x32:
	case 0x33:
		return "software step";
	case 0x34:
	case 0x35:
		return "watchpoint";
	case 0x3c:
		return "BRK instruction";
	default:
		return "unknown exception class";
	}
}

static const char *const vector_names[16] = {
	"synchronous",
	"IRQ",
	"FIQ",
	"SError",
	"synchronous (in a handler)",
	"IRQ (in a handler)",
	"FIQ (in a handler)",
	"SError (in a handler)",
	"synchronous from EL0",
	"IRQ from EL0",
	"FIQ from EL0",
	"SError from EL0",
	"synchronous from AArch32",
	"IRQ from AArch32",
	"FIQ from AArch32",
	"SError from AArch32",
};

/* Data and instruction aborts: the fault address and the access, told to
 * ukdebug in its UK_CRASH_PF_* terms. */
static void report_abort(const struct ukarch_regs *r, unsigned ec)
{
	unsigned fsc = (unsigned)(r->esr & 0x3f);
	uint64_t bits = 0;

	if (ec == 0x20 || ec == 0x21)
		bits |= UK_CRASH_PF_FETCH;
	else if (r->esr & (1u << 6)) /* WnR */
		bits |= UK_CRASH_PF_WRITE;
	/* permission (0b0011xx) and access flag (0b0010xx) faults hit a
	 * mapped page; translation faults (0b0001xx) an unmapped one */
	if ((fsc & 0x3c) == 0x0c || (fsc & 0x3c) == 0x08)
		bits |= UK_CRASH_PF_PRESENT;
	if ((fsc & 0x3c) != 0x04 && (fsc & 0x3c) != 0x08 &&
	    (fsc & 0x3c) != 0x0c)
		uk_printk(UK_LOG_CRIT, "kvm",
			  "fault status code 0x%02x (not a translation, access "
			  "flag or permission fault)",
			  fsc);
	uk_crash_page_fault((uintptr_t)r->far, bits);
	const char *stack = kvm_arm64_stack_guard_name(r->far);
	if (stack)
		uk_printk(UK_LOG_CRIT, "kvm",
			  "stack overflow: %s ran into its guard page", stack);
}

void ukplat_kvm_arm64_sync(struct ukarch_regs *r);
void ukplat_kvm_arm64_sync(struct ukarch_regs *r)
{
	static int nested;
	unsigned ec = (unsigned)(r->esr >> 26) & 0x3f;

	if (r->vector == 0 && kvm_arm64_semihosting_probe_fault(r))
		return;
	if (nested++) {
		static const char msg[] =
			"[kvm] CRIT: another exception while reporting a crash "
			"(a bug in the report, or its stack overflowed)\n";
		if (nested == 2)
			ukplat_console_write(msg, sizeof(msg) - 1);
		ukplat_exit(UKPLAT_EXIT_CRASH);
	}
	if (r->vector == 0)
		uk_printk(UK_LOG_CRIT, "kvm",
			  "=== CRASH: %s (exception class 0x%02x), ESR 0x%08lx "
			  "===",
			  ec_name(ec), ec, (unsigned long)r->esr);
	else
		uk_printk(UK_LOG_CRIT, "kvm",
			  "=== CRASH: unexpected %s exception, ESR 0x%08lx ===",
			  vector_names[r->vector & 15], (unsigned long)r->esr);
	if (r->vector == 0 &&
	    (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25))
		report_abort(r, ec);
	else if (r->vector == 0 && (ec == 0x22 || ec == 0x26))
		uk_printk(UK_LOG_CRIT, "kvm", "FAR 0x%016lx",
			  (unsigned long)r->far);
	/* Walk the frames only if the faulting code ran on the boot stack;
	 * threads' stacks are walked from their own range by ukdebug's
	 * report when it knows it. */
	uintptr_t lo = (uintptr_t)ukplat_kvm_arm64_boot_stack_bottom;
	uintptr_t hi = (uintptr_t)ukplat_kvm_arm64_boot_stack_top;
	uk_crash_report(r, (r->sp >= lo && r->sp < hi) ? hi : 0);
	ukplat_exit(UKPLAT_EXIT_CRASH);
}

/* Interrupts go to the controller's code once something set it up (gic.c);
 * images that never do carry none of it. Before that an interrupt cannot
 * be unmasked at the controller, so this is never reached. */
void (*kvm_arm64_irq_handler)(struct ukarch_regs *r);

static void (*return_hook)(struct ukarch_regs *r, void *fx);
extern char __uk_image_start[], __uk_image_end[];

int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *r, void *fx))
{
	return_hook = fn;
	return 0;
}

/* `fx`: the FP/SIMD state vectors.S saved (q0-q31, FPCR, FPSR), restored
 * after this. The return hook sees interrupted code outside the image: a
 * program an ELF loader started (no kernel code was in progress); the
 * registers it leaves in `r`, sp included, are what the interrupt returns
 * to. */
void ukplat_kvm_arm64_irq(struct ukarch_regs *r, void *fx);
void ukplat_kvm_arm64_irq(struct ukarch_regs *r, void *fx)
{
	if (kvm_arm64_irq_handler)
		kvm_arm64_irq_handler(r);
	else
		ukplat_kvm_arm64_sync(r); /* a report: this cannot happen */
	if (return_hook && (r->pc < (uintptr_t)__uk_image_start ||
			    r->pc >= (uintptr_t)__uk_image_end))
		return_hook(r, fx);
}

/* An exception inside an exception handler (vectors.S moved to the
 * emergency stack): no formatting, the exception stack may be gone. */
void ukplat_kvm_arm64_nested(struct ukarch_regs *r);
void ukplat_kvm_arm64_nested(struct ukarch_regs *r)
{
	static int once;
	static const char msg[] =
		"[kvm] CRIT: exception inside an exception handler (the "
		"exception stack overflowed, or a handler faulted)\n";

	(void)r;
	if (!once++)
		ukplat_console_write(msg, sizeof(msg) - 1);
	ukplat_exit(UKPLAT_EXIT_CRASH);
}
