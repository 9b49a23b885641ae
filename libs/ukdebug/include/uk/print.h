/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukdebug printing: leveled kernel messages on the platform console.
 *
 * Messages below the compile-time level UK_LOG_LEVEL (set by the Meson option
 * `loglevel`) are removed by the preprocessor: they cost nothing in the image.
 * Each message is prefixed with the library name, "[ukboot] ...".
 */
#ifndef UK_PRINT_H
#define UK_PRINT_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_LOG_NONE  0
#define UK_LOG_CRIT  1
#define UK_LOG_ERR   2
#define UK_LOG_WARN  3
#define UK_LOG_INFO  4
#define UK_LOG_DEBUG 5

#ifndef UK_LOG_LEVEL
#define UK_LOG_LEVEL UK_LOG_WARN
#endif
#ifndef UK_LIBNAME
#define UK_LIBNAME "app"
#endif

/*
 * Format and print one message at `level` with the `lib` prefix. The whole
 * message reaches the console; one longer than 512 bytes is cut there and the
 * cut is marked with "[+N bytes cut]". Prefer the uk_pr_* macros below.
 */
void uk_printk(int level, const char *lib, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void uk_vprintk(int level, const char *lib, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define UK_PR_(lvl, ...)                                           \
	do {                                                       \
		if ((lvl) <= UK_LOG_LEVEL)                         \
			uk_printk((lvl), UK_LIBNAME, __VA_ARGS__); \
	} while (0)

#define uk_pr_crit(...)	 UK_PR_(UK_LOG_CRIT, __VA_ARGS__)
#define uk_pr_err(...)	 UK_PR_(UK_LOG_ERR, __VA_ARGS__)
#define uk_pr_warn(...)	 UK_PR_(UK_LOG_WARN, __VA_ARGS__)
#define uk_pr_info(...)	 UK_PR_(UK_LOG_INFO, __VA_ARGS__)
#define uk_pr_debug(...) UK_PR_(UK_LOG_DEBUG, __VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif /* UK_PRINT_H */
