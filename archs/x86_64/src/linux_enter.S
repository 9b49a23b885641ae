/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukarch_linux_enter(entry = %rdi, sp = %rsi) (<uk/arch/syscall.h>): start a
 * Linux program the way the kernel does (System V x86_64 psABI): rsp = sp,
 * every general register zero (rdx: no atexit function), MXCSR and the x87
 * state reset, rflags 0x202: interrupts on (a timer or device interrupt may
 * stop the program, and its signals arrive then), DF and the rest clear.
 * The entry address is pushed just below the program's stack pointer and
 * popped by ret, so that every register can be cleared first.
 */
	.text
	.globl	ukarch_linux_enter
	.type	ukarch_linux_enter, @function
ukarch_linux_enter:
	mov	%rsi, %rsp
	push	%rdi
	pushq	$0x1f80		/* MXCSR reset value */
	ldmxcsr	(%rsp)
	add	$8, %rsp
	fninit
	pushq	$0x202
	popfq
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
	.size	ukarch_linux_enter, . - ukarch_linux_enter

	.section .note.GNU-stack, "", @progbits
