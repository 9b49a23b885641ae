/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exit hooks: what libraries do when the image ends the way a process ends
 * (main() returns, exit(), a signal's default action) - not on a crash or a
 * killed VM. A Linux process' exit closes its descriptors and the kernel
 * then delivers what it wrote and the FIN; an image's power-off would drop
 * both, so the libraries that own descriptors and connections do that work
 * here, before the platform powers off.
 *
 * UK_EXIT_HOOK(fn, prio) puts a pointer to `void fn(void)` in section
 * .uk_exittab.<prio>; the platform linker script keeps these sorted by name
 * and uk_exit_hooks_run() calls them once, priority 0 first, 9 last.
 */
#ifndef UK_EXIT_H
#define UK_EXIT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*uk_exit_func_t)(void);

#define UK_EXIT_FDS 1 /* descriptors are closed (fdtab) */
#define UK_EXIT_NET 5 /* connections drain (uklwip) */

#define UK_EXIT_STR_(x)	       #x
#define UK_EXIT_SECTION_(prio) ".uk_exittab." UK_EXIT_STR_(prio)

#define UK_EXIT_HOOK(fn, prio)                        \
	static const uk_exit_func_t __uk_exittab_##fn \
		__attribute__((used, section(UK_EXIT_SECTION_(prio)))) = (fn)

/* Run every exit hook; later calls (an exit from a hook) do nothing. */
void uk_exit_hooks_run(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_EXIT_H */
