/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PVH hand-over, checked before anything in it is used: start_info, the
 * memory map, the command line and the module list are the loader's (the
 * VMM's) values, so every address and length is bounded by the mapped
 * memory, the memory map's RAM and the image before it is followed. Pure
 * code: unit tested natively on a fake physical memory.
 */
#include <stdio.h>
#include <string.h>
#include "kvm.h"

#define E820_ENTRY sizeof(struct pvh_memmap_entry)

/* [a, a + len) inside the mapped memory: a pointer to it, else NULL */
static const void *at(const uint8_t *mem, uint64_t top, uint64_t a,
		      uint64_t len)
{
	if (a + len < a || a + len > top)
		return NULL;
	return (const void *)((uintptr_t)mem + (uintptr_t)a);
}

/* [a, a + len) inside one entry of the map, of type RAM if `ram` (else of
 * any type: loaders put their structures in firmware areas too, e.g.
 * qboot on microvm in the ACPI NVS area). True without a map: then nothing
 * can be checked beyond the mapping. */
static int in_map(const struct kvm_pvh *p, uint64_t a, uint64_t len, int ram)
{
	if (!p->memmap)
		return 1;
	for (uint32_t i = 0; i < p->memmap_entries; i++) {
		const struct pvh_memmap_entry *e = &p->memmap[i];
		uint64_t end = e->addr + e->size;

		if ((!ram || e->type == E820_RAM) && end > e->addr &&
		    a >= e->addr && a + len >= a && a + len <= end)
			return 1;
	}
	return 0;
}

#define REFUSE(...)                                 \
	do {                                        \
		snprintf(why, whylen, __VA_ARGS__); \
		return -1;                          \
	} while (0)

int kvm_pvh_parse(uint64_t si_pa, const uint8_t *mem, uint64_t top,
		  uint64_t img_start, uint64_t img_end, struct kvm_pvh *out,
		  char *why, size_t whylen)
{
	const struct pvh_start_info *si;

	memset(out, 0, sizeof(*out));
	si = at(mem, top, si_pa, sizeof(*si));
	if (!si)
		REFUSE("start_info at %#llx lies outside the mapped memory",
		       (unsigned long long)si_pa);
	if (si->magic != PVH_START_MAGIC)
		REFUSE("start_info.magic is %#x, not %#x: this image must be "
		       "booted by a PVH loader (qemu -kernel, or a VMM with "
		       "PVH support)",
		       si->magic, PVH_START_MAGIC);
	out->version = si->version;
	out->rsdp = si->rsdp_paddr;

	/* the memory map first: it says what RAM is */
	if (si->version >= 1 && si->memmap_entries) {
		uint64_t n = si->memmap_entries;

		if (!si->memmap_paddr)
			REFUSE("start_info.memmap_paddr is 0 with %llu entries",
			       (unsigned long long)n);
		if (n > KVM_MEMMAP_MAX)
			REFUSE("start_info.memmap_entries is %llu, above the "
			       "limit of %u",
			       (unsigned long long)n, KVM_MEMMAP_MAX);
		if (si->memmap_paddr + n * E820_ENTRY < si->memmap_paddr)
			REFUSE("start_info.memmap_paddr %#llx + %llu entries x "
			       "%zu bytes overflows",
			       (unsigned long long)si->memmap_paddr,
			       (unsigned long long)n, E820_ENTRY);
		out->memmap = at(mem, top, si->memmap_paddr, n * E820_ENTRY);
		if (!out->memmap)
			REFUSE("start_info.memmap_paddr %#llx (%llu entries) "
			       "lies outside the mapped memory",
			       (unsigned long long)si->memmap_paddr,
			       (unsigned long long)n);
		out->memmap_entries = (uint32_t)n;
		if (!in_map(out, si->memmap_paddr, n * E820_ENTRY, 0))
			REFUSE("start_info.memmap_paddr %#llx: the memory map "
			       "lies outside the memory it describes",
			       (unsigned long long)si->memmap_paddr);
	}

	/* the command line: 0 is none (as Linux reads the PVH ABI) */
	if (si->cmdline_paddr) {
		uint64_t a = si->cmdline_paddr;
		const char *s = at(mem, top, a, 1);
		size_t len, max;

		if (!s)
			REFUSE("start_info.cmdline_paddr %#llx lies outside "
			       "the "
			       "mapped memory",
			       (unsigned long long)a);
		max = top - a < KVM_CMDLINE_CAP ? (size_t)(top - a)
						: KVM_CMDLINE_CAP;
		len = strnlen(s, max);
		if (len >= KVM_CMDLINE_CAP)
			REFUSE("command line is longer than %u bytes",
			       KVM_CMDLINE_CAP - 1);
		if (len == max)
			REFUSE("start_info.cmdline_paddr %#llx: no terminating "
			       "NUL before the end of the mapped memory",
			       (unsigned long long)a);
		if (!in_map(out, a, len + 1, 0))
			REFUSE("start_info.cmdline_paddr %#llx lies outside "
			       "the "
			       "memory map",
			       (unsigned long long)a);
		out->cmdline = s;
		out->cmdline_len = len;
	}

	/* the first module is the initrd */
	out->nr_modules = si->nr_modules;
	if (si->nr_modules) {
		const struct pvh_modlist_entry *m;
		uint64_t b, e;

		if (!si->modlist_paddr)
			REFUSE("start_info.modlist_paddr is 0 with %u modules",
			       si->nr_modules);
		m = at(mem, top, si->modlist_paddr, sizeof(*m));
		if (!m)
			REFUSE("start_info.modlist_paddr %#llx lies outside "
			       "the mapped memory",
			       (unsigned long long)si->modlist_paddr);
		if (!in_map(out, si->modlist_paddr, sizeof(*m), 0))
			REFUSE("start_info.modlist_paddr %#llx lies outside "
			       "the memory map",
			       (unsigned long long)si->modlist_paddr);
		b = m->paddr;
		e = m->paddr + m->size;
		if (m->size) {
			if (!b)
				REFUSE("module 0 (the initrd): paddr is 0 "
				       "(%llu bytes)",
				       (unsigned long long)m->size);
			if (e < b || e > top)
				REFUSE("initrd at %#llx-%#llx lies beyond the "
				       "%llu MiB the image maps: give the VM "
				       "less RAM",
				       (unsigned long long)b,
				       (unsigned long long)e,
				       (unsigned long long)(top >> 20));
			if (!in_map(out, b, m->size, 1))
				REFUSE("initrd at %#llx-%#llx lies outside RAM",
				       (unsigned long long)b,
				       (unsigned long long)e);
			if (b < img_end && e > img_start)
				REFUSE("initrd at %#llx-%#llx overlaps the "
				       "image at %#llx-%#llx",
				       (unsigned long long)b,
				       (unsigned long long)e,
				       (unsigned long long)img_start,
				       (unsigned long long)img_end);
			out->initrd = b;
			out->initrd_len = m->size;
		}
	}
	return 0;
}
