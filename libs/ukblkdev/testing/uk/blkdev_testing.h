/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A ukblkdev test double for native unit tests: a disk in memory with a
 * volatile write cache that a "power cut" can throw away.
 *
 *   bd_test_init(&t, name, sectors, sector_size, features)
 *                          a zeroed disk (not registered; call
 *                          uk_blkdev_register(&t.dev) when wanted)
 *   bd_test_load(&t, path) / bd_test_save(&t, path)
 *                          disk contents from / to a file (image files made
 *                          by mke2fs, checked by e2fsck)
 *   bd_test_power_cut(&t, keep_pct)
 *                          what a power loss does: writes completed but not
 *                          yet flushed survive with probability keep_pct %
 *                          (sector by sector, from rand()), the rest revert
 *                          to what the disk held at the last FLUSH; the
 *                          requests in flight vanish without completing
 *   t.fail_after / t.fail_op   the request number fail_after (counting
 *                          from 1) of op fail_op (-1: any) completes with
 *                          -EIO and changes nothing; 0: never
 *   t.die_after            after this many more requests the device is gone:
 *                          every later one fails with -EIO and changes
 *                          nothing (what a killed VMM leaves: the writes
 *                          completed before it are all there); 0: never
 *   t.reverse              complete each poll's requests in reverse order
 *   t.hold                 the next `hold` polls complete nothing (a slow
 *                          device; -1: never again, a dead one)
 *   t.nreads, nwrites, nflushes, ndiscards, nnotifies   what the "device"
 *                          saw; t.inflight  requests submitted, not polled
 * With UK_BLKDEV_F_FLUSH in features the disk has a write cache (the power
 * cut matters); with UK_BLKDEV_F_FUA a FUA write is durable at once.
 * Requests take effect when polled (not when submitted), like a device that
 * works asynchronously. Events: when the queue's interrupts are on, a
 * submit calls the event callback (as an interrupt would, later).
 *
 * Header-only: include it in exactly one C file of a test.
 */
#ifndef UK_BLKDEV_TESTING_H
#define UK_BLKDEV_TESTING_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/blkdev.h>

#define BD_TEST_RING 64

struct bd_test {
	struct uk_blkdev dev;
	uint8_t *data;	  /* what reads see */
	uint8_t *durable; /* what survives a power cut (write cache only) */
	uint8_t *dirty;	  /* per sector: written since the last flush */
	uint32_t ss;
	uint64_t sectors;
	uint32_t features;
	struct uk_blkreq *ring[BD_TEST_RING];
	unsigned inflight;
	int intr;
	uk_blkdev_queue_event_t event;
	void *event_arg;
	long fail_after, die_after;
	int dead;
	int fail_op;
	int reverse;
	long hold;
	unsigned long nreads, nwrites, nflushes, ndiscards, nnotifies, nreqs;
};

static inline struct bd_test *bd_test_of(struct uk_blkdev *d)
{
	return (struct bd_test *)d->priv;
}

static void bd_test_info(struct uk_blkdev *d, struct uk_blkdev_info *out)
{
	struct bd_test *t = bd_test_of(d);

	out->sector_size = t->ss;
	out->sectors = t->sectors;
	out->max_sectors = 256;
	out->max_discard_sectors = 1024;
	out->max_queues = 1;
	out->nb_desc_max = BD_TEST_RING;
	out->max_inflight = BD_TEST_RING;
	out->features = t->features | UK_BLKDEV_F_INTR;
}

static int bd_test_configure(struct uk_blkdev *d, uint16_t nq)
{
	(void)d;
	return nq == 1 ? 0 : -EINVAL;
}

static int bd_test_queue_setup(struct uk_blkdev *d, uint16_t qid,
			       const struct uk_blkdev_queue_conf *c)
{
	struct bd_test *t = bd_test_of(d);

	(void)qid;
	t->event = c->event;
	t->event_arg = c->event_arg;
	return 0;
}

static int bd_test_start(struct uk_blkdev *d)
{
	(void)d;
	return 0;
}

static int bd_test_stop(struct uk_blkdev *d)
{
	bd_test_of(d)->intr = 0;
	return 0;
}

static int bd_test_submit(struct uk_blkdev *d, uint16_t qid,
			  struct uk_blkreq *reqs[], uint16_t *cnt)
{
	struct bd_test *t = bd_test_of(d);
	uint16_t i;

	(void)qid;
	for (i = 0; i < *cnt && t->inflight < BD_TEST_RING; i++)
		t->ring[t->inflight++] = reqs[i];
	*cnt = i;
	if (i) {
		t->nnotifies++;
		d->stats.notifies++;
		if (t->intr && t->event)
			t->event(t->event_arg, 0);
	}
	return i ? 0 : UK_BLKDEV_STATUS_FULL;
}

static void bd_test_mark(struct bd_test *t, uint64_t s, uint32_t n, int fua)
{
	if (!(t->features & UK_BLKDEV_F_FLUSH))
		return;
	for (uint32_t k = 0; k < n; k++) {
		if (fua && (t->features & UK_BLKDEV_F_FUA)) {
			memcpy(t->durable + (s + k) * t->ss,
			       t->data + (s + k) * t->ss, t->ss);
			t->dirty[s + k] = 0;
		} else {
			t->dirty[s + k] = 1;
		}
	}
}

static void bd_test_flush(struct bd_test *t)
{
	if (!(t->features & UK_BLKDEV_F_FLUSH))
		return;
	for (uint64_t s = 0; s < t->sectors; s++)
		if (t->dirty[s]) {
			memcpy(t->durable + s * t->ss, t->data + s * t->ss,
			       t->ss);
			t->dirty[s] = 0;
		}
}

static int bd_test_do(struct bd_test *t, struct uk_blkreq *r)
{
	size_t off = (size_t)r->sector * t->ss;
	size_t len = (size_t)r->nsectors * t->ss;

	t->nreqs++;
	if (t->die_after && --t->die_after == 0)
		t->dead = 1;
	if (t->dead)
		return -EIO;
	if (t->fail_after && (t->fail_op < 0 || t->fail_op == r->op) &&
	    --t->fail_after == 0)
		return -EIO;
	switch (r->op) {
	case UK_BLKREQ_READ:
		t->nreads++;
		memcpy(r->buf, t->data + off, len);
		return 0;
	case UK_BLKREQ_WRITE:
		t->nwrites++;
		memcpy(t->data + off, r->buf, len);
		bd_test_mark(t, r->sector, r->nsectors,
			     r->flags & UK_BLKREQ_F_FUA);
		return 0;
	case UK_BLKREQ_WRITE_ZEROES:
	case UK_BLKREQ_DISCARD:
		t->ndiscards++;
		memset(t->data + off, 0, len);
		bd_test_mark(t, r->sector, r->nsectors, 0);
		return 0;
	case UK_BLKREQ_FLUSH:
		t->nflushes++;
		bd_test_flush(t);
		return 0;
	}
	return -EINVAL; /* not reached: ops are checked */
}

static int bd_test_poll(struct uk_blkdev *d, uint16_t qid, unsigned max)
{
	struct bd_test *t = bd_test_of(d);
	unsigned n = t->inflight < max ? t->inflight : max;
	struct uk_blkreq *done[BD_TEST_RING];

	(void)qid;
	if (t->hold) {
		if (t->hold > 0)
			t->hold--;
		return 0;
	}
	memcpy(done, t->ring, n * sizeof(*done));
	memmove(t->ring, t->ring + n, (t->inflight - n) * sizeof(*done));
	t->inflight -= n;
	for (unsigned i = 0; i < n; i++) {
		struct uk_blkreq *r = done[t->reverse ? n - 1 - i : i];

		r->result = bd_test_do(t, r);
		d->stats.completions++;
		if (r->result < 0)
			d->stats.errors++;
		r->state = UK_BLKREQ_DONE;
		if (r->done)
			r->done(r);
	}
	return (int)n;
}

static int bd_test_intr_enable(struct uk_blkdev *d, uint16_t qid)
{
	struct bd_test *t = bd_test_of(d);

	(void)qid;
	t->intr = 1;
	return t->inflight ? 1 : 0;
}

static int bd_test_intr_disable(struct uk_blkdev *d, uint16_t qid)
{
	(void)qid;
	bd_test_of(d)->intr = 0;
	return 0;
}

static const struct uk_blkdev_ops bd_test_ops = {
	.info = bd_test_info,
	.configure = bd_test_configure,
	.queue_setup = bd_test_queue_setup,
	.start = bd_test_start,
	.stop = bd_test_stop,
	.submit = bd_test_submit,
	.poll = bd_test_poll,
	.intr_enable = bd_test_intr_enable,
	.intr_disable = bd_test_intr_disable,
};

/* A zeroed disk; returns 0 or -ENOMEM. */
static inline int bd_test_init(struct bd_test *t, const char *name,
			       uint64_t sectors, uint32_t ss, uint32_t features)
{
	memset(t, 0, sizeof(*t));
	t->ss = ss;
	t->sectors = sectors;
	t->features = features;
	t->fail_op = -1;
	t->data = calloc(sectors, ss);
	if (features & UK_BLKDEV_F_FLUSH) {
		t->durable = calloc(sectors, ss);
		t->dirty = calloc(sectors, 1);
	}
	if (!t->data ||
	    ((features & UK_BLKDEV_F_FLUSH) && (!t->durable || !t->dirty)))
		return -ENOMEM;
	t->dev.ops = &bd_test_ops;
	t->dev.name = name;
	t->dev.desc = "memory test double";
	t->dev.priv = t;
	return 0;
}

static inline void bd_test_fini(struct bd_test *t)
{
	free(t->data);
	free(t->durable);
	free(t->dirty);
	t->data = t->durable = t->dirty = NULL;
}

/* Contents from a file (its length must not exceed the disk); 0 or -errno.
 */
static inline int bd_test_load(struct bd_test *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -errno;
	n = fread(t->data, 1, (size_t)t->sectors * t->ss, f);
	fclose(f);
	if (t->durable)
		memcpy(t->durable, t->data, (size_t)t->sectors * t->ss);
	(void)n;
	return 0;
}

/* The disk as it reads now (durable = 0) or as a power cut would leave it
 * (durable = 1), written to `path`. 0 or -errno. */
static inline int bd_test_save(struct bd_test *t, const char *path, int durable)
{
	FILE *f = fopen(path, "wb");
	const uint8_t *src = (durable && t->durable) ? t->durable : t->data;
	size_t len = (size_t)t->sectors * t->ss;

	if (!f)
		return -errno;
	if (fwrite(src, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

static inline void bd_test_power_cut(struct bd_test *t, int keep_pct)
{
	t->inflight = 0;
	if (!(t->features & UK_BLKDEV_F_FLUSH))
		return;
	for (uint64_t s = 0; s < t->sectors; s++) {
		if (!t->dirty[s])
			continue;
		if (keep_pct > 0 && rand() % 100 < keep_pct)
			memcpy(t->durable + s * t->ss, t->data + s * t->ss,
			       t->ss);
		else
			memcpy(t->data + s * t->ss, t->durable + s * t->ss,
			       t->ss);
		t->dirty[s] = 0;
	}
}

#endif /* UK_BLKDEV_TESTING_H */
