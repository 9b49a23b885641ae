/* Native tests of the kvm clock decoding: TSC frequency from CPUID values,
 * the PIT ratio, and CMOS RTC registers (BCD/binary, 12/24 h, garbage). */
#define _GNU_SOURCE /* timegm */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <uk/plat/bootinfo.h>
#include <uk/print.h>
#include <uk/time.h>
#include "clock.h"

/* clock.c is linked whole; its hardware paths never run here. */
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	static struct ukplat_bootinfo bi;
	return &bi;
}

void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	(void)level;
	(void)lib;
	(void)fmt;
}

/* ---- TSC frequency from CPUID ---- */

#define NOT_SET "(unchanged)"

static uint64_t freq(const struct kvm_cpuid_clock *c, const char **src)
{
	*src = NOT_SET;
	return kvm_tsc_hz_from_cpuid(c, src);
}

static void test_cpuid_15_crystal(void **s)
{
	(void)s;
	const char *src;
	/* Skylake-like: 24 MHz crystal, ratio 216/2 */
	struct kvm_cpuid_clock c = {.max_leaf = 0x16,
				    .l15_eax = 2,
				    .l15_ebx = 216,
				    .l15_ecx = 24000000,
				    .l16_eax = 2600};
	assert_int_equal(freq(&c, &src), 2592000000ull);
	assert_string_equal(src, "tsc (cpuid 0x15)");
	/* 0x15 wins over the hypervisor leaf */
	c.hypervisor = 1;
	c.hv_max = 0x40000010;
	c.hv_tsc_khz = 1000000;
	assert_int_equal(freq(&c, &src), 2592000000ull);
	/* 0x15 enough, without 0x16 */
	c.max_leaf = 0x15;
	assert_int_equal(freq(&c, &src), 2592000000ull);
	/* rounding down of a non-integer ratio: 19.2 MHz * 157 / 3 */
	c.l15_eax = 3;
	c.l15_ebx = 157;
	c.l15_ecx = 19200000;
	assert_int_equal(freq(&c, &src), 1004800000ull);
}

static void test_cpuid_16_base(void **s)
{
	(void)s;
	const char *src;
	/* crystal Hz not enumerated: base MHz from 0x16 */
	struct kvm_cpuid_clock c = {.max_leaf = 0x16,
				    .l15_eax = 2,
				    .l15_ebx = 200,
				    .l15_ecx = 0,
				    .l16_eax = 2400};
	assert_int_equal(freq(&c, &src), 2400000000ull);
	assert_string_equal(src, "tsc (cpuid 0x16)");
	/* 0x16 beyond the highest leaf: its value is garbage, ignored */
	c.max_leaf = 0x15;
	assert_int_equal(freq(&c, &src), 0);
	assert_string_equal(src, NOT_SET);
	/* ... and the hypervisor leaf is next */
	c.hypervisor = 1;
	c.hv_max = 0x40000010;
	c.hv_tsc_khz = 2893437;
	assert_int_equal(freq(&c, &src), 2893437000ull);
	assert_string_equal(src, "tsc (cpuid 0x40000010)");
	/* 0x16 present but zero */
	c.max_leaf = 0x16;
	c.l16_eax = 0;
	assert_int_equal(freq(&c, &src), 2893437000ull);
}

static void test_cpuid_15_not_enumerated(void **s)
{
	(void)s;
	const char *src;
	/* ratio 0/x or x/0: leaf 0x15 says nothing, 0x16 is not used */
	struct kvm_cpuid_clock c = {.max_leaf = 0x16,
				    .l15_eax = 0,
				    .l15_ebx = 100,
				    .l15_ecx = 24000000,
				    .l16_eax = 2400};
	assert_int_equal(freq(&c, &src), 0);
	c.l15_eax = 1;
	c.l15_ebx = 0;
	assert_int_equal(freq(&c, &src), 0);
	assert_string_equal(src, NOT_SET);
	/* leaf 0x15 beyond the highest leaf (qemu64: 0xd): ignored */
	c = (struct kvm_cpuid_clock){.max_leaf = 0xd,
				     .l15_eax = 2,
				     .l15_ebx = 216,
				     .l15_ecx = 24000000,
				     .l16_eax = 2600};
	assert_int_equal(freq(&c, &src), 0);
	/* out of range (1 Hz, 2^32 * 2^32 Hz): the next source is tried */
	c = (struct kvm_cpuid_clock){.max_leaf = 0x15,
				     .l15_eax = 1,
				     .l15_ebx = 1,
				     .l15_ecx = 1,
				     .hypervisor = 1,
				     .hv_max = 0x40000010,
				     .hv_tsc_khz = 3000000};
	assert_int_equal(freq(&c, &src), 3000000000ull);
	c.l15_ebx = 0xffffffff;
	c.l15_ecx = 0xffffffff;
	assert_int_equal(freq(&c, &src), 3000000000ull);
	assert_string_equal(src, "tsc (cpuid 0x40000010)");
}

static void test_cpuid_hypervisor_leaf(void **s)
{
	(void)s;
	const char *src;
	struct kvm_cpuid_clock c = {.max_leaf = 0xd,
				    .hypervisor = 1,
				    .hv_max = 0x40000010,
				    .hv_tsc_khz = 2100000};
	assert_int_equal(freq(&c, &src), 2100000000ull);
	c.hv_max = 0x40000100;
	assert_int_equal(freq(&c, &src), 2100000000ull);
	/* no hypervisor bit: leaf 0x40000000 is not a vendor leaf */
	c.hypervisor = 0;
	assert_int_equal(freq(&c, &src), 0);
	c.hypervisor = 1;
	/* vendor leaves stop below 0x40000010 (e.g. KVM without the timing
	 * leaf, Hyper-V) */
	c.hv_max = 0x40000001;
	assert_int_equal(freq(&c, &src), 0);
	c.hv_max = 0x4000000b;
	assert_int_equal(freq(&c, &src), 0);
	/* nonsense maxima: a basic-leaf echo, another range */
	c.hv_max = 0xd;
	assert_int_equal(freq(&c, &src), 0);
	c.hv_max = 0x80000008;
	assert_int_equal(freq(&c, &src), 0);
	/* 0 kHz, under 1 MHz, over 100 GHz */
	c.hv_max = 0x40000010;
	c.hv_tsc_khz = 0;
	assert_int_equal(freq(&c, &src), 0);
	c.hv_tsc_khz = 999;
	assert_int_equal(freq(&c, &src), 0);
	c.hv_tsc_khz = 1000;
	assert_int_equal(freq(&c, &src), 1000000);
	c.hv_tsc_khz = 100000001;
	assert_int_equal(freq(&c, &src), 0);
	c.hv_tsc_khz = 0xffffffff;
	assert_int_equal(freq(&c, &src), 0);
	assert_string_equal(src, NOT_SET);
}

/* ---- PIT ratio ---- */

static void test_pit_ratio(void **s)
{
	(void)s;
	/* 10 ms (11932 PIT ticks) of a 2.5 GHz TSC */
	uint64_t ticks = 2500000000ull * 11932 / KVM_PIT_HZ;
	uint64_t hz = kvm_pit_tsc_hz(ticks, 11932);
	assert_true(hz > 2499999000ull && hz < 2500001000ull);
	assert_int_equal(kvm_pit_tsc_hz(KVM_PIT_HZ, KVM_PIT_HZ), KVM_PIT_HZ);
	assert_int_equal(kvm_pit_tsc_hz(3, 2), 1789773); /* rounded */
	assert_int_equal(kvm_pit_tsc_hz(1000, 0), 0);
	assert_int_equal(kvm_pit_tsc_hz(UINT64_MAX / 2, 11932), 0);
	assert_int_equal(kvm_pit_tsc_hz(0, 11932), 0);
}

/* ---- CMOS RTC registers ---- */

static int64_t utc(int y, int mon, int d, int h, int mi, int sec)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mon - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = sec};
	return (int64_t)timegm(&tm);
}

#define BCD_24H 0x02
#define BIN_24H 0x06
#define BCD_12H 0x00
#define BIN_12H 0x04

struct rtc_case {
	struct kvm_rtc_raw raw;	   /* sec, min, hour, mday, mon, year, regb */
	int y, mon, d, h, mi, sec; /* y 0: invalid, -1 expected */
};

static const struct rtc_case rtc_cases[] = {
	/* BCD, 24 h (QEMU's default) */
	{{0x58, 0x59, 0x23, 0x29, 0x02, 0x24, BCD_24H},
	 2024,
	 2,
	 29,
	 23,
	 59,
	 58},
	{{0x00, 0x00, 0x00, 0x01, 0x01, 0x00, BCD_24H}, 2000, 1, 1, 0, 0, 0},
	{{0x07, 0x14, 0x03, 0x19, 0x01, 0x38, BCD_24H}, 2038, 1, 19, 3, 14, 7},
	{{0x59, 0x59, 0x23, 0x31, 0x12, 0x99, BCD_24H},
	 2099,
	 12,
	 31,
	 23,
	 59,
	 59},
	/* binary, 24 h */
	{{58, 59, 23, 29, 2, 24, BIN_24H}, 2024, 2, 29, 23, 59, 58},
	{{30, 45, 12, 15, 7, 25, BIN_24H | 0x80 /* SET */},
	 2025,
	 7,
	 15,
	 12,
	 45,
	 30},
	/* BCD, 12 h: 12 AM = 0 h, 12 PM = 12 h, PM = bit 7 */
	{{0x00, 0x30, 0x12, 0x01, 0x03, 0x25, BCD_12H}, 2025, 3, 1, 0, 30, 0},
	{{0x00, 0x30, 0x92, 0x01, 0x03, 0x25, BCD_12H}, 2025, 3, 1, 12, 30, 0},
	{{0x00, 0x30, 0x81, 0x01, 0x03, 0x25, BCD_12H}, 2025, 3, 1, 13, 30, 0},
	{{0x00, 0x30, 0x11, 0x01, 0x03, 0x25, BCD_12H}, 2025, 3, 1, 11, 30, 0},
	{{0x00, 0x30, 0x91, 0x01, 0x03, 0x25, BCD_12H}, 2025, 3, 1, 23, 30, 0},
	/* binary, 12 h */
	{{5, 6, 12, 10, 10, 30, BIN_12H}, 2030, 10, 10, 0, 6, 5},
	{{5, 6, 0x80 | 12, 10, 10, 30, BIN_12H}, 2030, 10, 10, 12, 6, 5},
	{{5, 6, 0x80 | 11, 10, 10, 30, BIN_12H}, 2030, 10, 10, 23, 6, 5},
	{{5, 6, 1, 10, 10, 30, BIN_12H}, 2030, 10, 10, 1, 6, 5},
	/* garbage */
	{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0, 0, 0, 0, 0, 0},
	{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0, 0, 0, 0, 0, 0, 0}, 0, 0, 0, 0, 0, 0}, /* day 0 */
	{{0x1a, 0x00, 0x00, 0x01, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x01, 0x13, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x30, 0x02, 0x23, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x29, 0x02, 0x23, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x60, 0x00, 0x00, 0x01, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x60, 0x00, 0x01, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x24, 0x01, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x81, 0x01, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x32, 0x01, 0x24, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x01, 0x01, 0xa0, BCD_24H}, 0, 0, 0, 0, 0, 0},
	{{0, 0, 0, 1, 1, 100, BIN_24H}, 0, 0, 0, 0, 0, 0},
	{{0, 0, 24, 1, 1, 24, BIN_24H}, 0, 0, 0, 0, 0, 0},
	{{0, 0, 0x80 | 1, 1, 1, 24, BIN_24H}, 0, 0, 0, 0, 0, 0},
	{{0, 0, 0, 1, 1, 24, BIN_12H}, 0, 0, 0, 0, 0, 0},    /* 0 AM */
	{{0, 0, 0x80, 1, 1, 24, BIN_12H}, 0, 0, 0, 0, 0, 0}, /* 0 PM */
	{{0, 0, 13, 1, 1, 24, BIN_12H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x13, 0x01, 0x01, 0x24, BCD_12H}, 0, 0, 0, 0, 0, 0},
	{{0x00, 0x00, 0x00, 0x01, 0x01, 0x24, BCD_12H}, 0, 0, 0, 0, 0, 0},
	/* BCD digits read as binary and the other way round */
	{{0x00, 0x00, 0x00, 0x31, 0x12, 0x24, BIN_24H}, 0, 0, 0, 0, 0, 0},
};

static void test_rtc_table(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(rtc_cases) / sizeof(rtc_cases[0]); i++) {
		const struct rtc_case *c = &rtc_cases[i];
		int64_t want =
			c->y ? utc(c->y, c->mon, c->d, c->h, c->mi, c->sec)
			     : -1;
		int64_t got = kvm_rtc_decode(&c->raw);
		if (got != want)
			fail_msg("case %zu: got %lld, want %lld", i,
				 (long long)got, (long long)want);
	}
	/* two fixed points, independent of timegm */
	const struct kvm_rtc_raw y2038 = {0x08, 0x14, 0x03,   0x19,
					  0x01, 0x38, BCD_24H};
	assert_int_equal(kvm_rtc_decode(&y2038), 2147483648ll);
	const struct kvm_rtc_raw y2000 = {0, 0, 12, 1, 1, 0, BIN_12H};
	assert_int_equal(kvm_rtc_decode(&y2000), 946684800ll);
}

/* Every BCD 24 h time of one day decodes to the right second. */
static void test_rtc_every_second_bcd(void **s)
{
	(void)s;
	int64_t day = utc(2031, 12, 31, 0, 0, 0);
	for (int h = 0; h < 24; h++)
		for (int m = 0; m < 60; m++)
			for (int sec = 0; sec < 60; sec++) {
				struct kvm_rtc_raw r = {
					(uint8_t)(sec / 10 * 16 + sec % 10),
					(uint8_t)(m / 10 * 16 + m % 10),
					(uint8_t)(h / 10 * 16 + h % 10),
					0x31,
					0x12,
					0x31,
					BCD_24H};
				assert_int_equal(kvm_rtc_decode(&r),
						 day + h * 3600 + m * 60 + sec);
				/* the same in 12 h mode */
				int h12 = h % 12 ? h % 12 : 12;
				r.hour = (uint8_t)((h12 / 10 * 16 + h12 % 10) |
						   (h >= 12 ? 0x80 : 0));
				r.regb = BCD_12H;
				assert_int_equal(kvm_rtc_decode(&r),
						 day + h * 3600 + m * 60 + sec);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuid_15_crystal),
		cmocka_unit_test(test_cpuid_16_base),
		cmocka_unit_test(test_cpuid_15_not_enumerated),
		cmocka_unit_test(test_cpuid_hypervisor_leaf),
		cmocka_unit_test(test_pit_ratio),
		cmocka_unit_test(test_rtc_table),
		cmocka_unit_test(test_rtc_every_second_bcd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
