/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched unit tests: the real context switch, with a FIFO scheduler double.
 * Threads never call cmocka asserts (a failure would longjmp across
 * stacks): they count errors, which the main thread checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fifo.h"

static struct uk_sched sched;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

/* ---- set_tls / tls_init fakes ---- */

#define MAX_TLS_LOG 4096
static void *tls_log[MAX_TLS_LOG];
static unsigned long nr_tls_log;
static void *last_tp;
static unsigned long nr_tls_init;

static void fake_set_tls(void *tp)
{
	if (nr_tls_log < MAX_TLS_LOG)
		tls_log[nr_tls_log] = tp;
	nr_tls_log++;
	last_tp = tp;
}

static void fake_tls_init(void *tp)
{
	nr_tls_init++;
	((uint32_t *)tp)[-1] = 0xc0ffee;
}

/* Guard-page hook double: records what it was asked, can refuse. */
static void *guarded[8];
static int nr_guarded, nr_unguarded, guard_refuse;

static int fake_guard(void *page, int on)
{
	if (on) {
		if (guard_refuse)
			return -12;
		if (nr_guarded < 8)
			guarded[nr_guarded] = page;
		nr_guarded++;
	} else {
		nr_unguarded++;
	}
	return 0;
}

static int use_guards;

static int setup_sched(void **state, size_t tls_size)
{
	struct uk_sched_config cfg = {
		.guard_page = NULL,
		.a = &host_alloc,
		.now = fake_now,
		.set_tls = fake_set_tls,
		.idle = fake_idle,
		.tls_size = tls_size,
		.tls_init = tls_size ? fake_tls_init : NULL,
		.default_stack_size = 32768,
	};

	(void)state;
	rq_head = rq_tail = sl_head = NULL;
	fake_ns = 1000;
	errors = 0;
	nr_tls_log = nr_tls_init = 0;
	host_live = 0;
	host_fail_after = -1;
	nr_guarded = nr_unguarded = guard_refuse = 0;
	if (use_guards)
		cfg.guard_page = fake_guard;
	return uk_sched_init(&sched, &fifo_ops, &cfg);
}

static int setup_guards(void **state)
{
	use_guards = 1;
	int rc = setup_sched(state, 0);
	use_guards = 0;
	return rc;
}

static int setup(void **state)
{
	return setup_sched(state, 0);
}

static int setup_tls(void **state)
{
	return setup_sched(state, 128);
}

static int teardown(void **state)
{
	(void)state;
	/* every thread freed: nothing left in the allocator */
	return host_live != 0 || errors != 0;
}

/* ---- basics ---- */

static int trace[64];
static int ntrace;

static void tracer(void *arg)
{
	int id = (int)(intptr_t)arg;

	CHECK(uk_thread_current()->arg == arg);
	trace[ntrace++] = id;
	uk_sched_yield();
	trace[ntrace++] = id + 10;
	if (id == 2)
		uk_thread_exit(42);
}

static void test_init_errors(void **state)
{
	struct uk_sched s;
	struct uk_sched_config cfg = {.a = &host_alloc, .now = fake_now};
	struct uk_sched_config noclock = {.a = &host_alloc};

	(void)state;
	assert_int_equal(uk_sched_init(&s, NULL, &cfg), -EINVAL);
	assert_int_equal(uk_sched_init(&s, &fifo_ops, &noclock), -EINVAL);
	assert_int_equal(uk_sched_init(NULL, &fifo_ops, &cfg), -EINVAL);
}

static void test_create_join_order(void **state)
{
	struct uk_thread *a, *b;
	int st = -1;

	(void)state;
	ntrace = 0;
	assert_ptr_equal(uk_thread_current(), &sched.main_thread);
	assert_string_equal(uk_thread_current()->name, "main");
	a = uk_thread_create(NULL, "a", tracer, (void *)1, 0);
	b = uk_thread_create(&sched, "b", tracer, (void *)2, 16384);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(b->name, "b");
	assert_int_equal(sched.nr_threads, 3);
	assert_int_equal(uk_thread_join(a, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(uk_thread_join(b, &st), 0);
	assert_int_equal(st, 42);
	/* FIFO: both start, then both continue */
	assert_int_equal(ntrace, 4);
	assert_int_equal(trace[0], 1);
	assert_int_equal(trace[1], 2);
	assert_int_equal(trace[2], 11);
	assert_int_equal(trace[3], 12);
	assert_int_equal(sched.nr_threads, 1);
	assert_ptr_equal(uk_thread_current(), &sched.main_thread);
}

static void nop(void *arg)
{
	(void)arg;
}

static void test_join_errors(void **state)
{
	struct uk_thread *t;

	(void)state;
	assert_int_equal(uk_thread_join(&sched.main_thread, NULL), -EINVAL);
	assert_int_equal(uk_thread_join(NULL, NULL), -EINVAL);
	assert_null(uk_thread_create(NULL, "x", NULL, NULL, 0));
	assert_null(uk_thread_create(NULL, "x", nop, NULL, 100));
	t = uk_thread_create(NULL, "t", nop, NULL, 0);
	assert_int_equal(uk_thread_detach(t), 0);
	assert_int_equal(uk_thread_detach(t), -EINVAL);
	assert_int_equal(uk_thread_join(t, NULL), -EINVAL);
	uk_sched_yield(); /* t runs, exits, is freed */
	uk_sched_yield();
	assert_int_equal(sched.nr_threads, 1);
}

static void self_join(void *arg)
{
	(void)arg;
	CHECK(uk_thread_join(uk_thread_current(), NULL) == -EDEADLK);
}

static void test_self_join_and_detach_exited(void **state)
{
	struct uk_thread *t = uk_thread_create(NULL, "s", self_join, NULL, 0);

	(void)state;
	uk_sched_yield();
	assert_int_equal(t->state, UK_THREAD_EXITED);
	assert_int_equal(uk_thread_detach(t), 0); /* frees it at once */
}

static void test_alloc_failure(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		host_fail_after = i;
		assert_null(uk_thread_create(NULL, "f", nop, NULL, 0));
		assert_int_equal(host_live, 0);
	}
	host_fail_after = -1;
}

/* ---- wait queues, sleeping, timeouts ---- */

static struct uk_waitq wq = UK_WAITQ_INITIALIZER;
static int wq_rc[8];

static void waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	/* even: no timeout; odd: 1 ms timeout */
	wq_rc[i] = uk_waitq_wait_timeout(&wq, (i & 1) ? uk_sched_now() + 1000000
						      : UK_SCHED_FOREVER);
}

static void test_waitq(void **state)
{
	struct uk_thread *t[4];
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		t[i] = uk_thread_create(NULL, "w", waiter, (void *)(intptr_t)i,
					0);
	uk_sched_yield(); /* all four wait now */
	assert_false(uk_waitq_empty(&wq));
	assert_int_equal(uk_waitq_wake_one(&wq), 1); /* waiter 0 */
	/* main sleeps past the timeouts: 1 and 3 time out, 2 still waits */
	uk_sched_sleep_ns(2000000);
	assert_int_equal(t[1]->state, UK_THREAD_EXITED);
	assert_int_equal(t[3]->state, UK_THREAD_EXITED);
	assert_int_equal(t[2]->state, UK_THREAD_BLOCKED);
	assert_int_equal(uk_waitq_wake_all(&wq), 1);
	assert_int_equal(uk_waitq_wake_all(&wq), 0);
	assert_int_equal(uk_waitq_wake_one(&wq), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(wq_rc[0], 0);
	assert_int_equal(wq_rc[1], -ETIMEDOUT);
	assert_int_equal(wq_rc[2], 0);
	assert_int_equal(wq_rc[3], -ETIMEDOUT);
	assert_true(uk_waitq_empty(&wq));
	assert_null(sl_head);
	/* a deadline in the past times out at once, without blocking */
	assert_int_equal(uk_waitq_wait_timeout(&wq, uk_sched_now()),
			 -ETIMEDOUT);
	assert_true(uk_waitq_empty(&wq));
}

static void test_wake_cancels_timeout(void **state)
{
	struct uk_thread *t;

	(void)state;
	wq_rc[1] = 1;
	t = uk_thread_create(NULL, "w", waiter, (void *)1, 0);
	uk_sched_yield();
	assert_non_null(sl_head); /* sleeping with its timeout */
	assert_int_equal(uk_waitq_wake_one(&wq), 1);
	assert_null(sl_head); /* timeout taken off the sleep queue */
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(wq_rc[1], 0);
}

static void test_sleep_main(void **state)
{
	uint64_t t0 = uk_sched_now();

	(void)state;
	idle_calls = 0;
	uk_sched_sleep_ns(5000);
	assert_int_equal(uk_sched_now(), t0 + 5000);
	assert_int_equal(idle_calls, 1);
	uk_sched_sleep_until(t0); /* past: returns at once */
	assert_int_equal(uk_sched_now(), t0 + 5000);
}

/* ---- interruptible waits, signal fields, hooks ---- */

static int intr_rc[4];

static void intr_waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	/* 0: queue, no timeout; 1: queue, 1 ms; 2: sleep without a queue;
	 * 3: not interruptible */
	if (i == 3)
		intr_rc[i] = uk_waitq_wait_timeout(&wq, UK_SCHED_FOREVER);
	else if (i == 2)
		intr_rc[i] = uk_waitq_wait_intr(NULL, UK_SCHED_FOREVER);
	else
		intr_rc[i] = uk_waitq_wait_intr(
			&wq, i ? uk_sched_now() + 1000000 : UK_SCHED_FOREVER);
}

static void test_intr(void **state)
{
	struct uk_thread *t[4];
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		intr_rc[i] = 1;
		t[i] = uk_thread_create(NULL, "i", intr_waiter,
					(void *)(intptr_t)i, 0);
	}
	uk_sched_yield(); /* all wait */
	for (i = 0; i < 4; i++)
		assert_int_equal(t[i]->state, UK_THREAD_BLOCKED);
	for (i = 0; i < 4; i++)
		uk_thread_interrupt(t[i]);
	/* 0-2 are runnable again and off the queue; 3 still waits */
	assert_int_equal(t[3]->state, UK_THREAD_BLOCKED);
	assert_null(sl_head); /* 1's timeout was cancelled */
	uk_sched_yield();
	assert_int_equal(intr_rc[0], -EINTR);
	assert_int_equal(intr_rc[1], -EINTR);
	assert_int_equal(intr_rc[2], -EINTR);
	assert_int_equal(intr_rc[3], 1);
	assert_int_equal(uk_waitq_wake_one(&wq), 1); /* only 3 was left */
	assert_true(uk_waitq_empty(&wq));
	for (i = 0; i < 4; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(intr_rc[3], 0);

	/* a pending request ends the next interruptible wait at once and
	 * stays until cleared; plain waits ignore it */
	uk_thread_interrupt(uk_thread_current());
	assert_int_equal(uk_waitq_wait_intr(&wq, UK_SCHED_FOREVER), -EINTR);
	assert_int_equal(uk_waitq_wait_intr(NULL, UK_SCHED_FOREVER), -EINTR);
	assert_true(uk_waitq_empty(&wq));
	assert_int_equal(uk_waitq_wait_timeout(&wq, uk_sched_now() + 10),
			 -ETIMEDOUT);
	uk_thread_intr_clear(uk_thread_current());
	assert_int_equal(uk_waitq_wait_intr(&wq, uk_sched_now() + 10),
			 -ETIMEDOUT);
	assert_null(sl_head);
}

static void test_intr_after_wake(void **state)
{
	struct uk_thread *t;

	(void)state;
	intr_rc[0] = 1;
	t = uk_thread_create(NULL, "i", intr_waiter, (void *)0, 0);
	uk_sched_yield();
	/* woken first, interrupted before it runs: the wake-up counts */
	assert_int_equal(uk_waitq_wake_one(&wq), 1);
	uk_thread_interrupt(t);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(intr_rc[0], 0);
}

static int nr_released;
static struct uk_thread *last_released;

void uk_thread_release_hook(struct uk_thread *t)
{
	nr_released++;
	last_released = t;
}

static struct uk_thread *sw_prev[8], *sw_next[8];
static int nr_sw;

static void count_switch(struct uk_thread *prev, struct uk_thread *next)
{
	if (nr_sw < 8) {
		sw_prev[nr_sw] = prev;
		sw_next[nr_sw] = next;
	}
	nr_sw++;
}

static uint64_t seen_mask[2];
static void *seen_process[2];

static void look(void *arg)
{
	int i = (int)(intptr_t)arg;

	seen_mask[i] = uk_thread_current()->sig_blocked;
	seen_process[i] = uk_thread_current()->process;
}

static void test_signal_fields_and_hooks(void **state)
{
	static char stack[16384] __attribute__((aligned(16)));
	struct uk_thread *m = uk_thread_current(), *k, *c;
	int proc_a, proc_b;

	(void)state;
	nr_released = nr_sw = 0;
	m->sig_blocked = 0x1234;
	m->process = &proc_a;
	uk_sched_set_process_switch(count_switch);
	/* a kernel thread blocks every signal; a clone()d thread inherits
	 * the mask; both inherit the process */
	k = uk_thread_create(NULL, "k", look, (void *)0, 0);
	assert_int_equal(k->sig_blocked, ~0ULL);
	assert_ptr_equal(k->process, &proc_a);
	assert_int_equal(k->sig_pending, 0);
	assert_null(k->sig_data);
	c = uk_thread_create_on_stack(NULL, "c", look, (void *)1, stack,
				      sizeof(stack), NULL);
	assert_int_equal(c->sig_blocked, 0x1234);
	assert_ptr_equal(c->process, &proc_a);
	c->process = &proc_b;
	/* main -> k (same process: no hook), k -> c, c -> main */
	assert_int_equal(uk_thread_join(k, NULL), 0);
	assert_int_equal(uk_thread_join(c, NULL), 0);
	assert_int_equal(seen_mask[0], ~0ULL);
	assert_int_equal(seen_mask[1], 0x1234);
	assert_ptr_equal(seen_process[1], &proc_b);
	assert_int_equal(nr_sw, 2);
	assert_ptr_equal(sw_prev[0], k);
	assert_ptr_equal(sw_next[0], c);
	assert_ptr_equal(sw_prev[1], c);
	assert_ptr_equal(sw_next[1], m);
	assert_int_equal(nr_released, 2);
	assert_true(last_released == k || last_released == c);
	(void)proc_a, (void)proc_b;
	uk_sched_set_process_switch(NULL);
	m->sig_blocked = 0;
	m->process = NULL;
}

/* ---- TLS ---- */

#define NTLS 8
static void *tls_seen[NTLS];

static void tls_thread(void *arg)
{
	int id = (int)(intptr_t)arg, k;
	char *tp = uk_thread_current()->tls;
	int *slot = (int *)(tp - 8);

	CHECK(tp != NULL);
	CHECK(*(void **)tp == tp);		 /* TCB self-pointer */
	CHECK(((uint32_t *)tp)[-1] == 0xc0ffee); /* tls_init ran */
	CHECK(last_tp == tp);
	*slot = id;
	tls_seen[id] = tp;
	for (k = 0; k < 20; k++) {
		uk_sched_yield();
		CHECK(last_tp == tp);
		CHECK(*slot == id);
	}
}

static void test_tls(void **state)
{
	struct uk_thread *t[NTLS];
	unsigned long i, j;

	(void)state;
	for (i = 0; i < NTLS; i++)
		t[i] = uk_thread_create(NULL, "tls", tls_thread,
					(void *)(uintptr_t)i, 0);
	assert_int_equal(nr_tls_init, NTLS);
	for (i = 0; i < NTLS; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(errors, 0);
	for (i = 0; i < NTLS; i++)
		for (j = i + 1; j < NTLS; j++)
			assert_ptr_not_equal(tls_seen[i], tls_seen[j]);
	/* one set_tls per switch; back on main: its tp (NULL) */
	assert_int_equal(nr_tls_log, sched.nr_switches);
	assert_null(last_tp);
	assert_null(sched.main_thread.tls);
	for (i = 0; i < nr_tls_log && i < MAX_TLS_LOG; i++) {
		int known = tls_log[i] == NULL;

		for (j = 0; j < NTLS; j++)
			known |= tls_log[i] == tls_seen[j];
		assert_true(known);
	}
}

/* ---- FPU / SSE state ---- */

#define NFPU 6

static void fpu_thread(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, k;
	uint64_t x = 0x1111111111111111ULL * (id + 1), y;
	uint32_t mxcsr = 0x1f80 | ((id & 3u) << 13), m;
	uint16_t fcw = (uint16_t)(0x037f & ~0x0c00) |
		       (uint16_t)((id & 3u) << 10),
		 f;
	volatile double one = 1.0, three = 3.0;
	double before, after;

	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("fldcw %0" : : "m"(fcw));
	before = one / three; /* rounded per this thread's MXCSR */
	for (k = 0; k < 50; k++) {
		__asm__ volatile("movq %0, %%xmm15" : : "r"(x) : "xmm15");
		uk_sched_yield();
		__asm__ volatile("movq %%xmm15, %0" : "=r"(y));
		__asm__ volatile("stmxcsr %0" : "=m"(m));
		__asm__ volatile("fnstcw %0" : "=m"(f));
		CHECK(y == x);
		CHECK((m & ~0x3fu) == mxcsr); /* minus the sticky flags */
		CHECK(f == fcw);
		after = one / three;
		CHECK(memcmp(&before, &after, sizeof(double)) == 0);
	}
}

static void test_fpu(void **state)
{
	struct uk_thread *t[NFPU];
	unsigned long i;
	uint32_t m0, m1;
	uint16_t f0, f1;

	(void)state;
	__asm__ volatile("stmxcsr %0" : "=m"(m0));
	__asm__ volatile("fnstcw %0" : "=m"(f0));
	for (i = 0; i < NFPU; i++)
		t[i] = uk_thread_create(NULL, "fpu", fpu_thread,
					(void *)(uintptr_t)i, 0);
	for (i = 0; i < NFPU; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	__asm__ volatile("stmxcsr %0" : "=m"(m1));
	__asm__ volatile("fnstcw %0" : "=m"(f1));
	assert_int_equal(errors, 0);
	/* main's state untouched by the threads' changes */
	assert_int_equal(m0 & ~0x3fu, m1 & ~0x3fu);
	assert_int_equal(f0, f1);
}

/* a new thread starts with default FPU state, whatever its creator has */
static uint32_t child_mxcsr;

static void read_mxcsr(void *arg)
{
	(void)arg;
	__asm__ volatile("stmxcsr %0" : "=m"(child_mxcsr));
}

static void test_fpu_initial(void **state)
{
	uint32_t m0, m = 0x1f80 | (3u << 13);
	struct uk_thread *t;

	(void)state;
	__asm__ volatile("stmxcsr %0" : "=m"(m0));
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	t = uk_thread_create(NULL, "m", read_mxcsr, NULL, 0);
	uk_thread_join(t, NULL);
	__asm__ volatile("ldmxcsr %0" : : "m"(m0));
	assert_int_equal(child_mxcsr & ~0x3fu, 0x1f80);
}

static void guard_fn(void *arg)
{
	(void)arg;
	uk_sched_yield();
}

/* Each stack gets a page-aligned guard page right below it, released
 * before the memory is freed; the owner of a fault in it is known; a
 * refused guard leaves the thread working, without one. */
static void test_guard_pages(void **state)
{
	(void)state;
	struct uk_thread *t = uk_thread_create(NULL, "g1", guard_fn, NULL, 0);
	assert_non_null(t);
	assert_int_equal(nr_guarded, 1);
	assert_ptr_equal(guarded[0], t->guard);
	assert_int_equal((uintptr_t)t->guard % 4096, 0);
	assert_ptr_equal((char *)t->guard + 4096, t->stack);
	assert_int_equal(t->stack_size % 4096, 0);
	assert_null(uk_sched_guard_owner((uintptr_t)t->guard + 100));
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(nr_unguarded, 1);

	guard_refuse = 1;
	t = uk_thread_create(NULL, "g2", guard_fn, NULL, 0);
	assert_non_null(t);
	assert_null(t->guard);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(nr_unguarded, 1); /* nothing to release */
	assert_int_equal(host_live, 0);
}

static void owner_fn(void *arg)
{
	struct uk_thread *me = uk_thread_current();
	*(const char **)arg = uk_sched_guard_owner((uintptr_t)me->guard + 8);
}

static void test_guard_owner(void **state)
{
	(void)state;
	const char *name = NULL;
	struct uk_thread *t =
		uk_thread_create(NULL, "deep", owner_fn, &name, 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_non_null(name);
	assert_string_equal(name, "deep");
	assert_string_equal(uk_sched_current_name(), "main");
}

/* ---- aux stacks, caller-provided stacks, tids, thread pointer ---- */

static uintptr_t aux_slot;
static uintptr_t aux_seen[4];

static void aux_fn(void *arg)
{
	int i = (int)(intptr_t)arg;

	aux_seen[i] = aux_slot;
	CHECK(aux_slot == uk_thread_current()->aux_sp);
	uk_sched_yield();
	CHECK(aux_slot == uk_thread_current()->aux_sp);
}

static struct uk_waitq aux_wq = UK_WAITQ_INITIALIZER;

static void aux_blocked(void *arg)
{
	(void)arg;
	uk_waitq_wait(&aux_wq);
	aux_seen[3] = aux_slot;
	CHECK(aux_slot == uk_thread_current()->aux_sp);
}

static void test_aux_stacks(void **state)
{
	struct uk_thread *a, *b, *w;
	long live;

	(void)state;
	memset(aux_seen, 0, sizeof(aux_seen));
	aux_slot = 0;
	assert_int_equal(uk_sched_set_aux_stacks(100, &aux_slot), -EINVAL);
	assert_int_equal(uk_sched_set_aux_stacks(8192, NULL), -EINVAL);
	/* never enabled: switches leave the slot alone */
	a = uk_thread_create(NULL, "a", nop, NULL, 0);
	assert_int_equal(uk_thread_join(a, NULL), 0);
	assert_int_equal(aux_slot, 0);

	/* one thread exists and one is blocked before aux stacks are on */
	a = uk_thread_create(NULL, "a", aux_fn, (void *)0, 0);
	w = uk_thread_create(NULL, "w", aux_blocked, NULL, 0);
	uk_sched_yield(); /* a yields back, w blocks */
	assert_int_equal(w->state, UK_THREAD_BLOCKED);
	live = host_live;
	host_fail_after = 2; /* the third aux stack fails: all undone */
	assert_int_equal(uk_sched_set_aux_stacks(8192, &aux_slot), -ENOMEM);
	host_fail_after = -1;
	assert_int_equal(host_live, live);
	assert_int_equal(aux_slot, 0);
	assert_null(a->aux_stack);

	assert_int_equal(uk_sched_set_aux_stacks(8190, &aux_slot), 0);
	assert_int_equal(host_live, live + 3);
	assert_int_equal(uk_sched_set_aux_stacks(8192, &aux_slot), 0);
	assert_int_equal(uk_sched_set_aux_stacks(4096, &aux_slot), -EBUSY);
	assert_int_equal(uk_sched_set_aux_stacks(8192, &aux_seen[0]), -EBUSY);
	/* stored at once for the caller */
	assert_int_equal(aux_slot, sched.main_thread.aux_sp);
	assert_int_equal(aux_slot % 16, 0);
	assert_int_equal(aux_slot - (uintptr_t)sched.main_thread.aux_stack,
			 8192);
	b = uk_thread_create(NULL, "b", aux_fn, (void *)1, 0);
	assert_non_null(b->aux_stack);
	assert_int_equal(b->aux_sp % 16, 0);
	uk_sched_yield(); /* a finishes its first yield, b starts */
	assert_int_equal(aux_slot, sched.main_thread.aux_sp);
	uk_waitq_wake_one(&aux_wq);
	assert_int_equal(uk_thread_join(a, NULL), 0);
	assert_int_equal(uk_thread_join(b, NULL), 0);
	assert_int_equal(uk_thread_join(w, NULL), 0);
	assert_int_equal(aux_slot, sched.main_thread.aux_sp);
	assert_true(aux_seen[1] != 0 && aux_seen[3] != 0 &&
		    aux_seen[1] != aux_seen[3] &&
		    aux_seen[1] != sched.main_thread.aux_sp);
	/* an allocation failure of a new thread's aux stack: no leak */
	live = host_live;
	for (int i = 0; i < 3; i++) {
		host_fail_after = i;
		assert_null(uk_thread_create(NULL, "f", nop, NULL, 0));
		assert_int_equal(host_live, live);
	}
	host_fail_after = -1;
	assert_int_equal(uk_sched_set_aux_stacks(0, NULL), 0);
	assert_null(sched.main_thread.aux_stack);
	a = uk_thread_create(NULL, "a", nop, NULL, 0);
	assert_null(a->aux_stack);
	assert_int_equal(uk_thread_join(a, NULL), 0);
}

static char *ext_lo, *ext_hi;
static void *ext_tp_seen;
static int ext_ran;

static void ext_fn(void *arg)
{
	char here;

	(void)arg;
	CHECK(&here > ext_lo && &here < ext_hi);
	ext_tp_seen = uk_thread_get_tp();
	CHECK(last_tp == ext_tp_seen);
	CHECK(uk_thread_tid() == uk_thread_current()->tid);
	uk_sched_yield();
	CHECK(last_tp == ext_tp_seen);
	CHECK(uk_thread_set_tp((void *)0x5000) == 0);
	CHECK(last_tp == (void *)0x5000);
	uk_sched_yield();
	CHECK(last_tp == (void *)0x5000);
	ext_ran++;
}

static void test_on_stack(void **state)
{
	size_t size = 16384;
	char *stack = malloc(size);
	struct uk_thread *t, *u;
	int tp_word;

	(void)state;
	assert_non_null(stack);
	ext_lo = stack;
	ext_hi = stack + size;
	ext_ran = 0;
	assert_null(uk_thread_create_on_stack(NULL, "x", NULL, NULL, stack,
					      size, NULL));
	assert_null(uk_thread_create_on_stack(NULL, "x", ext_fn, NULL, NULL,
					      size, NULL));
	assert_null(uk_thread_create_on_stack(NULL, "x", ext_fn, NULL, stack,
					      100, NULL));
	/* odd top: rounded down to 16 */
	t = uk_thread_create_on_stack(NULL, "ext", ext_fn, NULL, stack,
				      size - 3, &tp_word);
	assert_non_null(t);
	assert_true(t->flags & UK_THREAD_EXTSTACK);
	assert_null(t->tls_block);
	assert_ptr_equal(t->tls, &tp_word);
	assert_int_equal((t->ctx.sp + 9 * 8) % 16, 0); /* 9 words pushed */
	assert_true(t->ctx.sp < (uintptr_t)stack + size - 3);
	assert_int_equal(t->tid, 2);
	assert_ptr_equal(uk_thread_find(2), t);
	assert_ptr_equal(uk_thread_find(1), &sched.main_thread);
	assert_null(uk_thread_find(3));
	assert_int_equal(uk_thread_tid(), 1);
	assert_int_equal(uk_thread_detach(t), 0);
	uk_sched_yield();
	assert_ptr_equal(ext_tp_seen, &tp_word);
	assert_int_equal(uk_thread_set_tp((void *)0x7000), 0);
	assert_ptr_equal(uk_thread_get_tp(), (void *)0x7000);
	uk_sched_yield();
	assert_ptr_equal(last_tp, (void *)0x7000);
	uk_sched_yield();
	uk_sched_yield(); /* t exited and was reaped */
	assert_int_equal(ext_ran, 1);
	assert_null(uk_thread_find(2));
	assert_int_equal(sched.nr_threads, 1);

	/* tids wrap past INT32_MAX to 2 and skip those in use */
	t = uk_thread_create(NULL, "a", nop, NULL, 0);
	assert_int_equal(t->tid, 3);
	sched.next_tid = 2;
	u = uk_thread_create(NULL, "b", nop, NULL, 0);
	assert_int_equal(u->tid, 2);
	assert_int_equal(uk_thread_join(u, NULL), 0);
	sched.next_tid = INT32_MAX;
	u = uk_thread_create(NULL, "b", nop, NULL, 0);
	assert_int_equal(u->tid, INT32_MAX);
	assert_int_equal(uk_thread_join(u, NULL), 0);
	u = uk_thread_create(NULL, "c", nop, NULL, 0);
	assert_int_equal(u->tid, 2);
	struct uk_thread *v = uk_thread_create(NULL, "d", nop, NULL, 0);
	assert_int_equal(v->tid, 4); /* 3 is t's */
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(uk_thread_join(u, NULL), 0);
	assert_int_equal(uk_thread_join(v, NULL), 0);
	free(stack);
}

/* ---- events ---- */

static struct uk_sched_event ev_a;
static int ev_rc = 99, irq_count;

static int irq_during_idle(uint64_t deadline)
{
	(void)deadline;
	/* what an interrupt handler does */
	irq_count++;
	CHECK(uk_sched_event_waiters() == 1);
	uk_sched_event_signal(&ev_a);
	return 1;
}

static void event_waiter(void *arg)
{
	(void)arg;
	ev_rc = uk_sched_event_wait(&ev_a, UK_SCHED_FOREVER);
}

static void test_events(void **state)
{
	struct uk_sched_event never = {0};
	struct uk_thread *t;

	(void)state;
	assert_int_equal(uk_sched_event_wait(&never, UK_SCHED_FOREVER),
			 -EINVAL);
	memset(&ev_a, 0, sizeof(ev_a));
	uk_sched_event_init(&ev_a);
	uk_sched_event_init(&ev_a); /* twice: harmless */
	/* raised before the wait: consumed at once, several count once */
	uk_sched_event_signal(&ev_a);
	uk_sched_event_signal(&ev_a);
	assert_int_equal(uk_sched_event_wait(&ev_a, UK_SCHED_FOREVER), 0);
	assert_int_equal(ev_a.pending, 0);
	/* timeout */
	assert_int_equal(uk_sched_event_wait(&ev_a, fake_ns + 500), -ETIMEDOUT);
	/* a thread blocked on it; nothing runnable: the idle halt gets an
	 * "interrupt" that raises the event, and the waiter runs */
	t = uk_thread_create(&sched, "waiter", event_waiter, NULL, 0);
	assert_non_null(t);
	uk_sched_yield();
	assert_int_equal(ev_rc, 99);
	assert_int_equal(uk_sched_event_waiters(), 1);
	irq_count = 0;
	fake_idle_hook = irq_during_idle;
	assert_int_equal(uk_thread_join(t, NULL), 0);
	fake_idle_hook = NULL;
	assert_int_equal(irq_count, 1);
	assert_int_equal(ev_rc, 0);
	assert_int_equal(uk_sched_event_waiters(), 0);
	assert_int_equal(ev_a.pending, 0);
}

/* An interrupt pending while the main thread keeps running: the CPU never
 * idles (main yields, never blocks), so only poll_irq lets the handler run
 * and wake the waiter (redis spinning in a Lua script with the receive
 * thread waiting for a frame: nothing answered, not even ARP). */
static int pending_irq;
static struct uk_sched_event ev_b;

static void fake_poll_irq(void)
{
	if (pending_irq) {
		pending_irq = 0;
		irq_count++;
		uk_sched_event_signal(&ev_b);
	}
}

static void event_b_waiter(void *arg)
{
	(void)arg;
	ev_rc = uk_sched_event_wait(&ev_b, UK_SCHED_FOREVER);
}

static void test_events_while_busy(void **state)
{
	struct uk_thread *t;
	int i;

	(void)state;
	uk_sched_event_init(&ev_b); /* events stay registered: not reset */
	ev_rc = 99;
	irq_count = 0;
	t = uk_thread_create(&sched, "waiter", event_b_waiter, NULL, 0);
	assert_non_null(t);
	uk_sched_yield();
	assert_int_equal(uk_sched_event_waiters(), 1);
	pending_irq = 1;
	/* without the hook the waiter would never run here: a yielding
	 * thread is always runnable, so the idle op is never called */
	for (i = 0; i < 3 && ev_rc == 99; i++)
		uk_sched_yield();
	assert_int_equal(irq_count, 1);
	assert_int_equal(ev_rc, 0);
	assert_int_equal(i, 1); /* the first yield polled and ran it */
	assert_int_equal(uk_thread_join(t, NULL), 0);
}

static int setup_poll_irq(void **state)
{
	int rc = setup_sched(state, 0);

	sched.cfg.poll_irq = fake_poll_irq;
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test_setup_teardown(test_guard_pages, setup_guards,
						teardown),
		cmocka_unit_test_setup_teardown(test_guard_owner, setup_guards,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_join_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_join_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_self_join_and_detach_exited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_waitq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wake_cancels_timeout,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleep_main, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_intr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intr_after_wake, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_signal_fields_and_hooks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls, setup_tls, teardown),
		cmocka_unit_test_setup_teardown(test_fpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fpu_initial, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_aux_stacks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_while_busy,
						setup_poll_irq, teardown),
		cmocka_unit_test_setup_teardown(test_on_stack, setup_tls,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
