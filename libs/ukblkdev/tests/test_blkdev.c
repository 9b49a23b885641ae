/* SPDX-License-Identifier: BSD-3-Clause */
/* ukblkdev: registry, configuration states, request checks, bursts, the
 * synchronous helpers (interrupt waits, timeouts), the memory double's
 * write cache and power cut. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>
#include <uk/blkdev.h>
#include <uk/blkdev_testing.h>
#include <uk/plat/time.h>
#include <uk/plat/timer.h>

/* ---- platform doubles: a clock that moves 1 ms per read, a halt that
 * plays the interrupt ---- */
static uint64_t now_ns;
static unsigned halts;
static struct bd_test *halt_release; /* halt "raises the interrupt" */

uint64_t ukplat_monotonic_clock(void)
{
	return now_ns += 1000000;
}

void ukplat_halt_until_or(uint64_t deadline_ns, const volatile int *wake)
{
	halts++;
	if (halt_release) {
		halt_release->hold = 0;
		/* the device finished: its interrupt sets the event */
		halt_release->event(halt_release->event_arg, 0);
		assert_true(*wake);
	} else if (now_ns < deadline_ns) {
		now_ns = deadline_ns; /* nothing comes: time passes */
	}
}

static unsigned waiter_calls;
static void test_waiter(const volatile int *event, uint64_t deadline)
{
	(void)event;
	waiter_calls++;
	now_ns = deadline;
}

/* ---- helpers ---- */
static struct bd_test pool[32], *T;
static unsigned ndone;
static struct uk_blkreq *last_done;

static void on_done(struct uk_blkreq *r)
{
	assert_int_equal(r->state, UK_BLKREQ_DONE);
	ndone++;
	last_done = r;
}

static int setup(void **state)
{
	static int n;
	(void)state;
	T = &pool[n];
	assert_int_equal(bd_test_init(T, "ram0", 4096, 512, UK_BLKDEV_F_FLUSH),
			 0);
	/* the registry keeps devices for good: each test registers a
	 * fresh name */
	static char names[64][16];
	snprintf(names[n], sizeof(names[n]), "ram%d", n);
	T->dev.name = names[n++];
	assert_true(uk_blkdev_register(&T->dev) >= 0);
	ndone = 0;
	halts = waiter_calls = 0;
	halt_release = NULL;
	uk_blkdev_timeout_ns = 60ull * 1000000000ull;
	uk_blkdev_set_waiter(NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bd_test_fini(T);
	return 0;
}

static void test_registry(void **state)
{
	struct uk_blkdev bad = {0};
	struct bd_test dup;

	(void)state;
	assert_int_equal(uk_blkdev_register(NULL), -EINVAL);
	assert_int_equal(uk_blkdev_register(&bad), -EINVAL);
	assert_int_equal(bd_test_init(&dup, T->dev.name, 8, 512, 0), 0);
	assert_int_equal(uk_blkdev_register(&dup.dev), -EEXIST);
	bd_test_fini(&dup);
	assert_ptr_equal(uk_blkdev_find(T->dev.name), &T->dev);
	assert_null(uk_blkdev_find("nosuch"));
	assert_null(uk_blkdev_find(NULL));
	assert_ptr_equal(uk_blkdev_get(T->dev.id), &T->dev);
	assert_true(uk_blkdev_count() > T->dev.id);
	assert_null(uk_blkdev_get(100000));
	assert_int_equal(T->dev.info.sector_size, 512);
	assert_int_equal(T->dev.info.sectors, 4096);
}

static void test_bad_sector_size(void **state)
{
	struct bd_test b;

	(void)state;
	assert_int_equal(bd_test_init(&b, "odd", 8, 520, 0), 0);
	assert_int_equal(uk_blkdev_register(&b.dev), -EINVAL);
	bd_test_fini(&b);
}

static void test_states(void **state)
{
	struct uk_blkdev_queue_conf c = {0};
	struct uk_blkreq r, *rp = &r;
	uint16_t cnt = 1;
	char buf[512];

	(void)state;
	uk_blkreq_init(&r, UK_BLKREQ_READ, 0, 1, buf, NULL, NULL);
	assert_int_equal(uk_blkdev_submit(&T->dev, 0, &rp, &cnt), -ENODEV);
	assert_int_equal(cnt, 0);
	assert_int_equal(uk_blkdev_poll(&T->dev, 0, 0), -ENODEV);
	assert_int_equal(uk_blkdev_start(&T->dev), -EINVAL);
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, &c), -EINVAL);
	assert_int_equal(uk_blkdev_configure(&T->dev, 0), -EINVAL);
	assert_int_equal(uk_blkdev_configure(&T->dev, 2), -EINVAL);
	assert_int_equal(uk_blkdev_configure(&T->dev, 1), 0);
	assert_int_equal(uk_blkdev_configure(&T->dev, 1), -EBUSY);
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 1, &c), -EINVAL);
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, NULL), -EINVAL);
	c.nb_desc = BD_TEST_RING + 1;
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, &c), -EINVAL);
	assert_int_equal(uk_blkdev_start(&T->dev), -EINVAL); /* no queue */
	c.nb_desc = 0;
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, &c), 0);
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, &c), -EBUSY);
	assert_int_equal(uk_blkdev_start(&T->dev), 0);
	assert_int_equal(uk_blkdev_start(&T->dev), 0);
	assert_int_equal(uk_blkdev_queue_setup(&T->dev, 0, &c), -EBUSY);
	assert_int_equal(uk_blkdev_submit(&T->dev, 1, &rp, &cnt), -EINVAL);
	cnt = 1;
	assert_int_equal(uk_blkdev_submit(&T->dev, 0, &rp, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(uk_blkdev_poll(&T->dev, 0, 0), 1);
	assert_int_equal(r.state, UK_BLKREQ_DONE);
	assert_int_equal(r.result, 0);
	assert_int_equal(uk_blkdev_stop(&T->dev), 0);
	assert_int_equal(uk_blkdev_open(&T->dev), 0); /* start again */
	assert_int_equal(T->dev.state, UK_BLKDEV_RUNNING);
}

/* Every invalid request completes at once with its own error; valid ones
 * around it reach the device. */
static void test_checks(void **state)
{
	struct uk_blkreq r[10], *rp[10];
	static char buf[512 * 300];
	uint16_t cnt;
	struct uk_blkdev_stats st;

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	uk_blkreq_init(&r[0], UK_BLKREQ_READ, 0, 1, buf, on_done, NULL);
	uk_blkreq_init(&r[1], UK_BLKREQ_READ, 4096, 1, buf, on_done, NULL);
	uk_blkreq_init(&r[2], UK_BLKREQ_WRITE, 4095, 2, buf, on_done, NULL);
	uk_blkreq_init(&r[3], UK_BLKREQ_READ, UINT64_MAX, 2, buf, on_done,
		       NULL);
	uk_blkreq_init(&r[4], UK_BLKREQ_READ, 0, 0, buf, on_done, NULL);
	uk_blkreq_init(&r[5], UK_BLKREQ_WRITE, 0, 1, NULL, on_done, NULL);
	uk_blkreq_init(&r[6], UK_BLKREQ_READ, 0, 257, buf, on_done, NULL);
	uk_blkreq_init(&r[7], UK_BLKREQ_DISCARD, 0, 8, NULL, on_done, NULL);
	uk_blkreq_init(&r[8], 99, 0, 1, buf, on_done, NULL);
	uk_blkreq_init(&r[9], UK_BLKREQ_WRITE, 4095, 1, buf, on_done, NULL);
	for (int i = 0; i < 10; i++)
		rp[i] = &r[i];
	cnt = 10;
	assert_int_equal(uk_blkdev_submit(&T->dev, 0, rp, &cnt), 0);
	assert_int_equal(cnt, 10);
	assert_int_equal(ndone, 8); /* the refused ones, at once */
	assert_int_equal(r[1].result, -ENOSPC);
	assert_int_equal(r[2].result, -ENOSPC);
	assert_int_equal(r[3].result, -ENOSPC);
	assert_int_equal(r[4].result, -EINVAL);
	assert_int_equal(r[5].result, -EINVAL);
	assert_int_equal(r[6].result, -EINVAL);
	assert_int_equal(r[7].result, -ENOTSUP);
	assert_int_equal(r[8].result, -EINVAL);
	assert_int_equal(r[0].state, UK_BLKREQ_PENDING);
	assert_int_equal(r[9].state, UK_BLKREQ_PENDING);
	assert_int_equal(T->inflight, 2);
	assert_int_equal(uk_blkdev_poll(&T->dev, 0, 0), 2);
	assert_int_equal(ndone, 10);
	assert_int_equal(r[0].result, 0);
	assert_int_equal(r[9].result, 0);
	uk_blkdev_stats_get(&T->dev, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.refused, 8);
	assert_int_equal(st.completions, 2);
}

static void test_readonly(void **state)
{
	static struct bd_test ro; /* stays registered */
	struct uk_blkreq r, *rp = &r;
	char buf[512] = "x";
	uint16_t cnt = 1;

	(void)state;
	assert_int_equal(bd_test_init(&ro, "ro0", 64, 512, UK_BLKDEV_F_RO), 0);
	assert_true(uk_blkdev_register(&ro.dev) >= 0);
	assert_int_equal(uk_blkdev_open(&ro.dev), 0);
	uk_blkreq_init(&r, UK_BLKREQ_WRITE, 0, 1, buf, NULL, NULL);
	assert_int_equal(uk_blkdev_submit(&ro.dev, 0, &rp, &cnt), 0);
	assert_int_equal(r.result, -EROFS);
	assert_int_equal(ro.nwrites, 0);
	assert_int_equal(
		uk_blkdev_sync_io(&ro.dev, 0, UK_BLKREQ_WRITE, 1, 1, buf, 0),
		-EROFS);
	assert_int_equal(
		uk_blkdev_sync_io(&ro.dev, 0, UK_BLKREQ_READ, 1, 1, buf, 0), 0);
	/* a flush on a device without a write cache never reaches it */
	assert_int_equal(
		uk_blkdev_sync_io(&ro.dev, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0),
		0);
	assert_int_equal(ro.nflushes, 0);
	bd_test_fini(&ro);
}

/* More requests than the ring holds: the first BD_TEST_RING go, one
 * notification, STATUS_FULL. */
static void test_burst_full(void **state)
{
	static struct uk_blkreq r[100];
	struct uk_blkreq *rp[100];
	static char buf[100][512];
	uint16_t cnt = 100;
	int st;

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	for (int i = 0; i < 100; i++) {
		uk_blkreq_init(&r[i], UK_BLKREQ_READ, (uint64_t)i, 1, buf[i],
			       on_done, NULL);
		rp[i] = &r[i];
	}
	st = uk_blkdev_submit(&T->dev, 0, rp, &cnt);
	assert_true(st & UK_BLKDEV_STATUS_FULL);
	assert_int_equal(cnt, BD_TEST_RING);
	assert_int_equal(T->nnotifies, 1); /* one burst, one notification */
	assert_int_equal(uk_blkdev_poll(&T->dev, 0, 10), 10);
	assert_int_equal(uk_blkdev_poll(&T->dev, 0, 0), BD_TEST_RING - 10);
	assert_int_equal(ndone, BD_TEST_RING);
	cnt = (uint16_t)(100 - BD_TEST_RING);
	assert_int_equal(uk_blkdev_submit(&T->dev, 0, rp + BD_TEST_RING, &cnt),
			 0);
	assert_int_equal(cnt, 100 - BD_TEST_RING);
	assert_int_equal(uk_blkdev_wait(&T->dev, 0, rp, 100), 0);
	assert_int_equal(ndone, 100);
}

/* Data round trip through the sync helper: split at max_sectors,
 * completions in reverse order. */
static void test_sync_io(void **state)
{
	static uint8_t w[1000 * 512], rd[1000 * 512];

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	for (size_t i = 0; i < sizeof(w); i++)
		w[i] = (uint8_t)(i * 7 + i / 512);
	T->reverse = 1;
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_WRITE, 100, 1000, w, 0),
		0);
	assert_int_equal(T->nwrites, 4); /* 256 + 256 + 256 + 232 */
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 100, 1000, rd, 0),
		0);
	assert_memory_equal(w, rd, sizeof(w));
	assert_memory_equal(T->data + 100 * 512, w, sizeof(w));
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 4000, 97, rd, 0),
		-ENOSPC);
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 0, 0, rd, 0), 0);
	/* a failing request: its error, the others still done */
	T->fail_after = 2;
	T->fail_op = UK_BLKREQ_READ;
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 100, 1000, rd, 0),
		-EIO);
	assert_int_equal(T->inflight, 0);
}

/* The write cache: a power cut loses what was not flushed, keeps what
 * was; FUA with a native FUA device is durable without a flush. */
static void test_flush_power_cut(void **state)
{
	uint8_t a[512], b[512];

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_WRITE, 7, 1, a, 0), 0);
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0),
		0);
	assert_int_equal(T->nflushes, 1);
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_WRITE, 7, 1, b, 0), 0);
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_WRITE, 8, 1, b, 0), 0);
	bd_test_power_cut(T, 0);
	assert_memory_equal(T->data + 7 * 512, a, 512);
	assert_int_equal(T->data[8 * 512], 0);

	T->features |= UK_BLKDEV_F_FUA;
	assert_int_equal(uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_WRITE, 9, 1, b,
					   UK_BLKREQ_F_FUA),
			 0);
	bd_test_power_cut(T, 0);
	assert_memory_equal(T->data + 9 * 512, b, 512);
}

/* Interrupt mode: the wait halts until the device's event instead of
 * spinning; a waiter hook replaces the halt. */
static void test_wait_intr(void **state)
{
	uint8_t buf[512];

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	assert_int_equal(uk_blkdev_intr_enable(&T->dev, 0), 0);
	T->hold = 3;
	halt_release = T;
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 0, 1, buf, 0), 0);
	assert_int_equal(halts, 1);
	assert_true(T->dev.stats.interrupts >= 1);

	halt_release = NULL;
	uk_blkdev_set_waiter(test_waiter);
	T->hold = 1;
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 0, 1, buf, 0), 0);
	assert_int_equal(waiter_calls, 1);
	assert_int_equal(halts, 1);
	uk_blkdev_set_waiter(NULL);
	assert_int_equal(uk_blkdev_intr_disable(&T->dev, 0), 0);
	assert_int_equal(uk_blkdev_intr_enable(&T->dev, 3), -EINVAL);
}

/* A device that never answers: -ETIMEDOUT, then FAILED for good. Polling
 * mode spins (no halt). */
static void test_timeout(void **state)
{
	uint8_t buf[512];
	struct uk_blkreq r, *rp = &r;
	uint16_t cnt = 1;

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	uk_blkdev_timeout_ns = 50ull * 1000000; /* 50 ms of fake time */
	T->hold = -1;
	assert_int_equal(
		uk_blkdev_sync_io(&T->dev, 0, UK_BLKREQ_READ, 0, 1, buf, 0),
		-ETIMEDOUT);
	assert_int_equal(halts, 0);
	assert_int_equal(T->dev.state, UK_BLKDEV_FAILED);
	uk_blkreq_init(&r, UK_BLKREQ_READ, 0, 1, buf, NULL, NULL);
	assert_int_equal(uk_blkdev_submit(&T->dev, 0, &rp, &cnt), -ENODEV);
	assert_int_equal(uk_blkdev_open(&T->dev), -ENODEV);
	T->inflight = 0; /* the "device" forgets the request */
}

/* Random requests against a shadow copy (10,000 in bursts). */
static void test_random(void **state)
{
	static uint8_t shadow[4096 * 512], buf[64][8 * 512];
	struct uk_blkreq r[64], *rp[64];

	(void)state;
	assert_int_equal(uk_blkdev_open(&T->dev), 0);
	srand(1);
	for (int round = 0; round < 200; round++) {
		unsigned n = 1 + (unsigned)rand() % 64;
		uint16_t cnt = (uint16_t)n;
		/* writes of one burst never overlap (completion order is
		 * any), reads see the state before the burst */
		static uint8_t used[4096];
		memset(used, 0, sizeof(used));
		for (unsigned i = 0; i < n; i++) {
			uint32_t k = 1 + (uint32_t)rand() % 8;
			uint64_t s = (uint64_t)rand() % (4096 - k);
			int wr = rand() % 2, clash = 0;
			for (uint32_t j = 0; j < k; j++)
				clash |= used[s + j];
			if (clash)
				wr = 0, s = 0, k = 1;
			if (wr) {
				for (uint32_t j = 0; j < k; j++)
					used[s + j] = 1;
				for (size_t j = 0; j < k * 512; j++)
					buf[i][j] = (uint8_t)rand();
			}
			uk_blkreq_init(&r[i],
				       wr ? UK_BLKREQ_WRITE : UK_BLKREQ_READ, s,
				       k, buf[i], NULL, NULL);
			rp[i] = &r[i];
		}
		/* reads of sectors written in the same burst are excluded
		 * from the check below */
		assert_int_equal(uk_blkdev_submit(&T->dev, 0, rp, &cnt), 0);
		assert_int_equal(cnt, n);
		T->reverse = round & 1;
		assert_int_equal(uk_blkdev_wait(&T->dev, 0, rp, n), 0);
		for (unsigned i = 0; i < n; i++) {
			size_t off = (size_t)r[i].sector * 512;
			size_t len = (size_t)r[i].nsectors * 512;
			assert_int_equal(r[i].result, 0);
			if (r[i].op == UK_BLKREQ_WRITE) {
				memcpy(shadow + off, buf[i], len);
			} else {
				int clash = 0;
				for (uint32_t j = 0; j < r[i].nsectors; j++)
					clash |= used[r[i].sector + j];
				if (!clash)
					assert_memory_equal(shadow + off,
							    buf[i], len);
			}
		}
	}
	assert_memory_equal(shadow, T->data, sizeof(shadow));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
		cmocka_unit_test(test_bad_sector_size),
		cmocka_unit_test_setup_teardown(test_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_power_cut, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wait_intr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
