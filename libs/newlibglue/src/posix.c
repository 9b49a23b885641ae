/* SPDX-License-Identifier: BSD-3-Clause */
/* POSIX functions newlib declares but does not implement, on the shim. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <uk/newlibglue.h>
#include <uk/syscall.h>

#include "abi.h"

#define RE(v) uk_newlibglue_ret((long)(v), &errno)

int rmdir(const char *path)
{
	return (int)RE(uk_syscall_call(rmdir, path));
}

char *getcwd(char *buf, size_t size)
{
	if (!buf) {
		/* the glibc/BSD extension (allocate) is not offered */
		errno = EINVAL;
		return NULL;
	}
	return RE(uk_syscall_call(getcwd, buf, size)) < 0 ? NULL : buf;
}

int chdir(const char *path)
{
	return (int)RE(uk_syscall_call(chdir, path));
}

int access(const char *path, int mode)
{
	return (int)RE(uk_syscall_call(access, path, mode));
}

int dup(int fd)
{
	return (int)RE(uk_syscall_call(dup, fd));
}

int dup2(int fd, int fd2)
{
	return (int)RE(uk_syscall_call(dup2, fd, fd2));
}

int ftruncate(int fd, off_t len)
{
	return (int)RE(uk_syscall_call(ftruncate, fd, len));
}

int fsync(int fd)
{
	return (int)RE(uk_syscall_call(fsync, fd));
}

int fdatasync(int fd)
{
	return (int)RE(uk_syscall_call(fdatasync, fd));
}

int fchmod(int fd, mode_t mode)
{
	return (int)RE(uk_syscall_call(fchmod, fd, mode));
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return (int)RE(uk_syscall_call(fchown, fd, uid, gid));
}

/* newlib's struct utimbuf is Linux's: two 64-bit time_t */
_Static_assert(sizeof(struct utimbuf) == 16 && sizeof(time_t) == 8,
	       "struct utimbuf differs from Linux's");

int utime(const char *path, const struct utimbuf *t)
{
	return (int)RE(uk_syscall_call(utime, path, t));
}

int symlink(const char *target, const char *path)
{
	return (int)RE(uk_syscall_call(symlink, target, path));
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
	return (ssize_t)RE(uk_syscall_call(readlink, path, buf, len));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return RE(uk_syscall_call(pread64, fd, buf, n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return RE(uk_syscall_call(pwrite64, fd, buf, n, off));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)RE(uk_syscall_call(nanosleep, req, rem));
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	long lx = nlg_clock_to_lx(id);

	return (int)RE(lx < 0 ? lx : uk_syscall_call(clock_gettime, lx, ts));
}

int clock_getres(clockid_t id, struct timespec *ts)
{
	long lx = nlg_clock_to_lx(id);

	return (int)RE(lx < 0 ? lx : uk_syscall_call(clock_getres, lx, ts));
}

int clock_settime(clockid_t id, const struct timespec *ts)
{
	long lx = nlg_clock_to_lx(id);

	return (int)RE(lx < 0 ? lx : uk_syscall_call(clock_settime, lx, ts));
}

int usleep(useconds_t us)
{
	struct timespec ts = {.tv_sec = us / 1000000,
			      .tv_nsec = (long)(us % 1000000) * 1000};

	return nanosleep(&ts, NULL);
}

unsigned int sleep(unsigned int s)
{
	struct timespec ts = {.tv_sec = s, .tv_nsec = 0}, rem = {0, 0};

	if (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

/* Linux layouts: unikit's <sys/resource.h> for newlib (the overlay). */
int getrlimit(int res, struct rlimit *r)
{
	return (int)RE(uk_syscall_call(getrlimit, res, r));
}

int setrlimit(int res, const struct rlimit *r)
{
	return (int)RE(uk_syscall_call(setrlimit, res, r));
}

int getrusage(int who, struct rusage *ru)
{
	return (int)RE(uk_syscall_call(getrusage, who, ru));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	/* every request takes at most one argument, a value or a pointer to
	 * Linux's layout (the header's numbers are Linux's) */
	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)RE(uk_syscall_call(ioctl, fd, request, arg));
}

uid_t getuid(void)
{
	return (uid_t)uk_syscall_call(getuid);
}

uid_t geteuid(void)
{
	return (uid_t)uk_syscall_call(geteuid);
}

gid_t getgid(void)
{
	return (gid_t)uk_syscall_call(getgid);
}

gid_t getegid(void)
{
	return (gid_t)uk_syscall_call(getegid);
}

int utimes(const char *path, const struct timeval *tv)
{
	/* struct timeval has Linux's layout (docs/newlib.md) */
	return (int)RE(uk_syscall_call(utimes, path, tv));
}

/* The values a Linux x86_64 program sees, for the names newlib numbers;
 * the others: EINVAL. */
long sysconf(int name)
{
	struct rlimit rl;

	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100; /* times()' unit, as on Linux (posixprocess) */
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	case _SC_OPEN_MAX:
		if (getrlimit(RLIMIT_NOFILE, &rl))
			return -1;
		return rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur;
	default:
		errno = EINVAL;
		return -1;
	}
}

int chmod(const char *path, mode_t mode)
{
	return (int)RE(uk_syscall_call(chmod, path, mode));
}

/* No command interpreter runs in a newlib image (vfork + execve need a
 * Linux binary and musl's posix_spawn): popen() refuses. */
FILE *popen(const char *cmd, const char *mode)
{
	(void)cmd, (void)mode;
	errno = ENOSYS;
	return NULL;
}

int pclose(FILE *f)
{
	(void)f;
	errno = ECHILD; /* no popen() stream can exist */
	return -1;
}
