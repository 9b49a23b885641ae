/* SPDX-License-Identifier: BSD-3-Clause */
/* ukpci on a fake configuration space. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <uk/pci.h>

static char logbuf[4096];
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logbuf);
	(void)level;
	(void)lib;
	va_start(ap, fmt);
	if (n < sizeof(logbuf) - 1)
		vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
	n = strlen(logbuf);
	if (n < sizeof(logbuf) - 1)
		strcat(logbuf, "\n");
}

/* ---- the fake: 4 buses x 32 devices x 8 functions ---- */
struct fake_fn {
	int present;
	uint8_t cfg[256];
	uint32_t bar_mask[6]; /* writable bits of each BAR dword */
};
static struct fake_fn fns[4][32][8];
static unsigned reads;

static struct fake_fn *fn_of(uint32_t a)
{
	unsigned bus = a >> 16, dev = (a >> 11) & 31, fn = (a >> 8) & 7;
	if (bus >= 4)
		return NULL;
	return &fns[bus][dev][fn];
}

static uint32_t fake_read(void *ctx, uint32_t a, unsigned size)
{
	(void)ctx;
	reads++;
	struct fake_fn *f = fn_of(a);
	unsigned off = a & 0xff;
	if (!f || !f->present)
		return size == 4 ? 0xffffffffu : (size == 2 ? 0xffff : 0xff);
	uint32_t v = 0;
	memcpy(&v, &f->cfg[off], size);
	return v;
}

static void fake_write(void *ctx, uint32_t a, unsigned size, uint32_t v)
{
	(void)ctx;
	struct fake_fn *f = fn_of(a);
	unsigned off = a & 0xff;
	if (!f || !f->present)
		return;
	if (off >= 0x10 && off < 0x28 && size == 4) {
		unsigned i = (off - 0x10) / 4;
		uint32_t old;
		memcpy(&old, &f->cfg[off], 4);
		v = (v & f->bar_mask[i]) | (old & ~f->bar_mask[i]);
	}
	if (off == 0 || off == 2)
		return; /* read-only IDs */
	memcpy(&f->cfg[off], &v, size);
}

static const struct uk_pci_cfg_ops fake = {fake_read, fake_write, NULL};

static void put16(struct fake_fn *f, unsigned off, uint16_t v)
{
	memcpy(&f->cfg[off], &v, 2);
}
static void put32(struct fake_fn *f, unsigned off, uint32_t v)
{
	memcpy(&f->cfg[off], &v, 4);
}

static struct fake_fn *add(unsigned bus, unsigned dev, unsigned fn,
			   uint16_t ven, uint16_t did)
{
	struct fake_fn *f = &fns[bus][dev][fn];
	memset(f, 0, sizeof(*f));
	f->present = 1;
	put16(f, 0, ven);
	put16(f, 2, did);
	f->cfg[0x0b] = 2; /* network */
	f->cfg[0x3c] = 11;
	f->cfg[0x3d] = 1;
	put16(f, 4, UK_PCI_CMD_IO | UK_PCI_CMD_MEM);
	return f;
}

static int setup(void **state)
{
	(void)state;
	memset(fns, 0, sizeof(fns));
	logbuf[0] = 0;
	return 0;
}

static void test_bars(void **state)
{
	(void)state;
	struct fake_fn *f = add(0, 3, 0, 0x1af4, 0x1000);
	put32(f, 0x10, 0xc041); /* I/O, 64 ports */
	f->bar_mask[0] = 0xffffffc0;
	put32(f, 0x14, 0xfebf1000); /* mem32, 4 KiB */
	f->bar_mask[1] = 0xfffff000;
	put32(f, 0x20, 0xfe00000c); /* mem64 prefetchable, 16 KiB */
	f->bar_mask[4] = 0xffffc000;
	put32(f, 0x24, 0x1);
	f->bar_mask[5] = 0xffffffff;

	struct uk_pci_dev d;
	assert_int_equal(uk_pci_dev_init(&d, &fake, 0, 3, 0), 0);
	assert_int_equal(d.vendor_id, 0x1af4);
	assert_int_equal(d.device_id, 0x1000);
	assert_int_equal(d.class_code, 2);
	assert_int_equal(d.irq_line, 11);
	assert_int_equal(d.irq_pin, 1);
	assert_int_equal(d.bar[0].type, UK_PCI_BAR_IO);
	assert_int_equal(d.bar[0].addr, 0xc040);
	assert_int_equal(d.bar[0].size, 64);
	assert_int_equal(d.bar[1].type, UK_PCI_BAR_MEM32);
	assert_int_equal(d.bar[1].addr, 0xfebf1000);
	assert_int_equal(d.bar[1].size, 4096);
	assert_int_equal(d.bar[2].type, UK_PCI_BAR_NONE);
	assert_int_equal(d.bar[4].type, UK_PCI_BAR_MEM64);
	assert_true(d.bar[4].prefetchable);
	assert_int_equal(d.bar[4].addr, 0x1fe000000ull);
	assert_int_equal(d.bar[4].size, 16384);
	assert_int_equal(d.bar[5].type, UK_PCI_BAR_NONE);
	/* sizing restored the BARs and the command register */
	uint32_t v;
	memcpy(&v, &f->cfg[0x20], 4);
	assert_int_equal(v, 0xfe00000c);
	memcpy(&v, &f->cfg[0x24], 4);
	assert_int_equal(v, 1);
	assert_int_equal(f->cfg[4], UK_PCI_CMD_IO | UK_PCI_CMD_MEM);

	uk_pci_enable(&d, UK_PCI_CMD_MASTER);
	assert_int_equal(f->cfg[4], 7);
	char name[16];
	uk_pci_name(&d, name, sizeof(name));
	assert_string_equal(name, "pci0:3.0");
}

static void test_bar64_in_slot5(void **state)
{
	(void)state;
	struct fake_fn *f = add(0, 1, 0, 0x1234, 0x5678);
	put32(f, 0x24, 0x4); /* 64-bit in the last slot: invalid */
	f->bar_mask[5] = 0xfffff000;
	struct uk_pci_dev d;
	assert_int_equal(uk_pci_dev_init(&d, &fake, 0, 1, 0), -EINVAL);
	assert_int_equal(d.bar[5].type, UK_PCI_BAR_NONE);
	assert_non_null(strstr(logbuf, "slot 5"));
	assert_int_equal(uk_pci_dev_init(&d, &fake, 0, 2, 0), -ENODEV);
}

static void test_caps(void **state)
{
	(void)state;
	struct fake_fn *f = add(0, 4, 0, 0x1af4, 0x1041);
	struct uk_pci_dev d;

	/* no capability bit: nothing */
	assert_int_equal(uk_pci_dev_init(&d, &fake, 0, 4, 0), 0);
	assert_int_equal(uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, 0), 0);

	put16(f, 6, UK_PCI_STATUS_CAPS);
	f->cfg[0x34] = 0x98;
	f->cfg[0x98] = UK_PCI_CAP_MSIX;
	f->cfg[0x99] = 0x84;
	f->cfg[0x84] = UK_PCI_CAP_VENDOR;
	f->cfg[0x85] = 0x70;
	f->cfg[0x70] = UK_PCI_CAP_VENDOR;
	f->cfg[0x71] = 0x00;
	assert_int_equal(uk_pci_find_cap(&d, UK_PCI_CAP_MSIX, 0), 0x98);
	unsigned c = uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, 0);
	assert_int_equal(c, 0x84);
	c = uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, c);
	assert_int_equal(c, 0x70);
	assert_int_equal(uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, c), 0);
	assert_int_equal(uk_pci_find_cap(&d, 0x05, 0), 0);

	/* a loop: found, warned, ended */
	f->cfg[0x71] = 0x98;
	assert_int_equal(uk_pci_find_cap(&d, 0x05, 0), 0);
	assert_non_null(strstr(logbuf, "capability list loops back to 0x98"));
	/* a caller iterating with `from` over a loop ends too: 0x84, 0x70,
	 * then the walk comes back to 0x98 and stops */
	unsigned seen = 0;
	for (c = uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, 0); c && seen < 10;
	     c = uk_pci_find_cap(&d, UK_PCI_CAP_VENDOR, c))
		seen++;
	assert_int_equal(seen, 2);
	/* a loop onto itself */
	logbuf[0] = 0;
	f->cfg[0x99] = 0x98;
	assert_int_equal(uk_pci_find_cap(&d, 0x05, 0), 0);
	assert_non_null(strstr(logbuf, "loops back to 0x98"));
	f->cfg[0x99] = 0x84;
	/* a pointer into the header */
	logbuf[0] = 0;
	f->cfg[0x71] = 0x10;
	assert_int_equal(uk_pci_find_cap(&d, 0x05, 0), 0);
	assert_non_null(strstr(logbuf, "pointer 0x10 into the header"));
	/* the low bits of a pointer are ignored: 0xff is 0xfc, whose ID and
	 * next pointer are the last bytes of the space */
	f->cfg[0x71] = 0xff;
	f->cfg[0xfc] = 0x05;
	f->cfg[0xfd] = 0x00;
	assert_int_equal(uk_pci_find_cap(&d, 0x05, 0), 0xfc);
}

/* A vendor capability's bytes: never past the 256 bytes of configuration
 * space, never past its own cap_len. */
static void test_vendor_cap_read(void **state)
{
	(void)state;
	struct fake_fn *f = add(0, 4, 0, 0x1af4, 0x1041);
	struct uk_pci_dev d;
	uint8_t b[20];

	assert_int_equal(uk_pci_dev_init(&d, &fake, 0, 4, 0), 0);
	f->cfg[0x40] = UK_PCI_CAP_VENDOR;
	f->cfg[0x42] = 16; /* cap_len */
	for (int i = 3; i < 16; i++)
		f->cfg[0x40 + i] = (uint8_t)(0xa0 + i);
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0x40, b, 16), 0);
	assert_int_equal(b[2], 16);
	assert_int_equal(b[15], 0xaf);
	/* 20 bytes asked of a 16-byte capability */
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0x40, b, 20), -ERANGE);
	assert_non_null(strstr(logbuf, "is 16 bytes long (cap_len), shorter "
				       "than the 20 expected"));
	/* a capability at 0xf4: 16 bytes would end at 0x104 */
	logbuf[0] = 0;
	f->cfg[0xf4] = UK_PCI_CAP_VENDOR;
	f->cfg[0xf6] = 16;
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0xf4, b, 16), -ERANGE);
	assert_non_null(strstr(logbuf, "would run past the 256-byte"));
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0xf4, b, 12), 0);
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0x20, b, 4), -ERANGE);
	assert_int_equal(uk_pci_vendor_cap_read(&d, 0x100, b, 4), -ERANGE);
}

static int count_cb(struct uk_pci_dev *d, void *arg)
{
	unsigned *seen = arg;
	seen[d->bus]++;
	return 0;
}

static void test_scan_bridges(void **state)
{
	(void)state;
	add(0, 0, 0, 0x8086, 0x1237);
	/* multi-function device 1: fn 0 and 3 */
	struct fake_fn *f = add(0, 1, 0, 0x8086, 0x7000);
	f->cfg[0x0e] = 0x80;
	add(0, 1, 3, 0x8086, 0x7113);
	/* single-function device: fn 1 must not be looked at */
	add(0, 2, 0, 0x1af4, 0x1000);
	add(0, 2, 1, 0xdead, 0xbeef);
	/* a bridge to bus 2, and one looping back to bus 0 */
	f = add(0, 5, 0, 0x1b36, 0x0001);
	f->cfg[0x0e] = 1;
	f->cfg[0x19] = 2;
	f = add(2, 0, 0, 0x1af4, 0x1041);
	f = add(2, 1, 0, 0x1b36, 0x0001);
	f->cfg[0x0e] = 1;
	f->cfg[0x19] = 0;

	unsigned seen[4] = {0};
	reads = 0;
	int n = uk_pci_scan(&fake, count_cb, seen);
	assert_int_equal(n, 7);
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[2], 2);
	assert_int_equal(seen[1], 0);
	assert_true(reads < 20000);
}

static struct uk_pci_dev *got[4];
static int ngot;
static int probe_ok(struct uk_pci_dev *d)
{
	got[ngot++] = d;
	return 0;
}
static int probe_refuse(struct uk_pci_dev *d)
{
	(void)d;
	return -ENOTSUP;
}

static void test_drivers(void **state)
{
	(void)state;
	struct fake_fn *f = add(0, 3, 0, 0x1af4, 0x1000);
	put32(f, 0x14, 0xfebf1000);
	f->bar_mask[1] = 0xfffff000;
	add(0, 4, 0, 0x1af4, 0x1041);
	add(0, 5, 0, 0x1af4, 0x1001);
	add(0, 6, 0, 0x8086, 0x100e);
	static const struct uk_pci_id ids[] = {
		{0x1af4, 0x1000}, {0x1af4, 0x1041}, {0, 0}};
	static const struct uk_pci_id ids2[] = {{0x8086, UK_PCI_ANY_ID},
						{0, 0}};
	static struct uk_pci_driver drv = {"net", ids, probe_ok, NULL};
	static struct uk_pci_driver drv2 = {"e1000", ids2, probe_refuse, NULL};
	ngot = 0;
	uk_pci_driver_register(&drv);
	uk_pci_driver_register(&drv2);
	uk_pci_driver_register(&drv); /* twice: no-op */
	assert_int_equal(uk_pci_probe_all(&fake), 2);
	assert_int_equal(ngot, 2);
	assert_int_equal(got[0]->device_id, 0x1000);
	assert_int_equal(got[1]->device_id, 0x1041);
	/* drivers get decoded BARs */
	assert_int_equal(got[0]->bar[1].type, UK_PCI_BAR_MEM32);
	assert_int_equal(got[0]->bar[1].size, 4096);
	assert_non_null(strstr(logbuf, "e1000 did not take"));
	free(got[0]);
	free(got[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bars, setup),
		cmocka_unit_test_setup(test_bar64_in_slot5, setup),
		cmocka_unit_test_setup(test_caps, setup),
		cmocka_unit_test_setup(test_vendor_cap_read, setup),
		cmocka_unit_test_setup(test_scan_bridges, setup),
		cmocka_unit_test_setup(test_drivers, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
