/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-9p transport for uk9p: one request queue (0), one request in
 * flight, replies waited for by halting until the interrupt or by
 * polling, bounded by a timeout. The device's mount tag comes from its
 * configuration space and is checked before it is used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/9p.h>
#include <uk/boot.h>
#include <uk/init.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include <uk/virtio9p.h>

#define REQ_Q	  0
#define TAG_MAX	  63
#define MAX_MSIZE (1u << 20)

struct v9p {
	struct uk_9p_trans tr;
	struct uk_virtio_dev *vd;
	struct uk_virtq vq;
	volatile int event;
	int intr, failed;
	uint64_t timeout_ns;
	uint64_t requests, notifies, interrupts;
	char tag[TAG_MAX + 1];
	char desc[48];
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#endif
}

static int v9p_request(struct uk_9p_trans *tr, struct uk_9p_io *io)
{
	struct v9p *v = tr->priv;
	struct uk_virtq_seg seg[4];
	unsigned nout = 0, nin = 0;
	uint64_t deadline;
	uint32_t len;
	void *done;
	int rc;

	if (v->failed)
		return -EIO;
	seg[nout++] = (struct uk_virtq_seg){(void *)io->t, io->tlen};
	if (io->tdatalen)
		seg[nout++] =
			(struct uk_virtq_seg){(void *)io->tdata, io->tdatalen};
	seg[nout + nin++] = (struct uk_virtq_seg){io->r, io->rlen};
	if (io->rdatalen)
		seg[nout + nin++] =
			(struct uk_virtq_seg){io->rdata, io->rdatalen};
	v->event = 0;
	rc = uk_virtq_add(&v->vq, seg, nout, nin, v);
	if (rc < 0) {
		uk_pr_err("%s: request not queued (%d)", v->desc, rc);
		return -EIO;
	}
	v->requests++;
	if (uk_virtq_kick(&v->vq))
		v->notifies++;
	deadline = ukplat_monotonic_clock() + v->timeout_ns;
	while (!(done = uk_virtq_get(&v->vq, &len))) {
		if (ukplat_monotonic_clock() > deadline) {
			uk_pr_err(
				"%s: no reply within %llu ms: transport "
				"disabled",
				v->desc,
				(unsigned long long)(v->timeout_ns / 1000000));
			v->failed = 1;
			return -ETIMEDOUT;
		}
		if (v->intr) {
			ukplat_halt_until_or(deadline, &v->event);
			v->event = 0;
		} else {
			cpu_relax();
		}
	}
	if (done != v) {
		uk_pr_err("%s: completion of an unknown request", v->desc);
		v->failed = 1;
		return -EIO;
	}
	io->rgot = len;
	return 0;
}

static const struct uk_9p_trans_ops v9p_ops = {.request = v9p_request};

int uk_virtio9p_irq(void *arg);
int uk_virtio9p_irq(void *arg)
{
	struct v9p *v = arg;
	uint8_t isr = v->vd->ops->isr_ack(v->vd);

	if (!isr)
		return 0; /* a shared line: not ours */
	if (isr & UK_VIRTIO_ISR_QUEUE) {
		v->interrupts++;
		v->event = 1;
	}
	return 1;
}

int uk_virtio9p_describe(struct uk_9p_trans *t, char *buf, size_t len)
{
	if (!t || t->ops != &v9p_ops || !len)
		return -ENODEV;
	struct v9p *v = t->priv;
	snprintf(buf, len,
		 "%s, %s, irq %d, %s, %llu requests, %llu notifications, "
		 "%llu interrupts",
		 v->desc, v->vd->transport, v->vd->irq,
		 v->intr ? "interrupts" : "polling",
		 (unsigned long long)v->requests,
		 (unsigned long long)v->notifies,
		 (unsigned long long)v->interrupts);
	return 0;
}

static uint64_t param_num(const char *name, uint64_t def)
{
	const char *s = uk_boot_param(name);
	uint64_t v = 0;

	if (!s)
		return def;
	for (int i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i > 12) {
			uk_pr_err("%s=%s: not a number: %llu used", name, s,
				  (unsigned long long)def);
			return def;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

#define SUPPORTED                                  \
	(UK_VIRTIO_BIT(UK_VIRTIO_9P_F_MOUNT_TAG) | \
	 UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1))

int uk_virtio9p_probe(struct uk_virtio_dev *vd);
int uk_virtio9p_probe(struct uk_virtio_dev *vd)
{
	uint16_t tlen = 0;
	struct v9p *v;
	int rc;

	rc = uk_virtio_negotiate(vd, SUPPORTED,
				 UK_VIRTIO_BIT(UK_VIRTIO_9P_F_MOUNT_TAG));
	if (rc < 0)
		return rc;
	v = calloc(1, sizeof(*v));
	if (!v) {
		uk_virtio_fail(vd);
		return -ENOMEM;
	}
	v->vd = vd;
	vd->drv = v;
	vd->ops->config_read(vd, 0, &tlen, 2);
	if (!tlen || tlen > TAG_MAX) {
		uk_pr_err("virtio-9p %s: mount tag of %u bytes (1..%u "
			  "allowed): device set FAILED",
			  vd->name, tlen, TAG_MAX);
		goto fail;
	}
	vd->ops->config_read(vd, 2, v->tag, tlen);
	v->tag[tlen] = 0;
	for (unsigned i = 0; i < tlen; i++) {
		unsigned char ch = (unsigned char)v->tag[i];
		if (ch <= ' ' || ch >= 0x7f || ch == ':') {
			uk_pr_err("virtio-9p %s: mount tag with byte %#x at "
				  "%u: device set FAILED",
				  vd->name, ch, i);
			goto fail;
		}
	}
	snprintf(v->desc, sizeof(v->desc), "virtio-9p@%s", vd->name);
	rc = uk_virtio_queue_setup(vd, &v->vq, REQ_Q, 0);
	if (rc < 0 || v->vq.num < 4) {
		uk_pr_err("%s: request queue not set up (%d)", v->desc, rc);
		goto fail;
	}
	v->timeout_ns = param_num("virtio9p.timeout_ms", 60000) * 1000000ull;
	if (!v->timeout_ns)
		v->timeout_ns = 1000000ull;
	uk_virtq_intr_disable(&v->vq);
	if (vd->irq >= 0 && !param_num("virtio9p.poll", 0)) {
		rc = uk_virtio_irq_register(vd, uk_virtio9p_irq, v);
		if (rc < 0) {
			uk_pr_warn("%s: interrupt line %d cannot be used (%d): "
				   "polling",
				   v->desc, vd->irq, rc);
		} else {
			v->intr = 1;
			uk_virtq_intr_enable(&v->vq);
		}
	}
	uk_virtio_driver_ok(vd);
	v->tr.ops = &v9p_ops;
	v->tr.tag = v->tag;
	v->tr.desc = v->desc;
	v->tr.max_msize = MAX_MSIZE;
	v->tr.priv = v;
	rc = uk_9p_trans_register(&v->tr);
	if (rc < 0) {
		uk_pr_err("%s: mount tag '%s' registered twice: device "
			  "ignored",
			  v->desc, v->tag);
		uk_virtio_reset(vd);
		uk_virtq_free(&v->vq);
		free(v);
		return rc;
	}
	uk_pr_info("%s: mount tag '%s', %s, irq %d, %s", v->desc, v->tag,
		   vd->transport, vd->irq, v->intr ? "interrupts" : "polling");
	return 0;
fail:
	uk_virtio_fail(vd);
	free(v);
	return -EIO;
}

static struct uk_virtio_driver v9p_driver = {
	.name = "virtio-9p",
	.device_id = UK_VIRTIO_ID_9P,
	.probe = uk_virtio9p_probe,
};

static int v9p_register(void)
{
	uk_virtio_driver_register(&v9p_driver);
	return 0;
}
uk_early_initcall(v9p_register);
