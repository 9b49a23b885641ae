/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukarch_linux_enter(entry = x0, sp = x1) (<uk/arch/syscall.h>): start a
 * Linux program the way the kernel does on arm64: sp = sp, every general
 * register zero (x0: no atexit function), the FP/SIMD registers zero, FPCR
 * and FPSR reset, the thread pointer left to the program, IRQs unmasked (as
 * a Linux program runs: a timer or device interrupt may stop it, and its
 * signals arrive then), and a branch to the entry (x16 carries it: the one
 * register the program cannot expect).
 */
	.text
	.globl	ukarch_linux_enter
	.type	ukarch_linux_enter, %function
ukarch_linux_enter:
	mov	sp, x1
	mov	x16, x0
	msr	fpcr, xzr
	msr	fpsr, xzr
	movi	v0.2d, #0
	movi	v1.2d, #0
	movi	v2.2d, #0
	movi	v3.2d, #0
	movi	v4.2d, #0
	movi	v5.2d, #0
	movi	v6.2d, #0
	movi	v7.2d, #0
	movi	v8.2d, #0
	movi	v9.2d, #0
	movi	v10.2d, #0
	movi	v11.2d, #0
	movi	v12.2d, #0
	movi	v13.2d, #0
	movi	v14.2d, #0
	movi	v15.2d, #0
	movi	v16.2d, #0
	movi	v17.2d, #0
	movi	v18.2d, #0
	movi	v19.2d, #0
	movi	v20.2d, #0
	movi	v21.2d, #0
	movi	v22.2d, #0
	movi	v23.2d, #0
	movi	v24.2d, #0
	movi	v25.2d, #0
	movi	v26.2d, #0
	movi	v27.2d, #0
	movi	v28.2d, #0
	movi	v29.2d, #0
	movi	v30.2d, #0
	movi	v31.2d, #0
	mov	x0, xzr
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	msr	daifclr, #2
	br	x16
	.size	ukarch_linux_enter, . - ukarch_linux_enter

	.section .note.GNU-stack, "", %progbits
