/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlib's values and structures <-> the Linux x86_64 ones the POSIX
 * libraries implement (fdtab's UK_O_*, struct uk_stat, posixtime's clock
 * ids). Error numbers need no translation: those libraries return the
 * libc's <errno.h> values, i.e. newlib's.
 */
#ifndef NEWLIBGLUE_ABI_H
#define NEWLIBGLUE_ABI_H

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

/* struct stat of Linux x86_64 */
struct lx_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid;
	int32_t pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atim_sec, st_atim_nsec;
	int64_t st_mtim_sec, st_mtim_nsec;
	int64_t st_ctim_sec, st_ctim_nsec;
	int64_t unused[3];
};

/* struct flock of Linux x86_64 */
struct lx_flock {
	int16_t l_type, l_whence;
	int32_t pad0;
	int64_t l_start, l_len;
	int32_t l_pid, pad1;
};

/* open()/F_SETFL flags: Linux value, or -EINVAL for a flag Linux lacks */
long nlg_oflags_to_lx(int flags);
/* ... and back (F_GETFL); Linux bits newlib has no name for are dropped */
int nlg_oflags_from_lx(long lx);
/* fcntl command: Linux value, or -EINVAL */
long nlg_fcntl_cmd_to_lx(int cmd);
/* newlib flock -> Linux flock: 0, or -EINVAL for an unknown lock type */
int nlg_flock_to_lx(struct lx_flock *lx, const struct flock *fl);
/* ... and back (F_GETLK's answer; l_pid saturates at newlib's short) */
void nlg_flock_from_lx(struct flock *fl, const struct lx_flock *lx);
/* clock id: Linux value, or -EINVAL */
long nlg_clock_to_lx(clockid_t clk);
/* Linux stat -> newlib stat */
void nlg_stat_from_lx(struct stat *st, const struct lx_stat *lx);

#endif
