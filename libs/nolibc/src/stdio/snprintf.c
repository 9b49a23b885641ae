/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * snprintf, vsnprintf, sprintf, vsprintf. The return value is the length the
 * full output has (or would have); at most n - 1 characters and a NUL are
 * stored; n == 0 stores nothing and buf may then be NULL.
 */
#include <stdint.h>
#include <string.h>
#include "stdio_impl.h"

struct string_sink {
	struct __nolibc_sink base; /* first: the engine hands us this */
	char *buf;
	size_t room; /* characters that fit, NUL excluded */
	size_t pos;  /* characters stored */
};

static void string_write(struct __nolibc_sink *sink, const char *p, size_t n)
{
	struct string_sink *s = (struct string_sink *)sink;
	size_t k = s->room - s->pos;

	if (k > n)
		k = n;
	if (k) {
		memcpy(s->buf + s->pos, p, k);
		s->pos += k;
	}
	if (s->pos == s->room)
		s->base.full = 1;
}

int vsnprintf(char *__restrict buf, size_t n, const char *__restrict fmt,
	      va_list ap)
{
	struct string_sink s;
	int ret;

	s.base.write = string_write;
	s.base.full = n <= 1;
	s.buf = buf;
	s.room = n ? n - 1 : 0;
	s.pos = 0;
	ret = __nolibc_vformat(&s.base, fmt, ap);
	if (n)
		buf[s.pos] = '\0';
	return ret;
}

int snprintf(char *__restrict buf, size_t n, const char *__restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return ret;
}

int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return ret;
}
