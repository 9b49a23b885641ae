/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 context switch and thread entry trampoline (<uk/arch/ctx.h>).
 *
 * ukarch_ctx_switch(prev = x0, next = x1): store x19-x30 in a 96-byte frame
 * on the current stack, the FP/SIMD state (q0-q31, FPCR, FPSR) into
 * prev->fpstate and sp into prev->sp; then the reverse from `next`, and
 * return (x30) on the next thread's stack. The AAPCS64 only asks for d8-d15
 * and FPCR to survive a call; saving every vector register keeps the threads'
 * FP state fully apart, as on x86_64, and is what a preemptive scheduler
 * needs anyway.
 */
	.text
	.globl	ukarch_ctx_switch
	.type	ukarch_ctx_switch, %function
	.p2align 4
ukarch_ctx_switch:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	add	x2, x0, #16
	stp	q0, q1, [x2], #32
	stp	q2, q3, [x2], #32
	stp	q4, q5, [x2], #32
	stp	q6, q7, [x2], #32
	stp	q8, q9, [x2], #32
	stp	q10, q11, [x2], #32
	stp	q12, q13, [x2], #32
	stp	q14, q15, [x2], #32
	stp	q16, q17, [x2], #32
	stp	q18, q19, [x2], #32
	stp	q20, q21, [x2], #32
	stp	q22, q23, [x2], #32
	stp	q24, q25, [x2], #32
	stp	q26, q27, [x2], #32
	stp	q28, q29, [x2], #32
	stp	q30, q31, [x2], #32
	mrs	x3, fpcr
	mrs	x4, fpsr
	stp	x3, x4, [x2]
	mov	x3, sp
	str	x3, [x0]

	ldr	x3, [x1]
	mov	sp, x3
	add	x2, x1, #16
	ldp	q0, q1, [x2], #32
	ldp	q2, q3, [x2], #32
	ldp	q4, q5, [x2], #32
	ldp	q6, q7, [x2], #32
	ldp	q8, q9, [x2], #32
	ldp	q10, q11, [x2], #32
	ldp	q12, q13, [x2], #32
	ldp	q14, q15, [x2], #32
	ldp	q16, q17, [x2], #32
	ldp	q18, q19, [x2], #32
	ldp	q20, q21, [x2], #32
	ldp	q22, q23, [x2], #32
	ldp	q24, q25, [x2], #32
	ldp	q26, q27, [x2], #32
	ldp	q28, q29, [x2], #32
	ldp	q30, q31, [x2], #32
	ldp	x3, x4, [x2]
	msr	fpcr, x3
	msr	fpsr, x4
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret
	.size	ukarch_ctx_switch, . - ukarch_ctx_switch

/*
 * First "return" of a new context lands here (see ukarch_ctx_init in
 * ctx.c), with the argument in x19, the function in x20 and a 16-aligned
 * sp. The function never returns.
 */
	.globl	ukarch_ctx_trampoline
	.type	ukarch_ctx_trampoline, %function
	.p2align 4
ukarch_ctx_trampoline:
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	blr	x20
	brk	#0x1
	.size	ukarch_ctx_trampoline, . - ukarch_ctx_trampoline

	.section .note.GNU-stack, "", %progbits
