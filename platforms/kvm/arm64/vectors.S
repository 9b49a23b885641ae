/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm/arm64 exception vectors (VBAR_EL1). Code runs at EL1 on SP_EL0; an
 * exception switches to SP_EL1, the exception stack, and arrives in the
 * "current EL with SP0" group. There the registers are saved as a struct
 * ukarch_regs (<uk/arch/regs.h>) and:
 *   synchronous  an SVC to the registered system call entry (see
 *                ukplat_syscall_enable in lcpu.c); anything else to
 *                ukplat_kvm_arm64_sync(regs): a crash report, or
 *                (returning) a handled event such as the semihosting probe
 *   IRQ          ukplat_kvm_arm64_irq(regs, fp state), with the FP/SIMD
 *                state saved around it (C handlers may use vector
 *                registers), then back to what regs say then (sp, pc and
 *                the rest: the return hook may have changed them)
 *   FIQ, SError  fatal, like synchronous ones
 * The "current EL with SPx" group means an exception inside a handler: it
 * moves to a stack of its own (the exception stack may be what overflowed)
 * and ends the image through ukplat_kvm_arm64_nested(). Lower-EL groups
 * cannot happen (nothing runs at EL0) and are fatal.
 */
#include <uk/arch/regs.h>

/* The frame: x0 and x1 first (the vector's slot stores them), then the
 * rest; x0 holds the vector number. */
.macro SAVE_X0_X1
	sub	sp, sp, #UKARCH_REGS_SIZE
	stp	x0, x1, [sp, #0]
.endm

.macro SAVE_REST
	str	x0, [sp, #UKARCH_REGS_OFF_VECTOR]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, sp_el0
	stp	x30, x0, [sp, #240]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #UKARCH_REGS_OFF_PC]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #UKARCH_REGS_OFF_ESR]
.endm

/* Back to the interrupted code: ELR/SPSR from the frame (a handler may
 * have changed pc), SP_EL0 unchanged. */
.macro RESTORE_REGS_ERET
	ldp	x0, x1, [sp, #UKARCH_REGS_OFF_PC]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #UKARCH_REGS_SIZE
	eret
.endm

/*
 * The table: 16 slots of 128 bytes. Each slot starts the frame and
 * branches to code shared by the slots of its kind, in .text.vectors_code,
 * which the linker script places between the boot code and the table
 * (filling the gap up to the table's 2 KiB alignment).
 */
.macro FATAL_SLOT vec
	.balign 128
	SAVE_X0_X1
	mov	x0, #\vec
	b	exc_common
.endm

/* An exception while handling one: onto the emergency stack (TPIDR_EL1
 * holds x0 meanwhile), the frame, and the end. */
.macro NESTED_SLOT vec
	.balign 128
	msr	tpidr_el1, x0
	adrp	x0, ukplat_kvm_arm64_nested_stack_top
	add	x0, x0, #:lo12:ukplat_kvm_arm64_nested_stack_top
	mov	sp, x0
	mrs	x0, tpidr_el1
	SAVE_X0_X1
	mov	x0, #\vec
	b	nested_common
.endm

	.section .text.vectors, "ax", %progbits
	.balign 2048
	.globl	ukplat_kvm_arm64_vectors
	.type	ukplat_kvm_arm64_vectors, %function
ukplat_kvm_arm64_vectors:
	/* current EL, SP0: the normal case. Synchronous: an SVC goes to the
	 * system call entry when one is registered (ukplat_syscall_enable),
	 * with x16 and x17 pushed here. */
	stp	x16, x17, [sp, #-16]!
	mrs	x16, esr_el1
	lsr	x16, x16, #26
	cmp	x16, #0x15		/* EC: SVC from AArch64 */
	b.ne	1f
	adrp	x16, ukplat_kvm_arm64_svc_entry
	ldr	x16, [x16, #:lo12:ukplat_kvm_arm64_svc_entry]
	cbz	x16, 1f
	br	x16
1:	ldp	x16, x17, [sp], #16
	SAVE_X0_X1
	mov	x0, #0
	b	exc_common
	.balign 128			/* IRQ */
	SAVE_X0_X1
	mov	x0, #1
	b	irq_common
	FATAL_SLOT 2			/* FIQ */
	FATAL_SLOT 3			/* SError */
	/* current EL, SPx: inside a handler */
	NESTED_SLOT 4
	NESTED_SLOT 5
	NESTED_SLOT 6
	NESTED_SLOT 7
	/* lower EL, AArch64 and AArch32: never used */
	FATAL_SLOT 8
	FATAL_SLOT 9
	FATAL_SLOT 10
	FATAL_SLOT 11
	FATAL_SLOT 12
	FATAL_SLOT 13
	FATAL_SLOT 14
	FATAL_SLOT 15
	.balign 128
	.size	ukplat_kvm_arm64_vectors, . - ukplat_kvm_arm64_vectors

	.section .text.vectors_code, "ax", %progbits
	.balign 4
/* Synchronous (not an SVC), FIQ, SError, lower EL: a report, or (returning)
 * a handled event such as the semihosting probe. */
	.type	exc_common, %function
exc_common:
	SAVE_REST
	mov	x29, xzr		/* the report walks the frame in regs */
	mov	x0, sp
	bl	ukplat_kvm_arm64_sync
	RESTORE_REGS_ERET
	.size	exc_common, . - exc_common

	.type	irq_common, %function
irq_common:
	SAVE_REST
	mov	x19, sp			/* the frame; x19 survives the call */
	sub	sp, sp, #528
	stp	q0, q1, [sp, #0]
	stp	q2, q3, [sp, #32]
	stp	q4, q5, [sp, #64]
	stp	q6, q7, [sp, #96]
	stp	q8, q9, [sp, #128]
	stp	q10, q11, [sp, #160]
	stp	q12, q13, [sp, #192]
	stp	q14, q15, [sp, #224]
	stp	q16, q17, [sp, #256]
	stp	q18, q19, [sp, #288]
	stp	q20, q21, [sp, #320]
	stp	q22, q23, [sp, #352]
	stp	q24, q25, [sp, #384]
	stp	q26, q27, [sp, #416]
	stp	q28, q29, [sp, #448]
	stp	q30, q31, [sp, #480]
	mrs	x0, fpcr
	mrs	x1, fpsr
	add	x2, sp, #512
	stp	x0, x1, [x2]
	mov	x29, xzr
	mov	x0, x19
	mov	x1, sp			/* the FP/SIMD state, for the return hook */
	bl	ukplat_kvm_arm64_irq
	add	x2, sp, #512
	ldp	x0, x1, [x2]
	msr	fpcr, x0
	msr	fpsr, x1
	ldp	q0, q1, [sp, #0]
	ldp	q2, q3, [sp, #32]
	ldp	q4, q5, [sp, #64]
	ldp	q6, q7, [sp, #96]
	ldp	q8, q9, [sp, #128]
	ldp	q10, q11, [sp, #160]
	ldp	q12, q13, [sp, #192]
	ldp	q14, q15, [sp, #224]
	ldp	q16, q17, [sp, #256]
	ldp	q18, q19, [sp, #288]
	ldp	q20, q21, [sp, #320]
	ldp	q22, q23, [sp, #352]
	ldp	q24, q25, [sp, #384]
	ldp	q26, q27, [sp, #416]
	ldp	q28, q29, [sp, #448]
	ldp	q30, q31, [sp, #480]
	mov	sp, x19
	/* the return hook may have moved the interrupted code's stack */
	ldr	x0, [sp, #UKARCH_REGS_OFF_SP]
	msr	sp_el0, x0
	RESTORE_REGS_ERET
	.size	irq_common, . - irq_common

	.type	nested_common, %function
nested_common:
	SAVE_REST
	mov	x0, sp
	bl	ukplat_kvm_arm64_nested
1:	wfi
	b	1b
	.size	nested_common, . - nested_common

	.section .note.GNU-stack, "", %progbits
