/* SPDX-License-Identifier: BSD-3-Clause */
/* posixexec internals shared by exec.c and window.c. */
#ifndef PE_IMPL_H
#define PE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <uk/elfloader.h>

struct pe_view;

/* A program a process runs (its posixprocess ext data). */
struct pe_prog {
	struct uk_elf_prog elf;
	void *stack;	    /* guard page + UK_ELF_STACK_SIZE */
	size_t stack_pages; /* pages at `stack` */
	/* a fixed-address (non-PIE) program: its view of the window and the
	 * pages behind it (window.c) */
	struct pe_view *view;
};

/* Load `path` into pr (the window for a fixed-address one). */
int pe_load(struct pe_prog *pr, const char *path);
/* window.c: before loading (the program that is loading), when a process
 * with that program runs (NULL: none), when it goes. */
int pe_window_prepare(struct pe_prog *pr);
void pe_window_switch(struct pe_prog *pr);
void pe_window_drop(struct pe_prog *pr);

#endif
