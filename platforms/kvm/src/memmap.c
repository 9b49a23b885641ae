/* SPDX-License-Identifier: BSD-3-Clause */
/* PVH memory map -> ukplat memory regions. Pure code: unit tested natively. */
#include <string.h>
#include "kvm.h"

#define PAGE	     4096ull
#define LOW_RESERVED 0x100000ull /* below 1 MiB: firmware, boot data */

static int add(struct ukplat_bootinfo *bi, uint64_t base, uint64_t end,
	       enum ukplat_memregion_type type)
{
	if (end <= base)
		return 0;
	if (bi->nr_memregions >= UKPLAT_MEMREGION_MAX)
		return -1;
	/* insertion keeps the table sorted by base */
	unsigned i = bi->nr_memregions++;
	while (i > 0 && bi->memregions[i - 1].base > base) {
		bi->memregions[i] = bi->memregions[i - 1];
		i--;
	}
	bi->memregions[i].base = (uintptr_t)base;
	bi->memregions[i].len = (size_t)(end - base);
	bi->memregions[i].type = type;
	return 0;
}

int kvm_memmap_to_regions(struct ukplat_bootinfo *bi,
			  const struct pvh_memmap_entry *map, uint32_t n,
			  uintptr_t img_start, uintptr_t img_end,
			  uint64_t mapped_top)
{
	int rc = 0;
	uint64_t is = img_start & ~(PAGE - 1);
	uint64_t ie = (img_end + PAGE - 1) & ~(PAGE - 1);

	bi->nr_memregions = 0;
	if (add(bi, is, ie, UKPLAT_MEMR_IMAGE) < 0)
		rc = -1;
	for (uint32_t i = 0; i < n; i++) {
		if (map[i].type != E820_RAM)
			continue;
		uint64_t b = map[i].addr, e = map[i].addr + map[i].size;
		if (e < b) /* wraps around: malformed, ignore */
			continue;
		b = (b + PAGE - 1) & ~(PAGE - 1);
		e &= ~(PAGE - 1);
		if (b < LOW_RESERVED)
			b = LOW_RESERVED;
		if (e > mapped_top)
			e = mapped_top;
		if (e <= b)
			continue;
		/* cut the image out */
		if (is < e && ie > b) {
			if (add(bi, b, is < b ? b : is, UKPLAT_MEMR_FREE) < 0 ||
			    add(bi, ie > e ? e : ie, e, UKPLAT_MEMR_FREE) < 0)
				rc = -1;
		} else if (add(bi, b, e, UKPLAT_MEMR_FREE) < 0) {
			rc = -1;
		}
	}
	return rc;
}

int kvm_memmap_reserve(struct ukplat_bootinfo *bi, uint64_t base, uint64_t end)
{
	int rc = 0;

	base &= ~(PAGE - 1);
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (end <= base)
		return 0;
	for (unsigned i = 0; i < bi->nr_memregions; i++) {
		struct ukplat_memregion *r = &bi->memregions[i];
		uint64_t rb = r->base, re = r->base + r->len;

		if (r->type != UKPLAT_MEMR_FREE || re <= base || rb >= end)
			continue;
		/* drop the region, add back what lies outside [base, end) */
		memmove(r, r + 1, (bi->nr_memregions - i - 1) * sizeof(*r));
		bi->nr_memregions--;
		if (add(bi, rb, base < rb ? rb : base, UKPLAT_MEMR_FREE) < 0 ||
		    add(bi, end > re ? re : end, re, UKPLAT_MEMR_FREE) < 0)
			rc = -1;
		i = (unsigned)-1; /* the table changed: start over */
	}
	if (add(bi, base, end, UKPLAT_MEMR_RESERVED) < 0)
		rc = -1;
	return rc;
}
