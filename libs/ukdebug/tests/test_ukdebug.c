/* Native tests of ukdebug: printk levels and truncation marker, symbol table
 * lookup (including malformed tables), crash report and panic paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <uk/assert.h>
#include <uk/crash.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include <uk/symbols.h>
#include <uk/plat_doubles.h>

static jmp_buf exit_jmp; /* armed in reset() */

static int reset(void **s)
{
	(void)s;
	plat_out_reset();
	plat_exit_status = -1;
	plat_exit_jmp = &exit_jmp;
	uk_panic_nesting = 0;
	return 0;
}

static void test_printk_format(void **s)
{
	(void)s;
	uk_printk(UK_LOG_INFO, "ukfoo", "value %d and %s", 42, "str");
	assert_string_equal(plat_out, "[ukfoo] value 42 and str\n");
	reset(NULL);
	uk_printk(UK_LOG_ERR, "ukfoo", "bad\n");
	assert_string_equal(plat_out, "[ukfoo] ERROR: bad\n");
	reset(NULL);
	uk_printk(99, NULL, "x");
	assert_string_equal(plat_out, "[?] CRIT: x\n");
}

static void test_printk_long_is_marked(void **s)
{
	(void)s;
	char big[2000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	uk_printk(UK_LOG_INFO, "l", "%s", big);
	/* the buffer (511 bytes) went out, then the marker with the rest */
	assert_non_null(plat_out_find("[+1492 bytes cut]\n"));
	assert_int_equal(strspn(plat_out + 4, "a"), 511 - 4);
}

#undef UK_LOG_LEVEL
#define UK_LOG_LEVEL UK_LOG_ERR
static int side_effects;
static int touch(void)
{
	return ++side_effects;
}

static void test_compile_time_filter(void **s)
{
	(void)s;
	uk_pr_info("hidden %d", touch());
	uk_pr_debug("hidden %d", touch());
	assert_int_equal(plat_outlen, 0);
	assert_int_equal(side_effects, 0); /* arguments not even evaluated */
	uk_pr_err("shown %d", touch());
	assert_string_equal(plat_out, "[app] ERROR: shown 1\n");
}

/* Build a symbol table the way compose.py does. */
/* Build a symbol table the way compose.py does: alpha [0x1000, 0x1020),
 * beta [0x1020, 0x1030), a gap, gamma [0x2000, 0x2001). */
#define HDR 24
static size_t make_table(unsigned char *t, size_t cap)
{
	struct {
		uint32_t off;
		const char *n;
	} ents[] = {{0x0, "alpha"},
		    {0x20, "beta"},
		    {0x30, NULL},
		    {0x1000, "gamma"},
		    {0x1001, NULL}};
	uint32_t count = 5, strtab = HDR + 5 * 8, off = 0;
	uint64_t base = 0x1000;
	char strings[64];
	for (int i = 0; i < 5; i++) {
		uint32_t no = ents[i].n ? off : UK_SYMTAB_NONE;
		memcpy(t + HDR + i * 8, &ents[i].off, 4);
		memcpy(t + HDR + i * 8 + 4, &no, 4);
		if (ents[i].n) {
			strcpy(strings + off, ents[i].n);
			off += (uint32_t)strlen(ents[i].n) + 1;
		}
	}
	memcpy(t + strtab, strings, off);
	uint32_t total = strtab + off, magic = UK_SYMTAB_MAGIC;
	assert_true(total <= cap);
	memcpy(t, &magic, 4);
	memcpy(t + 4, &count, 4);
	memcpy(t + 8, &strtab, 4);
	memcpy(t + 12, &total, 4);
	memcpy(t + 16, &base, 8);
	return total;
}

static void test_symtab_lookup(void **s)
{
	(void)s;
	unsigned char t[256];
	size_t len = make_table(t, sizeof(t));
	uintptr_t off = 99;

	assert_string_equal(uk_symtab_lookup(t, len, 0x1000, &off), "alpha");
	assert_int_equal(off, 0);
	assert_string_equal(uk_symtab_lookup(t, len, 0x101f, &off), "alpha");
	assert_int_equal(off, 0x1f);
	assert_string_equal(uk_symtab_lookup(t, len, 0x1025, &off), "beta");
	assert_int_equal(off, 5);
	assert_null(uk_symtab_lookup(t, len, 0x1030, &off)); /* gap */
	assert_null(uk_symtab_lookup(t, len, 0xfff, &off));  /* below */
	assert_string_equal(uk_symtab_lookup(t, len, 0x2000, NULL), "gamma");
	assert_null(uk_symtab_lookup(t, len, 0x2001, NULL)); /* size 0 */
}

static void test_symtab_malformed(void **s)
{
	(void)s;
	unsigned char t[256];
	size_t len = make_table(t, sizeof(t));

	assert_null(uk_symtab_lookup(NULL, 0, 0x1000, NULL));
	assert_null(uk_symtab_lookup(t, 8, 0x1000, NULL)); /* short */
	assert_null(
		uk_symtab_lookup(t, len - 1, 0x1000, NULL)); /* size > len */
	unsigned char c[256];
	memcpy(c, t, len);
	c[0] ^= 1; /* magic */
	assert_null(uk_symtab_lookup(c, len, 0x1000, NULL));
	memcpy(c, t, len);
	uint32_t huge = 1000000;
	memcpy(c + 4, &huge, 4); /* count beyond the entries */
	assert_null(uk_symtab_lookup(c, len, 0x1000, NULL));
	memcpy(c, t, len);
	uint32_t badname = 200;
	memcpy(c + HDR + 4, &badname, 4); /* name offset outside strtab */
	assert_null(uk_symtab_lookup(c, len, 0x1000, NULL));
	memcpy(c, t, len);
	c[len - 1] = 'x'; /* last string not terminated */
	assert_null(uk_symtab_lookup(c, len, 0x2000, NULL));
}

static void test_crash_report(void **s)
{
	(void)s;
	uintptr_t stack[8] = {0};
	struct ukarch_regs r = {0};
	r.rip = 0x1234;
	r.rax = 0xaa;
	r.r15 = 0xf15;
	r.rsp = (uintptr_t)stack;
	r.rbp = (uintptr_t)stack;
	stack[0] = (uintptr_t)&stack[2];
	stack[1] = 0x5555;
	stack[2] = 0;
	stack[3] = 0x6666;
	uk_crash_report(&r, (uintptr_t)&stack[8]);
	assert_non_null(plat_out_find("RIP: 0x0000000000001234\n"));
	assert_non_null(plat_out_find("RAX=00000000000000aa"));
	assert_non_null(plat_out_find("R15=0000000000000f15"));
	assert_non_null(plat_out_find("backtrace (2 frames):\n"));
	assert_non_null(plat_out_find("  #0 0x0000000000005555\n"));
	assert_non_null(plat_out_find("  #1 0x0000000000006666\n"));

	reset(NULL);
	uk_crash_report(&r, 0);
	assert_non_null(
		plat_out_find("backtrace (0 frames, stack range unknown)"));
}

static void test_page_fault_decode(void **s)
{
	(void)s;
	uk_crash_page_fault(0x8, 0x2);
	assert_non_null(plat_out_find("fault address: 0x0000000000000008 (page "
				      "0x0): write to a not-present page\n"));
	assert_non_null(plat_out_find("NULL pointer dereference"));
	reset(NULL);
	uk_crash_page_fault(0x123456, 0x11);
	assert_non_null(
		plat_out_find("(page 0x123000): instruction fetch from a "
			      "present (protection violation) page\n"));
	assert_null(plat_out_find("NULL"));
	reset(NULL);
	uk_crash_page_fault(0x5000, 0x9);
	assert_non_null(
		plat_out_find("read to a present (protection violation) "
			      "page, reserved bit set"));
}

static void test_panic_and_assert(void **s)
{
	(void)s;
	if (!setjmp(exit_jmp)) {
		UK_CRASH("boom %d", 7);
		fail();
	}
	assert_int_equal(plat_exit_status, UKPLAT_EXIT_PANIC);
	assert_non_null(plat_out_find("PANIC: boom 7 (at "));
	assert_non_null(plat_out_find("in test_panic_and_assert())"));
}

static void test_assert_fires(void **s)
{
	(void)s;
	volatile int x = 1;
	UK_ASSERT(x == 1); /* passes: nothing printed */
	assert_int_equal(plat_outlen, 0);
	if (!setjmp(exit_jmp)) {
		UK_ASSERT(x == 2);
		fail();
	}
	assert_int_equal(plat_exit_status, UKPLAT_EXIT_PANIC);
	assert_non_null(plat_out_find("assertion failed: x == 2"));
	reset(NULL);
	if (!setjmp(exit_jmp)) {
		UK_CRASH("first");
	}
	/* a panic while the first is still in progress gives up at once */
	if (!setjmp(exit_jmp)) {
		UK_CRASH("second");
	}
	assert_non_null(plat_out_find("PANIC inside panic: giving up"));
	assert_null(plat_out_find("second"));
	reset(NULL);
	if (!setjmp(exit_jmp)) {
		UK_BUGON(x);
		fail();
	}
	assert_non_null(plat_out_find("bug: x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_printk_format, reset),
		cmocka_unit_test_setup(test_printk_long_is_marked, reset),
		cmocka_unit_test_setup(test_compile_time_filter, reset),
		cmocka_unit_test_setup(test_symtab_lookup, reset),
		cmocka_unit_test_setup(test_symtab_malformed, reset),
		cmocka_unit_test_setup(test_crash_report, reset),
		cmocka_unit_test_setup(test_page_fault_decode, reset),
		cmocka_unit_test_setup(test_panic_and_assert, reset),
		cmocka_unit_test_setup(test_assert_fires, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
