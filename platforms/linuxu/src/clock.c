/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu clocks (uk/plat/time.h), from the host kernel's clock_gettime()
 * (raw system calls, no vDSO).
 *
 * Monotonic: CLOCK_MONOTONIC, counted from the FIRST CALL of any ukplat clock
 * function, not from the process's first instruction as the API says for
 * kvm (the platform entry does not read the clock; see README.md).
 * Wall: CLOCK_REALTIME read at that first call, then advanced by the
 * monotonic clock (later host clock adjustments are not followed).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/plat/lcpu.h>
#include "linuxu.h"
#include "sysno.h"

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC 1
#define NSEC_PER_SEC	1000000000ull

struct k_timespec {
	long tv_sec;
	long tv_nsec;
};

static struct ukplat_clock_info info = {
	.mono_source = "none",
	.wall_source = "none",
};
static uint64_t mono_base; /* CLOCK_MONOTONIC ns at the first call */
static uint64_t wall_base; /* CLOCK_REALTIME ns at the first call, 0: none */
static uint64_t mono_last; /* the largest value returned */
static bool ready;

/* ns of clock `id`, or -1 if the host refuses. */
static int64_t host_clock(long id)
{
	struct k_timespec ts;

	if (ukplat_linuxu_syscall(SYS_clock_gettime, id, (long)&ts, 0, 0, 0,
				  0) < 0 ||
	    ts.tv_sec < 0)
		return -1;
	return (int64_t)((uint64_t)ts.tv_sec * NSEC_PER_SEC +
			 (uint64_t)ts.tv_nsec);
}

static void clock_setup(void)
{
	struct k_timespec res;
	int64_t mono = host_clock(CLOCK_MONOTONIC);
	int64_t wall = host_clock(CLOCK_REALTIME);

	if (mono >= 0) {
		mono_base = (uint64_t)mono;
		info.mono_source = "clock_gettime";
		info.mono_hz = NSEC_PER_SEC;
		if (ukplat_linuxu_syscall(SYS_clock_getres, CLOCK_MONOTONIC,
					  (long)&res, 0, 0, 0, 0) == 0 &&
		    res.tv_sec == 0 && res.tv_nsec > 0)
			info.mono_hz = NSEC_PER_SEC / (uint64_t)res.tv_nsec;
	}
	if (mono >= 0 && wall > 0) {
		wall_base = (uint64_t)wall;
		info.wall_source = "clock_gettime";
	}
	ready = true;
}

uint64_t ukplat_monotonic_clock(void)
{
	int64_t now;
	uint64_t ns, last;

	if (!ready)
		clock_setup();
	now = host_clock(CLOCK_MONOTONIC);
	ns = now >= 0 && (uint64_t)now > mono_base ? (uint64_t)now - mono_base
						   : 0;
	/* CLOCK_MONOTONIC does not go backwards, but a failing call would */
	last = __atomic_load_n(&mono_last, __ATOMIC_RELAXED);
	if (ns <= last)
		return last;
	__atomic_store_n(&mono_last, ns, __ATOMIC_RELAXED);
	return ns;
}

uint64_t ukplat_wall_clock(void)
{
	if (!ready)
		clock_setup();
	if (!wall_base)
		return 0;
	return wall_base + ukplat_monotonic_clock();
}

const struct ukplat_clock_info *ukplat_clock_info(void)
{
	if (!ready)
		clock_setup();
	return &info;
}

/*
 * No timer interrupt on linuxu: halting until a deadline is sleeping on the
 * host's CLOCK_MONOTONIC, absolute, resumed after signals.
 */
#define TIMER_ABSTIME 1

void ukplat_halt_until(uint64_t deadline_ns)
{
	while (ukplat_monotonic_clock() < deadline_ns) {
		uint64_t abs = mono_base + deadline_ns;
		struct k_timespec ts = {(long)(abs / NSEC_PER_SEC),
					(long)(abs % NSEC_PER_SEC)};
		long rc = ukplat_linuxu_syscall(SYS_clock_nanosleep,
						CLOCK_MONOTONIC, TIMER_ABSTIME,
						(long)&ts, 0, 0, 0);
		if (rc < 0 && rc != -4 /* EINTR */)
			break;
	}
}

/* Nothing on linuxu sets `wake` asynchronously (no device interrupts): a
 * set flag returns at once, else this is ukplat_halt_until(), with "no
 * deadline" cut to 10 ms so that a caller polling something else (a host
 * file descriptor) gets control back. */
void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	uint64_t cap = ukplat_monotonic_clock() + 10 * 1000 * 1000;

	if (wake && *wake)
		return;
	ukplat_halt_until(deadline_ns < cap ? deadline_ns : cap);
}

/* The system call instruction (`syscall`, `svc #0`) is the host kernel's.
 * (The thread pointer, ukplat_tlsp_set(), is the architecture's: arch.c.) */
int ukplat_syscall_enable(void (*entry)(void))
{
	(void)entry;
	return -ENOTSUP;
}
