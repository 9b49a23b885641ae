/* SPDX-License-Identifier: BSD-3-Clause */
/* virtio core: driver registry, status handshake, feature negotiation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>

static struct uk_virtio_driver *drivers;

void uk_virtio_driver_register(struct uk_virtio_driver *drv)
{
	struct uk_virtio_driver **p = &drivers;

	while (*p) {
		if (*p == drv)
			return;
		p = &(*p)->next;
	}
	drv->next = NULL;
	*p = drv;
}

int uk_virtio_dev_found(struct uk_virtio_dev *d)
{
	for (struct uk_virtio_driver *drv = drivers; drv; drv = drv->next)
		if (drv->device_id == d->device_id)
			return drv->probe(d);
	uk_pr_debug("virtio %s: no driver for device ID %u", d->name,
		    d->device_id);
	return -ENODEV;
}

/* ---- feature names ---- */

static const char *const common_names[64] = {
	[UK_VIRTIO_F_NOTIFY_ON_EMPTY] = "VIRTIO_F_NOTIFY_ON_EMPTY",
	[UK_VIRTIO_F_ANY_LAYOUT] = "VIRTIO_F_ANY_LAYOUT",
	[UK_VIRTIO_F_INDIRECT_DESC] = "VIRTIO_F_INDIRECT_DESC",
	[UK_VIRTIO_F_EVENT_IDX] = "VIRTIO_F_EVENT_IDX",
	[30] = "VIRTIO_F_BAD_FEATURE",
	[UK_VIRTIO_F_VERSION_1] = "VIRTIO_F_VERSION_1",
	[UK_VIRTIO_F_ACCESS_PLATFORM] = "VIRTIO_F_ACCESS_PLATFORM",
	[UK_VIRTIO_F_RING_PACKED] = "VIRTIO_F_RING_PACKED",
	[35] = "VIRTIO_F_IN_ORDER",
	[36] = "VIRTIO_F_ORDER_PLATFORM",
	[37] = "VIRTIO_F_SR_IOV",
	[38] = "VIRTIO_F_NOTIFICATION_DATA",
};

static const char *const net_names[64] = {
	[0] = "VIRTIO_NET_F_CSUM",
	[1] = "VIRTIO_NET_F_GUEST_CSUM",
	[2] = "VIRTIO_NET_F_CTRL_GUEST_OFFLOADS",
	[3] = "VIRTIO_NET_F_MTU",
	[5] = "VIRTIO_NET_F_MAC",
	[7] = "VIRTIO_NET_F_GUEST_TSO4",
	[8] = "VIRTIO_NET_F_GUEST_TSO6",
	[9] = "VIRTIO_NET_F_GUEST_ECN",
	[10] = "VIRTIO_NET_F_GUEST_UFO",
	[11] = "VIRTIO_NET_F_HOST_TSO4",
	[12] = "VIRTIO_NET_F_HOST_TSO6",
	[13] = "VIRTIO_NET_F_HOST_ECN",
	[14] = "VIRTIO_NET_F_HOST_UFO",
	[15] = "VIRTIO_NET_F_MRG_RXBUF",
	[16] = "VIRTIO_NET_F_STATUS",
	[17] = "VIRTIO_NET_F_CTRL_VQ",
	[18] = "VIRTIO_NET_F_CTRL_RX",
	[19] = "VIRTIO_NET_F_CTRL_VLAN",
	[21] = "VIRTIO_NET_F_GUEST_ANNOUNCE",
	[22] = "VIRTIO_NET_F_MQ",
	[23] = "VIRTIO_NET_F_CTRL_MAC_ADDR",
};

static const char *const blk_names[64] = {
	[0] = "VIRTIO_BLK_F_BARRIER",
	[1] = "VIRTIO_BLK_F_SIZE_MAX",
	[2] = "VIRTIO_BLK_F_SEG_MAX",
	[4] = "VIRTIO_BLK_F_GEOMETRY",
	[5] = "VIRTIO_BLK_F_RO",
	[6] = "VIRTIO_BLK_F_BLK_SIZE",
	[7] = "VIRTIO_BLK_F_SCSI",
	[9] = "VIRTIO_BLK_F_FLUSH",
	[10] = "VIRTIO_BLK_F_TOPOLOGY",
	[11] = "VIRTIO_BLK_F_CONFIG_WCE",
	[12] = "VIRTIO_BLK_F_MQ",
	[13] = "VIRTIO_BLK_F_DISCARD",
	[14] = "VIRTIO_BLK_F_WRITE_ZEROES",
	[15] = "VIRTIO_BLK_F_LIFETIME",
	[16] = "VIRTIO_BLK_F_SECURE_ERASE",
};

static const char *const p9_names[64] = {
	[0] = "VIRTIO_9P_F_MOUNT_TAG",
};

const char *uk_virtio_feature_name(uint16_t device_id, unsigned bit)
{
	if (bit >= 64)
		return NULL;
	if (common_names[bit])
		return common_names[bit];
	/* device-specific: bits 0-23 (and 50-63) */
	if (device_id == UK_VIRTIO_ID_NET)
		return net_names[bit];
	if (device_id == UK_VIRTIO_ID_BLK)
		return blk_names[bit];
	if (device_id == UK_VIRTIO_ID_9P)
		return p9_names[bit];
	return NULL;
}

void uk_virtio_features_str(uint16_t device_id, uint64_t f, char *buf,
			    size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	buf[0] = 0;
	for (unsigned b = 0; b < 64 && n < len; b++) {
		if (!(f & UK_VIRTIO_BIT(b)))
			continue;
		const char *nm = uk_virtio_feature_name(device_id, b);
		int w = nm ? snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      nm)
			   : snprintf(buf + n, len - n, "%sbit%u", n ? " " : "",
				      b);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* ---- handshake ---- */

void uk_virtio_reset(struct uk_virtio_dev *d)
{
	d->ops->set_status(d, 0);
	/* the reset completes when the status reads back 0 (bounded) */
	for (int i = 0; i < 1000000 && d->ops->get_status(d); i++)
		;
}

void uk_virtio_fail(struct uk_virtio_dev *d)
{
	d->ops->set_status(d, d->ops->get_status(d) | UK_VIRTIO_S_FAILED);
}

void uk_virtio_driver_ok(struct uk_virtio_dev *d)
{
	d->ops->set_status(d, d->ops->get_status(d) | UK_VIRTIO_S_DRIVER_OK);
}

static void add_status(struct uk_virtio_dev *d, uint8_t s)
{
	d->ops->set_status(d, d->ops->get_status(d) | s);
}

int uk_virtio_negotiate(struct uk_virtio_dev *d, uint64_t supported,
			uint64_t required)
{
	uk_virtio_reset(d);
	add_status(d, UK_VIRTIO_S_ACKNOWLEDGE);
	add_status(d, UK_VIRTIO_S_DRIVER);

	uint64_t offered = d->ops->get_features(d);
	if (d->legacy) {
		offered &= 0xffffffffull;
		supported &= 0xffffffffull;
		required &= ~UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1);
	} else {
		supported |= UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1);
		required |= UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1);
	}
	uint64_t missing = required & ~offered;
	if (missing) {
		unsigned b = (unsigned)__builtin_ctzll(missing);
		const char *nm = uk_virtio_feature_name(d->device_id, b);
		char bitname[16];
		if (!nm) {
			snprintf(bitname, sizeof(bitname), "bit %u", b);
			nm = bitname;
		}
		uk_pr_err("virtio %s (%s): the device does not offer %s, which "
			  "this driver requires: device set FAILED",
			  d->name, d->transport ? d->transport : "?", nm);
		uk_virtio_fail(d);
		return -ENOTSUP;
	}
	uint64_t f = offered & supported;
	d->ops->set_features(d, f);
	if (!d->legacy) {
		add_status(d, UK_VIRTIO_S_FEATURES_OK);
		if (!(d->ops->get_status(d) & UK_VIRTIO_S_FEATURES_OK)) {
			uk_pr_err(
				"virtio %s: the device refused the feature "
				"set %#llx (FEATURES_OK not kept): device set "
				"FAILED",
				d->name, (unsigned long long)f);
			uk_virtio_fail(d);
			return -ENOTSUP;
		}
	}
	d->features = f;
	return 0;
}

int uk_virtio_queue_setup(struct uk_virtio_dev *d, struct uk_virtq *vq,
			  uint16_t idx, uint16_t want)
{
	uint16_t max = d->ops->queue_max(d, idx);
	uint16_t num;
	int rc;

	if (!max)
		return -ENOENT;
	if (d->qsize_fixed) {
		num = max; /* legacy PCI devices have a fixed size */
		if (num & (num - 1)) {
			uk_pr_err("virtio %s: queue %u has size %u, not a "
				  "power of two",
				  d->name, idx, num);
			return -EIO;
		}
	} else {
		if (!want || want > max)
			want = max;
		if (want > UK_VIRTQ_MAX_SIZE)
			want = UK_VIRTQ_MAX_SIZE;
		num = 1;
		while ((uint16_t)(num << 1) && (uint16_t)(num << 1) <= want)
			num = (uint16_t)(num << 1);
	}
	rc = uk_virtq_alloc(vq, idx, num);
	if (rc < 0)
		return rc;
	vq->dev = d;
	rc = d->ops->queue_enable(d, vq);
	if (rc < 0) {
		uk_pr_err("virtio %s: queue %u not enabled (%d)", d->name, idx,
			  rc);
		uk_virtq_free(vq);
		return rc;
	}
	return 0;
}

int uk_virtio_irq_register(struct uk_virtio_dev *d, int (*handler)(void *),
			   void *arg)
{
	if (d->irq < 0)
		return -ENOTSUP;
	return ukplat_irq_register_mode((unsigned)d->irq, handler, arg,
					d->irq_mode);
}
