/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixlock: file locks as one process with many threads sees them (Linux
 * x86_64 semantics). fcntl F_GETLK/F_SETLK/F_SETLKW (POSIX record locks,
 * owned by the process: its threads never conflict with each other, and
 * closing any descriptor of a file drops them), F_OFD_GETLK/F_OFD_SETLK/
 * F_OFD_SETLKW (owned by the open file description: they conflict between
 * descriptions and with the process's POSIX locks), and flock (whole-file,
 * owned by the description, a separate set from fcntl's). Blocking requests
 * sleep until the conflict goes; a wait that would close a cycle of owners
 * fails with -EDEADLK. Files are told apart by fstat's (st_dev, st_ino).
 * The lock commands reach this library through fdtab's lock ops, which it
 * registers at init (uk_posixlock_init). UP, cooperative: no locks.
 */
#ifndef UK_POSIXLOCK_H
#define UK_POSIXLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_F_RDLCK 0
#define UK_F_WRLCK 1
#define UK_F_UNLCK 2

#define UK_LOCK_SH 1
#define UK_LOCK_EX 2
#define UK_LOCK_NB 4
#define UK_LOCK_UN 8

/* struct flock of Linux x86_64 */
struct uk_flock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};

/* Register the lock ops with fdtab (the init table does, UK_INIT_LIB).
 * Exposed for native tests. Returns 0. */
int uk_posixlock_init(void);

/* Number of locks held (all kinds), for tests. */
unsigned uk_posixlock_count(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXLOCK_H */
