/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm/x86_64: the MC146818-compatible CMOS real-time clock. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <uk/arch/x86_64.h>
#include <uk/time.h>
#include "clock.h"

#define RTC_INDEX 0x70
#define RTC_DATA  0x71

#define RTC_SEC	  0x00
#define RTC_MIN	  0x02
#define RTC_HOUR  0x04
#define RTC_MDAY  0x07
#define RTC_MON	  0x08
#define RTC_YEAR  0x09
#define RTC_REGA  0x0a
#define RTC_REGB  0x0b
#define RTC_A_UIP 0x80	 /* update in progress */
#define RTC_READS 5	 /* attempts at two equal reads */
#define RTC_POLLS 100000 /* cap on polls of UIP, whatever the TSC says */

/* One register, raw or decoded from BCD; -1 if it is not valid BCD. */
static int rtc_value(uint8_t v, bool bcd)
{
	return bcd ? uk_bcd_to_bin_checked(v) : v;
}

int64_t kvm_rtc_decode(const struct kvm_rtc_raw *r)
{
	bool bcd = !(r->regb & KVM_RTC_REGB_BINARY);
	bool h24 = r->regb & KVM_RTC_REGB_24H;
	uint8_t hraw = r->hour;
	bool pm = false;
	int sec, min, hour, mday, mon, year;

	if (!h24) {
		pm = hraw & KVM_RTC_HOUR_PM;
		hraw &= (uint8_t)~KVM_RTC_HOUR_PM;
	}
	sec = rtc_value(r->sec, bcd);
	min = rtc_value(r->min, bcd);
	hour = rtc_value(hraw, bcd);
	mday = rtc_value(r->mday, bcd);
	mon = rtc_value(r->mon, bcd);
	year = rtc_value(r->year, bcd);
	if (sec < 0 || min < 0 || hour < 0 || mday < 0 || mon < 0 || year < 0 ||
	    year > 99)
		return -1;
	if (!h24) {
		/* 12 AM is midnight, 12 PM is noon */
		if (hour < 1 || hour > 12)
			return -1;
		hour = hour % 12 + (pm ? 12 : 0);
	}
	/* uk_time_from_date checks every range (Feb 30, hour 24, ...) */
	return uk_time_from_date(2000 + year, mon, mday, hour, min, sec);
}

static uint8_t cmos_read(uint8_t reg)
{
	ukarch_outb(RTC_INDEX, reg);
	return ukarch_inb(RTC_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	ukarch_outb(RTC_INDEX, reg);
	ukarch_outb(RTC_DATA, v);
}

/* Wait for the update-in-progress flag to clear: true once it has. */
static bool rtc_wait_uip(uint64_t max_ticks)
{
	uint64_t t0 = ukarch_rdtsc();

	for (unsigned i = 0; i < RTC_POLLS; i++) {
		if (!(cmos_read(RTC_REGA) & RTC_A_UIP))
			return true;
		if (ukarch_rdtsc() - t0 > max_ticks)
			break;
	}
	return false;
}

static void rtc_read_once(struct kvm_rtc_raw *r)
{
	r->sec = cmos_read(RTC_SEC);
	r->min = cmos_read(RTC_MIN);
	r->hour = cmos_read(RTC_HOUR);
	r->mday = cmos_read(RTC_MDAY);
	r->mon = cmos_read(RTC_MON);
	r->year = cmos_read(RTC_YEAR);
	r->regb = cmos_read(RTC_REGB);
}

int kvm_rtc_read(struct kvm_rtc_raw *r, uint64_t max_ticks)
{
	struct kvm_rtc_raw a, b;

	/* Nothing decodes at 0x70/0x71 (microvm without rtc=on): all ones. */
	if (cmos_read(RTC_REGA) == 0xff)
		return -1;
	for (int i = 0; i < RTC_READS; i++) {
		if (!rtc_wait_uip(max_ticks))
			return -1;
		rtc_read_once(&a);
		if (!rtc_wait_uip(max_ticks))
			return -1;
		rtc_read_once(&b);
		if (!memcmp(&a, &b, sizeof(a))) {
			*r = a;
			return 0;
		}
	}
	return -1;
}

/*
 * TSC Hz against the RTC's periodic flag, for machines without a PIT (QEMU
 * microvm with pit=off): the RTC divides its 32,768 Hz crystal down to 8,192
 * periodic ticks a second and sets PF in register C at each; reading C clears
 * it. Times KVM_RTC_CALIB_TICKS periods (about 8 ms) and takes the median.
 * Interrupts stay off (PIE is set only so that emulations that run the
 * periodic timer only for PIE do run it; register C is read, so the line is
 * acknowledged). Returns 0 when no RTC ticks within max_ticks of the TSC.
 */
#define RTC_REGC	    0x0c
#define RTC_C_PF	    0x40
#define RTC_B_PIE	    0x40
#define RTC_RATE_8192HZ	    0x03
#define KVM_RTC_CALIB_TICKS 65 /* 65 / 8192 s = 7.9 ms: 10 ms in all */

static bool rtc_next_tick(uint64_t limit, uint64_t *tsc)
{
	while (!(cmos_read(RTC_REGC) & RTC_C_PF)) {
		if (ukarch_rdtsc() > limit)
			return false;
	}
	*tsc = ukarch_rdtsc();
	return true;
}

uint64_t kvm_rtc_tsc_hz(uint64_t max_ticks, uint64_t *spent)
{
	uint64_t t = ukarch_rdtsc(), limit = t + max_ticks, prev, now, hz = 0;
	/* The gaps between flag edges; their median is one period even when a
	 * descheduled vCPU misses a few edges (those gaps are 2 or 3 periods).
	 */
	uint64_t gap[KVM_RTC_CALIB_TICKS];
	unsigned n = 0;

	if (cmos_read(RTC_REGA) == 0xff)
		goto out;
	uint8_t a = cmos_read(RTC_REGA), b = cmos_read(RTC_REGB);
	cmos_write(RTC_REGA, (uint8_t)((a & 0xf0) | RTC_RATE_8192HZ));
	cmos_write(RTC_REGB, (uint8_t)(b | RTC_B_PIE));
	cmos_read(RTC_REGC);
	if (rtc_next_tick(limit, &prev)) {
		while (n < KVM_RTC_CALIB_TICKS && rtc_next_tick(limit, &now)) {
			uint64_t g = now - prev, i = n++;
			prev = now;
			while (i > 0 && gap[i - 1] > g) { /* insertion sort */
				gap[i] = gap[i - 1];
				i--;
			}
			gap[i] = g;
		}
		if (n == KVM_RTC_CALIB_TICKS)
			hz = gap[n / 2] * 8192;
	}
	cmos_write(RTC_REGB, b);
	cmos_write(RTC_REGA, a);
	cmos_read(RTC_REGC);
out:
	*spent = ukarch_rdtsc() - t;
	return hz;
}
