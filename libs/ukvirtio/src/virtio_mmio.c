/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transport, version 2 (virtio 1.x) and legacy version 1, for
 * the devices named by `virtio_mmio.device=SIZE@BASE:IRQ` library
 * parameters (QEMU microvm appends one per transport with a device).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/boot.h>
#include <uk/init.h>
#include <uk/pci.h>
#include <uk/plat/devices.h>
#include <uk/plat/io.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>

#define MAGIC	       0x000
#define VERSION	       0x004
#define DEVICE_ID      0x008
#define DEV_FEATURES   0x010
#define DEV_FEAT_SEL   0x014
#define DRV_FEATURES   0x020
#define DRV_FEAT_SEL   0x024
#define GUEST_PAGESIZE 0x028 /* v1 */
#define Q_SEL	       0x030
#define Q_NUM_MAX      0x034
#define Q_NUM	       0x038
#define Q_ALIGN	       0x03c /* v1 */
#define Q_PFN	       0x040 /* v1 */
#define Q_READY	       0x044 /* v2 */
#define Q_NOTIFY       0x050
#define INT_STATUS     0x060
#define INT_ACK	       0x064
#define STATUS	       0x070
#define Q_DESC	       0x080
#define Q_DRIVER       0x090
#define Q_DEVICE       0x0a0
#define CONFIG_GEN     0x0fc
#define CONFIG	       0x100

#define MMIO_MAX_DEVICES 32

struct vmmio {
	struct uk_virtio_dev vdev;
	volatile uint8_t *regs;
	uint64_t size;
	unsigned version;
};

#define VM(d) ((struct vmmio *)(d)->tp)

static inline uint32_t rd(struct uk_virtio_dev *d, unsigned o)
{
	return *(volatile uint32_t *)(VM(d)->regs + o);
}
static inline void wr(struct uk_virtio_dev *d, unsigned o, uint32_t v)
{
	*(volatile uint32_t *)(VM(d)->regs + o) = v;
}

static uint64_t mm_get_features(struct uk_virtio_dev *d)
{
	wr(d, DEV_FEAT_SEL, 0);
	uint64_t f = rd(d, DEV_FEATURES);
	if (VM(d)->version >= 2) {
		wr(d, DEV_FEAT_SEL, 1);
		f |= (uint64_t)rd(d, DEV_FEATURES) << 32;
	}
	return f;
}

static void mm_set_features(struct uk_virtio_dev *d, uint64_t f)
{
	wr(d, DRV_FEAT_SEL, 0);
	wr(d, DRV_FEATURES, (uint32_t)f);
	if (VM(d)->version >= 2) {
		wr(d, DRV_FEAT_SEL, 1);
		wr(d, DRV_FEATURES, (uint32_t)(f >> 32));
	}
}

static uint8_t mm_get_status(struct uk_virtio_dev *d)
{
	return (uint8_t)rd(d, STATUS);
}

static void mm_set_status(struct uk_virtio_dev *d, uint8_t s)
{
	wr(d, STATUS, s);
	if (!s && VM(d)->version == 1)
		wr(d, GUEST_PAGESIZE, UK_VIRTQ_ALIGN); /* after a reset */
}

static void mm_config_read(struct uk_virtio_dev *d, unsigned off, void *buf,
			   unsigned len)
{
	struct vmmio *m = VM(d);
	uint8_t *out = buf;

	if (off > m->size - CONFIG || len > m->size - CONFIG - off) {
		for (unsigned i = 0; i < len; i++)
			out[i] = 0;
		return;
	}
	for (int tries = 0; tries < 100; tries++) {
		uint32_t gen = m->version >= 2 ? rd(d, CONFIG_GEN) : 0;
		for (unsigned i = 0; i < len; i++)
			out[i] = *(volatile uint8_t *)(m->regs + CONFIG + off +
						       i);
		if (m->version < 2 || rd(d, CONFIG_GEN) == gen)
			return;
	}
}

static uint16_t mm_queue_max(struct uk_virtio_dev *d, uint16_t idx)
{
	wr(d, Q_SEL, idx);
	uint32_t n = rd(d, Q_NUM_MAX);
	return n > UK_VIRTQ_MAX_SIZE ? UK_VIRTQ_MAX_SIZE : (uint16_t)n;
}

static int mm_queue_enable(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	wr(d, Q_SEL, vq->index);
	wr(d, Q_NUM, vq->num);
	if (VM(d)->version == 1) {
		uint64_t pa = (uint64_t)(uintptr_t)vq->desc;
		wr(d, Q_ALIGN, UK_VIRTQ_ALIGN);
		wr(d, Q_PFN, (uint32_t)(pa / UK_VIRTQ_ALIGN));
	} else {
		uint64_t a = (uint64_t)(uintptr_t)vq->desc;
		wr(d, Q_DESC, (uint32_t)a);
		wr(d, Q_DESC + 4, (uint32_t)(a >> 32));
		a = (uint64_t)(uintptr_t)vq->avail;
		wr(d, Q_DRIVER, (uint32_t)a);
		wr(d, Q_DRIVER + 4, (uint32_t)(a >> 32));
		a = (uint64_t)(uintptr_t)vq->used;
		wr(d, Q_DEVICE, (uint32_t)a);
		wr(d, Q_DEVICE + 4, (uint32_t)(a >> 32));
		wr(d, Q_READY, 1);
	}
	vq->notify = (uintptr_t)(VM(d)->regs + Q_NOTIFY);
	return 0;
}

static void mm_notify(struct uk_virtio_dev *d, struct uk_virtq *vq)
{
	(void)d;
	*(volatile uint32_t *)vq->notify = vq->index;
}

static uint8_t mm_isr_ack(struct uk_virtio_dev *d)
{
	uint32_t s = rd(d, INT_STATUS);
	if (s)
		wr(d, INT_ACK, s);
	return (uint8_t)s;
}

static const struct uk_virtio_ops mmio_ops = {
	.get_features = mm_get_features,
	.set_features = mm_set_features,
	.get_status = mm_get_status,
	.set_status = mm_set_status,
	.config_read = mm_config_read,
	.queue_max = mm_queue_max,
	.queue_enable = mm_queue_enable,
	.notify = mm_notify,
	.isr_ack = mm_isr_ack,
};

static void mmio_probe_at(const char *val, uint64_t base, uint64_t size,
			  unsigned irq, int irq_mode);

static void mmio_probe(const char *val)
{
	uint64_t base, size;
	unsigned irq;
	const char *why;

	if (uk_virtio_mmio_parse(val, &base, &size, &irq, &why) < 0) {
		uk_pr_err("virtio_mmio.device=%s: %s: ignored", val, why);
		return;
	}
	mmio_probe_at(val, base, size, irq, UKPLAT_IRQ_LEVEL_LOW);
}

static void mmio_probe_at(const char *val, uint64_t base, uint64_t size,
			  unsigned irq, int irq_mode)
{
	volatile uint8_t *regs = ukplat_mmio_map(base, (size_t)size);
	if (!regs) {
		uk_pr_err("virtio_mmio.device=%s: registers at %#llx cannot "
			  "be mapped: ignored",
			  val, (unsigned long long)base);
		return;
	}
	uint32_t magic = *(volatile uint32_t *)(regs + MAGIC);
	uint32_t ver = *(volatile uint32_t *)(regs + VERSION);
	uint32_t id = *(volatile uint32_t *)(regs + DEVICE_ID);
	if (magic != 0x74726976) {
		uk_pr_err("virtio_mmio.device=%s: no virtio-mmio magic at "
			  "%#llx (%#x): ignored",
			  val, (unsigned long long)base, magic);
		return;
	}
	if (ver != 1 && ver != 2) {
		uk_pr_err("virtio_mmio.device=%s: version %u not supported "
			  "(1 and 2 are): ignored",
			  val, ver);
		return;
	}
	if (id == 0)
		return; /* a transport without a device behind it */
	struct vmmio *m = calloc(1, sizeof(*m));
	if (!m) {
		uk_pr_err("virtio-mmio: out of memory");
		return;
	}
	m->regs = regs;
	m->size = size;
	m->version = ver;
	struct uk_virtio_dev *d = &m->vdev;
	d->tp = m;
	d->ops = &mmio_ops;
	d->device_id = (uint16_t)id;
	d->legacy = ver == 1;
	d->transport = ver == 1 ? "mmio-v1 (legacy)" : "mmio-v2";
	d->irq = (int)irq;
	/* the line follows the interrupt status (level); QEMU's IOAPIC
	 * ignores polarity; a device tree says which */
	d->irq_mode = irq_mode;
	snprintf(d->name, sizeof(d->name), "mmio@%#llx",
		 (unsigned long long)base);
	uk_pr_info("virtio %s: device ID %u, %s, irq %u", d->name, id,
		   d->transport, irq);
	if (uk_virtio_dev_found(d) < 0)
		free(m);
}

/*
 * QEMU's microvm appends virtio_mmio.device= words only without ACPI
 * (acpi=off: 8 transports on IRQs 5-12); with ACPI (the default) it
 * describes them in the DSDT instead, which we do not parse. So: without
 * parameters and without a PCI host bridge (microvm, not q35/pc, where this
 * range may hold PCI BARs), look at microvm's transports, 512 bytes each
 * from 0xfeb00000: 8 on GSIs 16-23 (ioapic2=off), or 24 on GSIs 24-47 of
 * the second IOAPIC (ioapic2, the default), which the kvm platform does not
 * drive: those devices work polled only.
 */
#define MICROVM_MMIO_BASE 0xfeb00000ull
#define MICROVM_MMIO_MAX  24

static void microvm_scan(void)
{
	uk_pci_outl(0xcf8, 0x80000000u);
	if ((uk_pci_inl(0xcfc) & 0xffff) != 0xffff)
		return; /* a PCI bus: not microvm */
	volatile uint32_t *r =
		ukplat_mmio_map(MICROVM_MMIO_BASE, MICROVM_MMIO_MAX * 512);
	if (!r)
		return;
	unsigned n = 0;
	while (n < MICROVM_MMIO_MAX && r[n * 128] == 0x74726976)
		n++;
	if (!n)
		return;
	unsigned irq_base = n > 8 ? 24 : 16;
	uk_pr_info("virtio-mmio: no virtio_mmio.device parameter; %u microvm "
		   "transports at %#llx, IRQs from %u",
		   n, MICROVM_MMIO_BASE, irq_base);
	/* QEMU plugs the first -device into the last transport: downwards,
	 * devices are found in command-line order (the first disk is vda) */
	for (unsigned i = n; i-- > 0;)
		if (r[i * 128 + DEVICE_ID / 4])
			mmio_probe_at("(microvm scan)",
				      MICROVM_MMIO_BASE + 512ull * i, 512,
				      irq_base + i, UKPLAT_IRQ_LEVEL_LOW);
}

/* The transports the firmware describes (a device tree's "virtio,mmio"
 * nodes); -ENODEV when the platform has no such description. */
static int firmware_devices(void)
{
	struct ukplat_mmio_device md;
	unsigned i;
	int rc = 0;

	for (i = 0; i < MMIO_MAX_DEVICES; i++) {
		rc = ukplat_mmio_device("virtio,mmio", i, &md);
		if (rc == -ENOENT || rc == -ENODEV)
			break;
		if (rc < 0) {
			uk_pr_err("virtio-mmio: transport %u of the firmware's "
				  "description is malformed: ignored",
				  i);
			continue;
		}
		mmio_probe_at("(device tree)", md.base, md.size, md.irq,
			      md.irq_mode);
	}
	if (i == MMIO_MAX_DEVICES &&
	    ukplat_mmio_device("virtio,mmio", i, &md) != -ENOENT)
		uk_pr_warn("more than %d virtio-mmio transports described: the "
			   "rest ignored",
			   MMIO_MAX_DEVICES);
	return rc == -ENODEV && i == 0 ? -ENODEV : 0;
}

static int mmio_init(void)
{
	for (unsigned i = 0; i < MMIO_MAX_DEVICES; i++) {
		const char *v = uk_boot_param_nth("virtio_mmio.device", i);
		if (!v) {
			if (i == 0 && firmware_devices() == -ENODEV &&
			    ukplat_ioport_access())
				microvm_scan();
			return 0;
		}
		mmio_probe(v);
	}
	if (uk_boot_param_nth("virtio_mmio.device", MMIO_MAX_DEVICES))
		uk_pr_warn("more than %d virtio_mmio.device parameters: the "
			   "rest ignored",
			   MMIO_MAX_DEVICES);
	return 0;
}
/* after PCI (LIB 1), before libraries at the default priority */
UK_INIT_CLASS(mmio_init, UK_INIT_LIB, 2);
