/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukarch_syscall_resume(f = %rdi) (<uk/arch/syscall.h>): become the thread a
 * binary-path clone() describes: every register from struct
 * ukarch_syscall_frame (offsets: r15 0,
 * r14 8, r13 16, r12 24, rbp 32, rbx 40, r11 48, r10 56, r9 64, r8 72,
 * rax 80, rcx 88, rdx 96, rsi 104, rdi 112, rip 120, rflags 128, rsp 136),
 * then rsp = f->rsp and a jump to f->rip.
 *
 * `f` lies on the stack we run on, below f->rsp. rip, rdi and rax are first
 * copied to the three words just below f->rsp (dead memory: the child's
 * stack starts at f->rsp); rsp is then pointed at them in one instruction,
 * so an interrupt arriving at any point pushes only below live data, and
 * two pops and a `ret` finish with rsp = f->rsp. No instruction after
 * popfq changes the flags.
 */
	.text
	.globl	ukarch_syscall_resume
	.type	ukarch_syscall_resume, @function
	.p2align 4
ukarch_syscall_resume:
	.cfi_startproc
	.cfi_undefined rip
	movq	136(%rdi), %rax
	movq	120(%rdi), %rcx
	movq	%rcx, -8(%rax)
	movq	112(%rdi), %rcx
	movq	%rcx, -16(%rax)
	movq	80(%rdi), %rcx
	movq	%rcx, -24(%rax)
	pushq	128(%rdi)
	popfq
	movq	0(%rdi), %r15
	movq	8(%rdi), %r14
	movq	16(%rdi), %r13
	movq	24(%rdi), %r12
	movq	32(%rdi), %rbp
	movq	40(%rdi), %rbx
	movq	48(%rdi), %r11
	movq	56(%rdi), %r10
	movq	64(%rdi), %r9
	movq	72(%rdi), %r8
	movq	88(%rdi), %rcx
	movq	96(%rdi), %rdx
	movq	104(%rdi), %rsi
	movq	136(%rdi), %rdi
	leaq	-24(%rdi), %rsp
	popq	%rax
	popq	%rdi
	ret
	.cfi_endproc
	.size	ukarch_syscall_resume, . - ukarch_syscall_resume

	.section .note.GNU-stack, "", @progbits
