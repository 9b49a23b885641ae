/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: lwIP's operating system types on uksched + uklock (sys_arch.c).
 * Single CPU, cooperative threads (UP): lwIP's critical sections only need
 * to keep interrupt handlers out, and those never touch lwIP.
 */
#ifndef UKLWIP_ARCH_SYS_ARCH_H
#define UKLWIP_ARCH_SYS_ARCH_H

#include <stdint.h>
#include <uk/lock.h>
#include <uk/sched.h>

typedef struct {
	struct uk_semaphore s;
	int valid;
} sys_sem_t;

typedef struct {
	struct uk_mutex m;
	int valid;
} sys_mutex_t;

/* bounded ring of messages; `used` counts messages, `room` free slots */
/* ring of `cap` slots (grown on demand up to `size`, the capacity lwIP asked
 * for: most mailboxes - one per TCP connection - never hold more than a few
 * messages) */
struct uklwip_mbox {
	void **ring;
	unsigned size, cap, head, count;
	struct uk_semaphore used, room;
};
typedef struct uklwip_mbox *sys_mbox_t;

typedef struct uk_thread *sys_thread_t;

typedef unsigned long sys_prot_t;

#define sys_sem_valid(s)	     ((s) != NULL && (s)->valid)
#define sys_sem_set_invalid(s)	     ((s)->valid = 0)
#define sys_mutex_valid(m)	     ((m) != NULL && (m)->valid)
#define sys_mutex_set_invalid(m)     ((m)->valid = 0)
#define sys_mbox_valid(mb)	     ((mb) != NULL && *(mb) != NULL)
#define sys_mbox_set_invalid(mb)     (*(mb) = NULL)
#define sys_mbox_valid_val(mb)	     ((mb) != NULL)
#define sys_mbox_set_invalid_val(mb) ((mb) = NULL)

/* The core lock (lwIP's lock_tcpip_core) and its release, which first
 * hands the frames queued by the netifs during the hold to the devices in
 * bursts (netif.c). lwipopts.h maps LOCK_/UNLOCK_TCPIP_CORE here. */
void uklwip_core_lock(void);
void uklwip_core_unlock(void);
/* 1 if the current thread holds the core lock */
int uklwip_core_locked(void);

#endif /* UKLWIP_ARCH_SYS_ARCH_H */
