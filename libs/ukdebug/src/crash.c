/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <uk/arch/backtrace.h>
#include <uk/assert.h>
#include <uk/crash.h>
#include <uk/plat/halt.h>
#include <uk/plat/stack.h>
#include <uk/print.h>
#include <uk/symbols.h>

#define BT_MAX 32

/* From uksched, when the image has threads (weak: absent otherwise). */
const char *uk_sched_guard_owner(uintptr_t addr) __attribute__((weak));
const char *uk_sched_current_name(void) __attribute__((weak));

int uk_panic_nesting;

static void print_pc(const char *prefix, uintptr_t pc)
{
	uintptr_t off = 0;
	const char *name = uk_symbol_name(pc, &off);

	if (name)
		uk_printk(UK_LOG_CRIT, "ukdebug", "%s0x%016lx <%s+0x%lx>",
			  prefix, (unsigned long)pc, name, (unsigned long)off);
	else
		uk_printk(UK_LOG_CRIT, "ukdebug", "%s0x%016lx", prefix,
			  (unsigned long)pc);
}

/*
 * A function that calls nothing may run without a frame of its own (GCC does
 * that even with -fno-omit-frame-pointer). Then the frame chain skips its
 * caller, whose return address is the word at the stack pointer. Accept that
 * word only if it points into a known function just after a call
 * instruction (e8 rel32, or ff /2 through a register).
 */
static uintptr_t leaf_caller(uintptr_t sp, uintptr_t lo, uintptr_t hi)
{
	uintptr_t ra;

	if (sp < lo || sp + sizeof(ra) > hi || (sp & 7))
		return 0;
	ra = *(const uintptr_t *)sp;
	if (ra < 16 || !uk_symbol_name(ra - 5, NULL) ||
	    !uk_symbol_name(ra - 1, NULL))
		return 0;
	const uint8_t *c = (const uint8_t *)ra;
	if (c[-5] == 0xe8 || (c[-2] == 0xff && (c[-1] & 0xf8) == 0xd0) ||
	    (c[-3] == 0x41 && c[-2] == 0xff && (c[-1] & 0xf8) == 0xd0))
		return ra;
	return 0;
}

static void print_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			    uintptr_t leaf_ra)
{
	uintptr_t pcs[BT_MAX];
	size_t n = 0;

	if (leaf_ra)
		pcs[n++] = leaf_ra;
	if (hi > lo)
		n += ukarch_backtrace(fp, lo, hi, pcs + n, BT_MAX - n);
	for (size_t i = 1; i < n && leaf_ra; i++) {
		if (pcs[i] == leaf_ra) { /* the caller had a frame after all */
			for (size_t j = i; j + 1 < n; j++)
				pcs[j] = pcs[j + 1];
			n--;
			break;
		}
	}
	uk_printk(UK_LOG_CRIT, "ukdebug", "backtrace (%zu frame%s%s):", n,
		  n == 1 ? "" : "s", hi > lo ? "" : ", stack range unknown");
	for (size_t i = 0; i < n; i++) {
		/* return addresses point after the call: look up pc - 1 */
		uintptr_t off = 0;
		const char *name = uk_symbol_name(pcs[i] - 1, &off);
		if (name)
			uk_printk(UK_LOG_CRIT, "ukdebug",
				  "  #%zu 0x%016lx <%s+0x%lx>", i,
				  (unsigned long)pcs[i], name,
				  (unsigned long)off + 1);
		else
			uk_printk(UK_LOG_CRIT, "ukdebug", "  #%zu 0x%016lx", i,
				  (unsigned long)pcs[i]);
	}
}

void uk_crash_report(const struct ukarch_regs *r, uintptr_t stack_hi)
{
	const char *thread =
		uk_sched_current_name ? uk_sched_current_name() : NULL;
	if (thread)
		uk_printk(UK_LOG_CRIT, "ukdebug", "in thread '%s'", thread);
	print_pc("RIP: ", r->rip);
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx",
		  (unsigned long)r->rax, (unsigned long)r->rbx,
		  (unsigned long)r->rcx, (unsigned long)r->rdx);
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "RSI=%016lx RDI=%016lx RBP=%016lx RSP=%016lx",
		  (unsigned long)r->rsi, (unsigned long)r->rdi,
		  (unsigned long)r->rbp, (unsigned long)r->rsp);
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "R8 =%016lx R9 =%016lx R10=%016lx R11=%016lx",
		  (unsigned long)r->r8, (unsigned long)r->r9,
		  (unsigned long)r->r10, (unsigned long)r->r11);
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "R12=%016lx R13=%016lx R14=%016lx R15=%016lx",
		  (unsigned long)r->r12, (unsigned long)r->r13,
		  (unsigned long)r->r14, (unsigned long)r->r15);
	uk_printk(UK_LOG_CRIT, "ukdebug", "RFLAGS=%016lx CS=%04lx SS=%04lx",
		  (unsigned long)r->rflags, (unsigned long)r->cs,
		  (unsigned long)r->ss);
	print_backtrace(r->rbp, r->rsp, stack_hi,
			leaf_caller(r->rsp, r->rsp, stack_hi));
}

void uk_crash_page_fault(uintptr_t addr, uint64_t e)
{
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "fault address: 0x%016lx (page 0x%lx): %s %s a %s page%s",
		  (unsigned long)addr, (unsigned long)(addr & ~0xfffull),
		  (e & 0x10)  ? "instruction fetch"
		  : (e & 0x2) ? "write"
			      : "read",
		  (e & 0x10) ? "from" : "to",
		  (e & 0x1) ? "present (protection violation)" : "not-present",
		  (e & 0x8) ? ", reserved bit set" : "");
	if (addr < 4096)
		uk_printk(UK_LOG_CRIT, "ukdebug", "NULL pointer dereference");
	if (uk_sched_guard_owner) {
		const char *thread = uk_sched_guard_owner(addr);
		if (thread)
			uk_printk(UK_LOG_CRIT, "ukdebug",
				  "stack overflow: thread '%s' ran into its "
				  "guard page",
				  thread);
	}
	uintptr_t off;
	const char *name = uk_symbol_name(addr, &off);
	if (name)
		uk_printk(UK_LOG_CRIT, "ukdebug",
			  "fault address is in <%s+0x%lx>", name,
			  (unsigned long)off);
}

void uk_backtrace_here(uintptr_t stack_hi)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

	print_backtrace(fp, fp, stack_hi, 0);
}

void uk_panic(const char *file, int line, const char *func, const char *fmt,
	      ...)
{
	char msg[256];
	va_list ap;

	if (uk_panic_nesting++) {
		uk_printk(UK_LOG_CRIT, "ukdebug",
			  "PANIC inside panic: giving up");
		ukplat_exit(UKPLAT_EXIT_PANIC);
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uk_printk(UK_LOG_CRIT, "ukdebug", "PANIC: %s (at %s:%d, in %s())", msg,
		  file, line, func);
	uk_backtrace_here(ukplat_stack_top());
	ukplat_exit(UKPLAT_EXIT_PANIC);
}
