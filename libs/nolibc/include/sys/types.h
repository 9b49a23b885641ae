/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <sys/types.h>: the few POSIX types unikit libraries use (LP64). */
#ifndef __NOLIBC_SYS_TYPES_H
#define __NOLIBC_SYS_TYPES_H

#define __need_size_t
#include <stddef.h>

#if __SIZEOF_SIZE_T__ == __SIZEOF_LONG__
typedef long ssize_t;
#else
typedef int ssize_t;
#endif
#if __SIZEOF_LONG__ == 8
typedef long off_t;
#else
typedef long long off_t; /* always 64-bit */
#endif
typedef int pid_t;

#endif /* __NOLIBC_SYS_TYPES_H */
