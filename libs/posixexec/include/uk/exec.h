/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixexec: execve and execveat (Linux x86_64 semantics, negative errno
 * results): load a static executable (static-PIE, or non-PIE at its link
 * addresses) from the file system with ukelfloader and make it the calling
 * process's program - in a vfork child, a new process (posixprocess).
 *
 * execve copies its arguments first (they may live in the memory that goes
 * away), loads the file (errors: the file's -ENOENT/-EACCES..., -ENOEXEC
 * with the loader's reason logged, -E2BIG, -ENOMEM; nothing changed then),
 * builds Linux's initial stack on a new stack with a guard page, and then
 * passes posixprocess's point of no return (uk_process_exec: close-on-exec
 * descriptors, handlers, other threads, a vfork parent resumes). A program
 * that called it through the `syscall` instruction returns into the new
 * one; a native caller jumps into it (ukarch_linux_enter). Images without the
 * binary system call entry (linuxu) cannot run programs: -ENOEXEC.
 */
#ifndef UK_EXEC_H
#define UK_EXEC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* execve() from C with the loader's sentence on failure in err[errlen]
 * ("not an ELF file (bad magic)", "cannot open: No such file or
 * directory", ...): returns a negative errno, or does not return. */
int uk_exec(const char *path, char *const argv[], char *const envp[], char *err,
	    size_t errlen);

/* Limits of execve's arguments (Linux: MAX_ARG_STRLEN, a quarter of the
 * stack for all of them). */
#define UK_EXEC_MAX_ARGS   4096
#define UK_EXEC_MAX_STRLEN (128 * 1024)
#define UK_EXEC_MAX_BYTES  (512 * 1024)

#ifdef __cplusplus
}
#endif
#endif /* UK_EXEC_H */
