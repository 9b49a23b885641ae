/* Native tests of the shim: typed definitions, the native dispatcher, the
 * weak -ENOSYS defaults (logged once per call) and the binary table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>

/* ---- implementations under test ---- */
static char wbuf[64];
UK_SYSCALL_R_DEFINE(ssize_t, write, int, fd, const void *, buf, size_t, len)
{
	if (fd != 1)
		return -EBADF;
	if (len > sizeof(wbuf))
		len = sizeof(wbuf);
	memcpy(wbuf, buf, len);
	return (ssize_t)len;
}

UK_SYSCALL_R_DEFINE(int, getpid)
{
	return 1;
}

static long seen[6];
UK_SYSCALL_R_DEFINE(int, mmap, unsigned long, a, unsigned long, b, int, c, int,
		    d, int, e, long, f)
{
	seen[0] = (long)a, seen[1] = (long)b, seen[2] = c, seen[3] = d;
	seen[4] = e, seen[5] = f;
	return -7;
}

static void test_native_dispatch(void **state)
{
	(void)state;
	assert_int_equal(
		uk_syscall6(UK_SYSCALL_NR_write, 1, (long)"hey", 3, 0, 0, 0),
		3);
	assert_memory_equal(wbuf, "hey", 3);
	assert_int_equal(
		uk_syscall6(UK_SYSCALL_NR_write, 2, (long)"x", 1, 0, 0, 0),
		-EBADF);
	assert_int_equal(uk_syscall6(UK_SYSCALL_NR_getpid, 0, 0, 0, 0, 0, 0),
			 1);
	assert_int_equal(uk_syscall_call(getpid), 1);
	assert_int_equal(uk_syscall_call(write, 1, "ab", 2), 2);
}

/* a number known only at run time goes through uk_syscall_dispatch() */
static void test_runtime_number(void **state)
{
	(void)state;
	volatile long nr = UK_SYSCALL_NR_write;

	memset(wbuf, 0, sizeof(wbuf));
	assert_int_equal(uk_syscall6(nr, 1, (long)"run", 3, 0, 0, 0), 3);
	assert_memory_equal(wbuf, "run", 3);
	assert_int_equal(
		uk_syscall_dispatch(UK_SYSCALL_NR_getpid, 0, 0, 0, 0, 0, 0), 1);
	nr = 9999;
	assert_int_equal(uk_syscall6(nr, 0, 0, 0, 0, 0, 0), -ENOSYS);
	nr = -1;
	assert_int_equal(uk_syscall6(nr, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

static void test_six_args_and_casts(void **state)
{
	(void)state;
	/* an int argument takes the low 32 bits of its register, as on Linux */
	assert_int_equal(
		uk_syscall6(UK_SYSCALL_NR_mmap, -1, 2, 0x100000003L, -4, 5, 6),
		-7);
	assert_int_equal(seen[0], -1);
	assert_int_equal(seen[1], 2);
	assert_int_equal(seen[2], 3);
	assert_int_equal(seen[3], -4);
	assert_int_equal(seen[4], 5);
	assert_int_equal(seen[5], 6);
}

static void test_enosys_logged_once(void **state)
{
	(void)state;
	plat_out_reset();
	assert_int_equal(
		uk_syscall6(UK_SYSCALL_NR_kexec_load, 0, 0, 0, 0, 0, 0),
		-ENOSYS);
	assert_non_null(plat_out_find("kexec_load (246) is not implemented"));
	size_t len = plat_outlen;
	assert_int_equal(uk_syscall_call(kexec_load), -ENOSYS);
	assert_int_equal(plat_outlen, len); /* only once */
	assert_int_equal(uk_syscall6(9999, 0, 0, 0, 0, 0, 0), -ENOSYS);
	assert_non_null(plat_out_find("9999 is out of range"));
	assert_int_equal(uk_syscall6(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

/* exit_group with no implementation linked (no posixprocess): the image
 * ends, after the exit hooks (ukboot's, doubled here) */
static int hooks_ran;
void uk_exit_hooks_run(void);
void uk_exit_hooks_run(void)
{
	hooks_ran++;
}

static void test_exit_without_process(void **state)
{
	jmp_buf j;

	(void)state;
	plat_exit_jmp = &j;
	if (!setjmp(j)) {
		uk_syscall_call(exit_group, 0x103);
		fail_msg("exit_group returned");
	}
	plat_exit_jmp = NULL;
	assert_int_equal(plat_exit_status, 3); /* the low 8 bits, as Linux */
	assert_int_equal(hooks_ran, 1);
}

long uk_syscall_binary(long nr, long a0, long a1, long a2, long a3, long a4,
		       long a5);
extern const uk_syscall_fn_t uk_syscall_table[UK_SYSCALL_MAX_NR];

static void test_binary_table(void **state)
{
	(void)state;
	assert_ptr_equal(uk_syscall_table[UK_SYSCALL_NR_write],
			 uk_syscall_r_write);
	assert_int_equal(uk_syscall_binary(1, 1, (long)"zz", 2, 0, 0, 0), 2);
	assert_int_equal(uk_syscall_binary(39, 0, 0, 0, 0, 0, 0), 1);
	assert_int_equal(uk_syscall_binary(UK_SYSCALL_MAX_NR, 0, 0, 0, 0, 0, 0),
			 -ENOSYS);
	assert_int_equal(uk_syscall_binary(-5, 0, 0, 0, 0, 0, 0), -ENOSYS);
	/* a hole in Linux's numbering (335..423) */
	assert_null(uk_syscall_name(400));
	assert_int_equal(uk_syscall_binary(400, 0, 0, 0, 0, 0, 0), -ENOSYS);
	assert_string_equal(uk_syscall_name(0), "read");
	assert_string_equal(uk_syscall_name(450), "set_mempolicy_home_node");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native_dispatch),
		cmocka_unit_test(test_runtime_number),
		cmocka_unit_test(test_six_args_and_casts),
		cmocka_unit_test(test_enosys_logged_once),
		cmocka_unit_test(test_binary_table),
		cmocka_unit_test(test_exit_without_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
