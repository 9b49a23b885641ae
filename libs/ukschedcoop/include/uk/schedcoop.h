/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukschedcoop: round-robin cooperative scheduler for uksched.
 *
 * Threads run until they yield, block, sleep or exit; runnable threads take
 * turns in FIFO order. Sleepers are kept sorted by deadline (insertion is
 * O(sleepers), waking is O(1)); equal deadlines wake in the order they were
 * set. When nothing is runnable, the `idle` hook of the config is called with
 * the earliest deadline (UK_SCHED_FOREVER: none, i.e. a deadlock unless an
 * interrupt makes a thread runnable) - images pass a function that halts
 * until then (ukplat_halt_until), native tests one that advances a fake
 * clock. Without a hook the scheduler polls the clock.
 */
#ifndef UK_SCHEDCOOP_H
#define UK_SCHEDCOOP_H

#include <stdint.h>
#include <uk/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_schedcoop {
	struct uk_sched sched; /* first: a uk_schedcoop is a uk_sched */
	struct uk_thread *rq_head, *rq_tail; /* runnable, not running */
	struct uk_thread *sl_head, *sl_tail; /* sleepers, by deadline */
	uint64_t nr_idle;		     /* idle hook calls */
};

/* Initialise `c` and uksched with it as the default scheduler, adopting the
 * caller as the main thread. Returns 0 or -EINVAL (see uk_sched_init()). */
int uk_schedcoop_init(struct uk_schedcoop *c,
		      const struct uk_sched_config *cfg);

/* The ops table, for uk_sched_init() callers that embed the state. */
extern const struct uk_sched_ops uk_schedcoop_ops;

#ifdef __cplusplus
}
#endif
#endif /* UK_SCHEDCOOP_H */
