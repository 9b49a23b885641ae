/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The parts of the Linux user ABI that differ between architectures, for the
 * POSIX libraries (which name them with UK_ prefixes and use no libc header
 * for them): open() flags that moved, struct stat, the packing of struct
 * epoll_event. x86_64 values.
 */
#ifndef UK_ARCH_LINUX_H
#define UK_ARCH_LINUX_H

#include <stdint.h>

#define UKARCH_O_DIRECT	   040000
#define UKARCH_O_LARGEFILE 0100000
#define UKARCH_O_DIRECTORY 0200000
#define UKARCH_O_NOFOLLOW  0400000

/* struct stat (glibc's and musl's have the same layout), 144 bytes */
#define UKARCH_STAT_FIELDS                 \
	uint64_t st_dev;                   \
	uint64_t st_ino;                   \
	uint64_t st_nlink;                 \
	uint32_t st_mode;                  \
	uint32_t st_uid;                   \
	uint32_t st_gid;                   \
	int32_t pad0;                      \
	uint64_t st_rdev;                  \
	int64_t st_size;                   \
	int64_t st_blksize;                \
	int64_t st_blocks;                 \
	int64_t st_atim_sec, st_atim_nsec; \
	int64_t st_mtim_sec, st_mtim_nsec; \
	int64_t st_ctim_sec, st_ctim_nsec; \
	int64_t unused[3];
#define UKARCH_STAT_SIZE 144

/* struct epoll_event is packed (12 bytes) on x86_64 only */
#define UKARCH_EPOLL_PACKED __attribute__((packed))

#endif /* UK_ARCH_LINUX_H */
