/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukdebug assertions and panic.
 *
 * UK_CRASH(fmt, ...) prints "PANIC: <message> (file:line, function)", a
 * backtrace, and ends the image with status UKPLAT_EXIT_PANIC (124).
 * UK_BUGON(cond) panics when cond is true; always compiled in.
 * UK_ASSERT(cond) panics when cond is false; compiled in unless
 * UK_ASSERT_DISABLED is defined (Meson option `assertions=false`).
 */
#ifndef UK_ASSERT_H
#define UK_ASSERT_H

#ifdef __cplusplus
extern "C" {
#endif

void uk_panic(const char *file, int line, const char *func, const char *fmt,
	      ...) __attribute__((noreturn, format(printf, 4, 5)));

#define UK_CRASH(...) uk_panic(__FILE__, __LINE__, __func__, __VA_ARGS__)

#define UK_BUGON(cond)                              \
	do {                                        \
		if (__builtin_expect(!!(cond), 0))  \
			UK_CRASH("bug: %s", #cond); \
	} while (0)

#ifdef UK_ASSERT_DISABLED
#define UK_ASSERT(cond) ((void)sizeof(!(cond)))
#else
#define UK_ASSERT(cond)                                          \
	do {                                                     \
		if (__builtin_expect(!(cond), 0))                \
			UK_CRASH("assertion failed: %s", #cond); \
	} while (0)
#endif

#ifdef __cplusplus
}
#endif
#endif /* UK_ASSERT_H */
