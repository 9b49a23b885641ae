/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nettest: the first network device exchanges real frames with QEMU's user
 * network (slirp, which answers ARP and ICMP echo for its gateway 10.0.2.2
 * itself): ARP and ping in polling mode, a burst of pings, then pings in
 * interrupt mode (the rx event wakes the halted CPU).
 *
 * Arguments: "none" = expect no device (a refused one); "pings=N".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/boot.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/irq.h>
#include <uk/netdev.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/virtionet.h>

#define NBUF   512
#define BUFLEN 2048

static struct uk_netbuf pool[NBUF];
static uint8_t bufs[NBUF][BUFLEN] __attribute__((aligned(64)));
static struct uk_netbuf *freelist;
static unsigned headroom, nfree;

static void nb_free(struct uk_netbuf *nb)
{
	nb->next = freelist;
	freelist = nb;
	nfree++;
}

static struct uk_netbuf *nb_alloc(void)
{
	struct uk_netbuf *nb = freelist;
	if (!nb)
		return NULL;
	freelist = nb->next;
	nfree--;
	uk_netbuf_init(nb, nb->buf, BUFLEN, headroom, nb_free, NULL);
	return nb;
}

static uint16_t alloc_rx(void *arg, struct uk_netbuf *nb[], uint16_t count)
{
	(void)arg;
	uint16_t n = 0;
	while (n < count && (nb[n] = nb_alloc()))
		n++;
	return n;
}

static volatile int rx_flag;
static volatile unsigned rx_events;
static void rx_event(void *arg, uint16_t q)
{
	(void)arg;
	(void)q;
	rx_flag = 1;
	rx_events++;
}

static struct uk_netdev *dev;
static uint8_t my_ip[4] = {10, 0, 2, 15}, gw_ip[4] = {10, 0, 2, 2};
static int txcsum; /* the device computes ICMP checksums */

/* "a.b.c.d" into ip[4]; -1 if malformed */
static int parse_ip(const char *s, uint8_t ip[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, n = 0;
		while (*s >= '0' && *s <= '9' && n < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			n++;
		}
		if (!n || v > 255 || *s != (i < 3 ? '.' : 0))
			return -1;
		ip[i] = (uint8_t)v;
		s++;
	}
	return 0;
}
static uint8_t gw_mac[6];

static uint16_t csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int send(struct uk_netbuf **nbs, uint16_t n)
{
	uint16_t cnt = n;
	int rc = uk_netdev_tx_burst(dev, 0, nbs, &cnt);
	if (rc < 0 || cnt != n) {
		printf("nettest: tx_burst: %d, %u of %u taken\n", rc, cnt, n);
		for (uint16_t i = cnt; i < n; i++)
			uk_netbuf_free(nbs[i]);
		return -1;
	}
	return 0;
}

static struct uk_netbuf *arp_frame(int op, const uint8_t *dmac,
				   const uint8_t *tip)
{
	struct uk_netbuf *nb = nb_alloc();
	if (!nb) {
		printf("nettest: out of netbufs\n");
		exit(1);
	}
	uint8_t *f = nb->data;
	memset(f, 0, 60);
	memcpy(f, op == 1 ? (const uint8_t *)"\xff\xff\xff\xff\xff\xff" : dmac,
	       6);
	memcpy(f + 6, dev->hwaddr, 6);
	put16(f + 12, 0x0806);
	put16(f + 14, 1);
	put16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, (uint16_t)op);
	memcpy(f + 22, dev->hwaddr, 6);
	memcpy(f + 28, my_ip, 4);
	if (op == 2)
		memcpy(f + 32, dmac, 6);
	memcpy(f + 38, tip, 4);
	nb->len = 60;
	return nb;
}

static struct uk_netbuf *ping_frame(uint16_t seq)
{
	struct uk_netbuf *nb = nb_alloc();
	if (!nb) {
		printf("nettest: out of netbufs\n");
		exit(1);
	}
	uint8_t *f = nb->data, *ip = f + 14, *ic = ip + 20;
	memcpy(f, gw_mac, 6);
	memcpy(f + 6, dev->hwaddr, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 56);
	put16(ip + 4, seq);
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, gw_ip, 4);
	put16(ip + 10, csum(ip, 20));
	ic[0] = 8;
	ic[1] = 0;
	put16(ic + 2, 0);
	put16(ic + 4, 0x1234);
	put16(ic + 6, seq);
	for (int i = 0; i < 56; i++)
		ic[8 + i] = (uint8_t)(seq + i);
	if (txcsum) {
		/* the device fills in the checksum (ICMP: no pseudo-header,
		 * so the field starts at 0) */
		nb->flags = UK_NETBUF_F_CSUM_PARTIAL;
		nb->csum_start = 14 + 20;
		nb->csum_offset = 2;
	} else {
		put16(ic + 2, csum(ic, 64));
	}
	nb->len = 14 + 20 + 64;
	return nb;
}

/* Handle one received frame: answer ARP for us, note ARP replies and
 * echo replies. Returns the echo sequence number, 0x10000 for the
 * gateway's ARP reply, -1 otherwise. */
static long handle(struct uk_netbuf *nb)
{
	const uint8_t *f = nb->data;
	long r = -1;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);

	if (type == 0x0806 && nb->len >= 42) {
		uint16_t op = (uint16_t)(f[20] << 8 | f[21]);
		if (op == 1 && !memcmp(f + 38, my_ip, 4)) {
			uint8_t smac[6], sip[4];
			memcpy(smac, f + 22, 6);
			memcpy(sip, f + 28, 4);
			struct uk_netbuf *a = arp_frame(2, smac, sip);
			uk_netbuf_free(nb);
			send(&a, 1);
			return -1;
		}
		if (op == 2 && !memcmp(f + 28, gw_ip, 4)) {
			memcpy(gw_mac, f + 22, 6);
			r = 0x10000;
		}
	} else if (type == 0x0800 && nb->len >= 14 + 20 + 8) {
		const uint8_t *ip = f + 14;
		unsigned ihl = (ip[0] & 15u) * 4;
		const uint8_t *ic = ip + ihl;
		if (ip[9] == 1 && ic[0] == 0 && !memcmp(ip + 12, gw_ip, 4) &&
		    nb->len >= 14 + ihl + 8 &&
		    csum(ic, nb->len - 14 - ihl) == 0)
			r = (long)(ic[6] << 8 | ic[7]);
	}
	uk_netbuf_free(nb);
	return r;
}

/* Poll (or, with intr, halt until the rx event) until `want` is seen or
 * the deadline passes; counts distinct echo replies into *got if given. */
static int wait_for(long want, int intr, uint64_t timeout_ms, unsigned *seen,
		    unsigned nseen)
{
	uint64_t deadline = ukplat_monotonic_clock() + timeout_ms * 1000000ull;
	unsigned left = 0;

	for (unsigned i = 0; i < nseen; i++)
		left += !seen[i];

	for (;;) {
		struct uk_netbuf *pk[32];
		uint16_t cnt = 32;
		if (intr)
			rx_flag = 0;
		int st = uk_netdev_rx_burst(dev, 0, pk, &cnt);
		if (st < 0) {
			printf("nettest: rx_burst: %d\n", st);
			return -1;
		}
		int hit = 0;
		for (uint16_t i = 0; i < cnt; i++) {
			long r = handle(pk[i]);
			if (seen && r >= 0 && r < 0x10000 &&
			    (unsigned)r < nseen && !seen[r]) {
				seen[r] = 1;
				left--;
			}
			if (r == want)
				hit = 1;
		}
		if ((seen && !left) || (!seen && hit))
			return 0;
		if (cnt || (st & UK_NETDEV_STATUS_MORE))
			continue;
		if (ukplat_monotonic_clock() > deadline)
			return -1;
		if (intr) {
			/* re-arm; packets already there: poll again */
			if (uk_netdev_rxq_intr_enable(dev, 0) == 1)
				continue;
			ukplat_halt_until_or(deadline, &rx_flag);
		}
	}
}

int main(int argc, char **argv)
{
	int expect_none = 0;
	unsigned pings = 10;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "none"))
			expect_none = 1;
		else if (!strncmp(argv[i], "pings=", 6))
			pings = (unsigned)atoi(argv[i] + 6);
		else if (!strncmp(argv[i], "ip=", 3) &&
			 parse_ip(argv[i] + 3, my_ip) < 0)
			return 2;
		else if (!strncmp(argv[i], "gw=", 3) &&
			 parse_ip(argv[i] + 3, gw_ip) < 0)
			return 2;
	}
	if (pings > 64)
		pings = 64;
	printf("nettest: command line: %.*s\n",
	       (int)ukplat_bootinfo()->cmdline_len, ukplat_bootinfo()->cmdline);
	for (unsigned i = 0; i < 8; i++) {
		const char *v = uk_boot_param_nth("virtio_mmio.device", i);
		if (v)
			printf("nettest: virtio_mmio.device=%s\n", v);
	}
	printf("nettest: %u network device(s)\n", uk_netdev_count());
	if (expect_none)
		return uk_netdev_count() == 0 ? 0 : 1;
	if (!uk_netdev_count())
		return 1;
	dev = uk_netdev_get(0);

	struct uk_netdev_info info;
	uk_netdev_info_get(dev, &info);
	char desc[512];
	if (uk_virtionet_describe(dev, desc, sizeof(desc)) < 0)
		strcpy(desc, "(not virtio-net)");
	printf("nettest: %s MAC %02x:%02x:%02x:%02x:%02x:%02x MTU %u (max "
	       "%u) headroom %u/%u\n",
	       dev->name, dev->hwaddr[0], dev->hwaddr[1], dev->hwaddr[2],
	       dev->hwaddr[3], dev->hwaddr[4], dev->hwaddr[5], dev->mtu,
	       info.max_mtu, info.rx_headroom, info.tx_headroom);
	printf("nettest: %s\n", desc);
	txcsum = !!(info.features & UK_NETDEV_F_TXCSUM);
	if (txcsum)
		printf("nettest: ICMP checksums by the device (TXCSUM)\n");
	headroom = info.rx_headroom > info.tx_headroom ? info.rx_headroom
						       : info.tx_headroom;
	for (int i = 0; i < NBUF; i++) {
		pool[i].buf = bufs[i];
		nb_free(&pool[i]);
	}
	int rc = uk_netdev_configure(dev, 1, 1);
	struct uk_netdev_rxq_conf rxc = {256, alloc_rx, NULL, rx_event, NULL};
	struct uk_netdev_txq_conf txc = {256, NULL, NULL};
	if (!rc)
		rc = uk_netdev_rxq_setup(dev, 0, &rxc);
	if (!rc)
		rc = uk_netdev_txq_setup(dev, 0, &txc);
	if (!rc)
		rc = uk_netdev_start(dev);
	if (rc) {
		printf("nettest: set-up failed: %d\n", rc);
		return 1;
	}
	printf("nettest: started, %u rx buffers posted\n", NBUF - nfree);

	/* polling */
	uint64_t t0 = ukplat_monotonic_clock();
	struct uk_netbuf *nb = arp_frame(1, NULL, gw_ip);
	if (send(&nb, 1) || wait_for(0x10000, 0, 10000, NULL, 0)) {
		printf("nettest: polling: no ARP reply from the gateway\n");
		return 1;
	}
	printf("nettest: polling: ARP reply: %u.%u.%u.%u is at "
	       "%02x:%02x:%02x:%02x:%02x:%02x (%llu us)\n",
	       gw_ip[0], gw_ip[1], gw_ip[2], gw_ip[3], gw_mac[0], gw_mac[1],
	       gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5],
	       (unsigned long long)(ukplat_monotonic_clock() - t0) / 1000);
	nb = ping_frame(1);
	if (send(&nb, 1) || wait_for(1, 0, 10000, NULL, 0)) {
		printf("nettest: polling: no echo reply\n");
		return 1;
	}
	printf("nettest: polling: ICMP echo reply from %u.%u.%u.%u seq 1\n",
	       gw_ip[0], gw_ip[1], gw_ip[2], gw_ip[3]);

	/* a burst: 32 pings in one tx_burst (one notification) */
	struct uk_netbuf *burst[32];
	unsigned seen[64] = {0};
	for (int i = 0; i < 32; i++)
		burst[i] = ping_frame((uint16_t)(32 + i));
	for (int i = 0; i < 32; i++)
		seen[i] = 1; /* only 32..63 count */
	if (send(burst, 32) || wait_for(-2, 0, 20000, seen, 64)) {
		printf("nettest: burst: replies missing\n");
		return 1;
	}
	printf("nettest: polling: burst of 32 echo requests, 32 replies\n");

	/* interrupt mode */
	int ie = uk_netdev_rxq_intr_enable(dev, 0);
	if (ie < 0) {
		printf("nettest: interrupt: not available (%d): polling only\n",
		       ie);
		printf("nettest: OK\n");
		return 0;
	}
	uk_netdev_rxq_intr_disable(dev, 0);
	uint64_t t1 = ukplat_monotonic_clock();
	unsigned ok = 0;
	for (unsigned s = 0; s < pings; s++) {
		uint16_t seq = (uint16_t)(100 + s);
		while (uk_netdev_rxq_intr_enable(dev, 0) == 1)
			wait_for(-2, 0, 0, NULL, 0); /* drain */
		nb = ping_frame(seq);
		rx_flag = 0;
		if (send(&nb, 1))
			break;
		/* the reply's interrupt (slirp answers at once, so it may be
		 * pending already: halting takes it) */
		ukplat_halt_until_or(ukplat_monotonic_clock() + 5000000000ull,
				     &rx_flag);
		if (wait_for(seq, 1, 10000, NULL, 0) == 0)
			ok++;
		uk_netdev_rxq_intr_disable(dev, 0);
	}
	struct ukplat_irq_stats is;
	ukplat_irq_stats(&is);
	printf("nettest: interrupt: %u/%u echo replies, %u rx events in %llu "
	       "ms (interrupts: %llu handled, %llu unexpected, %llu "
	       "spurious)\n",
	       ok, pings, rx_events,
	       (unsigned long long)(ukplat_monotonic_clock() - t1) / 1000000,
	       (unsigned long long)is.handled,
	       (unsigned long long)is.unexpected,
	       (unsigned long long)is.spurious);
	if (ok != pings || !rx_events)
		return 1;
	printf("nettest: OK\n");
	return 0;
}
