/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_process_sigreturn_tramp: where a handler of a loaded program returns
 * to when its sigaction() gave no SA_RESTORER (musl and glibc always give
 * one): rt_sigreturn (139), through the binary path.
 *
 * uk_process_call_on(fn = x0, sig = x1, info = x2, uc = x3, sp = x4): call
 * fn(sig, info, uc) with sp = sp (16-aligned by the caller), then return on
 * the caller's stack: native handlers on an alternate signal stack.
 */
	.text
	.globl	uk_process_sigreturn_tramp
	.type	uk_process_sigreturn_tramp, %function
	.p2align 4
uk_process_sigreturn_tramp:
	mov	x8, #139		/* rt_sigreturn */
	svc	#0
	brk	#0
	.size	uk_process_sigreturn_tramp, . - uk_process_sigreturn_tramp

	.globl	uk_process_call_on
	.type	uk_process_call_on, %function
	.p2align 4
uk_process_call_on:
	.cfi_startproc
	stp	x29, x30, [sp, #-16]!
	.cfi_def_cfa_offset 16
	.cfi_offset x29, -16
	.cfi_offset x30, -8
	mov	x29, sp
	.cfi_def_cfa_register x29
	mov	x9, x0
	mov	sp, x4
	mov	w0, w1
	mov	x1, x2
	mov	x2, x3
	blr	x9
	mov	sp, x29
	.cfi_def_cfa sp, 16
	ldp	x29, x30, [sp], #16
	.cfi_def_cfa_offset 0
	.cfi_restore x29
	.cfi_restore x30
	ret
	.cfi_endproc
	.size	uk_process_call_on, . - uk_process_call_on

	.section .note.GNU-stack, "", %progbits
