/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm/arm64 entry: the Linux arm64 Image header, then the boot path up to C.
 *
 * A loader of Linux arm64 Images (QEMU's -kernel, VMMs) places the file at a
 * 2 MiB-aligned base + text_offset (QEMU virt: 0x40200000, where the image is
 * linked; anywhere else is refused), and enters at its first byte at EL2 or
 * EL1, MMU and data cache off, interrupts masked, x0 = the device tree blob.
 * We stamp the counter, leave EL2 if we are there, enable FP/SIMD, build the
 * boot page tables (W^X from the start: text read-only executable, rodata
 * read-only, everything else writable and never executable; SCTLR.WXN
 * enforces the last part too), turn the MMU and caches on, clear .bss and
 * call ukplat_kvm_arm64_entry(dtb) on the boot stack, which runs with SP_EL0
 * (EL1t); every exception switches to SP_EL1, the exception stack, so that
 * a stack overflow into a guard page can still be reported.
 */
#define PT_VALID  (1 << 0)
#define PT_TABLE  (1 << 1) /* table (levels 0-2), page (level 3) */
#define PT_ATTR(i) ((i) << 2)
#define PT_RO	  (1 << 7) /* AP[2] */
#define PT_ISH	  (3 << 8)
#define PT_AF	  (1 << 10)
#define PT_PXN	  (1 << 53)
#define PT_UXN	  (1 << 54)

#define NORMAL_RW (PT_ATTR(0) | PT_ISH | PT_AF | PT_PXN | PT_UXN)
#define NORMAL_RX (PT_ATTR(0) | PT_ISH | PT_AF | PT_RO | PT_UXN)
#define NORMAL_RO (PT_ATTR(0) | PT_ISH | PT_AF | PT_RO | PT_PXN | PT_UXN)

/* MAIR: 0 normal write-back, 1 device nGnRE, 2 normal non-cacheable */
#define MAIR_VALUE 0x0000000000440400ff
/* TCR: 48-bit VA in TTBR0, 4 KiB granule, inner shareable write-back walks;
 * TTBR1 walks off (EPD1); IPS filled in from ID_AA64MMFR0_EL1 */
#define TCR_VALUE ((16 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | \
		   (2 << 30))
/* SCTLR_EL1: RES1 bits of ARMv8.0, M, C, SA, I, WXN */
#define SCTLR_VALUE (0x30d00800 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12) | \
		     (1 << 19))

	.section .text.boot, "ax", %progbits
	.globl	_start
	.type	_start, %function
_start:
	/* The Image header (64 bytes): code0/code1, text_offset, image_size,
	 * flags (little-endian, 4 KiB pages, placed near the base of RAM),
	 * reserved, magic "ARM\x64", no PE header. */
	b	1f
	.long	0
	.quad	0x200000
	.quad	__uk_image_size
	.quad	0x2
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

1:	mrs	x20, cntvct_el0
	mov	x19, x0

	/* loaded where linked? (position-independent until the MMU is on) */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_place

	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	2f
	/* EL2 -> EL1: AArch64 at EL1, the counter and timer of EL1 usable,
	 * no virtual offset; the GICv3 system registers usable at EL1. */
	mov	x1, #(1 << 31)
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #24, #4	/* GIC system register interface */
	cbz	x1, 3f
	mrs	x1, S3_4_C12_C9_5	/* ICC_SRE_EL2 */
	orr	x1, x1, #0x1		/* SRE */
	orr	x1, x1, #0x8		/* Enable (lower ELs may use it) */
	msr	S3_4_C12_C9_5, x1
	isb
3:	ldr	x1, =0x30d00800
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x1
	adr	x1, 2f
	msr	elr_el2, x1
	eret

2:	ldr	x1, =ukplat_kvm_arm64_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x1
	isb

	/* Zero the level 0 and level 1 tables (the others are written
	 * whole below). Data cache is off: these stores reach memory (Device
	 * memory: aligned stores only). 128 bytes a round. */
	movi	v0.2d, #0
	ldr	x1, =ukplat_kvm_arm64_pt_l0
	add	x2, x1, #(2 * 4096)
4:	stp	q0, q0, [x1], #32
	stp	q0, q0, [x1], #32
	stp	q0, q0, [x1], #32
	stp	q0, q0, [x1], #32
	cmp	x1, x2
	b.lo	4b

	ldr	x0, =ukplat_kvm_arm64_pt_l0
	ldr	x1, =ukplat_kvm_arm64_pt_l1
	orr	x2, x1, #(PT_VALID | PT_TABLE)
	str	x2, [x0]		/* L0[0]: 0 - 512 GiB */
	ldr	x3, =ukplat_kvm_arm64_pt_l2dev
	orr	x2, x3, #(PT_VALID | PT_TABLE)
	str	x2, [x1]		/* L1[0]: 0 - 1 GiB, devices (C maps) */
	ldr	x3, =ukplat_kvm_arm64_pt_l2ram
	orr	x2, x3, #(PT_VALID | PT_TABLE)
	str	x2, [x1, #8]		/* L1[1]: 1 - 2 GiB, RAM */

	/* Both tables below are an arithmetic sequence of entries (the
	 * address grows by the size one entry maps), written eight at a time
	 * from four SIMD registers of two entries each: v0-v3 hold entries
	 * 0-7 of the round, v4 adds eight entries' worth to each lane. */

	/* L2 RAM: 2 MiB blocks, RW, never executable; then the block of the
	 * image points to the level 3 table. */
	ldr	x4, =0x40000000 | NORMAL_RW | PT_VALID
	mov	x5, #0x200000
	add	x8, x3, #4096
	bl	pt_fill
	ldr	x6, =_start
	ubfx	x6, x6, #21, #9		/* the image's 2 MiB block in 1-2 GiB */
	ldr	x7, =ukplat_kvm_arm64_pt_l3img
	orr	x2, x7, #(PT_VALID | PT_TABLE)
	str	x2, [x3, x6, lsl #3]

	/* L3 image: 4 KiB pages of the image's 2 MiB, RW and never
	 * executable; then text read-only executable and rodata read-only
	 * (text and rodata start at the block's first page: _start). */
	mov	x3, x7
	ldr	x4, =_start
	and	x4, x4, #~0x1fffff
	ldr	x2, =NORMAL_RW | PT_VALID | PT_TABLE
	orr	x4, x4, x2
	mov	x5, #4096
	add	x8, x3, #4096
	bl	pt_fill
	ldr	x4, =_start
	ldr	x9, =__uk_text_end
	ldr	x10, =__uk_data_start	/* rodata ends where data starts */
	ldr	x11, =NORMAL_RX | PT_VALID | PT_TABLE
	ldr	x12, =NORMAL_RO | PT_VALID | PT_TABLE
	ubfx	x3, x4, #12, #9
	add	x3, x7, x3, lsl #3	/* _start's entry */
6:	cmp	x4, x9
	csel	x2, x11, x12, lo
	orr	x2, x2, x4
	str	x2, [x3], #8
	add	x4, x4, #4096
	cmp	x4, x10
	b.lo	6b

	/* MMU on */
	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0x7
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x1, x2, ls		/* at most 48 bits of PA */
	ldr	x2, =TCR_VALUE
	orr	x2, x2, x1, lsl #32
	msr	tcr_el1, x2
	ldr	x1, =ukplat_kvm_arm64_pt_l0
	msr	ttbr0_el1, x1
	dsb	sy
	tlbi	vmalle1
	dsb	sy
	isb
	ldr	x1, =SCTLR_VALUE
	msr	sctlr_el1, x1
	isb
	ic	iallu
	dsb	sy
	isb

	/* .bss (16-byte aligned, a multiple of 16 long): whole blocks with DC
	 * ZVA (64 bytes on most cores), four a round, when DCZID_EL0 allows
	 * it, the edges 16 bytes at a time. The stacks and other buffers that
	 * are written before they are read are not in it (.uk_noinit). */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
	mrs	x3, dczid_el0
	tbnz	x3, #4, 7f		/* DZP: DC ZVA prohibited */
	and	x3, x3, #0xf
	mov	x4, #4
	lsl	x4, x4, x3		/* block size in bytes */
	sub	x5, x4, #1
10:	tst	x1, x5			/* up to a block boundary */
	b.eq	11f
	cmp	x1, x2
	b.hs	8f
	stp	xzr, xzr, [x1], #16
	b	10b
11:	add	x6, x1, x4, lsl #2	/* four whole blocks */
	cmp	x6, x2
	b.hi	12f
	dc	zva, x1
	add	x1, x1, x4
	dc	zva, x1
	add	x1, x1, x4
	dc	zva, x1
	add	x1, x1, x4
	dc	zva, x1
	add	x1, x1, x4
	b	11b
12:	add	x6, x1, x4		/* whole blocks */
	cmp	x6, x2
	b.hi	7f
	dc	zva, x1
	mov	x1, x6
	b	12b
7:	cmp	x1, x2			/* the rest */
	b.hs	8f
	stp	xzr, xzr, [x1], #16
	b	7b
8:	ldr	x1, =ukplat_kvm_arm64_counter_at_entry
	str	x20, [x1]

	/* exception stack in SP_EL1, boot stack in SP_EL0, run on SP_EL0 */
	ldr	x1, =ukplat_kvm_arm64_exc_stack_top
	mov	sp, x1
	ldr	x1, =ukplat_kvm_arm64_boot_stack_top
	msr	sp_el0, x1
	msr	spsel, #0
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	ukplat_kvm_arm64_entry
9:	wfi
	b	9b

/* Page table entries x4, x4 + x5, ... from x3 (16-byte aligned) up to x8
 * (a multiple of 64 bytes further): eight a round. Uses x2, v0-v4; keeps
 * x3. */
pt_fill:
	add	x2, x4, x5
	mov	v0.d[0], x4
	mov	v0.d[1], x2		/* entries 0, 1 */
	add	x2, x5, x5
	dup	v4.2d, x2
	add	v1.2d, v0.2d, v4.2d	/* 2, 3 */
	add	v2.2d, v1.2d, v4.2d	/* 4, 5 */
	add	v3.2d, v2.2d, v4.2d	/* 6, 7 */
	add	x2, x2, x2
	add	x2, x2, x2
	dup	v4.2d, x2		/* eight entries' worth */
	mov	x2, x3
13:	stp	q0, q1, [x2], #32
	stp	q2, q3, [x2], #32
	add	v0.2d, v0.2d, v4.2d
	add	v1.2d, v1.2d, v4.2d
	add	v2.2d, v2.2d, v4.2d
	add	v3.2d, v3.2d, v4.2d
	cmp	x2, x8
	b.lo	13b
	ret

wrong_place:
	/* Nothing is known yet (no console): park the CPU. The image must be
	 * loaded at its link address (QEMU virt: RAM base + 2 MiB). */
	wfi
	b	wrong_place
	.size	_start, . - _start
	.ltorg

/* The boot page tables: outside .bss (which is cleared with the MMU on,
 * through them); the linker script places .uk_pt after .bss. */
	.section .uk_pt, "aw", %nobits
	.balign 4096
	.globl	ukplat_kvm_arm64_pt_l0, ukplat_kvm_arm64_pt_l1
	.globl	ukplat_kvm_arm64_pt_l2dev, ukplat_kvm_arm64_pt_l2ram
	.globl	ukplat_kvm_arm64_pt_l3img
ukplat_kvm_arm64_pt_l0:		.skip 4096
ukplat_kvm_arm64_pt_l1:		.skip 4096
ukplat_kvm_arm64_pt_l2dev:	.skip 4096
ukplat_kvm_arm64_pt_l2ram:	.skip 4096
ukplat_kvm_arm64_pt_l3img:	.skip 4096

/* The stacks, each above a guard page (unmapped by mmu.c): the boot stack
 * (SP_EL0 until threads exist), the exception stack (SP_EL1: every
 * exception enters on it) and an emergency stack for an exception inside
 * an exception handler. */
	.section .bss.uk_noinit.stacks, "aw", %nobits
	.balign 4096
	.globl	ukplat_kvm_arm64_boot_stack_guard
	.globl	ukplat_kvm_arm64_boot_stack_bottom, ukplat_kvm_arm64_boot_stack_top
ukplat_kvm_arm64_boot_stack_guard:	.skip 4096
ukplat_kvm_arm64_boot_stack_bottom:	.skip 65536
ukplat_kvm_arm64_boot_stack_top:
	.globl	ukplat_kvm_arm64_exc_stack_guard
	.globl	ukplat_kvm_arm64_exc_stack_bottom, ukplat_kvm_arm64_exc_stack_top
ukplat_kvm_arm64_exc_stack_guard:	.skip 4096
ukplat_kvm_arm64_exc_stack_bottom:	.skip 16384
ukplat_kvm_arm64_exc_stack_top:
	.globl	ukplat_kvm_arm64_nested_stack_guard, ukplat_kvm_arm64_nested_stack_top
ukplat_kvm_arm64_nested_stack_guard:	.skip 4096
	.skip	8192
ukplat_kvm_arm64_nested_stack_top:

	.section .note.GNU-stack, "", %progbits
