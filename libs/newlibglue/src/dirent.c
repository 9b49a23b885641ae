/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opendir & co. on getdents64. Linux's records are
 *   u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[];
 * copied into newlib's struct dirent (unikit's <sys/dirent.h>: the same
 * fields, d_name[256]). Every record is checked against the bytes the call
 * returned, so a bad filesystem gets EIO, never an overrun.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uk/newlibglue.h>
#include <uk/syscall.h>

#define DIRBUF	2048
#define REC_HDR 19 /* d_ino, d_off, d_reclen, d_type */

struct __unikit_dir {
	int fd;
	size_t pos, len;
	struct dirent ent;
	unsigned char buf[DIRBUF] __attribute__((aligned(8)));
};

/* open flags as the POSIX libraries take them (Linux x86_64) */
#define LX_O_DIRECTORY 0200000
#define LX_O_CLOEXEC   02000000

DIR *fdopendir(int fd)
{
	DIR *d = malloc(sizeof(*d));

	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

DIR *opendir(const char *path)
{
	long fd = uk_syscall_call(open, path, LX_O_DIRECTORY | LX_O_CLOEXEC, 0);
	DIR *d;

	if (uk_newlibglue_ret(fd, &errno) < 0)
		return NULL;
	d = fdopendir((int)fd);
	if (!d)
		uk_syscall_call(close, fd);
	return d;
}

/* Next record into d->ent: 1, 0 at the end, -errno on error. */
static int next(DIR *d)
{
	const unsigned char *p;
	uint16_t reclen;
	size_t namelen;

	if (d->pos >= d->len) {
		long n = uk_syscall_call(getdents64, d->fd, d->buf, DIRBUF);

		if (n < 0)
			return (int)n;
		if (n == 0)
			return 0;
		if ((size_t)n > DIRBUF)
			return -EIO;
		d->len = (size_t)n;
		d->pos = 0;
	}
	p = d->buf + d->pos;
	if (d->len - d->pos < REC_HDR + 1)
		return -EIO;
	memcpy(&reclen, p + 16, sizeof(reclen));
	if (reclen < REC_HDR + 1 || reclen > d->len - d->pos)
		return -EIO;
	namelen = strnlen((const char *)p + REC_HDR, reclen - REC_HDR);
	if (namelen == (size_t)(reclen - REC_HDR) ||
	    namelen >= sizeof(d->ent.d_name))
		return -EIO;
	uint64_t ino;
	int64_t off;

	memcpy(&ino, p, 8);
	memcpy(&off, p + 8, 8);
	d->ent.d_ino = (ino_t)ino;
	d->ent.d_off = (off_t)off;
	d->ent.d_reclen = (unsigned short)sizeof(d->ent);
	d->ent.d_type = p[18];
	memcpy(d->ent.d_name, p + REC_HDR, namelen + 1);
	d->pos += reclen;
	return 1;
}

struct dirent *readdir(DIR *d)
{
	int r = next(d);

	if (r < 0)
		errno = -r;
	return r > 0 ? &d->ent : NULL;
}

int readdir_r(DIR *__restrict d, struct dirent *__restrict ent,
	      struct dirent **__restrict res)
{
	int r = next(d);

	*res = NULL;
	if (r < 0)
		return -r;
	if (r > 0) {
		*ent = d->ent;
		*res = ent;
	}
	return 0;
}

void rewinddir(DIR *d)
{
	uk_syscall_call(lseek, d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	long r = uk_syscall_call(close, d->fd);

	free(d);
	return (int)uk_newlibglue_ret(r, &errno);
}
