/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-blk driver: ukblkdev ops over ukvirtio. One request queue (0).
 * Every request is a chain of separate descriptors - header
 * (device-readable), data (the caller's buffer, no copy; readable for
 * writes, writable for reads) or the discard segment, status byte
 * (writable) - the layout legacy devices need and modern ones accept. One
 * notification per burst, only when the device asks for it. UP: the IRQ
 * handler only reads the ISR and calls the queue event.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/blkdev.h>
#include <uk/boot.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include <uk/virtioblk.h>

#define REQ_Q	      0
#define MAX_REQ_BYTES (4u << 20) /* per READ/WRITE when no SIZE_MAX */

/* Per request in flight: what the device reads and writes besides data. */
struct vblk_slot {
	struct uk_virtio_blk_hdr hdr;
	struct uk_virtio_blk_dwz dwz;
	uint8_t status;
	struct uk_blkreq *req;
	struct vblk_slot *next_free;
};

struct vblk {
	struct uk_blkdev bd;
	struct uk_virtio_dev *vd;
	struct uk_virtq vq;
	struct vblk_slot *slots, *free;
	uint16_t nslots;
	uint32_t ss;	/* sector size (bytes) */
	unsigned shift; /* log2(ss / 512) */
	uint64_t sectors;
	uint32_t max_sectors, max_dz_sectors;
	uint32_t features; /* UK_BLKDEV_F_* */
	uint16_t qmax;
	uint8_t ready, irq_on;
	volatile uint8_t intr;
	uk_blkdev_queue_event_t event;
	void *event_arg;
	char name[8];
	char desc[48];
};

#define VB(d) ((struct vblk *)(d)->priv)

static void vb_info(struct uk_blkdev *d, struct uk_blkdev_info *out)
{
	struct vblk *vb = VB(d);

	out->sector_size = vb->ss;
	out->sectors = vb->sectors;
	out->max_sectors = vb->max_sectors;
	out->max_discard_sectors = vb->max_dz_sectors;
	out->max_queues = 1;
	out->nb_desc_max = vb->qmax;
	/* three descriptors per request (flushes take two) */
	out->max_inflight = (uint16_t)(vb->ready ? vb->nslots : vb->qmax / 3);
	out->features = vb->features;
}

static int vb_configure(struct uk_blkdev *d, uint16_t nq)
{
	(void)d;
	return nq == 1 ? 0 : -EINVAL;
}

static int vb_queue_setup(struct uk_blkdev *d, uint16_t qid,
			  const struct uk_blkdev_queue_conf *conf)
{
	struct vblk *vb = VB(d);
	int rc;

	if (qid != 0)
		return -EINVAL;
	if (vb->ready)
		return -EBUSY; /* queues are set up once per device */
	rc = uk_virtio_queue_setup(vb->vd, &vb->vq, REQ_Q, conf->nb_desc);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EIO;
	vb->nslots = (uint16_t)(vb->vq.num / 3 ? vb->vq.num / 3 : 1);
	vb->slots = calloc(vb->nslots, sizeof(*vb->slots));
	if (!vb->slots) {
		uk_virtq_free(&vb->vq);
		return -ENOMEM;
	}
	vb->free = NULL;
	for (uint16_t i = vb->nslots; i-- > 0;) {
		vb->slots[i].next_free = vb->free;
		vb->free = &vb->slots[i];
	}
	uk_virtq_intr_disable(&vb->vq);
	vb->event = conf->event;
	vb->event_arg = conf->event_arg;
	vb->ready = 1;
	/* the registry's copy of info learns the real request limit */
	d->info.max_inflight = vb->nslots;
	return 0;
}

int uk_virtioblk_irq(void *arg);

static int vb_start(struct uk_blkdev *d)
{
	struct vblk *vb = VB(d);

	if (!vb->ready)
		return -EINVAL;
	if (!vb->irq_on && vb->vd->irq >= 0) {
		int rc = uk_virtio_irq_register(vb->vd, uk_virtioblk_irq, vb);
		if (rc < 0) {
			uk_pr_warn("%s: interrupt line %d cannot be used (%d): "
				   "polling only",
				   vb->name, vb->vd->irq, rc);
			vb->vd->irq = -1;
			vb->features &= ~UK_BLKDEV_F_INTR;
			d->info.features &= ~UK_BLKDEV_F_INTR;
		} else {
			vb->irq_on = 1;
		}
	}
	if (!(vb->vd->ops->get_status(vb->vd) & UK_VIRTIO_S_DRIVER_OK)) {
		uk_virtio_driver_ok(vb->vd);
		if (vb->vd->ops->get_status(vb->vd) &
		    UK_VIRTIO_S_DEVICE_NEEDS_RESET) {
			uk_pr_err("%s: device needs a reset after DRIVER_OK",
				  vb->name);
			uk_virtio_fail(vb->vd);
			return -EIO;
		}
	}
	return 0;
}

static int vb_stop(struct uk_blkdev *d)
{
	struct vblk *vb = VB(d);

	vb->intr = 0;
	uk_virtq_intr_disable(&vb->vq);
	return 0;
}

/* Queue the chain of `s` for its request's current stage. 0 or -ENOSPC. */
static int vb_queue(struct vblk *vb, struct vblk_slot *s)
{
	struct uk_blkreq *r = s->req;
	struct uk_virtq_seg seg[3];
	unsigned nout = 1, nin;
	int rc;

	seg[0].addr = &s->hdr;
	seg[0].len = sizeof(s->hdr);
	s->hdr.ioprio = 0;
	s->hdr.sector = r->sector << vb->shift;
	s->status = 0xff; /* a device that writes nothing reads as error */
	if (r->drv_stage == 1 || r->op == UK_BLKREQ_FLUSH) {
		s->hdr.type = UK_VIRTIO_BLK_T_FLUSH;
		s->hdr.sector = 0;
		seg[1].addr = &s->status;
		seg[1].len = 1;
		nin = 1;
	} else if (r->op == UK_BLKREQ_READ || r->op == UK_BLKREQ_WRITE) {
		s->hdr.type = r->op == UK_BLKREQ_READ ? UK_VIRTIO_BLK_T_IN
						      : UK_VIRTIO_BLK_T_OUT;
		seg[1].addr = r->buf;
		seg[1].len = r->nsectors * vb->ss;
		seg[2].addr = &s->status;
		seg[2].len = 1;
		if (r->op == UK_BLKREQ_WRITE)
			nout = 2, nin = 1;
		else
			nin = 2;
	} else {
		s->hdr.type = r->op == UK_BLKREQ_DISCARD
				      ? UK_VIRTIO_BLK_T_DISCARD
				      : UK_VIRTIO_BLK_T_WRITE_ZEROES;
		s->hdr.sector = 0;
		s->dwz.sector = r->sector << vb->shift;
		s->dwz.num_sectors = r->nsectors << vb->shift;
		s->dwz.flags = 0;
		seg[1].addr = &s->dwz;
		seg[1].len = sizeof(s->dwz);
		seg[2].addr = &s->status;
		seg[2].len = 1;
		nout = 2, nin = 1;
	}
	rc = uk_virtq_add(&vb->vq, seg, nout, nin, s);
	return rc < 0 ? rc : 0;
}

static void vb_kick(struct vblk *vb)
{
	if (uk_virtq_kick(&vb->vq))
		vb->bd.stats.notifies++;
}

static int vb_submit(struct uk_blkdev *d, uint16_t qid,
		     struct uk_blkreq *reqs[], uint16_t *cnt)
{
	struct vblk *vb = VB(d);
	uint16_t i;
	int st = 0;

	if (qid != 0) {
		*cnt = 0;
		return -EINVAL;
	}
	for (i = 0; i < *cnt; i++) {
		struct uk_blkreq *r = reqs[i];
		struct vblk_slot *s = vb->free;

		if (!s) {
			st = UK_BLKDEV_STATUS_FULL;
			break;
		}
		/* ukblkdev checked the request; a read-only device still
		 * never sees a write from us */
		if (r->op != UK_BLKREQ_READ && r->op != UK_BLKREQ_FLUSH &&
		    (vb->features & UK_BLKDEV_F_RO))
			break;
		s->req = r;
		r->drv_stage = 0;
		if (vb_queue(vb, s) < 0) {
			st = UK_BLKDEV_STATUS_FULL;
			break;
		}
		vb->free = s->next_free;
		if (r->op == UK_BLKREQ_FLUSH)
			d->stats.flushes++;
	}
	*cnt = i;
	if (i)
		vb_kick(vb);
	return st;
}

static int status_errno(uint8_t st)
{
	switch (st) {
	case UK_VIRTIO_BLK_S_OK:
		return 0;
	case UK_VIRTIO_BLK_S_UNSUPP:
		return -ENOTSUP;
	default:
		return -EIO;
	}
}

static int vb_poll(struct uk_blkdev *d, uint16_t qid, unsigned max)
{
	struct vblk *vb = VB(d);
	struct vblk_slot *s;
	uint32_t len;
	unsigned n = 0;
	int requeued = 0;

	(void)qid;
	while (n < max && (s = uk_virtq_get(&vb->vq, &len))) {
		struct uk_blkreq *r = s->req;
		int res;

		if (s < vb->slots || s >= vb->slots + vb->nslots || !r) {
			uk_pr_err("%s: completion of an unknown request "
				  "ignored",
				  vb->name);
			continue;
		}
		res = status_errno(s->status);
		if (!res && r->drv_stage == 0 && r->op == UK_BLKREQ_READ &&
		    len < r->nsectors * vb->ss + 1) {
			uk_pr_err("%s: read of %u sectors at %llu: the device "
				  "wrote only %u bytes",
				  vb->name, r->nsectors,
				  (unsigned long long)r->sector, len);
			res = -EIO;
		}
		if (!res && r->drv_stage == 0 && (r->flags & UK_BLKREQ_F_FUA) &&
		    (r->op == UK_BLKREQ_WRITE ||
		     r->op == UK_BLKREQ_WRITE_ZEROES) &&
		    (vb->features & UK_BLKDEV_F_FLUSH)) {
			/* FUA: the write is done, now its flush (the chain
			 * just freed three descriptors: two fit) */
			r->drv_stage = 1;
			if (vb_queue(vb, s) == 0) {
				d->stats.flushes++;
				requeued = 1;
				continue;
			}
			res = -EIO;
		}
		s->req = NULL;
		s->next_free = vb->free;
		vb->free = s;
		r->result = res;
		r->state = UK_BLKREQ_DONE;
		d->stats.completions++;
		if (res < 0)
			d->stats.errors++;
		n++;
		if (r->done)
			r->done(r);
	}
	if (requeued)
		vb_kick(vb);
	return (int)n;
}

static int vb_intr_enable(struct uk_blkdev *d, uint16_t qid)
{
	struct vblk *vb = VB(d);

	if (qid != 0 || !vb->ready)
		return -EINVAL;
	if (vb->vd->irq < 0 || !vb->irq_on)
		return -ENOTSUP;
	vb->intr = 1;
	return uk_virtq_intr_enable(&vb->vq) ? 1 : 0;
}

static int vb_intr_disable(struct uk_blkdev *d, uint16_t qid)
{
	struct vblk *vb = VB(d);

	if (qid != 0 || !vb->ready)
		return -EINVAL;
	vb->intr = 0;
	uk_virtq_intr_disable(&vb->vq);
	return 0;
}

static const struct uk_blkdev_ops vb_ops = {
	.info = vb_info,
	.configure = vb_configure,
	.queue_setup = vb_queue_setup,
	.start = vb_start,
	.stop = vb_stop,
	.submit = vb_submit,
	.poll = vb_poll,
	.intr_enable = vb_intr_enable,
	.intr_disable = vb_intr_disable,
};

int uk_virtioblk_describe(struct uk_blkdev *d, char *buf, size_t len)
{
	if (!d || d->ops != &vb_ops || !len)
		return -ENODEV;
	struct uk_virtio_dev *vd = VB(d)->vd;
	int n = snprintf(buf, len, "%s, irq %d, features: ", vd->transport,
			 vd->irq);
	if (n >= 0 && (size_t)n < len)
		uk_virtio_features_str(vd->device_id, vd->features, buf + n,
				       len - (size_t)n);
	return 0;
}

/* IRQ context: acknowledge, then tell ukblkdev (if interrupts are on). */
int uk_virtioblk_irq(void *arg)
{
	struct vblk *vb = arg;
	uint8_t isr = vb->vd->ops->isr_ack(vb->vd);

	if (!isr)
		return 0; /* a shared line: not ours */
	if ((isr & UK_VIRTIO_ISR_QUEUE) && vb->intr && vb->event &&
	    uk_virtq_has_used(&vb->vq))
		vb->event(vb->event_arg, 0);
	return 1;
}

static uint64_t parse_mask(const char *s)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (!s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (int i = 0; s[i] && i < 20; i++) {
		unsigned c = (unsigned char)s[i], dg;
		if (c >= '0' && c <= '9')
			dg = c - '0';
		else if (base == 16 && (c | 32) >= 'a' && (c | 32) <= 'f')
			dg = (c | 32) - 'a' + 10;
		else {
			uk_pr_err("virtioblk.require=%s: not a number: "
				  "ignored",
				  s);
			return 0;
		}
		v = v * base + dg;
	}
	return v;
}

#define SUPPORTED                                      \
	(UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_SIZE_MAX) |     \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_SEG_MAX) |      \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_RO) |           \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_BLK_SIZE) |     \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_FLUSH) |        \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_DISCARD) |      \
	 UK_VIRTIO_BIT(UK_VIRTIO_BLK_F_WRITE_ZEROES) | \
	 UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1))

static unsigned nr_found;

static uint32_t cfg32(struct uk_virtio_dev *vd, unsigned off)
{
	uint32_t v = 0;

	vd->ops->config_read(vd, off, &v, 4);
	return v;
}

int uk_virtioblk_probe(struct uk_virtio_dev *vd);
int uk_virtioblk_probe(struct uk_virtio_dev *vd)
{
	uint64_t req = parse_mask(uk_boot_param("virtioblk.require"));
	uint64_t cap512 = 0, offered;
	int rc;

	rc = uk_virtio_negotiate(vd, SUPPORTED, req);
	if (rc < 0)
		return rc;
	offered = vd->ops->get_features(vd);
	if (vd->legacy)
		offered &= 0xffffffffull;

	struct vblk *vb = calloc(1, sizeof(*vb));
	if (!vb) {
		uk_virtio_fail(vd);
		return -ENOMEM;
	}
	vb->vd = vd;
	vd->drv = vb;
	vb->ss = 512;
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = cfg32(vd, 20);
		if (bs >= 512 && bs <= 65536 && !(bs & (bs - 1)))
			vb->ss = bs;
		else
			uk_pr_warn("virtio-blk %s: block size %u is not a "
				   "power of two in 512..65536: using 512",
				   vd->name, bs);
	}
	while ((512u << vb->shift) < vb->ss)
		vb->shift++;
	vd->ops->config_read(vd, 0, &cap512, 8);
	vb->sectors = cap512 >> vb->shift;
	vb->max_sectors = MAX_REQ_BYTES / vb->ss;
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_SIZE_MAX)) {
		uint32_t sm = cfg32(vd, 8) / vb->ss;
		if (sm && sm < vb->max_sectors)
			vb->max_sectors = sm;
	}
	vb->features = 0;
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_RO))
		vb->features |= UK_BLKDEV_F_RO;
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_FLUSH))
		vb->features |= UK_BLKDEV_F_FLUSH;
	if (vd->irq >= 0)
		vb->features |= UK_BLKDEV_F_INTR;
	uint32_t dz = 0;
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_DISCARD)) {
		dz = cfg32(vd, 36) >> vb->shift;
		if (dz)
			vb->features |= UK_BLKDEV_F_DISCARD;
	}
	if (uk_virtio_has(vd, UK_VIRTIO_BLK_F_WRITE_ZEROES)) {
		uint32_t wz = cfg32(vd, 48) >> vb->shift;
		if (wz) {
			vb->features |= UK_BLKDEV_F_WRITE_ZEROES;
			dz = (dz && dz < wz) ? dz : wz;
		}
	}
	vb->max_dz_sectors = dz;
	vb->qmax = vd->ops->queue_max(vd, REQ_Q);
	if (vb->qmax < 3) {
		uk_pr_err("virtio-blk %s: request queue has %u entries (at "
			  "least 3 needed): device set FAILED",
			  vd->name, vb->qmax);
		uk_virtio_fail(vd);
		free(vb);
		return -EIO;
	}
	if (nr_found >= 26) {
		uk_pr_err("virtio-blk %s: more than 26 disks: ignored",
			  vd->name);
		uk_virtio_fail(vd);
		free(vb);
		return -ENOSPC;
	}
	snprintf(vb->name, sizeof(vb->name), "vd%c", 'a' + nr_found);
	snprintf(vb->desc, sizeof(vb->desc), "virtio-blk@%s", vd->name);

	char feats[512], left[512];
	uk_virtio_features_str(vd->device_id, vd->features, feats,
			       sizeof(feats));
	uk_virtio_features_str(vd->device_id, offered & ~vd->features, left,
			       sizeof(left));
	uk_pr_info("%s (%s): %s, %llu sectors of %u bytes (%llu MiB)%s, "
		   "irq %d, features: %s; offered, not used: %s",
		   vb->name, vb->desc, vd->transport,
		   (unsigned long long)vb->sectors, vb->ss,
		   (unsigned long long)((vb->sectors * vb->ss) >> 20),
		   (vb->features & UK_BLKDEV_F_RO) ? ", read-only" : "",
		   vd->irq, feats, left[0] ? left : "-");

	struct uk_blkdev *bd = &vb->bd;
	bd->ops = &vb_ops;
	bd->name = vb->name;
	bd->desc = vb->desc;
	bd->priv = vb;
	rc = uk_blkdev_register(bd);
	if (rc < 0) {
		uk_pr_err("%s: uk_blkdev_register: %d", vb->name, rc);
		uk_virtio_fail(vd);
		free(vb);
		return rc;
	}
	nr_found++;
	return 0;
}

static struct uk_virtio_driver vb_driver = {
	.name = "virtio-blk",
	.device_id = UK_VIRTIO_ID_BLK,
	.probe = uk_virtioblk_probe,
};

static int vb_register(void)
{
	uk_virtio_driver_register(&vb_driver);
	return 0;
}
uk_early_initcall(vb_register);
