/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_process_sigreturn_tramp: where a handler of a loaded program returns
 * to when its sigaction() gave no SA_RESTORER (Linux would crash it; musl
 * and glibc always give one): rt_sigreturn, through the binary path.
 *
 * uk_process_call_on(fn = %rdi, sig = %rsi, info = %rdx, uc = %rcx,
 * sp = %r8): call fn(sig, info, uc) with rsp = sp (16-aligned by the
 * caller), then return on the caller's stack: native handlers on an
 * alternate signal stack.
 */
	.text
	.globl	uk_process_sigreturn_tramp
	.type	uk_process_sigreturn_tramp, @function
	.p2align 4
uk_process_sigreturn_tramp:
	movl	$15, %eax		/* rt_sigreturn */
	syscall
	ud2
	.size	uk_process_sigreturn_tramp, . - uk_process_sigreturn_tramp

	.globl	uk_process_call_on
	.type	uk_process_call_on, @function
	.p2align 4
uk_process_call_on:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	movq	%r8, %rsp
	movq	%rdi, %rax
	movl	%esi, %edi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size	uk_process_call_on, . - uk_process_call_on

	.section .note.GNU-stack, "", @progbits
