/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: bring-up from the init table. UK_INIT_SYS: start lwIP (its tcpip
 * thread) and turn every registered uknetdev into a netif configured from
 * library parameters. UK_INIT_LATE: wait (bounded) for DHCP leases, so that
 * main() starts with addresses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/dhcp.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

#include <uk/alloc.h>
#include <uk/init.h>
#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include <uk/sched.h>

#include "uklwip.h"

/* ukboot's library parameters; weak so that images without them (and
 * builds before ukboot has them) come up with DHCP */
const char *uk_boot_param_nth(const char *name, unsigned i)
	__attribute__((weak));

static const char *no_param(const char *name, unsigned i)
{
	(void)name;
	(void)i;
	return NULL;
}

static const char *boot_param(const char *name, unsigned i)
{
	return uk_boot_param_nth ? uk_boot_param_nth(name, i)
				 : no_param(name, i);
}

static unsigned dhcp_wait_ms;

static int uklwip_init(void)
{
	unsigned i, n = uk_netdev_count();
	int rc;

	uklwip_isn_init(); /* the ISN secret, before any connection */
	/* the TCP send-buffer budget: a share of the heap (src/tcpmem.c) */
	if (uk_alloc_get_default())
		uklwip_tcpmem_init(uk_alloc_availmem(uk_alloc_get_default()));
	tcpip_init(NULL, NULL);
	if (!n) {
		uk_pr_info("lwip: no network device\n");
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct uk_netdev *d = uk_netdev_get(i);
		struct uklwip_config c;

		if (!d)
			continue;
		rc = uklwip_config_parse(&c, i, boot_param);
		if (rc < 0)
			return rc; /* the message names the parameter */
		rc = uklwip_netif_attach(d, &c, NULL);
		if (rc < 0) {
			uk_pr_err("lwip: %s: not brought up (%d)\n", d->name,
				  rc);
			continue;
		}
		if (c.dhcp && c.dhcp_timeout_ms > dhcp_wait_ms)
			dhcp_wait_ms = c.dhcp_timeout_ms;
	}
	return 0;
}
uk_sys_initcall(uklwip_init);

static int all_leased(void)
{
	unsigned i;
	int ok = 1;

	LOCK_TCPIP_CORE();
	for (i = 0; i < uklwip_netif_count(); i++) {
		struct netif *n = uklwip_netif_get(i);

		if (netif_dhcp_data(n) && !dhcp_supplied_address(n))
			ok = 0;
	}
	UNLOCK_TCPIP_CORE();
	return ok;
}

static int uklwip_wait_dhcp(void)
{
	uint64_t end;
	unsigned i;

	if (!dhcp_wait_ms)
		return 0;
	end = uk_sched_now() + (uint64_t)dhcp_wait_ms * 1000000ULL;
	while (!all_leased()) {
		if (uk_sched_now() >= end) {
			uk_pr_warn("lwip: no DHCP lease after %u ms; "
				   "going on without one\n",
				   dhcp_wait_ms);
			return 0;
		}
		uk_sched_sleep_ns(10 * 1000000ULL);
	}
	for (i = 0; i < uklwip_netif_count(); i++) {
		struct netif *n = uklwip_netif_get(i);

		if (netif_dhcp_data(n))
			uk_pr_info("lwip: %c%c%u: DHCP lease %s\n", n->name[0],
				   n->name[1], n->num,
				   ip4addr_ntoa(netif_ip4_addr(n)));
	}
	return 0;
}
uk_late_initcall(uklwip_wait_dhcp);
