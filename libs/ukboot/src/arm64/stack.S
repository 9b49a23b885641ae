/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * int ukboot_call_on_stack(int (*fn)(int, char **), int argc, char **argv,
 *                          void *top)
 * Calls fn(argc, argv) with sp at `top` (rounded down to 16) and returns its
 * value on the caller's stack. The frame record (x29, x30) stays on the
 * caller's stack and x29 points at it, so debuggers and the frame walker see
 * fn's frames chained to ours.
 */
	/* images keep no .eh_frame: the CFI goes where debuggers read it */
	.cfi_sections .debug_frame
	.text
	.globl ukboot_call_on_stack
	.type ukboot_call_on_stack, %function
	.p2align 2
ukboot_call_on_stack:
	.cfi_startproc
	/* the frames above are on another stack: gdb's check that a
	 * caller's frame lies above its callee's does not hold here */
	.cfi_signal_frame
	stp x29, x30, [sp, #-16]!
	.cfi_def_cfa_offset 16
	.cfi_offset x29, -16
	.cfi_offset x30, -8
	mov x29, sp
	.cfi_def_cfa_register x29
	mov x9, x0
	mov w0, w1
	mov x1, x2
	and x3, x3, #~15
	mov sp, x3
	blr x9
	mov sp, x29
	.cfi_def_cfa sp, 16
	ldp x29, x30, [sp], #16
	.cfi_def_cfa_offset 0
	.cfi_restore x29
	.cfi_restore x30
	ret
	.cfi_endproc
	.size ukboot_call_on_stack, . - ukboot_call_on_stack

	.section .note.GNU-stack, "", %progbits
