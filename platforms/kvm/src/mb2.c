/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot2 (GRUB's `multiboot2` command) as a second way in: the boot
 * information structure the loader left is checked and turned into a PVH
 * start_info, so that the rest of the boot (kvm_pvh_parse and on) is the
 * same for both protocols. The memory map, command line and modules are the
 * loader's: every tag is bounded by the structure's total size, and the
 * structure by the mapped memory. Pure code, unit tested natively.
 */
#include <stdio.h>
#include <string.h>
#include "kvm.h"

#define MB2_TAG_END	0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE	3
#define MB2_TAG_MMAP	6
#define MB2_TAG_ACPI1	14
#define MB2_TAG_ACPI2	15
/* A boot information structure larger than this is not believed. */
#define MB2_INFO_MAX (1u << 20)

#define REFUSE(...)                                 \
	do {                                        \
		snprintf(why, whylen, __VA_ARGS__); \
		return -1;                          \
	} while (0)

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int kvm_mb2_parse(uint64_t mbi_pa, const uint8_t *mem, uint64_t top,
		  struct kvm_mb2 *out, char *why, size_t whylen)
{
	const uint8_t *mbi;
	uint32_t total, off;
	unsigned tags = 0;

	memset(out, 0, sizeof(*out));
	if (mbi_pa & 7)
		REFUSE("multiboot2 information at %#llx is not 8-aligned",
		       (unsigned long long)mbi_pa);
	if (mbi_pa + 8 < mbi_pa || mbi_pa + 8 > top)
		REFUSE("multiboot2 information at %#llx lies outside the "
		       "mapped memory",
		       (unsigned long long)mbi_pa);
	mbi = (const uint8_t *)((uintptr_t)mem + (uintptr_t)mbi_pa);
	total = rd32(mbi);
	if (total < 16 || total > MB2_INFO_MAX)
		REFUSE("multiboot2 information: total_size %u is not between "
		       "16 and %u",
		       total, MB2_INFO_MAX);
	if (mbi_pa + total > top)
		REFUSE("multiboot2 information at %#llx (%u bytes) runs past "
		       "the mapped memory",
		       (unsigned long long)mbi_pa, total);

	out->si.magic = PVH_START_MAGIC;
	out->si.version = 1;
	/* tags: 8-aligned, each inside total_size; bounded by total/8 */
	for (off = 8; off + 8 <= total; tags++) {
		uint32_t type = rd32(mbi + off), size = rd32(mbi + off + 4);
		const uint8_t *t = mbi + off;

		if (size < 8 || size > total - off)
			REFUSE("multiboot2 tag %u (type %u) at offset %u: size "
			       "%u runs past total_size %u",
			       tags, type, off, size, total);
		if (type == MB2_TAG_END)
			break;
		switch (type) {
		case MB2_TAG_CMDLINE:
			if (!memchr(t + 8, 0, size - 8))
				REFUSE("multiboot2 command line tag: no "
				       "terminating NUL inside its %u bytes",
				       size);
			out->si.cmdline_paddr = mbi_pa + off + 8;
			break;
		case MB2_TAG_MMAP: {
			uint32_t esz = size >= 16 ? rd32(t + 8) : 0;

			if (esz != sizeof(struct pvh_memmap_entry))
				REFUSE("multiboot2 memory map: entry_size %u, "
				       "expected %zu",
				       esz, sizeof(struct pvh_memmap_entry));
			/* the entries have the PVH layout: used in place */
			out->si.memmap_paddr = mbi_pa + off + 16;
			out->si.memmap_entries = (size - 16) / esz;
			break;
		}
		case MB2_TAG_MODULE: {
			uint32_t b, e;

			if (size < 17)
				REFUSE("multiboot2 module tag: %u bytes, too "
				       "short",
				       size);
			b = rd32(t + 8);
			e = rd32(t + 12);
			if (e < b)
				REFUSE("multiboot2 module %u: end %#x below "
				       "start %#x",
				       out->si.nr_modules, e, b);
			/* the first module is the initrd; count the rest */
			if (out->si.nr_modules++ == 0) {
				out->mod.paddr = b;
				out->mod.size = e - b;
			}
			break;
		}
		case MB2_TAG_ACPI1:
		case MB2_TAG_ACPI2: {
			uint32_t n = size - 8;

			/* a copy of the RSDP (20 or 36 bytes); the newer
			 * one wins */
			if (n < 20)
				REFUSE("multiboot2 ACPI tag: %u bytes of RSDP, "
				       "at least 20 expected",
				       n);
			if (n > sizeof(out->rsdp))
				n = sizeof(out->rsdp);
			if (type == MB2_TAG_ACPI2 || !out->has_rsdp) {
				memset(out->rsdp, 0, sizeof(out->rsdp));
				memcpy(out->rsdp, t + 8, n);
				out->has_rsdp = 1;
			}
			break;
		}
		default:
			break;
		}
		off += (size + 7) & ~7u;
	}
	return 0;
}
