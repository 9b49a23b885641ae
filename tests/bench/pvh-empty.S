/* The baseline for `unikit bench boot`: a PVH kernel whose first instruction
 * already exits (isa-debug-exit, status 0). Whatever QEMU spends on top of
 * this is the cost of a unikit boot. */
#include "pvh-note.inc"
	.text
	.code32
	.globl _start32
_start32:
	movb $0, %al
	outb %al, $0xf4
1:	hlt
	jmp 1b
