/* Native tests of prctl and the uname.nodename parameter (src/system.c),
 * with doubles of ukboot's parameters, the application name and
 * uksched's thread lookups. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <uk/process.h>
#include <uk/syscall.h>

#define PR(...) uk_syscall_call(prctl, __VA_ARGS__)

/* ---- doubles ---- */
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

#include <uk/plat/bootinfo.h>
#include <uk/plat/time.h>
#include <uk/plat_doubles.h>
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	static struct ukplat_bootinfo bi;

	return &bi;
}

uint64_t ukplat_monotonic_clock(void)
{
	return 0;
}

static const char *param;
const char *uk_boot_param(const char *name)
{
	return strcmp(name, "uname.nodename") ? NULL : param;
}

const char uk_app_name[] = "a-rather-long-app-name";

/* uksyscall's exit-work flag and the binary frame (src/signal.c is linked
 * in; none of these tests sends a signal) */
volatile int uk_syscall_exit_work;
struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	return NULL;
}
/* what src/signal.c and src/timer.c reach on the platform (unused here) */
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
/* fdtab's tables (src/proc.c): one process here */
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

/* threads: tid 1 (main) and 7 exist; `gen` changes what thread 7 is */
static int cur = 1, gen;
static int things[4];
int uk_thread_tid(void)
{
	return cur;
}
struct uk_thread *uk_thread_find(int tid)
{
	return tid == 1	  ? (struct uk_thread *)&things[0]
	       : tid == 7 ? (struct uk_thread *)&things[1 + gen]
			  : NULL;
}
const char *uk_sched_current_name(void)
{
	return cur == 1 ? "main" : "worker";
}

void pp_system_reset(void);
int pp_nodename_init(void);

static int setup(void **state)
{
	(void)state;
	pp_system_reset();
	uk_process_reset();
	cur = 1;
	gen = 0;
	logbuf[0] = 0;
	return 0;
}

static void test_names(void **state)
{
	char n[16];

	(void)state;
	/* the main thread is called as the program, cut to 15 bytes */
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "a-rather-long-a");
	/* other threads: uksched's name */
	cur = 7;
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "worker");
	assert_int_equal(PR(15, "io-thread-number-two", 0, 0, 0), 0);
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "io-thread-numbe");
	cur = 1; /* per thread */
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "a-rather-long-a");
	assert_int_equal(PR(15, "boss", 0, 0, 0), 0);
	cur = 7;
	assert_int_equal(PR(15, "", 0, 0, 0), 0);
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "");
	/* thread 7 ends, a new thread gets tid 7: not the old name */
	gen = 1;
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "worker");
	cur = 1;
	assert_int_equal(PR(16, n, 0, 0, 0), 0);
	assert_string_equal(n, "boss");
	assert_int_equal(PR(15, NULL, 0, 0, 0), -EFAULT);
	assert_int_equal(PR(16, NULL, 0, 0, 0), -EFAULT);
}

static void test_flags(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(PR(3, 0, 0, 0, 0), 1); /* dumpable */
	assert_int_equal(PR(4, 0, 0, 0, 0), 0);
	assert_int_equal(PR(3, 0, 0, 0, 0), 0);
	assert_int_equal(PR(4, 2, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(1, 9, 0, 0, 0), 0); /* pdeathsig */
	assert_int_equal(PR(2, &v, 0, 0, 0), 0);
	assert_int_equal(v, 9);
	assert_int_equal(PR(1, 65, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(2, 0, 0, 0, 0), -EFAULT);
	assert_int_equal(PR(7, 0, 0, 0, 0), 0); /* keepcaps */
	assert_int_equal(PR(8, 1, 0, 0, 0), 0);
	assert_int_equal(PR(7, 0, 0, 0, 0), 1);
	assert_int_equal(PR(8, 3, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(21, 0, 0, 0, 0), 0); /* no seccomp */
	assert_int_equal(PR(22, 1, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(23, 21, 0, 0, 0), 1); /* CAP_SYS_ADMIN */
	assert_int_equal(PR(24, 21, 0, 0, 0), 0);
	assert_int_equal(PR(23, 21, 0, 0, 0), 0);
	assert_int_equal(PR(23, 20, 0, 0, 0), 1);
	assert_int_equal(PR(23, 41, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(30, 0, 0, 0, 0), 50000); /* timer slack */
	assert_int_equal(PR(29, 1000, 0, 0, 0), 0);
	assert_int_equal(PR(30, 0, 0, 0, 0), 1000);
	assert_int_equal(PR(29, 0, 0, 0, 0), 0);
	assert_int_equal(PR(30, 0, 0, 0, 0), 50000);
	assert_int_equal(PR(36, 1, 0, 0, 0), 0); /* subreaper */
	assert_int_equal(PR(37, &v, 0, 0, 0), 0);
	assert_int_equal(v, 1);
	assert_int_equal(PR(39, 0, 0, 0, 0), 0); /* no_new_privs */
	assert_int_equal(PR(38, 1, 1, 0, 0), -EINVAL);
	assert_int_equal(PR(38, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(38, 1, 0, 0, 0), 0);
	assert_int_equal(PR(39, 0, 0, 0, 0), 1);
	assert_int_equal(PR(39, 1, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(41, 1, 0, 0, 0), 0); /* THP */
	assert_int_equal(PR(42, 0, 0, 0, 0), 1);
	assert_int_equal(PR(41, 2, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(9999, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(PR(-1, 0, 0, 0, 0), -EINVAL);
}

static void test_nodename(void **state)
{
	char u[65 * 6];
	char long_name[80];

	(void)state;
	param = NULL;
	assert_int_equal(pp_nodename_init(), 0);
	assert_int_equal(uk_syscall_call(uname, u), 0);
	assert_string_equal(u + 65, "unikit");
	param = "web-1";
	assert_int_equal(pp_nodename_init(), 0);
	assert_int_equal(uk_syscall_call(uname, u), 0);
	assert_string_equal(u + 65, "web-1");
	/* too long or empty: a warning, the name stays */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	param = long_name;
	assert_int_equal(pp_nodename_init(), 0);
	assert_non_null(strstr(logbuf, "uname.nodename: 79 bytes, a node "
				       "name has 1 to 64: not set"));
	param = "";
	assert_int_equal(pp_nodename_init(), 0);
	assert_int_equal(uk_syscall_call(uname, u), 0);
	assert_string_equal(u + 65, "web-1");
	param = NULL;
}

static void test_sched(void **state)
{
	int prio = 0;
	int64_t ts[2] = {9, 9};

	(void)state;
	assert_int_equal(uk_syscall_call(sched_get_priority_max, 1), 99);
	assert_int_equal(uk_syscall_call(sched_get_priority_min, 2), 1);
	assert_int_equal(uk_syscall_call(sched_get_priority_max, 0), 0);
	assert_int_equal(uk_syscall_call(sched_get_priority_min, 6), 0);
	assert_int_equal(uk_syscall_call(sched_get_priority_max, 4), -EINVAL);
	assert_int_equal(uk_syscall_call(sched_getscheduler, 0), 0);
	assert_int_equal(uk_syscall_call(sched_getparam, 0, &prio), 0);
	assert_int_equal(prio, 0);
	/* a real-time policy for thread 7: recorded per thread */
	prio = 50;
	assert_int_equal(uk_syscall_call(sched_setscheduler, 7, 2, &prio), 0);
	assert_int_equal(uk_syscall_call(sched_getscheduler, 7), 2);
	assert_int_equal(uk_syscall_call(sched_getscheduler, 1), 0);
	prio = 0;
	assert_int_equal(uk_syscall_call(sched_getparam, 7, &prio), 0);
	assert_int_equal(prio, 50);
	assert_int_equal(uk_syscall_call(sched_rr_get_interval, 7, ts), 0);
	assert_true(ts[0] == 0 && ts[1] == 100000000);
	assert_int_equal(uk_syscall_call(sched_rr_get_interval, 0, ts), 0);
	assert_true(ts[0] == 0 && ts[1] == 0);
	prio = 10;
	assert_int_equal(uk_syscall_call(sched_setparam, 7, &prio), 0);
	prio = 0;
	assert_int_equal(uk_syscall_call(sched_setparam, 7, &prio), -EINVAL);
	/* errors: priorities, policies, threads, pointers */
	prio = 0;
	assert_int_equal(uk_syscall_call(sched_setscheduler, 0, 1, &prio),
			 -EINVAL);
	prio = 100;
	assert_int_equal(uk_syscall_call(sched_setscheduler, 0, 1, &prio),
			 -EINVAL);
	prio = 5;
	assert_int_equal(uk_syscall_call(sched_setscheduler, 0, 0, &prio),
			 -EINVAL);
	prio = 0;
	assert_int_equal(uk_syscall_call(sched_setscheduler, 0, 6, &prio),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_setscheduler, 0, 0, NULL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(sched_setscheduler, 42, 0, &prio),
			 -ESRCH);
	assert_int_equal(uk_syscall_call(sched_getscheduler, -1), -EINVAL);
	assert_int_equal(uk_syscall_call(sched_getparam, 0, NULL), -EINVAL);
	assert_int_equal(uk_syscall_call(sched_rr_get_interval, 0, NULL),
			 -EFAULT);
	/* SCHED_BATCH with the reset-on-fork flag */
	assert_int_equal(
		uk_syscall_call(sched_setscheduler, 0, 3 | 0x40000000, &prio),
		0);
	assert_int_equal(uk_syscall_call(sched_getscheduler, 0),
			 3 | 0x40000000);
	/* the thread ends, another gets tid 7: SCHED_OTHER again */
	gen = 1;
	assert_int_equal(uk_syscall_call(sched_getscheduler, 7), 0);
}

struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static void test_caps(void **state)
{
	struct cap_header h = {0x20080522, 0};
	struct cap_data d[2];

	(void)state;
	assert_int_equal(uk_syscall_call(capget, &h, d), 0);
	assert_int_equal(d[0].effective, 0xffffffff);
	assert_int_equal(d[1].permitted, 0x1ff); /* caps 32..40 */
	assert_int_equal(d[0].inheritable, 0);
	/* an unknown version: the kernel's in the header */
	h.version = 1;
	assert_int_equal(uk_syscall_call(capget, &h, d), -EINVAL);
	assert_int_equal(h.version, 0x20080522);
	h.version = 1;
	assert_int_equal(uk_syscall_call(capget, &h, NULL), 0);
	assert_int_equal(uk_syscall_call(capget, NULL, d), -EFAULT);
	h.pid = 42;
	assert_int_equal(uk_syscall_call(capget, &h, d), -ESRCH);
	/* drop CAP_NET_RAW (13) from effective and permitted */
	h.pid = 0;
	d[0].effective = d[0].permitted = ~(1u << 13);
	d[0].inheritable = 1u << 12;
	assert_int_equal(uk_syscall_call(capset, &h, d), 0);
	assert_int_equal(uk_syscall_call(capget, &h, d), 0);
	assert_int_equal(d[0].permitted, ~(1u << 13));
	assert_int_equal(d[0].inheritable, 1u << 12);
	/* never back: not permitted any more */
	d[0].permitted = 0xffffffff;
	assert_int_equal(uk_syscall_call(capset, &h, d), -EPERM);
	d[0].permitted = ~(1u << 13);
	d[0].effective = 0xffffffff; /* effective beyond permitted */
	assert_int_equal(uk_syscall_call(capset, &h, d), -EPERM);
	d[0].effective = 0;
	h.pid = 7;
	cur = 1;
	assert_int_equal(uk_syscall_call(capset, &h, d), -EPERM);
	h.pid = 0;
	assert_int_equal(uk_syscall_call(capset, &h, NULL), -EFAULT);
	/* version 1: the low 32 bits only */
	h.version = 0x19980330;
	assert_int_equal(uk_syscall_call(capget, &h, d), 0);
}

static void test_personality_ioprio(void **state)
{
	(void)state;
	assert_int_equal(uk_syscall_call(personality, 0xffffffff), 0);
	assert_int_equal(uk_syscall_call(personality, 0x0040000), 0);
	assert_int_equal(uk_syscall_call(personality, 0xffffffff), 0x0040000);
	assert_int_equal(uk_syscall_call(personality, 0), 0x0040000);
	/* I/O priority: BE 4 by default; classes and levels checked */
	assert_int_equal(uk_syscall_call(ioprio_get, 1, 0), (2 << 13) | 4);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 0, (1 << 13) | 3), 0);
	assert_int_equal(uk_syscall_call(ioprio_get, 1, 7), (1 << 13) | 3);
	assert_int_equal(uk_syscall_call(ioprio_get, 2, 0), (1 << 13) | 3);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 0, (2 << 13) | 8),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 0, (4 << 13)), -EINVAL);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 0, 5), -EINVAL);
	assert_int_equal(uk_syscall_call(ioprio_set, 9, 0, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 42, 0), -ESRCH);
	assert_int_equal(uk_syscall_call(ioprio_get, 3, 1000), -ESRCH);
	assert_int_equal(uk_syscall_call(ioprio_set, 1, 0, 3 << 13), 0);
	assert_int_equal(uk_syscall_call(ioprio_get, 3, 0), 3 << 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_flags, setup),
		cmocka_unit_test_setup(test_nodename, setup),
		cmocka_unit_test_setup(test_sched, setup),
		cmocka_unit_test_setup(test_caps, setup),
		cmocka_unit_test_setup(test_personality_ioprio, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
