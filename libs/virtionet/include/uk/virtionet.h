/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtionet: the virtio-net driver behind uknetdev (<uk/netdev.h>).
 *
 * Every virtio-net device ukvirtio finds (PCI 1af4:1000 transitional,
 * 1af4:1041 modern, virtio-mmio device ID 1) is negotiated at probe time
 * and registered with uk_netdev_register() as "virtio-net@<where>"; the
 * stack then configures one rx and one tx queue through uknetdev.
 *
 * Negotiated when offered: VIRTIO_F_VERSION_1 (required for modern
 * transports), VIRTIO_NET_F_MAC (else a random locally administered MAC),
 * VIRTIO_NET_F_MTU, VIRTIO_NET_F_CSUM (-> UK_NETDEV_F_TXCSUM),
 * VIRTIO_NET_F_GUEST_CSUM (-> UK_NETDEV_F_RXCSUM), VIRTIO_NET_F_STATUS,
 * VIRTIO_F_ANY_LAYOUT (legacy). Not: MRG_RXBUF (each rx buffer holds a
 * whole frame), TSO/UFO, CTRL_VQ, MQ, EVENT_IDX, indirect descriptors.
 *
 * Library parameter: virtionet.require=MASK (hex or decimal feature bits)
 * makes those features mandatory: a device without one is refused and set
 * FAILED (demonstrates and tests the refusal path).
 */
#ifndef UK_VIRTIONET_H
#define UK_VIRTIONET_H

#include <stddef.h>
#include <stdint.h>
#include <uk/netdev.h>

#define UK_VIRTIO_NET_F_CSUM	   0
#define UK_VIRTIO_NET_F_GUEST_CSUM 1
#define UK_VIRTIO_NET_F_MTU	   3
#define UK_VIRTIO_NET_F_MAC	   5
#define UK_VIRTIO_NET_F_MRG_RXBUF  15
#define UK_VIRTIO_NET_F_STATUS	   16

#define UK_VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define UK_VIRTIO_NET_HDR_F_DATA_VALID 2

/* The header before every frame (12 bytes with VERSION_1, 10 without:
 * legacy devices without MRG_RXBUF have no num_buffers). */
struct uk_virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

/*
 * One line about a virtio-net device: transport, negotiated virtio feature
 * names, interrupt line. Returns 0, or -ENODEV when `d` is not a virtio-net
 * device of this driver.
 */
int uk_virtionet_describe(struct uk_netdev *d, char *buf, size_t len);

#endif /* UK_VIRTIONET_H */
