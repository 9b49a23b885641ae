/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Images only: an init-table entry that makes ukschedcoop the default
 * scheduler whenever the library is linked, before any other library's init
 * and before main(). The boot context becomes the main thread; thread
 * structs, stacks and TLS blocks come from the default allocator; time is
 * the platform's monotonic clock (read only when a thread sleeps, so the
 * clock's lazy set-up is not forced at boot); idle halts until the next
 * deadline or event; stacks get guard pages; `__thread` variables work in every
 * thread, the main one included.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/memory.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>
#include <uk/print.h>
#include <uk/schedcoop.h>

static struct uk_schedcoop boot_coop;

/* Halt until the next sleeper's deadline or an interrupt that raised an
 * event; with neither a sleeper nor a thread waiting for an interrupt,
 * nothing can ever run again. */
static void boot_idle(uint64_t deadline)
{
	if (deadline == UK_SCHED_FOREVER && !uk_sched_event_waiters())
		UK_CRASH("deadlock: no thread can run and none sleeps");
	ukplat_halt_until_or(deadline, &uk_sched_events_raised);
}

/* The main thread's TLS block, laid out as uksched lays out the others. */
static int main_tls(const struct uk_sched_config *cfg)
{
	size_t off = (cfg->tls_size + 63) & ~(size_t)63;
	char *block;
	void *tp;

	if (!cfg->tls_size)
		return 0;
	block = uk_memalign(cfg->a, 64, off + 64);
	if (!block)
		return -ENOMEM;
	memset(block, 0, off + 64);
	tp = block + off;
	*(void **)tp = tp;
	if (cfg->tls_init)
		cfg->tls_init(tp);
	return uk_thread_set_tp(tp);
}

static int schedcoop_boot(void)
{
	struct uk_sched_config cfg = {
		.a = uk_alloc_get_default(),
		.now = ukplat_monotonic_clock,
		.set_tls = ukplat_tlsp_set,
		.idle = boot_idle,
		.poll_irq = ukplat_lcpu_poll_irq,
		.guard_page = ukplat_page_guard,
	};
	int rc;

	if (uk_sched_get_default())
		return 0; /* someone set one up already */
	if (!cfg.a) {
		uk_pr_err("no allocator: no scheduler");
		return -ENOMEM;
	}
	rc = uk_sched_tls_image(&cfg);
	if (rc)
		return rc;
	rc = uk_schedcoop_init(&boot_coop, &cfg);
	if (rc)
		return rc;
	return main_tls(&cfg);
}
/* lib class, first: other libraries' init may create threads */
UK_INIT_CLASS(schedcoop_boot, UK_INIT_LIB, 0);
