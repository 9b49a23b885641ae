/* SPDX-License-Identifier: BSD-3-Clause */
/* ukvirtio: virtqueues, negotiation, virtio_mmio parameters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <uk/plat/irq.h>
#include <uk/virtio.h>

static char logbuf[8192];
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

static unsigned irq_got;
int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	(void)handler;
	(void)arg;
	(void)mode;
	irq_got = irq;
	return 0;
}

/* ---- a fake transport ---- */
struct fake {
	uint64_t offered, accepted;
	uint8_t status, status_log[16];
	unsigned nstatus;
	int refuse_features_ok;
	unsigned notifies;
	uint16_t qmax;
	struct uk_virtq *enabled;
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
	if (F.refuse_features_ok)
		s &= (uint8_t)~UK_VIRTIO_S_FEATURES_OK;
	F.status = s;
	if (F.nstatus < 16)
		F.status_log[F.nstatus++] = s;
}
static void f_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			  unsigned len)
{
	(void)d;
	(void)off;
	memset(buf, 0, len);
}
static uint16_t f_queue_max(struct uk_virtio_dev *d, uint16_t idx)
{
	(void)d;
	return idx < 2 ? F.qmax : 0;
}
static int f_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	F.enabled = vq;
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
	return 1;
}
static const struct uk_virtio_ops fops = {
	f_get_features, f_set_features, f_get_status,
	f_set_status,	f_config_read,	f_queue_max,
	f_queue_enable, f_notify,	f_isr};

static struct uk_virtio_dev dev;

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	memset(&dev, 0, sizeof(dev));
	dev.ops = &fops;
	dev.device_id = UK_VIRTIO_ID_NET;
	dev.irq = -1;
	strcpy(dev.name, "fake0");
	dev.transport = "fake";
	logbuf[0] = 0;
	return 0;
}

/* the device side: return chain `head` with `len` bytes written */
static void dev_use(struct uk_virtq *vq, uint16_t head, uint32_t len)
{
	uint16_t i = vq->used->idx;
	vq->used->ring[i & (vq->num - 1)].id = head;
	vq->used->ring[i & (vq->num - 1)].len = len;
	vq->used->idx = (uint16_t)(i + 1);
}

static uint16_t dev_avail_head(struct uk_virtq *vq, uint16_t i)
{
	return vq->avail->ring[i & (vq->num - 1)];
}

static void test_vq_init_errors(void **state)
{
	(void)state;
	struct uk_virtq vq;
	assert_int_equal(uk_virtq_alloc(&vq, 0, 0), -EINVAL);
	assert_int_equal(uk_virtq_alloc(&vq, 0, 6), -EINVAL);
	assert_int_equal(uk_virtq_alloc(&vq, 0, 65535), -EINVAL);
	assert_int_equal(uk_virtq_alloc(&vq, 0, 256), 0);
	assert_int_equal(((uintptr_t)vq.used) % 4096, 0);
	assert_int_equal((char *)vq.avail - (char *)vq.desc, 16 * 256);
	assert_int_equal(uk_virtq_mem_size(256), 8192 + 4096);
	uk_virtq_free(&vq);
}

static void test_vq_exhaustion_and_chains(void **state)
{
	(void)state;
	struct uk_virtq vq;
	char buf[8][64];
	assert_int_equal(uk_virtq_alloc(&vq, 1, 8), 0);
	vq.dev = &dev;

	struct uk_virtq_seg seg[3] = {{buf[0], 10}, {buf[1], 20}, {buf[2], 30}};
	/* a 3-descriptor chain: 1 out, 2 in */
	int h = uk_virtq_add(&vq, seg, 1, 2, buf[0]);
	assert_true(h >= 0);
	assert_int_equal(vq.num_free, 5);
	struct uk_virtq_desc *d = &vq.desc[h];
	assert_int_equal(d->flags, UK_VIRTQ_DESC_F_NEXT);
	assert_int_equal(d->len, 10);
	d = &vq.desc[d->next];
	assert_int_equal(d->flags,
			 UK_VIRTQ_DESC_F_NEXT | UK_VIRTQ_DESC_F_WRITE);
	d = &vq.desc[d->next];
	assert_int_equal(d->flags, UK_VIRTQ_DESC_F_WRITE);
	assert_ptr_equal((void *)(uintptr_t)d->addr, buf[2]);

	/* fill the rest with single descriptors, then ENOSPC */
	for (int i = 0; i < 5; i++)
		assert_true(uk_virtq_add(&vq, &seg[0], 1, 0, buf[3 + i % 5]) >=
			    0);
	assert_int_equal(vq.num_free, 0);
	assert_int_equal(uk_virtq_add(&vq, seg, 1, 0, buf[0]), -ENOSPC);
	assert_int_equal(uk_virtq_add(&vq, seg, 0, 0, buf[0]), -EINVAL);
	assert_int_equal(uk_virtq_add(&vq, seg, 1, 0, NULL), -EINVAL);

	/* not visible before the kick; one notification for 6 chains */
	assert_int_equal(vq.avail->idx, 0);
	assert_int_equal(uk_virtq_kick(&vq), 1);
	assert_int_equal(vq.avail->idx, 6);
	assert_int_equal(F.notifies, 1);
	assert_int_equal(uk_virtq_kick(&vq), 0); /* nothing new */

	/* the device returns the chain: its 3 descriptors come back */
	uint32_t len = 0;
	assert_null(uk_virtq_get(&vq, &len));
	dev_use(&vq, (uint16_t)h, 50);
	assert_true(uk_virtq_has_used(&vq));
	assert_ptr_equal(uk_virtq_get(&vq, &len), buf[0]);
	assert_int_equal(len, 50);
	assert_int_equal(vq.num_free, 3);
	/* a 3-chain fits again, a 4-chain does not */
	struct uk_virtq_seg seg4[4] = {
		{buf[0], 1}, {buf[1], 1}, {buf[2], 1}, {buf[3], 1}};
	assert_int_equal(uk_virtq_add(&vq, seg4, 2, 2, buf[0]), -ENOSPC);
	assert_true(uk_virtq_add(&vq, seg4, 2, 1, buf[0]) >= 0);
	uk_virtq_free(&vq);
}

/* The device's values are checked: used ids beyond the ring or not in
 * flight skipped, a used length beyond the buffer taken as 0, a used index
 * ahead of what the device was given refused; each named in the error. */
static void test_vq_corrupt_used(void **state)
{
	(void)state;
	struct uk_virtq vq;
	char b[3][4];
	int h[3];
	uint32_t len = 99;
	assert_int_equal(uk_virtq_alloc(&vq, 0, 4), 0);
	vq.dev = &dev;
	for (int i = 0; i < 3; i++) {
		struct uk_virtq_seg s = {b[i], 4};
		h[i] = uk_virtq_add(&vq, &s, 0, 1, b[i]);
	}
	uk_virtq_kick(&vq);
	dev_use(&vq, 77, 1); /* out of range */
	dev_use(&vq, 3, 1);  /* not in flight */
	dev_use(&vq, (uint16_t)h[0], 4);
	assert_ptr_equal(uk_virtq_get(&vq, &len), b[0]);
	assert_int_equal(len, 4);
	assert_non_null(strstr(logbuf, "used ring id 77 beyond the ring"));
	assert_non_null(strstr(logbuf, "used ring id 3 is not a buffer in "
				       "flight"));
	/* 5 bytes "written" into a 4-byte buffer */
	dev_use(&vq, (uint16_t)h[1], 5);
	assert_ptr_equal(uk_virtq_get(&vq, &len), b[1]);
	assert_int_equal(len, 0);
	assert_non_null(strstr(logbuf, "used length 5 of buffer"));
	assert_non_null(strstr(logbuf, "beyond its 4 device-writable bytes"));
	assert_null(uk_virtq_get(&vq, &len));
	assert_int_equal(vq.num_free, 3);
	/* the used index jumps ahead of the one buffer still out */
	logbuf[0] = 0;
	vq.used->idx = (uint16_t)(vq.used->idx + 1000);
	assert_null(uk_virtq_get(&vq, &len));
	assert_non_null(strstr(logbuf, "used index"));
	assert_non_null(strstr(logbuf, "more than the 1 buffers the device "
				       "holds"));
	logbuf[0] = 0;
	assert_null(uk_virtq_get(&vq, &len));
	assert_string_equal(logbuf, ""); /* said once */
	uk_virtq_free(&vq);
}

/* Descriptor links beyond the ring are never followed: not when a chain
 * comes back, not when the free list is walked to queue one. */
static void test_vq_corrupt_next(void **state)
{
	(void)state;
	struct uk_virtq vq;
	char b[8];
	uint32_t len;
	assert_int_equal(uk_virtq_alloc(&vq, 0, 4), 0);
	vq.dev = &dev;
	struct uk_virtq_seg s[2] = {{b, 4}, {b + 4, 4}};
	int h = uk_virtq_add(&vq, s, 1, 1, b);
	uk_virtq_kick(&vq);
	vq.desc[h].next = 100; /* the chain's link, overwritten */
	dev_use(&vq, (uint16_t)h, 4);
	assert_ptr_equal(uk_virtq_get(&vq, &len), b);
	assert_non_null(strstr(logbuf, "next 100 beyond the ring of 4"));
	assert_int_equal(vq.num_free, 2); /* those two stay lost */
	/* the free list's link, overwritten */
	logbuf[0] = 0;
	vq.desc[vq.free_head].next = 999;
	assert_int_equal(uk_virtq_add(&vq, s, 1, 1, b), -EIO);
	assert_non_null(strstr(logbuf, "next 999 beyond the ring"));
	assert_int_equal(vq.num_free, 2); /* nothing queued */
	assert_int_equal(vq.avail_idx, 1);
	uk_virtq_free(&vq);
}

/* indices run through 65535 -> 0 many times: nothing lost or duplicated */
static void test_vq_wraparound(void **state)
{
	(void)state;
	struct uk_virtq vq;
	static char bufs[256];
	assert_int_equal(uk_virtq_alloc(&vq, 0, 256), 0);
	vq.dev = &dev;
	/* start just below the wrap, as after 65530 buffers */
	vq.avail_idx = vq.published = vq.last_used = 65530;
	vq.avail->idx = vq.used->idx = 65530;

	uint16_t devpos = 65530;
	unsigned got = 0, sent = 0;
	for (int round = 0; round < 4000; round++) {
		/* driver: queue as many as fit (1..3 descriptors each) */
		for (;;) {
			unsigned n = 1 + (sent % 3);
			struct uk_virtq_seg s[3] = {{&bufs[sent % 256], 1},
						    {&bufs[0], 1},
						    {&bufs[1], 1}};
			if (uk_virtq_add(&vq, s, 1, n - 1, &bufs[sent % 256]) <
			    0)
				break;
			sent++;
		}
		uk_virtq_kick(&vq);
		/* device: consume some of what is available */
		unsigned k = 0;
		while (devpos != vq.avail->idx && k++ < 37) {
			dev_use(&vq, dev_avail_head(&vq, devpos), 1);
			devpos++;
		}
		/* driver: take everything back, in order */
		uint32_t len;
		void *c;
		while ((c = uk_virtq_get(&vq, &len))) {
			assert_ptr_equal(c, &bufs[got % 256]);
			got++;
		}
	}
	assert_true(got > 2 * 65536); /* wrapped at least twice */
	assert_true(sent - got <= 256);
	assert_int_equal(vq.used->idx, (uint16_t)(65530 + got));
	uk_virtq_free(&vq);
}

static void test_vq_intr_and_notify_suppression(void **state)
{
	(void)state;
	struct uk_virtq vq;
	char b[4];
	assert_int_equal(uk_virtq_alloc(&vq, 0, 4), 0);
	vq.dev = &dev;
	uk_virtq_intr_disable(&vq);
	assert_int_equal(vq.avail->flags, UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(uk_virtq_intr_enable(&vq), 0);
	assert_int_equal(vq.avail->flags, 0);
	struct uk_virtq_seg s = {b, 4};
	int h = uk_virtq_add(&vq, &s, 0, 1, b);
	/* device says: don't notify me */
	vq.used->flags = UK_VIRTQ_USED_F_NO_NOTIFY;
	assert_int_equal(uk_virtq_kick(&vq), 0);
	assert_int_equal(F.notifies, 0);
	assert_int_equal(vq.avail->idx, 1);
	dev_use(&vq, (uint16_t)h, 4);
	uk_virtq_intr_disable(&vq);
	assert_int_equal(uk_virtq_intr_enable(&vq), 1); /* already pending */
	uk_virtq_free(&vq);
}

/* ---- negotiation ---- */

#define B(x) UK_VIRTIO_BIT(x)

static void test_negotiate_modern(void **state)
{
	(void)state;
	F.offered = B(32) | B(5) | B(0) | B(15) | B(29);
	assert_int_equal(uk_virtio_negotiate(&dev, B(5) | B(0) | B(3), B(5)),
			 0);
	assert_int_equal(dev.features, B(32) | B(5) | B(0));
	assert_int_equal(F.accepted, dev.features);
	/* reset, ACK, ACK|DRIVER, +FEATURES_OK */
	assert_int_equal(F.status_log[0], 0);
	assert_int_equal(F.status_log[1], 1);
	assert_int_equal(F.status_log[2], 3);
	assert_int_equal(F.status_log[3], 11);
	uk_virtio_driver_ok(&dev);
	assert_int_equal(F.status, 15);
}

static void test_negotiate_refuses_no_version1(void **state)
{
	(void)state;
	F.offered = B(5) | B(0); /* a modern transport without VERSION_1 */
	assert_int_equal(uk_virtio_negotiate(&dev, B(5), 0), -ENOTSUP);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_false(F.status & UK_VIRTIO_S_FEATURES_OK);
	assert_non_null(strstr(logbuf, "does not offer VIRTIO_F_VERSION_1"));
	assert_non_null(strstr(logbuf, "FAILED"));
}

static void test_negotiate_refuses_missing_required(void **state)
{
	(void)state;
	F.offered = B(32) | B(0);
	assert_int_equal(uk_virtio_negotiate(&dev, B(5) | B(0), B(5)),
			 -ENOTSUP);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_non_null(strstr(logbuf, "does not offer VIRTIO_NET_F_MAC"));
	/* an unnamed bit is named by number */
	setup(NULL);
	F.offered = B(32);
	assert_int_equal(uk_virtio_negotiate(&dev, 0, B(45)), -ENOTSUP);
	assert_non_null(strstr(logbuf, "does not offer bit 45"));
}

static void test_negotiate_features_ok_refused(void **state)
{
	(void)state;
	F.offered = B(32) | B(5);
	F.refuse_features_ok = 1;
	assert_int_equal(uk_virtio_negotiate(&dev, B(5), 0), -ENOTSUP);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_non_null(strstr(logbuf, "refused the feature set"));
}

static void test_negotiate_legacy(void **state)
{
	(void)state;
	dev.legacy = 1;
	F.offered = B(5) | B(27) | B(16);
	/* legacy: no VERSION_1 needed, none accepted, no FEATURES_OK */
	assert_int_equal(uk_virtio_negotiate(&dev, B(5) | B(27) | B(32), B(5)),
			 0);
	assert_int_equal(dev.features, B(5) | B(27));
	assert_false(F.status & UK_VIRTIO_S_FEATURES_OK);
	assert_int_equal(F.status, 3);
}

static void test_feature_names(void **state)
{
	(void)state;
	char buf[256];
	uk_virtio_features_str(UK_VIRTIO_ID_NET, B(0) | B(5) | B(32) | B(50),
			       buf, sizeof(buf));
	assert_string_equal(buf, "VIRTIO_NET_F_CSUM VIRTIO_NET_F_MAC "
				 "VIRTIO_F_VERSION_1 bit50");
	uk_virtio_features_str(UK_VIRTIO_ID_NET, ~0ull, buf, 20);
	assert_int_equal(strlen(buf), 19); /* truncated, terminated */
	assert_string_equal(uk_virtio_feature_name(UK_VIRTIO_ID_BLK, 9),
			    "VIRTIO_BLK_F_FLUSH");
	assert_string_equal(uk_virtio_feature_name(UK_VIRTIO_ID_9P, 0),
			    "VIRTIO_9P_F_MOUNT_TAG");
	assert_null(uk_virtio_feature_name(UK_VIRTIO_ID_BLK, 3));
	assert_null(uk_virtio_feature_name(4, 0)); /* entropy: no names */
	assert_null(uk_virtio_feature_name(1, 64));
}

static void test_queue_setup(void **state)
{
	(void)state;
	struct uk_virtq vq;
	F.qmax = 1000; /* not a power of two: rounded down */
	assert_int_equal(uk_virtio_queue_setup(&dev, &vq, 0, 0), 0);
	assert_int_equal(vq.num, 512);
	assert_ptr_equal(F.enabled, &vq);
	uk_virtq_free(&vq);
	assert_int_equal(uk_virtio_queue_setup(&dev, &vq, 1, 64), 0);
	assert_int_equal(vq.num, 64);
	uk_virtq_free(&vq);
	assert_int_equal(uk_virtio_queue_setup(&dev, &vq, 2, 0), -ENOENT);
	/* legacy PCI: the device's size, which must be a power of two */
	dev.legacy = 1;
	dev.qsize_fixed = 1;
	assert_int_equal(uk_virtio_queue_setup(&dev, &vq, 0, 0), -EIO);
	F.qmax = 256;
	assert_int_equal(uk_virtio_queue_setup(&dev, &vq, 0, 16), 0);
	assert_int_equal(vq.num, 256);
	uk_virtq_free(&vq);
	assert_int_equal(uk_virtio_irq_register(&dev, NULL, NULL), -ENOTSUP);
	dev.irq = 12;
	assert_int_equal(uk_virtio_irq_register(&dev, NULL, NULL), 0);
	assert_int_equal(irq_got, 12);
}

static int probed;
static int probe_net(struct uk_virtio_dev *d)
{
	(void)d;
	probed++;
	return 0;
}

static void test_driver_registry(void **state)
{
	(void)state;
	static struct uk_virtio_driver drv = {"net", 1, probe_net, NULL};
	dev.device_id = 2;
	assert_int_equal(uk_virtio_dev_found(&dev), -ENODEV);
	uk_virtio_driver_register(&drv);
	uk_virtio_driver_register(&drv);
	assert_int_equal(uk_virtio_dev_found(&dev), -ENODEV);
	dev.device_id = 1;
	assert_int_equal(uk_virtio_dev_found(&dev), 0);
	assert_int_equal(probed, 1);
}

/* ---- virtio_mmio.device= ---- */

static void test_mmio_parse_good(void **state)
{
	(void)state;
	uint64_t b, s;
	unsigned irq;
	const char *why = NULL;
	assert_int_equal(
		uk_virtio_mmio_parse("512@0xfeb00e00:12", &b, &s, &irq, &why),
		0);
	assert_int_equal(b, 0xfeb00e00);
	assert_int_equal(s, 512);
	assert_int_equal(irq, 12);
	assert_int_equal(
		uk_virtio_mmio_parse("4K@0xd0000000:5:3", &b, &s, &irq, NULL),
		0);
	assert_int_equal(s, 4096);
	assert_int_equal(
		uk_virtio_mmio_parse("1M@4096:010", &b, &s, &irq, NULL), 0);
	assert_int_equal(s, 1 << 20);
	assert_int_equal(b, 4096);
	assert_int_equal(irq, 8);
	assert_int_equal(uk_virtio_mmio_parse("0x200@0XFEB00000:255", &b, &s,
					      &irq, NULL),
			 0);
}

static void test_mmio_parse_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in, *why;
	} cases[] = {
		{"", "empty"},
		{"@0x1000:5", "size is not a number"},
		{"512", "expected '@'"},
		{"512x@0x1000:5", "expected '@'"},
		{"512@", "base address is not a number"},
		{"512@0x:5", "base address is not a number"},
		{"512@0x1000", "expected ':'"},
		{"512@0x1000;5", "expected ':'"},
		{"512@0x1000:", "IRQ is not a number"},
		{"512@0x1000:5x", "unexpected characters"},
		{"512@0x1000:5:", "device ID"},
		{"512@0x1000:5:1:2", "unexpected characters"},
		{"255@0x1000:5", "below the 0x100-byte"},
		{"0@0x1000:5", "below the 0x100-byte"},
		{"512@0xffffffffffffff00:5", "wraps"},
		{"512@0x1000:256", "IRQ above 255"},
		{"99999999999999999999999@0:1", "too large"},
		{"0x10000000000000G@0:1", "size too large"},
		{"512@0x1000:99999999999999999999999", "IRQ is not a number"},
		{"08@0:1", "expected '@'"}, /* 8 is not octal */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t b = 7, s = 7;
		unsigned irq = 7;
		const char *why = NULL;
		int rc = uk_virtio_mmio_parse(cases[i].in, &b, &s, &irq, &why);
		if (rc != -EINVAL || !why || !strstr(why, cases[i].why))
			fail_msg("'%s': rc %d, why '%s' (want '%s')",
				 cases[i].in, rc, why ? why : "(null)",
				 cases[i].why);
		assert_int_equal(b, 7); /* untouched on error */
	}
	const char *why;
	uint64_t b, s;
	unsigned irq;
	assert_int_equal(uk_virtio_mmio_parse(NULL, &b, &s, &irq, &why),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_vq_init_errors, setup),
		cmocka_unit_test_setup(test_vq_exhaustion_and_chains, setup),
		cmocka_unit_test_setup(test_vq_corrupt_used, setup),
		cmocka_unit_test_setup(test_vq_corrupt_next, setup),
		cmocka_unit_test_setup(test_vq_wraparound, setup),
		cmocka_unit_test_setup(test_vq_intr_and_notify_suppression,
				       setup),
		cmocka_unit_test_setup(test_negotiate_modern, setup),
		cmocka_unit_test_setup(test_negotiate_refuses_no_version1,
				       setup),
		cmocka_unit_test_setup(test_negotiate_refuses_missing_required,
				       setup),
		cmocka_unit_test_setup(test_negotiate_features_ok_refused,
				       setup),
		cmocka_unit_test_setup(test_negotiate_legacy, setup),
		cmocka_unit_test_setup(test_feature_names, setup),
		cmocka_unit_test_setup(test_queue_setup, setup),
		cmocka_unit_test_setup(test_driver_registry, setup),
		cmocka_unit_test_setup(test_mmio_parse_good, setup),
		cmocka_unit_test_setup(test_mmio_parse_bad, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
