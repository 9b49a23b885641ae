/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A uknetdev test double for native unit tests and fuzzers: a device whose
 * "wire" is two in-memory frame queues.
 *
 *   nd_test_init(&t, mac)      set up (not registered; call
 *                              uk_netdev_register(&t.dev) if wanted)
 *   nd_test_inject(&t, f, n)   a frame "arrives": copied into the next rx
 *                              netbuf the stack gave us (returns 0, or -1
 *                              when no rx buffer is posted or it is too
 *                              small: the frame is dropped, as a NIC would)
 *   t.tx[] / t.nr_tx           frames the stack sent (copies), at most
 *                              ND_TEST_TX_MAX kept; nd_test_tx_reset(&t)
 *   t.rx_posted                rx netbufs the stack has given us, not
 *                              yet handed back
 * Features: t.features (UK_NETDEV_F_*) as info reports them; rx frames
 * get UK_NETBUF_F_DATA_VALID when t.rx_csum_valid is set. Events: when the
 * rx queue's interrupts are on, nd_test_inject() calls the event callback
 * (as an interrupt handler would).
 *
 * Header-only: include it in exactly one C file of a test.
 */
#ifndef UK_NETDEV_TESTING_H
#define UK_NETDEV_TESTING_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/netdev.h>

#define ND_TEST_RING	  64
#define ND_TEST_TX_MAX	  256
#define ND_TEST_FRAME_MAX 2048

struct nd_test_frame {
	size_t len;
	uint16_t flags, csum_start, csum_offset;
	unsigned char data[ND_TEST_FRAME_MAX];
};

struct nd_test {
	struct uk_netdev dev;
	struct uk_netdev_rxq_conf rxconf;
	struct uk_netdev_txq_conf txconf;
	struct uk_netbuf *ring[ND_TEST_RING]; /* posted rx buffers */
	unsigned rx_posted;
	struct uk_netbuf *done[ND_TEST_RING]; /* filled, not yet taken */
	unsigned nr_done;
	int rx_intr, tx_intr, rx_csum_valid;
	uint32_t features;
	unsigned nr_tx, tx_dropped, tx_full_at; /* tx_full_at: refuse past */
	struct nd_test_frame tx[ND_TEST_TX_MAX];
	unsigned started, stopped, tx_bursts, rx_bursts;
};

static inline struct nd_test *nd_test_of(struct uk_netdev *d)
{
	return (struct nd_test *)d->priv;
}

static void nd_test_info(struct uk_netdev *d, struct uk_netdev_info *out)
{
	out->max_rx_queues = out->max_tx_queues = 1;
	out->max_mtu = 1500;
	out->nb_desc_max = ND_TEST_RING;
	out->features = nd_test_of(d)->features | UK_NETDEV_F_INTR;
	out->rx_buflen_min = 1514;
}

static int nd_test_configure(struct uk_netdev *d, uint16_t r, uint16_t t)
{
	(void)d, (void)r, (void)t;
	return 0;
}

static void nd_test_refill(struct nd_test *t)
{
	while (t->rx_posted < ND_TEST_RING) {
		struct uk_netbuf *nb[ND_TEST_RING];
		uint16_t want = (uint16_t)(ND_TEST_RING - t->rx_posted);
		uint16_t n =
			t->rxconf.alloc_rxbufs(t->rxconf.alloc_arg, nb, want);

		for (uint16_t i = 0; i < n; i++)
			t->ring[t->rx_posted++] = nb[i];
		if (n < want)
			break;
	}
}

static int nd_test_rxq_setup(struct uk_netdev *d, uint16_t q,
			     const struct uk_netdev_rxq_conf *c)
{
	(void)q;
	nd_test_of(d)->rxconf = *c;
	return 0;
}

static int nd_test_txq_setup(struct uk_netdev *d, uint16_t q,
			     const struct uk_netdev_txq_conf *c)
{
	(void)q;
	nd_test_of(d)->txconf = *c;
	return 0;
}

static int nd_test_start(struct uk_netdev *d)
{
	struct nd_test *t = nd_test_of(d);

	t->started++;
	nd_test_refill(t);
	return 0;
}

static int nd_test_stop(struct uk_netdev *d)
{
	struct nd_test *t = nd_test_of(d);

	t->stopped++;
	for (unsigned i = 0; i < t->rx_posted; i++)
		uk_netbuf_free(t->ring[i]);
	t->rx_posted = 0;
	for (unsigned i = 0; i < t->nr_done; i++)
		uk_netbuf_free(t->done[i]);
	t->nr_done = 0;
	return 0;
}

static int nd_test_rx_burst(struct uk_netdev *d, uint16_t q,
			    struct uk_netbuf *pkts[], uint16_t *cnt)
{
	struct nd_test *t = nd_test_of(d);
	unsigned n = *cnt < t->nr_done ? *cnt : t->nr_done;

	(void)q;
	if (d->state != UK_NETDEV_RUNNING)
		return -ENETDOWN;
	t->rx_bursts++;
	memcpy(pkts, t->done, n * sizeof(pkts[0]));
	memmove(t->done, t->done + n, (t->nr_done - n) * sizeof(t->done[0]));
	t->nr_done -= n;
	*cnt = (uint16_t)n;
	nd_test_refill(t);
	return t->nr_done ? UK_NETDEV_STATUS_MORE : 0;
}

static int nd_test_tx_burst(struct uk_netdev *d, uint16_t q,
			    struct uk_netbuf *pkts[], uint16_t *cnt)
{
	struct nd_test *t = nd_test_of(d);
	uint16_t i;

	(void)q;
	if (d->state != UK_NETDEV_RUNNING)
		return -ENETDOWN;
	t->tx_bursts++;
	for (i = 0; i < *cnt; i++) {
		struct uk_netbuf *nb = pkts[i];

		if (t->tx_full_at && t->nr_tx + t->tx_dropped >= t->tx_full_at)
			break;
		if (t->nr_tx < ND_TEST_TX_MAX && nb->len <= ND_TEST_FRAME_MAX) {
			struct nd_test_frame *f = &t->tx[t->nr_tx++];

			f->len = nb->len;
			f->flags = nb->flags;
			f->csum_start = nb->csum_start;
			f->csum_offset = nb->csum_offset;
			memcpy(f->data, nb->data, nb->len);
		} else {
			t->tx_dropped++;
		}
		uk_netbuf_free(nb);
	}
	int full = i < *cnt;

	*cnt = i;
	return full ? UK_NETDEV_STATUS_FULL : 0;
}

static int nd_test_rxq_intr(struct uk_netdev *d, uint16_t q, int on)
{
	struct nd_test *t = nd_test_of(d);

	(void)q;
	if (!t->rxconf.event)
		return -ENOTSUP;
	t->rx_intr = on;
	return on && t->nr_done ? 1 : 0;
}

static int nd_test_rxq_intr_enable(struct uk_netdev *d, uint16_t q)
{
	return nd_test_rxq_intr(d, q, 1);
}

static int nd_test_rxq_intr_disable(struct uk_netdev *d, uint16_t q)
{
	return nd_test_rxq_intr(d, q, 0);
}

static const struct uk_netdev_ops nd_test_ops = {
	.info = nd_test_info,
	.configure = nd_test_configure,
	.rxq_setup = nd_test_rxq_setup,
	.txq_setup = nd_test_txq_setup,
	.start = nd_test_start,
	.stop = nd_test_stop,
	.rx_burst = nd_test_rx_burst,
	.tx_burst = nd_test_tx_burst,
	.rxq_intr_enable = nd_test_rxq_intr_enable,
	.rxq_intr_disable = nd_test_rxq_intr_disable,
};

static inline void nd_test_init(struct nd_test *t, const uint8_t mac[6])
{
	memset(t, 0, sizeof(*t));
	t->dev.ops = &nd_test_ops;
	t->dev.name = "nd-test";
	t->dev.priv = t;
	t->dev.mtu = 1500;
	memcpy(t->dev.hwaddr, mac, 6);
}

static inline void nd_test_tx_reset(struct nd_test *t)
{
	t->nr_tx = t->tx_dropped = 0;
}

static inline int nd_test_inject(struct nd_test *t, const void *frame,
				 size_t len)
{
	struct uk_netbuf *nb;
	size_t room;

	if (!t->rx_posted || t->nr_done >= ND_TEST_RING)
		return -1;
	nb = t->ring[0];
	room = (size_t)((char *)nb->buf + nb->buflen - (char *)nb->data);
	if (len > room)
		return -1; /* a real NIC drops it too */
	memmove(t->ring, t->ring + 1, (t->rx_posted - 1) * sizeof(t->ring[0]));
	t->rx_posted--;
	memcpy(nb->data, frame, len);
	nb->len = len;
	nb->flags = t->rx_csum_valid ? UK_NETBUF_F_DATA_VALID : 0;
	t->done[t->nr_done++] = nb;
	if (t->rx_intr && t->rxconf.event)
		t->rxconf.event(t->rxconf.event_arg, 0);
	return 0;
}

#endif /* UK_NETDEV_TESTING_H */
