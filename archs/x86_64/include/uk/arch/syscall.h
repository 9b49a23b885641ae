/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary-compatible system call ABI of the architecture: the register
 * frame the entry saves (uksyscallbin's entry code writes it) and what clone
 * needs to start a thread from it. x86_64: the `syscall` instruction, number
 * in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result in rax.
 */
#ifndef UK_ARCH_SYSCALL_H
#define UK_ARCH_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The registers of a `syscall` instruction in progress. rip, rflags and rsp
 * are where the instruction returns to (Linux preserves every register but
 * rax, rcx and r11; the entry restores rcx and r11 too). Layout known to
 * the entry code and to src/syscall_resume.S.
 */
struct ukarch_syscall_frame {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx,
		rdx, rsi, rdi, rip, rflags, rsp;
};
#ifndef __cplusplus
_Static_assert(offsetof(struct ukarch_syscall_frame, rsp) == 136 &&
		       offsetof(struct ukarch_syscall_frame, rax) == 80,
	       "src/syscall_resume.S and the entry know the frame layout");
#endif

/* The call number of the frame. */
static inline long ukarch_syscall_frame_nr(const struct ukarch_syscall_frame *f)
{
	return (long)f->rax;
}

/* Non-zero while the frame belongs to a call in progress (the entry clears
 * the return address on its way out). */
static inline int
ukarch_syscall_frame_active(const struct ukarch_syscall_frame *f)
{
	return f->rip != 0;
}

/* Turn a copy of a caller's frame into a clone child's: the call returns 0
 * on the stack `sp`. */
static inline void ukarch_syscall_frame_child(struct ukarch_syscall_frame *f,
					      uintptr_t sp)
{
	f->rax = 0;
	f->rsp = sp;
}

/* The caller's stack pointer. */
static inline uintptr_t
ukarch_syscall_frame_sp(const struct ukarch_syscall_frame *f)
{
	return (uintptr_t)f->rsp;
}

/* The FPU/SSE state (fxsave format) the entry saved below its frame and
 * restores on the way out, UKARCH_SYSCALL_FPU_SIZE bytes. */
#define UKARCH_SYSCALL_FPU_SIZE 512
static inline void *ukarch_syscall_frame_fpu(struct ukarch_syscall_frame *f)
{
	return (char *)f - UKARCH_SYSCALL_FPU_SIZE;
}

/* Have the call made again when the frame is restored (`syscall` is 2
 * bytes long); returns the value for the result register, which carries
 * the call number back. */
static inline long ukarch_syscall_frame_restart(struct ukarch_syscall_frame *f)
{
	f->rip -= 2;
	return (long)f->rax;
}

/*
 * Make the frame a Linux program's start (execve on the binary path): pc
 * `entry`, stack `sp`, every other register 0, rflags 0x202 (interrupts
 * on), the FPU state at its reset values (MXCSR_MASK kept: it is the
 * CPU's). The entry must then restore every register from the frame.
 */
static inline void ukarch_syscall_frame_exec(struct ukarch_syscall_frame *f,
					     uintptr_t entry, uintptr_t sp)
{
	unsigned char *fx = (unsigned char *)ukarch_syscall_frame_fpu(f);
	uint16_t fcw = 0x037f;
	uint32_t mxcsr = 0x1f80, mask;

	__builtin_memcpy(&mask, fx + 28, 4);
	__builtin_memset(f, 0, sizeof(*f));
	f->rip = entry;
	f->rsp = sp;
	f->rflags = 0x202;
	__builtin_memset(fx, 0, UKARCH_SYSCALL_FPU_SIZE);
	__builtin_memcpy(fx, &fcw, 2);
	__builtin_memcpy(fx + 24, &mxcsr, 4);
	__builtin_memcpy(fx + 28, &mask, 4);
}

/*
 * Become the thread `f` describes: load every register of the frame and
 * continue where its call returns to. `f` MAY lie on the stack in use,
 * below f's stack pointer.
 */
__attribute__((noreturn)) void
ukarch_syscall_resume(const struct ukarch_syscall_frame *f);

/* Linux's clone argument order on this architecture: x86_64 passes the child
 * tid pointer before the TLS value (flags, newsp, ptid, ctid, tls). */
#define UKARCH_CLONE_TLS_LAST 1

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
