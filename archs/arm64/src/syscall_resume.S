/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukarch_syscall_resume(f = x0) (<uk/arch/syscall.h>): become the thread a
 * binary-path clone() describes. Interrupts are masked first: ELR_EL1 and
 * SPSR_EL1 must survive until the eret, and `f` lies in memory below the new
 * sp that nothing may overwrite until it is read. sp = f->sp, then every
 * register from the frame (x0 last: it is the base), and an exception return
 * to f->pc with f->pstate (the caller's flags, interrupt mask and EL1t).
 */
	.text
	.globl	ukarch_syscall_resume
	.type	ukarch_syscall_resume, %function
	.p2align 4
ukarch_syscall_resume:
	msr	daifset, #0xf
	ldp	x1, x2, [x0, #256]	/* pc, pstate */
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldr	x1, [x0, #248]
	mov	sp, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldr	x1, [x0, #8]
	ldr	x0, [x0, #0]
	eret
	.size	ukarch_syscall_resume, . - ukarch_syscall_resume

	.section .note.GNU-stack, "", %progbits
