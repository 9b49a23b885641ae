/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: TCP initial sequence numbers after RFC 6528, through lwIP's
 * LWIP_HOOK_TCP_ISN (lwipopts.h). lwIP's own fallback (a counter plus
 * tcp_ticks) lets anyone who sees one connection predict the next one's
 * sequence numbers: blind injection and reset. Here ISN = M + F(4-tuple,
 * secret): F is a keyed hash an off-path attacker cannot compute, so two
 * connections of different tuples are unrelated, and M (a 4-microsecond
 * clock, as RFC 6528 and RFC 793 ask) keeps the sequence space of one
 * tuple moving forward, so that a new incarnation of a connection starts
 * beyond the old one's segments.
 *
 * Port ranges: random ephemeral ports for every bind without a port
 * (uklwip_port_pick, lwipopts.h).
 */
#include <stdint.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/ip_addr.h"

#include <uk/lwip.h>
#include <uk/random.h>
#include <uk/sched.h>

#include "uklwip.h"

#define ISN_TICK_NS 4000 /* M: one tick every 4 microseconds */

uint32_t uklwip_isn_compute(const uint8_t key[16], uint64_t now_ns,
			    uint32_t local_ip, uint16_t local_port,
			    uint32_t remote_ip, uint16_t remote_port)
{
	uint8_t t[12];

	memcpy(t, &local_ip, 4);
	t[4] = (uint8_t)(local_port >> 8);
	t[5] = (uint8_t)local_port;
	memcpy(t + 6, &remote_ip, 4);
	t[10] = (uint8_t)(remote_port >> 8);
	t[11] = (uint8_t)remote_port;
	return (uint32_t)(now_ns / ISN_TICK_NS) +
	       (uint32_t)uk_siphash24(key, t, sizeof(t));
}

static uint8_t isn_key[16];
static int isn_keyed;

/* The secret, once per boot (uklwip's init calls it; the first connection
 * would otherwise). */
void uklwip_isn_init(void)
{
	if (isn_keyed)
		return;
	uk_random_fill(isn_key, sizeof(isn_key));
	isn_keyed = 1;
}

void uklwip_isn_set_key(const uint8_t key[16])
{
	memcpy(isn_key, key, sizeof(isn_key));
	isn_keyed = 1;
}

unsigned int uklwip_tcp_isn(const struct ip4_addr *lip, unsigned short lport,
			    const struct ip4_addr *rip, unsigned short rport);
unsigned int uklwip_tcp_isn(const struct ip4_addr *lip, unsigned short lport,
			    const struct ip4_addr *rip, unsigned short rport)
{
	uklwip_isn_init();
	/* uksched's clock: ukplat_monotonic_clock() in images */
	return uklwip_isn_compute(isn_key, uk_sched_now(),
				  ip4_addr_get_u32(lip), lport,
				  ip4_addr_get_u32(rip), rport);
}

/* An ephemeral port: uniform in [0xc000, 0xfffe] (0xffff stays out so that
 * lwIP's post-increment in udp_new_port cannot wrap to 0). Stores it in
 * *port and returns 0x10000, a range end no 16-bit port equals: see
 * lwipopts.h. */
int uklwip_port_pick(unsigned short *port);
int uklwip_port_pick(unsigned short *port)
{
	*port = (unsigned short)(0xc000 + LWIP_RAND() % 0x3fff);
	return 0x10000;
}
