/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: a guard in front of lwIP's TCP input (LWIP_HOOK_TCP_INPACKET_PCB,
 * see lwipopts.h). lwIP 2.1.3's tcp_receive() checks "rcv_nxt within
 * [seqno + 1, seqno + tcplen - 1]" with TCP_SEQ_BETWEEN, whose signed 32-bit
 * differences wrap when seqno is exactly 2^31 below rcv_nxt: a one-byte
 * segment (a FIN) that far away counts as overlapping, its offset 2^31 is
 * truncated to 16 bits (0) and the segment is taken as in sequence. No valid
 * peer sends such a segment (it is outside any window), so it is dropped.
 */
#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/tcp.h"
#include "lwip/prot/tcp.h"

int uklwip_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr)
{
	u32_t seqno;

	if (pcb->state == LISTEN || pcb->state == CLOSED ||
	    pcb->state == SYN_SENT)
		return ERR_OK;
	seqno = hdr->seqno; /* tcp_input made it host order already */
	if ((u32_t)(pcb->rcv_nxt - seqno) == 0x80000000u)
		return ERR_VAL;
	return ERR_OK;
}
