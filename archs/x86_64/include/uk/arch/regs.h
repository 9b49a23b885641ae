/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 register frame as saved by the trap entry code (and as filled in by
 * linuxu's signal handler). The layout is fixed: the assembly in
 * platforms/kvm/x86_64/traps.S pushes exactly these fields, lowest address
 * first = first member.
 */
#ifndef UK_ARCH_REGS_H
#define UK_ARCH_REGS_H

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

#endif /* UK_ARCH_REGS_H */
