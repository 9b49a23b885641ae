/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: an lwIP netif over a uknetdev.
 *
 * rx, zero-copy: the buffers the driver fills are ours (alloc_rxbufs): one
 * allocation holds a `struct uklwip_rxbuf` (the pbuf_custom, the netbuf)
 * and the packet buffer. A received frame becomes a custom PBUF_REF pbuf
 * pointing into that buffer; lwIP's last pbuf_free() calls rxbuf_pbuf_free,
 * which puts the whole block on the netif's free list (or frees it past a
 * bound), where the next refill takes it. No copy, no allocation per packet
 * in steady state.
 *
 * rx path: a thread per netif. Interrupt mode (NAPI style): with the queue's
 * interrupts off it receives bursts of up to 32 frames and feeds them to
 * the stack under the core lock, yielding between full bursts; when the
 * ring is empty it turns interrupts on and sleeps on a uk_sched_event that
 * the queue's event callback signals from the interrupt handler. Polling
 * mode: bursts and uk_sched_yield() forever.
 *
 * tx: linkoutput (core lock held) wraps the frame in a netbuf - the pbuf's
 * own memory when it is one pbuf with room for the device's headroom before
 * it (zero-copy: pbuf_ref() until the driver frees the netbuf), else a copy
 * into one new buffer - and queues it; the queue goes to the device in one
 * uk_netdev_tx_burst() when 32 frames are queued or the core lock is
 * released (uklwip_core_unlock), so one notification covers everything a
 * lock hold (an rx burst, an application's send) produced.
 *
 * Checksums: with UK_NETDEV_F_TXCSUM, lwIP does not compute TCP checksums
 * on this netif (NETIF_CHECKSUM_GEN_TCP off); linkoutput stores the
 * pseudo-header sum and marks the netbuf UK_NETBUF_F_CSUM_PARTIAL. With
 * UK_NETDEV_F_RXCSUM, frames the device marks UK_NETBUF_F_DATA_VALID are
 * fed with the TCP/UDP checks off (the netif's flags are set per frame,
 * which is exact: input is synchronous under the core lock).
 *
 * UP, cooperative: the driver frees tx netbufs and the stack frees rx
 * pbufs from threads (never interrupt handlers), so the free lists need no
 * locking.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ethernet.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"

#include <uk/alloc.h>
#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include <uk/sched.h>

#include "uklwip.h"

#define RX_BURST       32
#define TX_BURST       32
#define RX_FREE_MAX    1024 /* rx blocks kept for reuse per netif */
#define TX_NB_FREE_MAX 1024
#define BUF_ALIGN      64

struct uklwip_if;
struct uklwip_txnb;

struct uklwip_rxbuf {
	struct pbuf_custom pc; /* first: lwIP frees this pointer */
	struct uk_netbuf nb;
	struct uklwip_if *nif;
	struct uklwip_rxbuf *next_free;
};
#define RXBUF_HDR                                        \
	((sizeof(struct uklwip_rxbuf) + BUF_ALIGN - 1) & \
	 ~(size_t)(BUF_ALIGN - 1))

struct uklwip_if {
	struct netif netif;
	struct uk_netdev *dev;
	struct uk_netdev_info info;
	struct uklwip_config cfg;
	size_t rx_buflen;
	struct uklwip_rxbuf *rx_free;
	unsigned rx_nfree;
	struct uk_netbuf *txq[TX_BURST];
	unsigned txn;
	struct uklwip_txnb *tx_nb_free; /* zero-copy wrappers for reuse */
	unsigned tx_nb_nfree;
	int txcsum, rxcsum;
	u16_t csum_flags; /* the netif's NETIF_CHECKSUM_* outside rx */
	int irq;	  /* rx by events */
#ifdef UKLWIP_HAVE_SCHED_EVENT
	struct uk_sched_event ev;
#endif
	struct uk_thread *rx_thread;
	struct uklwip_stats st;
	struct uklwip_if *next;
};

static struct uklwip_if *ifs, **ifs_tail = &ifs;
static unsigned nifs;

static struct uklwip_if *to_uif(struct netif *n)
{
	return (struct uklwip_if *)n; /* netif is the first member */
}

/* ---- rx buffers ---- */

static void rxbuf_recycle(struct uklwip_rxbuf *rb)
{
	struct uklwip_if *u = rb->nif;

	if (u->rx_nfree < RX_FREE_MAX) {
		rb->next_free = u->rx_free;
		u->rx_free = rb;
		u->rx_nfree++;
	} else {
		u->st.rx_bufs_freed++;
		free(rb);
	}
}

static void rxbuf_nb_free(struct uk_netbuf *nb)
{
	rxbuf_recycle(nb->priv);
}

static void rxbuf_pbuf_free(struct pbuf *p)
{
	rxbuf_recycle((struct uklwip_rxbuf *)(void *)p);
}

static uint16_t alloc_rxbufs(void *arg, struct uk_netbuf *nb[], uint16_t count)
{
	struct uklwip_if *u = arg;
	uint16_t i;

	for (i = 0; i < count; i++) {
		struct uklwip_rxbuf *rb = u->rx_free;

		if (rb) {
			u->rx_free = rb->next_free;
			u->rx_nfree--;
		} else {
			rb = aligned_alloc(BUF_ALIGN, RXBUF_HDR + u->rx_buflen);
			if (!rb)
				break;
			rb->nif = u;
			u->st.rx_bufs_allocated++;
		}
		uk_netbuf_init(&rb->nb, (char *)rb + RXBUF_HDR, u->rx_buflen,
			       u->info.rx_headroom, rxbuf_nb_free, rb);
		nb[i] = &rb->nb;
	}
	return i;
}

/* One received frame to the stack (core lock held). */
static void rx_one(struct uklwip_if *u, struct uk_netbuf *nb)
{
	struct uklwip_rxbuf *rb = nb->priv;
	struct pbuf *p;

	if (nb->free != rxbuf_nb_free || rb->nif != u ||
	    nb->len < SIZEOF_ETH_HDR || nb->len > 0xffff ||
	    (char *)nb->data < (char *)nb->buf ||
	    (char *)nb->data + nb->len > (char *)nb->buf + nb->buflen) {
		u->st.rx_dropped++;
		uk_netbuf_free(nb);
		return;
	}
	rb->pc.custom_free_function = rxbuf_pbuf_free;
	p = pbuf_alloced_custom(PBUF_RAW, (u16_t)nb->len, PBUF_REF, &rb->pc,
				nb->data, (u16_t)nb->len);
	if (u->rxcsum) {
		u16_t f = u->csum_flags;

		if (nb->flags & UK_NETBUF_F_DATA_VALID)
			f &= ~(NETIF_CHECKSUM_CHECK_TCP |
			       NETIF_CHECKSUM_CHECK_UDP);
		u->netif.chksum_flags = f;
	}
	u->st.rx_frames++;
	if (u->netif.input(p, &u->netif) != ERR_OK) {
		u->st.rx_dropped++;
		pbuf_free(p);
	}
}

int uklwip_netif_poll(struct netif *n)
{
	struct uklwip_if *u = to_uif(n);
	struct uk_netbuf *pkts[RX_BURST];
	uint16_t cnt = RX_BURST, i;
	int st;

	st = uk_netdev_rx_burst(u->dev, 0, pkts, &cnt);
	if (st < 0)
		return st;
	if (cnt > RX_BURST)
		cnt = RX_BURST; /* a driver bug must not overrun pkts */
	if (cnt) {
		LOCK_TCPIP_CORE();
		for (i = 0; i < cnt; i++)
			rx_one(u, pkts[i]);
		if (u->rxcsum)
			u->netif.chksum_flags = u->csum_flags;
		UNLOCK_TCPIP_CORE();
	}
	return cnt;
}

/* ---- tx ---- */

static void tx_flush(struct uklwip_if *u)
{
	uint16_t cnt, sent = 0;
	unsigned tries;
	int st;

	for (tries = 0; tries < 2 && sent < u->txn; tries++) {
		cnt = (uint16_t)(u->txn - sent);
		st = uk_netdev_tx_burst(u->dev, 0, u->txq + sent, &cnt);
		if (st < 0)
			break;
		sent += cnt;
		u->st.tx_bursts++;
	}
	u->st.tx_frames += sent;
	/* the ring stayed full: drop the rest (TCP retransmits) */
	for (; sent < u->txn; sent++) {
		u->st.tx_dropped++;
		uk_netbuf_free(u->txq[sent]);
	}
	u->txn = 0;
}

void uklwip_tx_flush_all(void)
{
	struct uklwip_if *u;

	for (u = ifs; u; u = u->next)
		if (u->txn)
			tx_flush(u);
}

/* a zero-copy tx netbuf: the wrapper, kept on a free list for reuse */
struct uklwip_txnb {
	struct uk_netbuf nb; /* first */
	struct uklwip_if *nif;
	struct uklwip_txnb *next_free;
	struct pbuf *p;
};

static void tx_zc_free(struct uk_netbuf *nb)
{
	struct uklwip_txnb *t = (struct uklwip_txnb *)(void *)nb;
	struct uklwip_if *u = t->nif;

	pbuf_free(t->p);
	if (u->tx_nb_nfree < TX_NB_FREE_MAX) {
		t->next_free = u->tx_nb_free;
		u->tx_nb_free = t;
		u->tx_nb_nfree++;
	} else {
		free(t);
	}
}

static void tx_copy_free(struct uk_netbuf *nb)
{
	free(nb); /* one block: netbuf + buffer */
}

/* 16-bit one's complement sum of `len` bytes (pseudo-header helper) */
static uint32_t sum16(const void *data, size_t len, uint32_t s)
{
	const uint8_t *b = data;

	for (; len > 1; len -= 2, b += 2)
		s += (uint32_t)(b[0] << 8 | b[1]);
	if (len)
		s += (uint32_t)(b[0] << 8);
	return s;
}

/* TCP over IPv4 in frame[0..len): store the pseudo-header sum in the
 * checksum field and ask the device for the rest */
static void tx_csum_partial(struct uk_netbuf *nb)
{
	uint8_t *f = nb->data;
	size_t len = nb->len, ihl, l4len;
	uint32_t s;
	uint16_t tot;

	if (len < SIZEOF_ETH_HDR + IP_HLEN || f[12] != 0x08 || f[13] != 0x00)
		return;
	if ((f[14] >> 4) != 4 || f[14 + 9] != IP_PROTO_TCP)
		return;
	ihl = (size_t)(f[14] & 0xf) * 4;
	tot = (uint16_t)(f[14 + 2] << 8 | f[14 + 3]);
	if (ihl < IP_HLEN || tot < ihl + TCP_HLEN ||
	    SIZEOF_ETH_HDR + (size_t)tot > len)
		return;
	/* fragments carry no complete TCP segment: lwIP computed it (never
	 * happens: TCP segments fit the MTU) */
	if ((f[14 + 6] & 0x3f) || f[14 + 7])
		return;
	l4len = tot - ihl;
	s = sum16(f + 14 + 12, 8, 0); /* source, destination */
	s += IP_PROTO_TCP + (uint32_t)l4len;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	f[14 + ihl + 16] = (uint8_t)(s >> 8);
	f[14 + ihl + 17] = (uint8_t)s;
	nb->flags |= UK_NETBUF_F_CSUM_PARTIAL;
	nb->csum_start = (uint16_t)(SIZEOF_ETH_HDR + ihl);
	nb->csum_offset = 16;
}

static err_t linkoutput(struct netif *n, struct pbuf *p)
{
	struct uklwip_if *u = to_uif(n);
	size_t hr = u->info.tx_headroom;
	struct uk_netbuf *nb;
	uint8_t *pay = p->payload;
	/* where pbuf.c puts the data of PBUF_RAM/POOL pbufs */
	uint8_t *lo = (uint8_t *)p + LWIP_MEM_ALIGN_SIZE(sizeof(struct pbuf));

	if (p->tot_len > u->netif.mtu + SIZEOF_ETH_HDR + 4u) {
		u->st.tx_dropped++;
		return ERR_BUF;
	}
	if (!p->next &&
	    (p->type_internal & PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS) &&
	    !(p->flags & PBUF_FLAG_IS_CUSTOM) && pay >= lo &&
	    (size_t)(pay - lo) >= hr) {
		struct uklwip_txnb *t = u->tx_nb_free;

		if (t) {
			u->tx_nb_free = t->next_free;
			u->tx_nb_nfree--;
		} else {
			t = malloc(sizeof(*t));
			if (!t) {
				u->st.tx_dropped++;
				return ERR_MEM;
			}
			t->nif = u;
		}
		t->p = p;
		nb = &t->nb;
		uk_netbuf_init(nb, pay - hr, hr + p->len, hr, tx_zc_free, p);
		nb->len = p->len;
		pbuf_ref(p);
		u->st.tx_zerocopy++;
	} else {
		size_t hdr = (sizeof(*nb) + 15) & ~(size_t)15;

		nb = malloc(hdr + hr + p->tot_len);
		if (!nb) {
			u->st.tx_dropped++;
			return ERR_MEM;
		}
		uk_netbuf_init(nb, (char *)nb + hdr, hr + p->tot_len, hr,
			       tx_copy_free, NULL);
		nb->len = pbuf_copy_partial(p, nb->data, p->tot_len, 0);
		u->st.tx_copied++;
	}
	if (u->txcsum)
		tx_csum_partial(nb);
	u->txq[u->txn++] = nb;
	if (u->txn == TX_BURST)
		tx_flush(u);
	return ERR_OK;
}

static err_t netif_init_cb(struct netif *n)
{
	struct uklwip_if *u = to_uif(n);

	n->name[0] = 'e';
	n->name[1] = 'n';
	n->output = etharp_output;
	n->linkoutput = linkoutput;
	n->mtu = u->dev->mtu ? u->dev->mtu : 1500;
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, u->dev->hwaddr, ETH_HWADDR_LEN);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		   NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	u->csum_flags = NETIF_CHECKSUM_ENABLE_ALL;
	if (u->txcsum)
		u->csum_flags &= ~NETIF_CHECKSUM_GEN_TCP;
	NETIF_SET_CHECKSUM_CTRL(n, u->csum_flags);
	return ERR_OK;
}

/* ---- the rx thread ---- */

#ifdef UKLWIP_HAVE_SCHED_EVENT
static void rx_event(void *arg, uint16_t qid)
{
	struct uklwip_if *u = arg;

	(void)qid;
	uk_sched_event_signal(&u->ev); /* interrupt context: only this */
}
#endif

static void rx_thread(void *arg)
{
	struct uklwip_if *u = arg;

	for (;;) {
		int n = uklwip_netif_poll(&u->netif);

		if (n < 0) {
			uk_pr_err("lwip: %s: rx failed (%d), rx thread ends\n",
				  u->dev->name, n);
			return;
		}
		if (n > 0 || !u->irq) {
			/* busy (or polling): let the others run, poll again */
			uk_sched_yield();
			continue;
		}
#ifdef UKLWIP_HAVE_SCHED_EVENT
		/* idle: interrupts on, sleep until the device has frames */
		int r = uk_netdev_rxq_intr_enable(u->dev, 0);

		if (r < 0) {
			uk_pr_warn("lwip: %s: rx interrupts unavailable "
				   "(%d): polling\n",
				   u->dev->name, r);
			u->irq = 0;
			continue;
		}
		if (r == 0)
			uk_sched_event_wait(&u->ev, UK_SCHED_FOREVER);
		uk_netdev_rxq_intr_disable(u->dev, 0);
#endif
	}
}

/* ---- attach ---- */

/* rx buffers the ring keeps posted: at most 1/RX_RING_HEAP_DIV of the heap
 * (at boot), between RX_RING_MIN and the device's limit. Every posted
 * buffer is heap memory held from boot on; a 1024-entry ring of 1.5 KB
 * buffers alone is 1.8 MB, more than a small guest's whole heap, while
 * 64 buffers still take a burst of 64 full frames between two polls. */
#define RX_RING_HEAP_DIV 32
#define RX_RING_MIN	 64
#define RX_RING_MAX	 1024

static uint16_t rx_ring_size(size_t buflen, uint16_t dev_max)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t max = dev_max && dev_max < RX_RING_MAX ? dev_max : RX_RING_MAX;
	size_t n;

	if (!a)
		return 0; /* the device's default */
	n = uk_alloc_availmem(a) / RX_RING_HEAP_DIV / (RXBUF_HDR + buflen);
	if (n < RX_RING_MIN)
		n = RX_RING_MIN;
	return (uint16_t)(n > max ? max : n);
}

int uklwip_netif_attach(struct uk_netdev *dev, const struct uklwip_config *c,
			struct netif **out)
{
	struct uk_netdev_rxq_conf rxc = {0};
	struct uk_netdev_txq_conf txc = {0};
	struct uklwip_if *u;
	ip4_addr_t ip, mask, gw;
	size_t need;
	int rc;

	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->dev = dev;
	u->cfg = *c;
	uk_netdev_info_get(dev, &u->info);
	u->txcsum = !!(u->info.features & UK_NETDEV_F_TXCSUM);
	u->rxcsum = !!(u->info.features & UK_NETDEV_F_RXCSUM);
	u->irq = c->mode == UKLWIP_MODE_IRQ &&
		 (u->info.features & UK_NETDEV_F_INTR);
#ifndef UKLWIP_HAVE_SCHED_EVENT
	u->irq = 0;
#endif
	if (u->info.tx_headroom > PBUF_LINK_ENCAPSULATION_HLEN)
		uk_pr_warn("lwip: %s: tx headroom %u > %u: every frame is "
			   "copied\n",
			   dev->name, u->info.tx_headroom,
			   PBUF_LINK_ENCAPSULATION_HLEN);
	need = (size_t)u->info.rx_headroom + (dev->mtu ? dev->mtu : 1500) +
	       SIZEOF_ETH_HDR + 4;
	if (need < u->info.rx_buflen_min)
		need = u->info.rx_buflen_min;
	u->rx_buflen = (need + BUF_ALIGN - 1) & ~(size_t)(BUF_ALIGN - 1);

	rxc.nb_desc = rx_ring_size(u->rx_buflen, u->info.nb_desc_max);
	rc = uk_netdev_configure(dev, 1, 1);
	if (rc < 0)
		goto fail;
	rxc.alloc_rxbufs = alloc_rxbufs;
	rxc.alloc_arg = u;
#ifdef UKLWIP_HAVE_SCHED_EVENT
	if (u->irq) {
		rxc.event = rx_event; /* called only once the rx thread
					 turned interrupts on */
		rxc.event_arg = u;
	}
#endif
	rc = uk_netdev_rxq_setup(dev, 0, &rxc);
	if (rc < 0)
		goto fail;
	rc = uk_netdev_txq_setup(dev, 0, &txc);
	if (rc < 0)
		goto fail;
	/* linked before start: the driver may free tx netbufs from now on */
	*ifs_tail = u;
	ifs_tail = &u->next;
	nifs++;
	rc = uk_netdev_start(dev);
	if (rc < 0)
		goto fail_linked;

	ip.addr = c->dhcp ? 0 : c->ip;
	mask.addr = c->dhcp ? 0 : c->netmask;
	gw.addr = c->dhcp ? 0 : c->gw;
	LOCK_TCPIP_CORE();
	if (!netif_add(&u->netif, &ip, &mask, &gw, u, netif_init_cb,
		       ethernet_input)) {
		UNLOCK_TCPIP_CORE();
		rc = -EINVAL;
		goto fail_linked;
	}
	if (nifs == 1)
		netif_set_default(&u->netif);
	if (!c->dhcp) {
		unsigned i;

		for (i = 0; i < c->ndns && i < DNS_MAX_SERVERS; i++) {
			ip_addr_t d = IPADDR4_INIT(c->dns[i]);

			dns_setserver((u8_t)i, &d);
		}
	}
	netif_set_up(&u->netif);
	netif_set_link_up(&u->netif);
	if (c->dhcp && dhcp_start(&u->netif) != ERR_OK)
		uk_pr_err("lwip: %s: DHCP could not start\n", dev->name);
	UNLOCK_TCPIP_CORE();

#ifdef UKLWIP_HAVE_SCHED_EVENT
	if (u->irq)
		uk_sched_event_init(&u->ev); /* registered for good */
#endif
	if (c->mode == UKLWIP_MODE_MANUAL)
		u->rx_thread = NULL;
	else if (!(u->rx_thread = uk_thread_create(NULL, "lwip-rx", rx_thread,
						   u, 0))) {
		uk_pr_err("lwip: %s: no memory for the rx thread\n", dev->name);
		return -ENOMEM; /* netif stays (tests poll it by hand) */
	}
	if (u->rx_thread)
		uk_thread_detach(u->rx_thread);
	uk_pr_info("lwip: %s: %02x:%02x:%02x:%02x:%02x:%02x mtu %u, %s, rx "
		   "%s, csum offload tx %s rx %s\n",
		   dev->name, dev->hwaddr[0], dev->hwaddr[1], dev->hwaddr[2],
		   dev->hwaddr[3], dev->hwaddr[4], dev->hwaddr[5], u->netif.mtu,
		   c->dhcp ? "DHCP" : "static",
		   u->irq	  ? "irq"
		   : u->rx_thread ? "poll"
				  : "manual",
		   u->txcsum ? "on" : "off", u->rxcsum ? "on" : "off");
	if (out)
		*out = &u->netif;
	return 0;

fail_linked:
	/* stays linked: the device may hold our buffers */
	uk_pr_err("lwip: %s: cannot start (%d)\n", dev->name, rc);
	return rc;
fail:
	uk_pr_err("lwip: %s: cannot set up (%d)\n", dev->name, rc);
	free(u);
	return rc;
}

int uklwip_netif_stats(struct netif *n, struct uklwip_stats *out)
{
	struct uklwip_if *u;

	for (u = ifs; u; u = u->next) {
		if (&u->netif == n) {
			*out = u->st;
			out->rx_bufs_idle = u->rx_nfree;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned uklwip_netif_count(void)
{
	return nifs;
}

struct netif *uklwip_netif_get(unsigned i)
{
	struct uklwip_if *u;

	for (u = ifs; u && i; u = u->next)
		i--;
	return u ? &u->netif : NULL;
}
