/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtioblk: the virtio-blk driver behind ukblkdev (<uk/blkdev.h>).
 *
 * Every virtio-blk device ukvirtio finds (PCI 1af4:1001 transitional,
 * 1af4:1042 modern, virtio-mmio device ID 2) is negotiated at probe time
 * and registered with uk_blkdev_register() as "vda", "vdb", ... in the
 * order found (desc "virtio-blk@<where>").
 *
 * Negotiated when offered: VIRTIO_F_VERSION_1 (required for modern
 * transports), VIRTIO_BLK_F_SIZE_MAX, _SEG_MAX, _RO (writes refused with
 * -EROFS), _BLK_SIZE (the sector size), _FLUSH (a write cache: FLUSH
 * requests, FUA emulated with write-then-flush), _DISCARD, _WRITE_ZEROES.
 * Not: MQ (one queue), CONFIG_WCE, TOPOLOGY, LIFETIME, SECURE_ERASE,
 * EVENT_IDX, INDIRECT_DESC; offered features left out are named in the
 * probe log.
 *
 * Library parameter: virtioblk.require=MASK (hex or decimal feature bits)
 * makes those features mandatory: a device without one is refused and set
 * FAILED (the refusal path, testable at boot).
 */
#ifndef UK_VIRTIOBLK_H
#define UK_VIRTIOBLK_H

#include <stddef.h>
#include <stdint.h>
#include <uk/blkdev.h>

#define UK_VIRTIO_BLK_F_SIZE_MAX     1
#define UK_VIRTIO_BLK_F_SEG_MAX	     2
#define UK_VIRTIO_BLK_F_RO	     5
#define UK_VIRTIO_BLK_F_BLK_SIZE     6
#define UK_VIRTIO_BLK_F_FLUSH	     9
#define UK_VIRTIO_BLK_F_DISCARD	     13
#define UK_VIRTIO_BLK_F_WRITE_ZEROES 14

#define UK_VIRTIO_BLK_T_IN	     0
#define UK_VIRTIO_BLK_T_OUT	     1
#define UK_VIRTIO_BLK_T_FLUSH	     4
#define UK_VIRTIO_BLK_T_DISCARD	     11
#define UK_VIRTIO_BLK_T_WRITE_ZEROES 13

#define UK_VIRTIO_BLK_S_OK     0
#define UK_VIRTIO_BLK_S_IOERR  1
#define UK_VIRTIO_BLK_S_UNSUPP 2

/* The device-readable header of every request; `sector` is always in
 * 512-byte units, whatever the device's block size. */
struct uk_virtio_blk_hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

/* DISCARD / WRITE_ZEROES segment (512-byte units). */
struct uk_virtio_blk_dwz {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

/*
 * One line about a virtio-blk device: transport, IRQ, negotiated feature
 * names. Returns 0, or -ENODEV when `d` is not one of this driver's.
 */
int uk_virtioblk_describe(struct uk_blkdev *d, char *buf, size_t len);

#endif /* UK_VIRTIOBLK_H */
