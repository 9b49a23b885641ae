/* Native tests of posixprocess. TEST_MINIMAL: no uksched, ukalloc or fdtab
 * symbols exist (the weak references stay 0). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/arch/syscall.h>
#include <uk/plat/bootinfo.h>
#include <uk/process.h>
#include <uk/syscall.h>

/* ---- doubles ---- */
/* uksyscall's exit-work flag and the binary frame (none: native path) */
volatile int uk_syscall_exit_work;
struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	return NULL;
}
/* A call and its way out, as a libc's wrapper makes it (signal handlers
 * run there, restarts are made). */
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

static char logbuf[4096];
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	(void)level;
	n = (size_t)snprintf(logbuf, sizeof(logbuf), "[%s] ", lib);
	va_start(ap, fmt);
	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
}

#include <uk/plat_doubles.h>
static jmp_buf exit_jmp; /* armed in main() */

static uint64_t mono = 3723456789012ULL; /* 1 h 2 min 3.456789012 s */
uint64_t ukplat_monotonic_clock(void)
{
	return mono;
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
/* the platform's timer and return hook (timers are test_signal's) */
void ukplat_timer_set_handler(void (*fn)(uint64_t, void *), void *arg)
{
	(void)fn, (void)arg;
}
int ukplat_timer_arm(uint64_t deadline)
{
	(void)deadline;
	return 0;
}
struct ukarch_regs;
int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *, void *))
{
	(void)fn;
	return 0;
}
long uk_syscall_r_clock_gettime(long a0, long a1, long a2, long a3, long a4,
				long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return -ENOSYS;
}

static struct ukplat_bootinfo bi = {
	.nr_memregions = 3,
	.memregions = {{0x100000, 0x200000, UKPLAT_MEMR_IMAGE},
		       {0x400000, 0x1000000, UKPLAT_MEMR_FREE},
		       {0x2000000, 0x3000000, UKPLAT_MEMR_FREE}},
};
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

/* fdtab's tables: one process here */
struct uk_fdtab;
struct uk_fdtab *uk_fdtab_clone(int share)
{
	(void)share;
	return NULL;
}
void uk_fdtab_switch(struct uk_fdtab *t)
{
	(void)t;
}
void uk_fdtab_release(struct uk_fdtab *t)
{
	(void)t;
}
struct uk_fdtab *uk_fdtab_current(void)
{
	return NULL;
}
void uk_fdtab_close_on_exec(void)
{
}

#ifndef TEST_MINIMAL
static struct uk_alloc fake_alloc;
struct uk_alloc *uk_alloc_get_default(void)
{
	return &fake_alloc;
}
size_t uk_alloc_availmem(const struct uk_alloc *a)
{
	(void)a;
	return 0x100000;
}
void uk_alloc_stats_get(const struct uk_alloc *a, struct uk_alloc_stats *o)
{
	(void)a;
	memset(o, 0, sizeof(*o));
	o->peak_bytes = 10240;
	o->cur_pages = 2;
}
static int cur_tid = 7, yields;
int uk_thread_tid(void)
{
	return cur_tid;
}
struct uk_thread *uk_thread_find(int tid)
{
	return tid == 1 || tid == 7 ? (struct uk_thread *)&cur_tid : NULL;
}
void uk_sched_yield(void)
{
	yields++;
}
static unsigned fd_limit = 1024;
int uk_fdtab_set_limit(unsigned limit)
{
	if (limit == 0 || limit > 65536)
		return -EINVAL;
	fd_limit = limit;
	return 0;
}
unsigned uk_fdtab_get_limit(void)
{
	return fd_limit;
}
/* ukboot: main() runs on a 3 MiB stack */
size_t uk_boot_main_stack_size(void);
size_t uk_boot_main_stack_size(void)
{
	return 3 << 20;
}
#endif

static int setup(void **state)
{
	(void)state;
	uk_process_reset();
	logbuf[0] = 0;
	return 0;
}

static void test_identity(void **state)
{
	(void)state;
	unsigned r = 9, e = 9, s = 9;

	assert_int_equal(uk_syscall_call(getpid), 1);
	assert_int_equal(uk_syscall_call(getppid), 0);
#ifdef TEST_MINIMAL
	assert_int_equal(uk_syscall_call(gettid), 1);
#else
	assert_int_equal(uk_syscall_call(gettid), 7);
#endif
	assert_int_equal(uk_syscall_call(getuid), 0);
	assert_int_equal(uk_syscall_call(geteuid), 0);
	assert_int_equal(uk_syscall_call(getgid), 0);
	assert_int_equal(uk_syscall_call(getegid), 0);
	assert_int_equal(uk_syscall_call(setuid, 0), 0);
	assert_int_equal(uk_syscall_call(setuid, 1000), -EPERM);
	assert_int_equal(uk_syscall_call(setgid, 0), 0);
	assert_int_equal(uk_syscall_call(setgid, 5), -EPERM);
	assert_int_equal(uk_syscall_call(setreuid, -1, 0), 0);
	assert_int_equal(uk_syscall_call(setreuid, 1, 0), -EPERM);
	assert_int_equal(uk_syscall_call(setregid, 0, -1), 0);
	assert_int_equal(uk_syscall_call(setresuid, 0, 0, -1), 0);
	assert_int_equal(uk_syscall_call(setresuid, 0, 0, 2), -EPERM);
	assert_int_equal(uk_syscall_call(setresgid, 3, 0, 0), -EPERM);
	assert_int_equal(uk_syscall_call(getresuid, &r, &e, &s), 0);
	assert_true(r == 0 && e == 0 && s == 0);
	assert_int_equal(uk_syscall_call(getresgid, &r, &e, NULL), -EFAULT);
	assert_int_equal(uk_syscall_call(setfsuid, 1000), 0);
	assert_int_equal(uk_syscall_call(getgroups, 0, NULL), 0);
	assert_int_equal(uk_syscall_call(getgroups, 10, &r), 0);
	assert_int_equal(uk_syscall_call(getgroups, -1, NULL), -EINVAL);
	unsigned g[2] = {0, 0};
	assert_int_equal(uk_syscall_call(setgroups, 2, g), 0);
	g[1] = 4;
	assert_int_equal(uk_syscall_call(setgroups, 2, g), -EPERM);
	assert_int_equal(uk_syscall_call(setgroups, 0, NULL), 0);
	assert_int_equal(uk_syscall_call(setgroups, -1, NULL), -EINVAL);
}

struct uts {
	char f[6][65];
};

static void test_groups(void **state)
{
	(void)state;
	assert_int_equal(uk_syscall_call(getpgid, 0), 1);
	assert_int_equal(uk_syscall_call(getpgid, 1), 1);
	assert_int_equal(uk_syscall_call(getpgid, 2), -ESRCH);
	assert_int_equal(uk_syscall_call(getpgrp), 1);
	assert_int_equal(uk_syscall_call(getsid, 0), 1);
	assert_int_equal(uk_syscall_call(getsid, 9), -ESRCH);
	/* pid 1 leads its session and group: it stays */
	assert_int_equal(uk_syscall_call(setsid), -EPERM);
	assert_int_equal(uk_syscall_call(setpgid, 0, 0), -EPERM);
	assert_int_equal(uk_syscall_call(setpgid, 5, 0), -ESRCH);
	assert_int_equal(uk_syscall_call(setpgid, 0, -1), -EINVAL);
	/* kill of our group, of every process, of a group nobody is in */
	assert_int_equal(uk_syscall_call(kill, -1, 0), 0);
	assert_int_equal(uk_syscall_call(kill, 0, 0), 0);
	assert_int_equal(uk_syscall_call(kill, -1 * 1, 0), 0);
	assert_int_equal(uk_syscall_call(kill, -7, 0), -ESRCH);
}

static void test_uname(void **state)
{
	(void)state;
	struct uts u;

	assert_int_equal(uk_syscall_call(uname, &u), 0);
	assert_string_equal(u.f[0], "Linux");
	assert_string_equal(u.f[1], "unikit");
	assert_string_equal(u.f[2], "6.1.0-unikit");
	assert_string_equal(u.f[3], "unikit");
	assert_string_equal(u.f[4], "x86_64");
	assert_string_equal(u.f[5], "(none)");
	assert_int_equal(uk_syscall_call(uname, NULL), -EFAULT);
	assert_int_equal(uk_syscall_call(sethostname, "box-1xxx", 5), 0);
	assert_int_equal(uk_syscall_call(setdomainname, "example", 7), 0);
	uk_syscall_call(uname, &u);
	assert_string_equal(u.f[1], "box-1");
	assert_string_equal(u.f[5], "example");
	char big[70];
	memset(big, 'h', sizeof(big));
	assert_int_equal(uk_syscall_call(sethostname, big, 65), -EINVAL);
	assert_int_equal(uk_syscall_call(sethostname, big, 64), 0);
	assert_int_equal(uk_syscall_call(sethostname, big, -1), -EINVAL);
	uk_syscall_call(uname, &u);
	assert_int_equal(strlen(u.f[1]), 64);
	assert_int_equal(uk_syscall_call(sethostname, "", 0), 0);
}

struct rl {
	uint64_t cur, max;
};
#define INF (~0ULL)

static void test_rlimit(void **state)
{
	(void)state;
	struct rl r, o;

	assert_int_equal(uk_syscall_call(getrlimit, 7, &r), 0);
	assert_int_equal(r.cur, 1024);
	assert_int_equal(r.max, 65536);
	assert_int_equal(uk_syscall_call(getrlimit, 3, &r), 0); /* STACK */
#ifndef TEST_MINIMAL
	/* main()'s stack as ukboot set it up: both limits, it cannot grow */
	assert_int_equal(r.cur, 3 << 20);
	assert_int_equal(r.max, 3 << 20);
#else
	/* no ukboot (main() on the host's stack): Linux's default */
	assert_int_equal(r.cur, 8 << 20);
	assert_true(r.max == INF);
#endif
	assert_int_equal(uk_syscall_call(getrlimit, 9, &r), 0); /* AS */
	assert_true(r.cur == INF && r.max == INF);
	assert_int_equal(uk_syscall_call(getrlimit, 2, &r), 0); /* DATA */
	assert_true(r.cur == INF);
	assert_int_equal(uk_syscall_call(getrlimit, 16, &r), -EINVAL);
	assert_int_equal(uk_syscall_call(getrlimit, 0, NULL), -EFAULT);

	r.cur = 4096;
	r.max = 65536;
	assert_int_equal(uk_syscall_call(setrlimit, 7, &r), 0);
#ifndef TEST_MINIMAL
	assert_int_equal(fd_limit, 4096);
	fd_limit = 77; /* the table's own view wins */
	assert_int_equal(uk_syscall_call(getrlimit, 7, &o), 0);
	assert_int_equal(o.cur, 77);
#else
	assert_int_equal(uk_syscall_call(getrlimit, 7, &o), 0);
	assert_int_equal(o.cur, 4096);
#endif
	r.cur = 70000;
	r.max = INF;
	assert_int_equal(uk_syscall_call(setrlimit, 7, &r), -EPERM);
	r.cur = 10;
	r.max = 5;
	assert_int_equal(uk_syscall_call(setrlimit, 7, &r), -EINVAL);
	assert_int_equal(uk_syscall_call(setrlimit, 3, &r), -EINVAL);

	/* prlimit64: same buffer in and out, pid 0 / 1 / other */
	r.cur = 1 << 20;
	r.max = INF;
	assert_int_equal(uk_syscall_call(prlimit64, 0, 3, &r, &r), 0);
#ifndef TEST_MINIMAL
	assert_int_equal(r.cur, 3 << 20);
#else
	assert_int_equal(r.cur, 8 << 20);
#endif
	assert_int_equal(uk_syscall_call(prlimit64, 1, 3, NULL, &o), 0);
	assert_int_equal(o.cur, 1 << 20);
	assert_int_equal(uk_syscall_call(prlimit64, 2, 3, NULL, &o), -ESRCH);
	assert_int_equal(uk_syscall_call(prlimit64, 0, 99, NULL, &o), -EINVAL);
	assert_int_equal(uk_syscall_call(prlimit64, 0, 4, NULL, NULL), 0);
}

struct ru {
	long ut_s, ut_us, st_s, st_us;
	long rest[14];
};
struct si {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram,
		totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char f[4];
};
struct tms {
	long u, s, cu, cs;
};

static void test_accounting(void **state)
{
	(void)state;
	struct ru ru;
	struct si si;
	struct tms t;

	assert_int_equal(uk_syscall_call(getrusage, 0, &ru), 0);
	assert_int_equal(ru.ut_s, 3723);
	assert_int_equal(ru.ut_us, 456789);
	assert_int_equal(ru.st_s, 0);
#ifndef TEST_MINIMAL
	assert_int_equal(ru.rest[0], 10 + 8); /* maxrss KiB */
#else
	assert_int_equal(ru.rest[0], 0);
#endif
	assert_int_equal(uk_syscall_call(getrusage, -1, &ru), 0);
	assert_int_equal(ru.ut_s, 0);
	assert_int_equal(uk_syscall_call(getrusage, 1, &ru), 0);
	assert_int_equal(uk_syscall_call(getrusage, 2, &ru), -EINVAL);

	assert_int_equal(sizeof(si), 112);
	assert_int_equal(uk_syscall_call(sysinfo, &si), 0);
	assert_int_equal(si.uptime, 3723);
	assert_int_equal(si.totalram, 0x1000000 + 0x3000000);
#ifndef TEST_MINIMAL
	assert_int_equal(si.freeram, 0x100000);
#else
	assert_int_equal(si.freeram, si.totalram);
#endif
	assert_int_equal(si.procs, 1);
	assert_int_equal(si.mem_unit, 1);
	assert_int_equal(uk_syscall_call(sysinfo, NULL), -EFAULT);

	assert_int_equal(uk_syscall_call(times, &t), 372345);
	assert_int_equal(t.u, 372345);
	assert_int_equal(t.s, 0);
	assert_int_equal(uk_syscall_call(times, NULL), 372345);
}

static void test_sched_prio(void **state)
{
	(void)state;
	assert_int_equal(uk_syscall_call(sched_yield), 0);
#ifndef TEST_MINIMAL
	assert_int_equal(yields, 1);
#endif
	assert_int_equal(uk_syscall_call(getpriority, 0, 0), 20);
	assert_int_equal(uk_syscall_call(setpriority, 0, 1, 5), 0);
	assert_int_equal(uk_syscall_call(getpriority, 0, 0), 15);
	assert_int_equal(uk_syscall_call(setpriority, 0, 0, -100), 0);
	assert_int_equal(uk_syscall_call(getpriority, 1, 0), 40);
	assert_int_equal(uk_syscall_call(setpriority, 2, 0, 100), 0);
	assert_int_equal(uk_syscall_call(getpriority, 2, 0), 1);
	assert_int_equal(uk_syscall_call(getpriority, 0, 2), -ESRCH);
	assert_int_equal(uk_syscall_call(getpriority, 2, 1000), -ESRCH);
	assert_int_equal(uk_syscall_call(getpriority, 3, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(setpriority, 9, 0, 0), -EINVAL);
}

static void test_exit(void **state)
{
	(void)state;
	if (!setjmp(exit_jmp))
		uk_syscall_call(exit_group, 42);
	assert_int_equal(plat_exit_status, 42);
	if (!setjmp(exit_jmp))
		uk_syscall_call(exit_group, 0x1ff);
	assert_int_equal(plat_exit_status, 0xff);
}

/* ---- signals ---- */
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
#define B(s) (1ULL << ((s)-1))

static int got[65], last_code;
static uint64_t mask_in_handler;
static void h1(int sig)
{
	uint64_t m;
	got[sig]++;
	uk_syscall_call(rt_sigprocmask, 0, NULL, &m, 8);
	mask_in_handler = m;
}
static void h3(int sig, void *info, void *uc)
{
	(void)uc;
	got[sig]++;
	last_code = ((int *)info)[2];
	assert_int_equal(((int *)info)[0], sig);
}

static void test_sigaction(void **state)
{
	(void)state;
	struct sa a = {(uintptr_t)h1, 0, 0, B(2)}, o;

	assert_int_equal(SC(rt_sigaction, 10, &a, NULL, 8), 0);
	assert_int_equal(SC(rt_sigaction, 10, NULL, &o, 8), 0);
	assert_true(o.handler == (uintptr_t)h1 && o.mask == B(2));
	assert_int_equal(SC(rt_sigaction, 10, &a, NULL, 4), -EINVAL);
	assert_int_equal(SC(rt_sigaction, 0, &a, NULL, 8), -EINVAL);
	assert_int_equal(SC(rt_sigaction, 65, &a, NULL, 8), -EINVAL);
	assert_int_equal(SC(rt_sigaction, 9, &a, NULL, 8), -EINVAL);
	assert_int_equal(SC(rt_sigaction, 19, &a, NULL, 8), -EINVAL);
	assert_int_equal(SC(rt_sigaction, 9, NULL, &o, 8), 0);

	/* delivery to self: the handler runs on the way out of kill, with
	 * the action's mask and the signal itself blocked */
	memset(got, 0, sizeof(got));
	assert_int_equal(uk_syscall_call(kill, 1, 10), 0);
	assert_int_equal(got[10], 0); /* not inside the call */
	assert_true(uk_syscall_exit_work);
	assert_int_equal(uk_syscall_exit_native(0), 0);
	assert_int_equal(got[10], 1);
	assert_false(uk_syscall_exit_work);
	assert_int_equal(mask_in_handler, B(2) | B(10));
	uint64_t m;
	SC(rt_sigprocmask, 0, NULL, &m, 8);
	assert_int_equal(m, 0);
	assert_int_equal(SC(kill, 0, 10), 0);
	assert_int_equal(SC(kill, -1, 10), 0);
	assert_int_equal(got[10], 3);
	assert_int_equal(SC(kill, 2, 10), -ESRCH);
	assert_int_equal(SC(kill, 1, 65), -EINVAL);
	assert_int_equal(SC(kill, 1, -1), -EINVAL);
	assert_int_equal(SC(kill, 1, 0), 0);
	assert_int_equal(SC(kill, 5, 0), -ESRCH);

	/* SA_SIGINFO, SA_RESETHAND via tgkill */
	struct sa b = {(uintptr_t)h3, 0x4 | 0x80000000UL, 0, 0};
	assert_int_equal(SC(rt_sigaction, 12, &b, NULL, 8), 0);
	int tid = (int)SC(gettid);
	assert_int_equal(SC(tgkill, 1, tid, 12), 0);
	assert_int_equal(got[12], 1);
	assert_int_equal(last_code, -6);
	assert_int_equal(SC(rt_sigaction, 12, NULL, &o, 8), 0);
	assert_int_equal(o.handler, 0); /* reset to SIG_DFL */
	assert_int_equal(SC(tgkill, 2, tid, 0), -ESRCH);
	assert_int_equal(SC(tgkill, 1, 999, 0), -ESRCH);
	assert_int_equal(SC(tgkill, 1, tid, 0), 0);
	assert_int_equal(SC(tkill, tid, 0), 0);
	assert_int_equal(SC(tkill, 999, 0), -ESRCH);
	assert_int_equal(SC(tkill, 0, 0), -EINVAL);

	/* ignored: explicitly, and by default (SIGCHLD, SIGWINCH) */
	struct sa ign = {1, 0, 0, 0};
	assert_int_equal(SC(rt_sigaction, 15, &ign, NULL, 8), 0);
	assert_int_equal(SC(kill, 1, 15), 0);
	assert_int_equal(SC(kill, 1, 17), 0);
	assert_int_equal(SC(kill, 1, 28), 0);
	assert_int_equal(SC(kill, 1, 19), 0); /* SIGSTOP */
	assert_false(uk_syscall_exit_work);

	/* the C API the kernel uses (SIGPIPE) */
	assert_int_equal(SC(rt_sigaction, 13, &a, NULL, 8), 0);
	assert_int_equal(uk_process_raise(13), 0);
	assert_int_equal(uk_syscall_exit_native(-32), -32); /* -EPIPE */
	assert_int_equal(got[13], 1);
	assert_int_equal(uk_process_raise(0), -EINVAL);
	assert_int_equal(uk_process_raise(65), -EINVAL);
	assert_string_equal(uk_process_signame(13), "SIGPIPE");
	assert_null(uk_process_signame(40));
}

static void test_sigprocmask(void **state)
{
	(void)state;
	struct sa a = {(uintptr_t)h1, 0, 0, 0};
	uint64_t set = B(10) | B(9) | B(19), old, p;

	memset(got, 0, sizeof(got));
	SC(rt_sigaction, 10, &a, NULL, 8);
	assert_int_equal(SC(rt_sigprocmask, 0, &set, &old, 8), 0);
	assert_int_equal(old, 0);
	assert_int_equal(SC(rt_sigprocmask, 0, NULL, &old, 8), 0);
	assert_int_equal(old, B(10)); /* KILL and STOP never blocked */
	/* blocked: pending until unblocked */
	assert_int_equal(SC(kill, 1, 10), 0);
	assert_int_equal(got[10], 0);
	assert_int_equal(SC(rt_sigpending, &p, 8), 0);
	assert_int_equal(p, B(10));
	set = B(10);
	assert_int_equal(SC(rt_sigprocmask, 1, &set, NULL, 8), 0);
	assert_int_equal(got[10], 1);
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, 0);
	assert_int_equal(SC(rt_sigprocmask, 2, &set, NULL, 8), 0);
	assert_int_equal(SC(rt_sigprocmask, 3, &set, NULL, 8), -EINVAL);
	assert_int_equal(SC(rt_sigprocmask, 3, NULL, &old, 8), 0);
	assert_int_equal(SC(rt_sigprocmask, 0, &set, NULL, 16), -EINVAL);
	/* a pending signal set to SIG_IGN is discarded */
	SC(kill, 1, 10);
	struct sa ign = {1, 0, 0, 0};
	SC(rt_sigaction, 10, &ign, NULL, 8);
	SC(rt_sigpending, &p, 8);
	assert_int_equal(p, 0);
	/* real-time signals queue every instance, standard ones one */
	set = B(40) | B(12);
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	struct sa b = {(uintptr_t)h1, 0, 0, 0};
	SC(rt_sigaction, 40, &b, NULL, 8);
	SC(rt_sigaction, 12, &b, NULL, 8);
	for (int i = 0; i < 3; i++) {
		SC(kill, 1, 40);
		SC(kill, 1, 12);
	}
	SC(rt_sigprocmask, 1, &set, NULL, 8);
	assert_int_equal(got[40], 3);
	assert_int_equal(got[12], 1);
}

/* sigtimedwait without a scheduler: only what is pending already */
static void test_sigtimedwait_solo(void **state)
{
	(void)state;
	uint64_t set = B(10) | B(41);
	int32_t info[32];
	struct {
		int64_t s, ns;
	} zero = {0, 0}, bad = {0, 1000000000};

	SC(rt_sigprocmask, 0, &set, NULL, 8);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), -EAGAIN);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &bad, 8), -EINVAL);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, NULL, 4), -EINVAL);
	int32_t q[32] = {0};
	q[2] = -1; /* SI_QUEUE */
	q[6] = 77; /* si_value */
	assert_int_equal(SC(rt_sigqueueinfo, 1, 41, q), 0);
	assert_int_equal(SC(rt_sigqueueinfo, 2, 41, q), -ESRCH);
	assert_int_equal(SC(rt_sigqueueinfo, 1, 41, NULL), -EFAULT);
	SC(kill, 1, 10);
	memset(info, 0, sizeof(info));
	assert_int_equal(SC(rt_sigtimedwait, &set, info, NULL, 8), 10);
	assert_int_equal(info[0], 10);
	assert_int_equal(info[2], 0); /* SI_USER */
	assert_int_equal(info[4], 1); /* si_pid */
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), 41);
	assert_int_equal(info[2], -1);
	assert_int_equal(info[6], 77);
	assert_int_equal(SC(rt_sigtimedwait, &set, info, &zero, 8), -EAGAIN);
	/* nothing can come without a scheduler: pause and sigsuspend say
	 * so instead of hanging */
	assert_int_equal(SC(pause), -ENOSYS);
	uint64_t none = 0, m;
	assert_int_equal(SC(rt_sigsuspend, &none, 8), -ENOSYS);
	SC(rt_sigprocmask, 0, NULL, &m, 8);
	assert_int_equal(m, set); /* the mask came back */
}

static void test_sigaltstack(void **state)
{
	(void)state;
	static char mem[8192];
	struct stk s = {mem, 0, sizeof(mem)}, o;

	assert_int_equal(SC(sigaltstack, NULL, &o), 0);
	assert_int_equal(o.flags, 2); /* SS_DISABLE */
	assert_int_equal(SC(sigaltstack, &s, NULL), 0);
	assert_int_equal(SC(sigaltstack, NULL, &o), 0);
	assert_ptr_equal(o.sp, mem);
	assert_int_equal(o.size, sizeof(mem));
	assert_int_equal(o.flags, 0);
	s.size = 100;
	assert_int_equal(SC(sigaltstack, &s, NULL), -ENOMEM);
	s.flags = 8;
	assert_int_equal(SC(sigaltstack, &s, NULL), -EINVAL);
	s.flags = 2;
	assert_int_equal(SC(sigaltstack, &s, &o), 0);
	assert_ptr_equal(o.sp, mem);
	assert_int_equal(SC(sigaltstack, NULL, &o), 0);
	assert_int_equal(o.flags, 2);
}

static void test_fatal(void **state)
{
	(void)state;
	/* abort(): SIGABRT to self with the default action */
	int tid = (int)SC(gettid);
	plat_exit_status = -1;
	if (!setjmp(exit_jmp))
		SC(tkill, tid, 6);
	assert_int_equal(plat_exit_status, 134);
	assert_non_null(strstr(logbuf, "[posixprocess] killed by signal 6 "
				       "(SIGABRT): exit status 134"));
	uk_process_reset();
	/* SIGKILL even when "blocked", real-time signals */
	if (!setjmp(exit_jmp))
		SC(kill, 1, 9);
	assert_int_equal(plat_exit_status, 137);
	uk_process_reset();
	if (!setjmp(exit_jmp))
		SC(kill, 1, 40);
	assert_int_equal(plat_exit_status, 168);
	assert_non_null(strstr(logbuf, "real-time signal 40"));
	uk_process_reset();
	/* blocked fatal signal: pending, fatal when unblocked */
	uint64_t set = B(15);
	SC(rt_sigprocmask, 0, &set, NULL, 8);
	plat_exit_status = -1;
	assert_int_equal(SC(kill, 1, 15), 0);
	assert_int_equal(plat_exit_status, -1);
	if (!setjmp(exit_jmp))
		SC(rt_sigprocmask, 1, &set, NULL, 8);
	assert_int_equal(plat_exit_status, 143);
	uk_process_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_groups, setup),
		cmocka_unit_test_setup(test_uname, setup),
		cmocka_unit_test_setup(test_rlimit, setup),
		cmocka_unit_test_setup(test_accounting, setup),
		cmocka_unit_test_setup(test_sched_prio, setup),
		cmocka_unit_test_setup(test_exit, setup),
		cmocka_unit_test_setup(test_sigaction, setup),
		cmocka_unit_test_setup(test_sigprocmask, setup),
		cmocka_unit_test_setup(test_sigtimedwait_solo, setup),
		cmocka_unit_test_setup(test_sigaltstack, setup),
		cmocka_unit_test_setup(test_fatal, setup),
	};
	plat_exit_jmp = &exit_jmp;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
