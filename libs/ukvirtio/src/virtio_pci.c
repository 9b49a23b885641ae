/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-pci transports: modern (virtio 1.0: common/notify/ISR/device
 * configuration structures in memory BARs, found through vendor
 * capabilities) and legacy (everything in I/O BAR 0; transitional devices,
 * e.g. QEMU's virtio-net-pci with disable-modern=on). A transitional device
 * with the capabilities is driven as modern.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/init.h>
#include <uk/pci.h>
#include <uk/plat/io.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>

#define VENDOR_VIRTIO 0x1af4

/* modern: common configuration structure */
#define C_DFSELECT    0x00
#define C_DF	      0x04
#define C_GFSELECT    0x08
#define C_GF	      0x0c
#define C_MSIX	      0x10
#define C_NUMQ	      0x12
#define C_STATUS      0x14
#define C_GEN	      0x15
#define C_Q_SELECT    0x16
#define C_Q_SIZE      0x18
#define C_Q_MSIX      0x1a
#define C_Q_ENABLE    0x1c
#define C_Q_NOTIFYOFF 0x1e
#define C_Q_DESC      0x20
#define C_Q_DRIVER    0x28
#define C_Q_DEVICE    0x30
#define NO_VECTOR     0xffff

/* capability structure types */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR	   3
#define CAP_DEVICE 4

/* legacy: I/O BAR 0 */
#define L_HOSTF	   0x00
#define L_GUESTF   0x04
#define L_Q_PFN	   0x08
#define L_Q_SIZE   0x0c
#define L_Q_SELECT 0x0e
#define L_Q_NOTIFY 0x10
#define L_STATUS   0x12
#define L_ISR	   0x13
#define L_CONFIG   0x14 /* without MSI-X */

struct vpci {
	struct uk_virtio_dev vdev;
	struct uk_pci_dev *pci;
	volatile uint8_t *common, *isr, *devcfg, *notify;
	uint32_t notify_mult, notify_len, devcfg_len;
	uint16_t io; /* legacy */
};

#define VP(d) ((struct vpci *)(d)->tp)

static inline uint8_t r8(volatile uint8_t *b, unsigned o)
{
	return *(volatile uint8_t *)(b + o);
}
static inline uint16_t r16(volatile uint8_t *b, unsigned o)
{
	return *(volatile uint16_t *)(b + o);
}
static inline uint32_t r32(volatile uint8_t *b, unsigned o)
{
	return *(volatile uint32_t *)(b + o);
}
static inline void w8(volatile uint8_t *b, unsigned o, uint8_t v)
{
	*(volatile uint8_t *)(b + o) = v;
}
static inline void w16(volatile uint8_t *b, unsigned o, uint16_t v)
{
	*(volatile uint16_t *)(b + o) = v;
}
static inline void w32(volatile uint8_t *b, unsigned o, uint32_t v)
{
	*(volatile uint32_t *)(b + o) = v;
}
static inline void w64(volatile uint8_t *b, unsigned o, uint64_t v)
{
	w32(b, o, (uint32_t)v);
	w32(b, o + 4, (uint32_t)(v >> 32));
}

/* ---- modern ---- */

static uint64_t m_get_features(struct uk_virtio_dev *d)
{
	volatile uint8_t *c = VP(d)->common;
	w32(c, C_DFSELECT, 0);
	uint64_t lo = r32(c, C_DF);
	w32(c, C_DFSELECT, 1);
	return lo | ((uint64_t)r32(c, C_DF) << 32);
}

static void m_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	volatile uint8_t *c = VP(d)->common;
	w32(c, C_GFSELECT, 0);
	w32(c, C_GF, (uint32_t)f);
	w32(c, C_GFSELECT, 1);
	w32(c, C_GF, (uint32_t)(f >> 32));
}

static uint8_t m_get_status(struct uk_virtio_dev *d)
{
	return r8(VP(d)->common, C_STATUS);
}

static void m_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	w8(VP(d)->common, C_STATUS, s);
}

static void m_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			  unsigned len)
{
	struct vpci *p = VP(d);
	uint8_t *out = buf;

	if (!p->devcfg || off > p->devcfg_len || len > p->devcfg_len - off) {
		memset(buf, 0, len);
		return;
	}
	for (int tries = 0; tries < 100; tries++) {
		uint8_t gen = r8(p->common, C_GEN);
		for (unsigned i = 0; i < len; i++)
			out[i] = r8(p->devcfg, off + i);
		if (r8(p->common, C_GEN) == gen)
			return;
	}
}

static uint16_t m_queue_max(struct uk_virtio_dev *d, uint16_t idx)
{
	volatile uint8_t *c = VP(d)->common;
	if (idx >= r16(c, C_NUMQ))
		return 0;
	w16(c, C_Q_SELECT, idx);
	return r16(c, C_Q_SIZE);
}

static int m_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	struct vpci *p = VP(d);
	volatile uint8_t *c = p->common;

	w16(c, C_Q_SELECT, vq->index);
	w16(c, C_Q_SIZE, vq->num);
	w16(c, C_Q_MSIX, NO_VECTOR);
	w64(c, C_Q_DESC, (uint64_t)(uintptr_t)vq->desc);
	w64(c, C_Q_DRIVER, (uint64_t)(uintptr_t)vq->avail);
	w64(c, C_Q_DEVICE, (uint64_t)(uintptr_t)vq->used);
	/* 16 x 32 bits: computed in 64, so that no product wraps into the
	 * area */
	uint64_t off = (uint64_t)r16(c, C_Q_NOTIFYOFF) * p->notify_mult;
	if (off + 2 > p->notify_len) {
		uk_pr_err("virtio %s: queue %u notify offset %llu beyond the "
			  "notification area (%u bytes)",
			  d->name, vq->index, (unsigned long long)off,
			  p->notify_len);
		return -EIO;
	}
	vq->notify = (uintptr_t)(p->notify + off);
	w16(c, C_Q_ENABLE, 1);
	return 0;
}

static void m_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	*(volatile uint16_t *)vq->notify = vq->index;
}

static uint8_t m_isr_ack(struct uk_virtio_dev *d)
{
	return r8(VP(d)->isr, 0); /* reading clears it */
}

static const struct uk_virtio_ops modern_ops = {
	.get_features = m_get_features,
	.set_features = m_set_features,
	.get_status = m_get_status,
	.set_status = m_set_status,
	.config_read = m_config_read,
	.queue_max = m_queue_max,
	.queue_enable = m_queue_enable,
	.notify = m_notify,
	.isr_ack = m_isr_ack,
};

/* ---- legacy ---- */

static uint64_t l_get_features(struct uk_virtio_dev *d)
{
	return uk_pci_inl(VP(d)->io + L_HOSTF);
}

static void l_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	uk_pci_outl(VP(d)->io + L_GUESTF, (uint32_t)f);
}

static uint8_t l_get_status(struct uk_virtio_dev *d)
{
	return uk_pci_inb(VP(d)->io + L_STATUS);
}

static void l_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	uk_pci_outb(VP(d)->io + L_STATUS, s);
}

static void l_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			  unsigned len)
{
	struct vpci *p = VP(d);
	uint8_t *out = buf;
	unsigned size = (unsigned)p->pci->bar[0].size;

	if (L_CONFIG + off > size || len > size - L_CONFIG - off) {
		memset(buf, 0, len);
		return;
	}
	for (unsigned i = 0; i < len; i++)
		out[i] = uk_pci_inb((uint16_t)(p->io + L_CONFIG + off + i));
}

static uint16_t l_queue_max(struct uk_virtio_dev *d, uint16_t idx)
{
	uk_pci_outw(VP(d)->io + L_Q_SELECT, idx);
	return uk_pci_inw(VP(d)->io + L_Q_SIZE);
}

static int l_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	struct vpci *p = VP(d);
	uint64_t pa = (uint64_t)(uintptr_t)vq->desc;

	if (pa >> (32 + 12)) {
		uk_pr_err("virtio %s: ring above 16 TiB", d->name);
		return -EIO;
	}
	uk_pci_outw(p->io + L_Q_SELECT, vq->index);
	uk_pci_outl(p->io + L_Q_PFN, (uint32_t)(pa >> 12));
	vq->notify = p->io + L_Q_NOTIFY;
	return 0;
}

static void l_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	uk_pci_outw((uint16_t)vq->notify, vq->index);
}

static uint8_t l_isr_ack(struct uk_virtio_dev *d)
{
	return uk_pci_inb(VP(d)->io + L_ISR);
}

static const struct uk_virtio_ops legacy_ops = {
	.get_features = l_get_features,
	.set_features = l_set_features,
	.get_status = l_get_status,
	.set_status = l_set_status,
	.config_read = l_config_read,
	.queue_max = l_queue_max,
	.queue_enable = l_queue_enable,
	.notify = l_notify,
	.isr_ack = l_isr_ack,
};

/* ---- probe ---- */

/* A virtio PCI capability (virtio 1.x 4.1.4): cfg_type, bar, offset,
 * length; notify adds the multiplier. */
struct vcap {
	uint8_t type, bar;
	uint32_t off, len, mult;
};

/* Read the capability at `cap` (its bytes checked by ukpci against the
 * configuration space and its cap_len); -1 if unusable. */
static int cap_get(struct uk_pci_dev *pd, unsigned cap, struct vcap *c)
{
	uint8_t raw[20];

	if (uk_pci_vendor_cap_read(pd, cap, raw, 16) < 0)
		return -1;
	c->type = raw[3];
	c->bar = raw[4];
	memcpy(&c->off, raw + 8, 4);
	memcpy(&c->len, raw + 12, 4);
	c->mult = 0;
	if (c->type == CAP_NOTIFY) {
		if (uk_pci_vendor_cap_read(pd, cap, raw, 20) < 0)
			return -1;
		memcpy(&c->mult, raw + 16, 4);
	}
	return 0;
}

/* Map the structure a capability points to; NULL if unusable. */
static volatile uint8_t *cap_map(struct uk_pci_dev *pd, const struct vcap *c,
				 uint32_t *lenp)
{
	uint8_t bar = c->bar;
	uint32_t off = c->off, len = c->len;

	if (bar > 5 || (pd->bar[bar].type != UK_PCI_BAR_MEM32 &&
			pd->bar[bar].type != UK_PCI_BAR_MEM64)) {
		uk_pr_warn("pci%u:%u.%u: virtio capability in BAR %u, not a "
			   "memory BAR",
			   pd->bus, pd->dev, pd->fn, bar);
		return NULL;
	}
	if (!len || (uint64_t)off + len > pd->bar[bar].size) {
		uk_pr_warn("pci%u:%u.%u: virtio structure %#x+%#x outside "
			   "BAR %u (%#llx bytes)",
			   pd->bus, pd->dev, pd->fn, off, len, bar,
			   (unsigned long long)pd->bar[bar].size);
		return NULL;
	}
	void *va = ukplat_mmio_map(pd->bar[bar].addr + off, len);
	if (!va) {
		uk_pr_warn("pci%u:%u.%u: BAR %u at %#llx cannot be mapped",
			   pd->bus, pd->dev, pd->fn, bar,
			   (unsigned long long)pd->bar[bar].addr);
		return NULL;
	}
	if (lenp)
		*lenp = len;
	return va;
}

static int modern_caps(struct vpci *p)
{
	struct uk_pci_dev *pd = p->pci;
	unsigned cap = 0;
	uint32_t len;
	struct vcap c;

	/* (uk_pci_find_cap ends on loops and bad pointers; 48 is the most
	 * capabilities a 256-byte space holds) */
	for (int n = 0; n < 48; n++) {
		cap = uk_pci_find_cap(pd, UK_PCI_CAP_VENDOR, cap);
		if (!cap)
			break;
		if (cap_get(pd, cap, &c) < 0)
			continue;
		switch (c.type) {
		case CAP_COMMON:
			if (!p->common)
				p->common = cap_map(pd, &c, &len);
			if (p->common && len < 0x38)
				p->common = NULL;
			break;
		case CAP_NOTIFY:
			if (!p->notify) {
				p->notify = cap_map(pd, &c, &p->notify_len);
				p->notify_mult = c.mult;
			}
			break;
		case CAP_ISR:
			if (!p->isr)
				p->isr = cap_map(pd, &c, NULL);
			break;
		case CAP_DEVICE:
			if (!p->devcfg)
				p->devcfg = cap_map(pd, &c, &p->devcfg_len);
			break;
		}
	}
	return p->common && p->notify && p->isr;
}

static int vpci_probe(struct uk_pci_dev *pd)
{
	uint16_t devid;

	if (pd->device_id >= 0x1040 && pd->device_id <= 0x107f)
		devid = pd->device_id - 0x1040;
	else if (pd->device_id >= 0x1000 && pd->device_id <= 0x103f)
		devid = pd->subsys_id; /* transitional */
	else
		return -ENODEV;

	struct vpci *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pci = pd;
	struct uk_virtio_dev *d = &p->vdev;
	d->tp = p;
	d->device_id = devid;
	uk_pci_name(pd, d->name, sizeof(d->name));
	if (modern_caps(p)) {
		d->ops = &modern_ops;
		d->legacy = 0;
		d->transport = "pci-modern";
		uk_pci_enable(pd, UK_PCI_CMD_MEM | UK_PCI_CMD_MASTER);
	} else if (pd->device_id < 0x1040 && pd->bar[0].type == UK_PCI_BAR_IO &&
		   pd->bar[0].size >= 0x14) {
		p->io = (uint16_t)pd->bar[0].addr;
		d->ops = &legacy_ops;
		d->legacy = 1;
		d->qsize_fixed = 1;
		d->transport = "pci-legacy";
		uk_pci_enable(pd, UK_PCI_CMD_IO | UK_PCI_CMD_MASTER);
	} else {
		uk_pr_err("virtio %s: neither usable modern capabilities nor a "
			  "legacy I/O BAR 0: device ignored",
			  d->name);
		free(p);
		return -ENODEV;
	}
	/* INTx: the interrupt line register holds what the firmware routed
	 * (on QEMU pc and q35: the IOAPIC input, 5/9/10/11); level-triggered
	 * (QEMU's IOAPIC ignores the polarity bit). MSI-X stays off. */
	if (pd->irq_pin && pd->irq_line && pd->irq_line < 0xff) {
		d->irq = pd->irq_line;
		d->irq_mode = UKPLAT_IRQ_LEVEL_LOW;
	} else {
		d->irq = -1;
	}
	uk_pr_info("virtio %s: %04x:%04x, device ID %u, %s, irq %d", d->name,
		   pd->vendor_id, pd->device_id, devid, d->transport, d->irq);
	int rc = uk_virtio_dev_found(d);
	if (rc < 0) {
		free(p);
		return rc;
	}
	pd->driver_priv = d;
	return 0;
}

static const struct uk_pci_id vpci_ids[] = {{VENDOR_VIRTIO, UK_PCI_ANY_ID},
					    {0, 0}};
static struct uk_pci_driver vpci_driver = {
	.name = "virtio-pci", .ids = vpci_ids, .probe = vpci_probe};

static int vpci_register(void)
{
	uk_pci_driver_register(&vpci_driver);
	return 0;
}
uk_early_initcall(vpci_register);
