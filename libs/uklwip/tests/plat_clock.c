/* SPDX-License-Identifier: BSD-3-Clause */
/* The platform clocks ukrandom reads, from the host, for uklwip's native
 * tests and fuzz target (the scheduler itself runs on a fake clock). */
#include <stdint.h>
#include <time.h>
#include <uk/plat/time.h>

static uint64_t host_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

uint64_t ukplat_monotonic_clock(void)
{
	return host_ns(CLOCK_MONOTONIC);
}

uint64_t ukplat_wall_clock(void)
{
	return host_ns(CLOCK_REALTIME);
}
