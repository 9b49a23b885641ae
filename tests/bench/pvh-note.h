/* The PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY = 18) pointing at _start32. */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 8, 18
	.asciz "Xen"
	.balign 4
	.quad _start32
	.balign 4
