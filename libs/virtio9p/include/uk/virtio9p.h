/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio9p: virtio-9p devices as uk9p transports (<uk/9p.h>).
 *
 * Every virtio-9p device ukvirtio finds (PCI 1af4:1009 transitional,
 * 1af4:1049 modern, virtio-mmio device ID 9) is negotiated at probe time
 * (VIRTIO_9P_F_MOUNT_TAG required, VERSION_1 on modern transports) and
 * registered with uk_9p_trans_register() under its mount tag (QEMU:
 * -virtfs ...,mount_tag=TAG), which mounts then name as their source.
 *
 * One request in flight (the client is synchronous): the T-message and
 * its data are device-readable descriptors, the reply header and the
 * caller's data buffer device-writable ones - large reads and writes move
 * without a copy. Completion: the CPU halts until the queue interrupt, or
 * spins with `virtio9p.poll=1` (or when the line cannot be used); either
 * way bounded by `virtio9p.timeout_ms=` (default 60000), after which the
 * transport refuses every request (-EIO).
 */
#ifndef UK_VIRTIO9P_H
#define UK_VIRTIO9P_H

#include <stddef.h>
#include <uk/9p.h>

#define UK_VIRTIO_9P_F_MOUNT_TAG 0

/* One line about a transport of this driver: device, transport, IRQ,
 * mode, requests and notifications. 0, or -ENODEV for another one. */
int uk_virtio9p_describe(struct uk_9p_trans *t, char *buf, size_t len);

#endif /* UK_VIRTIO9P_H */
