/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The image's exit, for TCP. On Linux a process that exits leaves its
 * connections to the kernel, which delivers what they still hold and their
 * FIN; an image that powers off would drop both, and a client that sent
 * redis' SHUTDOWN or read a response to its end would wait forever. fdtab's
 * exit hook has closed every socket by now (each FIN queued); this one
 * lets the tcpip thread run until every connection has sent its data and
 * had its FIN acknowledged, or a bound passes (a peer that is gone).
 */
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcp_priv.h"

#include <uk/exit.h>
#include <uk/print.h>
#include <uk/sched.h>

#include "uklwip.h"

#define DRAIN_MAX_NS  (1000ULL * 1000000ULL)
#define DRAIN_STEP_NS (1000000ULL)

/* Connections with data or a FIN the peer has not acknowledged. */
static unsigned tcp_undrained(void)
{
	unsigned n = 0;

	LOCK_TCPIP_CORE();
	for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
		if (p->unsent || p->unacked || p->state == FIN_WAIT_1 ||
		    p->state == CLOSING || p->state == LAST_ACK)
			n++;
	UNLOCK_TCPIP_CORE();
	return n;
}

static void uklwip_exit(void)
{
	uint64_t end;
	unsigned n;

	/* no thread yet: lwIP's tcpip thread cannot have started either */
	if (!uk_thread_current())
		return;
	end = uk_sched_now() + DRAIN_MAX_NS;
	while ((n = tcp_undrained())) {
		if (uk_sched_now() >= end) {
			uk_pr_warn(
				"lwip: exit: %u TCP connection%s not drained "
				"after %llu ms\n",
				n, n == 1 ? "" : "s",
				DRAIN_MAX_NS / 1000000ULL);
			return;
		}
		uk_sched_sleep_ns(DRAIN_STEP_NS);
	}
}
UK_EXIT_HOOK(uklwip_exit, UK_EXIT_NET);
