/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stack protector (-fstack-protector-strong, -mstack-protector-guard=global):
 * the one canary every protected function of the image compares against,
 * and what runs when a comparison fails. The guard is global, not at
 * %fs:0x28, because the FS base belongs to the application (musl's thread
 * pointer, a Linux binary's own TLS under uksyscallbin) and can change in
 * the middle of a protected function (arch_prctl).
 */
#ifndef UK_SSP_H
#define UK_SSP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The canary. Written once, by the platform's entry function (from
 * ukrandom's <uk/stackguard.h>) before any protected function that is
 * still on the stack afterwards has been entered. */
extern uintptr_t __stack_chk_guard;

/* Called by a protected function whose canary was overwritten: prints
 * "stack smashing detected in FUNCTION" (the caller, through the image's
 * symbol table) and a backtrace, and exits with UKPLAT_EXIT_CRASH. */
void __stack_chk_fail(void) __attribute__((noreturn));

/* For functions that run while the guard changes (the entry functions
 * that set it): they must not check it. */
#define UK_NO_STACK_PROTECTOR __attribute__((no_stack_protector, noinline))

#ifdef __cplusplus
}
#endif
#endif /* UK_SSP_H */
