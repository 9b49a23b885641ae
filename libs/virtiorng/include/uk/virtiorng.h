/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtiorng: the virtio entropy device (virtio 1.x section 5.4) as a source
 * of ukrandom's pool.
 *
 * Every virtio-rng device ukvirtio finds (PCI 1af4:1005 transitional,
 * 1af4:1044 modern, virtio-mmio device ID 4) is asked at probe time
 * (UK_INIT_LIB 1-2, before ukrandom decides at UK_INIT_LIB 9 whether it
 * must fall back to timer jitter) for UK_VIRTIORNG_BYTES bytes, which go to
 * uk_random_add_entropy(..., "virtio-rng") credited 8 bits per byte; the
 * device is reset afterwards. Every value the device returns is checked: a
 * length beyond the buffer, an empty answer or no answer within
 * UK_VIRTIORNG_TIMEOUT_MS refuses the device with a message, and nothing it
 * wrote is credited.
 */
#ifndef UK_VIRTIORNG_H
#define UK_VIRTIORNG_H

#include <uk/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_VIRTIORNG_BYTES	64   /* asked for at boot (512 bits) */
#define UK_VIRTIORNG_TIMEOUT_MS 1000 /* for the whole exchange */

/* ukvirtio's probe for device ID 4: 0 once the bytes are in the pool (the
 * device is then reset), -EIO / -ETIMEDOUT / -ENOMEM / -ENOTSUP with a
 * message otherwise. */
int uk_virtiorng_probe(struct uk_virtio_dev *vd);

#ifdef __cplusplus
}
#endif
#endif /* UK_VIRTIORNG_H */
