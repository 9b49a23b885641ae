/* SPDX-License-Identifier: BSD-3-Clause */
/* virtio9p on ukvirtio's real queues with a fake transport whose device
 * side hands each descriptor chain to uk9p's test server (serving a
 * temporary host directory): the client, the transport and the server
 * together, plus the tag checks, refusals, interrupts and timeouts. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/9p.h>
#include <uk/9p_testing.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/virtio.h>
#include <uk/virtio9p.h>

int uk_virtio9p_probe(struct uk_virtio_dev *vd);
int uk_virtio9p_irq(void *arg);

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

static const char *poll_param, *timeout_param;
const char *uk_boot_param(const char *name)
{
	if (!strcmp(name, "virtio9p.poll"))
		return poll_param;
	if (!strcmp(name, "virtio9p.timeout_ms"))
		return timeout_param;
	return NULL;
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

/* ---- the fake device ---- */
static struct fake {
	uint64_t offered;
	uint8_t status, isr;
	uint8_t cfg[80];
	struct uk_virtq *q;
	uint16_t pos;
	unsigned notifies, halts;
	int dead;	/* never answers */
	int clock_runs; /* polling: the device works while the CPU spins */
	struct p9_test server;
} F;
static uint64_t now_ns;

static void dev_run(void)
{
	struct uk_virtq *q = F.q;

	while (!F.dead && q && F.pos != q->avail->idx) {
		uint16_t head = q->avail->ring[F.pos++ & (q->num - 1)];
		struct uk_virtq_desc *d = &q->desc[head];
		struct uk_9p_io io = {0};
		void *rd[2] = {0}, *wr[2] = {0};
		uint32_t rl[2] = {0}, wl[2] = {0};
		unsigned nr = 0, nw = 0;
		for (int i = 0; i < 8; i++) {
			if (d->flags & UK_VIRTQ_DESC_F_WRITE) {
				assert_true(nw < 2);
				wr[nw] = (void *)(uintptr_t)d->addr;
				wl[nw++] = d->len;
			} else {
				assert_int_equal(nw, 0); /* readable first */
				assert_true(nr < 2);
				rd[nr] = (void *)(uintptr_t)d->addr;
				rl[nr++] = d->len;
			}
			if (!(d->flags & UK_VIRTQ_DESC_F_NEXT))
				break;
			d = &q->desc[d->next];
		}
		io.t = rd[0];
		io.tlen = rl[0];
		io.tdata = rd[1];
		io.tdatalen = rl[1];
		io.r = wr[0];
		io.rlen = wl[0];
		io.rdata = wr[1];
		io.rdatalen = wl[1];
		assert_int_equal(
			F.server.trans.ops->request(&F.server.trans, &io), 0);
		uint16_t i = q->used->idx;
		q->used->ring[i & (q->num - 1)].id = head;
		q->used->ring[i & (q->num - 1)].len = io.rgot;
		q->used->idx = (uint16_t)(i + 1);
		F.isr |= UK_VIRTIO_ISR_QUEUE;
	}
}

uint64_t ukplat_monotonic_clock(void)
{
	if (F.clock_runs)
		dev_run();
	return now_ns += 1000000;
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	F.halts++;
	dev_run();
	if (F.isr && irq_fn)
		irq_fn(irq_arg);
	if (!*wake)
		now_ns = deadline_ns;
}

static uint64_t f_get_features(struct uk_virtio_dev *d)
{
	(void)d;
	return F.offered;
}
static void f_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	(void)d;
	(void)f;
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
	return idx == 0 ? 128 : 0;
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

#define V1  UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1)
#define TAG UK_VIRTIO_BIT(UK_VIRTIO_9P_F_MOUNT_TAG)

static char dir[PATH_MAX];
static struct uk_virtio_dev VD;

static int probe_l(const char *tag, uint64_t offered, int irq, int legacy)
{
	uint16_t n = (uint16_t)strlen(tag);

	memset(&VD, 0, sizeof(VD));
	VD.ops = &fops;
	VD.device_id = UK_VIRTIO_ID_9P;
	VD.irq = irq;
	VD.transport = "fake";
	VD.legacy = legacy;
	strcpy(VD.name, "fake0");
	F.offered = offered;
	F.q = NULL;
	F.pos = 0;
	memset(F.cfg, 0, sizeof(F.cfg));
	memcpy(F.cfg, &n, 2);
	memcpy(F.cfg + 2, tag, n);
	logbuf[0] = 0;
	irq_fn = NULL;
	return uk_virtio9p_probe(&VD);
}

static int probe(const char *tag, uint64_t offered, int irq)
{
	return probe_l(tag, offered, irq, 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/virtio9p-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(p9_test_init(&F.server, "server", dir, 1 << 20), 0);
	poll_param = timeout_param = NULL;
	F.dead = 0;
	F.halts = 0;
	F.clock_runs = 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	p9_test_fini(&F.server);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* A bad mount tag or a missing MOUNT_TAG feature: refused, named. */
static void test_refuse(void **state)
{
	(void)state;
	assert_int_equal(probe("", V1 | TAG, 5), -EIO);
	assert_non_null(strstr(logbuf, "mount tag of 0 bytes"));
	assert_int_equal(probe("bad:tag", V1 | TAG, 5), -EIO);
	assert_non_null(strstr(logbuf, "mount tag with byte 0x3a at 3"));
	char longtag[70];
	memset(longtag, 'x', 69);
	longtag[69] = 0;
	assert_int_equal(probe(longtag, V1 | TAG, 5), -EIO);
	assert_non_null(strstr(logbuf, "mount tag of 69 bytes"));
	assert_int_equal(probe("t", V1, 5), -ENOTSUP);
	assert_non_null(strstr(logbuf, "VIRTIO_9P_F_MOUNT_TAG"));
	assert_true(F.status & UK_VIRTIO_S_FAILED);
}

static void roundtrip(const char *tag)
{
	struct uk_9p_client c;
	struct uk_9p_trans *t = uk_9p_trans_find(tag);
	static uint8_t big[2 << 20], back[2 << 20];
	uint32_t fid;
	struct uk_9p_qid q;
	char desc[256];

	assert_non_null(t);
	assert_int_equal(uk_9p_connect(&c, t, 512 << 10, "", 0), 0);
	assert_int_equal(c.msize, 512 << 10);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i ^ (i >> 9));
	assert_int_equal(uk_9p_walk(&c, c.root, NULL, NULL, 0, &fid, NULL), 0);
	assert_int_equal(uk_9p_lcreate(&c, fid, "big", 3, 2, 0644, 0, &q), 0);
	assert_int_equal(uk_9p_write(&c, fid, 0, big, sizeof(big)),
			 sizeof(big));
	assert_int_equal(uk_9p_read(&c, fid, 0, back, sizeof(back)),
			 sizeof(back));
	assert_memory_equal(big, back, sizeof(big));
	assert_int_equal(uk_9p_clunk(&c, fid), 0);
	uk_9p_disconnect(&c);
	assert_int_equal(uk_virtio9p_describe(t, desc, sizeof(desc)), 0);
	assert_non_null(strstr(desc, "requests"));
}

/* Interrupt mode: every reply wakes the halted CPU. */
static void test_intr(void **state)
{
	(void)state;
	assert_int_equal(probe("share0", V1 | TAG, 5), 0);
	assert_non_null(irq_fn);
	roundtrip("share0");
	assert_true(F.halts > 0);
	/* a shared line that is not ours */
	F.isr = 0;
	assert_int_equal(uk_virtio9p_irq(irq_arg), 0);
}

/* Polling (no line, or virtio9p.poll=1); a legacy device without
 * VERSION_1. */
static void test_poll(void **state)
{
	(void)state;
	poll_param = "1";
	F.clock_runs = 1;
	assert_int_equal(probe("share1", V1 | TAG, 5), 0);
	assert_null(irq_fn);
	roundtrip("share1");
	assert_int_equal(F.halts, 0);
	poll_param = NULL;
	assert_int_equal(probe_l("share2", TAG, -1, 1), 0);
	roundtrip("share2");
}

/* A device that never answers: -ETIMEDOUT once, then -EIO for good. */
static void test_timeout(void **state)
{
	struct uk_9p_client c;
	(void)state;
	timeout_param = "50";
	assert_int_equal(probe("share3", V1 | TAG, 5), 0);
	F.dead = 1;
	struct uk_9p_trans *t = uk_9p_trans_find("share3");
	assert_int_equal(uk_9p_connect(&c, t, 65536, "", 0), -ETIMEDOUT);
	assert_non_null(strstr(logbuf, "no reply within 50 ms"));
	assert_int_equal(uk_9p_connect(&c, t, 65536, "", 0), -EIO);
	/* a second device with a tag already taken */
	F.dead = 0;
	assert_int_equal(probe("share0", V1 | TAG, 5), -EEXIST);
	assert_non_null(strstr(logbuf, "registered twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
