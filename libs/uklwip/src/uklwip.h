/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip internals shared by sys_arch.c, netif.c and init.c */
#ifndef UKLWIP_INTERNAL_H
#define UKLWIP_INTERNAL_H

/* hand every netif's queued tx frames to its device (core lock held) */
void uklwip_tx_flush_all(void);

#endif
