/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The parts of the Linux user ABI that differ between architectures, for the
 * POSIX libraries (which name them with UK_ prefixes and use no libc header
 * for them): open() flags that moved, struct stat, the packing of struct
 * epoll_event. arm64 (asm-generic) values.
 */
#ifndef UK_ARCH_LINUX_H
#define UK_ARCH_LINUX_H

#include <stdint.h>

#define UKARCH_O_DIRECTORY 040000
#define UKARCH_O_NOFOLLOW  0100000
#define UKARCH_O_DIRECT	   0200000
#define UKARCH_O_LARGEFILE 0400000

/* struct stat of asm-generic (musl's aarch64 one is the same), 128 bytes */
#define UKARCH_STAT_FIELDS                 \
	uint64_t st_dev;                   \
	uint64_t st_ino;                   \
	uint32_t st_mode;                  \
	uint32_t st_nlink;                 \
	uint32_t st_uid;                   \
	uint32_t st_gid;                   \
	uint64_t st_rdev;                  \
	uint64_t pad1;                     \
	int64_t st_size;                   \
	int32_t st_blksize;                \
	int32_t pad2;                      \
	int64_t st_blocks;                 \
	int64_t st_atim_sec, st_atim_nsec; \
	int64_t st_mtim_sec, st_mtim_nsec; \
	int64_t st_ctim_sec, st_ctim_nsec; \
	uint32_t unused[2];
#define UKARCH_STAT_SIZE 128

/* struct epoll_event is naturally aligned (16 bytes) here */
#define UKARCH_EPOLL_PACKED

#endif /* UK_ARCH_LINUX_H */
