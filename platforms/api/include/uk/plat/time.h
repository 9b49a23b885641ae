/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat clocks: monotonic time since boot and wall-clock time.
 *
 * Both are set up lazily, on first use, so that images that never ask for the
 * time pay nothing at boot (kvm may need up to 10 ms to calibrate the TSC on
 * hosts that do not announce its frequency).
 */
#ifndef UK_PLAT_TIME_H
#define UK_PLAT_TIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Nanoseconds since the image's first instruction. Never goes backwards.
 * MAY be called from any context once the platform's early init is done.
 */
uint64_t ukplat_monotonic_clock(void);

/*
 * Nanoseconds since 1970-01-01 00:00:00 UTC, or 0 when the platform has no
 * wall-clock source. Follows the monotonic clock after the first read (no
 * adjustments).
 */
uint64_t ukplat_wall_clock(void);

/* Where the clocks come from, for boot logs and tests. */
struct ukplat_clock_info {
	const char *mono_source; /* e.g. "tsc (cpuid 0x15)", "tsc (pit)" */
	uint64_t mono_hz;	 /* counter frequency found */
	const char *wall_source; /* e.g. "cmos rtc", "clock_gettime", "none" */
	uint64_t calib_ns;	 /* time spent calibrating, 0 if none */
};

/* Sets the clocks up if needed and describes them; never NULL. */
const struct ukplat_clock_info *ukplat_clock_info(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_TIME_H */
