/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test doubles shared by the native tests of uksched, ukschedcoop and uklock
 * (not a library header): a host-malloc `struct uk_alloc` that can be told to
 * fail (host_fail_after) and counts live blocks (host_live), and a fake clock
 * (fake_ns, fake_now) whose idle hook jumps to the next deadline and records
 * a deadlock. Include after <stdlib.h>, <string.h> and <uk/sched.h>.
 */
#ifndef UK_SCHED_TESTING_H
#define UK_SCHED_TESTING_H

#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/sched.h>

/* ---- allocator ---- */

static long host_live;		  /* live blocks */
static long host_fail_after = -1; /* fail when it reaches 0 (-1: never) */

static void *host_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	void *p;

	(void)a;
	if (host_fail_after == 0)
		return NULL;
	if (host_fail_after > 0)
		host_fail_after--;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	host_live++;
	return p;
}

static void *host_malloc(struct uk_alloc *a, size_t size)
{
	return host_memalign(a, 16, size);
}

static void host_free(struct uk_alloc *a, void *p)
{
	(void)a;
	host_live--;
	free(p);
}

static size_t host_usable(struct uk_alloc *a, const void *p)
{
	(void)a;
	(void)p;
	return 0;
}

static size_t host_avail(const struct uk_alloc *a)
{
	(void)a;
	return SIZE_MAX;
}

static struct uk_alloc host_alloc = {
	.name = "host",
	.ops = {.malloc = host_malloc,
		.memalign = host_memalign,
		.free = host_free,
		.usable_size = host_usable,
		.availmem = host_avail},
};

/* ---- fake clock ---- */

static uint64_t fake_ns;
static unsigned long idle_calls;
static int deadlocked;

static uint64_t fake_now(void)
{
	return fake_ns;
}

/* (unused in benchmarks that never sleep) */
/* Called first by fake_idle (an "interrupt" during the halt); returning
 * non-zero ends the idle call there. NULL: none. */
__attribute__((unused)) static int (*fake_idle_hook)(uint64_t deadline);

__attribute__((unused)) static void fake_idle(uint64_t deadline)
{
	idle_calls++;
	if (fake_idle_hook && fake_idle_hook(deadline))
		return;
	if (deadline == UK_SCHED_FOREVER) {
		deadlocked = 1;
		abort();
	}
	if (deadline > fake_ns)
		fake_ns = deadline;
}

#endif /* UK_SCHED_TESTING_H */
