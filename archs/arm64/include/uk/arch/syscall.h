/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary-compatible system call ABI of the architecture: the register
 * frame the entry saves (uksyscallbin's entry code writes it) and what clone
 * needs to start a thread from it. arm64: `svc #0`, number in x8, arguments
 * in x0-x5, result in x0; every other register is preserved.
 */
#ifndef UK_ARCH_SYSCALL_H
#define UK_ARCH_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The registers of an `svc #0` in progress: x0-x30, the caller's sp, the
 * address after the svc (pc) and its PSTATE (flags, interrupt mask). Layout
 * known to the entry code and to src/syscall_resume.S.
 */
struct ukarch_syscall_frame {
	unsigned long x[31];
	unsigned long sp, pc, pstate;
};
#ifndef __cplusplus
_Static_assert(offsetof(struct ukarch_syscall_frame, sp) == 248 &&
		       offsetof(struct ukarch_syscall_frame, pc) == 256 &&
		       sizeof(struct ukarch_syscall_frame) == 272,
	       "src/syscall_resume.S and the entry know the frame layout");
#endif

/* The call number of the frame. */
static inline long ukarch_syscall_frame_nr(const struct ukarch_syscall_frame *f)
{
	return (long)f->x[8];
}

/* Non-zero while the frame belongs to a call in progress (the entry clears
 * the return address on its way out). */
static inline int
ukarch_syscall_frame_active(const struct ukarch_syscall_frame *f)
{
	return f->pc != 0;
}

/* Turn a copy of a caller's frame into a clone child's: the call returns 0
 * on the stack `sp`. */
static inline void ukarch_syscall_frame_child(struct ukarch_syscall_frame *f,
					      uintptr_t sp)
{
	f->x[0] = 0;
	f->sp = sp;
}

/* The caller's stack pointer. */
static inline uintptr_t
ukarch_syscall_frame_sp(const struct ukarch_syscall_frame *f)
{
	return (uintptr_t)f->sp;
}

/* The FP/SIMD state the entry saved below its frame and restores on the
 * way out: q0-q31, then FPCR and FPSR (64 bits each),
 * UKARCH_SYSCALL_FPU_SIZE bytes. */
#define UKARCH_SYSCALL_FPU_SIZE 528
static inline void *ukarch_syscall_frame_fpu(struct ukarch_syscall_frame *f)
{
	return (char *)f - UKARCH_SYSCALL_FPU_SIZE;
}

/* Have the call made again when the frame is restored (`svc #0` is 4
 * bytes long); returns the value for the result register x0: the call's
 * first argument, which the entry leaves in the frame until the way out. */
static inline long ukarch_syscall_frame_restart(struct ukarch_syscall_frame *f)
{
	f->pc -= 4;
	return (long)f->x[0];
}

/*
 * Make the frame a Linux program's start (execve on the binary path): pc
 * `entry`, stack `sp`, every other register 0, PSTATE with the caller's
 * mode and D, A, F masks, the flags and the IRQ mask clear (interrupts on,
 * as ukarch_linux_enter leaves them), the FP/SIMD registers, FPCR and FPSR
 * 0. The entry must then restore every register from the frame.
 */
static inline void ukarch_syscall_frame_exec(struct ukarch_syscall_frame *f,
					     uintptr_t entry, uintptr_t sp)
{
	/* M[4:0] (EL1t), D (bit 9), A (8), F (6); not I (7) */
	unsigned long mode = f->pstate & 0x35f;

	__builtin_memset(f, 0, sizeof(*f));
	f->pc = entry;
	f->sp = sp;
	f->pstate = mode;
	__builtin_memset(ukarch_syscall_frame_fpu(f), 0,
			 UKARCH_SYSCALL_FPU_SIZE);
}

/*
 * Become the thread `f` describes: load every register of the frame and
 * continue where its call returns to (an exception return, so that flags
 * and every register come back exactly). `f` MAY lie on the stack in use,
 * below f's stack pointer.
 */
__attribute__((noreturn)) void
ukarch_syscall_resume(const struct ukarch_syscall_frame *f);

/* Linux's clone argument order on this architecture: arm64 passes the TLS
 * value before the child tid pointer (flags, newsp, ptid, tls, ctid). */
#define UKARCH_CLONE_TLS_LAST 0

/*
 * Start a Linux program at `entry` with the stack pointer `sp` (the initial
 * process stack: argc, argv, envp, auxv), as the kernel would: every
 * general register zero and the floating-point state reset.
 */
__attribute__((noreturn)) void ukarch_linux_enter(uintptr_t entry,
						  uintptr_t sp);

#ifdef __cplusplus
}
#endif
#endif /* UK_ARCH_SYSCALL_H */
