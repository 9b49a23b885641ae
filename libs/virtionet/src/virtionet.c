/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net driver: uknetdev ops over ukvirtio. One rx queue (0) and one
 * tx queue (1). Zero-copy both ways: rx descriptors point into the stack's
 * netbufs (virtio-net header in their headroom, right before data), tx
 * descriptors into the netbufs handed to tx_burst (header written into
 * their headroom). No allocation per packet; one device notification per
 * burst, and only when the device asks for them. UP: the IRQ handler only
 * reads used indices and calls the queue event callbacks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/boot.h>
#include <uk/init.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include <uk/virtionet.h>

#define RX_Q	     0
#define TX_Q	     1
#define REFILL_BATCH 64
#define ETH_HLEN     14
#define ETH_VLAN     4
#define VN_MTU_MAX   9000 /* rx buffers hold a whole frame (no MRG_RXBUF) */

struct vnet {
	struct uk_netdev nd;
	struct uk_virtio_dev *vd;
	struct uk_virtq rxq, txq;
	uint8_t rx_ready, tx_ready, any_layout, irq_on;
	volatile uint8_t rx_intr, tx_intr;
	uint16_t hdrlen;
	uint16_t max_mtu;
	uint16_t nb_desc_max;
	struct uk_netdev_rxq_conf rxconf;
	struct uk_netdev_txq_conf txconf;
	char name[48];
};

#define VN(d) ((struct vnet *)(d)->priv)

static void vn_info(struct uk_netdev *d, struct uk_netdev_info *out)
{
	struct vnet *vn = VN(d);

	out->max_rx_queues = 1;
	out->max_tx_queues = 1;
	out->max_mtu = vn->max_mtu;
	out->rx_headroom = vn->hdrlen;
	out->tx_headroom = vn->hdrlen;
	out->nb_desc_max = vn->nb_desc_max;
	out->features = 0;
	if (uk_virtio_has(vn->vd, UK_VIRTIO_NET_F_CSUM))
		out->features |= UK_NETDEV_F_TXCSUM;
	if (uk_virtio_has(vn->vd, UK_VIRTIO_NET_F_GUEST_CSUM))
		out->features |= UK_NETDEV_F_RXCSUM;
	if (vn->vd->irq >= 0)
		out->features |= UK_NETDEV_F_INTR;
	out->rx_buflen_min =
		(size_t)vn->hdrlen + ETH_HLEN + ETH_VLAN + vn->max_mtu;
}

static int vn_configure(struct uk_netdev *d, uint16_t nb_rxq, uint16_t nb_txq)
{
	(void)d;
	return nb_rxq == 1 && nb_txq == 1 ? 0 : -EINVAL;
}

static int vn_rxq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_rxq_conf *conf)
{
	struct vnet *vn = VN(d);
	int rc;

	if (qid != 0 || !conf->alloc_rxbufs)
		return -EINVAL;
	if (vn->rx_ready)
		return -EBUSY; /* queues are set up once per device */
	rc = uk_virtio_queue_setup(vn->vd, &vn->rxq, RX_Q, conf->nb_desc);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EIO;
	uk_virtq_intr_disable(&vn->rxq);
	vn->rxconf = *conf;
	vn->rx_ready = 1;
	return 0;
}

static int vn_txq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_txq_conf *conf)
{
	struct vnet *vn = VN(d);
	int rc;

	if (qid != 0)
		return -EINVAL;
	if (vn->tx_ready)
		return -EBUSY;
	rc = uk_virtio_queue_setup(vn->vd, &vn->txq, TX_Q, conf->nb_desc);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EIO;
	uk_virtq_intr_disable(&vn->txq);
	vn->txconf = *conf;
	vn->tx_ready = 1;
	return 0;
}

/* Fill the rx ring with the stack's netbufs, then one kick. Returns
 * UK_NETDEV_STATUS_UNDER when the stack gave fewer than asked. */
static int rx_refill(struct vnet *vn)
{
	struct uk_virtq *q = &vn->rxq;
	unsigned per = vn->any_layout ? 1 : 2;
	int st = 0;

	while (q->num_free >= per) {
		struct uk_netbuf *nbs[REFILL_BATCH];
		uint16_t want = (uint16_t)(q->num_free / per), got;
		if (want > REFILL_BATCH)
			want = REFILL_BATCH;
		got = vn->rxconf.alloc_rxbufs(vn->rxconf.alloc_arg, nbs, want);
		if (got > want)
			got = want; /* a broken callback cannot overrun */
		for (uint16_t i = 0; i < got; i++) {
			struct uk_netbuf *nb = nbs[i];
			char *data = nb->data;
			char *end = (char *)nb->buf + nb->buflen;
			if (data < (char *)nb->buf + vn->hdrlen ||
			    data + ETH_HLEN > end) {
				uk_pr_err("%s: rx netbuf without %u bytes of "
					  "headroom or room for a frame: "
					  "dropped",
					  vn->name, vn->hdrlen);
				uk_netbuf_free(nb);
				st = UK_NETDEV_STATUS_UNDER;
				continue;
			}
			struct uk_virtq_seg seg[2];
			if (per == 1) {
				seg[0].addr = data - vn->hdrlen;
				seg[0].len =
					(uint32_t)(end - data + vn->hdrlen);
			} else {
				seg[0].addr = data - vn->hdrlen;
				seg[0].len = vn->hdrlen;
				seg[1].addr = data;
				seg[1].len = (uint32_t)(end - data);
			}
			uk_virtq_add(q, seg, 0, per, nb); /* fits: num_free */
		}
		if (got < want) {
			st = UK_NETDEV_STATUS_UNDER;
			break;
		}
	}
	uk_virtq_kick(q);
	return st;
}

static int vn_start(struct uk_netdev *d)
{
	struct vnet *vn = VN(d);

	if (!vn->rx_ready || !vn->tx_ready)
		return -EINVAL;
	if (!vn->irq_on && vn->vd->irq >= 0 &&
	    (vn->rxconf.event || vn->txconf.event)) {
		extern int uk_virtionet_irq(void *arg);
		int rc = uk_virtio_irq_register(vn->vd, uk_virtionet_irq, vn);
		if (rc < 0) {
			/* e.g. microvm's GSIs 24+ on a second IOAPIC */
			uk_pr_warn("%s: interrupt line %d cannot be used (%d): "
				   "polling only",
				   vn->name, vn->vd->irq, rc);
			vn->vd->irq = -1;
		} else {
			vn->irq_on = 1;
		}
	}
	if (!(vn->vd->ops->get_status(vn->vd) & UK_VIRTIO_S_DRIVER_OK)) {
		uk_virtio_driver_ok(vn->vd);
		if (vn->vd->ops->get_status(vn->vd) &
		    UK_VIRTIO_S_DEVICE_NEEDS_RESET) {
			uk_pr_err("%s: device needs a reset after DRIVER_OK",
				  vn->name);
			uk_virtio_fail(vn->vd);
			return -EIO;
		}
	}
	rx_refill(vn);
	if (!uk_virtq_in_flight(&vn->rxq)) {
		uk_pr_err("%s: no rx buffers from the stack", vn->name);
		return -ENOMEM;
	}
	return 0;
}

/* Stop: interrupts off, the device keeps its buffers (start again just
 * resumes). */
static int vn_stop(struct uk_netdev *d)
{
	struct vnet *vn = VN(d);

	vn->rx_intr = vn->tx_intr = 0;
	uk_virtq_intr_disable(&vn->rxq);
	uk_virtq_intr_disable(&vn->txq);
	return 0;
}

static int vn_rx_burst(struct uk_netdev *d, uint16_t qid,
		       struct uk_netbuf *pkts[], uint16_t *cnt)
{
	struct vnet *vn = VN(d);
	uint16_t n = 0, want = *cnt;
	const uint16_t hl = vn->hdrlen;
	const int csum = uk_virtio_has(vn->vd, UK_VIRTIO_NET_F_GUEST_CSUM);

	if (qid != 0) {
		*cnt = 0;
		return -EINVAL;
	}
	if (d->state != UK_NETDEV_RUNNING) {
		*cnt = 0;
		return -ENETDOWN;
	}
	while (n < want) {
		uint32_t len;
		struct uk_netbuf *nb = uk_virtq_get(&vn->rxq, &len);
		if (!nb)
			break;
		/* the device's length: at least the header and an Ethernet
		 * header, at most what was posted (ukvirtio already turned a
		 * length beyond the descriptors into 0) */
		size_t posted = (size_t)((char *)nb->buf + nb->buflen -
					 (char *)nb->data) +
				hl;
		if (len < hl) {
			uk_pr_err("%s: rx used length %u shorter than the "
				  "%u-byte virtio-net header: dropped",
				  vn->name, (unsigned)len, hl);
			uk_netbuf_free(nb);
			continue;
		}
		if (len > posted) {
			uk_pr_err("%s: rx used length %u beyond the posted "
				  "%zu-byte buffer: dropped",
				  vn->name, (unsigned)len, posted);
			uk_netbuf_free(nb);
			continue;
		}
		if (len < (uint32_t)hl + ETH_HLEN) {
			uk_netbuf_free(nb); /* runt: nothing to deliver */
			continue;
		}
		const struct uk_virtio_net_hdr *h =
			(const void *)((char *)nb->data - hl);
		nb->len = len - hl;
		nb->flags = 0;
		/* NEEDS_CSUM on rx: a partial checksum from a local sender
		 * (the host), as good as verified for us */
		if (csum && (h->flags & (UK_VIRTIO_NET_HDR_F_DATA_VALID |
					 UK_VIRTIO_NET_HDR_F_NEEDS_CSUM)))
			nb->flags = UK_NETBUF_F_DATA_VALID;
		pkts[n++] = nb;
	}
	*cnt = n;
	int st = rx_refill(vn);
	if (uk_virtq_has_used(&vn->rxq))
		st |= UK_NETDEV_STATUS_MORE;
	return st;
}

static int vn_tx_burst(struct uk_netdev *d, uint16_t qid,
		       struct uk_netbuf *pkts[], uint16_t *cnt)
{
	struct vnet *vn = VN(d);
	struct uk_virtq *q = &vn->txq;
	struct uk_netbuf *done;
	const uint16_t hl = vn->hdrlen;
	const unsigned per = vn->any_layout ? 1 : 2;
	const size_t maxlen = (size_t)ETH_HLEN + ETH_VLAN + vn->max_mtu;
	const int csum = uk_virtio_has(vn->vd, UK_VIRTIO_NET_F_CSUM);
	uint16_t i;
	int st = 0;

	if (qid != 0) {
		*cnt = 0;
		return -EINVAL;
	}
	if (d->state != UK_NETDEV_RUNNING) {
		*cnt = 0;
		return -ENETDOWN;
	}
	/* reclaim what the device has sent */
	while ((done = uk_virtq_get(q, NULL)))
		uk_netbuf_free(done);

	for (i = 0; i < *cnt; i++) {
		struct uk_netbuf *nb = pkts[i];
		char *data = nb->data;
		if (data < (char *)nb->buf + hl || nb->len > maxlen ||
		    !nb->len) {
			if (i == 0) {
				uk_pr_err("%s: tx netbuf without %u bytes of "
					  "headroom, empty or longer than %zu",
					  vn->name, hl, maxlen);
				*cnt = 0;
				return -EINVAL;
			}
			break; /* the first ones go; the caller sees why */
		}
		if (q->num_free < per) {
			st |= UK_NETDEV_STATUS_FULL;
			break;
		}
		struct uk_virtio_net_hdr *h = (void *)(data - hl);
		memset(h, 0, hl);
		if (csum && (nb->flags & UK_NETBUF_F_CSUM_PARTIAL)) {
			h->flags = UK_VIRTIO_NET_HDR_F_NEEDS_CSUM;
			h->csum_start = nb->csum_start;
			h->csum_offset = nb->csum_offset;
		}
		struct uk_virtq_seg seg[2];
		if (per == 1) {
			seg[0].addr = h;
			seg[0].len = (uint32_t)(hl + nb->len);
		} else {
			seg[0].addr = h;
			seg[0].len = hl;
			seg[1].addr = data;
			seg[1].len = (uint32_t)nb->len;
		}
		uk_virtq_add(q, seg, per, 0, nb);
	}
	*cnt = i;
	if (q->num_free < per)
		st |= UK_NETDEV_STATUS_FULL;
	uk_virtq_kick(q);
	return st;
}

static int vn_rxq_intr_enable(struct uk_netdev *d, uint16_t qid)
{
	struct vnet *vn = VN(d);

	if (qid != 0 || !vn->rx_ready)
		return -EINVAL;
	if (!vn->rxconf.event || vn->vd->irq < 0)
		return -ENOTSUP;
	vn->rx_intr = 1;
	return uk_virtq_intr_enable(&vn->rxq) ? 1 : 0;
}

static int vn_rxq_intr_disable(struct uk_netdev *d, uint16_t qid)
{
	struct vnet *vn = VN(d);

	if (qid != 0 || !vn->rx_ready)
		return -EINVAL;
	vn->rx_intr = 0;
	uk_virtq_intr_disable(&vn->rxq);
	return 0;
}

static int vn_txq_intr_enable(struct uk_netdev *d, uint16_t qid)
{
	struct vnet *vn = VN(d);

	if (qid != 0 || !vn->tx_ready)
		return -EINVAL;
	if (!vn->txconf.event || vn->vd->irq < 0)
		return -ENOTSUP;
	vn->tx_intr = 1;
	return uk_virtq_intr_enable(&vn->txq) ? 1 : 0;
}

static int vn_txq_intr_disable(struct uk_netdev *d, uint16_t qid)
{
	struct vnet *vn = VN(d);

	if (qid != 0 || !vn->tx_ready)
		return -EINVAL;
	vn->tx_intr = 0;
	uk_virtq_intr_disable(&vn->txq);
	return 0;
}

static int vn_mtu_set(struct uk_netdev *d, uint16_t mtu)
{
	/* rx buffers are sized for max_mtu already; uknetdev checked it */
	return mtu <= VN(d)->max_mtu ? 0 : -EINVAL;
}

static const struct uk_netdev_ops vn_ops = {
	.info = vn_info,
	.configure = vn_configure,
	.rxq_setup = vn_rxq_setup,
	.txq_setup = vn_txq_setup,
	.start = vn_start,
	.stop = vn_stop,
	.rx_burst = vn_rx_burst,
	.tx_burst = vn_tx_burst,
	.rxq_intr_enable = vn_rxq_intr_enable,
	.rxq_intr_disable = vn_rxq_intr_disable,
	.txq_intr_enable = vn_txq_intr_enable,
	.txq_intr_disable = vn_txq_intr_disable,
	.mtu_set = vn_mtu_set,
};

int uk_virtionet_describe(struct uk_netdev *d, char *buf, size_t len)
{
	if (!d || d->ops != &vn_ops || !len)
		return -ENODEV;
	struct uk_virtio_dev *vd = VN(d)->vd;
	int n = snprintf(buf, len, "%s, irq %d, features: ", vd->transport,
			 vd->irq);
	if (n >= 0 && (size_t)n < len)
		uk_virtio_features_str(vd->device_id, vd->features, buf + n,
				       len - (size_t)n);
	return 0;
}

/* IRQ context: acknowledge, then tell the stack (if it asked). */
int uk_virtionet_irq(void *arg);
int uk_virtionet_irq(void *arg)
{
	struct vnet *vn = arg;
	uint8_t isr = vn->vd->ops->isr_ack(vn->vd);

	if (!isr)
		return 0; /* a shared line: not ours */
	if (isr & UK_VIRTIO_ISR_QUEUE) {
		if (vn->rx_intr && uk_virtq_has_used(&vn->rxq))
			vn->rxconf.event(vn->rxconf.event_arg, 0);
		if (vn->tx_intr && uk_virtq_has_used(&vn->txq))
			vn->txconf.event(vn->txconf.event_arg, 0);
	}
	return 1;
}

static uint64_t parse_mask(const char *s)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (!s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (int i = 0; s[i] && i < 20; i++) {
		unsigned c = (unsigned char)s[i], dg;
		if (c >= '0' && c <= '9')
			dg = c - '0';
		else if (base == 16 && (c | 32) >= 'a' && (c | 32) <= 'f')
			dg = (c | 32) - 'a' + 10;
		else {
			uk_pr_err("virtionet.require=%s: not a number: "
				  "ignored",
				  s);
			return 0;
		}
		v = v * base + dg;
	}
	return v;
}

#define SUPPORTED                                    \
	(UK_VIRTIO_BIT(UK_VIRTIO_NET_F_MAC) |        \
	 UK_VIRTIO_BIT(UK_VIRTIO_NET_F_MTU) |        \
	 UK_VIRTIO_BIT(UK_VIRTIO_NET_F_CSUM) |       \
	 UK_VIRTIO_BIT(UK_VIRTIO_NET_F_GUEST_CSUM) | \
	 UK_VIRTIO_BIT(UK_VIRTIO_NET_F_STATUS) |     \
	 UK_VIRTIO_BIT(UK_VIRTIO_F_ANY_LAYOUT) |     \
	 UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1))

static void random_mac(uint8_t mac[6], const void *salt)
{
	uint64_t x = (uint64_t)(uintptr_t)salt;
#if defined(__x86_64__)
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	x ^= ((uint64_t)hi << 32) | lo;
#endif
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(x >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* local, unicast */
}

int uk_virtionet_probe(struct uk_virtio_dev *vd);
int uk_virtionet_probe(struct uk_virtio_dev *vd)
{
	uint64_t req = parse_mask(uk_boot_param("virtionet.require"));
	int rc;

	rc = uk_virtio_negotiate(vd, SUPPORTED, req);
	if (rc < 0)
		return rc;
	struct vnet *vn = calloc(1, sizeof(*vn));
	if (!vn) {
		uk_virtio_fail(vd);
		return -ENOMEM;
	}
	vn->vd = vd;
	vd->drv = vn;
	vn->hdrlen = vd->legacy ? 10 : 12;
	vn->any_layout =
		!vd->legacy || uk_virtio_has(vd, UK_VIRTIO_F_ANY_LAYOUT);
	vn->max_mtu = 1500;
	if (uk_virtio_has(vd, UK_VIRTIO_NET_F_MTU)) {
		uint16_t m;
		vd->ops->config_read(vd, 10, &m, 2);
		/* every rx buffer is sized for it: keep it sane */
		if (m < 68 || m > VN_MTU_MAX)
			uk_pr_warn("virtio-net %s: config mtu %u outside "
				   "68..%u: using 1500",
				   vd->name, m, VN_MTU_MAX);
		else
			vn->max_mtu = m;
	}
	uint16_t qr = vd->ops->queue_max(vd, RX_Q);
	uint16_t qt = vd->ops->queue_max(vd, TX_Q);
	if (!qr || !qt) {
		uk_pr_err("virtio-net %s: no rx or tx queue: device set FAILED",
			  vd->name);
		uk_virtio_fail(vd);
		free(vn);
		return -EIO;
	}
	vn->nb_desc_max = qr < qt ? qr : qt;

	struct uk_netdev *nd = &vn->nd;
	if (uk_virtio_has(vd, UK_VIRTIO_NET_F_MAC))
		vd->ops->config_read(vd, 0, nd->hwaddr, 6);
	else
		random_mac(nd->hwaddr, vn);
	snprintf(vn->name, sizeof(vn->name), "virtio-net@%s", vd->name);
	nd->ops = &vn_ops;
	nd->name = vn->name;
	nd->mtu = vn->max_mtu < 1500 ? vn->max_mtu : 1500;
	nd->priv = vn;

	char feats[512];
	uk_virtio_features_str(vd->device_id, vd->features, feats,
			       sizeof(feats));
	uint16_t status = 1;
	if (uk_virtio_has(vd, UK_VIRTIO_NET_F_STATUS))
		vd->ops->config_read(vd, 6, &status, 2);
	uk_pr_info("%s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x%s, MTU %u, "
		   "link %s, irq %d, features: %s",
		   vn->name, vd->transport, nd->hwaddr[0], nd->hwaddr[1],
		   nd->hwaddr[2], nd->hwaddr[3], nd->hwaddr[4], nd->hwaddr[5],
		   uk_virtio_has(vd, UK_VIRTIO_NET_F_MAC) ? "" : " (random)",
		   vn->max_mtu, (status & 1) ? "up" : "down", vd->irq, feats);
	rc = uk_netdev_register(nd);
	if (rc < 0) {
		uk_pr_err("%s: uk_netdev_register: %d", vn->name, rc);
		uk_virtio_fail(vd);
		free(vn);
		return rc;
	}
	return 0;
}

static struct uk_virtio_driver vn_driver = {
	.name = "virtio-net",
	.device_id = UK_VIRTIO_ID_NET,
	.probe = uk_virtionet_probe,
};

static int vn_register(void)
{
	uk_virtio_driver_register(&vn_driver);
	return 0;
}
uk_early_initcall(vn_register);
