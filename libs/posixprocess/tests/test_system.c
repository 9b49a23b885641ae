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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_flags, setup),
		cmocka_unit_test_setup(test_nodename, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
