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

/* The header and the blocks' bounds; the memory reservation block's
 * terminator. */
static int check_header(struct fdt *f, const uint8_t *b, size_t max,
			uint32_t *bad_off, const char **why)
{
	uint32_t total, off;

	if (!b || max < 40)
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
	return 0;
}

/* Offset of the first NUL in v[i, len), or len: eight bytes a step. */
static inline __attribute__((always_inline)) uint32_t
find_nul(const uint8_t *v, uint32_t i, uint32_t len)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ZEROS(w) (((w)-0x0101010101010101ull) & ~(w)&0x8080808080808080ull)
	uint64_t w, z;

	for (; len - i >= 8; i += 8) {
		__builtin_memcpy(&w, v + i, sizeof(w));
		/* the lowest byte flagged is the first zero byte (borrows
		 * only flag bytes above a zero one) */
		z = ZEROS(w);
		if (z)
			return i + (uint32_t)(__builtin_ctzll(z) >> 3);
	}
	if (i < len && len >= 8) {
		/* the last word, shifted down to start at i: the bytes
		 * before i go, zeros come in above len */
		__builtin_memcpy(&w, v + len - 8, sizeof(w));
		w >>= 8 * (i - (len - 8));
		z = ZEROS(w);
		i += z ? (uint32_t)(__builtin_ctzll(z) >> 3) : 8;
		return i < len ? i : len;
	}
#undef ZEROS
#endif
	while (i < len && v[i])
		i++;
	return i;
}

/* The n bytes at p and s are the same (n at least 8: unaligned words, the
 * last one overlapping). Not inlined: the words of s are loaded from its
 * string rather than built in registers at every call (smaller code). */
static __attribute__((noinline)) int same8(const uint8_t *p, const char *s,
					   uint32_t n)
{
	uint64_t a, c;

	for (uint32_t i = 0; i + 8 < n; i += 8) {
		__builtin_memcpy(&a, p + i, 8);
		__builtin_memcpy(&c, s + i, 8);
		if (a != c)
			return 0;
	}
	__builtin_memcpy(&a, p + n - 8, 8);
	__builtin_memcpy(&c, s + n - 8, 8);
	return a == c;
}

/* The bytes of the FDT_BEGIN_NODE token at off and its name, to the word
 * after the one that holds the name's NUL (whatever the padding is; the
 * block's end is word-aligned); 0 if no NUL comes before end. */
static inline __attribute__((always_inline)) uint32_t
name_words(const uint8_t *p, uint32_t off, uint32_t end)
{
	uint32_t w = off + 4;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight bytes a step: the first zero byte's word */
	for (; end - w >= 8; w += 8) {
		uint64_t x, z;

		__builtin_memcpy(&x, p + w, sizeof(x));
		z = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
		if (z)
			return w + ((uint32_t)__builtin_ctzll(z) >> 5) * 4 + 4 -
			       off;
	}
#endif
	for (; w <= end - 4; w += 4) {
		uint32_t x;

		__builtin_memcpy(&x, p + w, sizeof(x));
		if ((x - 0x01010101u) & ~x & 0x80808080u)
			return w + 4 - off;
	}
	return 0;
}

/* The compatibles of enum fdt_compat a "compatible" value of len bytes
 * names, as bits. */
static unsigned match_compat(const uint8_t *v, uint32_t len)
{
	unsigned bits = 0;

	/* most nodes of QEMU virt are virtio-mmio transports (inline: this
	 * is the common case) */
	if (len == 12) {
		uint64_t w, cw;
		uint32_t x, cx;

		__builtin_memcpy(&w, v, 8);
		__builtin_memcpy(&x, v + 8, 4);
		__builtin_memcpy(&cw, "virtio,m", 8);
		__builtin_memcpy(&cx, "mio", 4);
		if (w == cw && x == cx)
			return 1u << FDT_VIRTIO_MMIO;
	}

	for (uint32_t i = 0, n; i < len; i = n + 1) {
		const uint8_t *p = v + i;

		n = find_nul(v, i, len);
		if (n == len)
			break; /* not terminated: not a string */
		switch (n - i) {
		case 9:
			if (same8(p, "arm,pl011", 9))
				bits |= 1u << FDT_PL011;
			else if (same8(p, "arm,pl031", 9))
				bits |= 1u << FDT_PL031;
			break;
		case 10:
			if (same8(p, "arm,gic-v3", 10))
				bits |= 1u << FDT_GIC_V3;
			break;
		case 11:
			if (same8(p, "virtio,mmio", 11))
				bits |= 1u << FDT_VIRTIO_MMIO;
			else if (same8(p, "arm,gic-400", 11))
				bits |= 1u << FDT_GIC_400;
			break;
		case 12:
			if (same8(p, "arm,psci-1.0", 12))
				bits |= 1u << FDT_PSCI_1_0;
			else if (same8(p, "arm,psci-0.2", 12))
				bits |= 1u << FDT_PSCI_0_2;
			break;
		case 15:
			if (same8(p, "arm,armv8-timer", 15))
				bits |= 1u << FDT_TIMER;
			break;
		case 17:
			if (same8(p, "arm,cortex-a9-gic", 17))
				bits |= 1u << FDT_GIC_A9;
			break;
		case 18:
			if (same8(p, "arm,cortex-a15-gic", 18))
				bits |= 1u << FDT_GIC_A15;
			break;
		}
	}
	return bits;
}

/* The properties the scan takes (0: one it passes over). */
enum {
	P_OTHER = 1,
	P_COMPATIBLE,
	P_REG,
	P_DEVICE_TYPE,
	P_STATUS,
	P_ADDRESS_CELLS,
	P_SIZE_CELLS,
	P_INTERRUPTS,
	P_METHOD,
	P_BOOTARGS,
	P_STDOUT_PATH,
	P_INITRD_START,
	P_INITRD_END,
};

/* The n + 1 bytes at p (a name and its NUL) are s's (n + 1 >= 4: two
 * words, overlapping). */
static inline __attribute__((always_inline)) int
same_short(const char *p, const char *s, uint32_t n)
{
	uint32_t a, c, d, e;

	__builtin_memcpy(&a, p, 4);
	__builtin_memcpy(&c, s, 4);
	__builtin_memcpy(&d, p + n - 3, 4);
	__builtin_memcpy(&e, s + n - 3, 4);
	return a == c && d == e;
}

/* Looked at once per name in the strings block (the scan keeps the kind by
 * name offset): by length, then the first byte and one compare. `s` has a
 * NUL at s[n]. */
static unsigned prop_kind(const char *s, uint32_t n)
{
	const uint8_t *u = (const uint8_t *)s;

	switch (n) {
	case 3:
		return same_short(s, "reg", 3) ? P_REG : P_OTHER;
	case 6:
		return s[0] == 's' && same_short(s, "status", 6)   ? P_STATUS
		       : s[0] == 'm' && same_short(s, "method", 6) ? P_METHOD
								   : P_OTHER;
	case 8:
		return same8(u, "bootargs", 8) ? P_BOOTARGS : P_OTHER;
	case 10:
		return s[0] == 'c' && same8(u, "compatible", 10) ? P_COMPATIBLE
		       : s[0] == 'i' && same8(u, "interrupts", 10)
			       ? P_INTERRUPTS
			       : P_OTHER;
	case 11:
		return s[0] == 'd' && same8(u, "device_type", 11)
			       ? P_DEVICE_TYPE
		       : s[0] == 's' && same8(u, "stdout-path", 11)
			       ? P_STDOUT_PATH
		       : s[0] == '#' && same8(u, "#size-cells", 11)
			       ? P_SIZE_CELLS
			       : P_OTHER;
	case 14:
		return same8(u, "#address-cells", 14) ? P_ADDRESS_CELLS
						      : P_OTHER;
	case 16:
		return same8(u, "linux,initrd-end", 16) ? P_INITRD_END
							: P_OTHER;
	case 18:
		return same8(u, "linux,initrd-start", 18) ? P_INITRD_START
							  : P_OTHER;
	default:
		return P_OTHER;
	}
}

/* A string property's value equals s (a NUL-terminated value whose first
 * string is s: what strcmp() on fdt_prop_string() says). */
static int string_is(const uint8_t *v, uint32_t len, const char *s, uint32_t n)
{
	return len > n && !v[len - 1] && !memcmp(v, s, n + 1);
}

/* A "#address-cells" or "#size-cells" value (the default if shorter than a
 * cell), clamped to 255. */
static uint8_t cells(const uint8_t *v, uint32_t len, uint8_t dflt)
{
	uint32_t c;

	if (len < 4)
		return dflt;
	c = be32(v);
	return c > 255 ? 255 : (uint8_t)c;
}

/* The node the scan is in, until its first child or its end. */
struct scan_node {
	struct fdt_dev d;
	unsigned compat;
	int memory, chosen;
};

/* Its properties are all seen: take what the boot wants of it. */
static void take_node(struct fdt_boot *b, const struct scan_node *n)
{
	if (n->memory && n->d.enabled && n->d.reg.v.off) {
		if (b->nr_mem < FDT_MAX_MEM)
			b->mem[b->nr_mem++] = n->d.reg;
		else
			b->mem_more = 1;
	}
	for (unsigned c = n->compat; c; c &= c - 1) {
		unsigned i = (unsigned)__builtin_ctz(c);

		if (b->first[i].node < 0)
			b->first[i] = n->d;
	}
	if (n->compat & (1u << FDT_PL011) && b->nr_uart < FDT_MAX_UARTS)
		b->uart[b->nr_uart++] = n->d;
	if (n->compat & (1u << FDT_VIRTIO_MMIO)) {
		if (b->nr_virtio < FDT_MAX_VIRTIO)
			b->virtio[b->nr_virtio++] = n->d;
		else
			b->virtio_more = 1;
	}
}

/* A property of /chosen. */
static void take_chosen(struct fdt_boot *b, unsigned kind, uint32_t off,
			uint32_t len)
{
	struct fdt_val *v;

	switch (kind) {
	case P_BOOTARGS:
		v = &b->bootargs;
		break;
	case P_STDOUT_PATH:
		v = &b->stdout_path;
		break;
	case P_INITRD_START:
		v = &b->initrd_start;
		break;
	default:
		v = &b->initrd_end;
		break;
	}
	v->off = off;
	v->len = len;
}

/* The properties the scan takes less often. */
static void take_prop(struct fdt_boot *b, struct scan_node *n, unsigned kind,
		      const uint8_t *p, uint32_t off, uint32_t len, uint8_t *ac,
		      uint8_t *sc)
{
	const uint8_t *v = p + off;

	switch (kind) {
	case P_DEVICE_TYPE:
		n->memory = string_is(v, len, "memory", 6);
		break;
	case P_STATUS:
		/* not a string: taken as absent, as by fdt_node_enabled() */
		n->d.enabled = !len || v[len - 1] ||
			       string_is(v, len, "okay", 4) ||
			       string_is(v, len, "ok", 2);
		break;
	case P_ADDRESS_CELLS:
		*ac = cells(v, len, 2);
		break;
	case P_SIZE_CELLS:
		*sc = cells(v, len, 1);
		break;
	case P_METHOD:
		n->d.method.off = off;
		n->d.method.len = len;
		break;
	default:
		if (n->chosen)
			take_chosen(b, kind, off, len);
		break;
	}
}

/* A child of the root named `s` (with or without a unit address). */
static int root_child_is(const uint8_t *name, const char *s)
{
	while (*s && *name == (uint8_t)*s)
		name++, s++;
	return !*s && (!*name || *name == '@');
}

/* noinline: a function of its own keeps the loop's values in registers */
__attribute__((noinline)) int fdt_scan(struct fdt *f, struct fdt_boot *b,
				       const void *blob, size_t max,
				       uint32_t *bad_off, const char **why)
{
	const uint8_t *p = blob;
	uint32_t end_struct, off, depth = 0, last_nul = 0;
	int seen_root = 0, open = 0;
	/* per depth: the cell sizes the node there gives its children */
	uint8_t ac[FDT_MAX_DEPTH + 1], sc[FDT_MAX_DEPTH + 1];
	/* property kinds by name offset (0: not looked at yet); the strings
	 * block is short and its names are shared, so most are looked at
	 * once */
	uint8_t kinds[512];
	struct scan_node n;

	if (check_header(f, p, max, bad_off, why) < 0)
		return -1;
	/* the arrays are filled up to their counts */
	for (unsigned i = 0; i < FDT_NR_COMPAT; i++)
		b->first[i] = (struct fdt_dev){.node = -1};
	b->nr_uart = b->nr_virtio = b->virtio_more = 0;
	b->nr_mem = b->mem_more = 0;
	b->chosen = b->aliases = -1;
	b->bootargs.off = b->stdout_path.off = 0;
	b->initrd_start.off = b->initrd_end.off = 0;
	memset(kinds, 0, sizeof(kinds));
	memset(&n, 0, sizeof(n));
	/* a name offset is good if a NUL follows it in the strings block:
	 * if it is at most the offset of the last NUL there */
	if (f->size_strings) {
		const uint8_t *s = p + f->off_strings;

		for (last_nul = f->size_strings; last_nul && s[last_nul - 1];)
			last_nul--;
	}

	/* off_struct >= 40: end_struct - 4 does not wrap */
	end_struct = f->off_struct + f->size_struct;
	off = f->off_struct;
	for (;;) {
		uint32_t tok, len, nameoff, kind;

		/* every token moves off forward (the block's end is below
		 * 2^32 - 4: no wrap), so the loop ends */
		if (off > end_struct - 4)
			return fail(bad_off, why, off,
				    "structure block ends without FDT_END");
		tok = be32(p + off);
		/* most tokens are properties */
		if (tok == TOK_PROP) {
			/* open: inside a node and before its first child */
			if (!open)
				return fail(bad_off, why, off,
					    depth == 0
						    ? "property outside a node"
						    : "property after a child "
						      "node");
			if (off > end_struct - 12)
				return fail(bad_off, why, off,
					    "property header truncated");
			len = be32(p + off + 4);
			nameoff = be32(p + off + 8);
			if (len > end_struct - (off + 12))
				return fail(bad_off, why, off + 4,
					    "property value beyond the "
					    "structure block");
			if (nameoff >= last_nul)
				return fail(bad_off, why, off + 8,
					    "property name offset outside the "
					    "strings block");
			kind = nameoff < sizeof(kinds) ? kinds[nameoff] : 0;
			if (!kind) {
				/* a NUL comes before the block's end */
				const uint8_t *str = p + f->off_strings;

				kind = prop_kind(
					(const char *)str + nameoff,
					find_nul(str, nameoff, last_nul) -
						nameoff);
				if (nameoff < sizeof(kinds))
					kinds[nameoff] = (uint8_t)kind;
			}
			/* the common ones here, the rest in take_prop(); a
			 * name twice in a node (which the specification
			 * forbids): the last counts */
			if (kind == P_OTHER) {
				/* passed over: most of them */
			} else if (kind == P_REG) {
				n.d.reg.v.off = off + 12;
				n.d.reg.v.len = len;
			} else if (kind == P_COMPATIBLE) {
				n.compat = match_compat(p + off + 12, len);
			} else if (kind == P_INTERRUPTS) {
				n.d.irqs.off = off + 12;
				n.d.irqs.len = len;
			} else {
				take_prop(b, &n, kind, p, off + 12, len,
					  &ac[depth], &sc[depth]);
			}
			off = align4(off + 12 + len);
		} else if (tok == TOK_BEGIN_NODE) {
			if (depth == 0 && seen_root)
				return fail(bad_off, why, off,
					    "a second root node");
			seen_root = 1;
			if (++depth > FDT_MAX_DEPTH)
				return fail(bad_off, why, off,
					    "nodes nested too deep");
			len = name_words(p, off, end_struct);
			if (!len)
				return fail(bad_off, why, off,
					    "node name not terminated");
			if (open && (n.compat || n.memory))
				take_node(b, &n); /* the parent's */
			open = 1;
			n.d.node = (int)off;
			n.d.enabled = 1;
			n.d.depth = (uint8_t)(depth - 1);
			n.d.reg.v.off = n.d.reg.v.len = 0;
			n.d.reg.ac = depth > 1 ? ac[depth - 1] : 0;
			n.d.reg.sc = depth > 1 ? sc[depth - 1] : 0;
			n.d.irqs.off = n.d.method.off = 0;
			n.compat = 0;
			n.memory = n.chosen = 0;
			ac[depth] = 2;
			sc[depth] = 1;
			if (depth == 2 && p[off + 4] == 'c' && b->chosen < 0 &&
			    root_child_is(p + off + 4, "chosen"))
				b->chosen = (int)off, n.chosen = 1;
			if (depth == 2 && p[off + 4] == 'a' && b->aliases < 0 &&
			    root_child_is(p + off + 4, "aliases"))
				b->aliases = (int)off;
			off += len;
		} else if (tok == TOK_END_NODE) {
			if (depth == 0)
				return fail(bad_off, why, off,
					    "FDT_END_NODE without a node");
			if (open && (n.compat || n.memory))
				take_node(b, &n);
			open = 0;
			depth--;
			off += 4;
		} else if (tok == TOK_NOP) {
			off += 4;
		} else if (tok == TOK_END) {
			if (depth != 0)
				return fail(bad_off, why, off,
					    "FDT_END inside a node");
			if (!seen_root)
				return fail(bad_off, why, off, "no root node");
			return 0;
		} else {
			return fail(bad_off, why, off, "unknown token");
		}
	}
}

int fdt_open(struct fdt *f, const void *blob, size_t max, uint32_t *bad_off,
	     const char **why)
{
	struct fdt_boot b;

	return fdt_scan(f, &b, blob, max, bad_off, why);
}

int fdt_reg_get(const struct fdt *f, const struct fdt_reg *r, unsigned int i,
		uint64_t *base, uint64_t *size)
{
	uint32_t ac = r->ac, sc = r->sc;
	const uint8_t *v;

	if (!r->v.off || ac < 1 || ac > 2 || sc > 2)
		return -1;
	uint64_t entry = (uint64_t)(ac + sc) * 4;
	if ((uint64_t)(i + 1) * entry > r->v.len)
		return -1;
	v = f->blob + r->v.off + i * entry;
	*base = ac == 2 ? be64(v) : be32(v);
	v += ac * 4;
	*size = sc == 2 ? be64(v) : sc == 1 ? be32(v) : 0;
	return 0;
}

const void *fdt_val_ptr(const struct fdt *f, struct fdt_val v)
{
	return v.off ? f->blob + v.off : NULL;
}

const char *fdt_val_string(const struct fdt *f, struct fdt_val v)
{
	const char *s = fdt_val_ptr(f, v);

	if (!s || !v.len || s[v.len - 1])
		return NULL;
	return s;
}

/* After fdt_scan() every walk below stays on valid tokens; the bounds and
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

int fdt_dev_at_path(const struct fdt *f, const struct fdt_dev *d,
		    const char *path)
{
	const char *comp = path + 1;
	size_t n;

	if (d->node < 0 || path[0] != '/')
		return 0;
	while (*comp == '/')
		comp++;
	n = strcspn(comp, "/");
	if (!comp[n]) /* one component: a child of the root */
		return d->depth == 1 &&
		       name_matches(fdt_node_name(f, d->node), comp, n);
	return d->depth > 1 && fdt_path(f, path) == d->node;
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
	struct fdt_reg r;
	uint32_t ac, sc;
	int parent = fdt_parent(f, node);
	const uint8_t *v;

	if (parent < 0)
		return -1;
	fdt_cells(f, parent, &ac, &sc);
	v = fdt_prop(f, node, "reg", &r.v.len);
	r.v.off = v ? (uint32_t)(v - f->blob) : 0;
	r.ac = ac > 255 ? 255 : (uint8_t)ac;
	r.sc = sc > 255 ? 255 : (uint8_t)sc;
	return fdt_reg_get(f, &r, i, base, size);
}

int fdt_rsv(const struct fdt *f, unsigned int i, uint64_t *addr, uint64_t *size)
{
	if (i >= f->nr_rsv)
		return -1;
	*addr = be64(f->blob + f->off_rsvmap + i * 16);
	*size = be64(f->blob + f->off_rsvmap + i * 16 + 8);
	return 0;
}
