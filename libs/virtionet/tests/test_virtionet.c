/* SPDX-License-Identifier: BSD-3-Clause */
/* virtionet on ukvirtio's queues and a fake transport playing the device. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <uk/netdev.h>
#include <uk/plat/irq.h>
#include <uk/virtio.h>
#include <uk/virtionet.h>

int uk_virtionet_probe(struct uk_virtio_dev *vd);
int uk_virtionet_irq(void *arg);

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

static struct uk_netdev *registered;
int uk_netdev_register(struct uk_netdev *d)
{
	registered = d;
	d->state = UK_NETDEV_UNCONFIGURED;
	return 0;
}

static const char *require_param;
const char *uk_boot_param(const char *name)
{
	return strcmp(name, "virtionet.require") ? NULL : require_param;
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
struct fake {
	uint64_t offered, accepted;
	uint8_t status;
	uint8_t cfg[12];
	uint16_t qmax;
	struct uk_virtq *q[2];
	unsigned notifies[2];
	uint8_t isr;
	uint16_t rx_pos, tx_pos; /* device's next avail index */
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
	return idx < 2 ? F.qmax : 0;
}
static int f_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	F.q[vq->index] = vq;
	return 0;
}
static void f_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	F.notifies[vq->index]++;
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

static void dev_use(struct uk_virtq *vq, uint16_t head, uint32_t len)
{
	uint16_t i = vq->used->idx;
	vq->used->ring[i & (vq->num - 1)].id = head;
	vq->used->ring[i & (vq->num - 1)].len = len;
	vq->used->idx = (uint16_t)(i + 1);
}

/* device receives a frame from the wire into the next rx buffer */
static int dev_rx(const void *frame, uint32_t len, uint8_t hflags,
		  unsigned hdrlen)
{
	struct uk_virtq *q = F.q[0];
	if (F.rx_pos == q->avail->idx)
		return -1;
	uint16_t head = q->avail->ring[F.rx_pos++ & (q->num - 1)];
	struct uk_virtq_desc *d = &q->desc[head];
	uint8_t *hdr = (uint8_t *)(uintptr_t)d->addr;
	assert_true(d->flags & UK_VIRTQ_DESC_F_WRITE);
	memset(hdr, 0, hdrlen);
	hdr[0] = hflags;
	uint8_t *data;
	if (d->flags & UK_VIRTQ_DESC_F_NEXT) { /* header apart */
		assert_int_equal(d->len, hdrlen);
		d = &q->desc[d->next];
		data = (uint8_t *)(uintptr_t)d->addr;
	} else {
		assert_true(d->len >= hdrlen + len);
		data = hdr + hdrlen;
	}
	memcpy(data, frame, len);
	dev_use(q, head, hdrlen + len);
	return 0;
}

/* device sends the next tx chain; copies header and frame out */
static int dev_tx(uint8_t *hdr_out, uint8_t *frame, uint32_t *len,
		  unsigned hdrlen)
{
	struct uk_virtq *q = F.q[1];
	if (F.tx_pos == q->avail->idx)
		return -1;
	uint16_t head = q->avail->ring[F.tx_pos++ & (q->num - 1)];
	struct uk_virtq_desc *d = &q->desc[head];
	assert_false(d->flags & UK_VIRTQ_DESC_F_WRITE);
	uint8_t *p = (uint8_t *)(uintptr_t)d->addr;
	memcpy(hdr_out, p, hdrlen);
	if (d->flags & UK_VIRTQ_DESC_F_NEXT) {
		assert_int_equal(d->len, hdrlen);
		d = &q->desc[d->next];
		*len = d->len;
		memcpy(frame, (void *)(uintptr_t)d->addr, d->len);
	} else {
		*len = d->len - hdrlen;
		memcpy(frame, p + hdrlen, *len);
	}
	dev_use(q, head, 0);
	return 0;
}

/* ---- netbufs: a fixed pool ---- */
#define NB 600
static struct uk_netbuf nbs[NB];
static uint8_t bufs[NB][2048];
static int nb_used[NB];
static unsigned nb_freed, alloc_limit;

static void nb_free(struct uk_netbuf *nb)
{
	int i = (int)(nb - nbs);
	assert_true(nb_used[i]);
	nb_used[i] = 0;
	nb_freed++;
}

static struct uk_netbuf *nb_get(unsigned headroom)
{
	for (int i = 0; i < NB; i++)
		if (!nb_used[i]) {
			nb_used[i] = 1;
			uk_netbuf_init(&nbs[i], bufs[i], sizeof(bufs[i]),
				       headroom, nb_free, NULL);
			return &nbs[i];
		}
	return NULL;
}

static uint16_t alloc_rx(void *arg, struct uk_netbuf *out[], uint16_t count)
{
	unsigned hr = *(unsigned *)arg;
	uint16_t n = 0;
	while (n < count && alloc_limit) {
		out[n] = nb_get(hr);
		if (!out[n])
			break;
		n++;
		alloc_limit--;
	}
	return n;
}

static unsigned rx_events, tx_events;
static void rx_event(void *arg, uint16_t q)
{
	(void)arg;
	(void)q;
	rx_events++;
}
static void tx_event(void *arg, uint16_t q)
{
	(void)arg;
	(void)q;
	tx_events++;
}

static struct uk_virtio_dev vdev;
static unsigned headroom;

#define B(x) UK_VIRTIO_BIT(x)
static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	memset(&vdev, 0, sizeof(vdev));
	memset(nb_used, 0, sizeof(nb_used));
	nb_freed = 0;
	alloc_limit = 100000;
	rx_events = tx_events = 0;
	registered = NULL;
	require_param = NULL;
	irq_fn = NULL;
	logbuf[0] = 0;
	vdev.ops = &fops;
	vdev.device_id = UK_VIRTIO_ID_NET;
	vdev.irq = 11;
	strcpy(vdev.name, "fake0");
	vdev.transport = "fake";
	F.qmax = 256;
	memcpy(F.cfg, mac, 6);
	F.cfg[6] = 1; /* link up */
	F.cfg[10] = 0xdc;
	F.cfg[11] = 0x05; /* MTU 1500 */
	F.offered = B(32) | B(5) | B(0) | B(1) | B(16) | B(3) | B(15) | B(22);
	return 0;
}

static void free_dev(void)
{
	if (!registered)
		return;
	if (F.q[0])
		uk_virtq_free(F.q[0]);
	if (F.q[1])
		uk_virtq_free(F.q[1]);
	free(registered->priv);
	registered = NULL;
}

static int teardown(void **state)
{
	(void)state;
	free_dev();
	return 0;
}

/* probe + queues + start, as uknetdev would */
static struct uk_netdev *bring_up(int with_events)
{
	assert_int_equal(uk_virtionet_probe(&vdev), 0);
	struct uk_netdev *d = registered;
	assert_non_null(d);
	struct uk_netdev_info info = {0};
	d->ops->info(d, &info);
	headroom = info.rx_headroom;
	assert_int_equal(d->ops->configure(d, 1, 1), 0);
	struct uk_netdev_rxq_conf rc = {0, alloc_rx, &headroom,
					with_events ? rx_event : NULL, NULL};
	struct uk_netdev_txq_conf tc = {0, with_events ? tx_event : NULL, NULL};
	assert_int_equal(d->ops->rxq_setup(d, 0, &rc), 0);
	assert_int_equal(d->ops->txq_setup(d, 0, &tc), 0);
	assert_int_equal(d->ops->start(d), 0);
	d->state = UK_NETDEV_RUNNING;
	return d;
}

static void test_probe_modern(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(0);
	assert_memory_equal(d->hwaddr, mac, 6);
	assert_int_equal(d->mtu, 1500);
	assert_string_equal(d->name, "virtio-net@fake0");
	/* MRG_RXBUF and MQ not taken */
	assert_int_equal(vdev.features,
			 B(32) | B(5) | B(0) | B(1) | B(16) | B(3));
	struct uk_netdev_info info = {0};
	d->ops->info(d, &info);
	assert_int_equal(info.rx_headroom, 12);
	assert_int_equal(info.tx_headroom, 12);
	assert_int_equal(info.max_mtu, 1500);
	assert_int_equal(info.features, UK_NETDEV_F_TXCSUM |
						UK_NETDEV_F_RXCSUM |
						UK_NETDEV_F_INTR);
	assert_int_equal(info.rx_buflen_min, 12 + 14 + 4 + 1500);
	assert_int_equal(F.status, 15); /* ACK DRIVER FEATURES_OK DRIVER_OK */
	/* the whole rx ring filled, one notification */
	assert_int_equal(F.q[0]->avail->idx, 256);
	assert_int_equal(F.notifies[0], 1);
	/* polling: interrupts suppressed on both queues */
	assert_true(F.q[0]->avail->flags & UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_true(F.q[1]->avail->flags & UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_null(irq_fn); /* no events asked: no handler */
	char buf[256];
	assert_int_equal(uk_virtionet_describe(d, buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "VIRTIO_NET_F_MAC"));
	assert_non_null(strstr(buf, "VIRTIO_F_VERSION_1"));
	struct uk_netdev other = {0};
	assert_int_equal(uk_virtionet_describe(&other, buf, sizeof(buf)),
			 -ENODEV);
}

static void test_probe_refusals(void **state)
{
	(void)state;
	/* a required feature the device lacks (MQ not offered here) */
	F.offered &= ~B(22);
	require_param = "0x400000";
	assert_int_equal(uk_virtionet_probe(&vdev), -ENOTSUP);
	assert_null(registered);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_non_null(strstr(logbuf, "does not offer VIRTIO_NET_F_MQ"));
	/* modern device without VERSION_1 */
	setup(NULL);
	F.offered &= ~B(32);
	assert_int_equal(uk_virtionet_probe(&vdev), -ENOTSUP);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	assert_non_null(strstr(logbuf, "VIRTIO_F_VERSION_1"));
	/* a malformed parameter is ignored with a message */
	setup(NULL);
	require_param = "0xzz";
	assert_int_equal(uk_virtionet_probe(&vdev), 0);
	assert_non_null(strstr(logbuf, "not a number"));
	free_dev();
	/* no queues */
	setup(NULL);
	F.qmax = 0;
	assert_int_equal(uk_virtionet_probe(&vdev), -EIO);
	assert_true(F.status & UK_VIRTIO_S_FAILED);
	/* an MTU in the config that would make every rx buffer 64 KiB */
	setup(NULL);
	F.cfg[10] = 0xff;
	F.cfg[11] = 0xff;
	assert_int_equal(uk_virtionet_probe(&vdev), 0);
	assert_non_null(strstr(logbuf, "config mtu 65535 outside 68..9000"));
	struct uk_netdev_info info = {0};
	registered->ops->info(registered, &info);
	assert_int_equal(info.max_mtu, 1500);
	free_dev();
}

static void test_random_mac_no_csum(void **state)
{
	(void)state;
	F.offered = B(32);
	struct uk_netdev *d = bring_up(0);
	assert_int_equal(d->hwaddr[0] & 3, 2); /* local, unicast */
	struct uk_netdev_info info = {0};
	d->ops->info(d, &info);
	assert_int_equal(info.features, UK_NETDEV_F_INTR);
}

static void test_rx_burst(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(0);
	uint8_t frame[60];
	for (int i = 0; i < 3; i++) {
		memset(frame, 0xa0 + i, sizeof(frame));
		assert_int_equal(dev_rx(frame, 60 - i, i == 1 ? 2 : 0, 12), 0);
	}
	struct uk_netbuf *pk[8];
	uint16_t cnt = 2;
	int st = d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 2);
	assert_int_equal(st, UK_NETDEV_STATUS_MORE);
	assert_int_equal(pk[0]->len, 60);
	assert_int_equal(((uint8_t *)pk[0]->data)[0], 0xa0);
	assert_int_equal(pk[0]->flags, 0);
	assert_int_equal(pk[1]->len, 59);
	assert_int_equal(pk[1]->flags, UK_NETBUF_F_DATA_VALID);
	/* refilled 2, one more notification */
	assert_int_equal(F.q[0]->avail->idx, 258);
	assert_int_equal(F.notifies[0], 2);
	cnt = 8;
	assert_int_equal(d->ops->rx_burst(d, 0, pk + 2, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(pk[2]->len, 58);
	/* nothing new: no notification for an unchanged ring */
	cnt = 8;
	assert_int_equal(d->ops->rx_burst(d, 0, pk, &cnt), 0);
	assert_int_equal(cnt, 0);
	assert_int_equal(F.notifies[0], 3);
	/* the device says "don't notify": none */
	F.q[0]->used->flags = UK_VIRTQ_USED_F_NO_NOTIFY;
	assert_int_equal(dev_rx(frame, 60, 0, 12), 0);
	cnt = 8;
	d->ops->rx_burst(d, 0, pk + 3, &cnt);
	assert_int_equal(cnt, 1);
	assert_int_equal(F.notifies[0], 3);
	/* a runt is dropped (its netbuf freed) */
	nb_freed = 0;
	assert_int_equal(dev_rx(frame, 2, 0, 12), 0);
	cnt = 8;
	d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 0);
	assert_int_equal(nb_freed, 1);
	/* lengths from the device: shorter than the virtio-net header, or
	 * beyond the posted buffer (ukvirtio makes that 0: same refusal) */
	nb_freed = 0;
	assert_int_equal(dev_rx(frame, 60, 0, 12), 0);
	F.q[0]->used
		->ring[(uint16_t)(F.q[0]->used->idx - 1) & (F.q[0]->num - 1)]
		.len = 7;
	assert_int_equal(dev_rx(frame, 60, 0, 12), 0);
	F.q[0]->used
		->ring[(uint16_t)(F.q[0]->used->idx - 1) & (F.q[0]->num - 1)]
		.len = 100000;
	cnt = 8;
	d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 0);
	assert_int_equal(nb_freed, 2);
	assert_non_null(strstr(logbuf, "rx used length 7 shorter than the "
				       "12-byte virtio-net header"));
	assert_non_null(strstr(logbuf, "used length 100000 of buffer"));
	assert_non_null(strstr(logbuf, "rx used length 0 shorter"));
	/* wrong queue, stopped device */
	cnt = 8;
	assert_int_equal(d->ops->rx_burst(d, 1, pk, &cnt), -EINVAL);
	d->state = UK_NETDEV_CONFIGURED;
	cnt = 8;
	assert_int_equal(d->ops->rx_burst(d, 0, pk, &cnt), -ENETDOWN);
	assert_int_equal(cnt, 0);
}

static void test_rx_refill_short(void **state)
{
	(void)state;
	alloc_limit = 10; /* the stack has only 10 buffers */
	struct uk_netdev *d = bring_up(0);
	assert_int_equal(uk_virtq_in_flight(F.q[0]), 10);
	uint8_t frame[60] = {0};
	dev_rx(frame, 60, 0, 12);
	struct uk_netbuf *pk[4];
	uint16_t cnt = 4;
	int st = d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 1);
	assert_true(st & UK_NETDEV_STATUS_UNDER);
	/* buffers without headroom are refused */
	alloc_limit = 1;
	headroom = 4;
	cnt = 4;
	st = d->ops->rx_burst(d, 0, pk, &cnt);
	assert_true(st & UK_NETDEV_STATUS_UNDER);
	assert_non_null(strstr(logbuf, "headroom"));
}

static void test_tx_burst(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(0);
	struct uk_netbuf *pk[300];
	for (int i = 0; i < 3; i++) {
		pk[i] = nb_get(12);
		memset(pk[i]->data, 0x10 + i, 100);
		pk[i]->len = 100;
	}
	pk[1]->flags = UK_NETBUF_F_CSUM_PARTIAL;
	pk[1]->csum_start = 34;
	pk[1]->csum_offset = 6;
	uint16_t cnt = 3;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt), 0);
	assert_int_equal(cnt, 3);
	assert_int_equal(F.notifies[1], 1); /* one for the burst */
	uint8_t hdr[12], frame[2048];
	uint32_t len;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(dev_tx(hdr, frame, &len, 12), 0);
		assert_int_equal(len, 100);
		assert_int_equal(frame[0], 0x10 + i);
		struct uk_virtio_net_hdr h;
		memcpy(&h, hdr, 12);
		if (i == 1) {
			assert_int_equal(h.flags,
					 UK_VIRTIO_NET_HDR_F_NEEDS_CSUM);
			assert_int_equal(h.csum_start, 34);
			assert_int_equal(h.csum_offset, 6);
		} else {
			assert_int_equal(h.flags, 0);
		}
	}
	/* completions are reclaimed on the next burst */
	assert_int_equal(nb_freed, 0);
	cnt = 0;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt), 0);
	assert_int_equal(nb_freed, 3);
	assert_int_equal(F.notifies[1], 1);

	/* a full ring: the first 256 accepted, FULL */
	for (int i = 0; i < 300; i++) {
		pk[i] = nb_get(12);
		pk[i]->len = 60;
	}
	cnt = 300;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt),
			 UK_NETDEV_STATUS_FULL);
	assert_int_equal(cnt, 256);
	assert_int_equal(F.notifies[1], 2);
	for (int i = 256; i < 300; i++)
		nb_free(pk[i]);
}

static void test_tx_bad(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(0);
	struct uk_netbuf *pk[2];
	pk[0] = nb_get(4);
	pk[0]->len = 60;
	uint16_t cnt = 1;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt), -EINVAL);
	assert_int_equal(cnt, 0);
	pk[0]->data = (char *)pk[0]->buf + 12;
	pk[0]->len = 1600;
	cnt = 1;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt), -EINVAL);
	/* a bad second one: the first goes */
	pk[0]->len = 60;
	pk[1] = nb_get(0);
	pk[1]->len = 60;
	cnt = 2;
	assert_int_equal(d->ops->tx_burst(d, 0, pk, &cnt), 0);
	assert_int_equal(cnt, 1);
	nb_free(pk[1]);
}

static void test_legacy_layout(void **state)
{
	(void)state;
	vdev.legacy = 1;
	F.offered = B(5) | B(0); /* no ANY_LAYOUT: header apart */
	struct uk_netdev *d = bring_up(0);
	struct uk_netdev_info info = {0};
	d->ops->info(d, &info);
	assert_int_equal(info.rx_headroom, 10);
	assert_int_equal(F.status, 7); /* no FEATURES_OK for legacy */
	/* two descriptors per rx buffer: 128 buffers */
	assert_int_equal(F.q[0]->avail->idx, 128);
	uint8_t frame[64];
	memset(frame, 0x77, sizeof(frame));
	assert_int_equal(dev_rx(frame, 64, 0, 10), 0);
	struct uk_netbuf *pk[2];
	uint16_t cnt = 2;
	d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 1);
	assert_int_equal(pk[0]->len, 64);
	assert_int_equal(((uint8_t *)pk[0]->data)[63], 0x77);
	pk[1] = nb_get(10);
	pk[1]->len = 42;
	memset(pk[1]->data, 0x42, 42);
	cnt = 1;
	assert_int_equal(d->ops->tx_burst(d, 0, &pk[1], &cnt), 0);
	uint8_t hdr[10], out[2048];
	uint32_t len;
	assert_int_equal(dev_tx(hdr, out, &len, 10), 0);
	assert_int_equal(len, 42);
	assert_int_equal(out[41], 0x42);
}

static void test_interrupts(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(1);
	assert_non_null(irq_fn);
	/* not enabled yet: the handler acknowledges, no event */
	uint8_t frame[60] = {0};
	dev_rx(frame, 60, 0, 12);
	F.isr = 1;
	assert_int_equal(irq_fn(irq_arg), 1);
	assert_int_equal(rx_events, 0);
	/* enable with a packet pending: 1 */
	assert_int_equal(d->ops->rxq_intr_enable(d, 0), 1);
	assert_false(F.q[0]->avail->flags & UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
	F.isr = 1;
	assert_int_equal(irq_fn(irq_arg), 1);
	assert_int_equal(rx_events, 1);
	/* someone else's interrupt on a shared line */
	assert_int_equal(irq_fn(irq_arg), 0);
	struct uk_netbuf *pk[4];
	uint16_t cnt = 4;
	d->ops->rx_burst(d, 0, pk, &cnt);
	assert_int_equal(cnt, 1);
	assert_int_equal(d->ops->rxq_intr_enable(d, 0), 0);
	assert_int_equal(d->ops->rxq_intr_disable(d, 0), 0);
	assert_true(F.q[0]->avail->flags & UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
	/* tx completion events */
	assert_int_equal(d->ops->txq_intr_enable(d, 0), 0);
	pk[0] = nb_get(12);
	pk[0]->len = 60;
	cnt = 1;
	d->ops->tx_burst(d, 0, pk, &cnt);
	uint8_t hdr[12], out[2048];
	uint32_t len;
	dev_tx(hdr, out, &len, 12);
	F.isr = 1;
	irq_fn(irq_arg);
	assert_int_equal(tx_events, 1);
	assert_int_equal(d->ops->txq_intr_disable(d, 0), 0);
	/* stop: interrupts off */
	d->ops->rxq_intr_enable(d, 0);
	d->ops->stop(d);
	assert_true(F.q[0]->avail->flags & UK_VIRTQ_AVAIL_F_NO_INTERRUPT);
}

static void test_intr_without_event(void **state)
{
	(void)state;
	struct uk_netdev *d = bring_up(0);
	assert_int_equal(d->ops->rxq_intr_enable(d, 0), -ENOTSUP);
	assert_int_equal(d->ops->txq_intr_enable(d, 0), -ENOTSUP);
	assert_int_equal(d->ops->rxq_intr_enable(d, 1), -EINVAL);
	assert_int_equal(d->ops->configure(d, 2, 1), -EINVAL);
	struct uk_netdev_txq_conf tc = {0};
	assert_int_equal(d->ops->txq_setup(d, 0, &tc), -EBUSY);
	assert_int_equal(d->ops->mtu_set(d, 1400), 0);
	assert_int_equal(d->ops->mtu_set(d, 9000), -EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_probe_modern),
		T(test_probe_refusals),
		T(test_random_mac_no_csum),
		T(test_rx_burst),
		T(test_rx_refill_short),
		T(test_tx_burst),
		T(test_tx_bad),
		T(test_legacy_layout),
		T(test_interrupts),
		T(test_intr_without_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
