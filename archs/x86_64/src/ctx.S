/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 context switch and thread entry trampoline (<uk/arch/ctx.h>).
 *
 * ukarch_ctx_switch(prev = %rdi, next = %rsi): push the callee-saved
 * registers (rbp, rbx, r12-r15) on the current stack, fxsave the x87/MMX/SSE
 * state (incl. MXCSR and the x87 control word) into prev->fpstate, store rsp
 * into prev->sp, load next->sp, fxrstor next->fpstate, pop, return on the
 * next thread's stack. Layout of struct ukarch_ctx: sp at 0, fxsave area at
 * 16.
 *
 * Why fxsave on every switch: the SysV ABI only requires MXCSR and the x87
 * control word to survive a call, so a purely cooperative switch could skip
 * the rest; saving the whole legacy area (512 B, ~100 cycles) keeps thread
 * FPU state fully separate and is what a preemptive scheduler needs anyway.
 * AVX upper halves (ymm/zmm) are NOT saved (that needs xsave and a
 * CPU-dependent area size).
 */
	.text
	.globl	ukarch_ctx_switch
	.type	ukarch_ctx_switch, @function
	.p2align 4
ukarch_ctx_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	fxsave	16(%rdi)
	movq	%rsp, 0(%rdi)
	movq	0(%rsi), %rsp
	fxrstor	16(%rsi)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	ukarch_ctx_switch, . - ukarch_ctx_switch

/*
 * First "return" of a new context lands here (see ukarch_ctx_init in
 * ctx.c), with the argument in %r12, the function in %r13 and a 16-aligned
 * rsp. The function never returns.
 */
	.globl	ukarch_ctx_trampoline
	.type	ukarch_ctx_trampoline, @function
	.p2align 4
ukarch_ctx_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%r12, %rdi
	call	*%r13
	ud2
	.cfi_endproc
	.size	ukarch_ctx_trampoline, . - ukarch_ctx_trampoline

	.section .note.GNU-stack, "", @progbits
