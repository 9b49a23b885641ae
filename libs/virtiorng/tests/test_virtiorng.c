/* SPDX-License-Identifier: BSD-3-Clause */
/* virtiorng on ukvirtio's queues and a fake transport playing the device:
 * what reaches ukrandom's pool, and every refusal. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat/irq.h>
#include <uk/virtio.h>
#include <uk/virtiorng.h>

/* ---- doubles ---- */
static char logbuf[4096];
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
}

int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	(void)irq, (void)handler, (void)arg, (void)mode;
	return 0;
}

/* the clock: 1 ms per read, so a silent device times out quickly */
static uint64_t now_ns;
uint64_t ukplat_monotonic_clock(void)
{
	return now_ns += 1000000;
}

/* the pool: what was added, by whom, with what credit */
static uint8_t added[256];
static size_t added_len;
static unsigned added_bits, add_calls;
static const char *added_src;
int uk_random_add_entropy(const void *buf, size_t len, unsigned bits,
			  const char *source)
{
	assert_true(added_len + len <= sizeof(added));
	memcpy(added + added_len, buf, len);
	added_len += len;
	added_bits += bits;
	added_src = source;
	add_calls++;
	return 0;
}

/* ---- the fake device: answers each notification at once ---- */
static struct {
	uint8_t status;
	uint16_t qmax;
	struct uk_virtq *q;
	uint16_t pos;	  /* next avail entry */
	uint32_t chunk;	  /* bytes written per request (0: all asked) */
	int report_len;	  /* length reported instead (>= 0) */
	int silent;	  /* never answers */
	uint8_t next;	  /* next "random" byte */
	unsigned answers; /* requests answered */
} F;

static uint64_t f_get_features(struct uk_virtio_dev *d)
{
	(void)d;
	return UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1);
}
static void f_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	(void)d, (void)f;
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
	(void)d, (void)off;
	memset(buf, 0, len);
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
	if (F.silent)
		return;
	while (F.pos != vq->avail->idx) {
		uint16_t head = vq->avail->ring[F.pos++ & (vq->num - 1)];
		struct uk_virtq_desc *dsc = &vq->desc[head];
		assert_true(dsc->flags & UK_VIRTQ_DESC_F_WRITE);
		uint32_t n = F.chunk && F.chunk < dsc->len ? F.chunk : dsc->len;
		uint8_t *p = (uint8_t *)(uintptr_t)dsc->addr;
		for (uint32_t i = 0; i < n; i++)
			p[i] = F.next++;
		uint16_t u = vq->used->idx;
		vq->used->ring[u & (vq->num - 1)].id = head;
		vq->used->ring[u & (vq->num - 1)].len =
			F.report_len >= 0 ? (uint32_t)F.report_len : n;
		vq->used->idx = (uint16_t)(u + 1);
		F.answers++;
	}
}
static uint8_t f_isr(struct uk_virtio_dev *d)
{
	(void)d;
	return 0;
}
static const struct uk_virtio_ops fops = {
	f_get_features, f_set_features, f_get_status,
	f_set_status,	f_config_read,	f_queue_max,
	f_queue_enable, f_notify,	f_isr};

static struct uk_virtio_dev vdev;

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.qmax = 8;
	F.report_len = -1;
	F.next = 1;
	memset(&vdev, 0, sizeof(vdev));
	vdev.ops = &fops;
	vdev.device_id = UK_VIRTIO_ID_RNG;
	vdev.irq = -1;
	strcpy(vdev.name, "fake0");
	vdev.transport = "fake";
	logbuf[0] = 0;
	added_len = 0;
	added_bits = add_calls = 0;
	added_src = NULL;
	return 0;
}

static void test_seeds_pool(void **state)
{
	(void)state;
	assert_int_equal(uk_virtiorng_probe(&vdev), 0);
	assert_int_equal(add_calls, 1);
	assert_int_equal(added_len, UK_VIRTIORNG_BYTES);
	assert_int_equal(added_bits, 8 * UK_VIRTIORNG_BYTES);
	assert_string_equal(added_src, "virtio-rng");
	for (size_t i = 0; i < added_len; i++)
		assert_int_equal(added[i], (uint8_t)(1 + i));
	assert_int_equal(F.answers, 1);
	assert_int_equal(F.status, 0); /* reset afterwards */
	assert_non_null(strstr(logbuf, "64 bytes into the entropy pool"));
}

/* a device that gives 16 bytes per request is asked again until 64 */
static void test_short_answers(void **state)
{
	(void)state;
	F.chunk = 16;
	assert_int_equal(uk_virtiorng_probe(&vdev), 0);
	assert_int_equal(F.answers, 4);
	assert_int_equal(added_len, 64);
	for (size_t i = 0; i < added_len; i++)
		assert_int_equal(added[i], (uint8_t)(1 + i));
	/* one byte per request: the driver stops after 16 requests */
	setup(NULL);
	F.chunk = 1;
	assert_int_equal(uk_virtiorng_probe(&vdev), 0);
	assert_int_equal(F.answers, 16);
	assert_int_equal(added_len, 16);
	assert_int_equal(added_bits, 128);
}

/* lengths the device makes up: beyond the buffer, or none: refused, nothing
 * credited, the device set FAILED */
static void test_bad_lengths(void **state)
{
	(void)state;
	F.report_len = 1000;
	assert_int_equal(uk_virtiorng_probe(&vdev), -EIO);
	assert_int_equal(add_calls, 0);
	assert_non_null(strstr(logbuf, "used length 1000 of buffer"));
	assert_non_null(strstr(logbuf, "answered with length 0"));
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	setup(NULL);
	F.report_len = 0;
	assert_int_equal(uk_virtiorng_probe(&vdev), -EIO);
	assert_int_equal(add_calls, 0);
	assert_non_null(strstr(logbuf, "request of 64 bytes answered with "
				       "length 0"));
	/* 65 bytes claimed for a 64-byte request */
	setup(NULL);
	F.report_len = 65;
	assert_int_equal(uk_virtiorng_probe(&vdev), -EIO);
	assert_int_equal(add_calls, 0);
}

static void test_silent_device(void **state)
{
	(void)state;
	F.silent = 1;
	assert_int_equal(uk_virtiorng_probe(&vdev), -ETIMEDOUT);
	assert_int_equal(add_calls, 0);
	assert_non_null(strstr(logbuf, "no answer within 1000 ms"));
	assert_true(F.status & UK_VIRTIO_S_FAILED);
}

static void test_no_queue(void **state)
{
	(void)state;
	F.qmax = 0;
	assert_int_equal(uk_virtiorng_probe(&vdev), -EIO);
	assert_non_null(strstr(logbuf, "no request queue"));
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_int_equal(add_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_seeds_pool, setup),
		cmocka_unit_test_setup(test_short_answers, setup),
		cmocka_unit_test_setup(test_bad_lengths, setup),
		cmocka_unit_test_setup(test_silent_device, setup),
		cmocka_unit_test_setup(test_no_queue, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
