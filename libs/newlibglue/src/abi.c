/* SPDX-License-Identifier: BSD-3-Clause */
/* newlib <-> Linux x86_64 values; see abi.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "abi.h"

/* Linux x86_64 open flags (what the POSIX libraries take) */
#define LX_O_CREAT     0100
#define LX_O_EXCL      0200
#define LX_O_NOCTTY    0400
#define LX_O_TRUNC     01000
#define LX_O_APPEND    02000
#define LX_O_NONBLOCK  04000
#define LX_O_SYNC      04010000
#define LX_O_ASYNC     020000
#define LX_O_DIRECT    040000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW  0400000
#define LX_O_CLOEXEC   02000000
#define LX_O_PATH      010000000

static const struct {
	int nl;
	long lx;
} oflags[] = {
	{O_APPEND, LX_O_APPEND},     {O_CREAT, LX_O_CREAT},
	{O_TRUNC, LX_O_TRUNC},	     {O_EXCL, LX_O_EXCL},
	{O_SYNC, LX_O_SYNC},	     {O_NONBLOCK, LX_O_NONBLOCK},
	{O_NOCTTY, LX_O_NOCTTY},     {O_CLOEXEC, LX_O_CLOEXEC},
	{O_NOFOLLOW, LX_O_NOFOLLOW}, {O_DIRECTORY, LX_O_DIRECTORY},
	{O_DIRECT, LX_O_DIRECT},     {_FASYNC, LX_O_ASYNC},
	{O_SEARCH, LX_O_PATH},
};
#define NFLAGS (sizeof(oflags) / sizeof(oflags[0]))

long nlg_oflags_to_lx(int flags)
{
	long lx = flags & O_ACCMODE; /* 0, 1, 2 on both */
	int known = O_ACCMODE;

	for (unsigned int i = 0; i < NFLAGS; i++) {
		known |= oflags[i].nl;
		if (flags & oflags[i].nl)
			lx |= oflags[i].lx;
	}
#ifdef O_BINARY
	/* O_BINARY/O_TEXT mean nothing here; anything else is unknown */
	flags &= ~(O_BINARY | O_TEXT);
#endif
	return (flags & ~known) ? -EINVAL : lx;
}

int nlg_oflags_from_lx(long lx)
{
	int flags = (int)(lx & 3);

	for (unsigned int i = 0; i < NFLAGS; i++)
		if ((lx & oflags[i].lx) == oflags[i].lx)
			flags |= oflags[i].nl;
	return flags;
}

long nlg_fcntl_cmd_to_lx(int cmd)
{
	switch (cmd) {
	case F_DUPFD:
		return 0;
	case F_GETFD:
		return 1;
	case F_SETFD:
		return 2;
	case F_GETFL:
		return 3;
	case F_SETFL:
		return 4;
	case F_GETOWN:
		return 9;
	case F_SETOWN:
		return 8;
	case F_DUPFD_CLOEXEC:
		return 1030;
	case F_GETLK:
		return 5;
	case F_SETLK:
		return 6;
	case F_SETLKW:
		return 7;
	default:
		return -EINVAL;
	}
}

int nlg_flock_to_lx(struct lx_flock *lx, const struct flock *fl)
{
	memset(lx, 0, sizeof(*lx));
	switch (fl->l_type) {
	case F_RDLCK:
		lx->l_type = 0;
		break;
	case F_WRLCK:
		lx->l_type = 1;
		break;
	case F_UNLCK:
		lx->l_type = 2;
		break;
	default:
		return -EINVAL;
	}
	lx->l_whence = fl->l_whence; /* SEEK_* agree */
	lx->l_start = fl->l_start;
	lx->l_len = fl->l_len;
	lx->l_pid = fl->l_pid;
	return 0;
}

void nlg_flock_from_lx(struct flock *fl, const struct lx_flock *lx)
{
	static const short types[] = {F_RDLCK, F_WRLCK, F_UNLCK};

	fl->l_type =
		lx->l_type >= 0 && lx->l_type < 3 ? types[lx->l_type] : F_UNLCK;
	fl->l_whence = lx->l_whence;
	fl->l_start = lx->l_start;
	fl->l_len = lx->l_len;
	/* newlib's l_pid is a short */
	fl->l_pid = lx->l_pid > 0x7fff ? 0x7fff : (short)lx->l_pid;
}

long nlg_clock_to_lx(clockid_t clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
		return 0;
	case CLOCK_MONOTONIC:
		return 1;
#ifdef CLOCK_PROCESS_CPUTIME_ID
	case CLOCK_PROCESS_CPUTIME_ID:
		return 2;
#endif
#ifdef CLOCK_THREAD_CPUTIME_ID
	case CLOCK_THREAD_CPUTIME_ID:
		return 3;
#endif
#ifdef CLOCK_MONOTONIC_RAW
	case CLOCK_MONOTONIC_RAW:
		return 4;
#endif
#ifdef CLOCK_REALTIME_COARSE
	case CLOCK_REALTIME_COARSE:
		return 5;
#endif
#ifdef CLOCK_MONOTONIC_COARSE
	case CLOCK_MONOTONIC_COARSE:
		return 6;
#endif
#ifdef CLOCK_BOOTTIME
	case CLOCK_BOOTTIME:
		return 7;
#endif
	default:
		return -EINVAL;
	}
}

void nlg_stat_from_lx(struct stat *st, const struct lx_stat *lx)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = lx->st_dev;
	st->st_ino = lx->st_ino;
	st->st_mode = lx->st_mode; /* S_IF* and permission bits agree */
	/* newlib's nlink_t is 16 bits */
	st->st_nlink = lx->st_nlink > 0xffff ? 0xffff : (nlink_t)lx->st_nlink;
	st->st_uid = lx->st_uid;
	st->st_gid = lx->st_gid;
	st->st_rdev = lx->st_rdev;
	st->st_size = lx->st_size;
	st->st_blksize = lx->st_blksize;
	st->st_blocks = lx->st_blocks;
	st->st_atim.tv_sec = lx->st_atim_sec;
	st->st_atim.tv_nsec = lx->st_atim_nsec;
	st->st_mtim.tv_sec = lx->st_mtim_sec;
	st->st_mtim.tv_nsec = lx->st_mtim_nsec;
	st->st_ctim.tv_sec = lx->st_ctim_sec;
	st->st_ctim.tv_nsec = lx->st_ctim_nsec;
}
