/* SPDX-License-Identifier: BSD-3-Clause */
/* posixfutex unit tests, on the real uksched core and ukschedcoop with a
 * host allocator and a fake clock. Threads never call cmocka asserts (a
 * failure would longjmp across stacks): they count errors, which the main
 * thread checks. The binary clone path runs too: a test double of
 * uk_syscall_frame_current() hands clone() a made-up frame. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/arch/syscall.h>
#include <uk/futex.h>
#include <uk/plat/halt.h>
#include <uk/plat/lcpu.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

/* host allocator and fake clock, shared with uksched's tests */
#include <uk/sched_testing.h>

#define MS 1000000ULL

#define FUTEX_WAIT	     0
#define FUTEX_WAKE	     1
#define FUTEX_REQUEUE	     3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAKE_OP	     5
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define CLONE_MUSL	     0x7d0f00 /* musl's pthread_create flags */
#define CLONE_VM	     0x100
#define CLONE_THREAD	     0x10000
#define CLONE_VFORK	     0x4000
#define CLONE_PARENT_SETTID  0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID   0x1000000
#define CLONE_SETTLS	     0x80000

struct ts {
	int64_t tv_sec, tv_nsec;
};

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

/* ---- doubles ---- */

static void *tlsp_last;
static int tlsp_calls;

void ukplat_tlsp_set(void *tp)
{
	tlsp_last = tp;
	tlsp_calls++;
}

/* log lines and crash reports (ukdebug, compiled in by cross builds) */
#include <uk/plat_doubles.h>

static void fake_set_tls(void *tp)
{
	tlsp_last = tp;
}

/* CLOCK_REALTIME: 1000 s ahead of the fake monotonic clock */
#define WALL_OFFSET (1000 * 1000000000ULL)

long uk_syscall_r_clock_gettime(long clk, long ts, long a2, long a3, long a4,
				long a5)
{
	struct ts *t = (struct ts *)ts;
	uint64_t ns = fake_ns + WALL_OFFSET;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (clk != 0)
		return -EINVAL;
	t->tv_sec = (int64_t)(ns / 1000000000ULL);
	t->tv_nsec = (int64_t)(ns % 1000000000ULL);
	return 0;
}

static struct ukarch_syscall_frame *frame_now;

struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	return frame_now;
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *ts,
		  uint32_t *uaddr2, uint32_t val3)
{
	return uk_syscall_call(futex, uaddr, op, val, ts, uaddr2, val3);
}

/* ---- set-up ---- */

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.set_tls = fake_set_tls,
		.default_stack_size = 32768,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	host_live = 0;
	host_fail_after = -1;
	frame_now = NULL;
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	return host_live != 0 || errors != 0 || coop.sched.nr_threads != 1;
}

static struct uk_thread *spawn(uk_thread_fn_t fn, void *arg)
{
	struct uk_thread *t = uk_thread_create(NULL, "t", fn, arg, 0);

	assert_non_null(t);
	return t;
}

/* ---- futex ---- */

static uint32_t word, word2;
static long rcs[8];
static uint64_t woke_at[8];
static int nwoken;

struct wait_arg {
	int i;
	int op;
	uint32_t *addr;
	uint32_t bitset;
	const struct ts *ts;
};

static void waiter(void *p)
{
	struct wait_arg *a = p;

	rcs[a->i] = futex(a->addr, a->op, *a->addr, a->ts, NULL, a->bitset);
	woke_at[a->i] = fake_ns;
	nwoken++;
}

static struct wait_arg args[8];

static struct uk_thread *spawn_waiter(int i, int op, uint32_t *addr,
				      uint32_t bitset, const struct ts *ts)
{
	args[i] = (struct wait_arg){i, op, addr, bitset, ts};
	rcs[i] = 99;
	return spawn(waiter, &args[i]);
}

static void test_wait_wake(void **state)
{
	struct uk_thread *t[4];

	(void)state;
	word = 5;
	nwoken = 0;
	for (int i = 0; i < 4; i++)
		t[i] = spawn_waiter(i, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, &word,
				    0, NULL);
	uk_sched_yield();
	assert_int_equal(uk_futex_nr_waiters(&word), 4);
	assert_int_equal(futex(&word, FUTEX_WAKE, 2, NULL, NULL, 0), 2);
	uk_sched_yield();
	assert_int_equal(nwoken, 2);
	/* longest waiters first */
	assert_int_equal(rcs[0], 0);
	assert_int_equal(rcs[1], 0);
	assert_int_equal(rcs[2], 99);
	assert_int_equal(futex(&word2, FUTEX_WAKE, 5, NULL, NULL, 0), 0);
	assert_int_equal(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX,
			       NULL, NULL, 0),
			 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(rcs[3], 0);
	assert_int_equal(uk_futex_nr_waiters(&word), 0);
	/* Linux: 0 wakes one */
	t[0] = spawn_waiter(0, FUTEX_WAIT, &word, 0, NULL);
	uk_sched_yield();
	assert_int_equal(futex(&word, FUTEX_WAKE, 0, NULL, NULL, 0), 1);
	assert_int_equal(uk_thread_join(t[0], NULL), 0);
}

static void test_errors(void **state)
{
	struct ts bad_ns = {0, 1000000000}, neg = {-1, 0}, ok = {0, 0};
	char buf[8] __attribute__((aligned(4)));

	(void)state;
	word = 1;
	assert_int_equal(futex(&word, FUTEX_WAIT, 2, NULL, NULL, 0), -EAGAIN);
	assert_int_equal(futex(&word, FUTEX_WAIT_BITSET, 2, NULL, NULL, 1),
			 -EAGAIN);
	assert_int_equal(
		futex((uint32_t *)(buf + 1), FUTEX_WAIT, 0, NULL, NULL, 0),
		-EINVAL);
	assert_int_equal(
		futex((uint32_t *)(buf + 2), FUTEX_WAKE, 1, NULL, NULL, 0),
		-EINVAL);
	assert_int_equal(futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0), -EFAULT);
	assert_int_equal(futex(&word, FUTEX_WAIT, 1, &bad_ns, NULL, 0),
			 -EINVAL);
	assert_int_equal(futex(&word, FUTEX_WAIT, 1, &neg, NULL, 0), -EINVAL);
	assert_int_equal(futex(&word, FUTEX_WAIT_BITSET, 1, &ok, NULL, 0),
			 -EINVAL); /* bitset 0 */
	assert_int_equal(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0),
			 -EINVAL);
	assert_int_equal(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1,
			       NULL, NULL, 0),
			 -ENOSYS);
	assert_int_equal(futex(&word, FUTEX_WAKE_OP, 1, NULL, &word2, 0),
			 -ENOSYS);
	assert_int_equal(futex(&word, 77, 1, NULL, NULL, 0), -ENOSYS);
	assert_int_equal(futex(&word, FUTEX_REQUEUE, -1, NULL, &word2, 0),
			 -EINVAL);
	assert_int_equal(
		futex(&word, FUTEX_REQUEUE, 1, (void *)(intptr_t)-1, &word2, 0),
		-EINVAL);
	assert_int_equal(futex(&word, FUTEX_REQUEUE, 1, NULL, NULL, 0),
			 -EFAULT);
	assert_int_equal(futex(&word, FUTEX_CMP_REQUEUE, 1, NULL, &word2, 2),
			 -EAGAIN);
	/* an expired absolute deadline with the right value */
	assert_int_equal(futex(&word, FUTEX_WAIT_BITSET, 1, &ok, NULL, ~0u),
			 -ETIMEDOUT);
	assert_int_equal(futex(&word, FUTEX_WAIT, 1, &ok, NULL, 0), -ETIMEDOUT);
}

static void test_timeouts(void **state)
{
	struct ts rel5 = {0, 5 * MS}, abs_mono, abs_wall, long_ts = {100, 0};
	struct uk_thread *t[4];
	uint64_t t0;

	(void)state;
	word = 3;
	fake_ns = 10 * MS;
	t0 = fake_ns;
	abs_mono = (struct ts){0, (int64_t)(t0 + 3 * MS)};
	uint64_t w = t0 + WALL_OFFSET + 7 * MS;
	abs_wall = (struct ts){(int64_t)(w / 1000000000ULL),
			       (int64_t)(w % 1000000000ULL)};
	/* woken long before its timeout: 0, and the clock did not move */
	t[3] = spawn_waiter(3, FUTEX_WAIT, &word, 0, &long_ts);
	t[0] = spawn_waiter(0, FUTEX_WAIT, &word, 0, &rel5);
	t[1] = spawn_waiter(1, FUTEX_WAIT_BITSET, &word, ~0u, &abs_mono);
	t[2] = spawn_waiter(2, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, &word,
			    ~0u, &abs_wall);
	uk_sched_yield();
	assert_int_equal(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(rcs[3], 0);
	assert_int_equal(woke_at[3], t0);
	/* relative 5 ms; absolute monotonic 3 ms; absolute wall 7 ms */
	assert_int_equal(rcs[0], -ETIMEDOUT);
	assert_int_equal(woke_at[0], t0 + 5 * MS);
	assert_int_equal(rcs[1], -ETIMEDOUT);
	assert_int_equal(woke_at[1], t0 + 3 * MS);
	assert_int_equal(rcs[2], -ETIMEDOUT);
	assert_int_equal(woke_at[2], t0 + 7 * MS);
	assert_int_equal(uk_futex_nr_waiters(&word), 0);
}

/* A signal to handle ends a wait with EINTR (the waiter leaves the queue);
 * a wake that came first still counts. */
static void test_interrupted(void **state)
{
	struct uk_thread *t[3];

	(void)state;
	word = 5;
	t[0] = spawn_waiter(0, FUTEX_WAIT, &word, 0, NULL);
	t[1] = spawn_waiter(1, FUTEX_WAIT_BITSET, &word, ~0u, NULL);
	t[2] = spawn_waiter(2, FUTEX_WAIT, &word, 0, NULL);
	uk_sched_yield();
	assert_int_equal(uk_futex_nr_waiters(&word), 3);
	uk_thread_interrupt(t[0]);
	uk_thread_interrupt(t[1]);
	assert_int_equal(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	uk_thread_interrupt(t[2]); /* woken already: no effect */
	for (int i = 0; i < 3; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(rcs[0], -EINTR);
	assert_int_equal(rcs[1], -EINTR);
	assert_int_equal(rcs[2], 0);
	assert_int_equal(uk_futex_nr_waiters(&word), 0);
}

/* A timed-out waiter that a wake reaches before it runs counts as woken. */
static void late_waker(void *p)
{
	(void)p;
	CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 1);
}

static void test_wake_after_timeout(void **state)
{
	struct ts rel = {0, 2 * MS};
	struct uk_thread *w, *k;

	(void)state;
	word = 0;
	w = spawn_waiter(0, FUTEX_WAIT, &word, 0, &rel);
	uk_sched_yield(); /* w waits */
	k = spawn(late_waker, NULL);
	fake_ns += 3 * MS;
	/* this switch expires w's timeout (queue: k, w, main); k wakes it */
	uk_sched_yield();
	assert_int_equal(uk_thread_join(w, NULL), 0);
	assert_int_equal(uk_thread_join(k, NULL), 0);
	assert_int_equal(rcs[0], 0);
	assert_int_equal(uk_futex_nr_waiters(&word), 0);
}

static void test_bitsets(void **state)
{
	struct uk_thread *t[3];

	(void)state;
	word = 9;
	t[0] = spawn_waiter(0, FUTEX_WAIT_BITSET, &word, 1, NULL);
	t[1] = spawn_waiter(1, FUTEX_WAIT_BITSET, &word, 2, NULL);
	t[2] = spawn_waiter(2, FUTEX_WAIT_BITSET, &word, 6, NULL);
	uk_sched_yield();
	assert_int_equal(futex(&word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 4), 1);
	uk_sched_yield();
	assert_int_equal(rcs[2], 0);
	assert_int_equal(rcs[0], 99);
	assert_int_equal(futex(&word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 8), 0);
	/* plain FUTEX_WAKE matches every bitset */
	assert_int_equal(futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0), 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(rcs[0], 0);
	assert_int_equal(rcs[1], 0);
}

static void test_requeue(void **state)
{
	struct uk_thread *t[6];

	(void)state;
	word = 4;
	word2 = 0;
	nwoken = 0;
	for (int i = 0; i < 6; i++)
		t[i] = spawn_waiter(i, FUTEX_WAIT, &word, 0, NULL);
	uk_sched_yield();
	/* wake 1, move 2 */
	assert_int_equal(
		futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)2, &word2, 4), 3);
	assert_int_equal(uk_futex_nr_waiters(&word), 3);
	assert_int_equal(uk_futex_nr_waiters(&word2), 2);
	/* REQUEUE: wake none, move the rest */
	assert_int_equal(
		futex(&word, FUTEX_REQUEUE, 0, (void *)INT_MAX, &word2, 0), 3);
	assert_int_equal(uk_futex_nr_waiters(&word), 0);
	assert_int_equal(uk_futex_nr_waiters(&word2), 5);
	uk_sched_yield();
	assert_int_equal(nwoken, 1);
	assert_int_equal(rcs[0], 0);
	/* a wake on the old word finds nobody; the new one wakes them in
	 * order */
	assert_int_equal(futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 0);
	assert_int_equal(futex(&word2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 5);
	for (int i = 0; i < 6; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(rcs[i], 0);
	/* requeue onto the same word: a no-op move */
	t[0] = spawn_waiter(0, FUTEX_WAIT, &word, 0, NULL);
	uk_sched_yield();
	assert_int_equal(futex(&word, FUTEX_REQUEUE, 0, (void *)1, &word, 0),
			 1);
	assert_int_equal(uk_futex_nr_waiters(&word), 1);
	assert_int_equal(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	assert_int_equal(uk_thread_join(t[0], NULL), 0);
}

/* Many waiters on many addresses (bucket collisions), woken one by one. */
static void test_many(void **state)
{
	static uint32_t words[64];
	static struct wait_arg many_args[64];
	static struct uk_thread *t[64];

	(void)state;
	nwoken = 0;
	for (int i = 0; i < 64; i++) {
		many_args[i] =
			(struct wait_arg){0, FUTEX_WAIT, &words[i], 0, NULL};
		t[i] = spawn(waiter, &many_args[i]);
	}
	uk_sched_yield();
	for (int i = 63; i >= 0; i--) {
		assert_int_equal(uk_futex_nr_waiters(&words[i]), 1);
		assert_int_equal(uk_futex_wake(&words[i], 1, ~0u), 1);
	}
	for (int i = 0; i < 64; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	assert_int_equal(nwoken, 64);
}

/* ---- clone ---- */

#define STACK_SIZE (64 * 1024)

static int child_ran;
static void *child_tp;
static char *stk_lo, *stk_hi;

static int child(void *arg)
{
	char here;

	CHECK(&here > stk_lo && &here < stk_hi); /* on the given stack */
	child_tp = uk_thread_get_tp();
	child_ran = (int)(intptr_t)arg;
	uk_sched_yield();
	return 0;
}

static int child_exits(void *arg)
{
	(void)arg;
	child_ran = 2;
	uk_syscall_call(exit, 3);
	child_ran = 99; /* never */
	return 0;
}

/* what musl's pthread_join does */
static void join_ctid(volatile int *ctid)
{
	int v;

	for (int i = 0; i < 100 && (v = *ctid) != 0; i++)
		futex((uint32_t *)ctid, FUTEX_WAIT, (uint32_t)v, NULL, NULL, 0);
	assert_int_equal(*ctid, 0);
}

static void test_clone(void **state)
{
	char *stack = malloc(STACK_SIZE);
	int ptid = 0, ctid = -1, tls_word, tid;

	(void)state;
	assert_non_null(stack);
	stk_lo = stack;
	stk_hi = stack + STACK_SIZE;
	child_ran = 0;
	tid = uk_clone_fn(child, stk_hi, CLONE_MUSL, (void *)1, &ptid,
			  &tls_word, &ctid);
	assert_true(tid > 1);
	assert_int_equal(ptid, tid);
	assert_ptr_equal(uk_thread_find(tid)->clear_tid, &ctid);
	assert_int_equal(child_ran, 0); /* not run yet */
	ctid = tid;			/* as musl's descriptor has it */
	join_ctid(&ctid);
	assert_int_equal(child_ran, 1);
	assert_ptr_equal(child_tp, &tls_word);
	uk_sched_yield(); /* reaped */
	assert_null(uk_thread_find(tid));

	/* a fresh stack: ASan's shadow of the old one still has the redzones
	 * of the frames that never returned (the exit path) */
	free(stack);
	stack = malloc(STACK_SIZE);
	assert_non_null(stack);
	stk_lo = stack;
	stk_hi = stack + STACK_SIZE;

	/* exit() from the child; CLONE_CHILD_SETTID; no SETTLS: our tp */
	assert_int_equal(uk_thread_set_tp(&ptid), 0);
	ctid = 0;
	tid = uk_clone_fn(child_exits, stk_hi,
			  (CLONE_MUSL & ~CLONE_SETTLS & ~CLONE_PARENT_SETTID) |
				  CLONE_CHILD_SETTID,
			  NULL, NULL, NULL, &ctid);
	assert_true(tid > 1);
	assert_int_equal(ctid, tid);
	assert_ptr_equal(uk_thread_find(tid)->tls, &ptid);
	join_ctid(&ctid);
	assert_int_equal(child_ran, 2);
	uk_sched_yield();
	assert_int_equal(coop.sched.nr_threads, 1);

	/* tids: distinct */
	int tids[3];
	static char stacks[3][8192] __attribute__((aligned(16)));
	for (int i = 0; i < 3; i++) {
		stk_lo = stacks[0];
		stk_hi = stacks[2] + 8192;
		tids[i] = uk_clone_fn(child, stacks[i] + 8192, CLONE_MUSL,
				      (void *)3, &ptid, NULL, &ctid);
		assert_true(tids[i] > 1);
	}
	assert_true(tids[0] != tids[1] && tids[1] != tids[2] &&
		    tids[0] != tids[2]);
	for (int i = 0; i < 4; i++)
		uk_sched_yield();
	assert_int_equal(coop.sched.nr_threads, 1);
	free(stack);
}

static int never(void *arg)
{
	(void)arg;
	return 0;
}

static void test_clone_errors(void **state)
{
	static char stack[8192] __attribute__((aligned(16)));
	char *top = stack + sizeof(stack);
	int ptid, ctid;

	(void)state;
	/* fork: never (one address space); vfork/posix_spawn: processes are
	 * posixprocess's, which this test does not link; unknown flags */
	assert_int_equal(uk_clone_fn(never, top, 0x11, NULL, NULL, NULL, NULL),
			 -ENOSYS);
	assert_int_equal(uk_clone_fn(never, top, CLONE_VM | CLONE_VFORK | 17,
				     NULL, NULL, NULL, NULL),
			 -ENOSYS);
	assert_int_equal(uk_clone_fn(never, top, CLONE_MUSL | 0x2000000, NULL,
				     &ptid, NULL, &ctid),
			 -EINVAL);
	assert_int_equal(uk_clone_fn(never, top, CLONE_VM | CLONE_THREAD, NULL,
				     &ptid, NULL, &ctid),
			 -EINVAL); /* a thread without CLONE_SIGHAND */
	assert_int_equal(
		uk_clone_fn(NULL, top, CLONE_MUSL, NULL, &ptid, NULL, &ctid),
		-EINVAL);
	assert_int_equal(
		uk_clone_fn(never, NULL, CLONE_MUSL, NULL, &ptid, NULL, &ctid),
		-EINVAL);
	assert_int_equal(
		uk_clone_fn(never, top, CLONE_MUSL, NULL, NULL, NULL, &ctid),
		-EFAULT);
	assert_int_equal(
		uk_clone_fn(never, top, CLONE_MUSL, NULL, &ptid, NULL, NULL),
		-EFAULT);
	host_fail_after = 0;
	assert_int_equal(
		uk_clone_fn(never, top, CLONE_MUSL, NULL, &ptid, NULL, &ctid),
		-ENOMEM);
	host_fail_after = -1;
	/* the binary path without a frame (a native caller) */
	assert_int_equal(
		uk_syscall_call(clone, CLONE_MUSL, top, &ptid, &ctid, 0),
		-ENOSYS);
	assert_int_equal(coop.sched.nr_threads, 1);
}

/* The binary path: the child "returns from syscall" into bin_child with
 * the frame's registers (rdi, rsi, rdx are its arguments), rsp = newsp. */
static long bin_seen[4];
static int bin_ctid;

__attribute__((noinline, used)) static void bin_child(long a, long b, long c)
{
	char here;

	bin_seen[0] = a;
	bin_seen[1] = b;
	bin_seen[2] = c;
	bin_seen[3] = (long)(uintptr_t)&here;
	CHECK(uk_thread_get_tp() == (void *)0x1234);
	uk_sched_yield();
	uk_syscall_call(exit, 0);
}

static void test_clone_binary(void **state)
{
	static char stack[16384] __attribute__((aligned(16)));
	struct ukarch_syscall_frame f;
	int ptid = 0;

	(void)state;
	memset(&f, 0x5a, sizeof(f));
	f.rdi = 11;
	f.rsi = 22;
	f.rdx = 33;
	f.rax = 56;	  /* the call number: the child sees 0 */
	f.rflags = 0x202; /* IF, reserved bit 1 */
	f.rip = (uintptr_t)bin_child;
	f.rsp = 0x5a5a;
	frame_now = &f;
	/* newsp = 8 mod 16, as at a function's entry */
	char *newsp = stack + sizeof(stack) - 8;
	long tid = uk_syscall_call(clone, CLONE_MUSL, newsp, &ptid, &bin_ctid,
				   0x1234);
	frame_now = NULL;
	assert_true(tid > 1);
	assert_int_equal(ptid, tid);
	assert_int_equal(f.rax, 56); /* the parent's frame is untouched */
	bin_ctid = (int)tid;
	join_ctid(&bin_ctid);
	assert_int_equal(bin_seen[0], 11);
	assert_int_equal(bin_seen[1], 22);
	assert_int_equal(bin_seen[2], 33);
	assert_true(bin_seen[3] < (long)(uintptr_t)newsp &&
		    bin_seen[3] > (long)(uintptr_t)stack);
	uk_sched_yield();
	assert_int_equal(coop.sched.nr_threads, 1);
	/* bad newsp */
	frame_now = &f;
	assert_int_equal(
		uk_syscall_call(clone, CLONE_MUSL, NULL, &ptid, &bin_ctid, 0),
		-EINVAL);
	frame_now = NULL;
}

/* ---- the small calls ---- */

static void *fs_child;

static void fs_thread(void *arg)
{
	unsigned long v = 0;

	(void)arg;
	CHECK(uk_syscall_call(arch_prctl, 0x1002, 0xabc0) == 0);
	uk_sched_yield();
	CHECK(tlsp_last == (void *)0xabc0);
	CHECK(uk_syscall_call(arch_prctl, 0x1003, &v) == 0);
	fs_child = (void *)v;
}

static void test_arch_prctl(void **state)
{
	unsigned long v = 0;

	(void)state;
	assert_int_equal(uk_syscall_call(arch_prctl, 0x1002, 0x1000), 0);
	assert_ptr_equal(tlsp_last, (void *)0x1000);
	struct uk_thread *t = spawn(fs_thread, NULL);
	uk_sched_yield();
	assert_ptr_equal(tlsp_last, (void *)0x1000); /* ours again */
	assert_int_equal(uk_syscall_call(arch_prctl, 0x1003, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_ptr_equal(fs_child, (void *)0xabc0);
	assert_int_equal(uk_syscall_call(arch_prctl, 0x1003, NULL), -EFAULT);
	assert_int_equal(uk_syscall_call(arch_prctl, 0x1001, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(arch_prctl, 0x9999, 0), -EINVAL);
}

static void robust_thread(void *arg)
{
	CHECK(uk_syscall_call(set_robust_list, arg, 24) == 0);
	uk_sched_yield();
}

static void test_small_calls(void **state)
{
	void *head = NULL;
	size_t len = 0;
	unsigned long mask[4] = {~0ul, ~0ul, ~0ul, ~0ul};
	int head_word;

	(void)state;
	assert_int_equal(uk_syscall_call(set_tid_address, &head_word),
			 uk_thread_tid());
	assert_ptr_equal(uk_thread_current()->clear_tid, &head_word);
	uk_thread_current()->clear_tid = NULL;
	assert_int_equal(uk_syscall_call(set_robust_list, &head_word, 16),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(set_robust_list, &head_word, 24), 0);
	assert_int_equal(uk_syscall_call(get_robust_list, 0, &head, &len), 0);
	assert_ptr_equal(head, &head_word);
	assert_int_equal(len, 24);
	struct uk_thread *t = spawn(robust_thread, &len);
	uk_sched_yield();
	assert_int_equal(uk_syscall_call(get_robust_list, t->tid, &head, &len),
			 0);
	assert_ptr_equal(head, &len);
	assert_int_equal(uk_syscall_call(get_robust_list, 1, &head, &len), 0);
	assert_ptr_equal(head, &head_word);
	assert_int_equal(uk_syscall_call(get_robust_list, 4242, &head, &len),
			 -ESRCH);
	assert_int_equal(uk_syscall_call(get_robust_list, 0, NULL, &len),
			 -EFAULT);
	assert_int_equal(uk_thread_join(t, NULL), 0);

	assert_int_equal(uk_syscall_call(sched_getaffinity, 0, 32, mask), 8);
	assert_int_equal(mask[0], 1);
	assert_int_equal(mask[1], ~0ul); /* only 8 bytes written */
	assert_int_equal(uk_syscall_call(sched_getaffinity, 1, 8, mask), 8);
	assert_int_equal(uk_syscall_call(sched_getaffinity, 0, 4, mask),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_getaffinity, 0, 12, mask),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_getaffinity, 4242, 8, mask),
			 -ESRCH);
	assert_int_equal(uk_syscall_call(sched_getaffinity, 0, 8, NULL),
			 -EFAULT);
	/* setaffinity: CPU 0 must be in the mask; getcpu: 0 and node 0 */
	mask[0] = 3;
	assert_int_equal(uk_syscall_call(sched_setaffinity, 0, 8, mask), 0);
	assert_int_equal(uk_syscall_call(sched_setaffinity, 1, 1, mask), 0);
	mask[0] = 2;
	assert_int_equal(uk_syscall_call(sched_setaffinity, 0, 8, mask),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_setaffinity, 0, 0, mask),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_setaffinity, 4242, 8, mask),
			 -ESRCH);
	assert_int_equal(uk_syscall_call(sched_setaffinity, -1, 8, mask),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_setaffinity, 0, 8, NULL),
			 -EFAULT);
	{
		unsigned cpu = 9, node = 9;

		assert_int_equal(uk_syscall_call(getcpu, &cpu, &node, NULL), 0);
		assert_int_equal(cpu, 0);
		assert_int_equal(node, 0);
		assert_int_equal(uk_syscall_call(getcpu, NULL, NULL, NULL), 0);
	}

	assert_int_equal(uk_syscall_call(membarrier, 0, 0, 0), 0x1f);
	assert_int_equal(uk_syscall_call(membarrier, 8, 0, 0), 0);
	assert_int_equal(uk_syscall_call(membarrier, 16, 0, 0), 0);
	assert_int_equal(uk_syscall_call(membarrier, 1, 0, 0), 0);
	assert_int_equal(uk_syscall_call(membarrier, 3, 0, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(membarrier, 32, 0, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(membarrier, 8, 1, 0), -EINVAL);
	static uint32_t area[8] __attribute__((aligned(32))) = {7, 7};
	assert_int_equal(uk_syscall_call(rseq, NULL, 32, 0, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(rseq, area, 16, 0, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(rseq, (char *)area + 4, 32, 0, 0),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(rseq, area, 32, 2, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(rseq, area, 32, 0, 0x53053053), 0);
	assert_int_equal(area[0], 0); /* cpu_id_start: CPU 0 */
	assert_int_equal(area[1], 0); /* cpu_id */
	assert_int_equal(uk_syscall_call(rseq, area, 32, 1, 0x53053053), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wait_wake, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wake_after_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bitsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requeue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clone_binary, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_arch_prctl, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_small_calls, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
