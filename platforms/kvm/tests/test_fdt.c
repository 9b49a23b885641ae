/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native tests of the arm64 platform's device tree reader (arm64/fdt.c) on
 * QEMU's own device trees (dumped at build time with -M virt,dumpdtb=FILE,
 * GICv2 and GICv3 variants; paths in argv) and on corrupted copies, which
 * must be refused with the offset of what is wrong - or, if a change keeps
 * the blob valid, walked completely without reading out of bounds (the
 * ASan build checks that).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fdt.h"

static uint8_t *blob_v2, *blob_v3;
static size_t len_v2, len_v3;

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static uint32_t rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void test_qemu_virt(void **state)
{
	struct fdt f;
	uint32_t off, len;
	const char *why;
	uint64_t base, size;
	int n;

	(void)state;
	assert_int_equal(fdt_open(&f, blob_v3, len_v3, &off, &why), 0);
	assert_true(f.size <= len_v3);
	/* the console QEMU names */
	n = fdt_path(&f, "/chosen");
	assert_true(n >= 0);
	assert_string_equal(fdt_prop_string(&f, n, "stdout-path"),
			    "/pl011@9000000");
	n = fdt_path(&f, "/pl011@9000000");
	assert_true(n >= 0);
	assert_int_equal(fdt_path(&f, "/pl011"), n); /* without unit address */
	assert_int_equal(fdt_find_compatible(&f, -1, "arm,pl011"), n);
	assert_true(fdt_is_compatible(&f, n, "arm,primecell"));
	assert_int_equal(fdt_reg(&f, n, 0, &base, &size), 0);
	assert_int_equal(base, 0x9000000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_reg(&f, n, 1, &base, &size), -1);
	/* memory: 64 MiB at 1 GiB (as dumped) */
	n = fdt_path(&f, "/memory@40000000");
	assert_true(n >= 0);
	assert_string_equal(fdt_prop_string(&f, n, "device_type"), "memory");
	assert_int_equal(fdt_reg(&f, n, 0, &base, &size), 0);
	assert_int_equal(base, 0x40000000);
	assert_int_equal(size, 64u << 20);
	/* PSCI through hvc */
	n = fdt_find_compatible(&f, -1, "arm,psci-0.2");
	assert_true(n >= 0);
	assert_string_equal(fdt_prop_string(&f, n, "method"), "hvc");
	/* GICv3: distributor and redistributors; a nested node by path */
	n = fdt_find_compatible(&f, -1, "arm,gic-v3");
	assert_true(n >= 0);
	assert_int_equal(fdt_reg(&f, n, 0, &base, &size), 0);
	assert_int_equal(base, 0x8000000);
	assert_int_equal(fdt_reg(&f, n, 1, &base, &size), 0);
	assert_int_equal(base, 0x80a0000);
	assert_true(fdt_path(&f, "/intc@8000000/its@8080000") > n);
	assert_int_equal(fdt_parent(&f, fdt_path(&f, "/intc/its")), n);
	/* the timer's PPIs: (type 1, number, flags) x 4; the virtual one is
	 * the third */
	n = fdt_find_compatible(&f, -1, "arm,armv8-timer");
	const void *irqs = fdt_prop(&f, n, "interrupts", &len);
	assert_int_equal(len, 48);
	assert_int_equal(fdt_cell(irqs, len, 6, 0), 1);
	assert_int_equal(fdt_cell(irqs, len, 7, 0), 11);
	assert_int_equal(fdt_cell(irqs, len, 12, 99), 99); /* past the end */
	/* 32 virtio-mmio transports, SPIs 16 up */
	int count = 0;
	for (n = fdt_find_compatible(&f, -1, "virtio,mmio"); n >= 0;
	     n = fdt_find_compatible(&f, n, "virtio,mmio"))
		count++;
	assert_int_equal(count, 32);
	/* lookups that find nothing */
	assert_int_equal(fdt_path(&f, "/nonexistent"), -1);
	assert_int_equal(fdt_path(&f, "chosen"), -1);
	assert_int_equal(fdt_path(&f, "/chosen/x"), -1);
	assert_null(fdt_prop(&f, fdt_path(&f, "/chosen"), "bootargs", &len));
	assert_int_equal(fdt_find_compatible(&f, -1, "no,such"), -1);

	/* GICv2: distributor and CPU interface */
	assert_int_equal(fdt_open(&f, blob_v2, len_v2, &off, &why), 0);
	n = fdt_find_compatible(&f, -1, "arm,cortex-a15-gic");
	assert_true(n >= 0);
	assert_int_equal(fdt_reg(&f, n, 1, &base, &size), 0);
	assert_int_equal(base, 0x8010000);
}

/* Refused, and the offset and reason given. */
static void refuse(uint8_t *b, size_t len, uint32_t want_off,
		   const char *want_why)
{
	struct fdt f;
	uint32_t off = 0xffffffff;
	const char *why = NULL;

	assert_int_equal(fdt_open(&f, b, len, &off, &why), -1);
	assert_non_null(why);
	if (want_off != 0xffffffff)
		assert_int_equal(off, want_off);
	if (want_why)
		assert_non_null(strstr(why, want_why));
}

static void test_corrupt_header(void **state)
{
	uint8_t *b = malloc(len_v3);
	uint32_t total = rd32(blob_v3 + 4), ostruct = rd32(blob_v3 + 8);

	(void)state;
	memcpy(b, blob_v3, len_v3);
	refuse(b, 20, 0, "shorter than a header");
	b[0] ^= 1;
	refuse(b, len_v3, 0, "magic");
	b[0] ^= 1;
	refuse(b, total - 1, 4, "totalsize"); /* blob cut short */
	wr32(b + 4, 12);
	refuse(b, len_v3, 4, "totalsize");
	wr32(b + 4, total);
	wr32(b + 8, total + 8);
	refuse(b, len_v3, 8, "structure block");
	wr32(b + 8, ostruct + 2); /* misaligned */
	refuse(b, len_v3, 8, "structure block");
	wr32(b + 8, ostruct);
	wr32(b + 36, total); /* size_struct beyond totalsize */
	refuse(b, len_v3, 8, "structure block");
	memcpy(b, blob_v3, len_v3);
	wr32(b + 32, total); /* strings */
	refuse(b, len_v3, 12, "strings block");
	memcpy(b, blob_v3, len_v3);
	wr32(b + 20, 16); /* version */
	refuse(b, len_v3, 20, "version");
	memcpy(b, blob_v3, len_v3);
	/* reservation map without its terminator: fill it with non-zero */
	uint32_t rsv = rd32(b + 16);
	memset(b + rsv, 0xff, total - rsv);
	refuse(b, len_v3, 0xffffffff, NULL);
	free(b);
}

static void test_corrupt_structure(void **state)
{
	uint8_t *b = malloc(len_v3);
	uint32_t ostruct = rd32(blob_v3 + 8), sstruct = rd32(blob_v3 + 36);
	uint32_t first_prop;

	(void)state;
	/* the root node: BEGIN_NODE, "" (4 bytes), then its first property */
	first_prop = ostruct + 8;
	memcpy(b, blob_v3, len_v3);
	assert_int_equal(rd32(b + first_prop), 3);
	wr32(b + first_prop, 77);
	refuse(b, len_v3, first_prop, "unknown token");
	memcpy(b, blob_v3, len_v3);
	wr32(b + first_prop + 4, 0x7fffffff); /* property length */
	refuse(b, len_v3, first_prop + 4, "property value beyond");
	memcpy(b, blob_v3, len_v3);
	wr32(b + first_prop + 8, 0x7fffffff); /* name offset */
	refuse(b, len_v3, first_prop + 8, "property name offset");
	memcpy(b, blob_v3, len_v3);
	wr32(b + ostruct, 2); /* END_NODE first */
	refuse(b, len_v3, ostruct, "FDT_END_NODE without a node");
	memcpy(b, blob_v3, len_v3);
	wr32(b + ostruct, 3); /* a property before any node */
	refuse(b, len_v3, ostruct, "property outside a node");
	memcpy(b, blob_v3, len_v3);
	/* the final FDT_END replaced by a NOP: runs off the block */
	assert_int_equal(rd32(b + ostruct + sstruct - 4), 9);
	wr32(b + ostruct + sstruct - 4, 4);
	refuse(b, len_v3, 0xffffffff, "without FDT_END");
	memcpy(b, blob_v3, len_v3);
	/* the root's END_NODE replaced by FDT_END: END inside a node */
	wr32(b + ostruct + sstruct - 8, 9);
	refuse(b, len_v3, ostruct + sstruct - 8, "FDT_END inside a node");
	free(b);
}

/* Nesting deeper than the reader's limit. */
static void test_too_deep(void **state)
{
	uint8_t b[4096];
	uint32_t p = 40;

	(void)state;
	memset(b, 0, sizeof(b));
	wr32(b, FDT_MAGIC);
	wr32(b + 8, 40);  /* struct */
	wr32(b + 16, 40); /* rsvmap: only the terminator ... */
	wr32(b + 20, 17);
	wr32(b + 24, 16);
	p = 56; /* ... 16 zero bytes at 40 */
	wr32(b + 8, p);
	for (int i = 0; i < FDT_MAX_DEPTH + 1; i++) {
		wr32(b + p, 1);
		b[p + 4] = 'n';
		p += 8;
	}
	uint32_t deep_off = p - 8;
	wr32(b + 36, p - 56 + 4);
	wr32(b + 12, p + 4); /* strings: empty, after */
	wr32(b + 4, p + 8);
	refuse(b, sizeof(b), deep_off, "nested too deep");
}

/* fdt_scan() gathers what the lookups find, on QEMU's own trees. */
static void check_scan_qemu(const uint8_t *blob, size_t len, int gic)
{
	static const char *const names[FDT_NR_COMPAT] = {
		[FDT_PL011] = "arm,pl011",
		[FDT_PL031] = "arm,pl031",
		[FDT_GIC_V3] = "arm,gic-v3",
		[FDT_GIC_A15] = "arm,cortex-a15-gic",
		[FDT_GIC_400] = "arm,gic-400",
		[FDT_GIC_A9] = "arm,cortex-a9-gic",
		[FDT_TIMER] = "arm,armv8-timer",
		[FDT_PSCI_1_0] = "arm,psci-1.0",
		[FDT_PSCI_0_2] = "arm,psci-0.2",
		[FDT_VIRTIO_MMIO] = "virtio,mmio",
	};
	struct fdt f;
	struct fdt_boot b;
	uint32_t off, plen;
	const char *why;
	uint64_t b1, s1, b2, s2;

	assert_int_equal(fdt_scan(&f, &b, blob, len, &off, &why), 0);
	assert_int_equal(b.chosen, fdt_path(&f, "/chosen"));
	assert_int_equal(b.aliases, fdt_path(&f, "/aliases"));
	assert_string_equal(fdt_val_string(&f, b.stdout_path),
			    "/pl011@9000000");
	assert_null(fdt_val_ptr(&f, b.bootargs));
	assert_null(fdt_val_ptr(&f, b.initrd_start));
	for (int c = 0; c < FDT_NR_COMPAT; c++) {
		const struct fdt_dev *d = &b.first[c];
		int n = fdt_find_compatible(&f, -1, names[c]);

		assert_int_equal(d->node, n);
		if (n < 0)
			continue;
		assert_int_equal(d->enabled, fdt_node_enabled(&f, n));
		assert_int_equal(d->depth, 1);
		for (unsigned i = 0; i < 3; i++) {
			int r = fdt_reg(&f, n, i, &b1, &s1);

			assert_int_equal(fdt_reg_get(&f, &d->reg, i, &b2, &s2),
					 r);
			if (!r) {
				assert_int_equal(b1, b2);
				assert_int_equal(s1, s2);
			}
		}
		const void *irqs = fdt_prop(&f, n, "interrupts", &plen);
		assert_ptr_equal(fdt_val_ptr(&f, d->irqs), irqs);
		if (irqs)
			assert_int_equal(d->irqs.len, plen);
		assert_ptr_equal(fdt_val_ptr(&f, d->method),
				 fdt_prop(&f, n, "method", &plen));
	}
	assert_true(b.first[gic == 3 ? FDT_GIC_V3 : FDT_GIC_A15].node >= 0);
	assert_string_equal(fdt_val_string(&f, b.first[FDT_PSCI_0_2].method),
			    "hvc");
	assert_int_equal(b.first[FDT_PSCI_0_2].node,
			 b.first[FDT_PSCI_1_0].node);
	/* the one PL011, which stdout-path names */
	assert_int_equal(b.nr_uart, 1);
	assert_int_equal(b.uart[0].node, b.first[FDT_PL011].node);
	assert_true(fdt_dev_at_path(&f, &b.uart[0], "/pl011@9000000"));
	assert_true(fdt_dev_at_path(&f, &b.uart[0], "/pl011"));
	assert_false(fdt_dev_at_path(&f, &b.uart[0], "/pl011@9000001"));
	assert_false(fdt_dev_at_path(&f, &b.uart[0], "/pl0"));
	assert_false(fdt_dev_at_path(&f, &b.uart[0], "pl011@9000000"));
	assert_false(fdt_dev_at_path(&f, &b.uart[0], "/chosen/pl011"));
	/* every virtio-mmio transport, in document order */
	unsigned k = 0;
	for (int n = fdt_find_compatible(&f, -1, "virtio,mmio"); n >= 0;
	     n = fdt_find_compatible(&f, n, "virtio,mmio"), k++) {
		assert_true(k < b.nr_virtio);
		assert_int_equal(b.virtio[k].node, n);
		assert_int_equal(fdt_reg_get(&f, &b.virtio[k].reg, 0, &b2, &s2),
				 0);
		assert_int_equal(fdt_reg(&f, n, 0, &b1, &s1), 0);
		assert_int_equal(b1, b2);
	}
	assert_int_equal(k, 32);
	assert_int_equal(b.nr_virtio, 32);
	assert_false(b.virtio_more);
	/* memory: 64 MiB at 1 GiB */
	assert_int_equal(b.nr_mem, 1);
	assert_false(b.mem_more);
	assert_int_equal(fdt_reg_get(&f, &b.mem[0], 0, &b1, &s1), 0);
	assert_int_equal(b1, 0x40000000);
	assert_int_equal(s1, 64u << 20);
	assert_int_equal(fdt_reg_get(&f, &b.mem[0], 1, &b1, &s1), -1);
}

static void test_scan_qemu(void **state)
{
	(void)state;
	check_scan_qemu(blob_v2, len_v2, 2);
	check_scan_qemu(blob_v3, len_v3, 3);
}

/*
 * A device tree written by the test: nodes and properties in order, the
 * strings block after the structure block (names shared, as dtc and libfdt
 * write them, unless a filler string comes first).
 */
struct bld {
	uint8_t st[16384];
	uint32_t sl;
	char strs[4096];
	uint32_t tl;
};

static void b_u32(struct bld *b, uint32_t v)
{
	wr32(b->st + b->sl, v);
	b->sl += 4;
}

static uint32_t b_begin(struct bld *b, const char *name)
{
	uint32_t at = b->sl;
	size_t n = strlen(name) + 1;

	b_u32(b, 1);
	memcpy(b->st + b->sl, name, n);
	b->sl = (uint32_t)((b->sl + n + 3) & ~3u);
	return at;
}

static void b_end(struct bld *b)
{
	b_u32(b, 2);
}

static uint32_t b_str(struct bld *b, const char *name)
{
	size_t n = strlen(name) + 1;

	for (uint32_t i = 0; i < b->tl; i += (uint32_t)strlen(b->strs + i) + 1)
		if (!strcmp(b->strs + i, name))
			return i;
	memcpy(b->strs + b->tl, name, n);
	b->tl += (uint32_t)n;
	return b->tl - (uint32_t)n;
}

/* returns the property's offset in the structure block */
static uint32_t b_prop(struct bld *b, const char *name, const void *v,
		       uint32_t len)
{
	uint32_t at = b->sl;

	b_u32(b, 3);
	b_u32(b, len);
	b_u32(b, b_str(b, name));
	memcpy(b->st + b->sl, v, len);
	b->sl = (b->sl + len + 3) & ~3u;
	return at;
}

static void b_str_prop(struct bld *b, const char *name, const char *v)
{
	b_prop(b, name, v, (uint32_t)strlen(v) + 1);
}

static void b_cells(struct bld *b, const char *name, unsigned n, ...)
{
	uint8_t v[64];
	va_list ap;

	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		wr32(v + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	b_prop(b, name, v, 4 * n);
}

/* The blob (header, empty reservation map, structure, strings); *sbase:
 * the structure block's offset in it. */
static uint8_t *b_finish(struct bld *b, size_t *len, uint32_t *sbase)
{
	uint32_t ost = 56, ostr, total;
	uint8_t *p;

	b_u32(b, 9);
	ostr = ost + b->sl;
	total = ostr + b->tl;
	p = calloc(1, total);
	assert_non_null(p);
	wr32(p, FDT_MAGIC);
	wr32(p + 4, total);
	wr32(p + 8, ost);
	wr32(p + 12, ostr);
	wr32(p + 16, 40);
	wr32(p + 20, 17);
	wr32(p + 24, 16);
	wr32(p + 32, b->tl);
	wr32(p + 36, b->sl);
	memcpy(p + ost, b->st, b->sl);
	memcpy(p + ostr, b->strs, b->tl);
	*len = total;
	if (sbase)
		*sbase = ost;
	return p;
}

/* A tree of the shape other VMMs write: devices under /soc with one-cell
 * addresses, two PL011s and stdout-path through an alias, two memory nodes
 * (one disabled), /chosen with everything the boot takes. */
static void test_scan_built(void **state)
{
	static struct bld bb;
	struct bld *b = &bb;
	struct fdt f;
	struct fdt_boot g;
	uint32_t off, uart2;
	const char *why;
	uint64_t base, size, v;
	size_t len;

	(void)state;
	memset(b, 0, sizeof(*b));
	b_begin(b, "");
	b_cells(b, "#address-cells", 1, 2);
	b_cells(b, "#size-cells", 1, 2);
	b_str_prop(b, "compatible", "test,board");
	b_begin(b, "chosen");
	b_str_prop(b, "bootargs", "console=ttyAMA0 -- a b");
	b_str_prop(b, "stdout-path", "serial1:115200n8");
	b_cells(b, "linux,initrd-start", 1, 0x48000000);
	b_cells(b, "linux,initrd-end", 2, 0, 0x48100000);
	b_end(b);
	b_begin(b, "aliases");
	b_str_prop(b, "serial0", "/soc/uart@1000");
	b_str_prop(b, "serial1", "/soc/uart@2000");
	b_end(b);
	b_begin(b, "memory@40000000");
	b_str_prop(b, "device_type", "memory");
	b_cells(b, "reg", 8, 0, 0x40000000, 0, 0x1000000, 0, 0x42000000, 0,
		0x2000000);
	b_end(b);
	b_begin(b, "memory@80000000");
	b_str_prop(b, "device_type", "memory");
	b_str_prop(b, "status", "disabled");
	b_cells(b, "reg", 4, 0, 0x80000000, 0, 0x1000000);
	b_end(b);
	b_begin(b, "soc");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 1);
	b_begin(b, "uart@1000");
	b_prop(b, "compatible", "arm,pl011\0arm,primecell", 24);
	b_cells(b, "reg", 2, 0x1000, 0x100);
	b_end(b);
	uart2 = b_begin(b, "uart@2000");
	/* status first, a second string after "okay" */
	b_prop(b, "status", "okay\0x", 7);
	b_prop(b, "compatible", "x\0arm,pl011", 12);
	b_cells(b, "reg", 2, 0x2000, 0x100);
	b_cells(b, "interrupts", 3, 0, 5, 4);
	b_end(b);
	b_begin(b, "rtc@3000");
	b_prop(b, "compatible", "foo,rtc\0arm,pl031", 18);
	b_str_prop(b, "status", "ok");
	b_cells(b, "reg", 2, 0x3000, 0x1000);
	b_end(b);
	b_begin(b, "psci");
	b_prop(b, "compatible", "arm,psci-0.2", 13);
	b_str_prop(b, "method", "smc");
	b_end(b);
	b_end(b);
	b_end(b);
	uint8_t *p = b_finish(b, &len, NULL);

	assert_int_equal(fdt_scan(&f, &g, p, len, &off, &why), 0);
	assert_int_equal(g.chosen, fdt_path(&f, "/chosen"));
	assert_int_equal(g.aliases, fdt_path(&f, "/aliases"));
	assert_string_equal(fdt_val_string(&f, g.bootargs),
			    "console=ttyAMA0 -- a b");
	assert_string_equal(fdt_val_string(&f, g.stdout_path),
			    "serial1:115200n8");
	assert_int_equal(g.initrd_start.len, 4);
	assert_int_equal(g.initrd_end.len, 8);
	v = fdt_cell(fdt_val_ptr(&f, g.initrd_end), 8, 1, 0);
	assert_int_equal(v, 0x48100000);
	/* memory: one enabled node, two entries */
	assert_int_equal(g.nr_mem, 1);
	assert_int_equal(fdt_reg_get(&f, &g.mem[0], 1, &base, &size), 0);
	assert_int_equal(base, 0x42000000);
	assert_int_equal(size, 0x2000000);
	assert_int_equal(fdt_reg_get(&f, &g.mem[0], 2, &base, &size), -1);
	/* two PL011s, one-cell addresses from /soc */
	assert_int_equal(g.nr_uart, 2);
	assert_int_equal(g.uart[1].node, (int)(56 + uart2));
	assert_int_equal(g.uart[1].depth, 2);
	assert_true(g.uart[1].enabled);
	assert_int_equal(g.first[FDT_PL011].node, g.uart[0].node);
	assert_int_equal(fdt_reg_get(&f, &g.uart[1].reg, 0, &base, &size), 0);
	assert_int_equal(base, 0x2000);
	assert_int_equal(size, 0x100);
	assert_int_equal(fdt_cell(fdt_val_ptr(&f, g.uart[1].irqs),
				  g.uart[1].irqs.len, 1, 0),
			 5);
	assert_true(fdt_dev_at_path(&f, &g.uart[1], "/soc/uart@2000"));
	/* without a unit address: the first node of that name */
	assert_false(fdt_dev_at_path(&f, &g.uart[1], "/soc/uart"));
	assert_true(fdt_dev_at_path(&f, &g.uart[0], "/soc/uart"));
	assert_false(fdt_dev_at_path(&f, &g.uart[0], "/soc/uart@2000"));
	assert_false(fdt_dev_at_path(&f, &g.uart[1], "/uart@2000"));
	/* the second entry of a compatible list counts */
	assert_true(g.first[FDT_PL031].node >= 0);
	assert_true(g.first[FDT_PL031].enabled);
	assert_int_equal(
		fdt_reg_get(&f, &g.first[FDT_PL031].reg, 0, &base, &size), 0);
	assert_int_equal(base, 0x3000);
	assert_string_equal(fdt_val_string(&f, g.first[FDT_PSCI_0_2].method),
			    "smc");
	assert_int_equal(g.first[FDT_PSCI_1_0].node, -1);
	assert_int_equal(g.first[FDT_GIC_V3].node, -1);
	assert_int_equal(g.nr_virtio, 0);
	/* the root has no parent: its "reg" could not be read */
	free(p);
}

/* Property names past the first 512 bytes of the strings block, status
 * values, compatible lists that are not strings, names of every length. */
static void test_scan_edges(void **state)
{
	static struct bld bb;
	struct bld *b = &bb;
	struct fdt f;
	struct fdt_boot g;
	uint32_t off;
	const char *why;
	size_t len;
	char filler[600], name[16];

	(void)state;
	memset(b, 0, sizeof(*b));
	memset(filler, 'x', sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	b_str(b, filler); /* every name after it is at 600 or more */
	b_begin(b, "");
	b_prop(b, filler, "", 1);
	/* node names of 1 to 15 bytes, each with a compatible that is not
	 * quite one of the boot's */
	for (int n = 1; n < 16; n++) {
		memset(name, 'a' + n, (size_t)n);
		name[n] = '\0';
		b_begin(b, name);
		b_end(b);
	}
	b_begin(b, "a");
	b_prop(b, "compatible", "arm,pl011", 9); /* no NUL */
	b_end(b);
	b_begin(b, "b");
	b_prop(b, "compatible", "arm,pl011x", 11);
	b_end(b);
	b_begin(b, "c");
	b_prop(b, "compatible", "abcdefgh\0\x01z", 12);
	b_end(b);
	b_begin(b, "d");
	b_prop(b, "compatible",
	       "\x01"
	       "arm,pl011",
	       11);
	b_end(b);
	b_begin(b, "e");
	b_prop(b, "compatible", "", 0);
	b_prop(b, "status", "okay", 4); /* not a string: enabled */
	b_end(b);
	b_begin(b, "f");
	b_prop(b, "compatible", "virtio,mmio\0", 12);
	b_str_prop(b, "status", "disabled");
	b_end(b);
	b_begin(b, "g");
	b_prop(b, "compatible", "virtio,mmiox", 12);
	b_end(b);
	b_begin(b, "h");
	b_prop(b, "compatible", "x\0arm,armv8-timer", 18);
	b_cells(b, "interrupts", 1, 7);
	b_end(b);
	b_end(b);
	uint8_t *p = b_finish(b, &len, NULL);

	assert_int_equal(fdt_scan(&f, &g, p, len, &off, &why), 0);
	assert_int_equal(g.nr_uart, 0);
	assert_int_equal(g.first[FDT_PL011].node, -1);
	assert_int_equal(g.nr_virtio, 1);
	assert_false(g.virtio[0].enabled);
	assert_true(g.first[FDT_TIMER].node >= 0);
	assert_true(g.first[FDT_TIMER].enabled);
	assert_int_equal(g.first[FDT_TIMER].irqs.len, 4);
	assert_int_equal(g.chosen, -1);
	/* the walks agree on every node name */
	int depth = 0, nodes = 0;
	for (int n = fdt_next_node(&f, -1, &depth); n >= 0;
	     n = fdt_next_node(&f, n, &depth))
		nodes++;
	assert_int_equal(nodes, 1 + 15 + 8);
	free(p);
}

/* A property after a child node, and the scan's other refusals. */
static void test_scan_refused(void **state)
{
	static struct bld bb;
	struct bld *b = &bb;
	uint32_t at, sbase;
	size_t len;

	(void)state;
	memset(b, 0, sizeof(*b));
	b_begin(b, "");
	b_begin(b, "child");
	b_end(b);
	at = b_prop(b, "late", "", 0);
	b_end(b);
	uint8_t *p = b_finish(b, &len, &sbase);
	refuse(p, len, sbase + at, "property after a child node");
	free(p);

	/* a name offset at the strings block's last byte, which is not a
	 * NUL: no string ends there */
	memset(b, 0, sizeof(*b));
	b_begin(b, "");
	at = b_prop(b, "ab", "", 0);
	b_end(b);
	p = b_finish(b, &len, &sbase);
	p[len - 1] = 'c'; /* "abc", unterminated */
	refuse(p, len, sbase + at + 8, "property name offset");
	free(p);
}

/* Random damage: refused with an offset inside the blob, or accepted and
 * then every node and property can be walked. */
static void test_fuzz(void **state)
{
	uint8_t *b = malloc(len_v3);
	uint32_t total = rd32(blob_v3 + 4);
	unsigned refused = 0, accepted = 0;

	(void)state;
	srand(1234);
	for (int round = 0; round < 3000; round++) {
		struct fdt f;
		uint32_t off;
		const char *why;

		memcpy(b, blob_v3, len_v3);
		for (int k = 0; k < 1 + rand() % 4; k++) {
			uint32_t at = (uint32_t)rand() % total;
			b[at] = (uint8_t)rand();
		}
		struct fdt_boot g;

		if (fdt_scan(&f, &g, b, len_v3, &off, &why) < 0) {
			assert_true(off < total);
			refused++;
			continue;
		}
		accepted++;
		/* what the scan gathered reads in bounds */
		for (unsigned c = 0; c < FDT_NR_COMPAT; c++) {
			uint64_t base, size;

			if (g.first[c].node >= 0)
				for (unsigned i = 0; i < 4; i++)
					(void)fdt_reg_get(&f, &g.first[c].reg,
							  i, &base, &size);
			(void)fdt_val_string(&f, g.first[c].method);
		}
		for (unsigned i = 0; i < g.nr_mem; i++) {
			uint64_t base, size;

			for (unsigned k = 0;
			     !fdt_reg_get(&f, &g.mem[i], k, &base, &size); k++)
				;
		}
		for (unsigned i = 0; i < g.nr_uart; i++)
			(void)fdt_dev_at_path(&f, &g.uart[i], "/pl011@9000000");
		(void)fdt_val_string(&f, g.bootargs);
		(void)fdt_val_string(&f, g.stdout_path);
		int depth = 0, nodes = 0;
		for (int n = fdt_next_node(&f, -1, &depth); n >= 0;
		     n = fdt_next_node(&f, n, &depth)) {
			uint32_t len;
			uint64_t base, size;

			assert_true(strlen(fdt_node_name(&f, n)) < total);
			(void)fdt_prop(&f, n, "compatible", &len);
			(void)fdt_prop_string(&f, n, "status");
			(void)fdt_reg(&f, n, 0, &base, &size);
			nodes++;
		}
		assert_true(nodes > 0);
		(void)fdt_path(&f, "/chosen");
		(void)fdt_find_compatible(&f, -1, "virtio,mmio");
	}
	/* both kinds happen: most damage lands in property values */
	assert_true(refused > 0 && accepted > 0);
	free(b);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s GICV2_DTB GICV3_DTB\n", argv[0]);
		return 2;
	}
	blob_v2 = load(argv[1], &len_v2);
	blob_v3 = load(argv[2], &len_v3);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt),
		cmocka_unit_test(test_corrupt_header),
		cmocka_unit_test(test_corrupt_structure),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_scan_qemu),
		cmocka_unit_test(test_scan_built),
		cmocka_unit_test(test_scan_edges),
		cmocka_unit_test(test_scan_refused),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
