/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to platforms/kvm: the clock hardware (TSC, PIT channel 2, CMOS RTC).
 * The decoding steps are pure functions of raw register values, so that they
 * are unit tested natively (tests/test_clock.c); clock.c and rtc.c do the
 * port I/O and feed them.
 */
#ifndef KVM_CLOCK_H
#define KVM_CLOCK_H

#include <stdint.h>

/* The CPUID values the TSC frequency may come from, as read (unread leaves
 * may hold anything: the *_max fields say which ones are valid). */
struct kvm_cpuid_clock {
	uint32_t max_leaf;   /* leaf 0x0 EAX: highest basic leaf */
	uint32_t l15_eax;    /* 0x15 EAX: TSC/crystal ratio denominator */
	uint32_t l15_ebx;    /* 0x15 EBX: TSC/crystal ratio numerator */
	uint32_t l15_ecx;    /* 0x15 ECX: crystal Hz, 0 if not enumerated */
	uint32_t l16_eax;    /* 0x16 EAX: processor base MHz */
	uint32_t hypervisor; /* leaf 0x1 ECX bit 31 (non-zero: under a VMM) */
	uint32_t hv_max;     /* 0x40000000 EAX: highest hypervisor leaf */
	uint32_t hv_tsc_khz; /* 0x40000010 EAX: TSC kHz */
};

/*
 * TSC frequency announced by CPUID, in this order: leaf 0x15 (crystal Hz *
 * EBX / EAX; if the crystal Hz is 0, leaf 0x16's base MHz), then the
 * hypervisor timing leaf 0x40000010 (only with the hypervisor bit set and
 * 0x40000010 <= hv_max <= 0x4000ffff). A value outside UK_TSC_FREQ_MIN..MAX
 * is skipped. Returns Hz and sets *src to a "tsc (cpuid ...)" string, or
 * returns 0 (*src unchanged) if CPUID does not tell.
 */
uint64_t kvm_tsc_hz_from_cpuid(const struct kvm_cpuid_clock *c,
			       const char **src);

/* The i8254 input clock, Hz. */
#define KVM_PIT_HZ 1193182u

/* TSC Hz from `tsc_ticks` counted over `pit_ticks` periods of the PIT clock,
 * rounded to nearest; 0 if pit_ticks is 0 or the product would overflow. */
uint64_t kvm_pit_tsc_hz(uint64_t tsc_ticks, uint32_t pit_ticks);

/* Raw CMOS RTC registers (0x00 sec, 0x02 min, 0x04 hour, 0x07 day of month,
 * 0x08 month, 0x09 year, 0x0b status B). */
struct kvm_rtc_raw {
	uint8_t sec, min, hour, mday, mon, year, regb;
};

#define KVM_RTC_REGB_24H    0x02 /* hours 0..23 (else 1..12 + PM bit) */
#define KVM_RTC_REGB_BINARY 0x04 /* binary values (else packed BCD) */
#define KVM_RTC_HOUR_PM	    0x80 /* in the hour register, 12 h mode */

/*
 * Unix seconds of the date and time in `r`: BCD or binary and 12 or 24 h as
 * status register B says, year 20xx. Returns -1 for anything that is not a
 * valid date (bad BCD digits, month 13, Feb 30, hour 0 in 12 h mode, an
 * absent RTC reading 0xff, ...).
 */
int64_t kvm_rtc_decode(const struct kvm_rtc_raw *r);

/*
 * Read the CMOS RTC (ports 0x70/0x71): wait for "update in progress" to
 * clear, read all registers twice until two reads agree. `max_ticks` bounds
 * each wait in TSC ticks (the update takes at most ~2 ms). Returns 0, or -1
 * when there is no RTC (status register A reads 0xff) or it never settles.
 */
int kvm_rtc_read(struct kvm_rtc_raw *r, uint64_t max_ticks);

/* TSC Hz measured against the CMOS RTC's 8,192 Hz periodic flag over about
 * 8 ms (machines without a PIT); 0 if the RTC does not tick within
 * max_ticks TSC ticks. *spent: TSC ticks the attempt took. */
uint64_t kvm_rtc_tsc_hz(uint64_t max_ticks, uint64_t *spent);

#endif
