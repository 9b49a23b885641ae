/* SPDX-License-Identifier: BSD-3-Clause */
/* A checked flattened device tree reader; see fdt.h. */
#include <string.h>
#include "fdt.h"

#define TOK_BEGIN_NODE 1
#define TOK_END_NODE   2
#define TOK_PROP       3
#define TOK_NOP	       4
#define TOK_END	       9

/* One load and a byte swap (every boot walks the tree several times: a
 * byte at a time this was a tenth of the instructions before main()). */
static inline __attribute__((always_inline)) uint32_t be32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

static uint32_t align4(uint32_t v)
{
	return (v + 3) & ~3u;
}

/* Absolute offsets below are blob offsets; the struct block is
 * [off_struct, off_struct + size_struct). */
static uint32_t tok_at(const struct fdt *f, uint32_t off)
{
	return be32(f->blob + off);
}

static int fail(uint32_t *bad_off, const char **why, uint32_t off,
		const char *msg)
{
	*bad_off = off;
	*why = msg;
	return -1;
}

int fdt_open(struct fdt *f, const void *blob, size_t max, uint32_t *bad_off,
	     const char **why)
{
	const uint8_t *b = blob;
	uint32_t total, end_struct, off, depth = 0, ntok = 0;
	int seen_root = 0;

	if (!blob || max < 40)
		return fail(bad_off, why, 0, "shorter than a header");
	if (be32(b) != FDT_MAGIC)
		return fail(bad_off, why, 0, "bad magic");
	total = be32(b + 4);
	if (total < 40 || total > max)
		return fail(bad_off, why, 4,
			    "totalsize smaller than a header or beyond the "
			    "memory it may use");
	f->blob = b;
	f->size = total;
	f->off_struct = be32(b + 8);
	f->off_strings = be32(b + 12);
	f->off_rsvmap = be32(b + 16);
	if (be32(b + 20) < 17 || be32(b + 24) > 17)
		return fail(bad_off, why, 20, "version not compatible with 17");
	f->size_strings = be32(b + 32);
	f->size_struct = be32(b + 36);
	if ((f->off_struct & 3) || f->off_struct < 40 ||
	    f->off_struct > total || f->size_struct > total - f->off_struct ||
	    (f->size_struct & 3))
		return fail(bad_off, why, 8, "structure block out of bounds");
	if (f->off_strings < 40 || f->off_strings > total ||
	    f->size_strings > total - f->off_strings)
		return fail(bad_off, why, 12, "strings block out of bounds");
	if ((f->off_rsvmap & 7) || f->off_rsvmap < 40 || f->off_rsvmap > total)
		return fail(bad_off, why, 16,
			    "memory reservation block out of bounds");
	/* reservation entries up to the (0, 0) terminator */
	for (off = f->off_rsvmap, f->nr_rsv = 0;; off += 16, f->nr_rsv++) {
		if (off > total - 16)
			return fail(bad_off, why, off,
				    "memory reservation block has no "
				    "terminator");
		if (!be64(b + off) && !be64(b + off + 8))
			break;
	}

	end_struct = f->off_struct + f->size_struct;
	off = f->off_struct;
	for (;;) {
		uint32_t tok, len, nameoff, n;

		if (++ntok > FDT_MAX_TOKENS)
			return fail(bad_off, why, off, "too many tokens");
		if (off > end_struct - 4 || end_struct < 4)
			return fail(bad_off, why, off,
				    "structure block ends without FDT_END");
		tok = tok_at(f, off);
		switch (tok) {
		case TOK_BEGIN_NODE:
			if (depth == 0 && seen_root)
				return fail(bad_off, why, off,
					    "a second root node");
			seen_root = 1;
			if (++depth > FDT_MAX_DEPTH)
				return fail(bad_off, why, off,
					    "nodes nested too deep");
			n = 0;
			while (off + 4 + n < end_struct && b[off + 4 + n])
				n++;
			if (off + 4 + n >= end_struct)
				return fail(bad_off, why, off,
					    "node name not terminated");
			off = align4(off + 4 + n + 1);
			break;
		case TOK_END_NODE:
			if (depth == 0)
				return fail(bad_off, why, off,
					    "FDT_END_NODE without a node");
			depth--;
			off += 4;
			break;
		case TOK_PROP:
			if (depth == 0)
				return fail(bad_off, why, off,
					    "property outside a node");
			if (off > end_struct - 12)
				return fail(bad_off, why, off,
					    "property header truncated");
			len = be32(b + off + 4);
			nameoff = be32(b + off + 8);
			if (len > end_struct - (off + 12))
				return fail(bad_off, why, off + 4,
					    "property value beyond the "
					    "structure block");
			if (nameoff >= f->size_strings ||
			    !memchr(b + f->off_strings + nameoff, 0,
				    f->size_strings - nameoff))
				return fail(bad_off, why, off + 8,
					    "property name offset outside the "
					    "strings block");
			off = align4(off + 12 + len);
			break;
		case TOK_NOP:
			off += 4;
			break;
		case TOK_END:
			if (depth != 0)
				return fail(bad_off, why, off,
					    "FDT_END inside a node");
			if (!seen_root)
				return fail(bad_off, why, off, "no root node");
			return 0;
		default:
			return fail(bad_off, why, off, "unknown token");
		}
	}
}

/* After fdt_open() every walk below stays on valid tokens; the bounds and
 * the token counter only guard against misuse. */
static uint32_t skip_name(const struct fdt *f, uint32_t off)
{
	/* The next token starts at the word after the one that holds the
	 * name's NUL, whatever the padding bytes are: a word at a time, not a
	 * byte (every walk skips every node's name). fdt_open() checked that
	 * a NUL comes before the end of the structure block. */
	for (off += 4;; off += 4) {
		uint32_t v;

		__builtin_memcpy(&v, f->blob + off, sizeof(v));
		if ((v - 0x01010101u) & ~v & 0x80808080u)
			return off + 4;
	}
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	uint32_t end = f->off_struct + f->size_struct, off;

	if (node < 0) {
		off = f->off_struct;
		*depth = -1;
	} else {
		off = skip_name(f, (uint32_t)node);
	}
	for (unsigned n = 0; n < FDT_MAX_TOKENS && off + 4 <= end; n++) {
		switch (tok_at(f, off)) {
		case TOK_BEGIN_NODE:
			(*depth)++;
			return (int)off;
		case TOK_END_NODE:
			(*depth)--;
			off += 4;
			break;
		case TOK_PROP:
			off = align4(off + 12 + be32(f->blob + off + 4));
			break;
		case TOK_NOP:
			off += 4;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	return (const char *)f->blob + node + 4;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name,
		     uint32_t *len)
{
	uint32_t end = f->off_struct + f->size_struct;
	uint32_t off = skip_name(f, (uint32_t)node);

	for (unsigned n = 0; n < FDT_MAX_TOKENS && off + 4 <= end; n++) {
		uint32_t tok = tok_at(f, off);

		if (tok == TOK_NOP) {
			off += 4;
			continue;
		}
		if (tok != TOK_PROP)
			return NULL; /* properties come before children */
		uint32_t plen = be32(f->blob + off + 4);
		const char *pname = (const char *)f->blob + f->off_strings +
				    be32(f->blob + off + 8);
		if (!strcmp(pname, name)) {
			if (len)
				*len = plen;
			return f->blob + off + 12;
		}
		off = align4(off + 12 + plen);
	}
	return NULL;
}

const char *fdt_prop_string(const struct fdt *f, int node, const char *name)
{
	uint32_t len;
	const char *v = fdt_prop(f, node, name, &len);

	if (!v || !len || v[len - 1])
		return NULL;
	return v;
}

/* A path component matches a node name exactly, or the name's part
 * before '@' when the component has no unit address. */
static int name_matches(const char *name, const char *comp, size_t n)
{
	return !strncmp(name, comp, n) &&
	       (name[n] == '\0' || (name[n] == '@' && !memchr(comp, '@', n)));
}

int fdt_path(const struct fdt *f, const char *path)
{
	int depth = 0, level = 0;
	int node = fdt_next_node(f, -1, &depth); /* the root */
	const char *p = path;

	if (*p != '/' || node < 0)
		return -1;
	while (*p == '/')
		p++;
	if (!*p)
		return node;
	size_t len = strcspn(p, "/");

	for (int n = fdt_next_node(f, node, &depth); n >= 0;
	     n = fdt_next_node(f, n, &depth)) {
		if (depth <= level)
			return -1; /* left the subtree matched so far */
		if (depth != level + 1 ||
		    !name_matches(fdt_node_name(f, n), p, len))
			continue;
		level++;
		p += len;
		while (*p == '/')
			p++;
		if (!*p)
			return n;
		len = strcspn(p, "/");
	}
	return -1;
}

int fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	uint32_t len;
	const char *v = fdt_prop(f, node, "compatible", &len);
	size_t clen = strlen(compat) + 1;

	for (uint32_t i = 0; v && i < len;) {
		const char *end = memchr(v + i, 0, len - i);

		if (!end)
			break;
		if ((size_t)(end - (v + i)) + 1 == clen &&
		    !memcmp(v + i, compat, clen))
			return 1;
		i = (uint32_t)(end - v) + 1;
	}
	return 0;
}

int fdt_find_compatible(const struct fdt *f, int from, const char *compat)
{
	int depth = 0;

	for (int n = fdt_next_node(f, from, &depth); n >= 0;
	     n = fdt_next_node(f, n, &depth))
		if (fdt_is_compatible(f, n, compat))
			return n;
	return -1;
}

int fdt_node_enabled(const struct fdt *f, int node)
{
	const char *s = fdt_prop_string(f, node, "status");

	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1], depth = 0;

	for (int n = fdt_next_node(f, -1, &depth); n >= 0;
	     n = fdt_next_node(f, n, &depth)) {
		if (depth < 0 || depth > FDT_MAX_DEPTH)
			return -1;
		stack[depth] = n;
		if (n == node)
			return depth ? stack[depth - 1] : -1;
	}
	return -1;
}

uint32_t fdt_cell(const void *val, uint32_t len, unsigned int i, uint32_t dflt)
{
	if (!val || (uint64_t)i * 4 + 4 > len)
		return dflt;
	return be32((const uint8_t *)val + i * 4);
}

void fdt_cells(const struct fdt *f, int node, uint32_t *addr_cells,
	       uint32_t *size_cells)
{
	uint32_t len;
	const void *v;

	v = fdt_prop(f, node, "#address-cells", &len);
	*addr_cells = fdt_cell(v, len, 0, 2);
	v = fdt_prop(f, node, "#size-cells", &len);
	*size_cells = fdt_cell(v, len, 0, 1);
}

int fdt_reg(const struct fdt *f, int node, unsigned int i, uint64_t *base,
	    uint64_t *size)
{
	uint32_t ac, sc, len;
	int parent = fdt_parent(f, node);
	const uint8_t *v;

	if (parent < 0)
		return -1;
	fdt_cells(f, parent, &ac, &sc);
	if (ac < 1 || ac > 2 || sc > 2)
		return -1;
	v = fdt_prop(f, node, "reg", &len);
	uint64_t entry = (uint64_t)(ac + sc) * 4;
	if (!v || (uint64_t)(i + 1) * entry > len)
		return -1;
	v += i * entry;
	*base = ac == 2 ? be64(v) : be32(v);
	v += ac * 4;
	*size = sc == 2 ? be64(v) : sc == 1 ? be32(v) : 0;
	return 0;
}

int fdt_rsv(const struct fdt *f, unsigned int i, uint64_t *addr, uint64_t *size)
{
	if (i >= f->nr_rsv)
		return -1;
	*addr = be64(f->blob + f->off_rsvmap + i * 16);
	*size = be64(f->blob + f->off_rsvmap + i * 16 + 8);
	return 0;
}
