/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fstest: POSIX file calls on a mounted filesystem (a 9P host share or an
 * ext2 disk), checked from the host afterwards (tests/storage/boottest.py).
 *
 *   fstest write DIR [big=MB] [many=N] [hole=MB]
 *       reads DIR/host/hello.txt (made on the host), then writes
 *       DIR/guest/: small.txt, big.bin (MB MiB of a block pattern),
 *       sparse.bin (a hole of MB MiB, then "end"), many/ with N files,
 *       a rename, an unlink, a symlink; lists many/, fsyncs, reads all
 *       of it back. One line with the milliseconds of each phase.
 *   fstest verify DIR [big=MB] [many=N] [hole=MB]
 *       what `write` made, read again (a later boot: it reached the disk)
 *   fstest enospc DIR
 *       fills the filesystem: writes until ENOSPC, checks that what was
 *       written before is intact, frees it, writes again
 *   fstest readonly DIR
 *       DIR is mounted read-only: reads work, every change fails EROFS
 * Prints "fstest: OK" at the end, "fstest: FAIL: ..." and exits 1 else.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLK 4096

static char dir[256];
static long big_mb = 8, many = 1000, hole_mb = 64;

static int fail(const char *what, const char *path)
{
	printf("fstest: FAIL: %s %s: %s (errno %d)\n", what, path ? path : "",
	       strerror(errno), errno);
	return 1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *P(const char *rel)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, rel);
	return buf[i];
}

/* Block b of big.bin (boottest.py builds the same). */
static void block(uint8_t *p, uint64_t b)
{
	char head[17];
	snprintf(head, sizeof(head), "blk %010llu\n ", (unsigned long long)b);
	memcpy(p, head, 16);
	for (int i = 16; i < BLK; i++)
		p[i] = (uint8_t)((b * 7 + (uint64_t)i) & 0xff);
}

static int write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open", path);
	if (write(fd, data, n) != (ssize_t)n)
		return fail("write", path);
	if (close(fd))
		return fail("close", path);
	return 0;
}

static int read_file(const char *path, char *buf, size_t cap, ssize_t *got)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail("open", path);
	*got = read(fd, buf, cap);
	if (*got < 0)
		return fail("read", path);
	close(fd);
	return 0;
}

static int expect_file(const char *path, const char *want)
{
	char buf[256];
	ssize_t n;
	if (read_file(path, buf, sizeof(buf), &n))
		return 1;
	if ((size_t)n != strlen(want) || memcmp(buf, want, (size_t)n)) {
		printf("fstest: FAIL: %s holds %zd bytes, not '%s'\n", path, n,
		       want);
		return 1;
	}
	return 0;
}

static uint8_t chunk[256 * BLK];

static int big_write(void)
{
	const char *path = P("guest/big.bin");
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	uint64_t nblk = (uint64_t)big_mb * 256, b = 0;
	if (fd < 0)
		return fail("open", path);
	while (b < nblk) {
		uint64_t k = nblk - b < 256 ? nblk - b : 256;
		for (uint64_t i = 0; i < k; i++)
			block(chunk + i * BLK, b + i);
		if (write(fd, chunk, k * BLK) != (ssize_t)(k * BLK))
			return fail("write", path);
		b += k;
	}
	if (fsync(fd))
		return fail("fsync", path);
	return close(fd) ? fail("close", path) : 0;
}

static int big_check(void)
{
	const char *path = P("guest/big.bin");
	static uint8_t want[BLK];
	int fd = open(path, O_RDONLY);
	uint64_t nblk = (uint64_t)big_mb * 256, b = 0;
	struct stat st;
	if (fd < 0)
		return fail("open", path);
	if (fstat(fd, &st) || st.st_size != (off_t)(nblk * BLK)) {
		printf("fstest: FAIL: %s is %lld bytes\n", path,
		       (long long)st.st_size);
		return 1;
	}
	while (b < nblk) {
		uint64_t k = nblk - b < 256 ? nblk - b : 256;
		if (read(fd, chunk, k * BLK) != (ssize_t)(k * BLK))
			return fail("read", path);
		for (uint64_t i = 0; i < k; i++) {
			block(want, b + i);
			if (memcmp(want, chunk + i * BLK, BLK)) {
				printf("fstest: FAIL: %s: block %llu differs\n",
				       path, (unsigned long long)(b + i));
				return 1;
			}
		}
		b += k;
	}
	close(fd);
	return 0;
}

static int sparse_write(void)
{
	const char *path = P("guest/sparse.bin");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open", path);
	if (pwrite(fd, "start", 5, 0) != 5 ||
	    pwrite(fd, "end", 3, (off_t)hole_mb << 20) != 3)
		return fail("pwrite", path);
	return close(fd) ? fail("close", path) : 0;
}

static int sparse_check(void)
{
	const char *path = P("guest/sparse.bin");
	char buf[8];
	static uint8_t zero[BLK], got[BLK];
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return fail("open", path);
	if (st.st_size != ((off_t)hole_mb << 20) + 3) {
		printf("fstest: FAIL: %s is %lld bytes\n", path,
		       (long long)st.st_size);
		return 1;
	}
	if (pread(fd, got, BLK, (off_t)(hole_mb << 19)) != BLK ||
	    memcmp(got, zero, BLK))
		return fail("the hole does not read as zeros:", path);
	if (pread(fd, buf, 3, (off_t)hole_mb << 20) != 3 ||
	    memcmp(buf, "end", 3))
		return fail("the data after the hole is wrong:", path);
	close(fd);
	printf("fstest: sparse.bin: %lld bytes, %lld blocks of 512 "
	       "allocated\n",
	       (long long)st.st_size, (long long)st.st_blocks);
	return 0;
}

static int many_write(void)
{
	char rel[64], txt[64];
	if (mkdir(P("guest/many"), 0755) && errno != EEXIST)
		return fail("mkdir", P("guest/many"));
	for (long i = 0; i < many; i++) {
		snprintf(rel, sizeof(rel), "guest/many/f%06ld", i);
		snprintf(txt, sizeof(txt), "file %ld\n", i);
		if (write_file(P(rel), txt, strlen(txt)))
			return 1;
	}
	return 0;
}

static int many_check(void)
{
	DIR *d = opendir(P("guest/many"));
	struct dirent *e;
	long n = 0;
	char rel[64], txt[64];
	if (!d)
		return fail("opendir", P("guest/many"));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	if (n != many) {
		printf("fstest: FAIL: many/ lists %ld files, not %ld\n", n,
		       many);
		return 1;
	}
	for (long i = 0; i < many; i += many / 50 + 1) {
		snprintf(rel, sizeof(rel), "guest/many/f%06ld", i);
		snprintf(txt, sizeof(txt), "file %ld\n", i);
		if (expect_file(P(rel), txt))
			return 1;
	}
	return 0;
}

static int do_write(void)
{
	double t0 = now_ms(), t1, t2, t3, t4, t5;
	char buf[4096];
	ssize_t n;

	if (expect_file(P("host/hello.txt"), "made on the host\n"))
		return 1;
	if (read_file(P("host/big.bin"), buf, sizeof(buf), &n))
		return 1;
	printf("fstest: host files read\n");
	if (mkdir(P("guest"), 0755) && errno != EEXIST)
		return fail("mkdir", P("guest"));
	if (write_file(P("guest/small.txt"), "written in the image\n", 21) ||
	    write_file(P("guest/before-rename"), "renamed\n", 8) ||
	    write_file(P("guest/gone"), "x", 1))
		return 1;
	if (rename(P("guest/before-rename"), P("guest/after-rename")))
		return fail("rename", P("guest/before-rename"));
	if (unlink(P("guest/gone")))
		return fail("unlink", P("guest/gone"));
	if (symlink("small.txt", P("guest/link")))
		return fail("symlink", P("guest/link"));
	t1 = now_ms();
	if (big_write())
		return 1;
	t2 = now_ms();
	if (sparse_write())
		return 1;
	t3 = now_ms();
	if (many_write())
		return 1;
	t4 = now_ms();
	/* read back in the same boot */
	if (expect_file(P("guest/link"), "written in the image\n") ||
	    expect_file(P("guest/after-rename"), "renamed\n") || big_check() ||
	    sparse_check() || many_check())
		return 1;
	if (access(P("guest/gone"), F_OK) == 0 || errno != ENOENT) {
		printf("fstest: FAIL: guest/gone still there\n");
		return 1;
	}
	t5 = now_ms();
	printf("fstest: ms: small files and renames %.0f, big %ld MiB %.0f "
	       "(%.1f MB/s), sparse %.0f, %ld files %.0f, read back %.0f\n",
	       t1 - t0, big_mb, t2 - t1,
	       (double)big_mb * 1.048576 / ((t2 - t1) / 1000), t3 - t2, many,
	       t4 - t3, t5 - t4);
	return 0;
}

static int do_verify(void)
{
	char buf[64];
	ssize_t n;
	if (expect_file(P("guest/small.txt"), "written in the image\n") ||
	    expect_file(P("guest/after-rename"), "renamed\n") || big_check() ||
	    sparse_check() || many_check())
		return 1;
	n = readlink(P("guest/link"), buf, sizeof(buf));
	if (n != 9 || memcmp(buf, "small.txt", 9))
		return fail("readlink", P("guest/link"));
	printf("fstest: everything written before is there\n");
	return 0;
}

static int do_enospc(void)
{
	static uint8_t blk[64 << 10];
	const char *keep = P("keep.txt"), *fill = P("fill.bin");
	long long total = 0;
	int fd;
	ssize_t w = 0;

	if (write_file(keep, "kept\n", 5))
		return 1;
	memset(blk, 0x5a, sizeof(blk));
	fd = open(fill, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open", fill);
	for (long i = 0; i < 1000000; i++) {
		w = write(fd, blk, sizeof(blk));
		if (w < 0)
			break;
		total += w;
		if (w < (ssize_t)sizeof(blk)) {
			w = write(fd, blk, sizeof(blk)); /* the error next */
			break;
		}
	}
	if (w >= 0 || errno != ENOSPC)
		return fail("filling did not end with ENOSPC:", fill);
	printf("fstest: filled %lld bytes, then ENOSPC\n", total);
	if (fsync(fd) && errno != ENOSPC)
		return fail("fsync", fill);
	close(fd);
	/* nothing written before was harmed */
	if (expect_file(keep, "kept\n"))
		return 1;
	fd = open(fill, O_RDONLY);
	for (long long off = 0; off < total; off += w) {
		w = read(fd, blk, sizeof(blk));
		if (w <= 0)
			return fail("read back", fill);
		for (ssize_t i = 0; i < w; i++)
			if (blk[i] != 0x5a) {
				printf("fstest: FAIL: byte %lld of the fill "
				       "differs\n",
				       off + i);
				return 1;
			}
	}
	close(fd);
	if (mkdir(P("newdir"), 0755) == 0 && rmdir(P("newdir")))
		return fail("rmdir", P("newdir"));
	if (unlink(fill))
		return fail("unlink", fill);
	if (write_file(P("after.txt"), "space again\n", 12) ||
	    expect_file(P("after.txt"), "space again\n"))
		return 1;
	printf("fstest: earlier data intact, space back after unlink\n");
	return 0;
}

static int do_readonly(void)
{
	int fd;
	if (expect_file(P("host/hello.txt"), "made on the host\n"))
		return 1;
	errno = 0;
	if (open(P("new"), O_CREAT | O_WRONLY, 0644) >= 0 || errno != EROFS)
		return fail("create on a read-only mount:", P("new"));
	if (mkdir(P("newdir"), 0755) == 0 || errno != EROFS)
		return fail("mkdir on a read-only mount:", P("newdir"));
	if (unlink(P("host/hello.txt")) == 0 || errno != EROFS)
		return fail("unlink on a read-only mount:", P("hello"));
	fd = open(P("host/hello.txt"), O_RDWR);
	if (fd >= 0) {
		if (write(fd, "x", 1) >= 0 || errno != EROFS)
			return fail("write on a read-only mount:", "");
		close(fd);
	} else if (errno != EROFS) {
		return fail("open O_RDWR on a read-only mount:", "");
	}
	if (expect_file(P("host/hello.txt"), "made on the host\n"))
		return 1;
	printf("fstest: read-only: reads work, changes fail with EROFS\n");
	return 0;
}

int main(int argc, char *argv[])
{
	int rc;

	if (argc < 3) {
		printf("usage: fstest write|verify|enospc|readonly DIR "
		       "[big=MB] [many=N] [hole=MB]\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[2]);
	for (int i = 3; i < argc; i++) {
		if (!strncmp(argv[i], "big=", 4))
			big_mb = atol(argv[i] + 4);
		else if (!strncmp(argv[i], "many=", 5))
			many = atol(argv[i] + 5);
		else if (!strncmp(argv[i], "hole=", 5))
			hole_mb = atol(argv[i] + 5);
	}
	if (!strcmp(argv[1], "write"))
		rc = do_write();
	else if (!strcmp(argv[1], "verify"))
		rc = do_verify();
	else if (!strcmp(argv[1], "enospc"))
		rc = do_enospc();
	else if (!strcmp(argv[1], "readonly"))
		rc = do_readonly();
	else
		rc = 2;
	if (!rc)
		printf("fstest: OK\n");
	return rc;
}
