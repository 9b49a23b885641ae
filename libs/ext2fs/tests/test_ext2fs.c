/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ext2fs end to end: images made at test time by mke2fs -d (e2fsprogs),
 * mounted through vfscore on ukblkdev's memory double, changed through the
 * POSIX calls, and checked afterwards by e2fsck -fn and debugfs. Corrupted
 * and truncated copies, a full disk, a read-only device, power cuts.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>
#include <uk/blkdev.h>
#include <uk/blkdev_testing.h>
#include <uk/ext2fs.h>
#include <uk/fdtab.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

uint64_t ukplat_monotonic_clock(void)
{
	static uint64_t t;
	return t += 1000;
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	(void)deadline_ns;
	(void)wake;
}

static char dir[64], img[128], src[128];
static struct bd_test *D;
static char names[128][16], *devname;
static int ndev;

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void host_file(const char *rel, const void *data, size_t n)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/%s", src, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* The source tree mke2fs -d copies in. */
static void make_tree(void)
{
	char p[600];
	static char big[200000];
	assert_int_equal(
		sh("rm -rf %s && mkdir -p %s/sub/deep %s/many", src, src, src),
		0);
	host_file("hello.txt", "made on the host\n", 17);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 13 + i / 4096);
	host_file("sub/big.bin", big, sizeof(big));
	host_file("sub/deep/x", "x\n", 2);
	for (int i = 0; i < 300; i++) {
		char nm[32], txt[32];
		snprintf(nm, sizeof(nm), "many/f%03d", i);
		snprintf(txt, sizeof(txt), "%d\n", i);
		host_file(nm, txt, strlen(txt));
	}
	snprintf(p, sizeof(p), "%s/fastlink", src);
	assert_int_equal(symlink("hello.txt", p), 0);
	char longt[200];
	memset(longt, 'a', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = 0;
	snprintf(p, sizeof(p), "%s/slowlink", src);
	assert_int_equal(symlink(longt, p), 0);
	/* a sparse file: 1 MiB hole */
	snprintf(p, sizeof(p), "%s/sparse", src);
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(pwrite(fd, "end", 3, 1 << 20) == 3);
	close(fd);
}

/* mke2fs an image of `size` from the tree; load it into a new disk. */
static void mkfs(const char *opts, const char *size, uint32_t features)
{
	struct stat st;
	assert_int_equal(sh("mke2fs -q -F -t ext2 %s -d %s %s %s >/dev/null "
			    "2>&1",
			    opts, src, img, size),
			 0);
	assert_int_equal(stat(img, &st), 0);
	D = calloc(1, sizeof(*D));
	devname = names[ndev];
	snprintf(names[ndev], sizeof(names[ndev]), "ram%d", ndev);
	ndev++;
	assert_int_equal(bd_test_init(D, devname, (uint64_t)st.st_size / 512,
				      512, features),
			 0);
	assert_int_equal(bd_test_load(D, img), 0);
	assert_true(uk_blkdev_register(&D->dev) >= 0);
}

/* e2fsck -fn on the disk as it is (or as a power cut left it). */
static int fsck(int durable)
{
	assert_int_equal(bd_test_save(D, img, durable), 0);
	return sh("e2fsck -fn %s >%s/fsck.log 2>&1", img, dir);
}

static void expect_clean(int durable)
{
	int rc = fsck(durable);
	if (rc) {
		sh("cat %s/fsck.log", dir);
		fail_msg("e2fsck -fn exited with %d", rc);
	}
}

static char crash_at[160]; /* where a crash sweep stopped the device */

/* e2fsck -fn finds at most leaked blocks and inodes (what an interrupted
 * ordered commit leaves); e2fsck -fy repairs them, -fn is clean after. */
static void leaks_only(int durable)
{
	int rc = fsck(durable);
	if (rc) {
		assert_int_equal(rc, 4);
		/* leaks: marked used but unused, counts off, an inode with
		 * no name, a link count too high */
		rc = sh("grep -vE '^(e2fsck [0-9]|Pass [1-5]|Block bitmap "
			"differences|Inode bitmap differences|Free "
			"(blocks|inodes) "
			"count wrong|Directories count wrong|Fix\\? no|Padding "
			"at end|Unattached (zero-length )?inode [0-9]+|Connect "
			"to "
			"/lost\\+found\\? no|Inode [0-9]+, i_(blocks|size) is "
			"[0-9]+, should be [0-9]+\\.  Fix\\? no|Inode [0-9]+ "
			"ref "
			"count is [0-9]+, "
			"should be [0-9]+\\.  Fix\\? no|$|.*WARNING: "
			"Filesystem "
			"still has errors|.*files \\()' %s/fsck.log",
			dir);
		/* never a count below the names an inode has, nor a block or
		 * inode in use but marked free (a + difference) */
		int low = sh("grep -E 'ref count is [0-9]+, should be' "
			     "%s/fsck.log | awk '{ if ($6 + 0 < $9 + 0) bad = "
			     "1 } END { exit bad ? 0 : 1 }'",
			     dir) == 0;
		low |= sh("grep -qE 'bitmap differences:.* \\+' %s/fsck.log",
			  dir) == 0;
		if (rc == 0 || low) {
			sh("cat %s/fsck.log", dir);
			fail_msg("e2fsck found more than leaks%s", crash_at);
		}
		assert_int_equal(sh("e2fsck -fy %s >/dev/null 2>&1", img) & ~1,
				 0);
		assert_int_equal(sh("e2fsck -fn %s >/dev/null 2>&1", img), 0);
	}
}

static void unmount_and_check(void)
{
	assert_int_equal(SC(umount2, "/", 0), 0);
	expect_clean(0);
	/* and the superblock says clean */
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q "
			    "'state:.*clean'",
			    img),
			 0);
}

static int setup(void **state)
{
	(void)state;
	if (sh("command -v mke2fs >/dev/null && command -v e2fsck >/dev/null "
	       "&& command -v debugfs >/dev/null"))
		skip(); /* e2fsprogs missing */
	snprintf(dir, sizeof(dir), "/tmp/ext2fs-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(src, sizeof(src), "%s/src", dir);
	make_tree();
	assert_int_equal(uk_ext2fs_init(), 0);
	plat_out_reset();
	D = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	SC(umount2, "/", 0);
	if (D)
		bd_test_fini(D); /* the struct stays: registered for good */
	sh("rm -rf %s", dir);
	return 0;
}

static void mount_rw(const char *opts)
{
	int rc = (int)SC(mount, devname, "/", "ext2", 0, opts);
	if (rc) {
		printf("%s\n", plat_out);
		fail_msg("mount: %d", rc);
	}
}

static long cat(const char *path, char *buf, size_t cap)
{
	int fd = (int)SC(open, path, O_RDONLY);
	if (fd < 0)
		return fd;
	long n = SC(read, fd, buf, cap);
	SC(close, fd);
	return n;
}

static void put(const char *path, const void *data, size_t n)
{
	int fd = (int)SC(open, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, data, n), n);
	assert_int_equal(SC(close, fd), 0);
}

/* What mke2fs put in reads back, for several geometries. */
static void read_tree(void)
{
	static char buf[300000];
	struct uk_stat st;
	assert_int_equal(cat("/hello.txt", buf, sizeof(buf)), 17);
	assert_memory_equal(buf, "made on the host\n", 17);
	assert_int_equal(cat("/sub/big.bin", buf, sizeof(buf)), 200000);
	for (int i = 0; i < 200000; i++)
		if (buf[i] != (char)(i * 13 + i / 4096))
			fail_msg("big.bin byte %d", i);
	assert_int_equal(cat("/fastlink", buf, sizeof(buf)), 17);
	assert_int_equal(SC(readlink, "/slowlink", buf, sizeof(buf)), 199);
	assert_int_equal(cat("/sub/deep/x", buf, sizeof(buf)), 2);
	assert_int_equal(SC(stat, "/sparse", &st), 0);
	assert_int_equal(st.st_size, (1 << 20) + 3);
	int fd = (int)SC(open, "/sparse", O_RDONLY);
	assert_int_equal(SC(pread64, fd, buf, 4096, 4096), 4096);
	assert_int_equal(SC(close, fd), 0);
	for (int i = 0; i < 4096; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(cat("/many/f299", buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "299\n", 4);
}

static void test_geometries(void **state)
{
	const char *opts[] = {"-b 1024 -I 128", "-b 2048 -I 256",
			      "-b 4096 -I 256", "-b 1024 -I 256 -O ^filetype",
			      "-b 4096 -r 0"};
	(void)state;
	for (unsigned i = 0; i < sizeof(opts) / sizeof(*opts); i++) {
		mkfs(opts[i], "8M", 0);
		mount_rw(NULL);
		read_tree();
		/* and a change in each */
		put("/new.txt", "new\n", 4);
		assert_int_equal(SC(mkdir, "/newdir", 0755), 0);
		assert_int_equal(SC(rename, "/hello.txt", "/newdir/h"), 0);
		unmount_and_check();
		assert_int_equal(sh("debugfs -R 'cat /newdir/h' %s 2>/dev/null "
				    "| grep -q 'made on the host'",
				    img),
				 0);
		bd_test_fini(D);
		D = NULL;
	}
}

/* Files: create, overwrite, append, holes, truncate, large (double and
 * triple indirect blocks), and e2fsck agrees afterwards. */
static void test_files(void **state)
{
	static uint8_t big[6 << 20], back[6 << 20];
	struct uk_stat st;
	char buf[64];
	int fd;

	(void)state;
	mkfs("-b 1024 -I 256", "64M", UK_BLKDEV_F_FLUSH);
	mount_rw(NULL);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 10));
	fd = (int)SC(open, "/big", O_CREAT | O_RDWR | O_EXCL, 0600);
	assert_true(fd >= 0);
	/* unaligned pieces */
	assert_int_equal(SC(write, fd, big, 1000), 1000);
	assert_int_equal(SC(write, fd, big + 1000, sizeof(big) - 1000),
			 sizeof(big) - 1000);
	assert_int_equal(SC(pread64, fd, back, sizeof(back), 0), sizeof(big));
	assert_memory_equal(big, back, sizeof(big));
	assert_int_equal(SC(fsync, fd), 0);
	assert_true(D->nflushes >= 1);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_int_equal(st.st_size, sizeof(big));
	/* holes: a block at 100 MiB (triple indirect with 1 KiB blocks) */
	assert_int_equal(SC(pwrite64, fd, "far", 3, 100 << 20), 3);
	assert_int_equal(SC(pread64, fd, buf, 10, (100 << 20) - 5), 8);
	assert_memory_equal(buf, "\0\0\0\0\0far", 8);
	/* truncate down into the middle of a block, then grow: zeros */
	assert_int_equal(SC(ftruncate, fd, 5000), 0);
	assert_int_equal(SC(ftruncate, fd, 9000), 0);
	assert_int_equal(SC(pread64, fd, back, 9000, 0), 9000);
	assert_memory_equal(back, big, 5000);
	for (int i = 5000; i < 9000; i++)
		assert_int_equal(back[i], 0);
	assert_int_equal(SC(close, fd), 0);
	/* append, O_TRUNC */
	put("/a", "one\n", 4);
	fd = (int)SC(open, "/a", O_WRONLY | O_APPEND);
	assert_int_equal(SC(write, fd, "two\n", 4), 4);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(cat("/a", buf, sizeof(buf)), 8);
	fd = (int)SC(open, "/a", O_WRONLY | O_TRUNC);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(cat("/a", buf, sizeof(buf)), 0);
	/* chmod, utimes: kept */
	struct uk_vfs_time t[2] = {{1000000000, 0}, {1300000000, 123}};
	assert_int_equal(SC(chmod, "/a", 0640), 0);
	assert_int_equal(SC(utimensat, -100, "/a", t, 0), 0);
	unmount_and_check();
	mount_rw(NULL);
	assert_int_equal(SC(stat, "/a", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(st.st_mtim_sec, 1300000000);
	assert_int_equal(st.st_mtim_nsec, 123);
	assert_int_equal(SC(stat, "/big", &st), 0);
	assert_int_equal(st.st_size, 9000);
	assert_int_equal(SC(unlink, "/big"), 0);
	unmount_and_check();
	/* every block of the big file came back */
	assert_int_equal(sh("debugfs -R 'stat /big' %s 2>&1 | grep -q 'not "
			    "found'",
			    img),
			 0);
}

static int count_dir(const char *path)
{
	static char buf[8192];
	int fd = (int)SC(open, path, O_RDONLY | O_DIRECTORY), n = 0;
	long got;
	assert_true(fd >= 0);
	while ((got = SC(getdents64, fd, buf, sizeof(buf))) > 0)
		for (long pos = 0; pos < got;) {
			struct uk_dirent64 *d = (void *)(buf + pos);
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				n++;
			pos += d->d_reclen;
		}
	assert_int_equal(got, 0);
	SC(close, fd);
	return n;
}

/* Directories: 10,000 files, listings while deleting, rename rules, rmdir,
 * link counts (e2fsck checks them). */
static void test_dirs(void **state)
{
	struct uk_stat st;
	char nm[64], buf[64];

	(void)state;
	mkfs("-b 4096 -I 256 -N 20000", "64M", 0);
	mount_rw(NULL);
	assert_int_equal(SC(mkdir, "/d", 0755), 0);
	for (int i = 0; i < 10000; i++) {
		snprintf(nm, sizeof(nm), "/d/file-%05d", i);
		put(nm, nm, strlen(nm));
	}
	assert_int_equal(count_dir("/d"), 10000);
	assert_int_equal(SC(open, "/d/file-00007", O_CREAT | O_EXCL, 0644),
			 -EEXIST);
	/* delete every other one while listing */
	for (int i = 0; i < 10000; i += 2) {
		snprintf(nm, sizeof(nm), "/d/file-%05d", i);
		assert_int_equal(SC(unlink, nm), 0);
	}
	assert_int_equal(count_dir("/d"), 5000);
	assert_int_equal(cat("/d/file-09999", buf, sizeof(buf)), 13);
	/* rename rules */
	assert_int_equal(SC(mkdir, "/d/sub", 0755), 0);
	assert_int_equal(SC(mkdir, "/e", 0755), 0);
	assert_int_equal(SC(rename, "/d", "/d/sub/x"), -EINVAL);
	assert_int_equal(SC(rename, "/d/sub", "/e"), 0); /* empty dir over */
	assert_int_equal(SC(stat, "/e", &st), 0);
	assert_int_equal(SC(rename, "/d/file-00001", "/e"), -EISDIR);
	put("/e/f", "f", 1);
	assert_int_equal(SC(rename, "/d", "/e"), -ENOTEMPTY);
	assert_int_equal(SC(rename, "/e", "/d/file-00003"), -ENOTDIR);
	assert_int_equal(SC(rename, "/d/file-00001", "/d/file-00003"), 0);
	assert_int_equal(cat("/d/file-00003", buf, sizeof(buf)), 13);
	assert_memory_equal(buf, "/d/file-00001", 13);
	assert_int_equal(SC(rename, "/e", "/d/moved"), 0); /* across */
	assert_int_equal(SC(stat, "/d/moved/f", &st), 0);
	assert_int_equal(SC(stat, "/d", &st), 0);
	assert_int_equal(st.st_nlink, 3); /* ".", "..": and moved's ".." */
	assert_int_equal(SC(rmdir, "/d"), -ENOTEMPTY);
	assert_int_equal(SC(rmdir, "/d/moved"), -ENOTEMPTY);
	assert_int_equal(SC(unlink, "/d/moved/f"), 0);
	assert_int_equal(SC(rmdir, "/d/moved"), 0);
	assert_int_equal(SC(unlink, "/d"), -EISDIR);
	/* symlinks both kinds */
	assert_int_equal(SC(symlink, "file-00005", "/d/l1"), 0);
	char longt[300];
	memset(longt, 'b', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = 0;
	assert_int_equal(SC(symlink, longt, "/d/l2"), 0);
	assert_int_equal(cat("/d/l1", buf, sizeof(buf)), 13);
	assert_int_equal(SC(readlink, "/d/l2", buf, 10), 10);
	/* getcwd walks the tree */
	assert_int_equal(SC(chdir, "/d"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 3);
	assert_int_equal(SC(chdir, "/"), 0);
	unmount_and_check();
	assert_int_equal(sh("debugfs -R 'ls /d' %s 2>/dev/null | grep -c "
			    "file- >/dev/null",
			    img),
			 0);
}

/* An unlinked open file keeps its data until closed; then its blocks are
 * free again. */
static void test_unlink_open(void **state)
{
	static uint8_t data[100000];
	struct uk_statfs a, b, c;
	int fd;

	(void)state;
	mkfs("-b 1024", "8M", 0);
	mount_rw(NULL);
	assert_int_equal(SC(statfs, "/", &a), 0);
	memset(data, 0x42, sizeof(data));
	put("/tmpf", data, sizeof(data));
	assert_int_equal(SC(statfs, "/", &b), 0);
	assert_true(b.f_bfree < a.f_bfree);
	fd = (int)SC(open, "/tmpf", O_RDWR);
	assert_int_equal(SC(unlink, "/tmpf"), 0);
	assert_int_equal(SC(pread64, fd, data, 10, 5000), 10);
	assert_int_equal(data[0], 0x42);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(SC(statfs, "/", &c), 0);
	assert_int_equal(c.f_bfree, a.f_bfree);
	assert_int_equal(c.f_ffree, a.f_ffree);
	unmount_and_check();
}

/* A full disk: ENOSPC, what was written before intact, space back after
 * unlink, and a consistent filesystem. */
static void test_enospc(void **state)
{
	static uint8_t blk[8192];
	char buf[64];
	long long total = 0;
	long w;
	int fd;

	(void)state;
	/* a small tree: the 1 MiB filesystem is for filling */
	assert_int_equal(sh("rm -rf %s && mkdir -p %s", src, src), 0);
	host_file("hello.txt", "made on the host\n", 17);
	mkfs("-b 1024", "1M", 0);
	mount_rw(NULL);
	put("/keep", "kept\n", 5);
	memset(blk, 0x33, sizeof(blk));
	fd = (int)SC(open, "/fill", O_CREAT | O_WRONLY, 0644);
	for (int i = 0; i < 10000; i++) {
		w = SC(write, fd, blk, sizeof(blk));
		if (w < 0)
			break;
		total += w;
	}
	assert_int_equal(w, -ENOSPC);
	assert_true(total > 100000);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(cat("/keep", buf, sizeof(buf)), 5);
	assert_int_equal(SC(mkdir, "/x", 0755), -ENOSPC);
	/* many small files until the inodes or blocks run out */
	int made = 0;
	for (int i = 0; i < 1000; i++) {
		char nm[32];
		snprintf(nm, sizeof(nm), "/s%d", i);
		fd = (int)SC(open, nm, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			assert_int_equal(fd, -ENOSPC);
			break;
		}
		made++;
		SC(close, fd);
	}
	unmount_and_check(); /* consistent at the edge */
	mount_rw(NULL);
	struct uk_stat st;
	assert_int_equal(SC(stat, "/fill", &st), 0);
	assert_int_equal(st.st_size, total);
	fd = (int)SC(open, "/fill", O_RDONLY);
	for (long long off = 0; off < total; off += (long long)sizeof(blk)) {
		w = SC(read, fd, blk, sizeof(blk));
		assert_true(w > 0);
		for (long i = 0; i < w; i++)
			if (blk[i] != 0x33)
				fail_msg("fill byte %lld", off + i);
	}
	SC(close, fd);
	assert_int_equal(SC(unlink, "/fill"), 0);
	put("/after", "space again\n", 12);
	assert_int_equal(cat("/keep", buf, sizeof(buf)), 5);
	unmount_and_check();
	(void)made;
}

/* Images that cannot be used: refused with the reason, nothing written. */
static void test_bad_images(void **state)
{
	(void)state;
	/* the magic */
	mkfs("-b 1024", "4M", 0);
	D->data[1024 + 56] = 0;
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("no ext2 superblock (magic"));
	assert_int_equal(D->nwrites, 0);
	bd_test_fini(D);
	/* a block size of 2^20 */
	mkfs("-b 1024", "4M", 0);
	D->data[1024 + 24] = 10;
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("block size 1024 << log (10)"));
	bd_test_fini(D);
	/* inodes count that does not match the groups */
	mkfs("-b 1024", "4M", 0);
	D->data[1024 + 0] ^= 0x40;
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("inodes count"));
	bd_test_fini(D);
	/* a group descriptor pointing past the end */
	mkfs("-b 1024", "4M", 0);
	D->data[2048 + 8 + 3] = 0x7f; /* inode table of group 0 */
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("group descriptor 0 is corrupt"));
	bd_test_fini(D);
	/* a truncated image: the device is smaller than the filesystem */
	mkfs("-b 1024", "4M", 0);
	D->sectors /= 2;
	D->dev.info.sectors /= 2;
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("truncated disk: the superblock says "
				      "4096 blocks of 1024 bytes"));
	D->sectors *= 2;
	bd_test_fini(D);
	/* a device too small for a superblock */
	mkfs("-b 1024", "4M", 0);
	D->dev.info.sectors = 3;
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("too small for an ext2 superblock"));
	bd_test_fini(D);
	/* no such device, unknown option */
	assert_int_equal(SC(mount, "vdz", "/", "ext2", 0, NULL), -ENODEV);
	assert_non_null(plat_out_find("no block device 'vdz'"));
	mkfs("-b 1024", "4M", 0);
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, "journal=yes"),
			 -EINVAL);
	assert_non_null(plat_out_find("unknown option 'journal=yes'"));
	bd_test_fini(D);
	D = NULL;
}

/* Features: ext4 with extents is refused by name; ext3 is read-only. */
static void test_features(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(sh("mke2fs -q -F -t ext4 -O ^has_journal -d %s %s 8M "
			    ">/dev/null 2>&1",
			    src, img),
			 0);
	D = calloc(1, sizeof(*D));
	devname = names[ndev];
	snprintf(names[ndev], sizeof(names[ndev]), "ext4dev%d", ndev);
	ndev++;
	assert_int_equal(bd_test_init(D, devname, 16384, 512, 0), 0);
	assert_int_equal(bd_test_load(D, img), 0);
	assert_true(uk_blkdev_register(&D->dev) >= 0);
	assert_int_equal(SC(mount, devname, "/", "ext2", 0, NULL), -EINVAL);
	assert_non_null(plat_out_find("needs feature '"));
	bd_test_fini(D);
	mkfs("-b 1024 -j", "8M", 0); /* ext3 */
	mount_rw(NULL);
	assert_non_null(plat_out_find("ext3 journal present"));
	assert_int_equal(cat("/hello.txt", buf, sizeof(buf)), 17);
	assert_int_equal(SC(open, "/n", O_CREAT | O_WRONLY, 0644), -EROFS);
	assert_int_equal(SC(umount2, "/", 0), 0);
	assert_int_equal(D->nwrites, 0);
}

/* A read-only device: mounted read-only, changes refused, nothing
 * written; the ro option likewise. */
static void test_readonly(void **state)
{
	char buf[64];
	int fd;

	(void)state;
	mkfs("-b 1024", "4M", UK_BLKDEV_F_RO);
	mount_rw(NULL);
	assert_int_equal(cat("/hello.txt", buf, sizeof(buf)), 17);
	assert_int_equal(SC(open, "/n", O_CREAT | O_WRONLY, 0644), -EROFS);
	assert_int_equal(SC(mkdir, "/n", 0755), -EROFS);
	assert_int_equal(SC(unlink, "/hello.txt"), -EROFS);
	assert_int_equal(SC(rename, "/hello.txt", "/x"), -EROFS);
	assert_int_equal(SC(chmod, "/hello.txt", 0600), -EROFS);
	fd = (int)SC(open, "/hello.txt", O_RDWR);
	assert_int_equal(SC(write, fd, "x", 1), -EROFS);
	assert_int_equal(SC(ftruncate, fd, 0), -EROFS);
	SC(close, fd);
	assert_int_equal(SC(umount2, "/", 0), 0);
	assert_int_equal(D->nwrites, 0);
	bd_test_fini(D);
	mkfs("-b 1024", "4M", 0);
	assert_int_equal(SC(mount, devname, "/", "ext2", UK_MS_RDONLY, NULL),
			 0);
	assert_int_equal(SC(open, "/n", O_CREAT | O_WRONLY, 0644), -EROFS);
	assert_int_equal(SC(umount2, "/", 0), 0);
	assert_int_equal(D->nwrites, 0);
}

/* Corrupt metadata met at run time: -EIO with a message, no crash. */
static void test_corrupt_dir(void **state)
{
	struct uk_stat st;
	(void)state;
	mkfs("-b 1024", "4M", 0);
	/* find the root directory's first block with debugfs: blocks: N */
	assert_int_equal(
		sh("debugfs -R 'bmap / 0' %s 2>/dev/null > %s/b", img, dir), 0);
	char bpath[160];
	snprintf(bpath, sizeof(bpath), "%s/b", dir);
	FILE *f = fopen(bpath, "r");
	long blk = 0;
	assert_int_equal(fscanf(f, "%ld", &blk), 1);
	fclose(f);
	/* ".." entry's rec_len: 3 (not a multiple of 4) */
	D->data[blk * 1024 + 12 + 4] = 3;
	D->data[blk * 1024 + 12 + 5] = 0;
	mount_rw(NULL);
	assert_int_equal(SC(stat, "/hello.txt", &st), -EIO);
	assert_non_null(plat_out_find("corrupt filesystem: directory inode 2"));
	int fd = (int)SC(open, "/", O_RDONLY | O_DIRECTORY);
	static char dbuf[4096];
	assert_true(fd >= 0);
	assert_int_equal(SC(getdents64, fd, dbuf, sizeof(dbuf)), -EIO);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(SC(open, "/new", O_CREAT | O_WRONLY, 0644), -EIO);
	assert_int_equal(SC(umount2, "/", 0), 0);
	/* e2fsck sees the damage we were given, and nothing else */
	assert_int_not_equal(fsck(0), 0);
	assert_int_equal(sh("grep -q 'Pass 2' %s/fsck.log", dir), 0);
}

/* Durability: after fsync the data survives a power cut that loses every
 * later write; the filesystem as of the last flush is consistent. */
static void test_power_cut(void **state)
{
	char buf[64];
	int fd;

	(void)state;
	mkfs("-b 1024", "16M", UK_BLKDEV_F_FLUSH);
	mount_rw("barrier");
	for (int round = 0; round < 20; round++) {
		char nm[32], txt[32];
		snprintf(nm, sizeof(nm), "/txn%02d", round);
		snprintf(txt, sizeof(txt), "committed %d\n", round);
		fd = (int)SC(open, nm, O_CREAT | O_WRONLY, 0644);
		assert_int_equal(SC(write, fd, txt, strlen(txt)), strlen(txt));
		assert_int_equal(SC(fsync, fd), 0); /* reported committed */
		assert_int_equal(SC(close, fd), 0);
		/* more, never flushed */
		put("/scratch", "lost?\n", 6);
		assert_int_equal(SC(mkdir, "/tmpdir", 0755), 0);
		assert_int_equal(SC(rmdir, "/tmpdir"), 0);
	}
	/* the cut: everything after the last FLUSH is gone. Commits are
	 * ordered (bitmaps, then what points into them, then frees, a FLUSH
	 * between), so what is left can only leak blocks or inodes: e2fsck
	 * finds nothing else, and repairs that */
	bd_test_power_cut(D, 0);
	leaks_only(1);
	SC(umount2, "/", 0); /* the old mount's state is stale: drop it */
	bd_test_load(D, img);
	mount_rw("barrier");
	for (int round = 0; round < 20; round++) {
		char nm[32], txt[32];
		snprintf(nm, sizeof(nm), "/txn%02d", round);
		snprintf(txt, sizeof(txt), "committed %d\n", round);
		assert_int_equal(cat(nm, buf, sizeof(buf)), (long)strlen(txt));
		assert_memory_equal(buf, txt, strlen(txt));
	}
	unmount_and_check();
}

/* Power cuts at 30 random moments of a workload that appends fsynced
 * records to a log and churns other files meanwhile: after each cut the
 * log holds every record whose fsync returned, and e2fsck finds at most
 * leaks. */
static void cuts(int kill)
{
	static char rec[300];
	long committed = 0;

	mkfs("-b 1024", "16M", UK_BLKDEV_F_FLUSH);
	srand(11);
	for (int cut = 0; cut < 30; cut++) {
		int stop = 1 + rand() % 60, fd;
		mount_rw(kill ? NULL : "barrier");
		if (kill) /* the VMM dies at a random request */
			D->die_after = 1 + rand() % 400;
		fd = (int)SC(open, "/log", O_CREAT | O_WRONLY | O_APPEND, 0644);
		for (int op = 0; fd >= 0 && (kill || op < stop); op++) {
			char nm[32];
			snprintf(nm, sizeof(nm), "/churn%d", rand() % 8);
			if (rand() % 3 == 0) {
				SC(unlink, nm);
			} else {
				size_t n = (size_t)(rand() % 3000);
				int c = (int)SC(open, nm,
						O_CREAT | O_WRONLY | O_TRUNC,
						0644);
				static char junk[3000];
				SC(write, c, junk, n);
				SC(close, c);
			}
			memset(rec, 'a' + (int)(committed % 26), sizeof(rec));
			snprintf(rec, sizeof(rec), "%08ld", committed + 1);
			if (SC(write, fd, rec, sizeof(rec)) != sizeof(rec) ||
			    SC(fdatasync, fd) != 0) {
				assert_true(kill && D->dead);
				break;
			}
			committed++; /* reported committed */
		}
		if (!kill)
			bd_test_power_cut(D, 0);
		if (fd >= 0)
			SC(close, fd);
		leaks_only(!kill);
		SC(umount2, "/", 0); /* the old mount's state is stale */
		D->dead = 0;
		D->die_after = 0;
		bd_test_load(D, img);
		mount_rw(NULL);
		/* every record reported committed is there; a record written
		 * whose fdatasync then failed may be too (not promised, not
		 * forbidden): the log goes on from what is there */
		struct uk_stat st;
		assert_int_equal(SC(stat, "/log", &st), 0);
		long have = st.st_size / (long)sizeof(rec);
		assert_int_equal(st.st_size % (long)sizeof(rec), 0);
		assert_true(have >= committed);
		fd = (int)SC(open, "/log", O_RDONLY);
		for (long i = 0; i < have; i++) {
			char want[24];
			assert_int_equal(SC(read, fd, rec, sizeof(rec)),
					 sizeof(rec));
			snprintf(want, sizeof(want), "%08ld", i + 1);
			assert_memory_equal(rec, want, 8);
		}
		SC(close, fd);
		committed = have;
		assert_int_equal(SC(umount2, "/", 0), 0);
	}
	expect_clean(0);
}

/* Power cuts (a write cache losing everything after the last FLUSH) at
 * 30 random moments of a workload that appends fsynced records to a log
 * and churns other files meanwhile, with the barrier option: the log
 * holds every record whose fdatasync returned, e2fsck finds at most
 * leaks. */
static void test_power_cuts(void **state)
{
	(void)state;
	cuts(0);
}

/* The same with the default mount and a VMM killed at a random request
 * (what was written before stays): the same promises without barriers. */
static void test_kills(void **state)
{
	(void)state;
	cuts(1);
}

/* Crash sweeps: an operation run on a fresh copy of an image with the
 * device gone after its first k requests (a killed VMM: what completed
 * stays), for every k up to the number the operation makes undisturbed;
 * the requests of a burst completing in order, then in reverse order. After
 * each, e2fsck -fn must find at most leaks: so every prefix of the
 * operation's writes is a state e2fsck accepts, which a random kill (the
 * durability harness) only samples. */
static char base[160];

static void sweep(const char *what, const char *opts, void (*prep)(void),
		  void (*op)(void))
{
	unsigned long n0, n;

	mkfs(opts, "8M", 0);
	snprintf(base, sizeof(base), "%s/base", dir);
	mount_rw(NULL);
	if (prep)
		prep();
	unmount_and_check();
	assert_int_equal(bd_test_save(D, base, 0), 0);
	mount_rw(NULL);
	n0 = D->nreqs;
	op();
	n = D->nreqs - n0;
	unmount_and_check(); /* undisturbed: clean */
	assert_true(n > 0);
	for (int rev = 0; rev < 2; rev++) {
		for (unsigned long k = 1; k <= n; k++) {
			assert_int_equal(bd_test_load(D, base), 0);
			mount_rw(NULL);
			D->reverse = rev;
			D->die_after = (long)k;
			op(); /* fails somewhere: the device is gone */
			snprintf(crash_at, sizeof(crash_at),
				 " (%s: the device gone at request %lu of %lu, "
				 "bursts completing %s)",
				 what, k, n, rev ? "in reverse" : "in order");
			leaks_only(0);
			crash_at[0] = 0;
			SC(umount2, "/", 0); /* its state is stale */
			D->dead = 0;
			D->die_after = 0;
			D->reverse = 0;
		}
	}
	bd_test_fini(D);
	D = NULL;
}

/* A file with direct, single and double indirect blocks (1 KiB blocks). */
static void prep_big(void)
{
	static char data[300 << 10];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 31 + (i >> 10));
	put("/big", data, sizeof(data));
	put("/small", "small\n", 6);
}

static void op_unlink(void)
{
	SC(unlink, "/big");
}

/* unlinked while open: the inode and its blocks go at the close */
static void op_unlink_open(void)
{
	int fd = (int)SC(open, "/big", O_RDWR);
	SC(unlink, "/big");
	SC(pwrite64, fd, "more", 4, 400 << 10); /* grows while unlinked */
	SC(close, fd);
}

/* the replaced file loses its last link */
static void op_rename_over(void)
{
	SC(rename, "/small", "/big");
}

static void op_truncate(void)
{
	SC(truncate, "/big", 100 << 10); /* into the single indirect range */
	SC(truncate, "/big", 5000);
	SC(truncate, "/big", 0);
}

/* SQLite's rollback journal, once per transaction: created, written,
 * fsynced, closed, unlinked */
static void op_journal(void)
{
	static char page[20000];
	int fd = (int)SC(open, "/db-journal", O_CREAT | O_RDWR, 0644);
	memset(page, 'j', sizeof(page));
	SC(write, fd, page, sizeof(page));
	SC(fsync, fd);
	SC(close, fd);
	SC(unlink, "/db-journal");
}

/* a slow one (a block) and a fast one, then both gone */
static void op_symlinks(void)
{
	static char target[300];
	memset(target, 't', sizeof(target) - 1);
	SC(symlink, target, "/slow");
	SC(symlink, "small", "/fast");
	SC(unlink, "/slow");
	SC(unlink, "/fast");
}

/* Every moment of an unlink (and the other ways a file loses its last
 * link or its blocks, and a new file gets them) leaves at most leaks:
 * the inode write that drops the last link also sets the deletion time,
 * the bitmaps free nothing before that write; a renamed file's link count
 * is never below the names it has. */
static void test_crash_sweeps(void **state)
{
	(void)state;
	sweep("unlink", "-b 1024 -I 128", prep_big, op_unlink);
	sweep("unlink (256-byte inodes)", "-b 1024 -I 256", prep_big,
	      op_unlink);
	sweep("unlink while open", "-b 1024 -I 128", prep_big, op_unlink_open);
	sweep("rename over a file", "-b 1024 -I 128", prep_big, op_rename_over);
	sweep("truncate", "-b 1024 -I 128", prep_big, op_truncate);
	sweep("journal", "-b 1024 -I 256", prep_big, op_journal);
	sweep("symlinks", "-b 1024 -I 256", prep_big, op_symlinks);
}

/* Random operations against a model of the tree; e2fsck at the end. */
static void test_random(void **state)
{
	enum { NF = 24 };
	static char model[NF][4096];
	static int len[NF], exists[NF];
	static char buf[8192];
	char nm[32];

	(void)state;
	mkfs("-b 1024 -I 128", "16M", 0);
	mount_rw(NULL);
	assert_int_equal(SC(mkdir, "/r", 0755), 0);
	srand(7);
	for (int op = 0; op < 4000; op++) {
		int i = rand() % NF, k = rand() % 6;
		snprintf(nm, sizeof(nm), "/r/f%d", i);
		if (k <= 1) { /* write somewhere */
			int off = (int)((unsigned)rand() % 3000u);
			int n = 1 + (int)((unsigned)rand() % 1000u);
			int fd = (int)SC(open, nm, O_CREAT | O_WRONLY, 0644);
			for (int j = 0; j < n; j++)
				buf[j] = (char)rand();
			assert_int_equal(SC(pwrite64, fd, buf, n, off), n);
			SC(close, fd);
			if (!exists[i])
				len[i] = 0, memset(model[i], 0, 4096);
			memcpy(model[i] + off, buf, (size_t)n);
			if (off + n > len[i])
				len[i] = off + n;
			exists[i] = 1;
		} else if (k == 2) { /* truncate */
			int n = (int)((unsigned)rand() % 4000u);
			int r = (int)SC(truncate, nm, n);
			if (!exists[i]) {
				assert_int_equal(r, -ENOENT);
				continue;
			}
			assert_int_equal(r, 0);
			if (n < len[i])
				memset(model[i] + n, 0, (size_t)(4096 - n));
			len[i] = n;
		} else if (k == 3) { /* unlink */
			assert_int_equal(SC(unlink, nm),
					 exists[i] ? 0 : -ENOENT);
			exists[i] = 0;
		} else if (k == 4) { /* rename onto another */
			int j = rand() % NF;
			char nm2[32];
			snprintf(nm2, sizeof(nm2), "/r/f%d", j);
			int r = (int)SC(rename, nm, nm2);
			if (!exists[i]) {
				assert_int_equal(r, -ENOENT);
				continue;
			}
			assert_int_equal(r, 0);
			if (i != j) {
				memcpy(model[j], model[i], 4096);
				len[j] = len[i];
				exists[j] = 1;
				exists[i] = 0;
			}
		} else { /* check */
			long n = cat(nm, buf, sizeof(buf));
			if (!exists[i]) {
				assert_int_equal(n, -ENOENT);
				continue;
			}
			assert_int_equal(n, len[i]);
			assert_memory_equal(buf, model[i], (size_t)len[i]);
		}
	}
	unmount_and_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_open, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_images, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_dir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_power_cut, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_power_cuts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_sweeps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
