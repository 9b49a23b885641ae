/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdint.h>
#include <string.h>
#include <uk/assert.h>
#include "debug.h"

#define MAGIC_LIVE  0x4b4c4c4155b10c4bull
#define MAGIC_FREED 0x44454552465f4b55ull
#define HDR	    32
#define CANARY	    16
#define CANARY_BYTE 0xca
#define POISON_BYTE 0xdb

struct dbg_hdr {
	uint64_t magic;
	uint64_t size;	 /* bytes the caller asked for */
	uint64_t offset; /* user pointer - backend block */
	uint64_t check;	 /* magic ^ size ^ offset: detects a trampled header */
};

static struct dbg_hdr *hdr_of(const void *ptr)
{
	return (struct dbg_hdr *)((uintptr_t)ptr - HDR);
}

void *uk_alloc_dbg_alloc(struct uk_alloc *a, size_t align, size_t size,
			 uk_alloc_raw_fn raw)
{
	/* 64 bytes at least: backends write their free-list links at the start
	 * of a freed block, and the header (the last 32) must survive that so
	 * a double free is still recognised. */
	size_t pre = align > 64 ? align : 64;
	size_t total;

	if (align < 16)
		align = 16;
	if (__builtin_add_overflow(size, pre + CANARY, &total))
		return NULL;
	uint8_t *blk = raw(a, align, total);
	if (!blk)
		return NULL;
	uint8_t *user = blk + pre;
	struct dbg_hdr *h = hdr_of(user);
	h->magic = MAGIC_LIVE;
	h->size = size;
	h->offset = pre;
	h->check = h->magic ^ h->size ^ h->offset;
	memset(user + size, CANARY_BYTE, CANARY);
	return user;
}

static void check_block(const void *ptr, const char *op)
{
	const struct dbg_hdr *h = hdr_of(ptr);

	if (h->magic == MAGIC_FREED)
		UK_CRASH("ukalloc: %s of %p: double free (the %lu-byte block "
			 "was freed already)",
			 op, ptr, (unsigned long)h->size);
	if (h->magic != MAGIC_LIVE ||
	    h->check != (h->magic ^ h->size ^ h->offset))
		UK_CRASH("ukalloc: %s of %p: not a live heap block, or its "
			 "header was overwritten (write before the block?)",
			 op, ptr);
	const uint8_t *c = (const uint8_t *)ptr + h->size;
	for (int i = 0; i < CANARY; i++)
		if (c[i] != CANARY_BYTE)
			UK_CRASH("ukalloc: %s of %p: write past the end of the "
				 "%lu-byte block (byte %d after it changed "
				 "from 0x%02x to 0x%02x)",
				 op, ptr, (unsigned long)h->size, i,
				 CANARY_BYTE, c[i]);
}

size_t uk_alloc_dbg_free(struct uk_alloc *a, void *ptr)
{
	struct dbg_hdr *h = hdr_of(ptr);
	size_t size = h->size;

	check_block(ptr, "free");
	memset(ptr, POISON_BYTE, size);
	h->magic = MAGIC_FREED;
	h->check = 0;
	a->ops.free(a, (uint8_t *)ptr - h->offset);
	return size;
}

size_t uk_alloc_dbg_usable(struct uk_alloc *a, const void *ptr)
{
	(void)a;
	check_block(ptr, "use (realloc, size query)");
	return hdr_of(ptr)->size;
}
