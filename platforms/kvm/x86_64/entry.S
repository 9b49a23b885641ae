/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PVH entry for kvm/x86_64.
 *
 * The loader (QEMU -kernel, Firecracker-style VMMs) finds the 32-bit entry
 * point in the XEN_ELFNOTE_PHYS32_ENTRY note and jumps there in flat 32-bit
 * protected mode, paging off, with %ebx = physical address of the
 * hvm_start_info structure. We stamp the TSC, build page tables for the first
 * GiB (2 MiB pages; the first 2 MiB with 4 KiB pages so that page 0 can be
 * unmapped), enter long mode with SSE enabled, and call
 * ukplat_kvm_entry(start_info) on the boot stack. Page 0 is still mapped then:
 * loaders put boot data there (SeaBIOS' PVH option ROM puts the memory map at
 * 0x5a8); the platform copies what it needs and unmaps page 0 before any
 * library code runs, so that a NULL dereference faults.
 *
 * The page tables and stacks live in .bss, which the loader zero-fills
 * (ELF p_memsz > p_filesz), so no clearing loop is needed here.
 *
 * Multiboot2 (GRUB's `multiboot2` command, from a disk): the header below
 * (first in the image, where GRUB looks) names _mb2_start32 as the entry.
 * GRUB enters it in the same state as PVH (flat 32-bit protected mode,
 * paging off) with %eax = the multiboot2 magic and %ebx = its boot
 * information; the entry records %ebx and joins the PVH path, and C turns
 * that information into a PVH start_info (src/mb2.c). GRUB's GDT and stack
 * are not used (neither is needed before our own are loaded).
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289
#define MB2_ARCH_I386 0

#define PTE_P 0x001
#define PTE_W 0x002
#define PTE_PS 0x080

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_WP 0x00010000 /* read-only pages bind the kernel too */
#define CR0_PG 0x80000000
#define CR4_PAE 0x020
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define EFER_NXE 0x800
#define CPUID_NX (1 << 20) /* CPUID 0x80000001 EDX */

	.section .note.Xen, "a", @note
	.balign 4
	.long 4                         /* namesz: "Xen\0" */
	.long 8                         /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY  /* type */
	.asciz "Xen"
	.balign 4
	.quad _pvh_start32
	.balign 4

	/* multiboot2 header: magic, architecture, length, checksum, then
	 * tags (8-aligned): the entry address, the end tag */
	.section .multiboot2, "a", @progbits
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	.word 3, 0                      /* entry address tag */
	.long 12
	.long _mb2_start32
	.balign 8
	.word 0, 0                      /* end tag */
	.long 8
mb2_header_end:

	.section .text.boot, "ax", @progbits
	.code32
	.globl _mb2_start32
	.type _mb2_start32, @function
_mb2_start32:
	cmpl $MB2_BOOT_MAGIC, %eax
	jne 9f
	movl %ebx, ukplat_kvm_mb2_info  /* setup.c converts it */
	xorl %ebx, %ebx                 /* no PVH start_info */
	jmp _pvh_start32
9:	cli                             /* not a multiboot2 loader: stop */
	hlt
	jmp 9b
	.size _mb2_start32, . - _mb2_start32

	.globl _pvh_start32
	.type _pvh_start32, @function
_pvh_start32:
	rdtsc
	movl %eax, ukplat_kvm_tsc_at_entry
	movl %edx, ukplat_kvm_tsc_at_entry + 4
	movl %ebx, %esi                 /* keep start_info in %esi */

	/* No-execute: if the CPU has it, %ebp holds the high word of every
	 * data mapping (bit 63 = NX) and EFER.NXE is turned on below. */
	xorl %ebp, %ebp
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb 0f
	movl $0x80000001, %eax
	cpuid
	testl $CPUID_NX, %edx
	jz 0f
	movl $0x80000000, %ebp
0:

	/* PML4[0] -> PDPT, PDPT[0] -> PD (0-1 GiB), PD[0] -> PT (0-2 MiB) */
	movl $(kvm_pdpt + PTE_P + PTE_W), kvm_pml4
	movl $(kvm_pd + PTE_P + PTE_W), kvm_pdpt
	movl $(kvm_pt0 + PTE_P + PTE_W), kvm_pd

	/* PD[1..511]: 2 MiB pages from 2 MiB up to 1 GiB, no-execute */
	movl $(kvm_pd + 8), %edi
	movl $(0x200000 + PTE_P + PTE_W + PTE_PS), %eax
	movl $511, %ecx
1:	movl %eax, (%edi)
	movl %ebp, 4(%edi)
	addl $0x200000, %eax
	addl $8, %edi
	decl %ecx
	jnz 1b

	/* PT[0..511]: 4 KiB pages for the first 2 MiB; all but the image's
	 * pages no-execute (the platform then makes the image W^X) */
	movl $kvm_pt0, %edi
	movl $(PTE_P + PTE_W), %eax
	movl $512, %ecx
2:	movl %eax, (%edi)
	cmpl $__uk_image_start, %eax
	jb 3f
	cmpl $__uk_image_end, %eax
	jb 4f
3:	movl %ebp, 4(%edi)
4:	addl $0x1000, %eax
	addl $8, %edi
	decl %ecx
	jnz 2b

	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $kvm_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	testl %ebp, %ebp
	jz 5f
	orl $EFER_NXE, %eax
5:	wrmsr
	movl %cr0, %eax
	andl $~(CR0_EM | CR0_TS), %eax
	orl $(CR0_PG | CR0_PE | CR0_MP | CR0_WP), %eax
	movl %eax, %cr0

	lgdt ukplat_kvm_gdt_ptr
	ljmp $0x08, $_start64

	.code64
_start64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $ukplat_kvm_boot_stack_top, %rsp
	xorl %ebp, %ebp                 /* ends the backtrace chain */
	fninit
	movl %esi, %edi                 /* start_info, zero-extended */
	call ukplat_kvm_entry
	/* not reached */
3:	cli
	hlt
	jmp 3b
	.size _pvh_start32, . - _pvh_start32

/* GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18, 16 bytes, filled
 * in by C). */
	.section .data.boot_gdt, "aw", @progbits
	.balign 16
	.globl ukplat_kvm_gdt
ukplat_kvm_gdt:
	.quad 0
	.quad 0x00af9a000000ffff
	.quad 0x00cf92000000ffff
	.quad 0, 0
ukplat_kvm_gdt_end:
	.balign 8
	.globl ukplat_kvm_gdt_ptr
ukplat_kvm_gdt_ptr:
	.word ukplat_kvm_gdt_end - ukplat_kvm_gdt - 1
	.quad ukplat_kvm_gdt

	.section .bss.boot_pagetables, "aw", @nobits
	.balign 4096
	.globl kvm_pml4, kvm_pdpt, kvm_pd, kvm_pt0
kvm_pml4:	.skip 4096
kvm_pdpt:	.skip 4096
kvm_pd:		.skip 4096
kvm_pt0:	.skip 4096

	.section .bss.boot_stack, "aw", @nobits
	.balign 4096
	/* Unmapped at boot: a stack overflow faults here instead of
	 * overwriting what lies below. */
	.globl ukplat_kvm_boot_stack_guard
ukplat_kvm_boot_stack_guard:
	.skip 4096
	.globl ukplat_kvm_boot_stack_bottom, ukplat_kvm_boot_stack_top
ukplat_kvm_boot_stack_bottom:
	.skip 16384
ukplat_kvm_boot_stack_top:
