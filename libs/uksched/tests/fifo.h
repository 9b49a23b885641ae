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

#include <uk/sched_testing.h>

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
