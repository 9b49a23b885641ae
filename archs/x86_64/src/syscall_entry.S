/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary-compatible system call entry (x86_64, ring 0). Compiled into
 * lib uksyscallbin (meson dependency 'ukarch-syscall-entry'), whose
 * uk_syscall_aux_sp and uk_syscall_user_rsp it uses, with uksyscall's
 * uk_syscall_table.
 *
 * The `syscall` instruction arrives here with rcx = the return address,
 * r11 = the caller's rflags (FMASK cleared only TF, DF and AC: the interrupt
 * flag is the caller's), and the CALLER's stack: code compiled for Linux may
 * keep live data in the 128-byte red zone below it, so nothing is pushed
 * there (device interrupts run on their own IST stack for the same reason).
 * The entry switches to the current thread's auxiliary stack
 * (uk_syscall_aux_sp, kept up to date by the scheduler on every switch),
 * saves the registers as a struct ukarch_syscall_frame at its top (clone needs
 * them; uk_syscall_frame_current() finds it there) and the FPU/SSE state
 * (Linux preserves the vector registers across a call; our C code may use
 * them), calls uk_syscall_table[rax] with the six arguments, and returns
 * with popfq / pop rsp / jmp. Every register but rax comes back as it was
 * (rcx and r11 hold what `syscall` put there, as on Linux). When
 * uk_syscall_exit_work is set (signals), the way out goes through
 * uk_syscall_exit_binary() and restores every register from the frame
 * with iretq instead (see below).
 *
 * Uniprocessor: the caller's rsp is parked in a global for the two
 * instructions before the stack switch; an interrupt in between runs on its
 * own stack and never enters here (threads are cooperative).
 */
#include <uk/arch/syscall_list.h>

	.section .text.ukarch_syscall_entry, "ax", @progbits
	.globl ukarch_syscall_entry
	.type ukarch_syscall_entry, @function
ukarch_syscall_entry:
	movq %rsp, uk_syscall_user_rsp(%rip)
	movq uk_syscall_aux_sp(%rip), %rsp
	/* struct ukarch_syscall_frame, from its last member down */
	pushq uk_syscall_user_rsp(%rip)	/* rsp */
	pushq %r11			/* rflags */
	pushq %rcx			/* rip (non-zero: "in a call") */
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	/* 18 pushes from a 16-aligned top: aligned for fxsave and the call */
	subq $512, %rsp
	fxsave64 (%rsp)
	cmpq $UK_SYSCALL_MAX_NR, %rax
	jae 2f
	movq %r10, %rcx			/* 4th argument: C wants it in rcx */
	call *uk_syscall_table(, %rax, 8)
1:	cmpl $0, uk_syscall_exit_work(%rip)
	jne 3f
	fxrstor64 (%rsp)
	/* callee-saved registers (rbx, rbp, r12-r15) are what C left: ours */
	addq $(512 + 6 * 8), %rsp
	popq %r11			/* (reloaded below) */
	popq %r10
	popq %r9
	popq %r8
	popq %rcx			/* the rax slot: rax is the result */
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rcx			/* rip */
	movq $0, -8(%rsp)		/* no longer in a call */
	movq (%rsp), %r11		/* rflags, as `syscall` left r11 */
	popfq
	popq %rsp			/* the caller's stack */
	jmp *%rcx
2:	movq %rax, %rdi
	call uk_syscall_enosys
	jmp 1b

	/* The way out with work to do (a signal to handle, a context to
	 * restore, a call to make again): uk_syscall_exit_binary(frame,
	 * result) may rewrite the frame and returns rax; then EVERY register
	 * and the FPU state come from the frame and iretq returns to its rip,
	 * rflags and rsp (ring 0 to ring 0: iretq loads rsp and ss too). */
3:	leaq 512(%rsp), %rdi		/* the frame */
	movq %rax, %rsi
	call uk_syscall_exit_binary
	fxrstor64 (%rsp)
	addq $512, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	addq $8, %rsp			/* the rax slot: rax is the result */
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	/* rsp: the frame's rip, rflags, rsp; build rip, cs, rflags, rsp, ss
	 * below them for iretq */
	pushq $0x10			/* ss */
	pushq 24(%rsp)			/* rsp */
	pushq 24(%rsp)			/* rflags */
	pushq $0x08			/* cs */
	pushq 32(%rsp)			/* rip */
	movq $0, 40(%rsp)		/* the frame's rip: no longer in a call */
	iretq
	.size ukarch_syscall_entry, . - ukarch_syscall_entry

	.section .note.GNU-stack, "", @progbits
