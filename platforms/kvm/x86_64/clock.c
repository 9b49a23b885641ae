/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm/x86_64 clocks (uk/plat/time.h).
 *
 * Monotonic: the TSC since the stamp entry.S took at the first instruction,
 * converted with uktime. Its frequency comes from CPUID leaf 0x15 (or 0x16),
 * else the hypervisor timing leaf 0x40000010, else a 10 ms measurement
 * against PIT channel 2, else an assumed 2 GHz (with a warning).
 * Wall: the CMOS RTC read once, then advanced by the monotonic clock.
 *
 * Nothing runs at boot: the first call of any ukplat clock function sets
 * both clocks up (at most ~10 ms of PIT calibration, plus up to ~2 ms waiting
 * for an RTC update to finish). One CPU; the last value returned is kept with
 * an atomic compare-and-swap, so a call from an interrupt handler never sees
 * a torn value and the clock never goes backwards.
 */
#include <stdbool.h>
#include <stdint.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/time.h>
#include "clock.h"

#define PIT_CH2	      0x42
#define PIT_CMD	      0x43
#define PIT_PORTB     0x61 /* bit 0: channel 2 gate, bit 1: speaker data */
#define PORTB_GATE2   0x01
#define PORTB_SPEAKER 0x02
/* channel 2, low then high byte, mode 0 (one-shot), binary */
#define PIT_CH2_MODE0 0xb0
/* counter latch command for channel 2 */
#define PIT_LATCH2 0x80
/* read-back command: latch the status (not the count) of channel 2 */
#define PIT_READBACK_STATUS2 0xe8
#define PIT_STATUS_OUT	     0x80
#define PIT_STATUS_MODE	     0x3f /* rw mode, mode, BCD */
/* Measure over 10 ms of PIT clock. */
/* 8 ms of PIT ticks: with sampling at both ends the whole calibration
 * stays within 10 ms */
#define PIT_CALIB_TICKS ((KVM_PIT_HZ * 8 + 500) / 1000)
/* Samples that may serve as the first and the last point. */
#define PIT_START_SAMPLES 16
#define PIT_END_SAMPLES	  64
/* Bounds for a PIT that stops counting: 20 ms of a 5 GHz TSC, a number of
 * samples, and samples in a row without the count moving. A working PIT
 * ends the loop after 10 ms. */
#define PIT_MAX_TSC	100000000ull
#define PIT_MAX_SAMPLES 2000000u
#define PIT_MAX_STALL	20000u

/* The RTC path's bound: 200 ms of a 5 GHz TSC. An idle host ends it after
 * 8 ms; a vCPU descheduled by a busy host sees the flag's edges later and
 * misses some (the median of the gaps copes with that), so it may need
 * several times longer: giving up early left the TSC rate a guess. */
#define RTC_MAX_TSC (10 * PIT_MAX_TSC)

#define TSC_ASSUMED_HZ 2000000000ull
#define RTC_WAIT_NS    (5 * UK_NSEC_PER_MSEC)

uint64_t kvm_tsc_hz_from_cpuid(const struct kvm_cpuid_clock *c,
			       const char **src)
{
	uint64_t hz;

	if (c->max_leaf >= 0x15 && c->l15_eax && c->l15_ebx) {
		if (c->l15_ecx) {
			hz = (uint64_t)c->l15_ecx * c->l15_ebx / c->l15_eax;
			if (hz >= UK_TSC_FREQ_MIN && hz <= UK_TSC_FREQ_MAX) {
				*src = "tsc (cpuid 0x15)";
				return hz;
			}
		} else if (c->max_leaf >= 0x16 && c->l16_eax) {
			/* crystal not enumerated: the TSC runs at base MHz */
			hz = (uint64_t)c->l16_eax * 1000000;
			if (hz >= UK_TSC_FREQ_MIN && hz <= UK_TSC_FREQ_MAX) {
				*src = "tsc (cpuid 0x16)";
				return hz;
			}
		}
	}
	if (c->hypervisor && c->hv_max >= 0x40000010 &&
	    c->hv_max <= 0x4000ffff) {
		hz = (uint64_t)c->hv_tsc_khz * 1000;
		if (hz >= UK_TSC_FREQ_MIN && hz <= UK_TSC_FREQ_MAX) {
			*src = "tsc (cpuid 0x40000010)";
			return hz;
		}
	}
	return 0;
}

uint64_t kvm_pit_tsc_hz(uint64_t tsc_ticks, uint32_t pit_ticks)
{
	if (!pit_ticks || tsc_ticks > (UINT64_MAX - pit_ticks) / KVM_PIT_HZ)
		return 0;
	return (tsc_ticks * KVM_PIT_HZ + pit_ticks / 2) / pit_ticks;
}

static void cpuid_read(struct kvm_cpuid_clock *c)
{
	uint32_t r[4];

	*c = (struct kvm_cpuid_clock){0};
	ukarch_cpuid(0, r);
	c->max_leaf = r[0];
	ukarch_cpuid(1, r);
	c->hypervisor = r[2] >> 31;
	if (c->max_leaf >= 0x15) {
		ukarch_cpuid(0x15, r);
		c->l15_eax = r[0];
		c->l15_ebx = r[1];
		c->l15_ecx = r[2];
	}
	if (c->max_leaf >= 0x16) {
		ukarch_cpuid(0x16, r);
		c->l16_eax = r[0];
	}
	if (c->hypervisor) {
		ukarch_cpuid(0x40000000, r);
		c->hv_max = r[0];
		if (c->hv_max >= 0x40000010 && c->hv_max <= 0x4000ffff) {
			ukarch_cpuid(0x40000010, r);
			c->hv_tsc_khz = r[0];
		}
	}
}

/* One reading of PIT channel 2's count: the latch command is bracketed by
 * two TSC reads, so `width` says how well `tsc` dates the count. */
struct pit_sample {
	uint64_t tsc, width;
	uint16_t count;
};

static void pit_sample(struct pit_sample *p)
{
	uint64_t a = ukarch_rdtsc(), b;
	uint8_t lo, hi;

	ukarch_outb(PIT_CMD, PIT_LATCH2);
	b = ukarch_rdtsc();
	lo = ukarch_inb(PIT_CH2);
	hi = ukarch_inb(PIT_CH2);
	p->tsc = a + (b - a) / 2;
	p->width = b - a;
	p->count = (uint16_t)(lo | hi << 8);
}

/*
 * Count TSC ticks while PIT channel 2 counts down at least PIT_CALIB_TICKS
 * (10 ms), from the full count in mode 0. Rather than timing one edge of the
 * output (port 0x61 bit 5, which microvm does not have), this reads the
 * count back: the first and the last point are the best-dated readings near
 * either end, so a vCPU that was descheduled at the wrong moment does not
 * skew the result. Returns the TSC Hz, or 0 if there is no working PIT;
 * *spent is set to the TSC ticks used in all.
 */
static uint64_t pit_calibrate(uint64_t *spent)
{
	uint64_t t = ukarch_rdtsc(), hz = 0, min_width = UINT64_MAX;
	uint8_t portb = ukarch_inb(PIT_PORTB), st;
	struct pit_sample first = {0}, last = {0}, p;
	uint32_t head = 0, tail = 0, stall = 0;
	uint16_t prev = 0xffff;

	/* Gate on (no effect where there is no port 0x61), speaker off. */
	ukarch_outb(PIT_PORTB,
		    (uint8_t)((portb & ~PORTB_SPEAKER) | PORTB_GATE2));
	ukarch_outb(PIT_CMD, PIT_CH2_MODE0);
	ukarch_outb(PIT_CH2, 0xff);
	ukarch_outb(PIT_CH2, 0xff);
	/* In mode 0 OUT is low until the count expires; no PIT reads 0xff. */
	ukarch_outb(PIT_CMD, PIT_READBACK_STATUS2);
	st = ukarch_inb(PIT_CH2);
	if ((st & PIT_STATUS_OUT) ||
	    (st & PIT_STATUS_MODE) != (PIT_CH2_MODE0 & PIT_STATUS_MODE))
		goto out;

	for (uint32_t n = 0; n < PIT_MAX_SAMPLES; n++) {
		pit_sample(&p);
		if (p.count > prev)
			break; /* counting up, or wrapped: not a working PIT */
		stall = p.count == prev ? stall + 1 : 0;
		prev = p.count;
		if (stall > PIT_MAX_STALL || p.tsc - t > PIT_MAX_TSC)
			break;
		if (p.count == 0xffff)
			continue; /* not loaded or not counting yet */
		if (p.width < min_width)
			min_width = p.width;
		if (head < PIT_START_SAMPLES) {
			/* the first point: the best dated of the first few */
			if (!head++ || p.width < first.width)
				first = p;
			continue;
		}
		if ((uint32_t)(first.count - p.count) < PIT_CALIB_TICKS)
			continue;
		/* 10 ms done: the last point is the first reading dated about
		 * as well as the best one (or the best of a few) */
		if (!tail++ || p.width < last.width)
			last = p;
		if (last.width <= 2 * min_width + 16 ||
		    tail >= PIT_END_SAMPLES) {
			hz = kvm_pit_tsc_hz(
				last.tsc - first.tsc,
				(uint32_t)(first.count - last.count));
			break;
		}
	}
out:
	ukarch_outb(PIT_PORTB, portb);
	*spent = ukarch_rdtsc() - t;
	return hz;
}

static struct ukplat_clock_info info = {
	.mono_source = "none",
	.wall_source = "none",
};
static struct uk_tsc_conv conv;
static uint64_t tsc_base;
static uint64_t mono_last;
static int64_t boot_wall; /* wall-clock ns at monotonic 0 */
static bool have_wall;

#define CLOCK_NONE  0
#define CLOCK_BUSY  1
#define CLOCK_READY 2
static int state;

static uint64_t mono_read(void)
{
	uint64_t tsc = ukarch_rdtsc();
	uint64_t ns = tsc > tsc_base ? uk_tsc_to_ns(&conv, tsc - tsc_base) : 0;
	uint64_t last = __atomic_load_n(&mono_last, __ATOMIC_RELAXED);

	do {
		if (ns <= last)
			return last;
	} while (!__atomic_compare_exchange_n(&mono_last, &last, ns, false,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return ns;
}

static void clock_setup(void)
{
	struct kvm_cpuid_clock c;
	struct kvm_rtc_raw r;
	const char *src = "tsc (assumed)";
	uint64_t hz, spent = 0;
	int64_t secs = -1;

	tsc_base = ukplat_bootinfo()->tsc_at_entry;
	cpuid_read(&c);
	hz = kvm_tsc_hz_from_cpuid(&c, &src);
	if (!hz) {
		hz = pit_calibrate(&spent);
		src = "tsc (pit)";
		if (hz < UK_TSC_FREQ_MIN || hz > UK_TSC_FREQ_MAX)
			hz = 0;
	}
	if (!hz) {
		/* no PIT (microvm,pit=off): the RTC's periodic flag */
		uint64_t more = 0;
		hz = kvm_rtc_tsc_hz(RTC_MAX_TSC, &more);
		spent += more;
		src = "tsc (rtc)";
		if (hz < UK_TSC_FREQ_MIN || hz > UK_TSC_FREQ_MAX)
			hz = 0;
	}
	if (!hz) {
		uk_pr_warn("TSC frequency unknown (no CPUID leaf tells it, no "
			   "PIT or RTC to measure it): assuming %lu MHz, "
			   "clocks may "
			   "run fast or slow",
			   (unsigned long)(TSC_ASSUMED_HZ / 1000000));
		hz = TSC_ASSUMED_HZ;
		src = "tsc (assumed)";
	}
	uk_tsc_conv_init(&conv, hz); /* hz is in range on every path */
	info.mono_source = src;
	info.mono_hz = hz;
	info.calib_ns = spent ? uk_tsc_to_ns(&conv, spent) : 0;

	if (!kvm_rtc_read(&r, uk_ns_to_tsc(&conv, RTC_WAIT_NS))) {
		secs = kvm_rtc_decode(&r);
		if (secs < 0)
			uk_pr_warn(
				"CMOS RTC holds no valid date (%02x-%02x-%02x "
				"%02x:%02x:%02x, status B %02x): no wall "
				"clock",
				r.year, r.mon, r.mday, r.hour, r.min, r.sec,
				r.regb);
	}
	if (secs >= 0) {
		boot_wall = secs * UK_NSEC_PER_SEC - (int64_t)mono_read();
		have_wall = true;
		info.wall_source = "cmos rtc";
	}
	uk_pr_debug("clock: %s at %lu Hz, calibration %lu ns; wall clock: %s",
		    info.mono_source, (unsigned long)info.mono_hz,
		    (unsigned long)info.calib_ns, info.wall_source);
}

/* Sets the clocks up on the first call; false while that is still running
 * (a nested call from an interrupt handler). */
static bool clock_ready(void)
{
	int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);

	if (s == CLOCK_READY)
		return true;
	if (s == CLOCK_BUSY)
		return false;
	__atomic_store_n(&state, CLOCK_BUSY, __ATOMIC_RELAXED);
	clock_setup();
	__atomic_store_n(&state, CLOCK_READY, __ATOMIC_RELEASE);
	return true;
}

uint64_t ukplat_monotonic_clock(void)
{
	if (!clock_ready())
		return __atomic_load_n(&mono_last, __ATOMIC_RELAXED);
	return mono_read();
}

uint64_t ukplat_wall_clock(void)
{
	if (!clock_ready() || !have_wall)
		return 0;
	return (uint64_t)uk_wall_from_mono((uk_nsec_t)mono_read(), boot_wall);
}

const struct ukplat_clock_info *ukplat_clock_info(void)
{
	clock_ready();
	return &info;
}
