/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukvirtio: virtio devices behind one transport interface.
 *
 * Transports: virtio-pci modern (1.0, capabilities in memory BARs),
 * virtio-pci legacy (I/O BAR 0; transitional devices), virtio-mmio
 * (version 2 and legacy version 1) from `virtio_mmio.device=SIZE@BASE:IRQ`
 * library parameters. Each found device is handed to the virtio driver
 * registered for its device ID (uk_virtio_driver_register, from an early
 * init entry); discovery runs at UK_INIT_LIB priority 1 (PCI, via ukpci) and
 * 2 (MMIO).
 *
 * A driver then: uk_virtio_negotiate() (reset, ACKNOWLEDGE, DRIVER,
 * features, FEATURES_OK), sets up its queues (uk_virtio_queue_setup), its
 * interrupt handler (uk_virtio_irq_register) and finishes with
 * uk_virtio_driver_ok(). Errors set FAILED. Interrupts: INTx / the MMIO
 * line, no MSI-X (see docs/virtio.md).
 */
#ifndef UK_VIRTIO_H
#define UK_VIRTIO_H

#include <stddef.h>
#include <stdint.h>
#include <uk/virtqueue.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Device status bits */
#define UK_VIRTIO_S_ACKNOWLEDGE	       1
#define UK_VIRTIO_S_DRIVER	       2
#define UK_VIRTIO_S_DRIVER_OK	       4
#define UK_VIRTIO_S_FEATURES_OK	       8
#define UK_VIRTIO_S_DEVICE_NEEDS_RESET 64
#define UK_VIRTIO_S_FAILED	       128

/* Device-independent feature bits */
#define UK_VIRTIO_F_NOTIFY_ON_EMPTY 24
#define UK_VIRTIO_F_ANY_LAYOUT	    27
#define UK_VIRTIO_F_INDIRECT_DESC   28
#define UK_VIRTIO_F_EVENT_IDX	    29
#define UK_VIRTIO_F_VERSION_1	    32
#define UK_VIRTIO_F_ACCESS_PLATFORM 33
#define UK_VIRTIO_F_RING_PACKED	    34

#define UK_VIRTIO_BIT(b) (1ull << (b))

/* ISR bits */
#define UK_VIRTIO_ISR_QUEUE  1
#define UK_VIRTIO_ISR_CONFIG 2

/* Device IDs */
#define UK_VIRTIO_ID_NET 1
#define UK_VIRTIO_ID_BLK 2
#define UK_VIRTIO_ID_RNG 4 /* entropy source */
#define UK_VIRTIO_ID_9P	 9

struct uk_virtio_dev;

/* What a transport implements. */
struct uk_virtio_ops {
	uint64_t (*get_features)(struct uk_virtio_dev *d);
	void (*set_features)(struct uk_virtio_dev *d, uint64_t f);
	uint8_t (*get_status)(struct uk_virtio_dev *d);
	void (*set_status)(struct uk_virtio_dev *d, uint8_t s); /* 0: reset */
	/* device-specific configuration, byte by byte (any width is read as
	 * bytes; generation-checked where the transport has it) */
	void (*config_read)(struct uk_virtio_dev *d, unsigned off, void *buf,
			    unsigned len);
	/* largest size of queue `idx` (0: no such queue) */
	uint16_t (*queue_max)(struct uk_virtio_dev *d, uint16_t idx);
	/* tell the device about vq's rings (vq->num entries) and enable it;
	 * fills vq->notify. 0 or a negative errno */
	int (*queue_enable)(struct uk_virtio_dev *d, struct uk_virtq *vq);
	void (*notify)(struct uk_virtio_dev *d, struct uk_virtq *vq);
	/* read (and acknowledge) the interrupt status: UK_VIRTIO_ISR_* */
	uint8_t (*isr_ack)(struct uk_virtio_dev *d);
};

struct uk_virtio_dev {
	const struct uk_virtio_ops *ops;
	uint16_t device_id;
	int legacy;	       /* legacy interface (no VERSION_1) */
	int qsize_fixed;       /* queue sizes not settable (legacy PCI) */
	uint64_t features;     /* negotiated */
	int irq;	       /* interrupt line (GSI), -1: none */
	int irq_mode;	       /* UKPLAT_IRQ_* for the line */
	char name[32];	       /* e.g. "pci0:3.0", "mmio@0xfeb00e00" */
	const char *transport; /* "pci-modern", "pci-legacy", "mmio-v1"... */
	void *tp;	       /* the transport's */
	void *drv;	       /* the driver's */
};

/* ---- drivers ---- */

struct uk_virtio_driver {
	const char *name;
	uint16_t device_id;
	/* 0 when it took the device (it stays allocated), else -errno */
	int (*probe)(struct uk_virtio_dev *d);
	struct uk_virtio_driver *next;
};
void uk_virtio_driver_register(struct uk_virtio_driver *drv);
/* Hand a found device to its driver (transports call this). Returns the
 * probe's result or -ENODEV when no driver has the ID. */
int uk_virtio_dev_found(struct uk_virtio_dev *d);

/* ---- the handshake ---- */

/*
 * Reset, ACKNOWLEDGE, DRIVER, then negotiate: accepted = offered &
 * `supported`; every bit of `required` must be offered (modern devices also
 * need VIRTIO_F_VERSION_1, which is always required and supported there;
 * legacy devices have 32 feature bits and no VERSION_1). A missing feature
 * is named in an error message, the device set FAILED and -ENOTSUP
 * returned; modern devices that clear FEATURES_OK get the same. On success
 * d->features holds the negotiated set and 0 is returned.
 */
int uk_virtio_negotiate(struct uk_virtio_dev *d, uint64_t supported,
			uint64_t required);
/* Set DRIVER_OK (the device is live). */
void uk_virtio_driver_ok(struct uk_virtio_dev *d);
/* Set FAILED (after any error during set-up). */
void uk_virtio_fail(struct uk_virtio_dev *d);
/* Reset the device (status 0): stops all its queues. */
void uk_virtio_reset(struct uk_virtio_dev *d);

static inline int uk_virtio_has(const struct uk_virtio_dev *d, unsigned bit)
{
	return !!(d->features & UK_VIRTIO_BIT(bit));
}

/* Name of a feature bit ("VIRTIO_F_VERSION_1", "VIRTIO_NET_F_MAC" for
 * net devices...), or NULL when unknown. */
const char *uk_virtio_feature_name(uint16_t device_id, unsigned bit);
/* Space-separated names (unknown bits as "bitN") of `f` into buf. */
void uk_virtio_features_str(uint16_t device_id, uint64_t f, char *buf,
			    size_t len);

/*
 * Allocate and enable queue `idx` with up to `want` entries (0: the
 * device's maximum; rounded down to a power of two; legacy PCI devices take
 * only their own size). -ENOENT when the device has no such queue, -ENOMEM,
 * -EIO when the device refuses.
 */
int uk_virtio_queue_setup(struct uk_virtio_dev *d, struct uk_virtq *vq,
			  uint16_t idx, uint16_t want);

/* Register `handler` on the device's interrupt line (see ukplat_irq). */
int uk_virtio_irq_register(struct uk_virtio_dev *d, int (*handler)(void *),
			   void *arg);

/* ---- virtio-mmio ---- */

/*
 * Parse a `virtio_mmio.device` value: SIZE[K|M|G]@BASE:IRQ[:ID] (numbers
 * decimal, 0x hex or 0 octal, as Linux takes them). Returns 0, or -EINVAL
 * with a specific reason in *why (a static string): empty, no '@', no ':',
 * bad or overflowing number, size 0 or below the 0x100-byte register block,
 * base + size beyond 64 bits, IRQ above 255, trailing characters.
 */
int uk_virtio_mmio_parse(const char *s, uint64_t *base, uint64_t *size,
			 unsigned *irq, const char **why);

#ifdef __cplusplus
}
#endif
#endif /* UK_VIRTIO_H */
