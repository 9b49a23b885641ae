/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * int ukboot_call_on_stack(int (*fn)(int, char **), int argc, char **argv,
 *                          void *top)
 * Calls fn(argc, argv) with the stack pointer at `top` (rounded down to 16)
 * and returns its value on the caller's stack. %rbp keeps the caller's frame,
 * so debuggers and the frame walker see fn's frames chained to ours.
 */
	/* images keep no .eh_frame: the CFI goes where debuggers read it */
	.cfi_sections .debug_frame
	.text
	.globl ukboot_call_on_stack
	.type ukboot_call_on_stack, @function
ukboot_call_on_stack:
	.cfi_startproc
	/* the frames above are on another stack: gdb's check that a
	 * caller's frame lies above its callee's does not hold here */
	.cfi_signal_frame
	pushq %rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq %rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq %rdi, %rax
	movl %esi, %edi
	movq %rdx, %rsi
	andq $-16, %rcx
	movq %rcx, %rsp
	callq *%rax
	movq %rbp, %rsp
	popq %rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size ukboot_call_on_stack, . - ukboot_call_on_stack

	.section .note.GNU-stack, "", @progbits
