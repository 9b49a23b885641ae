/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * execve: load a static executable from the file system with ukelfloader
 * and make it the calling process's program (see <uk/exec.h>).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/arch/syscall.h>
#include <uk/elfloader.h>
#include <uk/exec.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "exec_impl.h"

/* uksyscallbin's: present when the image takes the `syscall` instruction */
extern uintptr_t uk_syscall_aux_sp __attribute__((weak));
#pragma weak uk_thread_current

#define PAGE 4096UL

static void prog_free(struct pe_prog *pr)
{
	if (pr->elf.mem)
		uk_elf_unload(&pr->elf);
	if (pr->stack) {
		ukplat_page_guard(pr->stack, 0);
		uk_pfree(uk_alloc_get_default(), pr->stack, pr->stack_pages);
	}
	pe_window_drop(pr);
	free(pr);
}

static void ext_release(void *data)
{
	prog_free(data);
}

static void ext_switch(void *data)
{
	pe_window_switch(data);
}

static const struct uk_process_ext_ops ext_ops = {
	.switch_to = ext_switch,
	.release = ext_release,
};

/* ---- the arguments, copied before the old program goes ---- */

struct strv {
	char **v; /* count + 1 pointers into buf */
	int count;
	char *buf;
};

static void strv_free(struct strv *s)
{
	free(s->v);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

/* Copy a NULL-terminated vector of strings (NULL: an empty one), using at
 * most *budget bytes of strings. -E2BIG beyond the limits, -ENOMEM. */
static int strv_copy(struct strv *s, char *const *v, size_t *budget)
{
	size_t total = 0, off = 0;
	int n = 0;

	memset(s, 0, sizeof(*s));
	/* bounded by UK_EXEC_MAX_ARGS and the budget */
	while (v && v[n]) {
		size_t len = strnlen(v[n], UK_EXEC_MAX_STRLEN + 1);

		if (len > UK_EXEC_MAX_STRLEN || n >= UK_EXEC_MAX_ARGS)
			return -E2BIG;
		total += len + 1;
		if (total > *budget)
			return -E2BIG;
		n++;
	}
	s->v = calloc((size_t)n + 1, sizeof(char *));
	s->buf = malloc(total ? total : 1);
	if (!s->v || !s->buf) {
		strv_free(s);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		memcpy(s->buf + off, v[i], len);
		s->v[i] = s->buf + off;
		off += len;
	}
	s->count = n;
	*budget -= total;
	return 0;
}

/* ---- entering ---- */

/* The binary path: the system call returns into the new program, with
 * Linux's registers at a program's start (the architecture's: all 0,
 * interrupts on, the FPU at its reset state). */
static void enter_frame(struct ukarch_syscall_frame *f, uintptr_t entry,
			uintptr_t sp)
{
	ukarch_syscall_frame_exec(f, entry, sp);
	uk_syscall_exit_work = 1; /* every register from the frame */
}

int pe_load(struct pe_prog *pr, const char *path)
{
	int rc = pe_window_prepare(pr);

	if (rc < 0)
		return rc;
	return uk_elf_load_file(&pr->elf, path);
}

int uk_exec(const char *path, char *const argv[], char *const envp[], char *err,
	    size_t errlen)
{
	struct ukarch_syscall_frame *f = uk_syscall_frame_current();
	struct strv a = {0}, e = {0}, p = {0};
	char *const pathv[2] = {(char *)path, NULL};
	size_t budget = UK_EXEC_MAX_BYTES;
	struct pe_prog *pr;
	long sp;
	int rc;

	if (err && errlen)
		err[0] = 0;
	if (!path)
		return -EFAULT;
	if (!&uk_syscall_aux_sp) {
		if (err)
			snprintf(err, errlen,
				 "this image cannot run Linux programs (no "
				 "`syscall` entry: kvm images with "
				 "uksyscallbin)");
		return -ENOEXEC;
	}
	static int hooked;
	if (!hooked) {
		uk_process_set_ext_ops(&ext_ops);
		hooked = 1;
	}
	rc = strv_copy(&p, pathv, &budget);
	if (!rc)
		rc = strv_copy(&a, argv, &budget);
	if (!rc)
		rc = strv_copy(&e, envp, &budget);
	if (rc)
		goto out;
	pr = calloc(1, sizeof(*pr));
	if (!pr) {
		rc = -ENOMEM;
		goto out;
	}
	rc = pe_load(pr, p.v[0]);
	if (rc < 0) {
		if (err)
			snprintf(err, errlen, "%s", pr->elf.err);
		prog_free(pr);
		goto out;
	}
	pr->stack_pages = UK_ELF_STACK_SIZE / PAGE + 1;
	pr->stack = uk_palloc(uk_alloc_get_default(), pr->stack_pages);
	if (!pr->stack) {
		rc = -ENOMEM;
		prog_free(pr);
		goto out;
	}
	if (ukplat_page_guard(pr->stack, 1))
		uk_pr_debug("execve: stack without a guard page");
	sp = uk_elf_stack_init(&pr->elf, (char *)pr->stack + PAGE,
			       UK_ELF_STACK_SIZE, a.count, a.v, e.v, p.v[0],
			       NULL);
	if (sp < 0) {
		rc = (int)sp;
		prog_free(pr);
		goto out;
	}
	/* the point of no return */
	rc = uk_process_exec(p.v[0], pr);
	if (rc < 0) {
		prog_free(pr);
		goto out;
	}
	if (uk_thread_current()) {
		uk_thread_current()->clear_tid = NULL;
		uk_thread_current()->robust_list = NULL;
	}
	strv_free(&a);
	strv_free(&e);
	strv_free(&p);
	if (f) {
		enter_frame(f, pr->elf.entry, (uintptr_t)sp);
		return 0;
	}
	ukarch_linux_enter(pr->elf.entry, (uintptr_t)sp); /* native caller */
out:
	strv_free(&a);
	strv_free(&e);
	strv_free(&p);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, execve, const char *, path, char *const *, argv,
		    char *const *, envp)
{
	char err[UK_ELF_ERRLEN];
	int rc = uk_exec(path, argv, envp, err, sizeof(err));

	/* a missing file is what PATH searches meet all the time */
	if (rc < 0 && rc != -ENOENT && rc != -ENOTDIR && err[0])
		uk_pr_warn("execve %s: %s", path, err);
	return rc;
}

/* uk-syscall-partial(execveat): a relative path with a directory
 * descriptor other than AT_FDCWD answers ENOSYS */
UK_SYSCALL_R_DEFINE(int, execveat, int, dirfd, const char *, path,
		    char *const *, argv, char *const *, envp, int, flags)
{
	/* AT_FDCWD with a path, or an absolute path: plain execve */
	if (flags & ~0x1000 /* AT_EMPTY_PATH */)
		return -EINVAL;
	if (!path)
		return -EFAULT;
	if (path[0] != '/' && dirfd != -100 /* AT_FDCWD */)
		return -ENOSYS; /* relative to a directory descriptor: not yet
				 */
	if (!path[0])
		return -ENOENT;
	return uk_syscall_call(execve, path, argv, envp);
}
