/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip internals shared by sys_arch.c, netif.c and init.c */
#ifndef UKLWIP_INTERNAL_H
#define UKLWIP_INTERNAL_H

#include <stdint.h>

/* hand every netif's queued tx frames to its device (core lock held) */
void uklwip_tx_flush_all(void);

/* draw the TCP ISN secret from ukrandom (once; src/isn.c) */
void uklwip_isn_init(void);
/* tests: a known secret */
void uklwip_isn_set_key(const uint8_t key[16]);

#endif
