/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A flattened device tree reader (Devicetree Specification v0.4, chapter 5),
 * private to platforms/kvm/arm64. The blob comes from the VMM and is not
 * trusted: fdt_scan() checks all of it (header, block bounds, every token,
 * nesting, property lengths, name and string offsets, properties before
 * child nodes) in one pass that also gathers what the boot needs (struct
 * fdt_boot), so that the boot walks the tree once. The lookups below need
 * no checks of their own after it beyond staying in bounds; they serve what
 * the pass does not gather.
 */
#ifndef KVM_ARM64_FDT_H
#define KVM_ARM64_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_MAX_DEPTH  32
#define FDT_MAX_TOKENS (1u << 20) /* bound for the walks */

struct fdt {
	const uint8_t *blob;
	uint32_t size;	     /* totalsize */
	uint32_t off_struct; /* structure block */
	uint32_t size_struct;
	uint32_t off_strings; /* strings block */
	uint32_t size_strings;
	uint32_t off_rsvmap; /* memory reservation block */
	uint32_t nr_rsv;     /* its entries, without the terminator */
};

/* A property value: blob offset and length (off 0: absent; the header is
 * at offset 0). */
struct fdt_val {
	uint32_t off, len;
};

/* A node's "reg" and the cell sizes its parent gives (#address-cells,
 * #size-cells, clamped to 255; ac 0 for the root, which has no parent). */
struct fdt_reg {
	struct fdt_val v;
	uint8_t ac, sc;
};

/* A device node as the scan saw it. */
struct fdt_dev {
	int node;	 /* its FDT_BEGIN_NODE's offset; -1: none */
	uint8_t enabled; /* "status" absent (or not a string), "okay", "ok" */
	uint8_t depth;	 /* 1: a child of the root */
	struct fdt_reg reg;
	struct fdt_val irqs;   /* "interrupts" */
	struct fdt_val method; /* "method" (PSCI) */
};

/* The "compatible" values the boot and the drivers look for. */
enum fdt_compat {
	FDT_PL011,
	FDT_PL031,
	FDT_GIC_V3,
	FDT_GIC_A15, /* GICv2: "arm,cortex-a15-gic" */
	FDT_GIC_400,
	FDT_GIC_A9,
	FDT_TIMER, /* "arm,armv8-timer" */
	FDT_PSCI_1_0,
	FDT_PSCI_0_2,
	FDT_VIRTIO_MMIO,
	FDT_NR_COMPAT
};

#define FDT_MAX_MEM    16 /* memory nodes */
#define FDT_MAX_UARTS  4  /* PL011s (stdout-path picks one) */
#define FDT_MAX_VIRTIO 64 /* virtio-mmio transports (QEMU virt: 32) */

/* What one pass over the tree gathers, in document order. */
struct fdt_boot {
	/* the first node of each compatible (node -1: none) */
	struct fdt_dev first[FDT_NR_COMPAT];
	/* every PL011 and virtio-mmio node, up to the array's size (PL011s
	 * past the fourth are not kept: a stdout-path naming one gets the
	 * first; virtio_more says there were more transports, and devices.c
	 * then walks the tree) */
	struct fdt_dev uart[FDT_MAX_UARTS], virtio[FDT_MAX_VIRTIO];
	uint8_t nr_uart, nr_virtio, virtio_more;
	/* "reg" of the enabled nodes whose device_type is "memory" */
	struct fdt_reg mem[FDT_MAX_MEM];
	uint8_t nr_mem, mem_more;
	int chosen, aliases; /* /chosen, /aliases; -1: none */
	/* /chosen's properties */
	struct fdt_val bootargs, stdout_path, initrd_start, initrd_end;
};

/*
 * Check the blob at `blob` (at most `max` bytes may be read), fill *f and
 * gather *b. Returns 0, or -1 with *bad_off (offset in the blob) and *why
 * (a static message) saying what is wrong.
 */
int fdt_scan(struct fdt *f, struct fdt_boot *b, const void *blob, size_t max,
	     uint32_t *bad_off, const char **why);

/* fdt_scan() for the checks only. */
int fdt_open(struct fdt *f, const void *blob, size_t max, uint32_t *bad_off,
	     const char **why);

/* Entry `i` of a "reg" the scan gathered: 0 and *base, *size; -1 if
 * absent, too short, or a cell count other than 1 or 2 (0 to 2 for the
 * size). */
int fdt_reg_get(const struct fdt *f, const struct fdt_reg *r, unsigned int i,
		uint64_t *base, uint64_t *size);

/* A gathered value: its bytes (NULL if absent), or as a string
 * (NUL-terminated, checked; NULL otherwise). */
const void *fdt_val_ptr(const struct fdt *f, struct fdt_val v);
const char *fdt_val_string(const struct fdt *f, struct fdt_val v);

/* Offset of the first node after `node` in document order (its first
 * child, sibling, or a later node), adjusting *depth; -1 at the end. Start
 * with node = -1 to get the root (depth 0). */
int fdt_next_node(const struct fdt *f, int node, int *depth);

/* The node's name ("" for the root, "memory@40000000"). */
const char *fdt_node_name(const struct fdt *f, int node);

/* The property `name` of `node`: its value and *len, or NULL. */
const void *fdt_prop(const struct fdt *f, int node, const char *name,
		     uint32_t *len);

/* The node at the absolute path ("/chosen", "/psci"), or -1. */
int fdt_path(const struct fdt *f, const char *path);

/* The first node after `from` (-1: from the start) whose "compatible"
 * list holds `compat`, or -1. */
int fdt_find_compatible(const struct fdt *f, int from, const char *compat);

/* Non-zero if the absolute `path` names the device (as fdt_path() would
 * find it: a child of the root without a walk). */
int fdt_dev_at_path(const struct fdt *f, const struct fdt_dev *d,
		    const char *path);

/* Non-zero if `node`'s "compatible" list holds `compat`. */
int fdt_is_compatible(const struct fdt *f, int node, const char *compat);

/* Non-zero if `node`'s "status" is absent, "okay" or "ok". */
int fdt_node_enabled(const struct fdt *f, int node);

/* The parent of `node` (-1 for the root). */
int fdt_parent(const struct fdt *f, int node);

/* Cell sizes for the children of `node` (#address-cells, #size-cells;
 * defaults 2 and 1). */
void fdt_cells(const struct fdt *f, int node, uint32_t *addr_cells,
	       uint32_t *size_cells);

/*
 * Entry `i` of `node`'s "reg", with the cell sizes of its parent: 0 and
 * *base, *size; -1 if absent, too short, or a cell count other than 1 or 2.
 */
int fdt_reg(const struct fdt *f, int node, unsigned int i, uint64_t *base,
	    uint64_t *size);

/* Big-endian cell `i` of a property value of `len` bytes, or `dflt`. */
uint32_t fdt_cell(const void *val, uint32_t len, unsigned int i, uint32_t dflt);

/* A string property as a NUL-terminated string (checked), or NULL. */
const char *fdt_prop_string(const struct fdt *f, int node, const char *name);

/* Memory reservation entry i (address, size); -1 past the last. */
int fdt_rsv(const struct fdt *f, unsigned int i, uint64_t *addr,
	    uint64_t *size);

#endif
