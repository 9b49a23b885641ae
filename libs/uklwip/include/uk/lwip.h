/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: lwIP 2.1.3 on unikit. Everything is brought up by the init table
 * (every registered uknetdev becomes an lwIP netif, configured from library
 * parameters); applications use lwIP's APIs (posixsocket's BSD sockets,
 * netconn, or the raw API under LOCK_TCPIP_CORE()).
 *
 * Library parameters (kernel command line, before "--"; the i-th occurrence
 * of a name configures device i, 0-based):
 *   net.ip=A.B.C.D/PREFIX   static address and netmask (prefix 0..32;
 *                           default /24); without it: DHCP
 *   net.gw=A.B.C.D          default gateway (static only)
 *   net.dns=A.B.C.D[,E.F.G.H]  DNS servers (static; DHCP supplies its own)
 *   net.dhcp=0|1            force DHCP on (ignores net.ip) or off
 *   net.dhcp_timeout=SEC    how long boot waits for a lease (default 10,
 *                           0: do not wait); boot goes on without one
 *   net.mode=irq|poll       rx by interrupts with NAPI-style polling while
 *                           busy (default when the device can), or polling
 * Malformed values stop the boot with a message naming the parameter.
 *
 * Errors: negative errno values.
 */
#ifndef UK_LWIP_H
#define UK_LWIP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_netdev;
struct netif;

#define UKLWIP_MODE_IRQ	 0
#define UKLWIP_MODE_POLL 1
/* no rx thread: the owner calls uklwip_netif_poll() (tests, fuzzing,
 * run-to-completion apps) */
#define UKLWIP_MODE_MANUAL 2

/* One interface's configuration. Addresses in network byte order. */
struct uklwip_config {
	int dhcp;
	uint32_t ip, netmask, gw;
	uint32_t dns[2];
	unsigned ndns;
	int mode; /* UKLWIP_MODE_* */
	unsigned dhcp_timeout_ms;
};

/* Looks up the i-th occurrence of library parameter `name` (NULL: none).
 * uk_boot_param_nth() in images. */
typedef const char *(*uklwip_param_fn)(const char *name, unsigned i);

/* Fill `c` for device `idx` from parameters. 0, or -EINVAL after logging
 * which parameter is malformed and why. */
int uklwip_config_parse(struct uklwip_config *c, unsigned idx,
			uklwip_param_fn param);

/* "A.B.C.D" -> *addr (network byte order): 0 or -EINVAL */
int uklwip_parse_ip4(const char *s, uint32_t *addr);
/* "A.B.C.D[/P]" -> address and netmask (P defaults to 24): 0 or -EINVAL */
int uklwip_parse_cidr(const char *s, uint32_t *addr, uint32_t *netmask);

/* Bring `dev` up as an lwIP netif (configure, queues, start, rx thread or
 * polling, addresses or DHCP). Takes the core lock itself: call it without.
 * *out (MAY be NULL) gets the netif. 0 or a negative errno. */
int uklwip_netif_attach(struct uk_netdev *dev, const struct uklwip_config *c,
			struct netif **out);

/* Receive one burst (up to 32 frames) of `nif`'s device and feed it to the
 * stack under the core lock; returns the number of frames. What the rx
 * thread does; tests and the fuzz target call it directly. */
int uklwip_netif_poll(struct netif *nif);

/* Counters of one netif (since attach). */
struct uklwip_stats {
	uint64_t rx_frames, rx_dropped;
	/* rx blocks: allocated and freed with malloc, kept for reuse now */
	uint64_t rx_bufs_allocated, rx_bufs_freed, rx_bufs_idle;
	uint64_t tx_frames, tx_zerocopy, tx_copied, tx_dropped, tx_bursts;
};
int uklwip_netif_stats(struct netif *nif, struct uklwip_stats *out);

/* The netifs brought up (in device order) and their number. */
unsigned uklwip_netif_count(void);
struct netif *uklwip_netif_get(unsigned i);

/*
 * TCP initial sequence numbers (RFC 6528): M + F(local address and port,
 * remote address and port, key), M the clock `now_ns` in 4-microsecond
 * ticks, F the low 32 bits of SipHash-2-4 under the 128-bit `key` of the
 * 12-byte tuple (addresses in network byte order as lwIP keeps them, ports
 * in host order). Pure: lwIP's hook (LWIP_HOOK_TCP_ISN) calls it with a
 * secret drawn from ukrandom once and the monotonic clock.
 */
uint32_t uklwip_isn_compute(const uint8_t key[16], uint64_t now_ns,
			    uint32_t local_ip, uint16_t local_port,
			    uint32_t remote_ip, uint16_t remote_port);

/*
 * TCP send-buffer memory (src/tcpmem.c, Linux's tcp_mem idea): all
 * connections together hold at most a budget of unacknowledged bytes (a
 * share of the heap, set at boot; less while the heap is short); over it a
 * connection keeps what it has plus a floor of UKLWIP_TCP_SNDBUF_MIN bytes, and
 * writes wait (EAGAIN) until acknowledgments free room.
 */
struct tcp_pcb;
/* Set pcb's remaining send buffer from the budget; call with the core lock
 * held before writing to it. */
void uklwip_tcpmem_update(struct tcp_pcb *pcb);
/* Unacknowledged bytes all connections hold (core lock held). */
size_t uklwip_tcpmem_held(void);
/* The budget in bytes (SIZE_MAX: no cap, before boot sets it). */
size_t uklwip_tcpmem_budget(void);
/* Set the budget from the heap's size (boot; tests). */
void uklwip_tcpmem_init(size_t heap_bytes);
/* The budget for a heap of heap_bytes: a share of it, at least
 * UKLWIP_TCPMEM_MIN_BUDGET. */
size_t uklwip_tcpmem_budget_for(size_t heap_bytes);
/* Pure: the limit on the total when the heap has `avail` bytes free: the
 * budget, or total + what is free above a reserve as large as the budget. */
size_t uklwip_tcpmem_limit(size_t total, size_t budget, size_t avail);
/* Pure: the send buffer left to a connection holding `held` bytes when all
 * hold `total` against `limit`: up to TCP_SND_BUF - held, at least
 * UKLWIP_TCP_SNDBUF_MIN - held, 0 when it holds that floor already. */
uint32_t uklwip_tcpmem_room(uint32_t held, size_t total, size_t limit);

#ifdef __cplusplus
}
#endif
#endif /* UK_LWIP_H */
