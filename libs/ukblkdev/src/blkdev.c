/* SPDX-License-Identifier: BSD-3-Clause */
/* ukblkdev: device registry, checked configuration and submission, the
 * synchronous helpers. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <uk/blkdev.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>

/* Registered devices, in registration order (ids 0, 1, ...). UP: drivers
 * register from the init table, one at a time. */
static struct uk_blkdev *devs, **devs_tail = &devs;
static unsigned nr_devs;

uint64_t uk_blkdev_timeout_ns = 60ull * 1000000000ull;
static uk_blkdev_waiter_t waiter;

void uk_blkdev_set_waiter(uk_blkdev_waiter_t w)
{
	waiter = w;
}

struct uk_blkdev *uk_blkdev_find(const char *name)
{
	if (!name)
		return NULL;
	for (struct uk_blkdev *d = devs; d; d = d->next)
		if (!strcmp(d->name, name) ||
		    (d->desc && !strcmp(d->desc, name)))
			return d;
	return NULL;
}

int uk_blkdev_register(struct uk_blkdev *d)
{
	const struct uk_blkdev_ops *o;

	if (!d || !(o = d->ops) || !o->info || !o->configure ||
	    !o->queue_setup || !o->start || !o->stop || !o->submit ||
	    !o->poll || !d->name || !d->name[0])
		return -EINVAL;
	if (uk_blkdev_find(d->name))
		return -EEXIST;
	d->info = (struct uk_blkdev_info){0};
	o->info(d, &d->info);
	if (!d->info.sector_size ||
	    (d->info.sector_size & (d->info.sector_size - 1))) {
		uk_pr_err("%s: sector size %u is not a power of two", d->name,
			  d->info.sector_size);
		return -EINVAL;
	}
	if (!d->info.max_sectors)
		d->info.max_sectors = UINT32_MAX;
	if (!d->info.max_queues)
		d->info.max_queues = 1;
	if (d->info.max_queues > UK_BLKDEV_QUEUES_MAX)
		d->info.max_queues = UK_BLKDEV_QUEUES_MAX;
	if (!d->info.max_inflight)
		d->info.max_inflight = 1;
	d->id = nr_devs++;
	d->state = UK_BLKDEV_UNCONFIGURED;
	d->nb_queues = 0;
	memset(&d->stats, 0, sizeof(d->stats));
	memset(d->q, 0, sizeof(d->q));
	d->next = NULL;
	*devs_tail = d;
	devs_tail = &d->next;
	uk_pr_info("blkdev%u: %s (%s), %llu sectors of %u bytes%s%s", d->id,
		   d->name, d->desc ? d->desc : "-",
		   (unsigned long long)d->info.sectors, d->info.sector_size,
		   (d->info.features & UK_BLKDEV_F_RO) ? ", read-only" : "",
		   (d->info.features & UK_BLKDEV_F_FLUSH) ? ", write cache"
							  : "");
	return (int)d->id;
}

unsigned uk_blkdev_count(void)
{
	return nr_devs;
}

struct uk_blkdev *uk_blkdev_get(unsigned id)
{
	for (struct uk_blkdev *d = devs; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

void uk_blkdev_info_get(struct uk_blkdev *d, struct uk_blkdev_info *out)
{
	*out = d->info;
}

int uk_blkdev_configure(struct uk_blkdev *d, uint16_t nb_queues)
{
	int rc;

	if (d->state != UK_BLKDEV_UNCONFIGURED)
		return -EBUSY;
	if (!nb_queues || nb_queues > d->info.max_queues) {
		uk_pr_err("%s: %u queues asked, the device has 1..%u", d->name,
			  nb_queues, d->info.max_queues);
		return -EINVAL;
	}
	rc = d->ops->configure(d, nb_queues);
	if (rc < 0)
		return rc;
	d->nb_queues = nb_queues;
	d->state = UK_BLKDEV_CONFIGURED;
	return 0;
}

/* Interrupt context: remember the event for uk_blkdev_wait, pass it on. */
static void event_trampoline(void *arg, uint16_t qid)
{
	struct uk_blkdev *d = arg;

	if (qid >= UK_BLKDEV_QUEUES_MAX)
		return;
	d->q[qid].event = 1;
	d->stats.interrupts++;
	if (d->q[qid].user_event)
		d->q[qid].user_event(d->q[qid].user_arg, qid);
}

int uk_blkdev_queue_setup(struct uk_blkdev *d, uint16_t qid,
			  const struct uk_blkdev_queue_conf *conf)
{
	struct uk_blkdev_queue_conf c;
	int rc;

	if (d->state == UK_BLKDEV_RUNNING)
		return -EBUSY;
	if (d->state != UK_BLKDEV_CONFIGURED || qid >= d->nb_queues || !conf)
		return -EINVAL;
	if (d->info.nb_desc_max && conf->nb_desc > d->info.nb_desc_max) {
		uk_pr_err("%s: %u ring entries asked, the device takes at "
			  "most %u",
			  d->name, conf->nb_desc, d->info.nb_desc_max);
		return -EINVAL;
	}
	if (d->q[qid].ready)
		return -EBUSY;
	c = *conf;
	c.event = event_trampoline;
	c.event_arg = d;
	rc = d->ops->queue_setup(d, qid, &c);
	if (rc < 0)
		return rc;
	d->q[qid].user_event = conf->event;
	d->q[qid].user_arg = conf->event_arg;
	d->q[qid].ready = 1;
	return 0;
}

int uk_blkdev_start(struct uk_blkdev *d)
{
	int rc;

	if (d->state == UK_BLKDEV_RUNNING)
		return 0;
	if (d->state != UK_BLKDEV_CONFIGURED)
		return d->state == UK_BLKDEV_FAILED ? -ENODEV : -EINVAL;
	for (uint16_t i = 0; i < d->nb_queues; i++)
		if (!d->q[i].ready)
			return -EINVAL;
	rc = d->ops->start(d);
	if (rc < 0)
		return rc;
	d->state = UK_BLKDEV_RUNNING;
	return 0;
}

int uk_blkdev_stop(struct uk_blkdev *d)
{
	int rc;

	if (d->state != UK_BLKDEV_RUNNING)
		return 0;
	rc = d->ops->stop(d);
	if (rc < 0)
		return rc;
	for (uint16_t i = 0; i < d->nb_queues; i++)
		d->q[i].intr_on = 0;
	d->state = UK_BLKDEV_CONFIGURED;
	return 0;
}

int uk_blkdev_open(struct uk_blkdev *d)
{
	struct uk_blkdev_queue_conf conf = {0};
	int rc;

	if (d->state == UK_BLKDEV_RUNNING)
		return 0;
	if (d->state == UK_BLKDEV_FAILED)
		return -ENODEV;
	if (d->state == UK_BLKDEV_UNCONFIGURED) {
		rc = uk_blkdev_configure(d, 1);
		if (rc < 0)
			return rc;
	}
	if (!d->q[0].ready) {
		rc = uk_blkdev_queue_setup(d, 0, &conf);
		if (rc < 0)
			return rc;
	}
	return uk_blkdev_start(d);
}

/* 0 if `r` can go to the device; else the error it completes with. */
static int check_req(const struct uk_blkdev_info *in, const struct uk_blkreq *r)
{
	switch (r->op) {
	case UK_BLKREQ_READ:
	case UK_BLKREQ_WRITE:
		if (!r->nsectors || !r->buf || r->nsectors > in->max_sectors)
			return -EINVAL;
		break;
	case UK_BLKREQ_FLUSH:
		return 0;
	case UK_BLKREQ_DISCARD:
	case UK_BLKREQ_WRITE_ZEROES:
		if (!(in->features &
		      (r->op == UK_BLKREQ_DISCARD ? UK_BLKDEV_F_DISCARD
						  : UK_BLKDEV_F_WRITE_ZEROES)))
			return -ENOTSUP;
		if (!r->nsectors || r->nsectors > in->max_discard_sectors)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (r->op != UK_BLKREQ_READ && (in->features & UK_BLKDEV_F_RO))
		return -EROFS;
	if (r->sector >= in->sectors || r->nsectors > in->sectors - r->sector)
		return -ENOSPC;
	return 0;
}

static void complete_now(struct uk_blkdev *d, struct uk_blkreq *r, int res)
{
	r->result = res;
	r->state = UK_BLKREQ_DONE;
	if (res < 0)
		d->stats.refused++;
	if (r->done)
		r->done(r);
}

int uk_blkdev_submit(struct uk_blkdev *d, uint16_t qid,
		     struct uk_blkreq *reqs[], uint16_t *cnt)
{
	uint16_t want = *cnt, i = 0, taken = 0;
	int st = 0;

	*cnt = 0;
	if (d->state != UK_BLKDEV_RUNNING)
		return -ENODEV;
	if (qid >= d->nb_queues)
		return -EINVAL;
	/* runs of valid requests go to the driver as they stand (a burst
	 * without refused requests is one driver call, one notification);
	 * a refused request between runs completes at once */
	while (i < want) {
		uint16_t j = i, n;
		int e = 0, rc;

		for (; j < want; j++) {
			struct uk_blkreq *r = reqs[j];

			r->state = UK_BLKREQ_PENDING;
			r->result = 0;
			r->drv_stage = 0;
			e = check_req(&d->info, r);
			if (!e && r->op == UK_BLKREQ_FLUSH &&
			    !(d->info.features & UK_BLKDEV_F_FLUSH))
				e = 1; /* write-through: nothing to flush */
			if (e)
				break;
		}
		if (j > i) {
			n = (uint16_t)(j - i);
			rc = d->ops->submit(d, qid, reqs + i, &n);
			if (rc < 0 && !n) {
				*cnt = taken;
				return taken ? st : rc;
			}
			d->stats.requests += n;
			taken += n;
			if (n < j - i) {
				*cnt = taken;
				return st | UK_BLKDEV_STATUS_FULL;
			}
		}
		if (j < want) {
			struct uk_blkreq *r = reqs[j];

			if (e < 0)
				uk_pr_debug("%s: request op %u sector %llu "
					    "+%u refused: %d",
					    d->name, r->op,
					    (unsigned long long)r->sector,
					    r->nsectors, e);
			complete_now(d, r, e < 0 ? e : 0);
			taken++;
		}
		if (j >= want)
			break;
		i = (uint16_t)(j + 1);
	}
	*cnt = taken;
	return st;
}

int uk_blkdev_poll(struct uk_blkdev *d, uint16_t qid, unsigned max)
{
	if (d->state != UK_BLKDEV_RUNNING)
		return -ENODEV;
	if (qid >= d->nb_queues)
		return -EINVAL;
	return d->ops->poll(d, qid, max ? max : UINT32_MAX);
}

int uk_blkdev_intr_enable(struct uk_blkdev *d, uint16_t qid)
{
	int rc;

	if (qid >= d->nb_queues || !d->q[qid].ready)
		return -EINVAL;
	if (!(d->info.features & UK_BLKDEV_F_INTR) || !d->ops->intr_enable)
		return -ENOTSUP;
	rc = d->ops->intr_enable(d, qid);
	if (rc >= 0)
		d->q[qid].intr_on = 1;
	return rc;
}

int uk_blkdev_intr_disable(struct uk_blkdev *d, uint16_t qid)
{
	if (qid >= d->nb_queues || !d->q[qid].ready)
		return -EINVAL;
	if (!d->ops->intr_disable)
		return -ENOTSUP;
	d->q[qid].intr_on = 0;
	return d->ops->intr_disable(d, qid);
}

void uk_blkdev_stats_get(struct uk_blkdev *d, struct uk_blkdev_stats *out)
{
	*out = d->stats;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

int uk_blkdev_wait(struct uk_blkdev *d, uint16_t qid, struct uk_blkreq **reqs,
		   unsigned n)
{
	uint64_t deadline = ukplat_monotonic_clock() + uk_blkdev_timeout_ns;
	unsigned first = 0; /* reqs before it are done */

	for (;;) {
		int got;

		while (first < n && reqs[first]->state == UK_BLKREQ_DONE)
			first++;
		if (first == n)
			return 0;
		if (d->state != UK_BLKDEV_RUNNING)
			return -ENODEV;
		d->q[qid].event = 0;
		got = uk_blkdev_poll(d, qid, 0);
		if (got < 0)
			return got;
		if (got > 0) {
			deadline =
				ukplat_monotonic_clock() + uk_blkdev_timeout_ns;
			continue;
		}
		if (ukplat_monotonic_clock() > deadline) {
			uk_pr_err("%s: no request completed for %llu ms: "
				  "device marked failed",
				  d->name,
				  (unsigned long long)(uk_blkdev_timeout_ns /
						       1000000));
			d->state = UK_BLKDEV_FAILED;
			return -ETIMEDOUT;
		}
		if (d->q[qid].intr_on) {
			if (waiter)
				waiter(&d->q[qid].event, deadline);
			else
				ukplat_halt_until_or(deadline,
						     &d->q[qid].event);
		} else {
			cpu_relax();
		}
	}
}

#define SYNC_BURST 32

/* The ring is full of other users' requests: poll until one completes. */
static int ring_wait(struct uk_blkdev *d, uint16_t qid)
{
	uint64_t deadline = ukplat_monotonic_clock() + uk_blkdev_timeout_ns;

	for (;;) {
		int got = uk_blkdev_poll(d, qid, 0);

		if (got != 0)
			return got < 0 ? got : 0;
		if (ukplat_monotonic_clock() > deadline) {
			d->state = UK_BLKDEV_FAILED;
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
}

int uk_blkdev_sync_io(struct uk_blkdev *d, uint16_t qid, uint8_t op,
		      uint64_t sector, uint64_t nsectors, void *buf,
		      uint8_t flags)
{
	struct uk_blkreq req[SYNC_BURST], *rp[SYNC_BURST];
	const uint32_t ss = d->info.sector_size;
	uint32_t per = d->info.max_sectors;
	unsigned burst = d->info.max_inflight;
	char *p = buf;
	int rc;

	if (burst > SYNC_BURST)
		burst = SYNC_BURST;
	if (op == UK_BLKREQ_DISCARD || op == UK_BLKREQ_WRITE_ZEROES)
		per = d->info.max_discard_sectors ? d->info.max_discard_sectors
						  : 1;
	if (op == UK_BLKREQ_FLUSH)
		nsectors = 1; /* one request */
	else if (!nsectors)
		return 0;
	while (nsectors) {
		unsigned n = 0;
		uint16_t cnt;

		while (n < burst && nsectors) {
			uint32_t k = nsectors < per ? (uint32_t)nsectors : per;

			if (op == UK_BLKREQ_FLUSH)
				k = 0;
			uk_blkreq_init(
				&req[n], op, sector, k,
				(op == UK_BLKREQ_READ || op == UK_BLKREQ_WRITE)
					? p
					: NULL,
				NULL, NULL);
			req[n].flags = flags;
			rp[n] = &req[n];
			n++;
			if (op == UK_BLKREQ_FLUSH)
				break;
			sector += k;
			nsectors -= k;
			if (p)
				p += (size_t)k * ss;
		}
		if (op == UK_BLKREQ_FLUSH)
			nsectors = 0;
		for (unsigned off = 0; off < n;) {
			cnt = (uint16_t)(n - off);
			rc = uk_blkdev_submit(d, qid, rp + off, &cnt);
			if (rc < 0) {
				/* wait for what went, report the failure */
				uk_blkdev_wait(d, qid, rp, off);
				return rc;
			}
			if (!cnt) {
				/* ring full (of ours, or of other users of
				 * the queue): let some complete */
				rc = off ? uk_blkdev_wait(d, qid, rp, off)
					 : ring_wait(d, qid);
				if (rc < 0)
					return rc;
			}
			off += cnt;
		}
		rc = uk_blkdev_wait(d, qid, rp, n);
		if (rc < 0)
			return rc;
		for (unsigned i = 0; i < n; i++)
			if (req[i].result < 0)
				return req[i].result;
	}
	return 0;
}
