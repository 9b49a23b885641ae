/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Init tables: library initialisation as data, not code.
 *
 * UK_INIT_CLASS(fn, class, prio) puts a pointer to `int fn(void)` in section
 * .uk_inittab.<class>.<prio>; the platform linker script keeps these sections
 * and sorts them by name, so ukboot runs them class by class, and within a
 * class by priority (0 first, 9 last), before C constructors and main().
 * An init function returns 0 on success or a negative errno; a failure stops
 * the boot with a message naming the function and the error.
 */
#ifndef UK_INIT_H
#define UK_INIT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*uk_init_func_t)(void);

#define UK_INIT_EARLY  1 /* right after the platform's early init */
#define UK_INIT_PLAT   2 /* platform devices */
#define UK_INIT_LIB    3 /* libraries (allocators, schedulers, stacks) */
#define UK_INIT_ROOTFS 4 /* mount the root filesystem */
#define UK_INIT_SYS    5 /* system services */
#define UK_INIT_LATE   6 /* anything that needs all of the above */

#define UK_INIT_STR_(x) #x
#define UK_INIT_SECTION_(cls, prio) \
	".uk_inittab." UK_INIT_STR_(cls) "." UK_INIT_STR_(prio)

#define UK_INIT_CLASS(fn, cls, prio)                                          \
	static const uk_init_func_t __uk_inittab_##fn                         \
		__attribute__((used, section(UK_INIT_SECTION_(cls, prio)))) = \
			(fn)

#define uk_early_initcall(fn)  UK_INIT_CLASS(fn, UK_INIT_EARLY, 5)
#define uk_plat_initcall(fn)   UK_INIT_CLASS(fn, UK_INIT_PLAT, 5)
#define uk_lib_initcall(fn)    UK_INIT_CLASS(fn, UK_INIT_LIB, 5)
#define uk_rootfs_initcall(fn) UK_INIT_CLASS(fn, UK_INIT_ROOTFS, 5)
#define uk_sys_initcall(fn)    UK_INIT_CLASS(fn, UK_INIT_SYS, 5)
#define uk_late_initcall(fn)   UK_INIT_CLASS(fn, UK_INIT_LATE, 5)

#ifdef __cplusplus
}
#endif
#endif /* UK_INIT_H */
