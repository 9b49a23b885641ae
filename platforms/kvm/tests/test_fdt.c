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
		if (fdt_open(&f, b, len_v3, &off, &why) < 0) {
			assert_true(off < total);
			refused++;
			continue;
		}
		accepted++;
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
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
