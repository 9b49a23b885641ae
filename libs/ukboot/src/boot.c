/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/argparse.h>
#include <uk/boot.h>
#include <uk/exit.h>
#include <uk/init.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/halt.h>
#include <uk/plat/console.h>
#include <uk/plat/stack.h>
#include <uk/print.h>
#include <uk/symbols.h>
#if defined(UK_BOOT_TRACE)
#include <uk/arch/cpu.h>
#endif

#ifndef UK_CMDLINE_MAX
#define UK_CMDLINE_MAX 8192
#endif
#ifndef UK_ARGV_MAX
#define UK_ARGV_MAX 256
#endif
/* main()'s stack (the workspace option main_stack_size): 1 MiB unless set */
#ifndef UK_MAIN_STACK_SIZE
#define UK_MAIN_STACK_SIZE (1ul << 20)
#endif
#define PAGE_SIZE 4096ul

/* Declared without a prototype: applications define main either as
 * main(void) or main(int, char **), and a prototype here would make LTO warn
 * about every main(void). Both take the call below on x86_64 and arm64. */
int main();

extern const uk_init_func_t __uk_inittab_start[], __uk_inittab_end[];
extern const uk_exit_func_t __uk_exittab_start[], __uk_exittab_end[];
typedef void (*uk_ctor_func_t)(void);
extern const uk_ctor_func_t __init_array_start[], __init_array_end[];

const char uk_app_name[] __attribute__((weak)) = "app";
/* Defined only by an image with its own size (compose.py): a weak
 * reference, which LTO cannot fold the way it folds a weak default. */
#pragma weak uk_main_stack_size

/* src/<arch>/stack.S */
int ukboot_call_on_stack(int (*fn)(int, char **), int argc, char **argv,
			 void *top);

/* The command line is copied here and split in place; argv[0] is the app. */
static char cmdline_buf[UK_CMDLINE_MAX];
static char *argv_buf[UK_ARGV_MAX + 2];

static int run_inittab(void)
{
	for (const uk_init_func_t *f = __uk_inittab_start; f < __uk_inittab_end;
	     f++) {
		int rc = (*f)();
		if (rc < 0) {
			const char *name = uk_symbol_name((uintptr_t)*f, NULL);
			/* the number, not strerror(): its table of texts
			 * would cost every image about 2 KB */
			uk_pr_crit("init function %s (%p) failed: error %d",
				   name ? name : "?", (void *)(uintptr_t)*f,
				   rc);
			return -1;
		}
	}
	return 0;
}

void uk_exit_hooks_run(void)
{
	static int ran;

	if (ran++)
		return;
	for (const uk_exit_func_t *f = __uk_exittab_start; f < __uk_exittab_end;
	     f++)
		(*f)();
}

/*
 * Library parameters: the "name=value" words before "--", plus words that
 * name a parameter Linux-style wherever they are (QEMU microvm appends
 * "virtio_mmio.device=..." to the command line, after any "--"): those are
 * taken out of the application's arguments.
 */
static const char *const anywhere_params[] = {"virtio_mmio.device="};
static char *params[UK_ARGV_MAX];
static char **boot_argv; /* what main() gets */
static int boot_argc;
static unsigned char param_used[UK_ARGV_MAX];
static int nr_params;

static int is_anywhere_param(const char *w)
{
	for (size_t i = 0;
	     i < sizeof(anywhere_params) / sizeof(*anywhere_params); i++)
		if (!strncmp(w, anywhere_params[i], strlen(anywhere_params[i])))
			return 1;
	return 0;
}

static void collect_params(int lib_argc, char **lib_argv, int *app_argc,
			   char **app_argv)
{
	int keep = 0;

	nr_params = 0;
	for (int i = 0; i < lib_argc; i++)
		params[nr_params++] = lib_argv[i];
	for (int i = 0; i < *app_argc; i++) {
		if (is_anywhere_param(app_argv[i]))
			params[nr_params++] = app_argv[i];
		else
			app_argv[keep++] = app_argv[i];
	}
	app_argv[keep] = NULL;
	*app_argc = keep;
	memset(param_used, 0, sizeof(param_used));
}

static const char *param_value(int i, const char *name, size_t nlen)
{
	if (strncmp(params[i], name, nlen) || params[i][nlen] != '=')
		return NULL;
	param_used[i] = 1;
	return params[i] + nlen + 1;
}

const char *uk_boot_param(const char *name)
{
	size_t nlen = strlen(name);
	const char *v = NULL, *w;

	for (int i = 0; i < nr_params; i++)
		if ((w = param_value(i, name, nlen)) != NULL)
			v = w;
	return v;
}

const char *uk_boot_param_nth(const char *name, unsigned nth)
{
	size_t nlen = strlen(name);
	const char *w;

	for (int i = 0; i < nr_params; i++)
		if ((w = param_value(i, name, nlen)) != NULL && nth-- == 0)
			return w;
	return NULL;
}

static void warn_unused_params(void)
{
	for (int i = 0; i < nr_params; i++)
		if (!param_used[i])
			uk_pr_warn("unknown library parameter '%s' ignored",
				   params[i]);
}

static int build_argv(const char *cmdline, size_t len, int *argc, char ***argv)
{
	struct uk_argparse_error err;
	int lib_argc, app_argc, n;
	char **lib_argv, **app_argv;

	if (len >= sizeof(cmdline_buf)) {
		uk_pr_crit(
			"command line is %zu bytes, longer than the limit of "
			"%zu (ukboot option cmdline_max)",
			len, sizeof(cmdline_buf) - 1);
		return -1;
	}
	memcpy(cmdline_buf, cmdline, len);
	cmdline_buf[len] = '\0';
	if (strlen(cmdline_buf) != len) {
		uk_pr_crit("command line contains a NUL byte at offset %zu",
			   strlen(cmdline_buf));
		return -1;
	}

	n = uk_argparse(cmdline_buf, &argv_buf[1], UK_ARGV_MAX, &err);
	if (n == -E2BIG) {
		uk_pr_crit(
			"command line has more than %d arguments (ukboot "
			"option argv_max); the first one over is at byte %zu",
			UK_ARGV_MAX, err.offset);
		return -1;
	}
	if (n < 0) {
		uk_pr_crit("malformed command line: %s at byte %zu", err.reason,
			   err.offset);
		return -1;
	}
	uk_argparse_split(n, &argv_buf[1], &lib_argc, &lib_argv, &app_argc,
			  &app_argv);
	collect_params(lib_argc, lib_argv, &app_argc, app_argv);

	/* argv[0] sits just before the first application argument. */
	app_argv[-1] = (char *)uk_app_name;
	*argc = boot_argc = app_argc + 1;
	*argv = boot_argv = app_argv - 1;
	return 0;
}

int uk_boot_argv(char ***argv)
{
	*argv = boot_argv;
	return boot_argc;
}

/*
 * The output half of console.stty (docs/design.md, "The console"): every
 * image has ukboot, not every image has fdtab (which does the whole of
 * termios from the same parameter later), and `unikit run` asks every
 * image for byte-exact output. The last word that decides wins.
 */
static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

static void console_output_mode(void)
{
	const char *p = uk_boot_param("console.stty");
	int opost = 1, onlcr = 1; /* the platform's start (fdtab's too) */

	if (!p)
		return;
	/* bounded by the parameter's length */
	while (*p) {
		size_t n = strcspn(p, ",");

		if (word_is(p, n, "-opost") || word_is(p, n, "raw"))
			opost = 0;
		else if (word_is(p, n, "opost"))
			opost = 1;
		else if (word_is(p, n, "-onlcr"))
			onlcr = 0;
		else if (word_is(p, n, "onlcr"))
			onlcr = 1;
		else if (word_is(p, n, "cooked"))
			opost = onlcr = 1;
		p += n + (p[n] == ',');
	}
	ukplat_console_set_onlcr(opost && onlcr);
}

int uk_boot_parse_size(const char *s, size_t *out)
{
	size_t v = 0;
	unsigned shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (SIZE_MAX - (size_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (size_t)(*s - '0');
	}
	switch (*s) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (shift && (s[1] || v > (SIZE_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static size_t main_stack_bytes;

size_t uk_boot_main_stack_size(void)
{
	return main_stack_bytes;
}

/*
 * The size main()'s stack gets: ukboot.main_stack=SIZE, else the image's
 * uk_main_stack_size; rounded up to whole pages. 0 and a message when the
 * size is refused.
 */
static size_t main_stack_wanted(void)
{
	const char *p = uk_boot_param("ukboot.main_stack");
	size_t want =
		&uk_main_stack_size ? uk_main_stack_size : UK_MAIN_STACK_SIZE;

	if (p && uk_boot_parse_size(p, &want) < 0) {
		uk_pr_crit("ukboot.main_stack=%s: not a size (use bytes, or a "
			   "number with K, M or G)",
			   p);
		return 0;
	}
	if (want < UK_MAIN_STACK_MIN || want > UK_MAIN_STACK_MAX) {
		uk_pr_crit("main()'s stack: %zu bytes (%s) is outside %lu KiB "
			   "to %lu MiB",
			   want,
			   p ? "ukboot.main_stack"
			     : "option main_stack_size or the image's "
			       "--main-stack-size",
			   UK_MAIN_STACK_MIN >> 10, UK_MAIN_STACK_MAX >> 20);
		return 0;
	}
	return (want + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/*
 * Take main()'s stack from the heap: [guard page][size bytes]. Returns its
 * top, NULL when main() stays on the platform's stack (no heap in the
 * image), or (void *)-1 after a message when the boot must stop.
 */
static void *main_stack_setup(void)
{
	size_t size = main_stack_wanted(), asked;
	uintptr_t guard = 0;
	char *mem;

	if (!size)
		return (void *)-1;
	if (!ukboot_stack_alloc) {
		uk_pr_info("no heap in the image: main() runs on the "
			   "platform's stack");
		return NULL;
	}
	asked = size;
	mem = ukboot_stack_alloc(size, &guard);
	/* The build's default is a wish, not a demand: in a VM too small for
	 * it main() gets the largest stack down to the minimum that fits, and
	 * says so. A size the image or the command line asked for is kept. */
	if (!mem && !uk_boot_param("ukboot.main_stack") &&
	    !&uk_main_stack_size) {
		while (!mem && size / 2 >= UK_MAIN_STACK_MIN) {
			size = (size / 2 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			mem = ukboot_stack_alloc(size, &guard);
		}
		if (mem)
			uk_pr_warn(
				"main()'s stack: %zu KiB, not the default %zu "
				"KiB (too little memory for it)",
				size >> 10, asked >> 10);
	}
	if (!mem) {
		uk_pr_crit("main()'s stack: no %zu KiB free in the heap (give "
			   "the VM more memory or main() a smaller stack: "
			   "ukboot.main_stack=SIZE)",
			   asked >> 10);
		return (void *)-1;
	}
	if (!guard)
		uk_pr_warn("main()'s stack has no guard page (no page table "
			   "left to unmap one)");
	ukplat_stack_register("main()'s stack", guard, (uintptr_t)mem,
			      (uintptr_t)mem + size);
	main_stack_bytes = size;
	return mem + size;
}

/* ukboot_entry(): the exit steps follow main() on its stack */
static int exit_after_main;

/* What runs on main()'s stack: constructors, main(), the exit steps. */
static int ctors_and_main(int argc, char **argv)
{
	int status;

	for (const uk_ctor_func_t *c = __init_array_start; c < __init_array_end;
	     c++)
		(*c)();

#if defined(UK_BOOT_TRACE)
	{
		uint64_t now = ukarch_cycles();
		uint64_t t0 = ukplat_bootinfo()->tsc_at_entry;
		uk_printk(UK_LOG_INFO, "ukboot",
			  "trace: tsc_entry=%lu tsc_main=%lu delta=%lu",
			  (unsigned long)t0, (unsigned long)now,
			  (unsigned long)(now - t0));
		/* a counter that is not one tick per instruction under
		 * -icount shift=0 (arm64's generic timer) says its rate, so
		 * that the ticks can be turned into nanoseconds of virtual
		 * time, which is one per instruction there */
		if (ukarch_cycles_hz())
			uk_printk(UK_LOG_INFO, "ukboot", "trace: cycles_hz=%lu",
				  (unsigned long)ukarch_cycles_hz());
	}
#endif
	status = main(argc, argv);
	/* the libc's exit() would end in exit_group, which an image without
	 * posixprocess lacks: only its steps before that */
	if (exit_after_main && ukboot_libc_exit)
		ukboot_libc_exit(status);
	return status;
}

int ukboot_run(const char *cmdline, size_t len, int *status)
{
	int argc;
	char **argv;
	void *top;

	/* the command line first: init functions read library parameters */
	if (build_argv(cmdline, len, &argc, &argv) < 0)
		return -1;
	console_output_mode();
	if (run_inittab() < 0)
		return -1;
	top = main_stack_setup();
	if (top == (void *)-1)
		return -1;
	warn_unused_params();
	if (top)
		*status = ukboot_call_on_stack(ctors_and_main, argc, argv, top);
	else
		*status = ctors_and_main(argc, argv);
	/* main() returned without a libc exit() (that one runs them from
	 * exit_group) */
	uk_exit_hooks_run();
	return 0;
}

void ukboot_entry(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();

	uk_pr_info("booting %s on %s (%s), command line: \"%s\"", uk_app_name,
		   bi->plat_name, bi->loader_name, bi->cmdline);
	int status;

	exit_after_main = 1;
	if (ukboot_run(bi->cmdline, bi->cmdline_len, &status) < 0)
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL); /* ukboot_run() said why */
	ukplat_exit(status);
}
