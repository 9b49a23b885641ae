/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 register frame as saved by the exception entry code (and as filled
 * in by linuxu's signal handler), and what crash reports need from it. The
 * layout is fixed: platforms/kvm/arm64/vectors.S stores exactly these fields
 * (offsets in UKARCH_REGS_OFF_*).
 */
#ifndef UK_ARCH_REGS_H
#define UK_ARCH_REGS_H

#define UKARCH_REGS_OFF_SP     248
#define UKARCH_REGS_OFF_PC     256
#define UKARCH_REGS_OFF_PSTATE 264
#define UKARCH_REGS_OFF_ESR    272
#define UKARCH_REGS_OFF_FAR    280
#define UKARCH_REGS_OFF_VECTOR 288
#define UKARCH_REGS_SIZE       304

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct ukarch_regs {
	uint64_t x[31];	 /* x0-x30 (x29: frame pointer, x30: link register) */
	uint64_t sp;	 /* the interrupted code's stack pointer */
	uint64_t pc;	 /* ELR_EL1: where it was interrupted */
	uint64_t pstate; /* SPSR_EL1 */
	uint64_t esr;	 /* ESR_EL1: exception class and syndrome */
	uint64_t far;	 /* FAR_EL1: faulting address (aborts) */
	uint64_t vector; /* which vector (0-15), or signal number on linuxu */
	uint64_t pad;
};

#ifndef __cplusplus
_Static_assert(offsetof(struct ukarch_regs, sp) == UKARCH_REGS_OFF_SP &&
		       offsetof(struct ukarch_regs, far) ==
			       UKARCH_REGS_OFF_FAR &&
		       sizeof(struct ukarch_regs) == UKARCH_REGS_SIZE,
	       "vectors.S knows this layout");
#endif

/* General registers in the frame. */
#define UKARCH_NR_GPREGS 31

/* What crash reports call the program counter. */
#define UKARCH_PC_NAME "PC"

static inline uintptr_t ukarch_regs_pc(const struct ukarch_regs *r)
{
	return (uintptr_t)r->pc;
}

static inline uintptr_t ukarch_regs_sp(const struct ukarch_regs *r)
{
	return (uintptr_t)r->sp;
}

/* The frame pointer (x29), where a frame-pointer backtrace starts. */
static inline uintptr_t ukarch_regs_fp(const struct ukarch_regs *r)
{
	return (uintptr_t)r->x[29];
}

/* Longest line ukarch_regs_line() writes, NUL included. */
#define UKARCH_REGS_LINE_MAX 96

/*
 * Line `i` (from 0) of a register dump for crash reports ("X0 =... X1 =...
 * X2 =... X3 =...", then SP, PSTATE, ESR, FAR), NUL-terminated in `buf` (at
 * least UKARCH_REGS_LINE_MAX bytes). Returns its length, 0 after the last
 * line. Uses no libc function (it runs in crash handlers).
 */
size_t ukarch_regs_line(const struct ukarch_regs *r, unsigned int i, char *buf);

#endif /* !__ASSEMBLER__ */
#endif /* UK_ARCH_REGS_H */
