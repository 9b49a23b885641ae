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
