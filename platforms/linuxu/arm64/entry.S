/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu/arm64 process entry. Linux's arm64 ABI: sp (16-aligned) points at
 * argc, then argv[], NULL, envp[], NULL, the auxiliary vector; x0 holds
 * the dynamic linker's finaliser (none for a static image).
 */
	.section .text.boot, "ax", %progbits
	.globl	_linuxu_start
	.type	_linuxu_start, %function
_linuxu_start:
	mov	x29, xzr		/* ends the backtrace chain */
	mov	x30, xzr
	mov	x0, sp			/* &argc */
	and	x1, x0, #~15
	mov	sp, x1
	bl	ukplat_linuxu_entry
	brk	#1			/* not reached */
	.size	_linuxu_start, . - _linuxu_start

/* Raw system call: x8 = nr, arguments in x0-x5, the result in x0. */
	.text
	.globl	ukplat_linuxu_syscall
	.type	ukplat_linuxu_syscall, %function
ukplat_linuxu_syscall:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
	.size	ukplat_linuxu_syscall, . - ukplat_linuxu_syscall

/* Signal return trampoline (rt_sigreturn, 139), named in every sigaction. */
	.globl	ukplat_linuxu_sigreturn
	.type	ukplat_linuxu_sigreturn, %function
ukplat_linuxu_sigreturn:
	mov	x8, #139
	svc	#0
	brk	#1
	.size	ukplat_linuxu_sigreturn, . - ukplat_linuxu_sigreturn

	.section .note.GNU-stack, "", %progbits
