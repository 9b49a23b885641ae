/* SPDX-License-Identifier: BSD-3-Clause */
/* ukschedcoop: round-robin run queue, deadline-sorted sleep queue. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/schedcoop.h>

static struct uk_schedcoop *to_coop(struct uk_sched *s)
{
	return (struct uk_schedcoop *)s;
}

static int on_runq(struct uk_schedcoop *c, struct uk_thread *t)
{
	return t->rq_prev || c->rq_head == t;
}

static void coop_thread_add(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_schedcoop *c = to_coop(s);

	if (on_runq(c, t))
		return;
	t->rq_next = NULL;
	t->rq_prev = c->rq_tail;
	if (c->rq_tail)
		c->rq_tail->rq_next = t;
	else
		c->rq_head = t;
	c->rq_tail = t;
}

static void coop_thread_remove(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_schedcoop *c = to_coop(s);

	if (!on_runq(c, t))
		return;
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		c->rq_head = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		c->rq_tail = t->rq_prev;
	t->rq_next = t->rq_prev = NULL;
}

static struct uk_thread *coop_pick_next(struct uk_sched *s)
{
	struct uk_thread *t = to_coop(s)->rq_head;

	if (t)
		coop_thread_remove(s, t);
	return t;
}

static void coop_sleep_add(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_schedcoop *c = to_coop(s);
	struct uk_thread *p = c->sl_tail;

	/* From the back: the common case (same timeout) appends. */
	while (p && p->deadline > t->deadline)
		p = p->sl_prev;
	t->sl_prev = p;
	t->sl_next = p ? p->sl_next : c->sl_head;
	if (t->sl_next)
		t->sl_next->sl_prev = t;
	else
		c->sl_tail = t;
	if (p)
		p->sl_next = t;
	else
		c->sl_head = t;
}

static void coop_sleep_remove(struct uk_sched *s, struct uk_thread *t)
{
	struct uk_schedcoop *c = to_coop(s);

	if (t->sl_prev)
		t->sl_prev->sl_next = t->sl_next;
	else if (c->sl_head == t)
		c->sl_head = t->sl_next;
	else
		return; /* not queued */
	if (t->sl_next)
		t->sl_next->sl_prev = t->sl_prev;
	else
		c->sl_tail = t->sl_prev;
	t->sl_next = t->sl_prev = NULL;
}

static struct uk_thread *coop_sleep_expired(struct uk_sched *s, uint64_t now)
{
	struct uk_thread *t = to_coop(s)->sl_head;

	if (!t || t->deadline > now)
		return NULL;
	coop_sleep_remove(s, t);
	return t;
}

static uint64_t coop_next_deadline(struct uk_sched *s)
{
	struct uk_thread *t = to_coop(s)->sl_head;

	return t ? t->deadline : UK_SCHED_FOREVER;
}

static void coop_idle(struct uk_sched *s, uint64_t next_deadline)
{
	to_coop(s)->nr_idle++;
	if (s->cfg.idle)
		s->cfg.idle(next_deadline);
}

const struct uk_sched_ops uk_schedcoop_ops = {
	.thread_add = coop_thread_add,
	.thread_remove = coop_thread_remove,
	.pick_next = coop_pick_next,
	.sleep_add = coop_sleep_add,
	.sleep_remove = coop_sleep_remove,
	.sleep_expired = coop_sleep_expired,
	.next_deadline = coop_next_deadline,
	.idle = coop_idle,
};

int uk_schedcoop_init(struct uk_schedcoop *c, const struct uk_sched_config *cfg)
{
	int rc;

	if (!c)
		return -EINVAL;
	rc = uk_sched_init(&c->sched, &uk_schedcoop_ops, cfg);
	if (rc)
		return rc;
	c->rq_head = c->rq_tail = NULL;
	c->sl_head = c->sl_tail = NULL;
	c->nr_idle = 0;
	return 0;
}
