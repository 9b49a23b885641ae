/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: raw Ethernet frames through uklwip's netif input path
 * (the uknetdev test double's rx ring -> uklwip_netif_poll -> lwIP), on the
 * real scheduler with a fake clock.
 *
 * Two netifs: "en0" static 10.0.0.2/24 (ARP, ICMP, IPv4 reassembly, UDP echo
 * on port 7, a raw-API TCP echo server on port 80, a listening lwIP socket
 * on 8080 whose connections are accepted and closed, DNS client queries to
 * 10.0.0.1) and "en1" running the DHCP client.
 *
 * Input: up to 16 records [flags][len_hi][len_lo][len bytes]:
 *   flags bit 0: the frame arrives on en1 (else en0)
 *         bit 1: the device marks it checksum-valid (UK_NETBUF_F_DATA_VALID)
 *         bit 2: afterwards 600 ms pass (lwIP's timers run: retransmits,
 *                DHCP, DNS, ARP, reassembly timeouts)
 * A trailing partial record is one frame with the rest of the bytes.
 * At the end of each input every connection is aborted, ARP and IP
 * reassembly are flushed, sent frames freed, and DHCP and the random
 * sequence restart: inputs reproduce, and each frees what it allocated
 * (libFuzzer's per-input leak check stays on: -detect_leaks=1). lwIP's TCP
 * initial sequence number is fixed (LWIP_HOOK_TCP_ISN in lwipopts.h) so
 * that inputs can complete handshakes.
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
#include "lwip/ip4_frag.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sockets.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/udp.h"

#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/netdev_testing.h>
#include <uk/schedcoop.h>
#include <uk/sched_testing.h>

/* the platform's console and log line, which ukdebug's printk writes to */
int ukplat_console_write(const char *buf, unsigned len);
int ukplat_console_write(const char *buf, unsigned len)
{
	(void)buf;
	return (int)len;
}
int ukplat_log_write(const char *buf, unsigned len);
int ukplat_log_write(const char *buf, unsigned len)
{
	(void)buf;
	return (int)len;
}

static struct uk_schedcoop coop;
static struct nd_test dev[2];
static struct netif *nif[2];
static int lsock = -1;

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
		       err_t err)
{
	(void)arg;
	(void)err;
	if (!p) {
		tcp_close(pcb);
		return ERR_OK;
	}
	/* echo what fits, as a server answering would (exercises tx) */
	if (p->tot_len <= tcp_sndbuf(pcb)) {
		struct pbuf *q;

		for (q = p; q; q = q->next)
			tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY);
		tcp_output(pcb);
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tcp_recv(pcb, echo_recv);
	return ERR_OK;
}

static void udp_echo(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		     const ip_addr_t *addr, u16_t port)
{
	(void)arg;
	udp_sendto(pcb, p, addr, port);
	pbuf_free(p);
}

static void dns_found(const char *name, const ip_addr_t *ip, void *arg)
{
	(void)name, (void)ip, (void)arg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t mac0[6] = {0x02, 0, 0, 0, 0, 0x02};
	static const uint8_t mac1[6] = {0x02, 0, 0, 0, 0, 0x03};
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};
	struct uklwip_config c = {0};
	struct sockaddr_in sa;
	struct tcp_pcb *l;
	struct udp_pcb *u;
	ip_addr_t d;
	int one = 1;

	(void)argc, (void)argv;
	fake_ns = 1;
	if (uk_schedcoop_init(&coop, &cfg))
		abort();
	tcpip_init(NULL, NULL);
	nd_test_init(&dev[0], mac0);
	nd_test_init(&dev[1], mac1);
	dev[0].features = UK_NETDEV_F_RXCSUM | UK_NETDEV_F_TXCSUM;
	c.ip = 0x0200000a; /* 10.0.0.2 */
	c.netmask = 0x00ffffff;
	c.gw = 0x0100000a;
	c.mode = UKLWIP_MODE_MANUAL;
	if (uklwip_netif_attach(&dev[0].dev, &c, &nif[0]))
		abort();
	memset(&c, 0, sizeof(c));
	c.dhcp = 1;
	c.mode = UKLWIP_MODE_MANUAL;
	if (uklwip_netif_attach(&dev[1].dev, &c, &nif[1]))
		abort();

	LOCK_TCPIP_CORE();
	l = tcp_new();
	if (!l || tcp_bind(l, IP_ADDR_ANY, 80) != ERR_OK)
		abort();
	l = tcp_listen(l);
	tcp_accept(l, echo_accept);
	u = udp_new();
	if (!u || udp_bind(u, IP_ADDR_ANY, 7) != ERR_OK)
		abort();
	udp_recv(u, udp_echo, NULL);
	ip_addr_set_ip4_u32(&d, 0x0100000a);
	dns_setserver(0, &d);
	UNLOCK_TCPIP_CORE();

	/* a socket (netconn) listener: the api_msg accept path */
	lsock = lwip_socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = lwip_htons(8080);
	lwip_setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lsock < 0 ||
	    lwip_bind(lsock, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    lwip_listen(lsock, 8) < 0 ||
	    lwip_fcntl(lsock, F_SETFL, O_NONBLOCK) < 0)
		abort();
	return 0;
}

static int dhcp_used = 1; /* the last input sent frames to en1 */

static void reset_state(void)
{
	int s;

	/* connections the socket listener queued */
	while ((s = lwip_accept(lsock, NULL, NULL)) >= 0) {
		struct linger lg = {1, 0}; /* close = RST, no waiting */

		lwip_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		lwip_close(s);
	}
	LOCK_TCPIP_CORE();
	while (tcp_active_pcbs)
		tcp_abort(tcp_active_pcbs);
	while (tcp_tw_pcbs)
		tcp_abort(tcp_tw_pcbs);
	for (s = 0; s <= IP_REASS_MAXAGE; s++)
		ip_reass_tmr(); /* fragments of earlier inputs time out */
	etharp_cleanup_netif(nif[0]);
	etharp_cleanup_netif(nif[1]);
	uklwip_rand_seed(1);
	if (dhcp_used) { /* restart DHCP only when an input touched it */
		dhcp_release_and_stop(nif[1]);
		dhcp_start(nif[1]);
		dhcp_used = 0;
	}
	UNLOCK_TCPIP_CORE();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned rec;
	ip_addr_t out;

	LOCK_TCPIP_CORE();
	dns_gethostbyname("fuzz.test", &out, dns_found, NULL);
	UNLOCK_TCPIP_CORE();
	for (rec = 0; rec < 16 && size > 0; rec++) {
		uint8_t flags = data[0];
		size_t len = size >= 3 ? (size_t)(data[1] << 8 | data[2]) : 0;
		struct nd_test *t = &dev[flags & 1];

		if (size < 3 || len > size - 3) { /* the rest is one frame */
			data += size >= 3 ? 3 : size;
			size -= size >= 3 ? 3 : size;
			len = size;
		} else {
			data += 3;
			size -= 3;
		}
		t->rx_csum_valid = !!(flags & 2);
		dhcp_used |= flags & 1;
		if (len && nd_test_inject(t, data, len) == 0)
			while (uklwip_netif_poll(nif[flags & 1]) > 0)
				;
		data += len;
		size -= len;
		nd_test_tx_reset(t);
		if (flags & 4) {
			dhcp_used = 1; /* DHCP timers may have run */
			/* time passes; the tcpip thread runs its timers */
			uk_sched_sleep_ns(600 * 1000000ULL);
			nd_test_tx_reset(&dev[0]);
			nd_test_tx_reset(&dev[1]);
		}
	}
	/* everything this input built is torn down before it returns, so
	 * that an input allocating more than it frees is a leak libFuzzer's
	 * per-input check can report */
	reset_state();
	nd_test_tx_reset(&dev[0]);
	nd_test_tx_reset(&dev[1]);
	return 0;
}
