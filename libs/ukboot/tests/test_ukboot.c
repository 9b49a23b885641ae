/* Native tests of the boot sequence: init order, failure handling, argv. */
#undef main /* meson passes -Dmain=test_app_main for boot.c */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <uk/boot.h>
#include <uk/exit.h>
#include <uk/init.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat_doubles.h>

/* ---- bootinfo double ---- */
static struct ukplat_bootinfo bi = {.cmdline = "", .plat_name = "test"};
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

static char trace[64];
static int fail_lib;
static int early(void)
{
	strcat(trace, "E");
	return 0;
}
static const char *seen_a, *seen_a0, *seen_a2, *seen_vm;
static int lib(void)
{
	/* init functions read library parameters */
	seen_a = uk_boot_param("a");
	seen_a0 = uk_boot_param_nth("a", 0);
	seen_a2 = uk_boot_param_nth("a", 2);
	seen_vm = uk_boot_param_nth("virtio_mmio.device", 0);
	strcat(trace, "L");
	return fail_lib ? -ENOMEM : 0;
}
static int late(void)
{
	strcat(trace, "Z");
	return 0;
}
static void ctor(void)
{
	strcat(trace, "C");
}
/* What the linker script produces: sorted by class and priority. */
const uk_init_func_t test_inittab_start[] = {early, lib, late};
extern const uk_init_func_t test_inittab_end[];
__asm__(".globl test_inittab_end\n.set test_inittab_end, test_inittab_start + "
	"24");

/* Exit hooks, as sorted by priority: after main(), once per image */
static void exit_fds(void)
{
	strcat(trace, "X");
}
static void exit_net(void)
{
	strcat(trace, "Y");
}
const uk_exit_func_t test_exittab_start[] = {exit_fds, exit_net};
extern const uk_exit_func_t test_exittab_end[];
__asm__(".globl test_exittab_end\n.set test_exittab_end, test_exittab_start + "
	"16");

typedef void (*ctor_t)(void);
const ctor_t test_ctors_start[] = {ctor};
extern const ctor_t test_ctors_end[];
__asm__(".globl test_ctors_end\n.set test_ctors_end, test_ctors_start + 8");

/* ---- main()'s stack: heap and page-guard doubles ---- */
static char *stack_mem;	 /* what ukboot_stack_alloc() gave */
static size_t stack_len; /* and how much was asked for */
static int alloc_fails, guard_fails;
static size_t alloc_limit; /* non-zero: larger requests fail */
static void *guarded;
static uintptr_t reg_guard, reg_lo, reg_hi;
static const char *reg_name;

/* as ukalloc's: [guard page][len bytes] */
void *ukboot_stack_alloc(size_t len, uintptr_t *guard)
{
	stack_len = len;
	*guard = 0;
	if (alloc_fails || (alloc_limit && len > alloc_limit))
		return NULL;
	free(stack_mem);
	stack_mem = aligned_alloc(4096, 4096 + len);
	if (!guard_fails) {
		guarded = stack_mem;
		*guard = (uintptr_t)stack_mem;
	}
	return stack_mem + 4096;
}

void ukplat_stack_register(const char *name, uintptr_t guard, uintptr_t lo,
			   uintptr_t hi)
{
	reg_name = name;
	reg_guard = guard;
	reg_lo = lo;
	reg_hi = hi;
}

static int got_argc;
static char got_argv[8][64];
static uintptr_t main_sp; /* an address in main()'s frame */
int test_app_main(int argc, char *argv[]);
int test_app_main(int argc, char *argv[])
{
	char local;

	main_sp = (uintptr_t)__builtin_frame_address(0);
	(void)local;
	strcat(trace, "M");
	got_argc = argc;
	for (int i = 0; i < argc && i < 8; i++)
		snprintf(got_argv[i], sizeof(got_argv[i]), "%s", argv[i]);
	if (argv[argc] != NULL)
		return -99;
	return 7;
}

static int reset(void **s)
{
	(void)s;
	trace[0] = 0;
	plat_out_reset();
	fail_lib = 0;
	got_argc = -1;
	alloc_fails = guard_fails = 0;
	alloc_limit = 0;
	guarded = NULL;
	stack_len = 0;
	reg_guard = reg_lo = reg_hi = 0;
	main_sp = 0;
	return 0;
}

static int boot(const char *cmdline, int *status)
{
	return ukboot_run(cmdline, strlen(cmdline), status);
}

static void test_order_and_status(void **s)
{
	(void)s;
	int st = -1;
	assert_int_equal(boot("a 'b c'", &st), 0);
	/* the exit hooks after main() returned (the first boot of this
	 * process: they run once) */
	assert_string_equal(trace, "ELZCMXY");
	uk_exit_hooks_run();
	assert_string_equal(trace, "ELZCMXY");
	assert_int_equal(st, 7);
	assert_int_equal(got_argc, 3);
	assert_string_equal(got_argv[0], "app");
	assert_string_equal(got_argv[1], "a");
	assert_string_equal(got_argv[2], "b c");
}

static void test_init_failure_stops_boot(void **s)
{
	(void)s;
	int st = -1;
	fail_lib = 1;
	assert_int_equal(boot("", &st), -1);
	assert_string_equal(trace, "EL"); /* nothing after the failure */
	assert_non_null(plat_out_find("failed: "));
	assert_non_null(plat_out_find("failed: error -12"));
}

static void test_lib_params_split(void **s)
{
	(void)s;
	int st;
	assert_int_equal(boot("uk.x=1 -- hello", &st), 0);
	assert_int_equal(got_argc, 2);
	assert_string_equal(got_argv[1], "hello");
	assert_non_null(plat_out_find("unknown library parameter 'uk.x=1'"));
}

static void test_params(void **s)
{
	(void)s;
	int st;
	/* repeated: the last one wins, nth reaches each; a name that is a
	 * prefix of another does not match it; virtio_mmio words are taken
	 * out of the app's arguments wherever they are */
	assert_int_equal(
		boot("a=1 a=2 -- virtio_mmio.device=512@0x1000:5", &st), 0);
	assert_string_equal(seen_a, "2");
	assert_string_equal(seen_a0, "1");
	assert_null(seen_a2);
	assert_string_equal(seen_vm, "512@0x1000:5");
	assert_int_equal(got_argc, 1);
	assert_null(plat_out_find("unknown library parameter"));
	reset(NULL);
	assert_int_equal(boot("ab=1 --", &st), 0);
	assert_null(seen_a);
	assert_non_null(plat_out_find("unknown library parameter 'ab=1'"));
}

/* The output half of console.stty is ukboot's: the platform's ONLCR switch,
 * the last deciding word wins, and the parameter is not "unknown". */
static void test_console_stty(void **s)
{
	(void)s;
	int st;
	plat_onlcr = 1;
	assert_int_equal(boot("console.stty=-echo,-onlcr,rows=5 -- x", &st), 0);
	assert_int_equal(plat_onlcr, 0);
	assert_null(plat_out_find("unknown library parameter"));
	assert_int_equal(boot("console.stty=raw,cooked --", &st), 0);
	assert_int_equal(plat_onlcr, 1);
	assert_int_equal(boot("console.stty=onlcr,-opost --", &st), 0);
	assert_int_equal(plat_onlcr, 0);
	plat_onlcr = 1;
	assert_int_equal(boot("console.stty=-echo --", &st), 0);
	assert_int_equal(plat_onlcr, 1);
	plat_onlcr = 0;
	assert_int_equal(boot("-- x", &st), 0); /* no word: left alone */
	assert_int_equal(plat_onlcr, 0);
}

static void test_bad_cmdlines(void **s)
{
	(void)s;
	int st;
	assert_int_equal(boot("a 'b", &st), -1);
	assert_non_null(plat_out_find(
		"malformed command line: unterminated ' quote at byte 2"));
	assert_null(strchr(trace, 'M'));

	reset(NULL);
	assert_int_equal(boot("1 2 3 4 5", &st), -1); /* UK_ARGV_MAX is 4 */
	assert_non_null(plat_out_find("more than 4 arguments"));

	reset(NULL);
	char longline[200];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	assert_int_equal(boot(longline, &st), -1); /* UK_CMDLINE_MAX is 64 */
	assert_non_null(plat_out_find(
		"command line is 199 bytes, longer than the limit of 63"));

	reset(NULL);
	assert_int_equal(ukboot_run("ab\0cd", 5, &st), -1);
	assert_non_null(plat_out_find("NUL byte at offset 2"));

	/* exactly at the limits still boots */
	reset(NULL);
	assert_int_equal(boot("1 2 3 4", &st), 0);
	assert_int_equal(got_argc, 5);
	reset(NULL);
	longline[63] = 0;
	assert_int_equal(boot(longline, &st), 0);
}

static void test_main_stack_default(void **s)
{
	(void)s;
	int st = -1;
	assert_int_equal(boot("x", &st), 0);
	assert_int_equal(st, 7);
	/* 1 MiB (the default) plus the guard page below it, which is unmapped
	 * and named to the platform; main() ran inside the rest */
	assert_int_equal(stack_len, 1u << 20);
	assert_ptr_equal(guarded, stack_mem);
	assert_int_equal(reg_guard, (uintptr_t)stack_mem);
	assert_int_equal(reg_lo, (uintptr_t)stack_mem + 4096);
	assert_int_equal(reg_hi, (uintptr_t)stack_mem + 4096 + (1u << 20));
	assert_string_equal(reg_name, "main()'s stack");
	assert_true(main_sp > reg_lo && main_sp < reg_hi);
	assert_int_equal(uk_boot_main_stack_size(), 1u << 20);
	assert_string_equal(trace, "ELZCM");
}

static void test_main_stack_param(void **s)
{
	(void)s;
	int st = -1;
	/* rounded up to whole pages; the parameter is not "unknown" */
	assert_int_equal(boot("ukboot.main_stack=100001 -- a", &st), 0);
	assert_int_equal(uk_boot_main_stack_size(), 102400);
	assert_int_equal(stack_len, 102400);
	assert_true(main_sp > reg_lo && main_sp < reg_hi);
	assert_null(plat_out_find("unknown library parameter"));
	assert_int_equal(got_argc, 2);
	reset(NULL);
	assert_int_equal(boot("ukboot.main_stack=2m --", &st), 0);
	assert_int_equal(uk_boot_main_stack_size(), 2u << 20);
}

static void test_main_stack_refused(void **s)
{
	(void)s;
	int st = -1;
	assert_int_equal(boot("ukboot.main_stack=8MB --", &st), -1);
	assert_non_null(plat_out_find("ukboot.main_stack=8MB: not a size"));
	assert_null(strchr(trace, 'M'));
	assert_null(strchr(trace, 'C')); /* constructors run on it too */
	reset(NULL);
	assert_int_equal(boot("ukboot.main_stack=60K --", &st), -1);
	assert_non_null(plat_out_find("61440 bytes (ukboot.main_stack) is "
				      "outside 64 KiB to 1024 MiB"));
	reset(NULL);
	assert_int_equal(boot("ukboot.main_stack=2G --", &st), -1);
	assert_non_null(plat_out_find("is outside 64 KiB"));
	reset(NULL);
	alloc_fails = 1;
	assert_int_equal(boot("", &st), -1);
	assert_non_null(plat_out_find("main()'s stack: no 1024 KiB free"));
	assert_null(strchr(trace, 'M'));
	/* the default in a small VM: the largest that fits, said */
	reset(NULL);
	alloc_limit = 300 << 10;
	assert_int_equal(boot("", &st), 0);
	assert_int_equal(stack_len, 256 << 10);
	assert_non_null(plat_out_find("main()'s stack: 256 KiB, not the "
				      "default 1024 KiB"));
	assert_non_null(strchr(trace, 'M'));
	/* a size asked for is kept: too big is an error */
	reset(NULL);
	alloc_limit = 300 << 10;
	assert_int_equal(boot("ukboot.main_stack=512K --", &st), -1);
	assert_non_null(plat_out_find("main()'s stack: no 512 KiB free"));
	alloc_limit = 0;
	/* exactly at the limits */
	reset(NULL);
	assert_int_equal(boot("ukboot.main_stack=64K --", &st), 0);
	assert_int_equal(uk_boot_main_stack_size(), 64u << 10);
	reset(NULL);
	assert_int_equal(boot("ukboot.main_stack=1G --", &st), 0);
	assert_int_equal(uk_boot_main_stack_size(), 1u << 30);
	free(stack_mem);
	stack_mem = NULL;
}

static void test_main_stack_no_guard(void **s)
{
	(void)s;
	int st = -1;
	/* no page-table page left for the guard: said, and main() still runs
	 * on its stack, which the platform learns has no guard */
	guard_fails = 1;
	assert_int_equal(boot("", &st), 0);
	assert_int_equal(st, 7);
	assert_non_null(
		plat_out_find("main()'s stack has no guard page (no page table "
			      "left to unmap one)"));
	assert_int_equal(reg_guard, 0);
	assert_true(main_sp > reg_lo && main_sp < reg_hi);
}

static void test_parse_size(void **s)
{
	(void)s;
	size_t v = 99;
	assert_int_equal(uk_boot_parse_size("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(uk_boot_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(uk_boot_parse_size("8k", &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(uk_boot_parse_size("8M", &v), 0);
	assert_int_equal(v, 8u << 20);
	assert_int_equal(uk_boot_parse_size("3G", &v), 0);
	assert_int_equal(v, 3ul << 30);
	assert_int_equal(uk_boot_parse_size("18446744073709551615", &v), 0);
	assert_true(v == SIZE_MAX);
	v = 99;
	const char *bad[] = {"",
			     "K",
			     "-1",
			     " 1",
			     "1 ",
			     "1KB",
			     "1T",
			     "1.5M",
			     "0x10",
			     "18446744073709551616",
			     "17179869184G"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(uk_boot_parse_size(bad[i], &v), -EINVAL);
		assert_int_equal(v, 99); /* untouched */
	}
	assert_int_equal(uk_boot_parse_size(NULL, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_and_status, reset),
		cmocka_unit_test_setup(test_init_failure_stops_boot, reset),
		cmocka_unit_test_setup(test_lib_params_split, reset),
		cmocka_unit_test_setup(test_params, reset),
		cmocka_unit_test_setup(test_console_stty, reset),
		cmocka_unit_test_setup(test_bad_cmdlines, reset),
		cmocka_unit_test_setup(test_main_stack_default, reset),
		cmocka_unit_test_setup(test_main_stack_param, reset),
		cmocka_unit_test_setup(test_main_stack_refused, reset),
		cmocka_unit_test_setup(test_main_stack_no_guard, reset),
		cmocka_unit_test_setup(test_parse_size, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
