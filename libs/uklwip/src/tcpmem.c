/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: a global cap on the memory TCP send buffers hold (the idea of
 * Linux's tcp_mem). lwIP gives every connection TCP_SND_BUF bytes of send
 * buffer and copies what the application writes into pbufs until the peer
 * acknowledges it; with many connections each writing a large response
 * (nginx, 200 connections, a 64 KB file) that alone outgrows a small
 * guest's heap, and a failed allocation then shows up as an error to the
 * application or a stalled connection.
 *
 * Before every write on a TCP socket (posixsocket calls this under the
 * core lock) the connection's remaining send buffer, pcb->snd_buf, is set
 * from the bytes all connections hold unacknowledged: while the total is
 * under the limit a connection may hold up to TCP_SND_BUF; over it, only
 * what it holds already plus what is left of the limit, but never less
 * than UKLWIP_TCP_SNDBUF_MIN. The limit is the budget, or less when the
 * heap is short: the total may grow only by what the heap has free above
 * a reserve as large as the budget (the application needs memory too; a busy
 * guest's heap fills with connection state before the budget is used). lwIP
 * itself then does the rest: a write that finds no room returns EAGAIN
 * (blocking writes wait), the socket is not writable, and the acknowledgments
 * give the room back (tcp_in.c adds every acked byte to snd_buf; sent_tcp marks
 * the socket writable once snd_buf exceeds TCP_SNDLOWAT, which is below the
 * floor).
 *
 * Progress: a connection that holds less than the floor always gets room,
 * one that holds the floor or more has data in flight whose
 * acknowledgment (or retransmission) frees it: no deadlock, no dropped
 * data - writes are only made to wait, as on Linux under memory pressure.
 */
#include <stddef.h>
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

#include <uk/alloc.h>
#include <uk/lwip.h>

_Static_assert(TCP_SNDLOWAT < UKLWIP_TCP_SNDBUF_MIN,
	       "a connection at its floor must become writable again");
_Static_assert(UKLWIP_TCP_SNDBUF_MIN <= TCP_SND_BUF,
	       "the floor is part of a send buffer");

/* default until uklwip_tcpmem_init(): no cap in practice */
static size_t budget = SIZE_MAX;

size_t uklwip_tcpmem_budget_for(size_t heap_bytes)
{
	size_t b = heap_bytes / UKLWIP_TCPMEM_HEAP_DIV;

	return b < UKLWIP_TCPMEM_MIN_BUDGET ? UKLWIP_TCPMEM_MIN_BUDGET : b;
}

void uklwip_tcpmem_init(size_t heap_bytes)
{
	budget = uklwip_tcpmem_budget_for(heap_bytes);
}

size_t uklwip_tcpmem_budget(void)
{
	return budget;
}

uint32_t uklwip_tcpmem_room(uint32_t mine, size_t total, size_t limit)
{
	size_t left = total < limit ? limit - total : 0;
	size_t cap = (size_t)mine + left;

	if (cap > TCP_SND_BUF)
		cap = TCP_SND_BUF;
	if (cap < UKLWIP_TCP_SNDBUF_MIN)
		cap = UKLWIP_TCP_SNDBUF_MIN;
	return cap > mine ? (uint32_t)(cap - mine) : 0;
}

/* bytes written to the pcb and not acknowledged yet (sent or not); the
 * SYN and FIN take one sequence number each but no buffer */
static uint32_t held(const struct tcp_pcb *pcb)
{
	uint32_t n = pcb->snd_lbb - pcb->lastack;

	if (pcb->state < ESTABLISHED)
		return 0;
	if (pcb->flags & TF_FIN)
		n = n ? n - 1 : 0;
	/* never more than a send buffer: guards against a stale lastack */
	return n > TCP_SND_BUF ? TCP_SND_BUF : n;
}

size_t uklwip_tcpmem_held(void)
{
	const struct tcp_pcb *p;
	size_t total = 0;
	unsigned n = 0;

	LWIP_ASSERT_CORE_LOCKED();
	/* bounded: lwIP caps the list at MEMP_NUM_TCP_PCB */
	for (p = tcp_active_pcbs; p && n < MEMP_NUM_TCP_PCB; p = p->next, n++)
		total += held(p);
	return total;
}

size_t uklwip_tcpmem_limit(size_t total, size_t limit, size_t avail)
{
	size_t reserve = limit;
	size_t spare = avail > reserve ? avail - reserve : 0;

	return total + spare < limit ? total + spare : limit;
}

void uklwip_tcpmem_update(struct tcp_pcb *pcb)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t total, limit;
	uint32_t h;

	LWIP_ASSERT_CORE_LOCKED();
	if (!pcb || pcb->state < ESTABLISHED || budget == SIZE_MAX)
		return;
	h = held(pcb);
	total = uklwip_tcpmem_held();
	limit = a ? uklwip_tcpmem_limit(total, budget, uk_alloc_availmem(a))
		  : budget;
	pcb->snd_buf = (tcpwnd_size_t)uklwip_tcpmem_room(h, total, limit);
}
