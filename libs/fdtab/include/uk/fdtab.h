/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file descriptor table: descriptors -> struct uk_file (<uk/file.h>),
 * lowest free descriptor first, a close-on-exec flag per descriptor, grown on
 * demand up to a limit (default 1024 like Linux's RLIMIT_NOFILE soft limit,
 * at most UK_FDTAB_MAX). One table per process (see below). UP: no locks.
 *
 * System calls (uk_syscall_r_*): close dup dup2 dup3 fcntl read write readv
 * writev pread64 pwrite64 preadv pwritev lseek fstat ioctl fsync fdatasync
 * ftruncate getdents64 preadv2 pwritev2 sendfile copy_file_range; fcntl's
 * lock commands go to the registered lock ops (<uk/file.h>).
 */
#ifndef UK_FDTAB_H
#define UK_FDTAB_H

#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_FDTAB_DEFAULT_LIMIT 1024
#define UK_FDTAB_MAX	       65536

#define UK_FD_CLOEXEC 1 /* FD_CLOEXEC */

/*
 * Install `f` at the lowest free descriptor, taking over the caller's
 * reference. `flags`: UK_O_CLOEXEC or 0. Returns the descriptor, or -EMFILE
 * (the limit is reached) / -ENOMEM; on error the reference stays the caller's.
 */
int uk_fdtab_alloc(struct uk_file *f, unsigned flags);

/* Like uk_fdtab_alloc() but at the lowest free descriptor >= `min`. */
int uk_fdtab_alloc_from(struct uk_file *f, unsigned flags, int min);

/* The file at `fd` with a new reference (drop it with uk_file_put()), or
 * NULL if `fd` is not open. */
struct uk_file *uk_fdtab_get(int fd);

/* The lowest open descriptor >= fd, or -1 if there is none. */
int uk_fdtab_next(int fd);

/* Set the limit: descriptors are < `limit`. Descriptors already open above
 * it stay open. Returns 0, or -EINVAL for 0 or more than UK_FDTAB_MAX. */
int uk_fdtab_set_limit(unsigned limit);
unsigned uk_fdtab_get_limit(void);

/* Close every descriptor with the close-on-exec flag (for execve). */
void uk_fdtab_close_on_exec(void);

/*
 * Tables per process (posixprocess's processes): the calls above work on
 * the current table; posixprocess makes another one current whenever a
 * thread of another process runs.
 */
struct uk_fdtab;
/* The current table. */
struct uk_fdtab *uk_fdtab_current(void);
/* For a new process: a copy of the current table (every descriptor with its
 * close-on-exec flag; each file gets a reference), or with `share` the
 * current table itself with one more user (CLONE_FILES). NULL: no memory. */
struct uk_fdtab *uk_fdtab_clone(int share);
/* Make `t` current (NULL: the image's first table). */
void uk_fdtab_switch(struct uk_fdtab *t);
/* One user less; the last one closes every descriptor of `t` and frees it.
 * The current table stays current unless it was `t`. */
void uk_fdtab_release(struct uk_fdtab *t);

/* Run by the init table (UK_INIT_EARLY, 9): the console at fds 0, 1, 2.
 * Exposed for native tests, which have no init table. */
int uk_fdtab_init(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_FDTAB_H */
