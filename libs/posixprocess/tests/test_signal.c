/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixprocess signals on the real uksched core and ukschedcoop (host
 * allocator, fake clock): thread- and process-directed signals, waits that
 * signals end, sigsuspend, sigtimedwait, restarts, native handlers on an
 * alternate stack, and the binary path's signal frame and rt_sigreturn
 * with a made-up `syscall` frame. Threads never call cmocka asserts (a
 * failure would longjmp across stacks): they count errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/arch/regs.h>
#include <uk/arch/syscall.h>
#include <uk/fdtab.h>
#include <uk/plat/bootinfo.h>
#include <uk/process.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>
#include <uk/sched_testing.h>

#include <uk/plat_doubles.h>

/* posixprocess's restorer for handlers without SA_RESTORER */
void uk_process_sigreturn_tramp(void);

static struct uk_schedcoop coop;
static int errors;
static jmp_buf exit_jmp;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

#define B(s)	      (1ULL << ((s)-1))
#define SA_SIGINFO    0x4UL
#define SA_RESTORER   0x04000000UL
#define SA_ONSTACK    0x08000000UL
#define SA_RESTART    0x10000000UL
#define SA_NODEFER    0x40000000UL
#define SA_RESETHAND  0x80000000UL
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)

struct sa {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};
struct stk {
	void *sp;
	int flags;
	size_t size;
};
struct ts {
	int64_t s, ns;
};

/* ---- doubles ---- */

uint64_t ukplat_monotonic_clock(void)
{
	return fake_ns;
}
uint64_t ukplat_wall_clock(void)
{
	return 0;
}
unsigned long ukplat_lcpu_save_irqf(void)
{
	return 0;
}
void ukplat_lcpu_restore_irqf(unsigned long f)
{
	(void)f;
}

/* The platform timer: records the armed deadline; tests "fire" it. */
static void (*timer_fn)(uint64_t, void *);
static uint64_t timer_armed;
static int timer_enodev; /* a platform without a timer interrupt */
void ukplat_timer_set_handler(void (*fn)(uint64_t, void *), void *arg)
{
	(void)arg;
	timer_fn = fn;
}
int ukplat_timer_arm(uint64_t deadline)
{
	if (timer_enodev)
		return -ENODEV;
	timer_armed = deadline;
	return 0;
}
static void (*return_hook)(struct ukarch_regs *, void *);
int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *, void *))
{
	return_hook = fn;
	return 0;
}
/* CLOCK_REALTIME: 1000 s ahead of the monotonic clock */
#define WALL_OFFSET (1000 * 1000000000ULL)
long uk_syscall_r_clock_gettime(long clk, long ts, long a2, long a3, long a4,
				long a5)
{
	uint64_t t = fake_ns + (clk == 0 ? WALL_OFFSET : 0);

	(void)a2, (void)a3, (void)a4, (void)a5;
	((int64_t *)ts)[0] = (int64_t)(t / 1000000000ULL);
	((int64_t *)ts)[1] = (int64_t)(t % 1000000000ULL);
	return 0;
}

static struct ukplat_bootinfo bi;
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

/* The binary path: a made-up entry frame with its FPU area below it. */
static struct {
	uint8_t fpu[512];
	struct ukarch_syscall_frame f;
} __attribute__((aligned(64))) bin;
static struct ukarch_syscall_frame *frame_now;
struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	return frame_now;
}

#define SC(name, ...)                                              \
	({                                                         \
		long r_;                                           \
		do {                                               \
			r_ = uk_syscall_call(name, ##__VA_ARGS__); \
			if (uk_syscall_exit_work)                  \
				r_ = uk_syscall_exit_native(r_);   \
		} while (r_ == -UK_ERESTARTSYS);                   \
		r_;                                                \
	})

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	frame_now = NULL;
	plat_out_reset();
	if (uk_schedcoop_init(&coop, &cfg))
		return -1;
	uk_process_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uk_process_reset();
	return errors;
}

/* ---- handlers ---- */

static int got[65], got_tid[65], got_code[65];
static uint64_t got_mask[65];

static void handler(int sig, void *info, void *uc)
{
	(void)uc;
	got[sig]++;
	got_tid[sig] = (int)uk_syscall_call(gettid);
	got_code[sig] = info ? ((int32_t *)info)[2] : 99;
	uk_syscall_call(rt_sigprocmask, 0, NULL, &got_mask[sig], 8);
}

static void set_handler(int sig, unsigned long flags, uint64_t mask)
{
	struct sa a = {(uintptr_t)handler, flags | SA_SIGINFO, 0, mask};

	assert_int_equal(uk_syscall_call(rt_sigaction, sig, &a, NULL, 8), 0);
}

/* ---- thread- and process-directed signals, waits ---- */

static long pause_rc[4];

static void pauser(void *arg)
{
	int i = (int)(intptr_t)arg;

	pause_rc[i] = SC(pause);
}

static void test_thread_directed(void **state)
{
	struct uk_thread *a, *b;
	static char sa[65536], sb[65536];

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(10, 0, 0);
	/* clone()d threads (the kind signals go to) */
	a = uk_thread_create_on_stack(NULL, "a", pauser, (void *)0, sa,
				      sizeof(sa), NULL);
	b = uk_thread_create_on_stack(NULL, "b", pauser, (void *)1, sb,
				      sizeof(sb), NULL);
	uk_sched_yield(); /* both pause */
	assert_int_equal(a->state, UK_THREAD_BLOCKED);
	assert_int_equal(SC(tkill, b->tid, 10), 0);
	assert_int_equal(SC(tgkill, 1, b->tid, 10), 0); /* one instance */
	assert_int_equal(b->state, UK_THREAD_RUNNABLE);
	assert_int_equal(a->state, UK_THREAD_BLOCKED);
	assert_int_equal(got[10], 0); /* not the sender's handler */
	uk_sched_yield();
	assert_int_equal(got[10], 1);
	assert_int_equal(got_tid[10], b->tid);
	assert_int_equal(got_code[10], -6); /* SI_TKILL */
	assert_int_equal(pause_rc[1], -EINTR);
	assert_int_equal(SC(tgkill, 2, a->tid, 10), -ESRCH);
	assert_int_equal(SC(tkill, a->tid, 10), 0);
	uk_sched_yield();
	assert_int_equal(got[10], 2);
	assert_int_equal(got_tid[10], a->tid);
	assert_int_equal(pause_rc[0], -EINTR);
	assert_int_equal(SC(tkill, 12345, 10), -ESRCH);
	assert_false(uk_syscall_exit_work);
}

static void test_process_directed(void **state)
{
	struct uk_thread *a, *k;
	static char sa[65536];
	uint64_t set = B(10);

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(10, 0, 0);
	/* a kernel thread blocks everything; main blocks it; a takes it */
	k = uk_thread_create(NULL, "k", pauser, (void *)2, 0);
	a = uk_thread_create_on_stack(NULL, "a", pauser, (void *)0, sa,
				      sizeof(sa), NULL);
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	uk_sched_yield();
	pause_rc[0] = 1;
	assert_int_equal(SC(kill, 1, 10), 0);
	assert_int_equal(a->state, UK_THREAD_RUNNABLE);
	assert_int_equal(k->state, UK_THREAD_BLOCKED);
	uk_sched_yield();
	assert_int_equal(got[10], 1);
	assert_int_equal(got_tid[10], a->tid);
	assert_int_equal(got_code[10], 0); /* SI_USER */
	assert_int_equal(pause_rc[0], -EINTR);
	/* the mask in the handler: the signal itself added */
	assert_int_equal(got_mask[10], B(10));
	/* nobody takes it: pending for the process until main unblocks */
	uk_sched_yield(); /* a has exited */
	assert_int_equal(SC(kill, 1, 10), 0);
	uint64_t p;
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, B(10));
	assert_int_equal(got[10], 1);
	SC(rt_sigprocmask, 1, &set, NULL, 8);
	assert_int_equal(got[10], 2);
	assert_int_equal(got_tid[10], 1);
	/* let the kernel thread go */
	uk_thread_intr_clear(k);
	assert_int_equal(k->sig_blocked, ~0ULL);
	k->sig_blocked = 0;
	assert_int_equal(SC(tkill, k->tid, 10), 0);
	uk_sched_yield();
	assert_int_equal(pause_rc[2], -EINTR);
}

static long sus_rc;
static uint64_t sus_after;

static void suspender(void *arg)
{
	uint64_t none = 0, set = B(10) | B(12);

	(void)arg;
	SC(rt_sigprocmask, 2, &set, NULL, 8);
	sus_rc = SC(rt_sigsuspend, &none, 8);
	SC(rt_sigprocmask, 0, NULL, &sus_after, 8);
}

static void test_sigsuspend(void **state)
{
	struct uk_thread *a;
	static char sa[65536];

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(10, 0, B(14));
	a = uk_thread_create_on_stack(NULL, "a", suspender, NULL, sa,
				      sizeof(sa), NULL);
	uk_sched_yield();
	assert_int_equal(a->state, UK_THREAD_BLOCKED);
	/* an ignored signal does not end it */
	struct sa ign = {1, 0, 0, 0};
	SC(rt_sigaction, 15, &ign, NULL, 8);
	SC(tkill, a->tid, 15);
	assert_int_equal(a->state, UK_THREAD_BLOCKED);
	SC(tkill, a->tid, 10);
	uk_sched_yield();
	assert_int_equal(sus_rc, -EINTR);
	assert_int_equal(got[10], 1);
	/* in the handler: the sigsuspend mask + the action's + the signal */
	assert_int_equal(got_mask[10], B(10) | B(14));
	/* afterwards: the mask from before sigsuspend */
	assert_int_equal(sus_after, B(10) | B(12));
}

static long tw_rc[2];
static int32_t tw_info[2][32];

static void timedwaiter(void *arg)
{
	int i = (int)(intptr_t)arg;
	uint64_t set = i ? B(12) : B(12) | B(40);
	struct ts t = {0, 5000000};

	SC(rt_sigprocmask, 0, &set, NULL, 8);
	tw_rc[i] = SC(rt_sigtimedwait, &set, tw_info[i], i ? &t : NULL, 8);
}

static void test_sigtimedwait(void **state)
{
	struct uk_thread *a, *b;
	static char sa[65536], sb[65536];
	int32_t q[32] = {0};

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(12, 0, 0);
	a = uk_thread_create_on_stack(NULL, "a", timedwaiter, (void *)0, sa,
				      sizeof(sa), NULL);
	b = uk_thread_create_on_stack(NULL, "b", timedwaiter, (void *)1, sb,
				      sizeof(sb), NULL);
	uk_sched_yield();
	/* a process-directed queued signal goes to a waiter, not to the
	 * handler; b times out */
	q[2] = -1;
	q[6] = 4242;
	assert_int_equal(SC(rt_sigqueueinfo, 1, 40, q), 0);
	assert_int_equal(a->state, UK_THREAD_RUNNABLE);
	uk_sched_sleep_ns(10000000);
	assert_int_equal(tw_rc[0], 40);
	assert_int_equal(tw_info[0][0], 40);
	assert_int_equal(tw_info[0][2], -1);
	assert_int_equal(tw_info[0][6], 4242);
	assert_int_equal(tw_rc[1], -EAGAIN);
	assert_int_equal(got[12], 0);
	(void)b;
	/* a handled signal outside the set ends the wait with EINTR */
	a = uk_thread_create_on_stack(NULL, "a", timedwaiter, (void *)0, sa,
				      sizeof(sa), NULL);
	uk_sched_yield();
	set_handler(14, 0, 0);
	SC(tkill, a->tid, 14);
	uk_sched_yield();
	assert_int_equal(tw_rc[0], -EINTR);
	assert_int_equal(got[14], 1);
}

/* ---- restarts ---- */

static void test_restart(void **state)
{
	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(10, SA_RESTART, 0);
	set_handler(12, 0, 0);
	/* an interrupted call whose handler has SA_RESTART is made again */
	uk_process_raise(10);
	assert_int_equal(uk_syscall_exit_native(-UK_ERESTARTSYS),
			 -UK_ERESTARTSYS);
	assert_int_equal(got[10], 1);
	/* without it: EINTR */
	uk_process_raise(12);
	assert_int_equal(uk_syscall_exit_native(-UK_ERESTARTSYS), -EINTR);
	assert_int_equal(got[12], 1);
	/* both pending: the first handler decides (10, SA_RESTART), as on
	 * Linux, where the call is rewound before the second is set up */
	uint64_t set = B(10) | B(12);
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	uk_process_raise(10);
	uk_process_raise(12);
	uk_syscall_call(rt_sigprocmask, 1, &set, NULL, 8);
	assert_int_equal(uk_syscall_exit_native(-UK_ERESTARTSYS),
			 -UK_ERESTARTSYS);
	assert_int_equal(got[10], 2);
	assert_int_equal(got[12], 2);
	/* a plain result passes through */
	uk_process_raise(10);
	assert_int_equal(uk_syscall_exit_native(7), 7);
	assert_false(uk_syscall_exit_work);
}

/* ---- native handlers on the alternate stack ---- */

static char altmem[65536] __attribute__((aligned(16)));
static uintptr_t handler_sp;
static int nested_alt_flags;

static void alt_handler(int sig)
{
	struct stk o;

	got[sig]++;
	handler_sp = (uintptr_t)__builtin_frame_address(0);
	uk_syscall_call(sigaltstack, NULL, &o);
	nested_alt_flags = o.flags;
}

static void test_native_altstack(void **state)
{
	struct stk s = {altmem, 0, sizeof(altmem)}, o;
	struct sa a = {(uintptr_t)alt_handler, SA_ONSTACK, 0, 0};

	(void)state;
	memset(got, 0, sizeof(got));
	assert_int_equal(SC(sigaltstack, &s, NULL), 0);
	assert_int_equal(SC(rt_sigaction, 10, &a, NULL, 8), 0);
	assert_int_equal(SC(kill, 1, 10), 0);
	assert_int_equal(got[10], 1);
	assert_true(handler_sp > (uintptr_t)altmem &&
		    handler_sp < (uintptr_t)altmem + sizeof(altmem));
	assert_int_equal(nested_alt_flags, SS_ONSTACK);
	/* auto-disarmed while the handler runs, back afterwards */
	s.flags = (int)SS_AUTODISARM;
	assert_int_equal(SC(sigaltstack, &s, NULL), 0);
	assert_int_equal(SC(kill, 1, 10), 0);
	assert_int_equal(got[10], 2);
	assert_int_equal(nested_alt_flags, SS_DISABLE);
	assert_int_equal(SC(sigaltstack, NULL, &o), 0);
	assert_ptr_equal(o.sp, altmem);
	assert_int_equal(o.flags, (int)SS_AUTODISARM);
}

/* ---- the binary path ---- */

static uint8_t ustack[16384] __attribute__((aligned(16)));

static void bin_frame_init(void)
{
	struct ukarch_syscall_frame *f = &bin.f;

	memset(&bin, 0, sizeof(bin));
	for (unsigned i = 0; i < sizeof(*f) / 8; i++)
		((unsigned long *)f)[i] = 0x1000 + i;
	f->rax = 39; /* the call: getpid */
	f->rip = 0x401234;
	f->rflags = 0x246 | 0x400; /* DF set: the handler gets it clear */
	f->rsp = (uintptr_t)ustack + sizeof(ustack) - 256;
	memset(bin.fpu, 0xab, sizeof(bin.fpu));
	memset(bin.fpu + 24, 0, 8); /* MXCSR */
	bin.fpu[24] = 0x80, bin.fpu[25] = 0x1f;
	memset(ustack, 0x5a, sizeof(ustack));
	frame_now = f;
}

struct k_uc {
	uint64_t flags, link;
	struct stk stack;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate, rsv[8];
	uint64_t sigmask;
};

static void test_binary_frame(void **state)
{
	struct ukarch_syscall_frame *f = &bin.f, saved;
	struct sa a = {0x7000, SA_SIGINFO | SA_RESTORER, 0xdead0, B(14)};
	uint64_t set = B(12), m;

	(void)state;
	bin_frame_init();
	saved = *f;
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	assert_int_equal(SC(rt_sigaction, 10, &a, NULL, 8), 0);
	uk_process_raise(10);
	assert_true(uk_syscall_exit_work);
	/* the way out of a call that returned 42 */
	assert_int_equal(uk_syscall_exit_binary(f, 42), 0);
	uintptr_t sp = f->rsp;
	assert_int_equal((sp + 8) % 16, 0);		/* as after a call */
	assert_true(sp + 128 <= saved.rsp - 128 + 128); /* below red zone */
	for (int i = 1; i <= 128; i++)			/* red zone intact */
		assert_int_equal(((uint8_t *)saved.rsp)[-i], 0x5a);
	assert_int_equal(*(uint64_t *)sp, 0xdead0); /* returns to restorer */
	assert_int_equal(f->rip, 0x7000);
	assert_int_equal(f->rdi, 10);
	struct k_uc *uc = (struct k_uc *)f->rdx;
	int32_t *info = (int32_t *)f->rsi;
	assert_int_equal((uintptr_t)uc, sp + 8);
	assert_int_equal(info[0], 10);
	assert_int_equal(info[4], 1); /* si_pid */
	assert_int_equal(uc->rax, 42);
	assert_int_equal(uc->rip, 0x401234);
	assert_int_equal(uc->rsp, saved.rsp);
	assert_int_equal(uc->rbx, saved.rbx);
	assert_int_equal(uc->r15, saved.r15);
	assert_int_equal(uc->eflags, saved.rflags);
	assert_int_equal(uc->sigmask, B(12));
	assert_int_equal(uc->oldmask, B(12));
	assert_int_equal(uc->stack.flags, SS_DISABLE);
	assert_int_equal(uc->fpstate % 16, 0);
	assert_true(uc->fpstate > sp && uc->fpstate + 512 <= saved.rsp - 128);
	assert_int_equal(((uint8_t *)uc->fpstate)[100], 0xab);
	assert_int_equal(f->rflags & 0x400, 0); /* DF clear */
	/* in the handler: action mask + the signal + what was blocked */
	SC(rt_sigprocmask, 0, NULL, &m, 8);
	assert_int_equal(m, B(10) | B(12) | B(14));

	/* the handler returns: `ret` popped the restorer address, which runs
	 * rt_sigreturn with rsp at the ucontext */
	uc->rbx = 0xbbbb; /* a handler may change the context */
	uc->sigmask = B(12) | B(3);
	((uint8_t *)uc->fpstate)[100] = 0xcd;
	memset(bin.fpu, 0, sizeof(bin.fpu));
	f->rsp = sp + 8;
	f->rax = 15;
	long r = uk_syscall_call(rt_sigreturn);
	assert_int_equal(r, 42);
	assert_int_equal(f->rip, saved.rip);
	assert_int_equal(f->rsp, saved.rsp);
	assert_int_equal(f->rbx, 0xbbbb);
	assert_int_equal(f->rcx, saved.rcx);
	assert_int_equal(f->r11, saved.r11);
	assert_int_equal(bin.fpu[100], 0xcd);
	assert_int_equal(bin.fpu[24], 0x80); /* MXCSR kept valid */
	assert_true(uk_syscall_exit_work);   /* the full way out */
	uk_syscall_call(rt_sigprocmask, 0, NULL, &m, 8);
	assert_int_equal(m, B(12) | B(3));
	assert_int_equal(uk_syscall_exit_binary(f, r), 42);
	assert_int_equal(f->rip, saved.rip);
	assert_false(uk_syscall_exit_work);
}

static void test_binary_restart_altstack(void **state)
{
	struct ukarch_syscall_frame *f = &bin.f;
	struct sa a = {0x7000, SA_RESTART | SA_ONSTACK, 0, 0};
	static uint8_t alt[8192] __attribute__((aligned(16)));
	struct stk s = {alt, 0, sizeof(alt)};

	(void)state;
	bin_frame_init();
	assert_int_equal(SC(sigaltstack, &s, NULL), 0);
	assert_int_equal(SC(rt_sigaction, 10, &a, NULL, 8), 0);
	uk_process_raise(10);
	assert_int_equal(uk_syscall_exit_binary(f, -UK_ERESTARTSYS), 0);
	struct k_uc *uc = (struct k_uc *)f->rdx;
	/* on the alternate stack; the restorer is ours (no SA_RESTORER) */
	assert_true(f->rsp > (uintptr_t)alt &&
		    f->rsp < (uintptr_t)alt + sizeof(alt));
	assert_int_equal(*(uint64_t *)f->rsp,
			 (uintptr_t)uk_process_sigreturn_tramp);
	assert_int_equal(uc->stack.flags, 0);
	/* SA_RESTART: the context goes back to the `syscall` with rax = the
	 * call number */
	assert_int_equal(uc->rip, 0x401234 - 2);
	assert_int_equal(uc->rax, 39);
	/* sigaltstack from inside the handler: on it, not changeable */
	assert_int_equal(SC(sigaltstack, &s, NULL), -EPERM);
	struct stk o;
	assert_int_equal(SC(sigaltstack, NULL, &o), 0);
	assert_int_equal(o.flags, SS_ONSTACK);

	/* no handler wants it: a restartable call is made again */
	bin_frame_init();
	assert_int_equal(uk_syscall_exit_binary(f, -UK_ERESTARTSYS), 39);
	assert_int_equal(f->rip, 0x401234 - 2);

	/* a handler already on the alternate stack near its bottom: the next
	 * frame would not fit, which kills with SIGSEGV */
	bin_frame_init();
	f->rsp = (uintptr_t)alt + 700;
	uint64_t none = 0; /* (the first handler never returned) */
	uk_syscall_call(rt_sigprocmask, 2, &none, NULL, 8);
	uk_process_raise(10);
	plat_exit_status = -1;
	if (!setjmp(exit_jmp))
		uk_syscall_exit_binary(f, 0);
	assert_int_equal(plat_exit_status, 139);
	assert_non_null(plat_out_find("SIGSEGV"));
}

static void test_irq_return(void **state)
{
	struct ukarch_regs r;
	struct sa a = {0x7100, SA_SIGINFO, 0, 0};

	(void)state;
	memset(&r, 0, sizeof(r));
	r.rip = 0x401000;
	r.rsp = (uintptr_t)ustack + sizeof(ustack) - 64;
	r.rcx = 0xc1c1;
	r.r11 = 0x1111;
	memset(bin.fpu, 0, sizeof(bin.fpu));
	bin.fpu[24] = 0x80, bin.fpu[25] = 0x1f;
	/* nothing pending: nothing changes */
	uk_process_irq_return(&r, bin.fpu);
	assert_int_equal(r.rip, 0x401000);
	SC(rt_sigaction, 14, &a, NULL, 8);
	uk_process_raise(14);
	uk_process_irq_return(&r, bin.fpu);
	assert_int_equal(r.rip, 0x7100);
	assert_int_equal(r.rdi, 14);
	struct k_uc *uc = (struct k_uc *)r.rdx;
	/* every register of the interrupted program is in the frame */
	assert_int_equal(uc->rip, 0x401000);
	assert_int_equal(uc->rcx, 0xc1c1);
	assert_int_equal(uc->r11, 0x1111);
}

static void test_fatal_in_thread(void **state)
{
	(void)state;
	/* SIGKILL cannot be caught; exit status 128 + 9 */
	plat_exit_status = -1;
	if (!setjmp(exit_jmp))
		SC(kill, 1, 9);
	assert_int_equal(plat_exit_status, 137);
	/* a core-dump signal with a context says where */
	struct ukarch_syscall_frame *f = &bin.f;
	bin_frame_init();
	uk_process_reset();
	uk_process_raise(11);
	if (!setjmp(exit_jmp))
		uk_syscall_exit_binary(f, 0);
	assert_int_equal(plat_exit_status, 139);
	assert_non_null(plat_out_find("rip 0x401234"));
}

/* ---- timers ---- */

struct its {
	struct ts interval, value;
};
struct sev {
	uint64_t value;
	int32_t signo, notify, tid, pad[11];
};
#define MS 1000000ULL

static void test_itimer_alarm(void **state)
{
	struct {
		int64_t is, ius, vs, vus;
	} it = {0, 0, 0, 500000}, old;

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(14, 0, 0);
	/* alarm: the previous one's seconds, rounded */
	assert_int_equal(SC(alarm, 5), 0);
	fake_ns += 2300 * MS;
	assert_int_equal(SC(alarm, 0), 3); /* 2.7 s rounded */
	assert_int_equal(SC(getitimer, 0, &old), 0);
	assert_int_equal(old.vs + old.vus, 0);
	/* setitimer: 0.5 s; main sleeps 1 s: the timer thread sends SIGALRM
	 * and the sleep ends early with EINTR */
	assert_int_equal(SC(setitimer, 0, &it, NULL), 0);
	assert_int_equal(timer_armed, fake_ns + 500 * MS);
	uint64_t t0 = fake_ns;
	struct ts one = {1, 0};
	(void)one;
	assert_int_equal(SC(pause), -EINTR);
	assert_int_equal(fake_ns - t0, 500 * MS);
	assert_int_equal(got[14], 1);
	assert_int_equal(got_code[14], 0x80); /* SI_KERNEL */
	assert_int_equal(SC(getitimer, 0, &old), 0);
	assert_int_equal(old.vs + old.vus, 0); /* one-shot: disarmed */
	/* periodic, 10 ms: three pauses, three signals */
	it.ius = 10000;
	it.vus = 10000;
	assert_int_equal(SC(setitimer, 0, &it, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(SC(pause), -EINTR);
	assert_int_equal(got[14], 4);
	assert_int_equal(SC(getitimer, 0, &old), 0);
	assert_int_equal(old.ius, 10000);
	assert_true(old.vus > 0 && old.vus <= 10000);
	it.vus = 0;
	assert_int_equal(SC(setitimer, 0, &it, NULL), 0);
	assert_int_equal(timer_armed, 0);
	it.vus = 1000000;
	assert_int_equal(SC(setitimer, 0, &it, NULL), -EINVAL);
	assert_int_equal(SC(setitimer, 3, &it, NULL), -EINVAL);
	assert_int_equal(SC(getitimer, 0, NULL), -EFAULT);
	/* VIRTUAL and PROF run on the same clock, with their signals */
	set_handler(26, 0, 0);
	it.vus = 1000;
	it.ius = 0;
	assert_int_equal(SC(setitimer, 1, &it, NULL), 0);
	assert_int_equal(SC(pause), -EINTR);
	assert_int_equal(got[26], 1);
	uk_sched_yield(); /* the timer thread ends: nothing armed */
}

static void test_posix_timers(void **state)
{
	struct sev ev = {77, 40, 0, 0, {0}};
	struct its v = {{0, 0}, {0, 5 * MS}}, cur;
	int id, id2, id3;
	int32_t info[32];
	uint64_t set = B(40);

	(void)state;
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	assert_int_equal(SC(timer_create, 1, &ev, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(SC(timer_create, 1, NULL, &id2), 0);
	assert_int_equal(id2, 1);
	assert_int_equal(SC(timer_create, 4, &ev, &id3), -EINVAL);
	assert_int_equal(SC(timer_create, 99, &ev, &id3), -EINVAL);
	ev.notify = 2; /* SIGEV_THREAD is the libc's */
	assert_int_equal(SC(timer_create, 1, &ev, &id3), -EINVAL);
	ev.notify = 4; /* SIGEV_THREAD_ID: a thread of ours */
	ev.tid = 12345;
	assert_int_equal(SC(timer_create, 1, &ev, &id3), -EINVAL);
	ev.tid = (int)SC(gettid);
	assert_int_equal(SC(timer_create, 1, &ev, &id3), 0);
	ev.notify = 0;
	ev.signo = 65;
	assert_int_equal(SC(timer_create, 1, &ev, &id3), -EINVAL);

	/* 5 ms one-shot, waited for with sigtimedwait */
	assert_int_equal(SC(timer_settime, id, 0, &v, NULL), 0);
	assert_int_equal(SC(timer_gettime, id, &cur), 0);
	assert_int_equal(cur.value.ns, 5 * MS);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, NULL, 8), 40);
	assert_int_equal(info[2], -2); /* SI_TIMER */
	assert_int_equal(info[4], id); /* si_timerid */
	assert_int_equal(info[5], 0);  /* si_overrun */
	assert_int_equal(info[6], 77); /* si_value */
	assert_int_equal(SC(timer_gettime, id, &cur), 0);
	assert_int_equal(cur.value.ns + cur.value.s, 0);

	/* periodic 1 ms, not collected for 10 ms: one signal, 9 overruns */
	v.interval.ns = 1 * MS;
	v.value.ns = 1 * MS;
	assert_int_equal(SC(timer_settime, id, 0, &v, NULL), 0);
	uk_sched_sleep_ns(10 * MS + MS / 2);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, NULL, 8), 40);
	assert_int_equal(info[5], 9);
	assert_int_equal(SC(timer_getoverrun, id), 9);
	v.value.ns = 0;
	assert_int_equal(SC(timer_settime, id, 0, &v, &cur), 0);
	assert_int_equal(cur.interval.ns, 1 * MS);

	/* absolute CLOCK_REALTIME: converted with the realtime clock */
	int rt;
	ev.notify = 0;
	ev.signo = 40;
	assert_int_equal(SC(timer_create, 0, &ev, &rt), 0);
	uint64_t when = fake_ns + WALL_OFFSET + 3 * MS;
	v = (struct its){{0, 0},
			 {(int64_t)(when / 1000000000ULL),
			  (int64_t)(when % 1000000000ULL)}};
	assert_int_equal(SC(timer_settime, rt, 1, &v, NULL), 0);
	assert_int_equal(timer_armed, fake_ns + 3 * MS);
	/* fired by the interrupt: the flag is set, the way out does the rest
	 */
	fake_ns += 3 * MS;
	timer_fn(timer_armed, NULL);
	assert_true(uk_syscall_exit_work);
	uint64_t p;
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, 0); /* the call came before its way out */
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, B(40));
	/* a time in the past expires at once: the first signal is still
	 * pending, so this is an overrun */
	v.value.s = 1;
	assert_int_equal(SC(timer_settime, rt, 1, &v, NULL), 0);
	struct ts zero = {0, 0};
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), 40);
	assert_int_equal(info[5], 1);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), -EAGAIN);
	assert_int_equal(SC(timer_settime, rt, 1, &v, NULL), 0);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), 40);
	assert_int_equal(info[5], 0);

	v.value.ns = -1;
	assert_int_equal(SC(timer_settime, id, 0, &v, NULL), -EINVAL);
	assert_int_equal(SC(timer_settime, 99, 0, &v, NULL), -EINVAL);
	assert_int_equal(SC(timer_delete, id), 0);
	assert_int_equal(SC(timer_delete, id), -EINVAL);
	assert_int_equal(SC(timer_gettime, id, &cur), -EINVAL);
	assert_int_equal(SC(timer_getoverrun, id), -EINVAL);
	assert_int_equal(SC(timer_delete, id2), 0);
	assert_int_equal(SC(timer_delete, id3), 0);
	assert_int_equal(SC(timer_delete, rt), 0);
	uk_sched_yield();
}

/* A loaded program in a busy loop: the timer interrupt's return to it
 * delivers (no system call, no scheduler). */
static void test_timer_interrupts_program(void **state)
{
	struct ukarch_regs r;
	struct sa a = {0x7200, SA_SIGINFO, 0, 0};
	struct {
		int64_t is, ius, vs, vus;
	} it = {0, 0, 0, 1000};

	(void)state;
	SC(rt_sigaction, 14, &a, NULL, 8);
	assert_int_equal(SC(setitimer, 0, &it, NULL), 0);
	assert_non_null(return_hook);
	memset(&r, 0, sizeof(r));
	r.rip = 0x401000;
	r.rsp = (uintptr_t)ustack + sizeof(ustack) - 64;
	memset(bin.fpu, 0, sizeof(bin.fpu));
	fake_ns += MS;
	timer_fn(timer_armed, NULL);
	return_hook(&r, bin.fpu);
	assert_int_equal(r.rip, 0x7200);
	assert_int_equal(r.rdi, 14);
	uk_sched_yield();
}

/* Without a timer interrupt (linuxu), the way out of calls watches the
 * clock while a timer is armed. */
static void test_timer_no_irq(void **state)
{
	struct {
		int64_t is, ius, vs, vus;
	} it = {0, 0, 0, 2000};

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(14, 0, 0);
	timer_enodev = 1;
	assert_int_equal(SC(setitimer, 0, &it, NULL), 0);
	assert_true(uk_syscall_exit_work); /* the clock is looked at */
	fake_ns += MS;
	assert_int_equal(SC(getpid), 1);
	assert_int_equal(got[14], 0);
	fake_ns += MS;
	assert_int_equal(SC(getpid), 1);
	assert_int_equal(got[14], 1);
	assert_false(uk_syscall_exit_work);
	timer_enodev = 0;
	uk_sched_yield();
}

/* ---- signalfd ---- */

struct sfdi {
	uint32_t signo;
	int32_t err, code;
	uint32_t pid, uid;
	int32_t fd;
	uint32_t tid, band, overrun, trapno;
	int32_t status, intval;
	uint64_t ptr, utime, stime, addr;
	uint8_t rest[48];
};

static long sfd_rc;
static struct sfdi sfd_got;

static void sfd_reader(void *arg)
{
	sfd_rc = SC(read, (int)(intptr_t)arg, &sfd_got, sizeof(sfd_got));
}

static void test_signalfd(void **state)
{
	uint64_t set = B(10) | B(12) | B(9);
	struct sfdi buf[4];
	int fd;
	struct uk_thread *t;
	static char st[65536];

	(void)state;
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	fd = (int)SC(signalfd4, -1, &set, 8, 04000 | 02000000);
	assert_true(fd >= 0);
	assert_int_equal(SC(fcntl, fd, 1, 0), 1); /* FD_CLOEXEC */
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), -EAGAIN);
	assert_int_equal(SC(read, fd, buf, 10), -EINVAL);
	SC(kill, 1, 10);
	SC(kill, 1, 12);
	/* two records in one read, lowest first */
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 2 * 128);
	assert_int_equal(buf[0].signo, 10);
	assert_int_equal(buf[0].pid, 1);
	assert_int_equal(buf[1].signo, 12);
	uint64_t p;
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, 0); /* taken */
	/* a sigqueue value */
	int32_t q[32] = {0};
	q[2] = -1;
	q[6] = 31337;
	SC(rt_sigqueueinfo, 1, 12, q);
	assert_int_equal(SC(read, fd, buf, 128), 128);
	assert_int_equal(buf[0].code, -1);
	assert_int_equal(buf[0].intval, 31337);
	/* the mask can change; other kinds of descriptors are refused */
	uint64_t only12 = B(12);
	assert_int_equal(SC(signalfd, fd, &only12, 8), fd);
	static const struct uk_file_ops none;
	struct uk_file *other = uk_file_create(&none, NULL, 0);
	int ofd = uk_fdtab_alloc(other, 0);
	assert_int_equal(SC(signalfd, ofd, &only12, 8), -EINVAL);
	SC(close, ofd);
	assert_int_equal(SC(signalfd, 999, &only12, 8), -EBADF);
	assert_int_equal(SC(signalfd4, -1, &only12, 4, 0), -EINVAL);
	assert_int_equal(SC(signalfd4, -1, &only12, 8, 1), -EINVAL);
	SC(close, fd);

	/* blocking: a reader thread waits until a signal comes */
	fd = (int)SC(signalfd4, -1, &set, 8, 0);
	t = uk_thread_create_on_stack(NULL, "r", sfd_reader,
				      (void *)(intptr_t)fd, st, sizeof(st),
				      NULL);
	uk_sched_yield();
	assert_int_equal(t->state, UK_THREAD_BLOCKED);
	SC(kill, 1, 12);
	uk_sched_yield();
	assert_int_equal(sfd_rc, 128);
	assert_int_equal(sfd_got.signo, 12);
	/* interrupted by a handled signal: EINTR (no SA_RESTART) */
	set_handler(14, 0, 0);
	t = uk_thread_create_on_stack(NULL, "r", sfd_reader,
				      (void *)(intptr_t)fd, st, sizeof(st),
				      NULL);
	uk_sched_yield();
	SC(tkill, t->tid, 14);
	uk_sched_yield();
	assert_int_equal(sfd_rc, -EINTR);
	SC(close, fd);
}

/* ---- processes ---- */

#define CLONE_VM    0x100
#define CLONE_FILES 0x400
#define CLONE_VFORK 0x4000

/* A child process: a thread made the first of a new process, as
 * posixfutex's clone does. `fn` runs in it. */
static char stacks[8][65536] __attribute__((aligned(16)));
static unsigned next_stack; /* round robin: few children live at once */

static void *a_stack(void)
{
	return stacks[next_stack++ % 8];
}

static struct uk_thread *spawn(void (*fn)(void *), void *arg,
			       unsigned long flags, int *pid)
{
	struct uk_thread *t = uk_thread_create_on_stack(NULL, "child", fn, arg,
							a_stack(), 65536, NULL);

	assert_non_null(t);
	*pid = uk_process_create(t, flags);
	uk_thread_detach(t);
	return t;
}

static void exiter(void *arg)
{
	uk_process_exit((int)(intptr_t)arg);
}

static int child_ppid, child_pid, child_fd_ok;

static void informer(void *arg)
{
	(void)arg;
	child_ppid = (int)SC(getppid);
	child_pid = (int)SC(getpid);
	uk_process_exit(0);
}

static void test_process_wait(void **state)
{
	struct uk_thread *t;
	int pid, pid2, st = 0;
	int32_t info[32];

	(void)state;
	memset(got, 0, sizeof(got));
	set_handler(17, 0, 0);
	assert_int_equal(SC(wait4, -1, &st, 0, NULL), -ECHILD);
	t = spawn(exiter, (void *)(intptr_t)7, CLONE_VM | 17, &pid);
	assert_int_equal(pid, t->tid);
	assert_int_equal(SC(wait4, pid, &st, 1 /* WNOHANG */, NULL), 0);
	assert_int_equal(SC(kill, pid, 0), 0);
	assert_int_equal(SC(wait4, pid, &st, 0, NULL), pid);
	assert_int_equal(st, 7 << 8);
	assert_int_equal(got[17], 1);	   /* SIGCHLD, on the way out */
	assert_int_equal(got_code[17], 1); /* CLD_EXITED */
	assert_int_equal(SC(wait4, pid, &st, 0, NULL), -ECHILD);
	assert_int_equal(SC(kill, pid, 0), -ESRCH); /* reaped */

	/* getppid/getpid in the child; waitid with WNOWAIT keeps it */
	spawn(informer, NULL, CLONE_VM | 17, &pid);
	memset(info, 0, sizeof(info));
	assert_int_equal(SC(waitid, 1, pid, info, 4 | 0x01000000, NULL), 0);
	assert_int_equal(info[0], 17);
	assert_int_equal(info[2], 1); /* CLD_EXITED */
	assert_int_equal(info[4], pid);
	assert_int_equal(SC(waitid, 0, 0, info, 4, NULL), 0); /* now reaped */
	assert_int_equal(child_ppid, 1);
	assert_int_equal(child_pid, pid);
	assert_int_equal(SC(waitid, 0, 0, info, 0, NULL), -EINVAL);
	assert_int_equal(SC(waitid, 9, 0, info, 4, NULL), -EINVAL);

	/* a child killed by a signal: the status says so */
	spawn(pauser, (void *)3, CLONE_VM | 17, &pid);
	uk_sched_yield();
	assert_int_equal(SC(kill, pid, 15), 0);
	assert_int_equal(SC(wait4, -1, &st, 0, NULL), pid);
	assert_int_equal(st, 15);
	/* process groups: a child can move to its own */
	spawn(pauser, (void *)3, CLONE_VM | 17, &pid2);
	assert_int_equal(SC(setpgid, pid2, 0), 0);
	assert_int_equal(SC(getpgid, pid2), pid2);
	assert_int_equal(SC(kill, -pid2, 9), 0);
	assert_int_equal(SC(wait4, -pid2, &st, 0, NULL), pid2);
	assert_int_equal(st, 9);
	/* fork: no copy of the address space */
	assert_int_equal(uk_process_create(uk_thread_current(), 17), -ENOSYS);
}

/* vfork: the parent waits until the child execs or exits; SIG_IGN'd
 * SIGCHLD: no zombie */
static int vfork_order[4], nvo;

static void vfork_child(void *arg)
{
	(void)arg;
	vfork_order[nvo++] = 1;
	uk_process_exit(3);
}

static void test_vfork_and_ignore(void **state)
{
	struct sa ign = {1, 0, 0, 0};
	int pid, st;

	(void)state;
	nvo = 0;
	spawn(vfork_child, NULL, CLONE_VM | CLONE_VFORK | 17, &pid);
	uk_process_vfork_wait(pid);
	vfork_order[nvo++] = 2;
	assert_int_equal(vfork_order[0], 1);
	assert_int_equal(vfork_order[1], 2);
	assert_int_equal(SC(wait4, pid, &st, 0, NULL), pid);
	SC(rt_sigaction, 17, &ign, NULL, 8);
	spawn(exiter, (void *)1, CLONE_VM | 17, &pid);
	uk_sched_yield();
	assert_int_equal(SC(wait4, -1, &st, 1, NULL), -ECHILD);
}

/* execve's bookkeeping: handlers reset (ignored ones stay), close-on-exec
 * descriptors closed in the exec-ing process only, other threads leave */
static int exec_rc;
static uint64_t exec_h10, exec_h15;
static int exec_fd_open, exec_cloexec_open;
static int fd_plain, fd_cloexec;

static void execer(void *arg)
{
	struct sa o;

	(void)arg;
	exec_rc = uk_process_exec("/bin/new-program", NULL);
	SC(rt_sigaction, 10, NULL, &o, 8);
	exec_h10 = o.handler;
	SC(rt_sigaction, 15, NULL, &o, 8);
	exec_h15 = o.handler;
	exec_fd_open = SC(fcntl, fd_plain, 1, 0) >= 0;
	exec_cloexec_open = SC(fcntl, fd_cloexec, 1, 0) >= 0;
	child_fd_ok = !strcmp(uk_process_comm(), "new-program");
	uk_process_exit(0);
}

static void test_exec_bookkeeping(void **state)
{
	static const struct uk_file_ops none;
	struct sa ign = {1, 0, 0, 0};
	int pid, st;

	(void)state;
	set_handler(10, 0, 0);
	SC(rt_sigaction, 15, &ign, NULL, 8);
	fd_plain = uk_fdtab_alloc(uk_file_create(&none, NULL, 0), 0);
	fd_cloexec =
		uk_fdtab_alloc(uk_file_create(&none, NULL, 0), UK_O_CLOEXEC);
	spawn(execer, NULL, CLONE_VM | CLONE_VFORK | 17, &pid);
	uk_process_vfork_wait(pid); /* returns at the exec */
	assert_int_equal(SC(wait4, pid, &st, 0, NULL), pid);
	assert_int_equal(exec_rc, 0);
	assert_int_equal(exec_h10, 0); /* SIG_DFL */
	assert_int_equal(exec_h15, 1); /* SIG_IGN stays */
	assert_true(exec_fd_open);
	assert_false(exec_cloexec_open);
	assert_true(child_fd_ok);
	/* ours are untouched */
	assert_true(SC(fcntl, fd_cloexec, 1, 0) >= 0);
	struct sa o;
	SC(rt_sigaction, 10, NULL, &o, 8);
	assert_true(o.handler == (uintptr_t)handler);
	SC(close, fd_plain);
	SC(close, fd_cloexec);
}

/* a process exiting with a second thread: that one leaves too */
static int second_left;

static void second(void *arg)
{
	(void)arg;
	SC(pause);
	second_left = -1; /* never: the process is gone */
}

static void two_threads(void *arg)
{
	(void)arg;
	uk_thread_create_on_stack(NULL, "second", second, NULL, a_stack(),
				  65536, NULL);
	uk_sched_yield(); /* second pauses */
	uk_process_exit(5);
}

static void test_exit_many_threads(void **state)
{
	int pid, st;

	(void)state;
	second_left = 0;
	spawn(two_threads, NULL, CLONE_VM | 17, &pid);
	assert_int_equal(SC(wait4, pid, &st, 0, NULL), pid);
	assert_int_equal(st, 5 << 8);
	assert_int_equal(second_left, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_thread_directed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_process_directed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigsuspend, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigtimedwait, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_native_altstack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_binary_frame, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_binary_restart_altstack,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq_return, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fatal_in_thread, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_itimer_alarm, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_posix_timers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timer_interrupts_program,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_no_irq, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_signalfd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_wait, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_vfork_and_ignore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exec_bookkeeping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_many_threads, setup,
						teardown),
	};
	plat_exit_jmp = &exit_jmp;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
