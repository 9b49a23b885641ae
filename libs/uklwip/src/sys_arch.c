/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: lwIP's operating system layer on uksched + uklock.
 *
 * Semaphores and mutexes are uklock's; a mailbox is a bounded ring with two
 * semaphores (messages, free slots). Time is uksched's clock in ms. Waits
 * block the thread (no polling); lwIP's tcpip thread sleeps in
 * sys_arch_mbox_fetch() until its next timeout (sys_timeouts_sleeptime).
 *
 * UP, cooperative: a thread runs until it blocks, so lwIP's critical
 * sections (SYS_ARCH_PROTECT) only need to keep interrupt handlers out,
 * which saving and clearing the interrupt flag does (native builds: no-op).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#include <uk/lock.h>
#include <uk/print.h>
#include <uk/random.h>
#include <uk/sched.h>
#ifndef UKLWIP_NATIVE
#include <uk/plat/lcpu.h>
#endif

#include "uklwip.h"

#define NS_PER_MS 1000000ULL

/* ---- diagnostics ---- */

void uklwip_diag(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	uk_pr_debug("lwip: %s", buf);
}

void uklwip_assert_fail(const char *msg, const char *file, int line)
{
	uk_pr_err("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
	abort();
}

#ifdef UKLWIP_FUZZ
/* fuzzing: xorshift64*, restarted by the harness before every input so
 * that inputs reproduce */
static uint64_t x = 1;

void uklwip_rand_seed(uint64_t seed)
{
	x = seed | 1;
}

uint32_t uklwip_rand(void)
{
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}
#else
/* DNS ids and ports, DHCP xids, ephemeral ports: nobody may predict them */
uint32_t uklwip_rand(void)
{
	uint32_t v;

	uk_random_fill(&v, sizeof(v));
	return v;
}
#endif

/* ---- init, time, critical sections ---- */

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(uk_sched_now() / NS_PER_MS);
}

/* deadline in ns for a timeout in ms (0: forever, as lwIP means it) */
static uint64_t deadline_ms(u32_t timeout)
{
	return timeout ? uk_sched_now() + (uint64_t)timeout * NS_PER_MS
		       : UK_SCHED_FOREVER;
}

sys_prot_t sys_arch_protect(void)
{
#ifndef UKLWIP_NATIVE
	return ukplat_lcpu_save_irqf();
#else
	return 0;
#endif
}

void sys_arch_unprotect(sys_prot_t pval)
{
#ifndef UKLWIP_NATIVE
	ukplat_lcpu_restore_irqf(pval);
#else
	(void)pval;
#endif
}

/* ---- semaphores ---- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	uk_semaphore_init(&sem->s, count);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	uk_semaphore_up(&sem->s);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = uk_sched_now();
	u32_t waited;

	if (uk_semaphore_down_timeout(&sem->s, deadline_ms(timeout)))
		return SYS_ARCH_TIMEOUT;
	waited = (u32_t)((uk_sched_now() - start) / NS_PER_MS);
	/* SYS_ARCH_TIMEOUT is reserved for timeouts */
	return waited == SYS_ARCH_TIMEOUT ? waited - 1 : waited;
}

/* ---- mutexes ---- */

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	uk_mutex_init(&mutex->m, 0);
	mutex->valid = 1;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	mutex->valid = 0;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	uk_mutex_lock(&mutex->m);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	uk_mutex_unlock(&mutex->m);
}

/* ---- the core lock ---- */

int uklwip_core_lock_checked;

void uklwip_core_lock(void)
{
	uk_mutex_lock(&lock_tcpip_core.m);
	uklwip_core_lock_checked = 1;
}

void uklwip_core_unlock(void)
{
	/* frames the netifs queued during this hold, in bursts */
	uklwip_tx_flush_all();
	uk_mutex_unlock(&lock_tcpip_core.m);
}

int uklwip_core_locked(void)
{
	return uk_mutex_is_locked_by_me(&lock_tcpip_core.m);
}

/* ---- mailboxes ---- */

/* slots a new mailbox starts with */
#define MBOX_FIRST_CAP 8u

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	struct uklwip_mbox *mb;

	if (size <= 0)
		size = 128;
	mb = calloc(1, sizeof(*mb));
	if (!mb)
		return ERR_MEM;
	mb->cap = (unsigned)size < MBOX_FIRST_CAP ? (unsigned)size
						  : MBOX_FIRST_CAP;
	mb->ring = calloc(mb->cap, sizeof(void *));
	if (!mb->ring) {
		free(mb);
		return ERR_MEM;
	}
	mb->size = (unsigned)size;
	uk_semaphore_init(&mb->used, 0);
	uk_semaphore_init(&mb->room, size);
	*mbox = mb;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	struct uklwip_mbox *mb = *mbox;

	if (!mb)
		return;
	if (mb->count)
		uk_pr_warn("lwip: mailbox freed with %u messages\n", mb->count);
	free(mb->ring);
	free(mb);
	*mbox = NULL;
}

/* a full ring of cap < size slots doubles (at most size); -ENOMEM leaves it
 * as it was */
static int mbox_grow(struct uklwip_mbox *mb)
{
	unsigned cap = mb->cap * 2 > mb->size ? mb->size : mb->cap * 2;
	void **ring = malloc(cap * sizeof(void *));
	unsigned i;

	if (!ring)
		return -ENOMEM;
	for (i = 0; i < mb->count; i++)
		ring[i] = mb->ring[(mb->head + i) % mb->cap];
	free(mb->ring);
	mb->ring = ring;
	mb->cap = cap;
	mb->head = 0;
	return 0;
}

/* the caller holds a `room` token (count < size) */
static int mbox_put(struct uklwip_mbox *mb, void *msg)
{
	if (mb->count == mb->cap && mbox_grow(mb))
		return -ENOMEM;
	mb->ring[(mb->head + mb->count) % mb->cap] = msg;
	mb->count++;
	uk_semaphore_up(&mb->used);
	return 0;
}

static void *mbox_take(struct uklwip_mbox *mb)
{
	void *msg = mb->ring[mb->head];

	mb->head = (mb->head + 1) % mb->cap;
	mb->count--;
	uk_semaphore_up(&mb->room);
	return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	uk_semaphore_down(&(*mbox)->room);
	/* blocking: wait for memory as for room (others free it) */
	while (mbox_put(*mbox, msg))
		uk_sched_yield();
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	if (uk_semaphore_trydown(&(*mbox)->room))
		return ERR_MEM;
	if (mbox_put(*mbox, msg)) {
		uk_semaphore_up(&(*mbox)->room);
		return ERR_MEM;
	}
	return ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	/* never from interrupt handlers in unikit (see netif.c) */
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	struct uklwip_mbox *mb = *mbox;
	uint64_t start = uk_sched_now();
	void *m;
	u32_t waited;

	if (uk_semaphore_down_timeout(&mb->used, deadline_ms(timeout)))
		return SYS_ARCH_TIMEOUT;
	m = mbox_take(mb);
	if (msg)
		*msg = m;
	waited = (u32_t)((uk_sched_now() - start) / NS_PER_MS);
	return waited == SYS_ARCH_TIMEOUT ? waited - 1 : waited;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	struct uklwip_mbox *mb = *mbox;
	void *m;

	if (uk_semaphore_trydown(&mb->used))
		return SYS_MBOX_EMPTY;
	m = mbox_take(mb);
	if (msg)
		*msg = m;
	return 0;
}

/* ---- threads ---- */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread, void *arg,
			    int stacksize, int prio)
{
	struct uk_thread *t;

	(void)prio; /* one priority: cooperative round robin */
	t = uk_thread_create(NULL, name, thread, arg,
			     stacksize > 0 ? (size_t)stacksize : 0);
	if (!t) {
		uk_pr_err("lwip: cannot create thread %s\n", name);
		abort();
	}
	uk_thread_detach(t);
	return t;
}
