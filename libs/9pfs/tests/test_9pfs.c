/* SPDX-License-Identifier: BSD-3-Clause */
/* 9pfs end to end: the POSIX calls (vfscore, fdtab) over 9pfs over uk9p
 * over the test server sharing a temporary host directory. What the image
 * writes is checked on the host, what the host writes is read in the
 * image. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>
#include <uk/9p.h>
#include <uk/9p_testing.h>
#include <uk/9pfs.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

static char dir[PATH_MAX];
static struct p9_test *S;
static char tags[32][16], *tag;

static void hp(char *out, const char *rel)
{
	snprintf(out, PATH_MAX, "%.2000s/%.1000s", dir, rel);
}

static void host_write(const char *rel, const void *d, size_t n)
{
	char p[PATH_MAX];
	hp(p, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, n, f), n);
	fclose(f);
}

static long host_read(const char *rel, void *d, size_t n)
{
	char p[PATH_MAX];
	hp(p, rel);
	FILE *f = fopen(p, "rb");
	if (!f)
		return -1;
	long r = (long)fread(d, 1, n, f);
	fclose(f);
	return r;
}

static int setup(void **state)
{
	static int n;
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/9pfs-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	S = calloc(1, sizeof(*S));
	tag = tags[n];
	snprintf(tags[n], sizeof(tags[n]), "share%d", n);
	n++;
	assert_int_equal(p9_test_init(S, tag, dir, 1 << 20), 0);
	assert_int_equal(uk_9p_trans_register(&S->trans), 0);
	assert_int_equal(uk_9pfs_init(), 0);
	plat_out_reset();
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	SC(umount2, "/", 0);
	assert_int_equal(S->open_fids, 0); /* nothing leaked */
	p9_test_fini(S);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void mount_root(const char *opts)
{
	assert_int_equal(SC(mount, tag, "/", "9pfs", 0, opts), 0);
}

static void test_mount_errors(void **state)
{
	(void)state;
	assert_int_equal(SC(mount, "nosuch", "/", "9pfs", 0, NULL), -ENODEV);
	assert_non_null(plat_out_find("no 9P device with mount tag 'nosuch'"));
	assert_non_null(plat_out_find(tag));
	assert_int_equal(SC(mount, tag, "/", "9pfs", 0, "bogus=1"), -EINVAL);
	assert_non_null(plat_out_find("unknown option 'bogus=1'"));
	assert_int_equal(SC(mount, tag, "/", "9pfs", 0, "msize=x"), -EINVAL);
	/* the server refuses the attach */
	S->fail_type = UK_9P_TATTACH;
	S->fail_errno = 13;
	assert_int_equal(SC(mount, tag, "/", "9pfs", 0, NULL), -EACCES);
	/* vfs.mount's way, with a small msize */
	assert_int_equal(uk_vfs_mount_spec("9pfs:nosuch:/"), -ENODEV);
	char spec[64];
	snprintf(spec, sizeof(spec), "9pfs:%s:/:msize=8192", tag);
	assert_int_equal(uk_vfs_mount_spec(spec), 0);
	assert_int_equal(S->msize, 8192);
}

/* Files both ways, large ones in msize pieces, holes, truncate. */
static void test_files(void **state)
{
	static uint8_t big[3 << 20], back[3 << 20];
	char buf[64];
	struct uk_stat st;
	int fd;

	(void)state;
	mount_root("msize=65536");
	/* host -> image */
	host_write("fromhost", "made on the host\n", 17);
	fd = (int)SC(open, "/fromhost", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 17);
	assert_memory_equal(buf, "made on the host\n", 17);
	assert_int_equal(SC(close, fd), 0);
	/* image -> host */
	fd = (int)SC(open, "/fromimage", O_CREAT | O_WRONLY | O_EXCL, 0640);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, "written in the image", 20), 20);
	assert_int_equal(SC(fsync, fd), 0);
	assert_true(S->nreq[UK_9P_TFSYNC] >= 1);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(host_read("fromimage", buf, sizeof(buf)), 20);
	assert_memory_equal(buf, "written in the image", 20);
	assert_int_equal(
		SC(open, "/fromimage", O_CREAT | O_EXCL | O_RDWR, 0644),
		-EEXIST);
	/* 3 MiB in 64 KiB messages */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31 + (i >> 12));
	fd = (int)SC(open, "/big", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(write, fd, big, sizeof(big)), sizeof(big));
	assert_int_equal(SC(pread64, fd, back, sizeof(back), 0), sizeof(back));
	assert_memory_equal(big, back, sizeof(big));
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, sizeof(big));
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(host_read("big", back, sizeof(back)), sizeof(big));
	assert_memory_equal(big, back, sizeof(big));
	/* a hole: the host file is sparse, reads give zeros */
	fd = (int)SC(open, "/holes", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(pwrite64, fd, "end", 3, 5 << 20), 3);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, (5 << 20) + 3);
	assert_int_equal(SC(pread64, fd, back, 4096, 1 << 20), 4096);
	for (int i = 0; i < 4096; i++)
		assert_int_equal(back[i], 0);
	assert_true(st.st_blocks < 100); /* the host kept it sparse */
	/* truncate down and up */
	assert_int_equal(SC(ftruncate, fd, 2), 0);
	assert_int_equal(SC(pread64, fd, back, 100, 0), 2);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(SC(truncate, "/holes", 10000), 0);
	assert_int_equal(SC(stat, "/holes", &st), 0);
	assert_int_equal(st.st_size, 10000);
	/* O_APPEND, O_TRUNC */
	fd = (int)SC(open, "/fromimage", O_WRONLY | O_APPEND);
	assert_int_equal(SC(write, fd, "+", 1), 1);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(host_read("fromimage", buf, sizeof(buf)), 21);
	fd = (int)SC(open, "/fromimage", O_WRONLY | O_TRUNC);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(host_read("fromimage", buf, sizeof(buf)), 0);
	/* chmod and utimes reach the host */
	struct uk_vfs_time t[2] = {{1000000000, 0}, {1200000000, 5}};
	assert_int_equal(SC(chmod, "/big", 0600), 0);
	assert_int_equal(SC(utimensat, -100, "/big", t, 0), 0);
	char p[PATH_MAX];
	struct stat hst;
	hp(p, "big");
	assert_int_equal(stat(p, &hst), 0);
	assert_int_equal(hst.st_mode & 0777, 0600);
	assert_int_equal(hst.st_mtime, 1200000000);
	/* a change made on the host shows in stat */
	host_write("big", "x", 1);
	assert_int_equal(SC(stat, "/big", &st), 0);
	assert_int_equal(st.st_size, 1);
	struct uk_statfs sf;
	assert_int_equal(SC(statfs, "/", &sf), 0);
	assert_int_equal(sf.f_type, 0x01021997);
}

static int count_dir(const char *path, int *dots)
{
	static char buf[8192];
	int fd = (int)SC(open, path, O_RDONLY | O_DIRECTORY), n = 0;
	long got;

	assert_true(fd >= 0);
	*dots = 0;
	while ((got = SC(getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long pos = 0; pos < got;) {
			struct uk_dirent64 *d = (void *)(buf + pos);
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				(*dots)++;
			else
				n++;
			pos += d->d_reclen;
		}
	}
	assert_int_equal(got, 0);
	assert_int_equal(SC(close, fd), 0);
	return n;
}

/* Directories, many files, rename, unlink, symlinks, cwd. */
static void test_dirs(void **state)
{
	char buf[PATH_MAX], p[PATH_MAX];
	struct uk_stat st;
	int fd, dots;

	(void)state;
	mount_root(NULL);
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	assert_int_equal(SC(mkdir, "/d", 0755), -EEXIST);
	assert_int_equal(SC(mkdir, "/d/sub", 0700), 0);
	for (int i = 0; i < 3000; i++) {
		char nm[32];
		snprintf(nm, sizeof(nm), "/d/f%05d", i);
		fd = (int)SC(open, nm, O_CREAT | O_WRONLY, 0644);
		assert_true(fd >= 0);
		assert_int_equal(SC(write, fd, nm, strlen(nm)), strlen(nm));
		assert_int_equal(SC(close, fd), 0);
	}
	assert_int_equal(count_dir("/d", &dots), 3001);
	assert_int_equal(dots, 2);
	assert_int_equal(host_read("d/f02999", buf, sizeof(buf)), 9);
	/* rename: a file across directories, a directory, over a file */
	assert_int_equal(SC(rename, "/d/f00001", "/d/sub/moved"), 0);
	hp(p, "d/sub/moved");
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(SC(rename, "/d/sub", "/sub2"), 0);
	assert_int_equal(SC(stat, "/sub2/moved", &st), 0);
	assert_int_equal(SC(rename, "/d/f00002", "/d/f00003"), 0);
	fd = (int)SC(open, "/d/f00003", O_RDONLY);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 9);
	assert_memory_equal(buf, "/d/f00002", 9);
	assert_int_equal(SC(close, fd), 0);
	/* unlink while open: still readable */
	fd = (int)SC(open, "/d/f00004", O_RDONLY);
	assert_int_equal(SC(unlink, "/d/f00004"), 0);
	assert_int_equal(SC(stat, "/d/f00004", &st), -ENOENT);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 9);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(SC(close, fd), 0);
	/* rmdir */
	assert_int_equal(SC(rmdir, "/d"), -ENOTEMPTY);
	assert_int_equal(SC(rmdir, "/sub2"), -ENOTEMPTY);
	assert_int_equal(SC(unlink, "/sub2/moved"), 0);
	assert_int_equal(SC(rmdir, "/sub2"), 0);
	assert_int_equal(SC(unlink, "/d"), -EISDIR);
	/* symlinks */
	assert_int_equal(SC(symlink, "d/f00005", "/ln"), 0);
	assert_int_equal(SC(readlink, "/ln", buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "d/f00005", 8);
	fd = (int)SC(open, "/ln", O_RDONLY);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 9);
	assert_int_equal(SC(close, fd), 0);
	hp(p, "ln");
	ssize_t n = readlink(p, buf, sizeof(buf));
	assert_int_equal(n, 8);
	assert_int_equal(SC(lstat, "/ln", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a host-made directory tree is walked */
	hp(p, "hostdir");
	assert_int_equal(mkdir(p, 0755), 0);
	host_write("hostdir/x", "y", 1);
	assert_int_equal(SC(stat, "/hostdir/x", &st), 0);
	assert_int_equal(st.st_size, 1);
	/* cwd and getcwd across the tree */
	assert_int_equal(SC(chdir, "/hostdir"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/hostdir");
	assert_int_equal(SC(stat, "x", &st), 0);
	assert_int_equal(SC(chdir, "/"), 0);
}

/* Server errors reach the caller as errno; nothing written is lost. */
static void test_errors(void **state)
{
	char buf[64];
	int fd;

	(void)state;
	mount_root(NULL);
	fd = (int)SC(open, "/f", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(write, fd, "12345", 5), 5);
	S->fail_type = UK_9P_TWRITE;
	S->fail_errno = 28; /* ENOSPC on the host */
	assert_int_equal(SC(write, fd, "67890", 5), -ENOSPC);
	S->fail_type = UK_9P_TREAD;
	S->fail_errno = 5;
	assert_int_equal(SC(pread64, fd, buf, 5, 0), -EIO);
	assert_int_equal(SC(pread64, fd, buf, 10, 0), 5);
	assert_memory_equal(buf, "12345", 5);
	S->fail_type = UK_9P_TFSYNC;
	S->fail_errno = 5;
	assert_int_equal(SC(fsync, fd), -EIO);
	assert_int_equal(SC(close, fd), 0);
	S->fail_type = UK_9P_TMKDIR;
	S->fail_errno = 13;
	assert_int_equal(SC(mkdir, "/nope", 0755), -EACCES);
	S->garble_type = UK_9P_TWALK;
	assert_int_equal(SC(stat, "/f", NULL), -EIO);
	assert_non_null(plat_out_find("malformed reply"));
	assert_int_equal(host_read("f", buf, sizeof(buf)), 5);
	assert_int_equal(SC(umount2, "/", 0), 0);
	/* read-only: every change refused with EROFS, reads work */
	mount_root("ro");
	assert_int_equal(SC(open, "/g", O_CREAT | O_RDWR, 0644), -EROFS);
	assert_int_equal(SC(mkdir, "/g", 0755), -EROFS);
	assert_int_equal(SC(unlink, "/f"), -EROFS);
	assert_int_equal(SC(rename, "/f", "/h"), -EROFS);
	assert_int_equal(SC(chmod, "/f", 0600), -EROFS);
	fd = (int)SC(open, "/f", O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, "x", 1), -EROFS);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 5);
	assert_int_equal(SC(close, fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mount_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
