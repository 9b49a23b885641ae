/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <uk/time.h>

#define NSEC ((uint64_t)UK_NSEC_PER_SEC)

int uk_tsc_conv_init(struct uk_tsc_conv *c, uint64_t freq_hz)
{
	uint64_t q, r;
	uint32_t shift = 0;

	if (freq_hz < UK_TSC_FREQ_MIN || freq_hz > UK_TSC_FREQ_MAX)
		return -EINVAL;

	/*
	 * mult = round(1e9 * 2^shift / freq_hz) with shift chosen so that
	 * 2^31 <= mult < 2^32. Long division one bit at a time: the
	 * remainder stays below freq_hz <= 1e11, so nothing needs more than
	 * 64 bits. The quotient starts at 1e9 / freq_hz <= 1000.
	 */
	q = NSEC / freq_hz;
	r = NSEC % freq_hz;
	while (q < (1ULL << 31)) {
		q <<= 1;
		r <<= 1;
		if (r >= freq_hz) {
			q |= 1;
			r -= freq_hz;
		}
		shift++;
	}
	if (2 * r >= freq_hz)
		q++;
	if (q == (1ULL << 32)) {
		/* rounded up to 2^32: the same value with one bit less */
		q = 1ULL << 31;
		shift--;
	}

	c->mult = (uint32_t)q;
	c->shift = shift;
	c->freq_hz = freq_hz;
	return 0;
}

uint64_t uk_tsc_to_ns(const struct uk_tsc_conv *c, uint64_t ticks)
{
	unsigned __int128 ns = ((unsigned __int128)ticks * c->mult) >> c->shift;

	if (ns > UINT64_MAX)
		return UINT64_MAX;
	return (uint64_t)ns;
}

uint64_t uk_ns_to_tsc(const struct uk_tsc_conv *c, uint64_t ns)
{
	/*
	 * ns = s * 1e9 + rem and freq = fs * 1e9 + fr, so
	 * ns * freq / 1e9 = s * freq + rem * fs + rem * fr / 1e9, where
	 * rem * fr < 1e18 fits in 64 bits. Only divisions by the constant 1e9.
	 */
	uint64_t s = ns / NSEC, rem = ns % NSEC;
	uint64_t fs = c->freq_hz / NSEC, fr = c->freq_hz % NSEC;
	unsigned __int128 t = (unsigned __int128)s * c->freq_hz +
			      (unsigned __int128)rem * fs +
			      (rem * fr + NSEC - 1) / NSEC;

	if (t > UINT64_MAX)
		return UINT64_MAX;
	return (uint64_t)t;
}

uk_nsec_t uk_wall_from_mono(uk_nsec_t mono, uk_nsec_t boot_wall)
{
	uk_nsec_t wall;

	if (__builtin_add_overflow(mono, boot_wall, &wall))
		return mono > 0 ? UK_NSEC_MAX : UK_NSEC_MIN;
	return wall;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 0001-01-01 to the start of year y + 1 (proleptic Gregorian). */
static int64_t days_through(int64_t y)
{
	return 365 * y + y / 4 - y / 100 + y / 400;
}

int64_t uk_time_from_date(int year, int mon, int mday, int hour, int min,
			  int sec)
{
	static const uint16_t before[12] = {0,	 31,  59,  90,	120, 151,
					    181, 212, 243, 273, 304, 334};
	static const uint8_t length[12] = {31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31};
	int64_t days;
	int mlen;

	if (year < 1970 || year > 9999 || mon < 1 || mon > 12)
		return -1;
	mlen = length[mon - 1] + (mon == 2 && is_leap(year));
	if (mday < 1 || mday > mlen || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || sec < 0 || sec > 59)
		return -1;

	days = days_through(year - 1) - days_through(1969) + before[mon - 1] +
	       (mon > 2 && is_leap(year)) + (mday - 1);
	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

int uk_bcd_to_bin_checked(uint8_t bcd)
{
	if ((bcd & 0x0f) > 9 || (bcd >> 4) > 9)
		return -EINVAL;
	return uk_bcd_to_bin(bcd);
}
