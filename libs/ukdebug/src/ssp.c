/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdint.h>
#include <uk/crash.h>
#include <uk/plat/halt.h>
#include <uk/plat/stack.h>
#include <uk/print.h>
#include <uk/ssp.h>
#include <uk/symbols.h>

/*
 * The compiler emits the references to these two after link-time
 * optimisation decided what to keep, so LTO must keep them global even
 * though no code it sees calls them (the guard is written by the
 * platform's entry, which is what pulls this object out of the archive).
 */
#ifdef __clang__
#define UK_SSP_KEEP __attribute__((used))
#else
#define UK_SSP_KEEP __attribute__((used, externally_visible))
#endif

UK_SSP_KEEP uintptr_t __stack_chk_guard;

/* Unprotected: its own frame must not be checked against the guard that
 * just failed. The caller is the function whose canary was overwritten
 * (the check sits in its epilogue, before its return). */
UK_SSP_KEEP UK_NO_STACK_PROTECTOR void __stack_chk_fail(void)
{
	uintptr_t ra = (uintptr_t)__builtin_return_address(0);
	uintptr_t off = 0;
	const char *name = uk_symbol_name(ra - 1, &off);

	if (name)
		uk_printk(UK_LOG_CRIT, "ukdebug",
			  "stack smashing detected in %s (at 0x%016lx "
			  "<%s+0x%lx>)",
			  name, (unsigned long)ra, name,
			  (unsigned long)off + 1);
	else
		uk_printk(UK_LOG_CRIT, "ukdebug",
			  "stack smashing detected in an unknown function (at "
			  "0x%016lx)",
			  (unsigned long)ra);
	uk_backtrace_here(ukplat_stack_top());
	ukplat_exit(UKPLAT_EXIT_CRASH);
}
