/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukboot: from the platform's hand-over to main() and back.
 *
 * Sequence: command line to library parameters and argv -> init table
 * classes (see <uk/init.h>) -> C constructors (.init_array) ->
 * main(argc, argv) -> ukplat_exit() with main's return value.
 *
 * Command line: "lib.param=value ... -- app arguments"; without "--" every
 * word is the application's. Words "virtio_mmio.device=..." (what QEMU
 * microvm appends) are library parameters wherever they stand.
 */
#ifndef UK_BOOT_H
#define UK_BOOT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Called once by the platform when its early init is done (console usable,
 * ukplat_bootinfo() valid). Never returns: ends the image with main()'s
 * status, or with UKPLAT_EXIT_BOOTFAIL (123) and a message on the console if
 * an init function fails or the command line is refused.
 */
void ukboot_entry(void) __attribute__((noreturn));

/*
 * What exit() does before the process ends - atexit handlers, stdio flush -
 * for main()'s return (C11: returning from main is exit(status)). Weak: the
 * libc glue (muslglue, newlibglue) defines it; ukboot_entry() calls it when
 * present, then ukplat_exit(status).
 */
void ukboot_libc_exit(int status) __attribute__((weak));

/*
 * The boot sequence without the final exit: runs init functions and
 * constructors, parses `cmdline` (`len` bytes, need not be NUL-terminated) and
 * calls main(). Returns 0 and stores main()'s return value in *status, or
 * returns -1 (after printing why) when boot could not reach main().
 * Exposed for tests.
 */
int ukboot_run(const char *cmdline, size_t len, int *status);

/*
 * Library parameters, for init functions (valid from UK_INIT_EARLY on):
 * the value of the last "name=value" word, or NULL when there is none;
 * uk_boot_param_nth() returns the nth (0-based) of repeated ones. A
 * parameter no library asked for by the end of the init table is reported
 * as "unknown library parameter" (never fatal).
 */
const char *uk_boot_param(const char *name);
const char *uk_boot_param_nth(const char *name, unsigned nth);

/* The application's arguments as main() gets them (valid from
 * UK_INIT_EARLY on; argv[argc] is NULL): returns argc, *argv set. */
int uk_boot_argv(char ***argv);

/*
 * main()'s stack: ukboot runs the constructors, main() and the exit steps
 * on a stack of its own with an unmapped guard page below it, taken from
 * the heap once the init functions have run. Its size is the workspace
 * option main_stack_size, unless the image defines `uk_main_stack_size`
 * (mkimage.py --main-stack-size does; ukboot references it weakly), and the
 * library parameter ukboot.main_stack=SIZE (bytes, or K, M, G) overrides
 * both.
 */
extern const unsigned long uk_main_stack_size;

/* Sizes ukboot accepts for main()'s stack (bytes). */
#define UK_MAIN_STACK_MIN (64ul << 10)
#define UK_MAIN_STACK_MAX (1ul << 30)

/*
 * Memory for main()'s stack: `len` bytes (a multiple of 4096) from the
 * returned address up, 4096-aligned, never given back, and the page below
 * made inaccessible (ukplat_page_guard): *guard is that page, or 0 when the
 * platform could not unmap it. NULL when there is not that much memory.
 * Weak: the heap (ukalloc) defines it, so that the page-table code comes
 * only into images with a heap; one without runs main() on the platform's
 * stack (ukboot says so at the info level).
 */
void *ukboot_stack_alloc(size_t len, uintptr_t *guard) __attribute__((weak));

/*
 * The usable bytes of main()'s stack (the guard page not counted): what
 * getrlimit(RLIMIT_STACK) reports. 0 before main()'s stack is set up and
 * when main() runs on the platform's stack.
 */
size_t uk_boot_main_stack_size(void);

/*
 * Parse a size: decimal digits with an optional binary suffix K, M or G
 * (either case; "8M" is 8 << 20). Returns 0 and sets *out, or -EINVAL
 * (empty, not a number, another suffix, overflow).
 */
int uk_boot_parse_size(const char *s, size_t *out);

/* Application name, argv[0]. The composer defines it from the app's name;
 * it defaults to "app". */
extern const char uk_app_name[];

#ifdef __cplusplus
}
#endif
#endif /* UK_BOOT_H */
