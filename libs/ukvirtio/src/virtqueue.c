/* SPDX-License-Identifier: BSD-3-Clause */
/* Split virtqueues: rings, free list, publish/kick, used-buffer harvest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include <uk/virtqueue.h>

/* x86 is TSO: only store->load order needs a fence (mb); the others keep
 * the compiler from reordering. */
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

size_t uk_virtq_mem_size(uint16_t num)
{
	size_t drv = 16ul * num + 6 + 2ul * num;
	size_t dev = 6 + 8ul * num;
	return align_up(drv, UK_VIRTQ_ALIGN) + align_up(dev, UK_VIRTQ_ALIGN);
}

int uk_virtq_init(struct uk_virtq *vq, uint16_t index, uint16_t num, void *mem,
		  void **cookies)
{
	if (!num || (num & (num - 1)) || num > UK_VIRTQ_MAX_SIZE || !mem ||
	    !cookies)
		return -EINVAL;
	size_t len = uk_virtq_mem_size(num);
	memset(mem, 0, len);
	memset(cookies, 0, sizeof(void *) * num);
	vq->desc = mem;
	vq->avail = (struct uk_virtq_avail *)((char *)mem + 16ul * num);
	vq->used = (struct uk_virtq_used *)((char *)mem +
					    align_up(16ul * num + 6 + 2ul * num,
						     UK_VIRTQ_ALIGN));
	vq->cookie = cookies;
	vq->num = num;
	vq->index = index;
	vq->mem = mem;
	vq->memlen = len;
	vq->avail_idx = vq->last_used = vq->published = 0;
	vq->broken = 0;
	vq->chains = 0;
	for (uint16_t i = 0; i < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	return 0;
}

int uk_virtq_alloc(struct uk_virtq *vq, uint16_t index, uint16_t num)
{
	void *mem = NULL;
	void **cookies;

	if (!num || (num & (num - 1)) || num > UK_VIRTQ_MAX_SIZE)
		return -EINVAL;
	if (posix_memalign(&mem, UK_VIRTQ_ALIGN, uk_virtq_mem_size(num)))
		return -ENOMEM;
	cookies = calloc(num, sizeof(void *));
	if (!cookies) {
		free(mem);
		return -ENOMEM;
	}
	return uk_virtq_init(vq, index, num, mem, cookies);
}

void uk_virtq_free(struct uk_virtq *vq)
{
	free(vq->mem);
	free(vq->cookie);
	vq->mem = NULL;
	vq->cookie = NULL;
	vq->num = vq->num_free = 0;
}

/* desc[].next links the free list and the chains; the table is shared with
 * the device, so every link is checked before it is followed. */
static int next_ok(const struct uk_virtq *vq, uint16_t from, uint16_t next)
{
	if (next < vq->num)
		return 1;
	uk_pr_err("virtq %u: descriptor %u: next %u beyond the ring of %u "
		  "entries: not followed",
		  vq->index, from, next, vq->num);
	return 0;
}

int uk_virtq_add(struct uk_virtq *vq, const struct uk_virtq_seg *seg,
		 unsigned nout, unsigned nin, void *cookie)
{
	unsigned n = nout + nin;

	if (!n || !cookie)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	/* check the free list's links first: all or nothing */
	uint16_t head = vq->free_head, i = head;
	if (!next_ok(vq, head, head))
		return -EIO;
	for (unsigned k = 0; k + 1 < n; k++) {
		if (!next_ok(vq, i, vq->desc[i].next))
			return -EIO;
		i = vq->desc[i].next;
	}
	uint16_t last = head;
	i = head;
	for (unsigned k = 0; k < n; k++) {
		struct uk_virtq_desc *d = &vq->desc[i];
		d->addr = (uint64_t)(uintptr_t)seg[k].addr;
		d->len = seg[k].len;
		d->flags = (k >= nout ? UK_VIRTQ_DESC_F_WRITE : 0) |
			   (k + 1 < n ? UK_VIRTQ_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	/* (checked when the next chain is added) */
	vq->free_head = vq->desc[last].next;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookie[head] = cookie;
	vq->chains++;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	vq->avail_idx++;
	return head;
}

void uk_virtq_publish(struct uk_virtq *vq)
{
	wmb(); /* ring entries before the index */
	vq->avail->idx = vq->avail_idx;
}

int uk_virtq_should_notify(struct uk_virtq *vq)
{
	mb(); /* our index store before the device's flag load */
	return !(vq->used->flags & UK_VIRTQ_USED_F_NO_NOTIFY);
}

int uk_virtq_kick(struct uk_virtq *vq)
{
	if (vq->published == vq->avail_idx)
		return 0;
	uk_virtq_publish(vq);
	vq->published = vq->avail_idx;
	if (!uk_virtq_should_notify(vq))
		return 0;
	vq->dev->ops->notify(vq->dev, vq);
	return 1;
}

void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len)
{
	uint16_t ahead = (uint16_t)(vq->used->idx - vq->last_used);

	/* the device cannot return more buffers than it holds; an index
	 * further ahead is refused as a whole */
	if (ahead > vq->chains) {
		if (!vq->broken)
			uk_pr_err("virtq %u: used index %u is %u entries "
				  "ahead, more than the %u buffers the device "
				  "holds: used ring ignored",
				  vq->index, (unsigned)vq->used->idx,
				  (unsigned)ahead, (unsigned)vq->chains);
		vq->broken = 1;
		return NULL;
	}
	/* bounded: at most one full ring of bad entries per call */
	for (unsigned tries = 0; tries <= vq->num; tries++) {
		if (vq->used->idx == vq->last_used)
			return NULL;
		rmb(); /* the index before the entry */
		uint16_t slot = vq->last_used & (vq->num - 1);
		uint32_t id = vq->used->ring[slot].id;
		uint32_t l = vq->used->ring[slot].len;
		vq->last_used++;
		if (id >= vq->num) {
			uk_pr_err(
				"virtq %u: used ring id %u beyond the ring of "
				"%u entries: ignored",
				vq->index, (unsigned)id, vq->num);
			continue;
		}
		if (!vq->cookie[id]) {
			uk_pr_err("virtq %u: used ring id %u is not a buffer "
				  "in flight: ignored",
				  vq->index, (unsigned)id);
			continue;
		}
		void *cookie = vq->cookie[id];
		vq->cookie[id] = NULL;
		vq->chains--;
		/* walk the chain: bounded by num, every link checked; the
		 * device-writable bytes bound what it may claim to have
		 * written */
		uint16_t i = (uint16_t)id, n = 1;
		uint64_t wlen = 0;
		int chain_ok = 1;
		for (;;) {
			if (vq->desc[i].flags & UK_VIRTQ_DESC_F_WRITE)
				wlen += vq->desc[i].len;
			if (!(vq->desc[i].flags & UK_VIRTQ_DESC_F_NEXT) ||
			    n >= vq->num)
				break;
			if (!next_ok(vq, i, vq->desc[i].next)) {
				chain_ok = 0;
				break;
			}
			i = vq->desc[i].next;
			n++;
		}
		if (l > wlen) {
			uk_pr_err("virtq %u: used length %u of buffer %u is "
				  "beyond its %llu device-writable bytes: "
				  "taken as 0",
				  vq->index, (unsigned)l, (unsigned)id,
				  (unsigned long long)wlen);
			l = 0;
		}
		if (chain_ok) {
			vq->desc[i].next = vq->free_head;
			vq->free_head = (uint16_t)id;
			vq->num_free = (uint16_t)(vq->num_free + n);
		} /* else its descriptors stay lost: never a wild access */
		if (len)
			*len = l;
		return cookie;
	}
	return NULL;
}

void uk_virtq_intr_disable(struct uk_virtq *vq)
{
	vq->avail->flags |= UK_VIRTQ_AVAIL_F_NO_INTERRUPT;
}

int uk_virtq_intr_enable(struct uk_virtq *vq)
{
	vq->avail->flags &= (uint16_t)~UK_VIRTQ_AVAIL_F_NO_INTERRUPT;
	mb(); /* flag store before the used index load */
	return uk_virtq_has_used(vq);
}
