/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 register frame as saved by the trap entry code (and as filled in by
 * linuxu's signal handler), and what crash reports need from it. The layout
 * is fixed: the assembly in platforms/kvm/x86_64/traps.S pushes exactly these
 * fields, lowest address first = first member.
 */
#ifndef UK_ARCH_REGS_H
#define UK_ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>

struct ukarch_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;     /* exception vector, or signal number on linuxu */
	uint64_t error_code; /* CPU error code, 0 when the vector has none */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Names of the general registers in the order of struct ukarch_regs. */
#define UKARCH_NR_GPREGS 15

/* What crash reports call the program counter. */
#define UKARCH_PC_NAME "RIP"

static inline uintptr_t ukarch_regs_pc(const struct ukarch_regs *r)
{
	return (uintptr_t)r->rip;
}

static inline uintptr_t ukarch_regs_sp(const struct ukarch_regs *r)
{
	return (uintptr_t)r->rsp;
}

/* The frame pointer, where a frame-pointer backtrace starts. */
static inline uintptr_t ukarch_regs_fp(const struct ukarch_regs *r)
{
	return (uintptr_t)r->rbp;
}

/* Longest line ukarch_regs_line() writes, NUL included. */
#define UKARCH_REGS_LINE_MAX 96

/*
 * Line `i` (from 0) of a register dump for crash reports, e.g.
 * "RAX=... RBX=... RCX=... RDX=...", NUL-terminated in `buf` (at least
 * UKARCH_REGS_LINE_MAX bytes). Returns its length, 0 after the last line.
 * Uses no libc function (it runs in crash handlers).
 */
size_t ukarch_regs_line(const struct ukarch_regs *r, unsigned int i, char *buf);

#endif /* UK_ARCH_REGS_H */
