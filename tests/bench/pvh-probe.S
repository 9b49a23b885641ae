/* KVM probe: enables SSE, runs one SSE instruction and exits with status 42
 * (QEMU exit code 85). A /dev/kvm that cannot run real guests fails here. */
#include "pvh-note.inc"
	.text
	.code32
	.globl _start32
_start32:
	movl %cr0, %eax
	andl $~0xc, %eax        /* EM, TS off */
	orl $0x2, %eax          /* MP on */
	movl %eax, %cr0
	movl %cr4, %eax
	orl $0x600, %eax        /* OSFXSR, OSXMMEXCPT */
	movl %eax, %cr4
	xorps %xmm0, %xmm0
	addps %xmm0, %xmm0
	movb $42, %al
	outb %al, $0xf4
1:	hlt
	jmp 1b
