/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtio 1.x section 2.6; the legacy layout is the same
 * with the used ring at a 4096-byte boundary, which we always use).
 *
 * The driver side: a descriptor table with a free list threaded through
 * desc[].next, the available ring the driver writes, the used ring the
 * device writes. Indices are free-running 16-bit counters (they wrap at
 * 65536; the slot is idx & (num - 1), num a power of two).
 *
 * Publishing and notifying are split so that a burst costs one
 * notification: uk_virtq_add() several times, then uk_virtq_kick() once
 * (publishes the new avail index and notifies only if the device did not
 * set VIRTQ_USED_F_NO_NOTIFY). Interrupts are suppressed with
 * VIRTQ_AVAIL_F_NO_INTERRUPT (uk_virtq_intr_disable). No EVENT_IDX.
 *
 * Addresses given to the device are the buffers' own addresses (kvm:
 * virtual == physical). UP, one user per queue: no locks.
 */
#ifndef UK_VIRTQUEUE_H
#define UK_VIRTQUEUE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_VIRTQ_DESC_F_NEXT	      1
#define UK_VIRTQ_DESC_F_WRITE	      2
#define UK_VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define UK_VIRTQ_USED_F_NO_NOTIFY     1

#define UK_VIRTQ_ALIGN	  4096	/* used-ring alignment (legacy needs it) */
#define UK_VIRTQ_MAX_SIZE 32768 /* the spec's limit */

struct uk_virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct uk_virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct uk_virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct uk_virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct uk_virtq_used_elem ring[];
};

struct uk_virtio_dev;

struct uk_virtq {
	struct uk_virtq_desc *desc;
	struct uk_virtq_avail *avail;
	volatile struct uk_virtq_used *used;
	void **cookie; /* per chain head */
	uint16_t num;  /* entries (power of two) */
	uint16_t free_head, num_free;
	uint16_t avail_idx; /* next avail index (published by kick) */
	uint16_t last_used; /* next used index to consume */
	uint16_t published; /* avail->idx as last written */
	uint16_t index;	    /* queue number in the device */
	struct uk_virtio_dev *dev;
	void *mem; /* ring memory (UK_VIRTQ_ALIGN aligned) */
	size_t memlen;
	uintptr_t notify; /* transport's notification address/port */
	uint16_t chains;  /* buffers (chains) the device holds */
	int broken;	  /* the device's used index ran ahead (reported) */
};

/* One buffer segment of a chain. */
struct uk_virtq_seg {
	void *addr;
	uint32_t len;
};

/* Bytes of ring memory for `num` entries. */
size_t uk_virtq_mem_size(uint16_t num);

/*
 * Set up `vq` over `mem` (uk_virtq_mem_size(num) bytes, UK_VIRTQ_ALIGN
 * aligned, zeroed here) and `cookies` (num pointers). `num` must be a power
 * of two in 1..UK_VIRTQ_MAX_SIZE: -EINVAL otherwise. Rings empty, all
 * descriptors free, interrupts on (no flags).
 */
int uk_virtq_init(struct uk_virtq *vq, uint16_t index, uint16_t num, void *mem,
		  void **cookies);

/*
 * Allocate ring memory and cookies for `num` entries and init (-ENOMEM,
 * -EINVAL); uk_virtq_free() releases them.
 */
int uk_virtq_alloc(struct uk_virtq *vq, uint16_t index, uint16_t num);
void uk_virtq_free(struct uk_virtq *vq);

/*
 * Queue one chain: `nout` device-readable segments then `nin`
 * device-writable ones, with `cookie` (non-NULL) returned by uk_virtq_get()
 * when the device is done. Not visible to the device until uk_virtq_kick()
 * or uk_virtq_publish(). Returns the head descriptor index, -ENOSPC when
 * fewer than nout + nin descriptors are free (nothing queued), -EINVAL for
 * an empty chain or a NULL cookie, -EIO when the free list's links were
 * overwritten with indices beyond the ring (reported; nothing queued).
 */
int uk_virtq_add(struct uk_virtq *vq, const struct uk_virtq_seg *seg,
		 unsigned nout, unsigned nin, void *cookie);

/* Make queued chains visible (avail->idx), without notifying. */
void uk_virtq_publish(struct uk_virtq *vq);

/* Does the device want a notification now (after publish)? */
int uk_virtq_should_notify(struct uk_virtq *vq);

/* Publish, then notify through the transport if the device wants it and
 * something new was published. Returns 1 if it notified. */
int uk_virtq_kick(struct uk_virtq *vq);

/* Non-zero when the device has returned buffers not yet taken. */
static inline int uk_virtq_has_used(const struct uk_virtq *vq)
{
	return vq->used->idx != vq->last_used;
}

/*
 * Take the next buffer the device is done with: returns its cookie and
 * stores the bytes written in *len (device-writable part), frees its
 * descriptors; NULL when none. The device's values are checked, each
 * failure reported with an error naming the field: a used id beyond the
 * ring or not a buffer in flight is skipped, never followed; a used length
 * beyond the chain's device-writable bytes becomes 0 (the buffer comes
 * back, nothing in it trusted); a descriptor link beyond the ring stops
 * the walk (those descriptors stay lost); a used index further ahead than
 * the buffers published makes the queue return nothing from then on.
 */
void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len);

/* Interrupt suppression: ask the device for no interrupts / for them.
 * Enable returns non-zero if buffers are already waiting (no interrupt
 * will come for those). */
void uk_virtq_intr_disable(struct uk_virtq *vq);
int uk_virtq_intr_enable(struct uk_virtq *vq);

/* Descriptors in use (queued, published or not, and not taken back). */
static inline uint16_t uk_virtq_in_flight(const struct uk_virtq *vq)
{
	return (uint16_t)(vq->num - vq->num_free);
}

#ifdef __cplusplus
}
#endif
#endif /* UK_VIRTQUEUE_H */
