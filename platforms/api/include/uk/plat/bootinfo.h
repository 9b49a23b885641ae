/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat boot information: what the platform learned from its loader (PVH
 * start_info on kvm, the process arguments and mmap on linuxu) and hands to
 * ukboot.
 */
#ifndef UK_PLAT_BOOTINFO_H
#define UK_PLAT_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of memory region. */
enum ukplat_memregion_type {
	UKPLAT_MEMR_FREE = 1,  /* RAM nobody uses yet: the heap may take it */
	UKPLAT_MEMR_IMAGE = 2, /* the loaded image (text, data, bss, symbols) */
	UKPLAT_MEMR_RESERVED = 3, /* firmware, boot structures, MMIO holes */
};

struct ukplat_memregion {
	uintptr_t base; /* first byte, page-aligned for FREE regions */
	size_t len;	/* bytes; FREE regions are a multiple of 4 KiB */
	enum ukplat_memregion_type type;
};

/* At most this many regions are reported; a loader map that is longer is
 * truncated with a warning on the console (never silently). */
#define UKPLAT_MEMREGION_MAX 32

struct ukplat_bootinfo {
	/* The command line as the loader gave it: NUL-terminated, never NULL
	 * (an empty string when there was none). Owned by the platform. */
	const char *cmdline;
	/* Length of cmdline in bytes, without the NUL. */
	size_t cmdline_len;
	/* Memory regions, sorted by base, non-overlapping. */
	unsigned int nr_memregions;
	struct ukplat_memregion memregions[UKPLAT_MEMREGION_MAX];
	/* Platform and loader names for the boot log ("kvm", "pvh"). */
	const char *plat_name;
	const char *loader_name;
	/* Time stamp counter read at the image's first instruction, or 0 when
	 * the platform cannot read one. */
	uint64_t tsc_at_entry;
	/* The initial ramdisk (a cpio archive) the loader passed, or NULL and
	 * 0 when there is none: QEMU's -initrd (a PVH module) on kvm, the
	 * file named by UK_INITRD in the environment on linuxu. Its memory is
	 * never in a FREE region; the image may keep reading it. */
	const void *initrd;
	size_t initrd_len;
};

/*
 * Return the boot information. Valid from the first call into ukboot until the
 * image exits; never NULL.
 */
const struct ukplat_bootinfo *ukplat_bootinfo(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_BOOTINFO_H */
