/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktime: platform-independent time arithmetic.
 *
 * Monotonic time is a signed 64-bit count of nanoseconds (uk_nsec_t) since an
 * arbitrary origin (normally boot); it covers about 292 years. Wall-clock time
 * is a uk_nsec_t count of nanoseconds since the Unix epoch (1970-01-01 UTC).
 * Nothing here reads a clock: platforms read their counters (TSC, RTC, ...)
 * and use these helpers to convert, so the arithmetic is tested natively.
 */
#ifndef UK_TIME_H
#define UK_TIME_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t uk_nsec_t;

#define UK_NSEC_PER_USEC 1000LL
#define UK_NSEC_PER_MSEC 1000000LL
#define UK_NSEC_PER_SEC	 1000000000LL
#define UK_USEC_PER_SEC	 1000000LL
#define UK_MSEC_PER_SEC	 1000LL
/* The largest uk_nsec_t; as a deadline it means "never". */
#define UK_NSEC_MAX INT64_MAX
#define UK_NSEC_MIN INT64_MIN

/* n * unit, clamped to [UK_NSEC_MIN, UK_NSEC_MAX] instead of overflowing. */
static inline uk_nsec_t uk__time_scale(int64_t n, int64_t unit)
{
	if (n > UK_NSEC_MAX / unit)
		return UK_NSEC_MAX;
	if (n < UK_NSEC_MIN / unit)
		return UK_NSEC_MIN;
	return n * unit;
}

/* n microseconds in ns; saturates at UK_NSEC_MAX / UK_NSEC_MIN. */
static inline uk_nsec_t uk_time_us(int64_t n)
{
	return uk__time_scale(n, UK_NSEC_PER_USEC);
}

/* n milliseconds in ns; saturates at UK_NSEC_MAX / UK_NSEC_MIN. */
static inline uk_nsec_t uk_time_ms(int64_t n)
{
	return uk__time_scale(n, UK_NSEC_PER_MSEC);
}

/* n seconds in ns; saturates at UK_NSEC_MAX / UK_NSEC_MIN. */
static inline uk_nsec_t uk_time_sec(int64_t n)
{
	return uk__time_scale(n, UK_NSEC_PER_SEC);
}

/*
 * Deadline `delta` ns after `now`. A delta <= 0 gives `now` (already due); a
 * sum past UK_NSEC_MAX saturates to UK_NSEC_MAX, i.e. "never".
 */
static inline uk_nsec_t uk_deadline_after(uk_nsec_t now, uk_nsec_t delta)
{
	if (delta <= 0)
		return now;
	if (now > UK_NSEC_MAX - delta)
		return UK_NSEC_MAX;
	return now + delta;
}

/* True once `now` has reached `dl`. UK_NSEC_MAX never passes. */
static inline bool uk_deadline_passed(uk_nsec_t now, uk_nsec_t dl)
{
	return dl != UK_NSEC_MAX && now >= dl;
}

/*
 * TSC <-> ns conversion. A counter running at freq_hz converts to ns as
 * (ticks * mult) >> shift, with a 128-bit product, so every 64-bit tick value
 * converts without overflow. mult is rounded to 32 significant bits
 * (2^31 <= mult < 2^32), hence:
 *   |uk_tsc_to_ns(t) - floor(t * 1e9 / freq_hz)| <= floor(t * 1e9 / freq_hz) /
 * 1e9 + 1 i.e. at most 1 ns per second of elapsed time plus 1 ns (in fact <
 * 0.24 ns per second). Results that do not fit in 64 bits saturate at
 * UINT64_MAX.
 */
struct uk_tsc_conv {
	uint32_t mult;
	uint32_t shift;
	uint64_t freq_hz;
};

#define UK_TSC_FREQ_MIN 1000000ULL	/* 1 MHz */
#define UK_TSC_FREQ_MAX 100000000000ULL /* 100 GHz */

/*
 * Prepare `c` for a counter of freq_hz ticks per second. Returns 0, or -EINVAL
 * (c unchanged) unless UK_TSC_FREQ_MIN <= freq_hz <= UK_TSC_FREQ_MAX.
 * Uses no division by a variable wider than 64 bits (no libgcc helpers).
 */
int uk_tsc_conv_init(struct uk_tsc_conv *c, uint64_t freq_hz);

/* ticks in ns, within the bound above; saturates at UINT64_MAX. `c` MUST
 * have been set up by uk_tsc_conv_init(). */
uint64_t uk_tsc_to_ns(const struct uk_tsc_conv *c, uint64_t ticks);

/*
 * ns in ticks, exactly ceil(ns * freq_hz / 1e9): rounded up, so a timer armed
 * with the result does not fire before ns have elapsed. Saturates at
 * UINT64_MAX. A round trip uk_tsc_to_ns(uk_ns_to_tsc(ns)) is therefore within
 * one tick period (1e9 / freq_hz ns, rounded up) plus the bound above of ns.
 */
uint64_t uk_ns_to_tsc(const struct uk_tsc_conv *c, uint64_t ns);

/*
 * Wall-clock time at monotonic time `mono`, given the wall-clock time
 * `boot_wall` at monotonic time 0 (both in ns). Saturates at
 * UK_NSEC_MAX / UK_NSEC_MIN.
 */
uk_nsec_t uk_wall_from_mono(uk_nsec_t mono, uk_nsec_t boot_wall);

/*
 * Seconds since the Unix epoch of a UTC date and time as a CMOS RTC gives it
 * (binary, not BCD): year 1970..9999, mon 1..12, mday 1..length of that month
 * (Gregorian leap years), hour 0..23, min 0..59, sec 0..59 (no leap second).
 * Returns -1 for anything outside these ranges (Feb 30, month 13, ...) rather
 * than normalising like timegm().
 */
int64_t uk_time_from_date(int year, int mon, int mday, int hour, int min,
			  int sec);

/* A packed BCD byte (0x00..0x99) as binary (0..99). Invalid digits (nibbles
 * above 9) give garbage; use uk_bcd_to_bin_checked() for untrusted input. */
static inline uint8_t uk_bcd_to_bin(uint8_t bcd)
{
	return (uint8_t)((bcd >> 4) * 10 + (bcd & 0x0f));
}

/* Like uk_bcd_to_bin(), but returns -EINVAL if either nibble is above 9. */
int uk_bcd_to_bin_checked(uint8_t bcd);

#ifdef __cplusplus
}
#endif
#endif /* UK_TIME_H */
