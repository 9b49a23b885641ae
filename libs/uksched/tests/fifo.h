/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test doubles for uksched's own tests: a FIFO scheduler (unsorted sleep
 * list, linear scans), a host-malloc allocator that can be told to fail, and
 * a fake clock whose idle hook jumps to the next deadline.
 */
#ifndef TEST_FIFO_H
#define TEST_FIFO_H

#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/sched.h>

/* ---- allocator ---- */

static long host_live;		  /* live blocks */
static long host_fail_after = -1; /* fail when it reaches 0 (-1: never) */

static void *host_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	void *p;

	(void)a;
	if (host_fail_after == 0)
		return NULL;
	if (host_fail_after > 0)
		host_fail_after--;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	host_live++;
	return p;
}

static void *host_malloc(struct uk_alloc *a, size_t size)
{
	return host_memalign(a, 16, size);
}

static void host_free(struct uk_alloc *a, void *p)
{
	(void)a;
	host_live--;
	free(p);
}

static size_t host_usable(struct uk_alloc *a, const void *p)
{
	(void)a;
	(void)p;
	return 0;
}

static size_t host_avail(const struct uk_alloc *a)
{
	(void)a;
	return SIZE_MAX;
}

static struct uk_alloc host_alloc = {
	.name = "host",
	.ops = {.malloc = host_malloc,
		.memalign = host_memalign,
		.free = host_free,
		.usable_size = host_usable,
		.availmem = host_avail},
};

/* ---- fake clock ---- */

static uint64_t fake_ns;
static unsigned long idle_calls;
static int deadlocked;

static uint64_t fake_now(void)
{
	return fake_ns;
}

static void fake_idle(uint64_t deadline)
{
	idle_calls++;
	if (deadline == UK_SCHED_FOREVER) {
		deadlocked = 1;
		abort();
	}
	if (deadline > fake_ns)
		fake_ns = deadline;
}

/* ---- FIFO scheduler ---- */

static struct uk_thread *rq_head, *rq_tail, *sl_head;

static void f_add(struct uk_sched *s, struct uk_thread *t)
{
	(void)s;
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static void f_remove(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_thread **pp = &rq_head, *prev = NULL;

	(void)s;
	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->rq_next;
	}
	if (!*pp)
		return;
	*pp = t->rq_next;
	if (rq_tail == t)
		rq_tail = prev;
}

static struct uk_thread *f_pick(struct uk_sched *s)
{
	struct uk_thread *t = rq_head;

	if (t)
		f_remove(s, t);
	return t;
}

static void f_sleep_add(struct uk_sched *s, struct uk_thread *t)
{
	(void)s;
	t->sl_next = sl_head;
	sl_head = t;
}

static void f_sleep_remove(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_thread **pp = &sl_head;

	(void)s;
	while (*pp && *pp != t)
		pp = &(*pp)->sl_next;
	if (*pp)
		*pp = t->sl_next;
}

static struct uk_thread *f_min(void)
{
	struct uk_thread *t, *m = NULL;

	for (t = sl_head; t; t = t->sl_next)
		if (!m || t->deadline < m->deadline)
			m = t;
	return m;
}

static struct uk_thread *f_expired(struct uk_sched *s, uint64_t now)
{
	struct uk_thread *m = f_min();

	if (!m || m->deadline > now)
		return NULL;
	f_sleep_remove(s, m);
	return m;
}

static uint64_t f_next(struct uk_sched *s)
{
	struct uk_thread *m = f_min();

	(void)s;
	return m ? m->deadline : UK_SCHED_FOREVER;
}

static void f_idle(struct uk_sched *s, uint64_t d)
{
	s->cfg.idle(d);
}

static const struct uk_sched_ops fifo_ops = {
	.thread_add = f_add,
	.thread_remove = f_remove,
	.pick_next = f_pick,
	.sleep_add = f_sleep_add,
	.sleep_remove = f_sleep_remove,
	.sleep_expired = f_expired,
	.next_deadline = f_next,
	.idle = f_idle,
};

#endif /* TEST_FIFO_H */
