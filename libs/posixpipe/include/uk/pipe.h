/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixpipe: pipes and FIFOs as fdtab files (Linux x86_64 semantics).
 * System calls: pipe, pipe2 (O_CLOEXEC, O_NONBLOCK, O_DIRECT: packet mode).
 * vfscore opens FIFOs (S_IFIFO nodes made by mknod/mkfifo) through
 * uk_pipe_fifo_open(). A 64 KiB buffer per pipe (fcntl F_SETPIPE_SZ: 4 KiB
 * to UK_PIPE_MAX_SIZE, powers of two); writes of at most
 * UK_PIPE_BUF bytes are atomic; writing with no reader left raises SIGPIPE
 * (through the syscall shim's tkill) and fails with -EPIPE.
 * UP, cooperative threads: no locks.
 */
#ifndef UK_PIPE_H
#define UK_PIPE_H

#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_PIPE_BUF  4096  /* atomic write size (PIPE_BUF) */
#define UK_PIPE_SIZE 65536 /* default buffer bytes per pipe (F_GETPIPE_SZ) */
/* F_SETPIPE_SZ's limit (Linux's default /proc/sys/fs/pipe-max-size): -EPERM
 * above it, as for a process without CAP_SYS_RESOURCE */
#define UK_PIPE_MAX_SIZE (1024 * 1024)

/*
 * A new pipe: f[0] the read end, f[1] the write end, one reference each.
 * `flags`: UK_O_NONBLOCK and UK_O_DIRECT (packet mode: each write of up to
 * UK_PIPE_BUF bytes is one packet, each read returns at most one packet and
 * drops what did not fit). Returns 0, -EINVAL (other flags) or -ENOMEM.
 */
int uk_pipe_create(unsigned flags, struct uk_file *f[2]);

/*
 * Open one end of the FIFO whose shared state is *slot (NULL: none yet; it
 * is created, and reset to NULL when the last end closes). `flags` as
 * open() got them: O_RDONLY waits for a writer and O_WRONLY for a reader
 * unless O_NONBLOCK (then a writer without reader gets -ENXIO), O_RDWR
 * never waits. put(arg) is called when the file returned is released
 * (vfscore: drop the FIFO's vnode). Returns 0 with *out referenced,
 * -ENOMEM, -ENXIO or -EINTR.
 */
int uk_pipe_fifo_open(void **slot, unsigned flags, void (*put)(void *arg),
		      void *arg, struct uk_file **out);

/* A new end of the pipe `f` is an end of, opened with `flags` as open()
 * got them (what opening /proc/self/fd/N of a pipe does): 0 with *out
 * referenced, -EINVAL (f is no pipe end, or the access mode is 3) or
 * -ENOMEM. It never waits, even without the other side. */
int uk_pipe_reopen(struct uk_file *f, unsigned flags, struct uk_file **out);

/* Whether `f` is one end of a pipe or FIFO. */
int uk_pipe_is(const struct uk_file *f);

#ifdef __cplusplus
}
#endif
#endif /* UK_PIPE_H */
