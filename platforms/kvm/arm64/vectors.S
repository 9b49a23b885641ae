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

.macro SAVE_REGS vec
	sub	sp, sp, #UKARCH_REGS_SIZE
	stp	x0, x1, [sp, #0]
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
	mov	x0, #\vec
	str	x0, [sp, #UKARCH_REGS_OFF_VECTOR]
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

.macro VENTRY target
	.balign 128
	b	\target
.endm

	.section .text.vectors, "ax", %progbits
	.balign 2048
	.globl	ukplat_kvm_arm64_vectors
ukplat_kvm_arm64_vectors:
	/* current EL, SP0: the normal case */
	VENTRY	el1t_sync
	VENTRY	el1t_irq
	VENTRY	el1t_fiq
	VENTRY	el1t_serror
	/* current EL, SPx: inside a handler */
	VENTRY	el1h_any_0
	VENTRY	el1h_any_1
	VENTRY	el1h_any_2
	VENTRY	el1h_any_3
	/* lower EL, AArch64 and AArch32: never used */
	VENTRY	lower_8
	VENTRY	lower_9
	VENTRY	lower_10
	VENTRY	lower_11
	VENTRY	lower_12
	VENTRY	lower_13
	VENTRY	lower_14
	VENTRY	lower_15

.macro FATAL name, vec
\name:
	SAVE_REGS \vec
	mov	x0, sp
	bl	ukplat_kvm_arm64_sync
	RESTORE_REGS_ERET
.endm

	.type	el1t_sync, %function
el1t_sync:
	/* An SVC goes to the system call entry when one is registered
	 * (ukplat_syscall_enable), with x16 and x17 pushed here. */
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
	SAVE_REGS 0
	mov	x29, xzr		/* the report walks the frame in regs */
	mov	x0, sp
	bl	ukplat_kvm_arm64_sync
	RESTORE_REGS_ERET
	.size	el1t_sync, . - el1t_sync

	.type	el1t_irq, %function
el1t_irq:
	SAVE_REGS 1
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
	.size	el1t_irq, . - el1t_irq

FATAL el1t_fiq, 2
FATAL el1t_serror, 3
FATAL lower_8, 8
FATAL lower_9, 9
FATAL lower_10, 10
FATAL lower_11, 11
FATAL lower_12, 12
FATAL lower_13, 13
FATAL lower_14, 14
FATAL lower_15, 15

/* An exception while handling one: onto the emergency stack (TPIDR_EL1
 * holds x0 meanwhile), the frame, and the end. */
.macro NESTED name, vec
\name:
	msr	tpidr_el1, x0
	ldr	x0, =ukplat_kvm_arm64_nested_stack_top
	mov	sp, x0
	mrs	x0, tpidr_el1
	SAVE_REGS \vec
	mov	x0, sp
	bl	ukplat_kvm_arm64_nested
1:	wfi
	b	1b
.endm
NESTED el1h_any_0, 4
NESTED el1h_any_1, 5
NESTED el1h_any_2, 6
NESTED el1h_any_3, 7
	.ltorg

	.section .note.GNU-stack, "", %progbits
