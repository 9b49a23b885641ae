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

/* For ukarch_leaf_caller(): does addr lie in a known function? */
static int in_code(uintptr_t addr)
{
	return uk_symbol_name(addr, NULL) != NULL;
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
	char line[UKARCH_REGS_LINE_MAX];

	print_pc(UKARCH_PC_NAME ": ", ukarch_regs_pc(r));
	for (unsigned i = 0; ukarch_regs_line(r, i, line); i++)
		uk_printk(UK_LOG_CRIT, "ukdebug", "%s", line);
	print_backtrace(
		ukarch_regs_fp(r), ukarch_regs_sp(r), stack_hi,
		ukarch_leaf_caller(r, ukarch_regs_sp(r), stack_hi, in_code));
}

void uk_crash_page_fault(uintptr_t addr, uint64_t e)
{
	uk_printk(UK_LOG_CRIT, "ukdebug",
		  "fault address: 0x%016lx (page 0x%lx): %s %s a %s page%s",
		  (unsigned long)addr, (unsigned long)(addr & ~0xfffull),
		  (e & UK_CRASH_PF_FETCH)   ? "instruction fetch"
		  : (e & UK_CRASH_PF_WRITE) ? "write"
					    : "read",
		  (e & UK_CRASH_PF_FETCH) ? "from" : "to",
		  (e & UK_CRASH_PF_PRESENT) ? "present (protection violation)"
					    : "not-present",
		  (e & UK_CRASH_PF_RSVD) ? ", reserved bit set" : "");
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
