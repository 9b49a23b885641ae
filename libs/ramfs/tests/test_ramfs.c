/* Native tests of ramfs under vfscore and fdtab: the path and descriptor
 * system calls, bad input, a full filesystem, out of memory (injected) and a
 * randomized run against a shadow model. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <utime.h>
#include <linux/close_range.h>
#include <linux/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/ramfs.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

#include <uk/plat_doubles.h>

/* ---- allocation failure injection (-Wl,--wrap) ---- */
static long alloc_budget = -1; /* < 0: no failures */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
static int alloc_ok(void)
{
	if (alloc_budget < 0)
		return 1;
	if (alloc_budget == 0)
		return 0;
	alloc_budget--;
	return 1;
}
void *__wrap_malloc(size_t n)
{
	return alloc_ok() ? __real_malloc(n) : NULL;
}
void *__wrap_calloc(size_t n, size_t m)
{
	return alloc_ok() ? __real_calloc(n, m) : NULL;
}
void *__wrap_realloc(void *p, size_t n)
{
	return alloc_ok() ? __real_realloc(p, n) : NULL;
}

/* ---- helpers ---- */
static void reset(const char *data)
{
	alloc_budget = -1;
	for (int fd = 3; fd < 20000; fd++)
		SC(close, fd);
	uk_fdtab_set_limit(UK_FDTAB_DEFAULT_LIMIT);
	SC(chdir, "/");
	SC(umount2, "/mnt", 0);
	SC(umount2, "/", 0);
	assert_int_equal(uk_ramfs_init(), 0);
	assert_int_equal(SC(mount, "none", "/", "ramfs", 0, data), 0);
	SC(umask, 022);
}

static int setup(void **state)
{
	(void)state;
	reset(NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	alloc_budget = -1;
	for (int fd = 3; fd < 20000; fd++)
		SC(close, fd);
	SC(chdir, "/");
	SC(umount2, "/mnt", 0);
	assert_int_equal(SC(umount2, "/", 0), 0);
	return 0;
}

static int put(const char *path, const char *data)
{
	int fd = (int)SC(open, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	long n;

	if (fd < 0)
		return fd;
	n = SC(write, fd, data, strlen(data));
	SC(close, fd);
	return n < 0 ? (int)n : 0;
}

static long get(const char *path, char *buf, size_t len)
{
	int fd = (int)SC(open, path, O_RDONLY);
	long n;

	if (fd < 0)
		return fd;
	n = SC(read, fd, buf, len - 1);
	SC(close, fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/* ---- files ---- */
static void test_files(void **state)
{
	struct stat st;
	char buf[64];
	int fd, fd2;

	(void)state;
	fd = (int)SC(open, "/f", O_CREAT | O_RDWR, 0666);
	assert_int_equal(fd, 3);
	assert_int_equal(SC(write, fd, "hello", 5), 5);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(st.st_mode, S_IFREG | 0644); /* umask 022 */
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(st.st_blocks, 8);
	assert_int_equal(SC(lseek, fd, 0, SEEK_SET), 0);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 5);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 0); /* EOF */
	assert_int_equal(SC(pread64, fd, buf, 10, 5), 0);
	assert_int_equal(SC(pread64, fd, buf, 10, 1 << 30), 0);
	/* O_EXCL, O_TRUNC, O_APPEND, access modes */
	assert_int_equal(SC(open, "/f", O_CREAT | O_EXCL | O_RDWR, 0), -EEXIST);
	fd2 = (int)SC(open, "/f", O_RDONLY);
	assert_int_equal(SC(write, fd2, "x", 1), -EBADF);
	SC(close, fd2);
	fd2 = (int)SC(open, "/f", O_WRONLY | O_APPEND);
	assert_int_equal(SC(read, fd2, buf, 1), -EBADF);
	assert_int_equal(SC(pwrite64, fd2, "!", 1, 0), 1);
	SC(close, fd2);
	assert_int_equal(get("/f", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "hello!");
	assert_int_equal(SC(open, "/f", O_RDWR | 3), -EINVAL);
	assert_int_equal(SC(open, "/f", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	fd2 = (int)SC(open, "/f", O_WRONLY | O_TRUNC);
	assert_int_equal(SC(fstat, fd2, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_blocks, 0);
	SC(close, fd2);
	/* holes read as zeros; a pwrite far out allocates one block */
	assert_int_equal(SC(pwrite64, fd, "Z", 1, 50 << 20), 1);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, (50 << 20) + 1);
	assert_int_equal(st.st_blocks, 8);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(SC(pread64, fd, buf, 64, 1000), 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(SC(pread64, fd, buf, 64, (50 << 20) - 63), 64);
	assert_int_equal(buf[63], 'Z');
	/* beyond the mount's limit (64 MiB): -EFBIG, nothing allocated */
	assert_int_equal(SC(pwrite64, fd, "Z", 1, 1L << 40), -EFBIG);
	assert_int_equal(SC(ftruncate, fd, 1L << 40), -EFBIG);
	assert_int_equal(SC(pwrite64, fd, "Z", 1, -5), -EINVAL);
	/* truncate down then up: zeros, not old bytes */
	assert_int_equal(SC(pwrite64, fd, "abcdef", 6, 0), 6);
	assert_int_equal(SC(ftruncate, fd, 2), 0);
	assert_int_equal(SC(truncate, "/f", 6), 0);
	assert_int_equal(SC(pread64, fd, buf, 6, 0), 6);
	assert_memory_equal(buf, "ab\0\0\0\0", 6);
	assert_int_equal(SC(truncate, "/f", -1), -EINVAL);
	assert_int_equal(SC(truncate, "/", 0), -EISDIR);
	assert_int_equal(SC(lseek, fd, -1, SEEK_END), 5);
	/* directories */
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	assert_int_equal(SC(open, "/d", O_WRONLY), -EISDIR);
	assert_int_equal(SC(open, "/d", O_RDWR | O_CREAT, 0644), -EISDIR);
	fd2 = (int)SC(open, "/d", O_RDONLY | O_DIRECTORY);
	assert_true(fd2 >= 0);
	assert_int_equal(SC(read, fd2, buf, 1), -EISDIR);
	SC(close, fd2);
	assert_int_equal(SC(creat, "/d/c", 0600), 4);
	assert_int_equal(SC(fcntl, 4, F_GETFL) & O_ACCMODE, O_WRONLY);
	SC(close, 4);
	assert_int_equal(SC(stat, "/d/c", &st), 0);
	assert_int_equal(st.st_mode, S_IFREG | 0600);
	/* unlinked while open: still there until closed */
	assert_int_equal(SC(unlink, "/f"), 0);
	assert_int_equal(SC(stat, "/f", &st), -ENOENT);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(SC(pread64, fd, buf, 2, 0), 2);
	assert_memory_equal(buf, "ab", 2);
	SC(close, fd);
}

/* ---- names and bad input ---- */
static void test_names(void **state)
{
	char *p = malloc(8192);
	struct stat st;

	(void)state;
	assert_int_equal(SC(mkdir, "/a", 0755), 0);
	assert_int_equal(SC(mkdir, "/a/b", 0755), 0);
	assert_int_equal(put("/a/b/f", "x"), 0);
	/* PATH_MAX: 4095 bytes + NUL is the longest */
	memset(p, '/', 8191);
	p[8191] = 0;
	assert_int_equal(SC(stat, p, &st), -ENAMETOOLONG);
	p[4096] = 0;
	assert_int_equal(SC(stat, p, &st), -ENAMETOOLONG);
	assert_int_equal(SC(open, p, O_RDONLY), -ENAMETOOLONG);
	assert_int_equal(SC(mkdir, p, 0), -ENAMETOOLONG);
	assert_int_equal(SC(unlink, p), -ENAMETOOLONG);
	assert_int_equal(SC(rename, p, "/x"), -ENAMETOOLONG);
	assert_int_equal(SC(symlink, p, "/x"), -ENAMETOOLONG);
	assert_int_equal(SC(chdir, p), -ENAMETOOLONG);
	p[4095] = 0;
	assert_int_equal(SC(stat, p, &st), 0); /* the root */
	memcpy(p + 4095 - 6, "a/b/f", 5);
	p[4095 - 1] = 0;
	assert_int_equal(SC(stat, p, &st), 0);
	/* NAME_MAX */
	p[0] = '/';
	memset(p + 1, 'n', 256);
	p[257] = 0;
	assert_int_equal(SC(open, p, O_CREAT | O_WRONLY, 0644), -ENAMETOOLONG);
	assert_int_equal(SC(stat, p, &st), -ENAMETOOLONG);
	assert_int_equal(SC(mkdir, p, 0755), -ENAMETOOLONG);
	p[256] = 0;
	assert_int_equal(put(p, "255"), 0);
	assert_int_equal(SC(stat, p, &st), 0);
	/* empty, NULL */
	assert_int_equal(SC(stat, "", &st), -ENOENT);
	assert_int_equal(SC(open, "", O_RDONLY), -ENOENT);
	assert_int_equal(SC(stat, NULL, &st), -EFAULT);
	assert_int_equal(SC(open, NULL, O_RDONLY), -EFAULT);
	/* "." "..", slashes */
	assert_int_equal(SC(stat, "/..", &st), 0);
	assert_int_equal(st.st_ino, 1);
	assert_int_equal(SC(stat, "/../../..//a/./b/../b/f", &st), 0);
	assert_int_equal(SC(stat, "//a///b////f", &st), 0);
	assert_int_equal(SC(chdir, "/a/b"), 0);
	assert_int_equal(SC(stat, "../../../../a/b/f", &st), 0);
	assert_int_equal(SC(stat, "f", &st), 0);
	/* ENOENT, ENOTDIR */
	assert_int_equal(SC(stat, "/nope", &st), -ENOENT);
	assert_int_equal(SC(stat, "/nope/x", &st), -ENOENT);
	assert_int_equal(SC(stat, "/a/b/f/x", &st), -ENOTDIR);
	assert_int_equal(SC(stat, "/a/b/f/", &st), -ENOTDIR);
	assert_int_equal(SC(open, "/a/b/f/", O_RDONLY), -ENOTDIR);
	assert_int_equal(SC(open, "/a/b/f/", O_CREAT | O_RDWR, 0), -EISDIR);
	assert_int_equal(SC(stat, "/a/b/", &st), 0);
	assert_int_equal(SC(open, "/nope/x", O_CREAT | O_RDWR, 0), -ENOENT);
	assert_int_equal(SC(mkdir, "/a/b/f/d", 0), -ENOTDIR);
	assert_int_equal(SC(mkdir, "/", 0), -EEXIST);
	assert_int_equal(SC(mkdir, "/a/.", 0), -EEXIST);
	assert_int_equal(SC(mkdir, "/a/b/", 0), -EEXIST);
	assert_int_equal(SC(mkdir, "/a/c/", 0), 0);
	assert_int_equal(SC(access, "/a/b/f", F_OK), 0);
	assert_int_equal(SC(access, "/a/b/f", X_OK), -EACCES);
	assert_int_equal(SC(access, "/a/b/f", 8), -EINVAL);
	assert_int_equal(SC(access, "/a/b", X_OK), 0);
	assert_int_equal(SC(access, "/a/zz", R_OK), -ENOENT);
	free(p);
}

/* ---- symlinks ---- */
static void test_symlinks(void **state)
{
	struct stat st;
	char buf[128], name[32];
	int fd;

	(void)state;
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	assert_int_equal(put("/d/f", "data"), 0);
	assert_int_equal(SC(symlink, "d/f", "/rel"), 0);
	assert_int_equal(SC(symlink, "/d", "/abs"), 0);
	assert_int_equal(SC(symlink, "../d/f", "/d/up"), 0);
	assert_int_equal(get("/rel", buf, sizeof(buf)), 4);
	assert_int_equal(get("/abs/f", buf, sizeof(buf)), 4);
	assert_int_equal(get("/d/up", buf, sizeof(buf)), 4);
	assert_int_equal(SC(stat, "/abs/", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(SC(lstat, "/abs", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(st.st_size, 2);
	assert_int_equal(SC(readlink, "/abs", buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "/d", 2);
	assert_int_equal(SC(readlink, "/abs", buf, 1), 1);
	assert_int_equal(SC(readlink, "/abs", buf, 0), -EINVAL);
	assert_int_equal(SC(readlink, "/d", buf, 10), -EINVAL);
	assert_int_equal(SC(readlinkat, AT_FDCWD, "/rel", buf, 10), 3);
	assert_int_equal(SC(symlink, "x", "/abs"), -EEXIST);
	assert_int_equal(SC(symlink, "", "/empty"), -ENOENT);
	/* loops */
	assert_int_equal(SC(symlink, "/loop", "/loop"), 0);
	assert_int_equal(SC(stat, "/loop", &st), -ELOOP);
	assert_int_equal(SC(open, "/loop", O_RDONLY), -ELOOP);
	assert_int_equal(SC(open, "/loop", O_CREAT | O_RDWR, 0644), -ELOOP);
	assert_int_equal(SC(lstat, "/loop", &st), 0);
	assert_int_equal(SC(symlink, "/pong", "/ping"), 0);
	assert_int_equal(SC(symlink, "/ping/x", "/pong"), 0);
	assert_int_equal(SC(stat, "/ping", &st), -ELOOP);
	assert_int_equal(SC(chdir, "/ping"), -ELOOP);
	/* a chain of 40 is fine, 41 is not */
	for (int i = 1; i <= 41; i++) {
		char tgt[32];

		snprintf(name, sizeof(name), "/c%d", i);
		snprintf(tgt, sizeof(tgt), i == 1 ? "/d/f" : "/c%d", i - 1);
		assert_int_equal(SC(symlink, tgt, name), 0);
	}
	assert_int_equal(SC(stat, "/c40", &st), 0);
	assert_int_equal(SC(stat, "/c41", &st), -ELOOP);
	/* O_NOFOLLOW */
	assert_int_equal(SC(open, "/rel", O_RDONLY | O_NOFOLLOW), -ELOOP);
	fd = (int)SC(open, "/abs/f", O_RDONLY | O_NOFOLLOW);
	assert_true(fd >= 0);
	SC(close, fd);
	/* O_CREAT through a dangling link creates the target */
	assert_int_equal(SC(symlink, "/d/new", "/dangling"), 0);
	assert_int_equal(SC(stat, "/dangling", &st), -ENOENT);
	assert_int_equal(put("/dangling", "n"), 0);
	assert_int_equal(SC(stat, "/d/new", &st), 0);
	assert_int_equal(SC(open, "/dangling", O_CREAT | O_EXCL | O_RDWR, 0),
			 -EEXIST);
	/* unlink removes the link, not the target */
	assert_int_equal(SC(unlink, "/rel"), 0);
	assert_int_equal(SC(stat, "/d/f", &st), 0);
	assert_int_equal(SC(rmdir, "/abs"), -ENOTDIR);
	assert_int_equal(SC(unlink, "/abs"), 0);
}

/* ---- directories, unlink, rmdir ---- */
static void test_dirs(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(SC(stat, "/", &st), 0);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(SC(mkdir, "/d", 0700), 0);
	assert_int_equal(SC(mkdir, "/d/e", 0777), 0);
	assert_int_equal(SC(stat, "/d/e", &st), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 0755);
	assert_int_equal(SC(stat, "/d", &st), 0);
	assert_int_equal(st.st_nlink, 3);
	assert_int_equal(SC(stat, "/", &st), 0);
	assert_int_equal(st.st_nlink, 3);
	assert_int_equal(put("/d/f", "x"), 0);
	assert_int_equal(SC(mkdir, "/d", 0), -EEXIST);
	assert_int_equal(SC(mkdir, "/d/f", 0), -EEXIST);
	assert_int_equal(SC(rmdir, "/d"), -ENOTEMPTY);
	assert_int_equal(SC(rmdir, "/d/f"), -ENOTDIR);
	assert_int_equal(SC(rmdir, "/d/nope"), -ENOENT);
	assert_int_equal(SC(rmdir, "/d/e/."), -EINVAL);
	assert_int_equal(SC(rmdir, "/d/e/.."), -ENOTEMPTY);
	assert_int_equal(SC(rmdir, "/"), -EINVAL);
	assert_int_equal(SC(unlink, "/d"), -EISDIR);
	assert_int_equal(SC(unlink, "/d/."), -EISDIR);
	assert_int_equal(SC(unlink, "/d/f/"), -ENOTDIR);
	assert_int_equal(SC(unlink, "/d/e/"), -EISDIR);
	assert_int_equal(SC(unlink, "/d/nope"), -ENOENT);
	assert_int_equal(SC(unlinkat, AT_FDCWD, "/d/e", 0x1), -EINVAL);
	assert_int_equal(SC(unlinkat, AT_FDCWD, "/d/f", AT_REMOVEDIR),
			 -ENOTDIR);
	assert_int_equal(SC(unlinkat, AT_FDCWD, "/d/e/", AT_REMOVEDIR), 0);
	assert_int_equal(SC(unlinkat, AT_FDCWD, "/d/f", 0), 0);
	assert_int_equal(SC(stat, "/d", &st), 0);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(SC(rmdir, "/d"), 0);
	assert_int_equal(SC(stat, "/", &st), 0);
	assert_int_equal(st.st_nlink, 2);
	/* chmod, umask, utimensat */
	assert_int_equal(put("/m", ""), 0);
	assert_int_equal(SC(chmod, "/m", 04711), 0);
	assert_int_equal(SC(stat, "/m", &st), 0);
	assert_int_equal(st.st_mode, S_IFREG | 04711);
	assert_int_equal(SC(umask, 077), 022);
	assert_int_equal(SC(umask, 022), 077);
	{
		struct timespec ts[2] = {{100, 5}, {200, UTIME_OMIT}};
		int fd = (int)SC(open, "/m", O_RDONLY);

		assert_int_equal(SC(fchmod, fd, 0600), 0);
		assert_int_equal(SC(fchmodat, AT_FDCWD, "/m", 0644), 0);
		assert_int_equal(SC(utimensat, AT_FDCWD, "/m", ts, 0), 0);
		assert_int_equal(SC(fstat, fd, &st), 0);
		assert_int_equal(st.st_mode, S_IFREG | 0644);
		assert_int_equal(st.st_atim.tv_sec, 100);
		ts[0].tv_nsec = -3;
		assert_int_equal(SC(utimensat, AT_FDCWD, "/m", ts, 0), -EINVAL);
		assert_int_equal(SC(chown, "/m", 5, -1), 0);
		assert_int_equal(SC(fchown, fd, -1, 7), 0);
		assert_int_equal(SC(fstat, fd, &st), 0);
		assert_int_equal(st.st_uid, 5);
		assert_int_equal(st.st_gid, 7);
		assert_int_equal(SC(symlink, "/m", "/ml"), 0);
		assert_int_equal(SC(lchown, "/ml", 9, 9), 0);
		assert_int_equal(SC(stat, "/m", &st), 0);
		assert_int_equal(st.st_uid, 5);
		assert_int_equal(SC(fchownat, AT_FDCWD, "/ml", 1, 1, 0x4),
				 -EINVAL);
		assert_int_equal(SC(chown, "/nope", 1, 1), -ENOENT);
		SC(close, fd);
	}
}

/* ---- rename ---- */
static void test_rename(void **state)
{
	struct stat st;
	char buf[32];
	int fd;

	(void)state;
	assert_int_equal(SC(mkdir, "/a", 0755), 0);
	assert_int_equal(SC(mkdir, "/a/b", 0755), 0);
	assert_int_equal(SC(mkdir, "/e", 0755), 0);
	assert_int_equal(SC(mkdir, "/full", 0755), 0);
	assert_int_equal(put("/full/x", "x"), 0);
	assert_int_equal(put("/f", "F"), 0);
	assert_int_equal(put("/g", "G"), 0);
	assert_int_equal(SC(rename, "/nope", "/x"), -ENOENT);
	assert_int_equal(SC(rename, "/f", "/nope/x"), -ENOENT);
	assert_int_equal(SC(rename, "/f", "/f"), 0);
	assert_int_equal(SC(rename, "/f", "/a/../f"), 0);
	assert_int_equal(SC(rename, "/a", "/a/b/c"), -EINVAL);
	assert_int_equal(SC(rename, "/a", "/a/b"), -EINVAL);
	assert_int_equal(SC(rename, "/a", "/f"), -ENOTDIR);
	assert_int_equal(SC(rename, "/f", "/a"), -EISDIR);
	assert_int_equal(SC(rename, "/a", "/full"), -ENOTEMPTY);
	assert_int_equal(SC(rename, "/f", "/g/"), -ENOTDIR);
	assert_int_equal(SC(rename, "/f/", "/h"), -ENOTDIR);
	assert_int_equal(SC(rename, "/a/.", "/h"), -EBUSY);
	assert_int_equal(SC(rename, "/", "/h"), -EBUSY);
	assert_int_equal(SC(renameat2, AT_FDCWD, "/f", AT_FDCWD, "/g", 2),
			 -EINVAL);
	assert_int_equal(
		SC(renameat2, AT_FDCWD, "/f", AT_FDCWD, "/g", RENAME_NOREPLACE),
		-EEXIST);
	/* a file over a file: the open one stays readable */
	fd = (int)SC(open, "/g", O_RDONLY);
	assert_int_equal(SC(rename, "/f", "/g"), 0);
	assert_int_equal(SC(stat, "/f", &st), -ENOENT);
	assert_int_equal(get("/g", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "F");
	assert_int_equal(SC(read, fd, buf, 10), 1);
	assert_int_equal(buf[0], 'G');
	SC(close, fd);
	/* a directory over an empty one, into another parent */
	assert_int_equal(put("/a/b/in", "i"), 0);
	assert_int_equal(SC(rename, "/a/b", "/e"), 0);
	assert_int_equal(get("/e/in", buf, sizeof(buf)), 1);
	assert_int_equal(SC(stat, "/a", &st), 0);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(SC(stat, "/e/..", &st), 0);
	assert_int_equal(st.st_ino, 1);
	assert_int_equal(SC(rename, "/e", "/a/moved/"), 0);
	assert_int_equal(SC(stat, "/a", &st), 0);
	assert_int_equal(st.st_nlink, 3);
	assert_int_equal(SC(stat, "/a/moved/../moved/in", &st), 0);
	/* renameat */
	assert_int_equal(SC(chdir, "/a"), 0);
	assert_int_equal(SC(renameat, AT_FDCWD, "moved", AT_FDCWD, "../top"),
			 0);
	assert_int_equal(SC(stat, "/top/in", &st), 0);
	/* across mounts */
	assert_int_equal(SC(mkdir, "/mnt", 0755), 0);
	assert_int_equal(SC(mount, "none", "/mnt", "ramfs", 0, "size=1m"), 0);
	assert_int_equal(SC(rename, "/g", "/mnt/g"), -EXDEV);
	assert_int_equal(SC(rename, "/mnt", "/mnt2"), -EBUSY);
	assert_int_equal(SC(rmdir, "/mnt"), -EBUSY);
	assert_int_equal(SC(umount2, "/mnt", 0), 0);
}

/* ---- cwd, *at, mounts ---- */
static void test_cwd(void **state)
{
	struct stat st;
	char buf[256];
	int dfd, ffd;

	(void)state;
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "/");
	assert_int_equal(SC(mkdir, "/x", 0755), 0);
	assert_int_equal(SC(mkdir, "/x/y", 0755), 0);
	assert_int_equal(SC(chdir, "x/y"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/x/y");
	assert_int_equal(SC(getcwd, buf, 4), -ERANGE);
	assert_int_equal(SC(getcwd, NULL, 10), -EFAULT);
	assert_int_equal(put("rel", "r"), 0);
	assert_int_equal(SC(stat, "/x/y/rel", &st), 0);
	assert_int_equal(SC(chdir, "/nope"), -ENOENT);
	assert_int_equal(SC(chdir, "rel"), -ENOTDIR);
	/* dirfds */
	dfd = (int)SC(open, "/x", O_RDONLY | O_DIRECTORY);
	ffd = (int)SC(open, "/x/y/rel", O_RDONLY);
	assert_int_equal(SC(newfstatat, dfd, "y/rel", &st, 0), 0);
	assert_int_equal(SC(newfstatat, ffd, "y/rel", &st, 0), -ENOTDIR);
	assert_int_equal(SC(newfstatat, 99, "y/rel", &st, 0), -EBADF);
	assert_int_equal(SC(newfstatat, 99, "/x/y/rel", &st, 0), 0);
	assert_int_equal(SC(newfstatat, ffd, "", &st, AT_EMPTY_PATH), 0);
	assert_int_equal(st.st_size, 1);
	assert_int_equal(SC(newfstatat, dfd, "y", &st, 0x4), -EINVAL);
	assert_int_equal(SC(mkdirat, dfd, "z", 0755), 0);
	assert_int_equal(SC(symlinkat, "z", dfd, "lz"), 0);
	assert_int_equal(SC(faccessat, dfd, "lz", F_OK), 0);
	ffd = (int)SC(openat, dfd, "z/new", O_CREAT | O_RDWR, 0644);
	assert_true(ffd >= 0);
	assert_int_equal(SC(fchdir, dfd), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 3);
	assert_int_equal(SC(fchdir, ffd), -ENOTDIR);
	assert_int_equal(SC(fchdir, 500), -EBADF);
	assert_int_equal(SC(unlinkat, dfd, "z/new", 0), 0);
	assert_int_equal(SC(unlinkat, dfd, "z", AT_REMOVEDIR), 0);
	/* a mount crossed both ways */
	assert_int_equal(SC(mount, "none", "/x/y/rel", "ramfs", 0, 0),
			 -ENOTDIR);
	assert_int_equal(SC(mount, "none", "/x/y", "nofs", 0, 0), -ENODEV);
	assert_int_equal(SC(mount, "none", "/x/y", "ramfs", 0, "bogus"),
			 -EINVAL);
	assert_int_equal(SC(mkdir, "/mnt", 0755), 0);
	assert_int_equal(SC(mount, "none", "/mnt", "ramfs", 0, "size=8k"), 0);
	assert_int_equal(SC(mount, "none", "/mnt", "ramfs", 0, 0), -EBUSY);
	assert_int_equal(SC(mkdir, "/mnt/in", 0755), 0);
	assert_int_equal(SC(chdir, "/mnt/in"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "/mnt/in");
	assert_int_equal(SC(stat, "../../x/y/rel", &st), 0);
	assert_int_equal(SC(umount2, "/mnt", 0), -EBUSY);
	assert_int_equal(SC(umount2, "/mnt/in", 0), -EINVAL);
	assert_int_equal(SC(umount2, "/mnt", 0x100), -EINVAL);
	{
		struct statfs sf;

		assert_int_equal(SC(statfs, ".", &sf), 0);
		assert_int_equal(sf.f_blocks, 2);
		assert_int_equal(sf.f_namelen, 255);
		assert_int_equal(SC(fstatfs, dfd, &sf), 0);
		assert_int_equal(sf.f_blocks, 64 << 8);
	}
	assert_int_equal(SC(chdir, ".."), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/mnt");
	assert_int_equal(SC(chdir, ".."), 0);
	assert_int_equal(SC(umount2, "/mnt", 0), 0);
	assert_int_equal(SC(stat, "/mnt/in", &st), -ENOENT);
	/* a removed cwd */
	assert_int_equal(SC(chdir, "/x/y"), 0);
	assert_int_equal(SC(unlink, "/x/y/rel"), 0);
	assert_int_equal(SC(rmdir, "/x/y"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(SC(stat, ".", &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(SC(open, "f", O_CREAT | O_RDWR, 0644), -ENOENT);
	assert_int_equal(SC(stat, "..", &st), -ENOENT);
	assert_int_equal(SC(chdir, "/"), 0);
}

/* ---- a full filesystem ---- */
static void test_enospc(void **state)
{
	enum { LIMIT = 16 * 4096 };
	static unsigned char pat[LIMIT + 8192], got[LIMIT + 8192];
	struct statfs sf;
	struct stat st;
	long n;
	int fd, fd2;

	(void)state;
	reset("size=64k");
	for (size_t i = 0; i < sizeof(pat); i++)
		pat[i] = (unsigned char)(i * 7 + (i >> 8));
	fd = (int)SC(open, "/big", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(write, fd, pat, 10000), 10000);
	/* a second file takes the rest, in two writes: short, then ENOSPC */
	fd2 = (int)SC(open, "/other", O_CREAT | O_RDWR, 0644);
	n = SC(write, fd2, pat, LIMIT);
	assert_int_equal(n, LIMIT - 3 * 4096);
	assert_int_equal(SC(write, fd2, pat, 1), -ENOSPC);
	assert_int_equal(SC(statfs, "/", &sf), 0);
	assert_int_equal(sf.f_bfree, 0);
	/* writes into allocated blocks still work; new blocks do not */
	assert_int_equal(SC(pwrite64, fd, "Q", 1, 12000), 1);
	assert_int_equal(SC(pwrite64, fd, pat, 5000, 10000), 2288);
	assert_int_equal(SC(pwrite64, fd, pat, 5000, 12288), -ENOSPC);
	assert_int_equal(SC(ftruncate, fd, 20000), 0); /* a hole: fine */
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, 20000);
	assert_int_equal(st.st_blocks, 3 * 8);
	/* nothing written earlier is damaged, byte by byte */
	assert_int_equal(SC(pread64, fd, got, sizeof(got), 0), 20000);
	assert_memory_equal(got, pat, 10000);
	assert_memory_equal(got + 10000, pat, 2288);
	for (int i = 12288; i < 20000; i++)
		assert_int_equal(got[i], 0);
	assert_int_equal(SC(pread64, fd2, got, sizeof(got), 0), n);
	for (long i = 0; i < n; i++)
		assert_int_equal(got[i], pat[i]);
	/* space comes back when a file goes (once closed) */
	assert_int_equal(SC(unlink, "/other"), 0);
	assert_int_equal(SC(pwrite64, fd, pat, 4096, 12288), -ENOSPC);
	SC(close, fd2);
	assert_int_equal(SC(pwrite64, fd, pat, 4096, 12288), 4096);
	assert_int_equal(SC(ftruncate, fd, 0), 0);
	assert_int_equal(SC(statfs, "/", &sf), 0);
	assert_int_equal(sf.f_bfree, 16);
	/* no file grows past the mount's limit */
	assert_int_equal(SC(pwrite64, fd, "x", 1, LIMIT), -EFBIG);
	assert_int_equal(SC(pwrite64, fd, pat, 8, LIMIT - 4), 4);
	SC(close, fd);
}

/* ---- getdents64 while deleting ---- */
static int list_dir(int fd, size_t bufsz, char seen[][16], int *nseen,
		    int (*between)(int), int arg)
{
	char buf[1024];
	long n;
	int calls = 0;

	assert_true(bufsz <= sizeof(buf));
	while ((n = SC(getdents64, fd, buf, bufsz)) > 0) {
		for (long o = 0; o < n;) {
			struct uk_dirent64 *d = (void *)(buf + o);

			assert_true(d->d_reclen % 8 == 0);
			snprintf(seen[(*nseen)++], 16, "%s", d->d_name);
			o += d->d_reclen;
		}
		if (between)
			between(arg + calls++);
	}
	return (int)n;
}

static int del_some(int k)
{
	char name[32];

	/* remove one entry already listed and two not yet listed */
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "/d/f%03d",
			 i == 0 ? k * 3 : 150 + k * 3 + i);
		SC(unlink, name);
	}
	return 0;
}

static void test_getdents_delete(void **state)
{
	static char seen[300][16];
	char name[32];
	int fd, nseen = 0, count[200] = {0};

	(void)state;
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "/d/f%03d", i);
		assert_int_equal(put(name, ""), 0);
	}
	fd = (int)SC(open, "/d", O_RDONLY | O_DIRECTORY);
	assert_int_equal(SC(getdents64, fd, name, 8), -EINVAL);
	assert_int_equal(list_dir(fd, 256, seen, &nseen, del_some, 0), 0);
	for (int i = 0; i < nseen; i++) {
		int k;

		if (!strcmp(seen[i], ".") || !strcmp(seen[i], ".."))
			continue;
		assert_int_equal(sscanf(seen[i], "f%d", &k), 1);
		count[k]++;
	}
	for (int i = 0; i < 200; i++) {
		struct stat st;

		snprintf(name, sizeof(name), "/d/f%03d", i);
		assert_true(count[i] <= 1); /* never twice */
		if (SC(stat, name, &st) == 0)
			assert_int_equal(count[i], 1); /* survivors: once */
	}
	/* rewind: a fresh listing has exactly the survivors */
	assert_int_equal(SC(lseek, fd, 0, SEEK_SET), 0);
	nseen = 0;
	assert_int_equal(list_dir(fd, 1024, seen, &nseen, NULL, 0), 0);
	{
		int alive = 0;

		for (int i = 0; i < 200; i++) {
			struct stat st;

			snprintf(name, sizeof(name), "/d/f%03d", i);
			alive += SC(stat, name, &st) == 0;
		}
		assert_int_equal(nseen, alive + 2);
	}
	SC(close, fd);
	assert_int_equal(SC(getdents64, 1, name, sizeof(name)), -ENOTDIR);
}

/* ---- 10,000 open files ---- */
static void test_many_open(void **state)
{
	enum { N = 10000 };
	char name[32], c;
	int fd;

	(void)state;
	assert_int_equal(SC(mkdir, "/m", 0755), 0);
	assert_int_equal(uk_fdtab_set_limit(UK_FDTAB_MAX), 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/m/%d", i);
		fd = (int)SC(open, name, O_CREAT | O_RDWR, 0644);
		assert_int_equal(fd, 3 + i);
		assert_int_equal(SC(write, fd, &name[3], 1), 1);
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(SC(pread64, 3 + i, &c, 1, 0), 1);
		snprintf(name, sizeof(name), "%d", i);
		assert_int_equal(c, name[0]);
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(SC(close, 3 + i), 0);
	/* EMFILE past the limit */
	assert_int_equal(uk_fdtab_set_limit(10), 0);
	for (int i = 3; i < 10; i++)
		assert_int_equal(SC(open, "/m/1", O_RDONLY), i);
	assert_int_equal(SC(open, "/m/1", O_RDONLY), -EMFILE);
	assert_int_equal(SC(open, "/m/new", O_CREAT | O_RDONLY, 0644), -EMFILE);
}

/* ---- out of memory, injected at every allocation in turn ---- */
static long oom_ops(void)
{
	char big[9000];
	long r;
	int fd;

	memset(big, 'b', sizeof(big));
	if ((r = SC(mkdir, "/o", 0755)) < 0 && r != -EEXIST)
		return r;
	fd = (int)SC(open, "/o/f", O_CREAT | O_RDWR, 0644);
	if (fd < 0)
		return fd;
	r = SC(write, fd, big, sizeof(big));
	SC(close, fd);
	if (r < 0)
		return r;
	if ((r = SC(symlink, "/o/f", "/o/l")) < 0)
		return r;
	if ((r = SC(rename, "/o/f", "/o/g")) < 0)
		return r;
	return SC(getcwd, big, sizeof(big));
}

static void test_oom(void **state)
{
	int done = 0;

	(void)state;
	for (long budget = 0; budget < 40 && !done; budget++) {
		long r;
		struct stat st;

		reset(NULL);
		alloc_budget = budget;
		r = oom_ops();
		alloc_budget = -1;
		if (r >= 0)
			done = 1;
		else
			assert_int_equal(r, -ENOMEM);
		/* the tree is usable and consistent */
		assert_int_equal(put("/after", "ok"), 0);
		if (SC(stat, "/o/f", &st) == 0 || SC(stat, "/o/g", &st) == 0)
			assert_true(st.st_size == 0 || st.st_size == 4096 ||
				    st.st_size == 8192 || st.st_size == 9000);
	}
	assert_true(done);
}

/* ---- randomized operations against a shadow model ---- */
#define MP    64 /* model paths: components a..d, depth 1..3 */
#define MDATA 12000
#ifndef CHECK_EVERY
#define CHECK_EVERY 200
#endif
struct mnode {
	char path[48];
	int exists, dir;
	size_t size;
	unsigned char *data;
};
static struct mnode model[1024];
static int nmodel;
static int cur_op;
static uint64_t rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static struct mnode *mfind(const char *p)
{
	for (int i = 0; i < nmodel; i++)
		if (!strcmp(model[i].path, p))
			return &model[i];
	return NULL;
}

static void rand_path(char *p)
{
	int depth = 1 + (int)rnd(3);

	p[0] = 0;
	for (int i = 0; i < depth; i++)
		sprintf(p + strlen(p), "/%c", 'a' + rnd(4));
}

/* The model's path resolution of `p`'s parent: 0, -ENOENT or -ENOTDIR. */
static int mparent(const char *p)
{
	char buf[48];
	const char *s = strchr(p + 1, '/');

	while (s) {
		struct mnode *n;

		memcpy(buf, p, (size_t)(s - p));
		buf[s - p] = 0;
		n = mfind(buf);
		if (!n || !n->exists)
			return -ENOENT;
		if (!n->dir)
			return -ENOTDIR;
		s = strchr(s + 1, '/');
	}
	return 0;
}

static struct mnode *mget(const char *p)
{
	struct mnode *n = mfind(p);

	return n && n->exists ? n : NULL;
}

static struct mnode *madd(const char *p, int dir)
{
	struct mnode *n = mfind(p);

	if (!n) {
		assert_true(nmodel < 1024);
		n = &model[nmodel++];
		snprintf(n->path, sizeof(n->path), "%s", p);
		n->data = calloc(1, MDATA);
	}
	n->exists = 1;
	n->dir = dir;
	n->size = 0;
	memset(n->data, 0, MDATA);
	return n;
}

static int mchildren(const char *p)
{
	size_t l = strlen(p);

	for (int i = 0; i < nmodel; i++)
		if (model[i].exists && !strncmp(model[i].path, p, l) &&
		    model[i].path[l] == '/')
			return 1;
	return 0;
}

static int mrename(const char *o, const char *n)
{
	struct mnode *s, *t;
	size_t ol = strlen(o);
	int r;

	if ((r = mparent(o)) || (r = mparent(n)))
		return r;
	if (!(s = mget(o)))
		return -ENOENT;
	t = mget(n);
	if (s == t)
		return 0;
	if (s->dir && !strncmp(n, o, ol) && n[ol] == '/')
		return -EINVAL;
	if (t && s->dir && !t->dir)
		return -ENOTDIR;
	if (t && !s->dir && t->dir)
		return -EISDIR;
	if (t && t->dir && mchildren(n))
		return -ENOTEMPTY;
	/* move s and (a directory's) descendants */
	for (int i = 0, cnt = nmodel; i < cnt; i++) {
		struct mnode *x = &model[i], *y;
		char np[48];

		if (!x->exists || strncmp(x->path, o, ol) ||
		    (x->path[ol] && x->path[ol] != '/'))
			continue;
		snprintf(np, sizeof(np), "%s%s", n, x->path + ol);
		y = madd(np, x->dir);
		y->size = x->size;
		memcpy(y->data, x->data, MDATA);
		x->exists = 0;
	}
	return 0;
}

static int too_deep(const char *o, const char *n)
{
	size_t ol = strlen(o);

	for (int i = 0; i < nmodel; i++)
		if (model[i].exists && !strncmp(model[i].path, o, ol) &&
		    strlen(n) + strlen(model[i].path) - ol > 16)
			return 1;
	return 0;
}

static void check_model(void)
{
	static unsigned char buf[MDATA + 16];
	struct stat st;

	for (int i = 0; i < nmodel; i++) {
		struct mnode *n = &model[i];
		int fd;

		if (!n->exists) {
			assert_int_not_equal(SC(lstat, n->path, &st), 0);
			continue;
		}
		assert_int_equal(SC(lstat, n->path, &st), 0);
		assert_int_equal(S_ISDIR(st.st_mode), n->dir);
		if (n->dir)
			continue;
		assert_int_equal(st.st_size, n->size);
		fd = (int)SC(open, n->path, O_RDONLY);
		assert_int_equal(SC(read, fd, buf, sizeof(buf)), n->size);
		if (memcmp(buf, n->data, n->size))
			fail_msg("op %d: %s differs from the model", cur_op,
				 n->path);
		SC(close, fd);
	}
}

static void test_random(void **state)
{
	static unsigned char wbuf[4000];
	char p[48], q[48];

	(void)state;
	for (int op = 0; op < 4000; op++) {
		struct mnode *n;
		long want, got;
		int kind = (int)rnd(7), fd;

		cur_op = op;
		rand_path(p);
		n = mget(p);
		switch (kind) {
		case 0: /* create */
			want = mparent(p);
			if (!want && n)
				want = -EEXIST;
			got = SC(open, p, O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (got >= 0) {
				SC(close, got);
				got = 0;
			}
			if (!want)
				madd(p, 0);
			break;
		case 1: { /* write */
			size_t off = rnd(8000), len = 1 + rnd(sizeof(wbuf));

			want = mparent(p);
			if (!want && !n)
				want = -ENOENT;
			if (!want && n->dir)
				want = -EISDIR;
			for (size_t i = 0; i < len; i++)
				wbuf[i] = (unsigned char)rnd(256);
			fd = (int)SC(open, p, O_WRONLY);
			got = fd < 0 ? fd : SC(pwrite64, fd, wbuf, len, off);
			if (fd >= 0) {
				SC(close, fd);
				if (got == (long)len)
					got = 0;
			}
			if (!want) {
				memcpy(n->data + off, wbuf, len);
				if (off + len > n->size)
					n->size = off + len;
			}
			break;
		}
		case 2: { /* truncate */
			size_t len = rnd(MDATA);

			want = mparent(p);
			if (!want && !n)
				want = -ENOENT;
			if (!want && n->dir)
				want = -EISDIR;
			got = SC(truncate, p, len);
			if (!want) {
				if (len < n->size)
					memset(n->data + len, 0, n->size - len);
				n->size = len;
			}
			break;
		}
		case 3: /* rename (not growing the tree below 8 levels) */
			rand_path(q);
			if (too_deep(p, q))
				continue;
			want = mrename(p, q);
			got = SC(rename, p, q);
			break;
		case 4: /* unlink */
			want = mparent(p);
			if (!want && !n)
				want = -ENOENT;
			if (!want && n->dir)
				want = -EISDIR;
			got = SC(unlink, p);
			if (!want)
				n->exists = 0;
			break;
		case 5: /* mkdir */
			want = mparent(p);
			if (!want && n)
				want = -EEXIST;
			got = SC(mkdir, p, 0755);
			if (!want)
				madd(p, 1);
			break;
		default: /* rmdir */
			want = mparent(p);
			if (!want && !n)
				want = -ENOENT;
			if (!want && !n->dir)
				want = -ENOTDIR;
			if (!want && mchildren(p))
				want = -ENOTEMPTY;
			got = SC(rmdir, p);
			if (!want)
				n->exists = 0;
			break;
		}
		if (getenv("VFS_TRACE"))
			printf("%d: kind %d %s %s -> %ld\n", op, kind, p,
			       kind == 3 ? q : "", got);
		if (want != got)
			fail_msg("op %d kind %d %s -> %s: want %ld got %ld", op,
				 kind, p, kind == 3 ? q : "", want, got);
		if (op % CHECK_EVERY == CHECK_EVERY - 1)
			check_model();
	}
	check_model();
	for (int i = 0; i < nmodel; i++)
		free(model[i].data);
}

/* ---- random calls on random paths: no crash, no leaked reference ---- */
static void fuzz_path(char *p, size_t cap)
{
	static const char *const parts[] = {"a", "b",	 "..", ".",  "",
					    "l", "loop", "f",  "d/", "//"};
	size_t n = 0;
	int k = (int)rnd(6);

	p[0] = 0;
	if (rnd(2))
		p[n++] = '/', p[n] = 0;
	for (int i = 0; i < k; i++) {
		const char *c = parts[rnd(10)];

		if (n + strlen(c) + 2 >= cap)
			break;
		n += (size_t)sprintf(p + n, "%s%s", i ? "/" : "", c);
	}
}

static void test_fuzz(void **state)
{
	char p[64], q[64], buf[256];
	struct stat st;
	int fds[8] = {0};

	(void)state;
	rng = 12345;
	for (int op = 0; op < 20000; op++) {
		int fd = fds[rnd(8)];

		fuzz_path(p, sizeof(p));
		fuzz_path(q, sizeof(q));
		switch (rnd(16)) {
		case 0:
			fd = (int)SC(open, p, (int)rnd(4) | O_CREAT, 0644);
			if (fd >= 0) {
				int i = (int)rnd(8);

				if (fds[i] > 2)
					SC(close, fds[i]);
				fds[i] = fd;
			}
			break;
		case 1:
			SC(mkdir, p, 0755);
			break;
		case 2:
			SC(symlink, q, p);
			break;
		case 3:
			SC(rename, p, q);
			break;
		case 4:
			SC(unlink, p);
			break;
		case 5:
			SC(rmdir, p);
			break;
		case 6:
			SC(chdir, p);
			break;
		case 7:
			SC(getcwd, buf, rnd(2) ? sizeof(buf) : rnd(8));
			break;
		case 8:
			SC(stat, p, &st);
			SC(lstat, p, &st);
			break;
		case 9:
			SC(write, fd, buf, rnd(sizeof(buf)));
			SC(pwrite64, fd, buf, 8, rnd(100000));
			break;
		case 10:
			SC(getdents64, fd, buf, rnd(sizeof(buf)));
			break;
		case 11:
			SC(truncate, p, rnd(10000));
			SC(ftruncate, fd, rnd(10000));
			break;
		case 12:
			SC(readlink, p, buf, (int)rnd(sizeof(buf)));
			break;
		case 13:
			SC(renameat2, fd, p, AT_FDCWD, q, rnd(2));
			break;
		case 14:
			SC(fchdir, fd);
			break;
		default:
			SC(unlinkat, fd, p, rnd(2) ? AT_REMOVEDIR : 0);
			break;
		}
	}
	/* teardown's umount2("/") fails if a reference leaked */
}

static void test_links_nodes(void **state)
{
	struct stat st;
	char buf[64];
	int fd, fd2;

	(void)state;
	fd = SC(open, "/a", O_CREAT | O_RDWR, 0644);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, "data", 4), 4);
	/* hard links: one inode, nlink counted, data shared */
	assert_int_equal(SC(link, "/a", "/b"), 0);
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	assert_int_equal(SC(linkat, AT_FDCWD, "/a", AT_FDCWD, "/d/c", 0), 0);
	assert_int_equal(SC(stat, "/b", &st), 0);
	assert_int_equal(st.st_nlink, 3);
	assert_int_equal(st.st_size, 4);
	assert_int_equal(SC(unlink, "/a"), 0);
	fd2 = SC(open, "/d/c", O_RDONLY, 0);
	assert_int_equal(SC(read, fd2, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "data", 4);
	SC(close, fd2);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_nlink, 2);
	/* errors */
	assert_int_equal(SC(link, "/b", "/d/c"), -EEXIST);
	assert_int_equal(SC(link, "/d", "/e"), -EPERM);
	assert_int_equal(SC(link, "/nope", "/e"), -ENOENT);
	assert_int_equal(SC(link, "/b", "/nodir/e"), -ENOENT);
	assert_int_equal(SC(linkat, AT_FDCWD, "/b", AT_FDCWD, "/e", 0x8),
			 -EINVAL);
	/* a link to a symlink is to the symlink unless AT_SYMLINK_FOLLOW */
	assert_int_equal(SC(symlink, "/b", "/s"), 0);
	assert_int_equal(SC(link, "/s", "/s2"), 0);
	assert_int_equal(SC(lstat, "/s2", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(
		SC(linkat, AT_FDCWD, "/s", AT_FDCWD, "/f", AT_SYMLINK_FOLLOW),
		0);
	assert_int_equal(SC(lstat, "/f", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_nlink, 3);
	/* links across mounts */
	assert_int_equal(SC(mkdir, "/mnt", 0755), 0);
	assert_int_equal(SC(mount, "none", "/mnt", "ramfs", 0, NULL), 0);
	assert_int_equal(SC(link, "/b", "/mnt/x"), -EXDEV);
	assert_int_equal(SC(umount2, "/mnt", 0), 0);
	SC(close, fd);

	/* mknod: FIFOs, sockets and devices are nodes; regular files too */
	assert_int_equal(SC(mknod, "/fifo", S_IFIFO | 0666, 0), 0);
	assert_int_equal(SC(stat, "/fifo", &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0644); /* umask 022 */
	assert_int_equal(SC(mknod, "/fifo", S_IFIFO | 0666, 0), -EEXIST);
	assert_int_equal(SC(mknod, "/sock", S_IFSOCK | 0755, 0), 0);
	assert_int_equal(SC(open, "/sock", O_RDWR, 0), -ENXIO);
	assert_int_equal(SC(mknodat, AT_FDCWD, "/null2", S_IFCHR | 0666, 0x103),
			 0);
	assert_int_equal(SC(stat, "/null2", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(st.st_rdev, 0x103);
	/* no posixpipe/devfs in this test: opening them is ENXIO */
	assert_int_equal(SC(open, "/fifo", O_RDONLY | O_NONBLOCK, 0), -ENXIO);
	assert_int_equal(SC(open, "/null2", O_RDONLY, 0), -ENXIO);
	assert_int_equal(SC(mknod, "/reg", S_IFREG | 0600, 0), 0);
	assert_int_equal(SC(stat, "/reg", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(SC(mknod, "/reg2", 0, 0), 0);
	assert_int_equal(SC(mknod, "/dir", S_IFDIR | 0600, 0), -EPERM);
	assert_int_equal(SC(mknod, "/bad", 0170000, 0), -EINVAL);
	assert_int_equal(SC(mknod, "/nodir/x", S_IFIFO, 0), -ENOENT);
}

static void test_tmpfile_statx(void **state)
{
	struct stat st;
	struct statx sx;
	char buf[16];
	int fd;

	(void)state;
	assert_int_equal(SC(mkdir, "/t", 0755), 0);
	fd = SC(open, "/t", O_TMPFILE | O_RDWR, 0600);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, "tmp", 3), 3);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_true(S_ISREG(st.st_mode));
	/* nothing visible in the directory */
	assert_int_equal(SC(rmdir, "/t"), 0);
	assert_int_equal(SC(mkdir, "/t", 0755), 0);
	/* named later through linkat(AT_EMPTY_PATH) */
	assert_int_equal(
		SC(linkat, fd, "", AT_FDCWD, "/t/named", AT_EMPTY_PATH), 0);
	SC(close, fd);
	fd = SC(open, "/t/named", O_RDONLY, 0);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 3);
	SC(close, fd);
	assert_int_equal(SC(open, "/t", O_TMPFILE | O_RDONLY, 0600), -EINVAL);
	assert_int_equal(SC(open, "/t/named", O_TMPFILE | O_RDWR, 0600),
			 -ENOTDIR);
	assert_int_equal(SC(open, "/nope", O_TMPFILE | O_RDWR, 0600), -ENOENT);

	/* statx: the basic statistics, by path, nofollow and by fd */
	assert_int_equal(SC(symlink, "/t/named", "/ln"), 0);
	memset(&sx, 0xff, sizeof(sx));
	assert_int_equal(SC(statx, AT_FDCWD, "/ln", 0, STATX_BASIC_STATS, &sx),
			 0);
	assert_int_equal(SC(stat, "/t/named", &st), 0);
	assert_int_equal(sx.stx_mask, STATX_BASIC_STATS);
	assert_int_equal(sx.stx_size, 3);
	assert_int_equal(sx.stx_ino, st.st_ino);
	assert_int_equal(sx.stx_nlink, 1);
	assert_true(S_ISREG(sx.stx_mode));
	assert_int_equal(sx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	assert_int_equal(sx.stx_dev_minor, minor(st.st_dev));
	assert_int_equal(sx.stx_btime.tv_sec, 0);
	assert_int_equal(SC(statx, AT_FDCWD, "/ln", AT_SYMLINK_NOFOLLOW,
			    STATX_BASIC_STATS, &sx),
			 0);
	assert_true(S_ISLNK(sx.stx_mode));
	fd = SC(open, "/t/named", O_RDONLY, 0);
	assert_int_equal(SC(statx, fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx), 0);
	assert_int_equal(sx.stx_size, 3);
	assert_int_equal(SC(statx, AT_FDCWD, "/ln", 0, 0x80000000U, &sx),
			 -EINVAL);
	assert_int_equal(SC(statx, AT_FDCWD, "/ln", 0x6000, STATX_SIZE, &sx),
			 -EINVAL);
	assert_int_equal(SC(statx, AT_FDCWD, "/ln", 0, STATX_SIZE, NULL),
			 -EFAULT);
	assert_int_equal(SC(statx, AT_FDCWD, "/none", 0, STATX_SIZE, &sx),
			 -ENOENT);
	SC(close, fd);
}

static void test_copy_alloc(void **state)
{
	struct stat st;
	char buf[32];
	struct iovec iov[2] = {{buf, 3}, {buf + 3, 3}};
	off_t off;
	int a, b;

	(void)state;
	a = SC(open, "/src", O_CREAT | O_RDWR, 0644);
	b = SC(open, "/dst", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(write, a, "0123456789", 10), 10);
	/* sendfile from an offset leaves the file offset alone */
	off = 2;
	assert_int_equal(SC(sendfile, b, a, &off, 5), 5);
	assert_int_equal(off, 7);
	assert_int_equal(SC(lseek, a, 0, SEEK_CUR), 10);
	assert_int_equal(SC(pread64, b, buf, 32, 0), 5);
	assert_memory_equal(buf, "23456", 5);
	/* without an offset it reads from the file offset, to EOF */
	assert_int_equal(SC(lseek, a, 8, SEEK_SET), 8);
	assert_int_equal(SC(sendfile, b, a, NULL, 100), 2);
	assert_int_equal(SC(lseek, a, 0, SEEK_CUR), 10);
	assert_int_equal(SC(sendfile, b, a, NULL, 100), 0);
	assert_int_equal(SC(sendfile, b, 99, NULL, 1), -EBADF);
	/* copy_file_range with and without offsets */
	{
		loff_t io = 0, oo = 20;

		assert_int_equal(SC(copy_file_range, a, &io, b, &oo, 4, 0), 4);
		assert_int_equal(io, 4);
		assert_int_equal(oo, 24);
		assert_int_equal(SC(pread64, b, buf, 4, 20), 4);
		assert_memory_equal(buf, "0123", 4);
		assert_int_equal(SC(copy_file_range, a, &io, b, &oo, 4, 1),
				 -EINVAL);
		io = 0, oo = 2;
		assert_int_equal(SC(copy_file_range, a, &io, a, &oo, 4, 0),
				 -EINVAL);
		oo = 20;
		assert_int_equal(SC(copy_file_range, a, &io, a, &oo, 4, 0), 4);
		assert_int_equal(SC(mkdir, "/cd", 0755), 0);
		{
			int d = SC(open, "/cd", O_RDONLY, 0);

			assert_int_equal(
				SC(copy_file_range, d, NULL, b, NULL, 4, 0),
				-EISDIR);
			SC(close, d);
		}
	}
	/* preadv2/pwritev2: offset -1 is the file offset; flags */
	assert_int_equal(SC(pwritev2, b, iov, 2, 0, 0), 6);
	assert_int_equal(SC(lseek, b, 0, SEEK_SET), 0);
	assert_int_equal(SC(preadv2, b, iov, 2, -1, RWF_HIPRI), 6);
	assert_int_equal(SC(lseek, b, 0, SEEK_CUR), 6);
	assert_int_equal(SC(preadv2, b, iov, 2, 1, 0), 6);
	assert_int_equal(SC(lseek, b, 0, SEEK_CUR), 6);
	assert_int_equal(SC(preadv2, b, iov, 2, 0, 0x100), -EOPNOTSUPP);
	assert_int_equal(SC(preadv2, b, iov, 2, -2, 0), -EINVAL);
	assert_int_equal(SC(fstat, b, &st), 0);
	off = st.st_size;
	assert_int_equal(SC(pwritev2, b, iov, 1, 0, RWF_APPEND), 3);
	assert_int_equal(SC(fstat, b, &st), 0);
	assert_int_equal(st.st_size, off + 3);
	assert_int_equal(SC(fcntl, b, F_GETFL, 0) & O_APPEND, 0);
	/* fallocate extends (mode 0), KEEP_SIZE keeps */
	assert_int_equal(SC(fallocate, a, 0, 0, 5000), 0);
	assert_int_equal(SC(fstat, a, &st), 0);
	assert_int_equal(st.st_size, 5000);
	assert_int_equal(SC(fallocate, a, FALLOC_FL_KEEP_SIZE, 0, 9000), 0);
	assert_int_equal(SC(fstat, a, &st), 0);
	assert_int_equal(st.st_size, 5000);
	assert_int_equal(SC(fallocate, a,
			    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10),
			 -EOPNOTSUPP);
	assert_int_equal(SC(fallocate, a, 0, -1, 10), -EINVAL);
	assert_int_equal(SC(fallocate, a, 0, 0, 0), -EINVAL);
	{
		int ro = SC(open, "/src", O_RDONLY, 0);

		assert_int_equal(SC(fallocate, ro, 0, 0, 10), -EBADF);
		assert_int_equal(SC(fadvise64, ro, 0, 0, POSIX_FADV_SEQUENTIAL),
				 0);
		assert_int_equal(SC(fadvise64, ro, 0, 0, 9), -EINVAL);
		assert_int_equal(SC(fadvise64, ro, 0, -1, 0), -EINVAL);
		SC(close, ro);
	}
	assert_int_equal(SC(fadvise64, 99, 0, 0, 0), -EBADF);
	/* readahead, sync, syncfs */
	assert_int_equal(SC(readahead, a, 0, 100), 0);
	assert_int_equal(SC(readahead, 99, 0, 100), -EBADF);
	{
		int d = SC(open, "/cd", O_RDONLY, 0);

		assert_int_equal(SC(readahead, d, 0, 100), -EINVAL);
		assert_int_equal(SC(syncfs, d), 0);
		SC(close, d);
	}
	assert_int_equal(uk_syscall_call(sync), 0);
	assert_int_equal(SC(syncfs, 99), -EBADF);
	/* close_range: CLOEXEC marks, plain closes */
	assert_int_equal(SC(close_range, a, b, CLOSE_RANGE_CLOEXEC), 0);
	assert_int_equal(SC(fcntl, a, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(SC(fcntl, b, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(SC(close_range, b, a, 0), -EINVAL);
	assert_int_equal(SC(close_range, a, b, 0x80), -EINVAL);
	assert_int_equal(SC(close_range, a, ~0U, 0), 0);
	assert_int_equal(SC(fcntl, a, F_GETFD, 0), -EBADF);
	assert_int_equal(SC(fcntl, b, F_GETFD, 0), -EBADF);
}

static void test_utimes(void **state)
{
	struct stat st;
	struct timeval tv[2] = {{100, 5}, {200, 7}};
	struct utimbuf ub = {300, 400};

	(void)state;
	SC(close, SC(open, "/u", O_CREAT | O_RDWR, 0644));
	assert_int_equal(SC(utimes, "/u", tv), 0);
	assert_int_equal(SC(stat, "/u", &st), 0);
	assert_int_equal(st.st_atim.tv_sec, 100);
	assert_int_equal(st.st_atim.tv_nsec, 5000);
	assert_int_equal(st.st_mtim.tv_sec, 200);
	assert_int_equal(st.st_mtim.tv_nsec, 7000);
	assert_int_equal(SC(utime, "/u", &ub), 0);
	assert_int_equal(SC(stat, "/u", &st), 0);
	assert_int_equal(st.st_atim.tv_sec, 300);
	assert_int_equal(st.st_mtim.tv_sec, 400);
	assert_int_equal(SC(futimesat, AT_FDCWD, "u", tv), 0);
	assert_int_equal(SC(stat, "/u", &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 200);
	tv[0].tv_usec = 1000000;
	assert_int_equal(SC(utimes, "/u", tv), -EINVAL);
	assert_int_equal(SC(utimes, "/nope", NULL), -ENOENT);
	assert_int_equal(SC(utime, "/u", NULL), 0);
}

/* uk_vfs_path: directories by "..", other files by a bounded search of
 * their filesystem, across mounts. */
static struct uk_vnode *vn_of(int fd)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_vnode *vn;

	assert_non_null(f);
	vn = uk_vfs_file_vnode(f);
	uk_file_put(f);
	assert_non_null(vn);
	return vn;
}

static void test_vnode_path(void **state)
{
	char buf[128], deep[200];
	int fd, d, m;

	(void)state;
	assert_int_equal(SC(mkdir, "/a", 0755), 0);
	assert_int_equal(SC(mkdir, "/a/b", 0755), 0);
	assert_int_equal(put("/a/b/f", "x"), 0);
	assert_int_equal(put("/top", "y"), 0);
	fd = (int)SC(open, "/a/b/f", O_RDONLY);
	d = (int)SC(open, "/a/b", O_RDONLY | O_DIRECTORY);
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, sizeof(buf)), 6);
	assert_string_equal(buf, "/a/b/f");
	assert_int_equal(uk_vfs_path(vn_of(d), buf, sizeof(buf)), 4);
	assert_string_equal(buf, "/a/b");
	SC(close, fd);
	fd = (int)SC(open, "/top", O_RDONLY);
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, sizeof(buf)), 4);
	assert_string_equal(buf, "/top");
	/* the buffer: the length and the NUL must fit */
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, 4), -ENAMETOOLONG);
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, 5), 4);
	/* hard links: one of the names; unlinked: none */
	assert_int_equal(SC(link, "/top", "/a/other"), 0);
	assert_int_equal(SC(unlink, "/top"), 0);
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, sizeof(buf)), 8);
	assert_string_equal(buf, "/a/other");
	assert_int_equal(SC(unlink, "/a/other"), 0);
	assert_int_equal(uk_vfs_path(vn_of(fd), buf, sizeof(buf)), -ENOENT);
	SC(close, fd);
	/* another mount below */
	assert_int_equal(SC(mkdir, "/mnt", 0755), 0);
	assert_int_equal(SC(mount, "none", "/mnt", "ramfs", 0, NULL), 0);
	assert_int_equal(SC(mkdir, "/mnt/in", 0755), 0);
	assert_int_equal(put("/mnt/in/g", "z"), 0);
	m = (int)SC(open, "/mnt/in/g", O_RDONLY);
	assert_int_equal(uk_vfs_path(vn_of(m), buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/mnt/in/g");
	SC(close, m);
	m = (int)SC(open, "/mnt", O_RDONLY | O_DIRECTORY);
	assert_int_equal(uk_vfs_path(vn_of(m), buf, sizeof(buf)), 4);
	assert_string_equal(buf, "/mnt");
	SC(close, m);
	/* 40 levels down: beyond the search's 32, found for directories */
	strcpy(deep, "/a");
	for (int i = 0; i < 40; i++) {
		strcat(deep, "/d");
		assert_int_equal(SC(mkdir, deep, 0755), 0);
	}
	m = (int)SC(open, deep, O_RDONLY | O_DIRECTORY);
	assert_int_equal(uk_vfs_path(vn_of(m), buf, sizeof(buf)), 82);
	SC(close, m);
	strcat(deep, "/leaf");
	assert_int_equal(put(deep, "l"), 0);
	m = (int)SC(open, deep, O_RDONLY);
	assert_int_equal(uk_vfs_path(vn_of(m), buf, sizeof(buf)), -ENOENT);
	SC(close, m);
	SC(close, d);
}

/* getdents (the old record), faccessat2, sync_file_range */
static void test_old_and_new_calls(void **state)
{
	char buf[256], names[128] = "";
	long n;
	int fd, d;

	(void)state;
	assert_int_equal(SC(mkdir, "/dd", 0755), 0);
	assert_int_equal(put("/dd/file", "x"), 0);
	assert_int_equal(SC(symlink, "/nowhere", "/dd/link"), 0);
	assert_int_equal(SC(mkdir, "/dd/sub", 0755), 0);
	d = (int)SC(open, "/dd", O_RDONLY | O_DIRECTORY);
	n = SC(getdents, d, buf, sizeof(buf));
	assert_true(n > 0);
	for (long at = 0; at < n;) {
		unsigned short rl;
		char *name = buf + at + 18, type;

		memcpy(&rl, buf + at + 16, 2);
		assert_int_equal(rl % 8, 0);
		type = buf[at + rl - 1];
		strcat(names, name);
		strcat(names, type == 4 ? "/ " : type == 10 ? "@ " : " ");
		at += rl;
	}
	assert_non_null(strstr(names, "./ ../ "));
	assert_non_null(strstr(names, "file "));
	assert_non_null(strstr(names, "link@ "));
	assert_non_null(strstr(names, "sub/ "));
	assert_int_equal(SC(getdents, d, buf, sizeof(buf)), 0);
	assert_int_equal(SC(getdents, 999, buf, sizeof(buf)), -EBADF);
	/* faccessat2 */
	assert_int_equal(SC(faccessat2, AT_FDCWD, "/dd/file", R_OK, 0), 0);
	assert_int_equal(SC(faccessat2, AT_FDCWD, "/dd/file", X_OK, AT_EACCESS),
			 -EACCES);
	assert_int_equal(SC(faccessat2, AT_FDCWD, "/dd/link", F_OK, 0),
			 -ENOENT);
	assert_int_equal(
		SC(faccessat2, AT_FDCWD, "/dd/link", F_OK, AT_SYMLINK_NOFOLLOW),
		0);
	fd = (int)SC(open, "/dd/file", O_RDONLY);
	assert_int_equal(SC(faccessat2, fd, "", R_OK, AT_EMPTY_PATH), 0);
	assert_int_equal(SC(faccessat2, fd, "", R_OK, 0), -ENOENT);
	assert_int_equal(SC(faccessat2, AT_FDCWD, "/dd", R_OK, 0x4000),
			 -EINVAL);
	assert_int_equal(SC(faccessat2, AT_FDCWD, "/dd", 8, 0), -EINVAL);
	/* sync_file_range: checks, then nothing to do */
	assert_int_equal(SC(sync_file_range, fd, 0, 10, 7), 0);
	assert_int_equal(SC(sync_file_range, fd, 0, 10, 8), -EINVAL);
	assert_int_equal(SC(sync_file_range, fd, -1, 10, 0), -EINVAL);
	assert_int_equal(SC(sync_file_range, fd, 1, 0x7fffffffffffffffL, 0),
			 -EINVAL);
	assert_int_equal(SC(sync_file_range, 999, 0, 0, 0), -EBADF);
	assert_int_equal(SC(sync_file_range, 1, 0, 0, 0), -ESPIPE);
	SC(close, fd);
	SC(close, d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_nodes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tmpfile_statx, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_copy_alloc, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_utimes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getdents_delete, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_open, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vnode_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_old_and_new_calls, setup,
						teardown),
	};
	assert_int_equal(uk_fdtab_init(), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
