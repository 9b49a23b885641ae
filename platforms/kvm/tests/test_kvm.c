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

/* ---- PVH start_info: every loader value checked ---- */
#define PMEM (2u << 20)
static uint8_t pmem[PMEM]; /* guest-physical [0, 2 MiB) */
#define IMG_START 0x100000ull
#define IMG_END	  0x140000ull
#define SI	  0x1000ull
#define MAP	  0x2000ull
#define CMD	  0x3000ull
#define MODS	  0x4000ull

static struct pvh_start_info *si_(void)
{
	return (struct pvh_start_info *)(pmem + SI);
}
static struct pvh_modlist_entry *mod_(void)
{
	return (struct pvh_modlist_entry *)(pmem + MODS);
}
static struct pvh_memmap_entry *map_(void)
{
	return (struct pvh_memmap_entry *)(pmem + MAP);
}

/* what QEMU hands over, in miniature: low RAM, a hole, RAM from 1 MiB */
static void pvh_good(void)
{
	memset(pmem, 0, sizeof(pmem));
	struct pvh_start_info *si = si_();
	si->magic = PVH_START_MAGIC;
	si->version = 1;
	si->cmdline_paddr = CMD;
	si->rsdp_paddr = 0xf5000;
	si->memmap_paddr = MAP;
	si->memmap_entries = 3;
	map_()[0] = (struct pvh_memmap_entry){0, 0x9fc00, E820_RAM, 0};
	map_()[1] = (struct pvh_memmap_entry){0x9fc00, 0x400, 2, 0};
	map_()[2] = (struct pvh_memmap_entry){0x100000, 0x100000, E820_RAM, 0};
	strcpy((char *)pmem + CMD, "net.ip=10.0.0.2 -- one two");
	si->nr_modules = 1;
	si->modlist_paddr = MODS;
	mod_()->paddr = 0x180000;
	mod_()->size = 0x10000;
}

static int pvh_parse(struct kvm_pvh *p, char *why)
{
	why[0] = 0;
	return kvm_pvh_parse(SI, pmem, PMEM, IMG_START, IMG_END, p, why, 256);
}

static void test_pvh_good(void **s)
{
	(void)s;
	struct kvm_pvh p;
	char why[256];

	pvh_good();
	assert_int_equal(pvh_parse(&p, why), 0);
	assert_int_equal(p.memmap_entries, 3);
	assert_ptr_equal(p.memmap, pmem + MAP);
	assert_string_equal(p.cmdline, "net.ip=10.0.0.2 -- one two");
	assert_int_equal(p.cmdline_len, 26);
	assert_int_equal(p.initrd, 0x180000);
	assert_int_equal(p.initrd_len, 0x10000);
	assert_int_equal(p.rsdp, 0xf5000);
	/* no command line (address 0), no modules, no memory map:
	 * accepted, nothing given */
	si_()->cmdline_paddr = 0;
	si_()->nr_modules = 0;
	si_()->version = 0;
	assert_int_equal(pvh_parse(&p, why), 0);
	assert_null(p.cmdline);
	assert_null(p.memmap);
	assert_int_equal(p.initrd_len, 0);
	/* an empty module: no initrd */
	pvh_good();
	mod_()->size = 0;
	assert_int_equal(pvh_parse(&p, why), 0);
	assert_int_equal(p.initrd_len, 0);
}

static void set_big_cmdline(void)
{
	/* a command line running into the end of the mapped memory */
	si_()->cmdline_paddr = PMEM - 100;
	memset(pmem + PMEM - 100, 'x', 100);
	/* (the RAM entry covers it) */
}

static void test_pvh_refusals(void **s)
{
	(void)s;
	static const struct {
		int what;
		const char *why;
	} cases[] = {
		{0, "start_info.magic is 0x12345678"},
		{1, "start_info.memmap_paddr is 0 with 3 entries"},
		{2, "start_info.memmap_entries is 100000, above the limit"},
		{3, "overflows"},
		{4, "start_info.memmap_paddr 0x1ff000 (1000 entries) lies "
		    "outside the mapped memory"},
		{5, "the memory map lies outside the memory it describes"},
		{6,
		 "start_info.cmdline_paddr 0x200000 lies outside the mapped"},
		{7, "start_info.cmdline_paddr 0xa0000 lies outside the memory "
		    "map"},
		{8, "no terminating NUL before the end of the mapped memory"},
		{9, "start_info.modlist_paddr is 0 with 1 modules"},
		{10, "start_info.modlist_paddr 0x1ffff0 lies outside the "
		     "mapped memory"},
		{11, "start_info.modlist_paddr 0xa0100 lies outside the memory "
		     "map"},
		{12, "module 0 (the initrd): paddr is 0"},
		{13, "initrd at 0xfffffffffffff000-0xf000 lies beyond"},
		{14, "initrd at 0x1f0000-0x210000 lies beyond the 2 MiB"},
		{15, "initrd at 0x9f000-0xa1000 lies outside RAM"},
		{16, "initrd at 0x130000-0x150000 overlaps the image at "
		     "0x100000-0x140000"},
		{17, "start_info at 0x1ffff0 lies outside the mapped memory"},
		{18, "initrd at 0x9fc00-0x9fe00 lies outside RAM"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kvm_pvh p;
		char why[256];
		uint64_t si_pa = SI;

		pvh_good();
		struct pvh_start_info *si = si_();
		switch (cases[i].what) {
		case 0:
			si->magic = 0x12345678;
			break;
		case 1:
			si->memmap_paddr = 0;
			break;
		case 2:
			si->memmap_entries = 100000;
			break;
		case 3:
			si->memmap_paddr = 0xfffffffffffffff0ull;
			break;
		case 4:
			si->memmap_paddr = PMEM - 0x1000;
			si->memmap_entries = 1000;
			break;
		case 5: /* the map in a hole it leaves */
			memcpy(pmem + 0xa0100, pmem + MAP, 3 * 24);
			si->memmap_paddr = 0xa0100;
			break;
		case 6:
			si->cmdline_paddr = PMEM;
			break;
		case 7:
			si->cmdline_paddr = 0xa0000;
			strcpy((char *)pmem + 0xa0000, "x");
			break;
		case 8:
			set_big_cmdline();
			break;
		case 9:
			si->modlist_paddr = 0;
			break;
		case 10:
			si->modlist_paddr = PMEM - 16;
			break;
		case 11:
			si->modlist_paddr = 0xa0100;
			break;
		case 12:
			mod_()->paddr = 0;
			break;
		case 13:
			mod_()->paddr = 0xfffffffffffff000ull;
			mod_()->size = 0x10000;
			break;
		case 14:
			mod_()->paddr = 0x1f0000;
			mod_()->size = 0x20000;
			break;
		case 15:
			mod_()->paddr = 0x9f000;
			mod_()->size = 0x2000;
			break;
		case 16:
			mod_()->paddr = 0x130000;
			mod_()->size = 0x20000;
			break;
		case 17:
			si_pa = PMEM - 16;
			break;
		case 18: /* in the reserved entry */
			mod_()->paddr = 0x9fc00;
			mod_()->size = 0x200;
			break;
		}
		why[0] = 0;
		int rc = kvm_pvh_parse(si_pa, pmem, PMEM, IMG_START, IMG_END,
				       &p, why, sizeof(why));
		if (rc != -1 || !strstr(why, cases[i].why))
			fail_msg("case %d: rc %d, why '%s' (want '%s')",
				 cases[i].what, rc, why, cases[i].why);
	}
}

/* A command line of the full 64 KiB limit is refused by length. */
static void test_pvh_cmdline_cap(void **s)
{
	(void)s;
	struct kvm_pvh p;
	char why[256];

	pvh_good();
	/* in the RAM above the image: 64 KiB + 1 of 'y' */
	si_()->cmdline_paddr = 0x150000;
	mod_()->size = 0;
	memset(pmem + 0x150000, 'y', KVM_CMDLINE_CAP + 1);
	assert_int_equal(pvh_parse(&p, why), -1);
	assert_non_null(strstr(why, "command line is longer than 65535"));
	pmem[0x150000 + KVM_CMDLINE_CAP - 1] = 0; /* 65535 bytes: fits */
	assert_int_equal(pvh_parse(&p, why), 0);
	assert_int_equal(p.cmdline_len, KVM_CMDLINE_CAP - 1);
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

/* Every refusal names the structure and the fault. */
static void expect_refused(const char *what, const char *why)
{
	struct acpi_poweroff po;

	assert_int_equal(acpi_prepare_poweroff(0x100, fake_phys, &po), -1);
	if (!po.what || !po.why || strcmp(po.what, what) ||
	    !strstr(po.why, why))
		fail_msg("refused as '%s: %s', want '%s: %s'", po.what, po.why,
			 what, why);
}

static void test_acpi_refuses_bad_tables(void **s)
{
	(void)s;
	struct acpi_poweroff po;
	uint32_t v;

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x100 + 8] ^= 0xff; /* RSDP checksum */
	expect_refused("RSDP", "checksum is wrong");

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x100] = 'X';
	expect_refused("RSDP", "signature");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 0; /* RSDT pointer 0 */
	memcpy(mem + 0x100 + 16, &v, 4);
	fix_csum(mem + 0x100, 20, 8);
	expect_refused("RSDP", "RSDT address is 0");

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x400 + 20] ^= 1; /* FADT checksum: no usable FADT */
	expect_refused("RSDT", "lists no usable FADT");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 0xfffffff0; /* RSDT length beyond memory */
	memcpy(mem + 0x200 + 4, &v, 4);
	expect_refused("RSDT", "length runs beyond the mapped memory");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 0xff00; /* below 1 MiB, but beyond the 64 KiB mapped here */
	memcpy(mem + 0x200 + 4, &v, 4);
	expect_refused("RSDT", "length runs beyond the mapped memory");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 20; /* shorter than a header */
	memcpy(mem + 0x200 + 4, &v, 4);
	expect_refused("RSDT", "length below its 36-byte header");

	build_tables(0, s5_zero, sizeof(s5_zero));
	mem[0x200 + 30] ^= 1;
	expect_refused("RSDT", "checksum is wrong");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 0; /* DSDT pointer 0 */
	memcpy(mem + 0x400 + 40, &v, 4);
	fix_csum(mem + 0x400, 276, 9);
	expect_refused("DSDT", "pointer is 0");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 0; /* no PM1a control block, not hardware-reduced */
	memcpy(mem + 0x400 + 64, &v, 4);
	fix_csum(mem + 0x400, 276, 9);
	expect_refused("FADT", "PM1a_CNT is 0");

	build_tables(0, s5_zero, sizeof(s5_zero));
	v = 100; /* a FADT too short for PM1a_CNT and the flags */
	memcpy(mem + 0x400 + 4, &v, 4);
	fix_csum(mem + 0x400, 100, 9);
	expect_refused("FADT", "length below the 116 bytes");

	build_tables(1, s5_byte, sizeof(s5_byte));
	memset(mem + 0x400 + 248, 0, 8); /* sleep control register at 0 */
	fix_csum(mem + 0x400, 276, 9);
	expect_refused("FADT", "sleep control register at 0");

	build_tables(0, (const uint8_t *)"\x08_S4_\x12\x06\x04\x00", 10);
	expect_refused("DSDT", "no well-formed \\_S5 package");

	assert_int_equal(acpi_prepare_poweroff(0xfff0, fake_phys, &po), -1);
	assert_string_equal(po.what, "RSDP");
	assert_non_null(strstr(po.why, "outside the mapped memory"));
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

/* ---- multiboot2: GRUB's boot information as a PVH start_info ---- */
#define MB2_MEM (4 * MiB)
#define MBI	0x10000
static uint8_t mb2mem[MB2_MEM] __attribute__((aligned(8)));

static uint32_t mb2_tag(uint32_t off, uint32_t type, const void *body,
			uint32_t len)
{
	uint32_t size = 8 + len;

	memcpy(mb2mem + MBI + off, &type, 4);
	memcpy(mb2mem + MBI + off + 4, &size, 4);
	if (len)
		memcpy(mb2mem + MBI + off + 8, body, len);
	return off + ((size + 7) & ~7u);
}

/* cmdline, memory map (2 entries), a module, ACPI 1 then 2: returns the
 * offset of each, for the tests that break one */
static uint32_t mb2_good(uint32_t *cmd_off, uint32_t *mmap_off,
			 uint32_t *mod_off)
{
	uint32_t off = 8, total;
	uint8_t mm[8 + 2 * 24] = {0}, mod[16], rsdp[36];
	uint32_t esz = 24, ever = 0;
	struct pvh_memmap_entry e[2] = {{0, 0x9fc00, E820_RAM, 0},
					{MiB, 63 * MiB, E820_RAM, 0}};

	memset(mb2mem, 0, sizeof(mb2mem));
	*cmd_off = off;
	off = mb2_tag(off, 1, "net.ip=10.0.0.2 -- one", 23);
	memcpy(mm, &esz, 4);
	memcpy(mm + 4, &ever, 4);
	memcpy(mm + 8, e, sizeof(e));
	*mmap_off = off;
	off = mb2_tag(off, 6, mm, sizeof(mm));
	uint32_t b = 0x200000, en = 0x210000;
	memcpy(mod, &b, 4);
	memcpy(mod + 4, &en, 4);
	memcpy(mod + 8, "initrd", 7);
	*mod_off = off;
	off = mb2_tag(off, 3, mod, 15);
	memset(rsdp, 1, sizeof(rsdp));
	off = mb2_tag(off, 14, rsdp, 20);
	memset(rsdp, 2, sizeof(rsdp));
	off = mb2_tag(off, 15, rsdp, 36);
	off = mb2_tag(off, 0, NULL, 0);
	total = off;
	memcpy(mb2mem + MBI, &total, 4);
	return total;
}

static void test_mb2(void **s)
{
	(void)s;
	struct kvm_mb2 m;
	struct kvm_pvh p;
	char why[256];
	uint32_t c, mm, mod, bad;

	mb2_good(&c, &mm, &mod);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), 0);
	assert_int_equal(m.si.magic, PVH_START_MAGIC);
	assert_int_equal(m.si.cmdline_paddr, MBI + c + 8);
	assert_int_equal(m.si.memmap_paddr, MBI + mm + 16);
	assert_int_equal(m.si.memmap_entries, 2);
	assert_int_equal(m.si.nr_modules, 1);
	assert_int_equal(m.mod.paddr, 0x200000);
	assert_int_equal(m.mod.size, 0x10000);
	assert_int_equal(m.has_rsdp, 1);
	assert_int_equal(m.rsdp[0], 2); /* the ACPI 2 copy wins */
	/* the result goes through the PVH checks: put the module list and
	 * the start_info into the fake memory as the image would have them */
	memcpy(mb2mem + 0x3000, &m.mod, sizeof(m.mod));
	m.si.modlist_paddr = 0x3000;
	memcpy(mb2mem + 0x4000, &m.si, sizeof(m.si));
	assert_int_equal(kvm_pvh_parse(0x4000, mb2mem, MB2_MEM, MiB, 2 * MiB,
				       &p, why, sizeof(why)),
			 0);
	assert_string_equal(p.cmdline, "net.ip=10.0.0.2 -- one");
	assert_int_equal(p.memmap_entries, 2);
	assert_int_equal(p.initrd, 0x200000);

	/* refusals, each named */
	assert_int_equal(
		kvm_mb2_parse(MBI + 4, mb2mem, MB2_MEM, &m, why, sizeof(why)),
		-1);
	assert_non_null(strstr(why, "not 8-aligned"));
	assert_int_equal(kvm_mb2_parse(MB2_MEM - 8, mb2mem, MB2_MEM, &m, why,
				       sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "total_size 0"));
	bad = MB2_MEM; /* total_size past the mapped memory */
	memcpy(mb2mem + MBI, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "total_size"));
	bad = 0x40000; /* within the limit, past `top` */
	memcpy(mb2mem + MBI, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, 0x40000, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "runs past the mapped memory"));
	mb2_good(&c, &mm, &mod);
	bad = 0x7000; /* a tag larger than the structure */
	memcpy(mb2mem + MBI + mm + 4, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "(type 6) at offset"));
	mb2_good(&c, &mm, &mod);
	bad = 4; /* a tag smaller than its header: would never advance */
	memcpy(mb2mem + MBI + c + 4, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "size 4 runs past"));
	mb2_good(&c, &mm, &mod);
	memset(mb2mem + MBI + c + 8, 'x', 23); /* no NUL */
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no terminating NUL"));
	mb2_good(&c, &mm, &mod);
	bad = 20;
	memcpy(mb2mem + MBI + mm + 8, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "entry_size 20, expected 24"));
	mb2_good(&c, &mm, &mod);
	bad = 0x100000; /* module end below its start */
	memcpy(mb2mem + MBI + mod + 12, &bad, 4);
	assert_int_equal(
		kvm_mb2_parse(MBI, mb2mem, MB2_MEM, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "end 0x100000 below start 0x200000"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_basic),
		cmocka_unit_test(test_memmap_clamps_and_splits),
		cmocka_unit_test(test_memmap_reserve_initrd),
		cmocka_unit_test(test_memmap_overflow),
		cmocka_unit_test(test_pvh_good),
		cmocka_unit_test(test_pvh_refusals),
		cmocka_unit_test(test_pvh_cmdline_cap),
		cmocka_unit_test(test_acpi_pm1),
		cmocka_unit_test(test_acpi_hw_reduced),
		cmocka_unit_test(test_acpi_refuses_bad_tables),
		cmocka_unit_test(test_s5_truncated),
		cmocka_unit_test(test_mb2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
