/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-rng: one request queue; the driver posts device-writable buffers,
 * the device fills them with random bytes. Used once at boot, polled (no
 * interrupt): the bytes seed ukrandom before anything needs them.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/arch/cpu.h>
#include <uk/init.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/random.h>
#include <uk/virtio.h>
#include <uk/virtiorng.h>

#define RQ	     0
#define MAX_REQUESTS 16 /* a device answering one byte at a time ends */

static uint8_t pool[UK_VIRTIORNG_BYTES];

static int fetch(struct uk_virtio_dev *vd, struct uk_virtq *q, size_t *got)
{
	const uint64_t deadline =
		ukplat_monotonic_clock() +
		(uint64_t)UK_VIRTIORNG_TIMEOUT_MS * 1000000ULL;

	*got = 0;
	for (int r = 0; r < MAX_REQUESTS && *got < sizeof(pool); r++) {
		struct uk_virtq_seg seg = {pool + *got,
					   (uint32_t)(sizeof(pool) - *got)};
		uint32_t len = 0;
		void *c;

		if (uk_virtq_add(q, &seg, 0, 1, pool) < 0)
			return -EIO;
		uk_virtq_kick(q);
		while (!(c = uk_virtq_get(q, &len))) {
			if (ukplat_monotonic_clock() > deadline) {
				uk_pr_err("virtio-rng %s: no answer within "
					  "%u ms",
					  vd->name, UK_VIRTIORNG_TIMEOUT_MS);
				return -ETIMEDOUT;
			}
			ukarch_spin_hint();
		}
		/* (a length beyond the buffer came back as 0: ukvirtio) */
		if (c != pool || !len || len > seg.len) {
			uk_pr_err("virtio-rng %s: request of %u bytes answered "
				  "with length %u: device not used",
				  vd->name, (unsigned)seg.len, (unsigned)len);
			return -EIO;
		}
		*got += len;
	}
	return 0;
}

int uk_virtiorng_probe(struct uk_virtio_dev *vd)
{
	struct uk_virtq q;
	size_t got = 0;
	int rc;

	rc = uk_virtio_negotiate(vd, 0, 0);
	if (rc < 0)
		return rc;
	rc = uk_virtio_queue_setup(vd, &q, RQ, 4);
	if (rc < 0) {
		uk_pr_err("virtio-rng %s: no request queue (%d): device set "
			  "FAILED",
			  vd->name, rc);
		uk_virtio_fail(vd);
		return rc == -ENOMEM ? rc : -EIO;
	}
	uk_virtq_intr_disable(&q);
	uk_virtio_driver_ok(vd);
	rc = fetch(vd, &q, &got);
	/* done with the device either way: reset it before its queue's
	 * memory goes */
	uk_virtio_reset(vd);
	if (rc == 0)
		uk_random_add_entropy(pool, got, (unsigned)(8 * got),
				      "virtio-rng");
	else
		uk_virtio_fail(vd);
	memset(pool, 0, sizeof(pool));
	uk_virtq_free(&q);
	if (rc == 0)
		uk_pr_info("virtio-rng %s (%s): %zu bytes into the entropy "
			   "pool",
			   vd->name, vd->transport ? vd->transport : "?", got);
	return rc;
}

static struct uk_virtio_driver vr_driver = {
	.name = "virtio-rng",
	.device_id = UK_VIRTIO_ID_RNG,
	.probe = uk_virtiorng_probe,
};

static int vr_register(void)
{
	uk_virtio_driver_register(&vr_driver);
	return 0;
}
uk_early_initcall(vr_register);
