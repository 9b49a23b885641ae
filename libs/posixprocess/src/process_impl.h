/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between process.c and signal.c. */
#ifndef UK_PROCESS_IMPL_H
#define UK_PROCESS_IMPL_H

int uk_process_tid(void);
void uk_process_signal_reset(void);

#endif
