/* SPDX-License-Identifier: BSD-3-Clause */
/* virtioblk on ukvirtio's real queues and ukblkdev's real checks, with a
 * fake transport playing a virtio-blk device over a disk in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <uk/blkdev.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/virtio.h>
#include <uk/virtioblk.h>

int uk_virtioblk_probe(struct uk_virtio_dev *vd);
int uk_virtioblk_irq(void *arg);

static char logbuf[16384];
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logbuf);
	(void)level;
	(void)lib;
	va_start(ap, fmt);
	if (n < sizeof(logbuf) - 1)
		vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
	n = strlen(logbuf);
	if (n < sizeof(logbuf) - 1)
		strcat(logbuf, "\n");
}

static const char *require_param;
const char *uk_boot_param(const char *name)
{
	return strcmp(name, "virtioblk.require") ? NULL : require_param;
}

static ukplat_irq_handler_t irq_fn;
static void *irq_arg;
int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	(void)irq;
	(void)mode;
	irq_fn = handler;
	irq_arg = arg;
	return 0;
}

static uint64_t now_ns;
uint64_t ukplat_monotonic_clock(void)
{
	return now_ns += 1000;
}

/* ---- the fake device ---- */
#define DISK (1u << 20)
struct fake {
	uint64_t offered, accepted;
	uint8_t status;
	uint8_t cfg[64];
	uint16_t qmax;
	struct uk_virtq *q;
	unsigned notifies;
	uint8_t isr;
	uint16_t pos; /* device's next avail index */
	uint8_t disk[DISK];
	/* what the device saw */
	unsigned nin, nout, nflush, ndiscard, nwz;
	uint32_t types[256];
	unsigned ntypes;
	uint64_t last_sector;
	uint8_t answer;	       /* status byte to write (0: OK) */
	int no_status;	       /* leave the status byte untouched */
	int short_read;	       /* report a too short used length */
	uint16_t pending[256]; /* heads taken, not yet used */
	unsigned npending;
};
static struct fake F;

static uint64_t f_get_features(struct uk_virtio_dev *d)
{
	(void)d;
	return F.offered;
}
static void f_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	(void)d;
	F.accepted = f;
}
static uint8_t f_get_status(struct uk_virtio_dev *d)
{
	(void)d;
	return F.status;
}
static void f_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	(void)d;
	F.status = s;
}
static void f_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			  unsigned len)
{
	(void)d;
	memcpy(buf, F.cfg + off, len);
}
static uint16_t f_queue_max(struct uk_virtio_dev *d, uint16_t idx)
{
	(void)d;
	return idx == 0 ? F.qmax : 0;
}
static int f_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	F.q = vq;
	return 0;
}
static void f_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	(void)vq;
	F.notifies++;
}
static uint8_t f_isr(struct uk_virtio_dev *d)
{
	(void)d;
	uint8_t v = F.isr;
	F.isr = 0;
	return v;
}
static const struct uk_virtio_ops fops = {
	f_get_features, f_set_features, f_get_status,
	f_set_status,	f_config_read,	f_queue_max,
	f_queue_enable, f_notify,	f_isr};

static void dev_use(uint16_t head, uint32_t len)
{
	struct uk_virtq *vq = F.q;
	uint16_t i = vq->used->idx;
	vq->used->ring[i & (vq->num - 1)].id = head;
	vq->used->ring[i & (vq->num - 1)].len = len;
	vq->used->idx = (uint16_t)(i + 1);
}

/* Take the published chains (without completing them). */
static void dev_take(void)
{
	struct uk_virtq *q = F.q;
	while (F.pos != q->avail->idx)
		F.pending[F.npending++] =
			q->avail->ring[F.pos++ & (q->num - 1)];
}

/* Execute one chain: header, data or discard segment, status. */
static void dev_exec(uint16_t head)
{
	struct uk_virtq *q = F.q;
	struct uk_virtq_desc *d = &q->desc[head];
	struct uk_virtio_blk_hdr h;
	uint32_t wlen = 0;

	assert_false(d->flags & UK_VIRTQ_DESC_F_WRITE);
	assert_int_equal(d->len, sizeof(h));
	memcpy(&h, (void *)(uintptr_t)d->addr, sizeof(h));
	F.types[F.ntypes++ % 256] = h.type;
	assert_true(d->flags & UK_VIRTQ_DESC_F_NEXT);
	d = &q->desc[d->next];
	if (h.type == UK_VIRTIO_BLK_T_IN || h.type == UK_VIRTIO_BLK_T_OUT) {
		uint8_t *p = (void *)(uintptr_t)d->addr;
		uint64_t off = h.sector * 512;
		assert_true(off + d->len <= DISK);
		F.last_sector = h.sector;
		if (h.type == UK_VIRTIO_BLK_T_IN) {
			assert_true(d->flags & UK_VIRTQ_DESC_F_WRITE);
			if (!F.answer)
				memcpy(p, F.disk + off, d->len);
			wlen += d->len;
			F.nin++;
		} else {
			assert_false(d->flags & UK_VIRTQ_DESC_F_WRITE);
			if (!F.answer)
				memcpy(F.disk + off, p, d->len);
			F.nout++;
		}
		d = &q->desc[d->next];
	} else if (h.type == UK_VIRTIO_BLK_T_DISCARD ||
		   h.type == UK_VIRTIO_BLK_T_WRITE_ZEROES) {
		struct uk_virtio_blk_dwz z;
		assert_int_equal(d->len, sizeof(z));
		memcpy(&z, (void *)(uintptr_t)d->addr, sizeof(z));
		F.last_sector = z.sector;
		memset(F.disk + z.sector * 512, 0, (size_t)z.num_sectors * 512);
		if (h.type == UK_VIRTIO_BLK_T_DISCARD)
			F.ndiscard++;
		else
			F.nwz++;
		d = &q->desc[d->next];
	} else {
		assert_int_equal(h.type, UK_VIRTIO_BLK_T_FLUSH);
		F.nflush++;
	}
	assert_true(d->flags & UK_VIRTQ_DESC_F_WRITE);
	assert_int_equal(d->len, 1);
	if (!F.no_status)
		*(uint8_t *)(uintptr_t)d->addr = F.answer;
	wlen += 1;
	dev_use(head, F.short_read ? wlen / 2 : wlen);
}

/* Run everything taken, newest first (any order is allowed). */
static void dev_run(void)
{
	dev_take();
	while (F.npending)
		dev_exec(F.pending[--F.npending]);
	F.isr |= UK_VIRTIO_ISR_QUEUE;
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	(void)deadline_ns;
	/* the device works while the CPU halts, then interrupts */
	dev_run();
	irq_fn(irq_arg);
	assert_true(*wake);
}

/* A device-running waiter for the polling tests: the sync helper spins
 * through uk_blkdev_poll, so the device must make progress in between. */
static struct uk_virtio_dev VD;
static struct uk_blkdev *probe(uint64_t offered, uint32_t blk_size,
			       uint64_t cap512)
{
	static unsigned n;
	char name[8];

	memset(&VD, 0, sizeof(VD));
	F.offered = offered;
	F.qmax = 64;
	memset(F.cfg, 0, sizeof(F.cfg));
	memcpy(F.cfg, &cap512, 8);
	memcpy(F.cfg + 20, &blk_size, 4);
	uint32_t dz = 1024;
	memcpy(F.cfg + 36, &dz, 4);
	memcpy(F.cfg + 48, &dz, 4);
	VD.ops = &fops;
	VD.device_id = UK_VIRTIO_ID_BLK;
	VD.irq = 5;
	VD.transport = "fake";
	snprintf(VD.name, sizeof(VD.name), "fake%u", n);
	logbuf[0] = 0;
	if (uk_virtioblk_probe(&VD) < 0)
		return NULL;
	snprintf(name, sizeof(name), "vd%c", 'a' + n++);
	return uk_blkdev_find(name);
}

static void reset_fake(void)
{
	unsigned char *disk = F.disk;
	memset((char *)&F + offsetof(struct fake, disk) + DISK, 0,
	       sizeof(F) - offsetof(struct fake, disk) - DISK);
	memset(&F, 0, offsetof(struct fake, disk));
	for (unsigned i = 0; i < DISK; i++)
		disk[i] = (uint8_t)(i * 13 + i / 512);
	require_param = NULL;
}

#define V1   UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1)
#define FL   UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_FLUSH)
#define RO   UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_RO)
#define BS   UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_BLK_SIZE)
#define DISC UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_DISCARD)
#define WZ   UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_WRITE_ZEROES)
#define MQ   UK_VIRTIO_BIT(12)

static void test_probe(void **state)
{
	struct uk_blkdev *d;

	(void)state;
	reset_fake();
	d = probe(V1 | FL | MQ, 0, DISK / 512);
	assert_non_null(d);
	assert_int_equal(d->info.sector_size, 512);
	assert_int_equal(d->info.sectors, DISK / 512);
	assert_true(d->info.features & UK_BLKDEV_F_FLUSH);
	assert_false(d->info.features & UK_BLKDEV_F_RO);
	assert_true(d->info.features & UK_BLKDEV_F_INTR);
	assert_int_equal(F.accepted, V1 | FL); /* MQ not taken */
	assert_non_null(strstr(logbuf, "offered, not used: VIRTIO_BLK_F_MQ"));
	assert_non_null(strstr(logbuf, "features: VIRTIO_BLK_F_FLUSH "
				       "VIRTIO_F_VERSION_1"));
	assert_true(F.status & UK_VIRTIO_S_FEATURES_OK);
	char desc[256];
	assert_int_equal(uk_virtioblk_describe(d, desc, sizeof(desc)), 0);
	assert_non_null(strstr(desc, "fake, irq 5, features: "));
}

static void test_refuse(void **state)
{
	(void)state;
	reset_fake();
	require_param = "0x2000"; /* DISCARD */
	assert_null(probe(V1 | FL, 0, 2048));
	assert_non_null(strstr(logbuf, "VIRTIO_BLK_F_DISCARD"));
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	/* a modern device without VERSION_1 */
	reset_fake();
	assert_null(probe(FL, 0, 2048));
	assert_non_null(strstr(logbuf, "VIRTIO_F_VERSION_1"));
	/* too small a queue */
	reset_fake();
	F.qmax = 2;
	memset(&VD, 0, sizeof(VD));
	VD.ops = &fops;
	VD.device_id = UK_VIRTIO_ID_BLK;
	VD.irq = -1;
	VD.transport = "fake";
	F.offered = V1;
	F.qmax = 2;
	logbuf[0] = 0;
	assert_int_equal(uk_virtioblk_probe(&VD), -EIO);
	assert_non_null(strstr(logbuf, "at least 3 needed"));
}

/* The polling path with a device that answers right away: requests of
 * one burst share one notification, run in any order. */
static void test_burst_rw(void **state)
{
	struct uk_blkdev *d;
	static uint8_t w[20][512 * 4], r[20][512 * 4];
	struct uk_blkreq q[20], *qp[20];
	uint16_t cnt;

	(void)state;
	reset_fake();
	d = probe(V1 | FL, 0, DISK / 512);
	assert_non_null(d);
	assert_int_equal(uk_blkdev_open(d), 0);
	for (int i = 0; i < 20; i++) {
		memset(w[i], i + 1, sizeof(w[i]));
		uk_blkreq_init(&q[i], UK_BLKREQ_WRITE, (uint64_t)i * 8, 4, w[i],
			       NULL, NULL);
		qp[i] = &q[i];
	}
	cnt = 20;
	assert_int_equal(uk_blkdev_submit(d, 0, qp, &cnt), 0);
	assert_int_equal(cnt, 20);
	assert_int_equal(F.notifies, 1);
	assert_int_equal(d->stats.notifies, 1);
	dev_run();
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 20);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(q[i].result, 0);
		assert_memory_equal(F.disk + i * 8 * 512, w[i], sizeof(w[i]));
		uk_blkreq_init(&q[i], UK_BLKREQ_READ, (uint64_t)i * 8, 4, r[i],
			       NULL, NULL);
	}
	cnt = 20;
	assert_int_equal(uk_blkdev_submit(d, 0, qp, &cnt), 0);
	dev_run();
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 20);
	for (int i = 0; i < 20; i++)
		assert_memory_equal(r[i], w[i], sizeof(w[i]));
	assert_int_equal(d->stats.requests, 40);
	assert_int_equal(d->stats.notifies, 2);
	/* ring of 64 descriptors: 21 requests at most */
	static struct uk_blkreq many[30];
	struct uk_blkreq *mp[30];
	static uint8_t b[512];
	for (int i = 0; i < 30; i++) {
		uk_blkreq_init(&many[i], UK_BLKREQ_READ, 0, 1, b, NULL, NULL);
		mp[i] = &many[i];
	}
	cnt = 30;
	assert_int_equal(uk_blkdev_submit(d, 0, mp, &cnt),
			 UK_BLKDEV_STATUS_FULL);
	assert_int_equal(cnt, 21);
	dev_run();
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 21);
}

/* Sector sizes: a 4096-byte device gets 512-byte sector numbers in the
 * header; the sync helper's interrupt wait (halt -> device -> IRQ). */
static void test_blk_size_and_intr(void **state)
{
	struct uk_blkdev *d;
	static uint8_t buf[8192];

	(void)state;
	reset_fake();
	d = probe(V1 | FL | BS, 4096, DISK / 512);
	assert_non_null(d);
	assert_int_equal(d->info.sector_size, 4096);
	assert_int_equal(d->info.sectors, DISK / 4096);
	assert_int_equal(uk_blkdev_open(d), 0);
	assert_int_equal(uk_blkdev_intr_enable(d, 0), 0);
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 3, 2, buf, 0),
			 0);
	assert_int_equal(F.last_sector, 24);
	assert_memory_equal(buf, F.disk + 3 * 4096, 8192);
	assert_true(d->stats.interrupts >= 1);
	/* a bad block size falls back to 512 with a warning */
	reset_fake();
	d = probe(V1 | BS, 1000, 2048);
	assert_non_null(d);
	assert_int_equal(d->info.sector_size, 512);
	assert_non_null(strstr(logbuf, "not a power of two"));
}

/* FLUSH and FUA: FUA is a write, then a flush, then the completion. */
static void test_flush_fua(void **state)
{
	struct uk_blkdev *d;
	static uint8_t buf[512];
	struct uk_blkreq r, *rp = &r;
	uint16_t cnt = 1;

	(void)state;
	reset_fake();
	d = probe(V1 | FL, 0, DISK / 512);
	assert_int_equal(uk_blkdev_open(d), 0);
	assert_int_equal(uk_blkdev_intr_enable(d, 0), 0);
	assert_int_equal(
		uk_blkdev_sync_io(d, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0), 0);
	assert_int_equal(F.nflush, 1);
	uk_blkreq_init(&r, UK_BLKREQ_WRITE, 5, 1, buf, NULL, NULL);
	r.flags = UK_BLKREQ_F_FUA;
	assert_int_equal(uk_blkdev_submit(d, 0, &rp, &cnt), 0);
	dev_run();
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 0); /* flush now queued */
	assert_int_equal(r.state, UK_BLKREQ_PENDING);
	assert_int_equal(F.nout, 1);
	dev_run();
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 1);
	assert_int_equal(r.result, 0);
	assert_int_equal(F.nflush, 2);
	assert_int_equal(F.types[F.ntypes - 1], UK_VIRTIO_BLK_T_FLUSH);
	assert_int_equal(d->stats.flushes, 2);
	/* without a write cache FUA needs no flush */
	reset_fake();
	d = probe(V1, 0, DISK / 512);
	assert_int_equal(uk_blkdev_open(d), 0);
	assert_int_equal(uk_blkdev_intr_enable(d, 0), 0);
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE, 5, 1, buf,
					   UK_BLKREQ_F_FUA),
			 0);
	assert_int_equal(
		uk_blkdev_sync_io(d, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0), 0);
	assert_int_equal(F.nflush, 0);
}

/* Read-only: writes never reach the device. */
static void test_readonly(void **state)
{
	struct uk_blkdev *d;
	static uint8_t buf[512];

	(void)state;
	reset_fake();
	d = probe(V1 | FL | RO, 0, DISK / 512);
	assert_true(d->info.features & UK_BLKDEV_F_RO);
	assert_non_null(strstr(logbuf, "read-only"));
	assert_int_equal(uk_blkdev_open(d), 0);
	assert_int_equal(uk_blkdev_intr_enable(d, 0), 0);
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE, 0, 1, buf, 0),
			 -EROFS);
	assert_int_equal(F.nout, 0);
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
			 0);
}

/* Errors from the device: IOERR, UNSUPP, no status written, a short read
 * length; discard and write-zeroes segments in 512-byte units. */
static void test_errors_and_discard(void **state)
{
	struct uk_blkdev *d;
	static uint8_t buf[4096];

	(void)state;
	reset_fake();
	d = probe(V1 | FL | BS | DISC | WZ, 4096, DISK / 512);
	assert_int_equal(uk_blkdev_open(d), 0);
	assert_int_equal(uk_blkdev_intr_enable(d, 0), 0);
	assert_true(d->info.features & UK_BLKDEV_F_DISCARD);
	assert_true(d->info.features & UK_BLKDEV_F_WRITE_ZEROES);
	assert_int_equal(d->info.max_discard_sectors, 128);
	assert_int_equal(
		uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE_ZEROES, 2, 3, NULL, 0),
		0);
	assert_int_equal(F.nwz, 1);
	assert_int_equal(F.last_sector, 16);
	for (int i = 0; i < 3 * 4096; i++)
		assert_int_equal(F.disk[2 * 4096 + i], 0);
	assert_int_equal(
		uk_blkdev_sync_io(d, 0, UK_BLKREQ_DISCARD, 0, 1, NULL, 0), 0);
	assert_int_equal(F.ndiscard, 1);

	F.answer = UK_VIRTIO_BLK_S_IOERR;
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
			 -EIO);
	F.answer = UK_VIRTIO_BLK_S_UNSUPP;
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE, 0, 1, buf, 0),
			 -ENOTSUP);
	F.answer = 0;
	F.no_status = 1;
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
			 -EIO);
	F.no_status = 0;
	F.short_read = 1;
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
			 -EIO);
	assert_non_null(strstr(logbuf, "the device wrote only"));
	F.short_read = 0;
	assert_int_equal(uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
			 0);
	assert_int_equal(d->stats.errors, 4);
	/* a corrupt used entry is skipped, never followed */
	uint16_t i = F.q->used->idx;
	F.q->used->ring[i & (F.q->num - 1)].id = 9999;
	F.q->used->idx = (uint16_t)(i + 1);
	assert_int_equal(uk_blkdev_poll(d, 0, 0), 0);
	/* the shared-line case: an interrupt that is not ours */
	F.isr = 0;
	assert_int_equal(uk_virtioblk_irq(irq_arg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_burst_rw),
		cmocka_unit_test(test_blk_size_and_intr),
		cmocka_unit_test(test_flush_fua),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_errors_and_discard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
