/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A flattened device tree reader (Devicetree Specification v0.4, chapter 5),
 * private to platforms/kvm/arm64. The blob comes from the VMM and is not
 * trusted: fdt_open() checks all of it once (header, block bounds, every
 * token, nesting, property lengths, name and string offsets), so that the
 * lookups after it need no checks of their own beyond staying in bounds.
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

/*
 * Check the blob at `blob` (at most `max` bytes may be read) and fill *f.
 * Returns 0, or -1 with *bad_off (offset in the blob) and *why (a static
 * message) saying what is wrong.
 */
int fdt_open(struct fdt *f, const void *blob, size_t max, uint32_t *bad_off,
	     const char **why);

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
