/* Native tests of the kvm platform's pure parts: PVH memory map conversion
 * and the ACPI power-off table walk (on synthetic tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kvm.h"

#define MiB (1ull << 20)

static void test_memmap_basic(void **s)
{
	(void)s;
	struct ukplat_bootinfo bi;
	struct pvh_memmap_entry map[] = {
		{0, 0x9fc00, E820_RAM, 0},
		{0x9fc00, 0x400, 2, 0},
		{0x100000, 127 * MiB, E820_RAM, 0}, /* 1 MiB .. 128 MiB */
		{0xfeffc000, 0x4000, 2, 0},
	};
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(kvm_memmap_to_regions(&bi, map, 4, 0x100000, 0x10a123,
					       1ull << 30),
			 0);
	assert_int_equal(bi.nr_memregions, 2);
	assert_int_equal(bi.memregions[0].type, UKPLAT_MEMR_IMAGE);
	assert_int_equal(bi.memregions[0].base, 0x100000);
	assert_int_equal(bi.memregions[0].len, 0xb000); /* rounded up */
	assert_int_equal(bi.memregions[1].type, UKPLAT_MEMR_FREE);
	assert_int_equal(bi.memregions[1].base, 0x10b000);
	assert_int_equal(bi.memregions[1].base + bi.memregions[1].len,
			 128 * MiB);
}

static void test_memmap_clamps_and_splits(void **s)
{
	(void)s;
	struct ukplat_bootinfo bi;
	/* unaligned RAM, image in the middle, RAM above the mapped top */
	struct pvh_memmap_entry map[] = {
		{0x100123, 0x7fffff00, E820_RAM, 0},
		{0x100000000ull, 4096ull * MiB, E820_RAM, 0},
		{0xffffffffffff0000ull, 0x20000, E820_RAM, 0}, /* wraps */
	};
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(kvm_memmap_to_regions(&bi, map, 3, 0x200000, 0x201000,
					       1ull << 30),
			 0);
	assert_int_equal(bi.nr_memregions, 3);
	assert_int_equal(bi.memregions[0].base, 0x101000);
	assert_int_equal(bi.memregions[0].len, 0x200000 - 0x101000);
	assert_int_equal(bi.memregions[1].type, UKPLAT_MEMR_IMAGE);
	assert_int_equal(bi.memregions[2].base, 0x201000);
	assert_int_equal(bi.memregions[2].base + bi.memregions[2].len,
			 1ull << 30);
}

static void test_memmap_reserve_initrd(void **s)
{
	(void)s;
	struct ukplat_bootinfo bi;
	struct pvh_memmap_entry map[] = {
		{0x100000, 63 * MiB, E820_RAM, 0}, /* 1 MiB .. 64 MiB */
	};
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(kvm_memmap_to_regions(&bi, map, 1, 0x100000, 0x108000,
					       1ull << 30),
			 0);
	/* an unaligned initrd in the middle: rounded out to pages, split */
	assert_int_equal(kvm_memmap_reserve(&bi, 32 * MiB + 5, 33 * MiB + 1),
			 0);
	assert_int_equal(bi.nr_memregions, 4);
	assert_int_equal(bi.memregions[1].type, UKPLAT_MEMR_FREE);
	assert_int_equal(bi.memregions[1].base + bi.memregions[1].len,
			 32 * MiB);
	assert_int_equal(bi.memregions[2].type, UKPLAT_MEMR_RESERVED);
	assert_int_equal(bi.memregions[2].base, 32 * MiB);
	assert_int_equal(bi.memregions[2].len, MiB + 4096);
	assert_int_equal(bi.memregions[3].type, UKPLAT_MEMR_FREE);
	assert_int_equal(bi.memregions[3].base, 33 * MiB + 4096);
	assert_int_equal(bi.memregions[3].base + bi.memregions[3].len,
			 64 * MiB);
	/* at the very top: no empty region is left behind */
	assert_int_equal(kvm_memmap_reserve(&bi, 60 * MiB, 64 * MiB), 0);
	assert_int_equal(bi.nr_memregions, 5);
	assert_int_equal(bi.memregions[3].base + bi.memregions[3].len,
			 60 * MiB);
	assert_int_equal(bi.memregions[4].type, UKPLAT_MEMR_RESERVED);
	/* no free byte overlaps a reserved one */
	for (unsigned i = 0; i + 1 < bi.nr_memregions; i++)
		assert_true(bi.memregions[i].base + bi.memregions[i].len <=
			    bi.memregions[i + 1].base);
}

static void test_memmap_overflow(void **s)
{
	(void)s;
	struct ukplat_bootinfo bi;
	struct pvh_memmap_entry map[40];
	for (int i = 0; i < 40; i++)
		map[i] = (struct pvh_memmap_entry){(uint64_t)(2 + i) * MiB,
						   4096, E820_RAM, 0};
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(kvm_memmap_to_regions(&bi, map, 40, 0x100000, 0x101000,
					       1ull << 30),
			 -1);
	assert_int_equal(bi.nr_memregions, UKPLAT_MEMREGION_MAX);
	for (unsigned i = 1; i < bi.nr_memregions; i++)
		assert_true(bi.memregions[i - 1].base < bi.memregions[i].base);
}

/* ---- ACPI ---- */
static uint8_t mem[65536]; /* fake physical memory, address = offset */

static const void *fake_phys(uint64_t a, size_t len)
{
	if (a + len > sizeof(mem) || a + len < a)
		return NULL;
	return mem + a;
}

static void fix_csum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void sdt(uint32_t at, const char *sig, uint32_t len)
{
	memcpy(mem + at, sig, 4);
	memcpy(mem + at + 4, &len, 4);
	mem[at + 8] = 2;
}

/* RSDP@0x100 -> RSDT@0x200 -> FADT@0x400 -> DSDT@0x800 */
static void build_tables(int hw_reduced, const uint8_t *s5, size_t s5len)
{
	memset(mem, 0, sizeof(mem));
	memcpy(mem + 0x100, "RSD PTR ", 8);
	uint32_t rsdt = 0x200;
	memcpy(mem + 0x100 + 16, &rsdt, 4);
	fix_csum(mem + 0x100, 20, 8);

	sdt(0x200, "RSDT", 36 + 8);
	uint32_t apic = 0x300, fadt = 0x400;
	sdt(0x300, "APIC", 44);
	fix_csum(mem + 0x300, 44, 9);
	memcpy(mem + 0x200 + 36, &apic, 4);
	memcpy(mem + 0x200 + 40, &fadt, 4);
	fix_csum(mem + 0x200, 44, 9);

	uint32_t flen = 276, dsdt = 0x800, pm1a = 0x604, flags = 0;
	sdt(0x400, "FACP", flen);
	memcpy(mem + 0x400 + 40, &dsdt, 4);
	memcpy(mem + 0x400 + 64, &pm1a, 4);
	if (hw_reduced) {
		flags = 1u << 20;
		mem[0x400 + 244] = 1; /* I/O space */
		uint64_t port = 0x505;
		memcpy(mem + 0x400 + 248, &port, 8);
	}
	memcpy(mem + 0x400 + 112, &flags, 4);
	fix_csum(mem + 0x400, flen, 9);

	uint32_t dlen = 36 + 16 + (uint32_t)s5len;
	sdt(0x800, "DSDT", dlen);
	memset(mem + 0x800 + 36, 0x5b, 16); /* unrelated AML */
	memcpy(mem + 0x800 + 52, s5, s5len);
	fix_csum(mem + 0x800, dlen, 9);
}

static const uint8_t s5_byte[] = {0x08, '_',  'S',  '5',  '_',	0x12, 0x08,
				  0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00};
static const uint8_t s5_zero[] = {0x08, '\\', '_',  'S',  '5',	'_', 0x12,
				  0x06, 0x04, 0x00, 0x00, 0x00, 0x00};

static void test_acpi_pm1(void **s)
{
	(void)s;
	struct acpi_poweroff po;
	build_tables(0, s5_zero, sizeof(s5_zero));
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), 0);
	assert_int_equal(po.hw_reduced, 0);
	assert_int_equal(po.pm1a_cnt, 0x604);
	assert_int_equal(po.slp_typ, 0);
}

static void test_acpi_hw_reduced(void **s)
{
	(void)s;
	struct acpi_poweroff po;
	build_tables(1, s5_byte, sizeof(s5_byte));
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), 0);
	assert_int_equal(po.hw_reduced, 1);
	assert_int_equal(po.sleep_space, 1);
	assert_int_equal(po.sleep_addr, 0x505);
	assert_int_equal(po.slp_typ, 5);
}

static void test_acpi_refuses_bad_tables(void **s)
{
	(void)s;
	struct acpi_poweroff po;

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x100 + 8] ^= 0xff; /* RSDP checksum */
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), -1);

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x400 + 20] ^= 1; /* FADT checksum */
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), -1);

	build_tables(0, s5_zero, sizeof(s5_zero));
	uint32_t huge = 0xfffffff0;
	memcpy(mem + 0x200 + 4, &huge, 4); /* RSDT length beyond memory */
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), -1);

	build_tables(0, (const uint8_t *)"\x08_S4_\x12\x06\x04\x00", 10);
	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), -1);

	assert_int_equal(acpi_prepare_poweroff(0xfff0, fake_phys, &po), -1);
}

static void test_s5_truncated(void **s)
{
	(void)s;
	for (size_t n = 0; n < sizeof(s5_byte) - 4; n++)
		assert_true(acpi_s5_from_dsdt(s5_byte, n) == -1);
	assert_int_equal(acpi_s5_from_dsdt(s5_byte, sizeof(s5_byte)), 5);
	/* "_S5_" not preceded by NameOp: a reference, not the definition */
	assert_int_equal(
		acpi_s5_from_dsdt(
			(const uint8_t *)"\x70_S5_\x12\x06\x04\x0a\x05", 11),
		-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_basic),
		cmocka_unit_test(test_memmap_clamps_and_splits),
		cmocka_unit_test(test_memmap_reserve_initrd),
		cmocka_unit_test(test_memmap_overflow),
		cmocka_unit_test(test_acpi_pm1),
		cmocka_unit_test(test_acpi_hw_reduced),
		cmocka_unit_test(test_acpi_refuses_bad_tables),
		cmocka_unit_test(test_s5_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
