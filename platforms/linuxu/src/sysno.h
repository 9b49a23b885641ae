/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host system calls plat-linuxu makes, by their numbers on the
 * architecture the image is built for (<uk/arch/syscall_list.h>, Linux's
 * tables). Only calls that every Linux architecture has: openat, not open,
 * and ppoll, not poll (arm64 and the other asm-generic ones have neither).
 * What differs beyond the numbers is in <arch>/arch.c.
 */
#ifndef LINUXU_SYSNO_H
#define LINUXU_SYSNO_H

#include <uk/arch/syscall_list.h>

#define SYS_read	    UK_SYSCALL_NR_read
#define SYS_write	    UK_SYSCALL_NR_write
#define SYS_openat	    UK_SYSCALL_NR_openat
#define SYS_close	    UK_SYSCALL_NR_close
#define SYS_ppoll	    UK_SYSCALL_NR_ppoll
#define SYS_lseek	    UK_SYSCALL_NR_lseek
#define SYS_mmap	    UK_SYSCALL_NR_mmap
#define SYS_mprotect	    UK_SYSCALL_NR_mprotect
#define SYS_ioctl	    UK_SYSCALL_NR_ioctl
#define SYS_rt_sigaction    UK_SYSCALL_NR_rt_sigaction
#define SYS_sigaltstack	    UK_SYSCALL_NR_sigaltstack
#define SYS_exit_group	    UK_SYSCALL_NR_exit_group
#define SYS_clock_gettime   UK_SYSCALL_NR_clock_gettime
#define SYS_clock_getres    UK_SYSCALL_NR_clock_getres
#define SYS_clock_nanosleep UK_SYSCALL_NR_clock_nanosleep

#define LINUXU_AT_FDCWD (-100)

#endif
