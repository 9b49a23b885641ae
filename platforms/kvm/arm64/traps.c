/* SPDX-License-Identifier: BSD-3-Clause */
/* Synchronous exceptions of kvm/arm64: crash reports (exception class, ESR,
 * FAR, the registers, a backtrace with function names), and the few
 * exceptions that are expected (the semihosting probe); interrupts to the
 * controller's code, then the return hook (signal delivery to a loaded
 * program). */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/arm64.h>
#include <string.h>
#include <uk/arch/regs.h>
#include <uk/crash.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include "kvm_arm64.h"

/* The exception class's name: a switch to its number in one string of
 * names (a switch returning pointers became a table of 61 of them). */
static const char *ec_name(unsigned ec)
{
	static const char names[] = "unknown exception class\0"
				    "undefined instruction\0"
				    "WFI/WFE trapped\0"
				    "FP/SIMD access trapped\0"
				    "illegal execution state\0"
				    "SVC (system call) not enabled\0"
				    "HVC\0"
				    "SMC\0"
				    "system register access trapped\0"
				    "instruction abort\0"
				    "PC alignment fault\0"
				    "data abort\0"
				    "SP alignment fault\0"
				    "floating-point exception\0"
				    "SError\0"
				    "breakpoint\0"
				    "software step\0"
				    "watchpoint\0"
				    "BRK instruction";
	unsigned k;
	const char *p = names;

	switch (ec) {
	case 0x00:
		k = 1;
		break;
	case 0x01:
		k = 2;
		break;
	case 0x07:
		k = 3;
		break;
	case 0x0e:
		k = 4;
		break;
	case 0x15:
		k = 5;
		break;
	case 0x16:
		k = 6;
		break;
	case 0x17:
		k = 7;
		break;
	case 0x18:
		k = 8;
		break;
	case 0x20:
	case 0x21:
		k = 9;
		break;
	case 0x22:
		k = 10;
		break;
	case 0x24:
	case 0x25:
		k = 11;
		break;
	case 0x26:
		k = 12;
		break;
	case 0x2c:
		k = 13;
		break;
	case 0x2f:
		k = 14;
		break;
	case 0x30:
	case 0x31:
		k = 15;
		break;
	case 0x32:
	case 0x33:
		k = 16;
		break;
	case 0x34:
	case 0x35:
		k = 17;
		break;
	case 0x3c:
		k = 18;
		break;
	default:
		k = 0;
		break;
	}
	/* opaque to the compiler, which would fold the walk below into a
	 * table of pointers again */
	__asm__("" : "+r"(k));
	while (k--)
		p += strlen(p) + 1;
	return p;
}

/* A vector's name is its kind and where it came from ("IRQ from EL0"). */
static const char *const vector_kinds[4] = {"synchronous", "IRQ", "FIQ",
					    "SError"};
static const char *const vector_origins[4] = {"", " (in a handler)",
					      " from EL0", " from AArch32"};

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
		uk_printk(
			UK_LOG_CRIT, "kvm",
			"=== CRASH: unexpected %s%s exception, ESR 0x%08lx ===",
			vector_kinds[r->vector & 3],
			vector_origins[(r->vector >> 2) & 3],
			(unsigned long)r->esr);
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
