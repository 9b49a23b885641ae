/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary-compatible system call entry (arm64, `svc #0` at EL1).
 * Compiled into lib uksyscallbin (meson dependency 'ukarch-syscall-entry'),
 * whose uk_syscall_aux_sp it uses, with uksyscall's uk_syscall_table.
 *
 * The platform's synchronous exception vector branches here for an SVC
 * (kvm/arm64: ukplat_syscall_enable() names this function) at EL1h, on
 * the exception stack with the caller's x16 and x17 pushed on it and every
 * other register as the caller left it; ELR_EL1 is the address after the
 * svc, SPSR_EL1 the caller's PSTATE (EL1t: code runs on SP_EL0).
 *
 * The entry saves a struct ukarch_syscall_frame (x0-x30, sp, pc, pstate) at
 * the top of the current thread's auxiliary stack (uk_syscall_aux_sp, kept
 * current by the scheduler; clone reads the frame there) and the FP/SIMD
 * registers below it, moves to that stack in EL1t with the caller's
 * interrupt mask, and calls uk_syscall_table[x8](x0..x5). When
 * uk_syscall_exit_work is set (signals), uk_syscall_exit_binary() sees the
 * frame and the result first (posixprocess: a handler's entry, rt_sigreturn,
 * a restart) and may rewrite both. On the way back
 * the result goes to x0, every other register comes back from the frame
 * (FP/SIMD included: Linux preserves them), the frame's pc is cleared
 * ("not in a call") and an exception return resumes the caller. A call can
 * block and let other threads run (each has its own aux stack); interrupts
 * taken meanwhile use the exception stack as always.
 */
#include <uk/arch/syscall_list.h>

#define FRAME 272 /* sizeof(struct ukarch_syscall_frame) */
#define FPSAVE 528 /* q0-q31, FPCR, FPSR */

	.section .text.ukarch_syscall_entry, "ax", %progbits
	.globl	ukarch_syscall_entry
	.type	ukarch_syscall_entry, %function
ukarch_syscall_entry:
	ldr	x16, =uk_syscall_aux_sp
	ldr	x16, [x16]
	sub	x16, x16, #FRAME
	stp	x0, x1, [x16, #0]
	stp	x2, x3, [x16, #16]
	stp	x4, x5, [x16, #32]
	stp	x6, x7, [x16, #48]
	stp	x8, x9, [x16, #64]
	stp	x10, x11, [x16, #80]
	stp	x12, x13, [x16, #96]
	stp	x14, x15, [x16, #112]
	ldp	x0, x1, [sp], #16	/* the caller's x16, x17 */
	stp	x0, x1, [x16, #128]
	stp	x18, x19, [x16, #144]
	stp	x20, x21, [x16, #160]
	stp	x22, x23, [x16, #176]
	stp	x24, x25, [x16, #192]
	stp	x26, x27, [x16, #208]
	stp	x28, x29, [x16, #224]
	mrs	x0, sp_el0
	stp	x30, x0, [x16, #240]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [x16, #256]
	sub	x17, x16, #FPSAVE
	stp	q0, q1, [x17, #0]
	stp	q2, q3, [x17, #32]
	stp	q4, q5, [x17, #64]
	stp	q6, q7, [x17, #96]
	stp	q8, q9, [x17, #128]
	stp	q10, q11, [x17, #160]
	stp	q12, q13, [x17, #192]
	stp	q14, q15, [x17, #224]
	stp	q16, q17, [x17, #256]
	stp	q18, q19, [x17, #288]
	stp	q20, q21, [x17, #320]
	stp	q22, q23, [x17, #352]
	stp	q24, q25, [x17, #384]
	stp	q26, q27, [x17, #416]
	stp	q28, q29, [x17, #448]
	stp	q30, q31, [x17, #480]
	mrs	x0, fpcr
	mrs	x1, fpsr
	add	x2, x17, #512
	stp	x0, x1, [x2]
	/* onto the aux stack, EL1t, the caller's interrupt mask */
	msr	sp_el0, x17
	msr	spsel, #0
	mov	x19, x16		/* the frame; callee-saved */
	ldr	x0, [x19, #264]
	and	x0, x0, #0x3c0		/* DAIF bits of the caller's PSTATE */
	msr	daif, x0
	mov	x29, xzr
	ldr	x8, [x19, #64]
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	cmp	x8, #UK_SYSCALL_MAX_NR
	b.hs	2f
	ldr	x9, =uk_syscall_table
	ldr	x9, [x9, x8, lsl #3]
	blr	x9
	/* The way out with work to do (a signal to handle, a context to
	 * restore, a call to make again): uk_syscall_exit_binary(frame,
	 * result) may rewrite the frame and returns x0. The frame's x0 is
	 * still the first argument then (a restart needs it). Every register
	 * comes from the frame below in any case. */
1:	ldr	x1, =uk_syscall_exit_work
	ldr	w1, [x1]
	cbz	w1, 3f
	mov	x1, x0
	mov	x0, x19
	bl	uk_syscall_exit_binary
3:	str	x0, [x19, #0]		/* the result */
	msr	daifset, #0xf
	sub	x17, x19, #FPSAVE
	ldp	q0, q1, [x17, #0]
	ldp	q2, q3, [x17, #32]
	ldp	q4, q5, [x17, #64]
	ldp	q6, q7, [x17, #96]
	ldp	q8, q9, [x17, #128]
	ldp	q10, q11, [x17, #160]
	ldp	q12, q13, [x17, #192]
	ldp	q14, q15, [x17, #224]
	ldp	q16, q17, [x17, #256]
	ldp	q18, q19, [x17, #288]
	ldp	q20, q21, [x17, #320]
	ldp	q22, q23, [x17, #352]
	ldp	q24, q25, [x17, #384]
	ldp	q26, q27, [x17, #416]
	ldp	q28, q29, [x17, #448]
	ldp	q30, q31, [x17, #480]
	add	x2, x17, #512
	ldp	x0, x1, [x2]
	msr	fpcr, x0
	msr	fpsr, x1
	ldp	x0, x1, [x19, #256]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	str	xzr, [x19, #256]	/* no longer in a call */
	ldr	x0, [x19, #248]
	msr	spsel, #1		/* back on the (empty) exception stack */
	msr	sp_el0, x0		/* the caller's stack */
	mov	x30, x19
	ldp	x0, x1, [x30, #0]
	ldp	x2, x3, [x30, #16]
	ldp	x4, x5, [x30, #32]
	ldp	x6, x7, [x30, #48]
	ldp	x8, x9, [x30, #64]
	ldp	x10, x11, [x30, #80]
	ldp	x12, x13, [x30, #96]
	ldp	x14, x15, [x30, #112]
	ldp	x16, x17, [x30, #128]
	ldp	x18, x19, [x30, #144]
	ldp	x20, x21, [x30, #160]
	ldp	x22, x23, [x30, #176]
	ldp	x24, x25, [x30, #192]
	ldp	x26, x27, [x30, #208]
	ldp	x28, x29, [x30, #224]
	ldr	x30, [x30, #240]
	eret
2:	mov	x0, x8
	bl	uk_syscall_enosys
	b	1b
	.size	ukarch_syscall_entry, . - ukarch_syscall_entry
	.ltorg

	.section .note.GNU-stack, "", %progbits
