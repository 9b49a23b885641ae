/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to platforms/linuxu: raw Linux x86_64 system calls. */
#ifndef LINUXU_PRIV_H
#define LINUXU_PRIV_H

#include <stddef.h>

/* Non-zero when the kernel allows wrfsbase (AT_HWCAP2 FSGSBASE). */
extern int ukplat_linuxu_fsgsbase;

long ukplat_linuxu_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			   long a6);

#define SYS_read	 0
#define SYS_write	 1
#define SYS_open	 2
#define SYS_close	 3
#define SYS_poll	 7
#define SYS_lseek	 8
#define SYS_mmap	 9
#define SYS_ioctl	 16
#define SYS_rt_sigaction 13
#define SYS_sigaltstack	 131
#define SYS_exit_group	 231

/*
 * Join argv[1..argc-1] into one command line in `buf` (`cap` bytes), quoting
 * each argument so that ukargparse gives back exactly the same strings.
 * Returns the length, or -1 if it does not fit (buf then holds no line).
 */
long linuxu_join_args(int argc, char *const argv[], char *buf, size_t cap);

#endif
