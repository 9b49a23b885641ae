/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unikit's <sys/mman.h> for newlib (which has none): memory mappings with
 * Linux x86_64 flag values, passed unchanged to the system calls
 * (libs/posixmmap; libs/newlibglue implements the functions: errors set
 * errno, mmap and mremap then return MAP_FAILED).
 */
#ifndef _SYS_MMAN_H_
#define _SYS_MMAN_H_

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE  0x8000
#define MAP_FAILED    ((void *)-1)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC	      4

#define MADV_NORMAL	      0
#define MADV_RANDOM	      1
#define MADV_SEQUENTIAL	      2
#define MADV_WILLNEED	      3
#define MADV_DONTNEED	      4
#define POSIX_MADV_NORMAL     MADV_NORMAL
#define POSIX_MADV_RANDOM     MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED   MADV_WILLNEED
#define POSIX_MADV_DONTNEED   MADV_DONTNEED

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);
int madvise(void *addr, size_t len, int advice);
int posix_madvise(void *addr, size_t len, int advice);
/* the optional fifth argument (new address) only with MREMAP_FIXED */
void *mremap(void *old, size_t oldlen, size_t newlen, int flags, ...);

#ifdef __cplusplus
}
#endif

#endif
