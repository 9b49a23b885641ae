/* SPDX-License-Identifier: BSD-3-Clause */
/* linuxu/x86_64 process entry: the kernel leaves argc at (%rsp), then argv. */
	.section .text.boot, "ax", @progbits
	.globl _linuxu_start
	.type _linuxu_start, @function
_linuxu_start:
	xorl %ebp, %ebp         /* ends the backtrace chain */
	movq %rsp, %rdi         /* &argc */
	andq $-16, %rsp
	call ukplat_linuxu_entry
	hlt                     /* not reached */
	.size _linuxu_start, . - _linuxu_start

/* Raw system call: rax = nr, args in rdi rsi rdx r10 r8 r9. */
	.text
	.globl ukplat_linuxu_syscall
	.type ukplat_linuxu_syscall, @function
ukplat_linuxu_syscall:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	movq 8(%rsp), %r9
	syscall
	ret
	.size ukplat_linuxu_syscall, . - ukplat_linuxu_syscall

/* Signal return trampoline (rt_sigreturn), named in every sigaction. */
	.globl ukplat_linuxu_sigreturn
	.type ukplat_linuxu_sigreturn, @function
ukplat_linuxu_sigreturn:
	movl $15, %eax
	syscall
	hlt
	.size ukplat_linuxu_sigreturn, . - ukplat_linuxu_sigreturn
