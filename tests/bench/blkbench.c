/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blkbench: the block workloads of `./unikit bench blk`, one source for
 * both sides of the comparison.
 *
 *   unikit image (-DBLKBENCH_UNIKIT): the raw disk vda through ukblkdev
 *     (bursts of QD requests, one notification each, completions by
 *     interrupt), the file /mnt/bench.dat on the ext2 disk vdb through the
 *     POSIX calls (vfs.mount=ext2:vdb:/mnt).
 *   Linux (static, musl-gcc; PID 1 of the baseline VM's initramfs): loads
 *     the virtio and ext4 modules, /dev/vda with O_DIRECT and Linux AIO
 *     (io_submit of QD requests, io_getevents of all of them), the same
 *     file on /dev/vdb mounted as ext2 with O_DIRECT; powers off.
 *
 * Workloads, 4 KiB each: seqread, seqwrite, randread, randwrite on the raw
 * disk (first 64 MiB, QD 32), and the same on the file (QD 1: one call at
 * a time). Random offsets come from one fixed xorshift sequence on both
 * sides. Each workload starts with a short warm-up (TCG translates the
 * paths once). Output: "blkbench: NAME iops=N mbps=M" per workload.
 *
 * Arguments: ops=N (raw requests per workload, default 8192),
 * fsops=N (file calls per workload, default 2048).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BS	  4096
#define QD	  32
#define REGION	  (64ull << 20)
#define FILE_PATH "/mnt/bench.dat"
#define WARMUP	  256

static long ops = 8192, fsops = 2048;
static uint64_t rng_state;
static uint8_t bufs[QD][BS] __attribute__((aligned(4096)));

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *name, long n, double secs)
{
	printf("blkbench: %s iops=%.0f mbps=%.2f ops=%ld ms=%.1f\n", name,
	       (double)n / secs, (double)n * BS / secs / 1e6, n, secs * 1e3);
	fflush(stdout);
}

static uint64_t offset(int random, long i, uint64_t region)
{
	return random ? (rnd() % (region / BS)) * BS
		      : ((uint64_t)i * BS) % region;
}

/* ---- the file, through the POSIX calls (QD 1) ---- */
static int file_run(const char *name, int wr, int random, int extra_flags)
{
	int fd = open(FILE_PATH, O_RDWR | extra_flags);
	struct stat st;
	double t0 = 0;

	if (fd < 0 || fstat(fd, &st)) {
		printf("blkbench: FAIL: %s: %s\n", FILE_PATH, strerror(errno));
		return 1;
	}
	rng_state = 0x9e3779b97f4a7c15ull;
	memset(bufs[0], 0x5a, BS);
	for (long i = -WARMUP; i < fsops; i++) {
		uint64_t off =
			offset(random, i < 0 ? 0 : i, (uint64_t)st.st_size);
		ssize_t r;
		if (i == 0)
			t0 = now_s();
		r = wr ? pwrite(fd, bufs[0], BS, (off_t)off)
		       : pread(fd, bufs[0], BS, (off_t)off);
		if (r != BS) {
			printf("blkbench: FAIL: %s at %llu: %zd (%s)\n", name,
			       (unsigned long long)off, r, strerror(errno));
			return 1;
		}
	}
	report(name, fsops, now_s() - t0);
	close(fd);
	return 0;
}

#ifdef BLKBENCH_UNIKIT
/* ---- unikit: the raw disk through ukblkdev ---- */
#include <uk/blkdev.h>

static struct uk_blkdev *dev;

static int raw_run(const char *name, int wr, int random)
{
	struct uk_blkreq r[QD], *rp[QD];
	const uint32_t ss = dev->info.sector_size;
	double t0 = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (long i = -WARMUP; i < ops; i += QD) {
		uint16_t cnt = QD;
		if (i == 0)
			t0 = now_s();
		for (int k = 0; k < QD; k++) {
			uint64_t off =
				offset(random, i < 0 ? 0 : i + k, REGION);
			uk_blkreq_init(&r[k],
				       wr ? UK_BLKREQ_WRITE : UK_BLKREQ_READ,
				       off / ss, BS / ss, bufs[k], NULL, NULL);
			rp[k] = &r[k];
		}
		int rc = uk_blkdev_submit(dev, 0, rp, &cnt);
		if (rc < 0 || cnt != QD) {
			printf("blkbench: FAIL: %s: submit %d (%u)\n", name, rc,
			       cnt);
			return 1;
		}
		rc = uk_blkdev_wait(dev, 0, rp, QD);
		for (int k = 0; k < QD && !rc; k++)
			rc = r[k].result;
		if (rc < 0) {
			printf("blkbench: FAIL: %s: %d\n", name, rc);
			return 1;
		}
	}
	report(name, ops, now_s() - t0);
	return 0;
}

static int setup(void)
{
	dev = uk_blkdev_find("vda");
	if (!dev || uk_blkdev_open(dev) < 0) {
		printf("blkbench: FAIL: no block device vda\n");
		return 1;
	}
	if (uk_blkdev_intr_enable(dev, 0) < 0)
		printf("blkbench: note: vda has no interrupts: polling\n");
	return 0;
}

static void finish(void)
{
	const char *name[2] = {"raw", "fs"};
	struct uk_blkdev *d[2] = {dev, uk_blkdev_find("vdb")};

	for (int i = 0; i < 2; i++) {
		struct uk_blkdev_stats st;
		if (!d[i])
			continue;
		uk_blkdev_stats_get(d[i], &st);
		printf("blkbench: %s requests=%llu notifies=%llu "
		       "requests_per_notify=%.2f\n",
		       name[i], (unsigned long long)st.requests,
		       (unsigned long long)st.notifies,
		       st.notifies ? (double)st.requests / (double)st.notifies
				   : 0.0);
	}
}

#define FILE_FLAGS 0
#else
/* ---- Linux: PID 1 of the baseline VM ---- */
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>

/* Linux AIO (linux/aio_abi.h), spelled out: musl's headers lack it */
struct iocb {
	uint64_t aio_data;
	uint32_t aio_key, aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf, aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags, aio_resfd;
};
struct io_event {
	uint64_t data, obj;
	int64_t res, res2;
};
#define IOCB_CMD_PREAD	0
#define IOCB_CMD_PWRITE 1

static int rawfd;
static unsigned long ctx;

static int raw_run(const char *name, int wr, int random)
{
	struct iocb cb[QD], *cp[QD];
	struct io_event ev[QD];
	double t0 = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (long i = -WARMUP; i < ops; i += QD) {
		if (i == 0)
			t0 = now_s();
		for (int k = 0; k < QD; k++) {
			memset(&cb[k], 0, sizeof(cb[k]));
			cb[k].aio_lio_opcode =
				wr ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
			cb[k].aio_fildes = (uint32_t)rawfd;
			cb[k].aio_buf = (uint64_t)(uintptr_t)bufs[k];
			cb[k].aio_nbytes = BS;
			cb[k].aio_offset = (int64_t)offset(
				random, i < 0 ? 0 : i + k, REGION);
			cp[k] = &cb[k];
		}
		long n = syscall(SYS_io_submit, ctx, QD, cp);
		if (n != QD) {
			printf("blkbench: FAIL: %s: io_submit %ld (%s)\n", name,
			       n, strerror(errno));
			return 1;
		}
		n = syscall(SYS_io_getevents, ctx, QD, QD, ev, NULL);
		for (int k = 0; k < n; k++)
			if (ev[k].res != BS)
				n = -1;
		if (n != QD) {
			printf("blkbench: FAIL: %s: io_getevents\n", name);
			return 1;
		}
	}
	report(name, ops, now_s() - t0);
	return 0;
}

static void load_modules(void)
{
	char line[256];
	FILE *f = fopen("/modules/order", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f) && n++ < 64) {
		line[strcspn(line, "\n")] = 0;
		int fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0 ||
		    (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST))
			printf("blkbench: module %s: %s\n", line,
			       strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (f)
		fclose(f);
}

static int setup(void)
{
	struct stat st;
	int i;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mkdir("/proc", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	int c = open("/dev/console", O_RDWR);
	if (c >= 0) {
		dup2(c, 0), dup2(c, 1), dup2(c, 2);
	}
	load_modules();
	for (i = 0;
	     i < 1000 && (stat("/dev/vda", &st) || stat("/dev/vdb", &st)); i++)
		usleep(10000);
	rawfd = open("/dev/vda", O_RDWR | O_DIRECT);
	if (rawfd < 0 || syscall(SYS_io_setup, QD, &ctx)) {
		printf("blkbench: FAIL: /dev/vda: %s\n", strerror(errno));
		return 1;
	}
	mkdir("/mnt", 0755);
	if (mount("/dev/vdb", "/mnt", "ext2", 0, NULL) &&
	    mount("/dev/vdb", "/mnt", "ext4", 0, NULL)) {
		printf("blkbench: FAIL: mount /dev/vdb: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static void finish(void)
{
	umount("/mnt");
	sync();
	reboot(RB_POWER_OFF);
}

#define FILE_FLAGS O_DIRECT
#endif

int main(int argc, char *argv[])
{
	int rc;

	/* Linux hands the kernel command line's name=value words to init as
	 * environment variables, unikit gives them as arguments */
	if (getenv("ops"))
		ops = atol(getenv("ops"));
	if (getenv("fsops"))
		fsops = atol(getenv("fsops"));
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "ops=", 4))
			ops = atol(argv[i] + 4);
		else if (!strncmp(argv[i], "fsops=", 6))
			fsops = atol(argv[i] + 6);
	}
	ops = ops / QD * QD;
	if (ops < QD)
		ops = QD;
	rc = setup();
	if (!rc)
		rc = raw_run("seqread", 0, 0) || raw_run("seqwrite", 1, 0) ||
		     raw_run("randread", 0, 1) || raw_run("randwrite", 1, 1) ||
		     file_run("fs.seqread", 0, 0, FILE_FLAGS) ||
		     file_run("fs.seqwrite", 1, 0, FILE_FLAGS) ||
		     file_run("fs.randread", 0, 1, FILE_FLAGS) ||
		     file_run("fs.randwrite", 1, 1, FILE_FLAGS);
	if (!rc)
		printf("blkbench: done\n");
	finish();
	return rc;
}
