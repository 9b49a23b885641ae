/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc stdio internals: FILE, output sinks and the printf engine. */
#ifndef __NOLIBC_SRC_STDIO_IMPL_H
#define __NOLIBC_SRC_STDIO_IMPL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Both streams are the console; fd only tells them apart. */
struct __nolibc_file {
	int fd;
};

/*
 * Where formatted output goes. write() is called with n >= 1. A sink sets
 * `full` once it ignores further output (a filled snprintf buffer); the
 * engine then only counts.
 */
struct __nolibc_sink {
	void (*write)(struct __nolibc_sink *sink, const char *p, size_t n);
	int full;
};

/*
 * The printf engine. Returns the number of characters produced, or -1 with
 * errno set: EOVERFLOW (more than INT_MAX characters, or a width/precision
 * above INT_MAX), EILSEQ (%lc/%ls with a character outside ASCII).
 */
int __nolibc_vformat(struct __nolibc_sink *sink, const char *fmt, va_list ap);

/* Shared between the engine and the floating-point conversions. */
struct __nolibc_out {
	struct __nolibc_sink *sink;
	size_t count;
};

#define __NOLIBC_F_MINUS 0x01u
#define __NOLIBC_F_PLUS	 0x02u
#define __NOLIBC_F_SPACE 0x04u
#define __NOLIBC_F_ALT	 0x08u
#define __NOLIBC_F_ZERO	 0x10u

struct __nolibc_spec {
	unsigned int flags;
	int width; /* >= 0 */
	int prec;  /* -1: none given */
	char conv;
};

void __nolibc_out_write(struct __nolibc_out *o, const char *p, size_t n);
void __nolibc_out_repeat(struct __nolibc_out *o, char c, size_t n);
/* Spaces before the field (right-justified) for a field of len chars. */
void __nolibc_out_pad_left(struct __nolibc_out *o,
			   const struct __nolibc_spec *sp, size_t len);
/* Spaces after the field (left-justified, '-' flag). */
void __nolibc_out_pad_right(struct __nolibc_out *o,
			    const struct __nolibc_spec *sp, size_t len);

/* The bits of the double nearest an IEEE binary128 value (hi: sign,
 * exponent and the top 48 bits of the significand); round half to even. */
uint64_t __nolibc_f128_to_f64(uint64_t hi, uint64_t lo);

/* %f %F %e %E %g %G %a %A */
void __nolibc_format_double(struct __nolibc_out *o,
			    const struct __nolibc_spec *sp, double v);

#endif /* __NOLIBC_SRC_STDIO_IMPL_H */
