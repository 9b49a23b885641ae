/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to platforms/linuxu: the raw system call (<arch>/entry.S; the
 * numbers are in sysno.h) and what each architecture does its own way
 * (<arch>/arch.c).
 */
#ifndef LINUXU_PRIV_H
#define LINUXU_PRIV_H

#include <stddef.h>
#include <stdint.h>

struct ukarch_regs;

long ukplat_linuxu_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			   long a6);

/* <arch>/entry.S: rt_sigreturn, named as every sigaction's restorer. */
void ukplat_linuxu_sigreturn(void);

/* <arch>/arch.c: one entry of the auxiliary vector, at boot. */
void linuxu_arch_auxv(long type, long val);

/*
 * <arch>/arch.c: the interrupted registers of a fatal signal's ucontext
 * `uc` (vector: the trap number, or the signal where the host gives none),
 * the first line of the crash report, and the access in UK_CRASH_PF_* terms
 * (<uk/crash.h>) for a SIGSEGV or SIGBUS at `addr` (si_addr; `code`:
 * si_code).
 */
void linuxu_arch_regs(const void *uc, int sig, struct ukarch_regs *r);
void linuxu_arch_crash_line(int sig, const char *what,
			    const struct ukarch_regs *r);
uint64_t linuxu_arch_fault_access(int sig, int code, uintptr_t addr,
				  const struct ukarch_regs *r);

/*
 * Join argv[1..argc-1] into one command line in `buf` (`cap` bytes), quoting
 * each argument so that ukargparse gives back exactly the same strings.
 * Returns the length, or -1 if it does not fit (buf then holds no line).
 */
long linuxu_join_args(int argc, char *const argv[], char *buf, size_t cap);

#endif
