/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixexec unit tests: execve's argument handling, its errors, and the
 * binary path's entry into the new program (the `syscall` frame rewritten),
 * with doubles of ukelfloader, posixprocess and the allocator. Real
 * programs run in the boot tests (tests/spawn).
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
#include <uk/alloc.h>
#include <uk/arch/syscall.h>
#include <uk/elfloader.h>
#include <uk/exec.h>
#include <uk/plat/bootinfo.h>
#include <uk/process.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>

/* ---- doubles ---- */

uintptr_t uk_syscall_aux_sp; /* the image takes `syscall` */
volatile int uk_syscall_exit_work;

static struct {
	uint8_t fpu[512];
	struct ukarch_syscall_frame f;
} __attribute__((aligned(64))) bin;
static struct ukarch_syscall_frame *frame_now;
struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	return frame_now;
}

static int load_rc;
static char loaded_path[256];
int uk_elf_load_file(struct uk_elf_prog *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	snprintf(loaded_path, sizeof(loaded_path), "%s", path);
	if (load_rc) {
		snprintf(p->err, sizeof(p->err), "not an ELF file (bad magic)");
		return load_rc;
	}
	p->mem = (void *)0x1000;
	p->entry = 0x401000;
	return 0;
}

static int unloads;
void uk_elf_unload(struct uk_elf_prog *p)
{
	unloads++;
	memset(p, 0, sizeof(*p));
}

static int stack_argc;
static char *stack_argv[8], *stack_envp[8];
long uk_elf_stack_init(struct uk_elf_prog *p, void *stack, size_t size,
		       int argc, char *const argv[], char *const envp[],
		       const char *execfn, const uint8_t *random)
{
	(void)p, (void)execfn, (void)random;
	stack_argc = argc;
	for (int i = 0; i < argc && i < 8; i++)
		stack_argv[i] = strdup(argv[i]);
	for (int i = 0; envp && envp[i] && i < 8; i++)
		stack_envp[i] = strdup(envp[i]);
	return (long)((uintptr_t)stack + size - 64);
}

/* the native jump into a program (the real one is linked in with the
 * architecture's sources: --wrap puts this one in its place) */
void __wrap_ukarch_linux_enter(uintptr_t entry, uintptr_t sp);
void __wrap_ukarch_linux_enter(uintptr_t entry, uintptr_t sp)
{
	(void)entry, (void)sp;
	fail_msg("native entry in a test");
	abort();
}

static int exec_rc, execs;
static void *exec_ext;
static char exec_comm[64];
static const struct uk_process_ext_ops *ops;
int uk_process_exec(const char *comm, void *ext)
{
	execs++;
	snprintf(exec_comm, sizeof(exec_comm), "%s", comm);
	if (exec_rc)
		return exec_rc;
	exec_ext = ext;
	return 0;
}
void uk_process_set_ext_ops(const struct uk_process_ext_ops *o)
{
	ops = o;
}

static struct uk_alloc fake;
struct uk_alloc *uk_alloc_get_default(void)
{
	return &fake;
}
static long pages_out;
void *uk_palloc(struct uk_alloc *a, size_t n)
{
	(void)a;
	pages_out += (long)n;
	return aligned_alloc(4096, n * 4096);
}
void uk_pfree(struct uk_alloc *a, void *p, size_t n)
{
	(void)a;
	pages_out -= (long)n;
	free(p);
}
int ukplat_page_guard(void *page, int on)
{
	(void)page, (void)on;
	return 0;
}
struct uk_thread *uk_thread_current(void)
{
	return NULL;
}
/* the window (window.c): nothing fixed-address is loaded here */
void uk_elf_set_fixed_ops(const struct uk_elf_fixed_ops *o)
{
	(void)o;
}
int ukplat_window_init(uintptr_t base, unsigned long len)
{
	(void)base, (void)len;
	return -ENOTSUP;
}
int ukplat_window_map(uint64_t *const pts[], uintptr_t va, uint64_t pa,
		      unsigned long len, int prot)
{
	(void)pts, (void)va, (void)pa, (void)len, (void)prot;
	return -ENOTSUP;
}
void ukplat_window_install(uint64_t *const pts[])
{
	(void)pts;
}
static struct ukplat_bootinfo bi;
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

static void reset(void)
{
	for (int i = 0; i < 8; i++) {
		free(stack_argv[i]);
		free(stack_envp[i]);
		stack_argv[i] = stack_envp[i] = NULL;
	}
	load_rc = exec_rc = execs = unloads = 0;
	frame_now = NULL;
	uk_syscall_exit_work = 0;
}

/* ---- tests ---- */

static void test_errors(void **state)
{
	char err[UK_ELF_ERRLEN];
	char *const argv[] = {"p", NULL};

	(void)state;
	reset();
	assert_int_equal(uk_syscall_call(execve, NULL, argv, NULL), -EFAULT);
	/* the loader's reason: through uk_exec, and logged by execve */
	load_rc = -ENOEXEC;
	assert_int_equal(uk_exec("/bin/x", argv, NULL, err, sizeof(err)),
			 -ENOEXEC);
	assert_string_equal(err, "not an ELF file (bad magic)");
	plat_out_reset();
	assert_int_equal(uk_syscall_call(execve, "/bin/x", argv, NULL),
			 -ENOEXEC);
	assert_non_null(plat_out_find("execve /bin/x: not an ELF file"));
	/* a missing file is not logged */
	load_rc = -ENOENT;
	plat_out_reset();
	assert_int_equal(uk_syscall_call(execve, "/bin/x", argv, NULL),
			 -ENOENT);
	assert_null(plat_out_find("execve"));
	assert_int_equal(execs, 0);
	assert_int_equal(pages_out, 0);
	/* too many arguments, a string too long */
	load_rc = 0;
	static char *many[UK_EXEC_MAX_ARGS + 2];
	for (int i = 0; i <= UK_EXEC_MAX_ARGS; i++)
		many[i] = "a";
	assert_int_equal(uk_syscall_call(execve, "/bin/x", many, NULL), -E2BIG);
	char *big = malloc(UK_EXEC_MAX_STRLEN + 2);
	memset(big, 'b', UK_EXEC_MAX_STRLEN + 1);
	big[UK_EXEC_MAX_STRLEN + 1] = 0;
	char *const bigv[] = {big, NULL};
	assert_int_equal(uk_syscall_call(execve, "/bin/x", argv, bigv), -E2BIG);
	free(big);
	assert_int_equal(execs, 0);
	/* the point of no return refused (no memory): all given back */
	exec_rc = -ENOMEM;
	assert_int_equal(uk_syscall_call(execve, "/bin/x", argv, NULL),
			 -ENOMEM);
	assert_int_equal(unloads, 1);
	assert_int_equal(pages_out, 0);
	/* execveat: AT_FDCWD or absolute, flags */
	assert_int_equal(uk_syscall_call(execveat, 3, "rel", argv, NULL, 0),
			 -ENOSYS);
	assert_int_equal(uk_syscall_call(execveat, -100, "x", argv, NULL, 1),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(execveat, -100, "", argv, NULL, 0),
			 -ENOENT);
}

static void test_binary_entry(void **state)
{
	char *const argv[] = {"prog", "one", "two words", NULL};
	char *const envp[] = {"A=1", NULL};

	(void)state;
	reset();
	memset(&bin, 0x77, sizeof(bin));
	bin.f.rip = 0x1234;
	frame_now = &bin.f;
	assert_int_equal(uk_syscall_call(execve, "/bin/prog", argv, envp), 0);
	assert_string_equal(loaded_path, "/bin/prog");
	assert_string_equal(exec_comm, "/bin/prog");
	assert_int_equal(stack_argc, 3);
	assert_string_equal(stack_argv[2], "two words");
	assert_string_equal(stack_envp[0], "A=1");
	/* the frame is the new program's start */
	assert_int_equal(bin.f.rip, 0x401000);
	assert_int_equal(bin.f.rflags, 0x202);
	assert_int_equal(bin.f.rbx, 0);
	assert_int_equal(bin.f.r15, 0);
	assert_true(bin.f.rsp != 0);
	assert_int_equal(bin.fpu[0], 0x7f); /* FCW 0x037f */
	assert_int_equal(bin.fpu[1], 0x03);
	assert_int_equal(bin.fpu[24], 0x80); /* MXCSR 0x1f80 */
	assert_int_equal(bin.fpu[100], 0);
	assert_true(uk_syscall_exit_work);
	/* the process owns the program: its release gives it all back */
	assert_non_null(ops);
	assert_non_null(exec_ext);
	ops->release(exec_ext);
	assert_int_equal(unloads, 1);
	assert_int_equal(pages_out, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_binary_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
