/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <stdio.h>: formatted output to the platform console and to strings.
 * stdout and stderr both write to ukplat_console_write(), unbuffered; there is
 * no input and no file I/O.
 */
#ifndef __NOLIBC_STDIO_H
#define __NOLIBC_STDIO_H

#define __need_size_t
#define __need_NULL
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct __nolibc_file FILE;

extern FILE *stdout;
extern FILE *stderr;

#define EOF (-1)

#define __NOLIBC_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

int printf(const char *__restrict fmt, ...) __NOLIBC_PRINTF(1, 2);
int vprintf(const char *__restrict fmt, __builtin_va_list ap)
	__NOLIBC_PRINTF(1, 0);
int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
	__NOLIBC_PRINTF(2, 3);
int vfprintf(FILE *__restrict f, const char *__restrict fmt,
	     __builtin_va_list ap) __NOLIBC_PRINTF(2, 0);
int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
	__NOLIBC_PRINTF(2, 3);
int vsprintf(char *__restrict buf, const char *__restrict fmt,
	     __builtin_va_list ap) __NOLIBC_PRINTF(2, 0);
int snprintf(char *__restrict buf, size_t n, const char *__restrict fmt, ...)
	__NOLIBC_PRINTF(3, 4);
int vsnprintf(char *__restrict buf, size_t n, const char *__restrict fmt,
	      __builtin_va_list ap) __NOLIBC_PRINTF(3, 0);

int puts(const char *s);
int putchar(int c);
int fputs(const char *__restrict s, FILE *__restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
/* The console is unbuffered: always 0. */
int fflush(FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_STDIO_H */
