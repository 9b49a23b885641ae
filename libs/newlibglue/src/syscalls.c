/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reentrant system calls newlib's libc calls (built with
 * -DREENTRANT_SYSCALLS_PROVIDED: no syscalls directory), and their plain
 * POSIX names, on the syscall shim. Flags, fcntl commands and struct stat
 * are translated to Linux's (abi.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

#include <uk/newlibglue.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/syscall.h>

#include "abi.h"

#define R(r, v) uk_newlibglue_ret((long)(v), &(r)->_errno)
#define RE(v)	uk_newlibglue_ret((long)(v), &errno)

/*
 * Until a file-descriptor library (fdtab) is linked, write() on fds 1 and 2
 * reaches the console directly, so that an image without one still prints.
 */
static long do_write(int fd, const void *buf, size_t n)
{
	long v = uk_syscall_call(write, fd, buf, n);

	if (v == -ENOSYS && (fd == 1 || fd == 2))
		v = (long)ukplat_console_write(buf, n);
	return v;
}

/* Without fdtab, fds 0-2 are the console: a terminal. */
static int do_isatty(int fd, int *err)
{
	struct lx_stat st;
	long v = uk_syscall_call(fstat, fd, &st);

	if (v == -ENOSYS && fd >= 0 && fd <= 2)
		return 1;
	if (v < 0) {
		*err = (int)-v;
		return 0;
	}
	if ((st.st_mode & S_IFMT) != S_IFCHR) {
		*err = ENOTTY;
		return 0;
	}
	return 1;
}

static long do_open(const char *path, int flags, int mode)
{
	long lx = nlg_oflags_to_lx(flags);

	return lx < 0 ? lx : uk_syscall_call(open, path, lx, mode);
}

/* which: 0 fstat(fd), 1 stat(path), 2 lstat(path) */
static long do_stat(int which, int fd, const char *path, struct stat *st)
{
	struct lx_stat lx;
	long v;

	if (which == 0)
		v = uk_syscall_call(fstat, fd, &lx);
	else if (which == 1)
		v = uk_syscall_call(stat, path, &lx);
	else
		v = uk_syscall_call(lstat, path, &lx);
	if (v == 0)
		nlg_stat_from_lx(st, &lx);
	return v;
}

static long do_fcntl(int fd, int cmd, long arg)
{
	long lxcmd = nlg_fcntl_cmd_to_lx(cmd);
	long v;

	if (lxcmd < 0)
		return lxcmd;
	if (cmd == F_SETFL) {
		arg = nlg_oflags_to_lx((int)arg);
		if (arg < 0)
			return arg;
	}
	if (cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW) {
		/* record locks: the layouts and lock types differ */
		struct flock *fl = (struct flock *)arg;
		struct lx_flock lx;

		if (!fl)
			return -EFAULT;
		v = nlg_flock_to_lx(&lx, fl);
		if (v < 0)
			return v;
		v = uk_syscall_call(fcntl, fd, lxcmd, &lx);
		if (cmd == F_GETLK && v >= 0)
			nlg_flock_from_lx(fl, &lx);
		return v;
	}
	v = uk_syscall_call(fcntl, fd, lxcmd, arg);
	if (cmd == F_GETFL && v >= 0)
		v = nlg_oflags_from_lx(v);
	return v;
}

_ssize_t _read_r(struct _reent *r, int fd, void *buf, size_t n)
{
	return R(r, uk_syscall_call(read, fd, buf, n));
}

_ssize_t _write_r(struct _reent *r, int fd, const void *buf, size_t n)
{
	return R(r, do_write(fd, buf, n));
}

int _open_r(struct _reent *r, const char *path, int flags, int mode)
{
	return (int)R(r, do_open(path, flags, mode));
}

int _close_r(struct _reent *r, int fd)
{
	return (int)R(r, uk_syscall_call(close, fd));
}

_off_t _lseek_r(struct _reent *r, int fd, _off_t off, int whence)
{
	return R(r, uk_syscall_call(lseek, fd, off, whence));
}

int _fstat_r(struct _reent *r, int fd, struct stat *st)
{
	return (int)R(r, do_stat(0, fd, NULL, st));
}

int _stat_r(struct _reent *r, const char *path, struct stat *st)
{
	return (int)R(r, do_stat(1, -1, path, st));
}

int _isatty_r(struct _reent *r, int fd)
{
	return do_isatty(fd, &r->_errno);
}

int _link_r(struct _reent *r, const char *old, const char *new)
{
	return (int)R(r, uk_syscall_call(link, old, new));
}

int _unlink_r(struct _reent *r, const char *path)
{
	return (int)R(r, uk_syscall_call(unlink, path));
}

int _rename_r(struct _reent *r, const char *old, const char *new)
{
	return (int)R(r, uk_syscall_call(rename, old, new));
}

int _mkdir_r(struct _reent *r, const char *path, int mode)
{
	return (int)R(r, uk_syscall_call(mkdir, path, mode));
}

int _fcntl_r(struct _reent *r, int fd, int cmd, int arg)
{
	return (int)R(r, do_fcntl(fd, cmd, arg));
}

int _gettimeofday_r(struct _reent *r, struct timeval *tv, void *tz)
{
	return (int)R(r, uk_syscall_call(gettimeofday, tv, tz));
}

clock_t _times_r(struct _reent *r, struct tms *t)
{
	return (clock_t)R(r, uk_syscall_call(times, t));
}

int _kill_r(struct _reent *r, int pid, int sig)
{
	return (int)R(r, uk_syscall_call(kill, pid, sig));
}

int _getpid_r(struct _reent *r)
{
	long v = uk_syscall_call(getpid);

	/* no process library: the image is process 1 */
	return v == -ENOSYS ? 1 : (int)R(r, v);
}

/* malloc & co. are ukalloc's: there is no program break to grow. */
void *_sbrk_r(struct _reent *r, ptrdiff_t incr)
{
	(void)incr;
	r->_errno = ENOMEM;
	return (void *)-1;
}

/* A unikernel has one process. */
int _fork_r(struct _reent *r)
{
	r->_errno = ENOSYS;
	return -1;
}

int _execve_r(struct _reent *r, const char *path, char *const argv[],
	      char *const envp[])
{
	(void)path, (void)argv, (void)envp;
	r->_errno = ENOSYS;
	return -1;
}

int _wait_r(struct _reent *r, int *status)
{
	(void)status;
	r->_errno = ENOSYS;
	return -1;
}

void _exit(int status)
{
	ukplat_exit(status);
}

/* --- the same calls under their POSIX names ------------------------------ */

ssize_t read(int fd, void *buf, size_t n)
{
	return RE(uk_syscall_call(read, fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return RE(do_write(fd, buf, n));
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode = 0;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return (int)RE(do_open(path, flags, mode));
}

int close(int fd)
{
	return (int)RE(uk_syscall_call(close, fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return RE(uk_syscall_call(lseek, fd, off, whence));
}

int fstat(int fd, struct stat *st)
{
	return (int)RE(do_stat(0, fd, NULL, st));
}

int stat(const char *__restrict path, struct stat *__restrict st)
{
	return (int)RE(do_stat(1, -1, path, st));
}

int lstat(const char *__restrict path, struct stat *__restrict st)
{
	return (int)RE(do_stat(2, -1, path, st));
}

int isatty(int fd)
{
	return do_isatty(fd, &errno);
}

int link(const char *old, const char *new)
{
	return (int)RE(uk_syscall_call(link, old, new));
}

int unlink(const char *path)
{
	return (int)RE(uk_syscall_call(unlink, path));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)RE(uk_syscall_call(mkdir, path, mode));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)RE(do_fcntl(fd, cmd, arg));
}

int gettimeofday(struct timeval *__restrict tv, void *__restrict tz)
{
	return (int)RE(uk_syscall_call(gettimeofday, tv, tz));
}

clock_t times(struct tms *t)
{
	return (clock_t)RE(uk_syscall_call(times, t));
}

int kill(pid_t pid, int sig)
{
	return (int)RE(uk_syscall_call(kill, pid, sig));
}

pid_t getpid(void)
{
	return _getpid_r(_REENT);
}
