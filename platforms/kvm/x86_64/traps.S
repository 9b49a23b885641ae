/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exception entry stubs for vectors 0-31. Each stub makes the stack look the
 * same (a zero error code where the CPU pushes none, then the vector number),
 * saves the general registers in the order of struct ukarch_regs and calls
 * ukplat_kvm_trap(regs). Exceptions are fatal in this version, so the handler
 * does not return.
 */
/* The general registers, in the order of struct ukarch_regs (rax highest). */
.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

	.text
.macro TRAP_NOERR vec
	.globl ukplat_kvm_trap\vec
ukplat_kvm_trap\vec:
	pushq $0
	pushq $\vec
	jmp trap_common
.endm
.macro TRAP_ERR vec
	.globl ukplat_kvm_trap\vec
ukplat_kvm_trap\vec:
	pushq $\vec
	jmp trap_common
.endm

TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR 8
TRAP_NOERR 9
TRAP_ERR 10
TRAP_ERR 11
TRAP_ERR 12
TRAP_ERR 13
TRAP_ERR 14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR 17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR 21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_ERR 29
TRAP_ERR 30
TRAP_NOERR 31

	.type trap_common, @function
trap_common:
	cld
	PUSH_GPRS
	movq %rsp, %rdi
	andq $-16, %rsp
	call ukplat_kvm_trap
1:	cli
	hlt
	jmp 1b
	.size trap_common, . - trap_common

	.section .rodata.trap_table, "a", @progbits
	.balign 8
	.globl ukplat_kvm_trap_table
ukplat_kvm_trap_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad ukplat_kvm_trap\v
	.endr

/*
 * Interrupt entry stubs for vectors 32-255: the same frame as exceptions
 * (error code 0, vector), then ukplat_kvm_irq(regs, fxsave area) with the
 * FPU/SSE state saved around it, and back with iretq to whatever the frame
 * says then (the return hook may have changed it). In a section of their own, so that
 * images that never set up interrupts leave the 3.5 KiB of stubs out.
 */
	.section .text.irq_stubs, "ax", @progbits
	.balign 16
	.globl ukplat_kvm_irq_stubs
ukplat_kvm_irq_stubs:                   /* 16 bytes per stub */
	.set vec, 32
	.rept 224
	.balign 16
	pushq $0
	pushq $vec
	jmp irq_common
	.set vec, vec + 1
	.endr

	.type irq_common, @function
irq_common:
	cld
	PUSH_GPRS
	movq %rsp, %rbx                 /* the frame; rbx survives the call */
	subq $512, %rsp
	andq $-16, %rsp
	fxsave (%rsp)
	movq %rbx, %rdi
	movq %rsp, %rsi                 /* the FPU state, for the return hook */
	call ukplat_kvm_irq
	fxrstor (%rsp)
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp                  /* vector, error code */
	iretq
	.size irq_common, . - irq_common
