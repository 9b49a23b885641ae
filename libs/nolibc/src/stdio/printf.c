/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * printf, vprintf, fprintf, vfprintf: format into a small stack buffer and
 * hand it to ukplat_console_write() whenever it fills up (pieces larger than
 * the buffer go straight through). Output is never truncated.
 */
#include <errno.h>
#include <string.h>
#include <uk/plat/console.h>
#include "stdio_impl.h"

#define CONSOLE_CHUNK 128

struct console_sink {
	struct __nolibc_sink base; /* first: the engine hands us this */
	int failed;
	size_t len;
	char buf[CONSOLE_CHUNK];
};

static void console_put(struct console_sink *c, const char *p, size_t n)
{
	if (c->failed)
		return;
	if (ukplat_console_write(p, n) != n) {
		c->failed = 1;
		c->base.full = 1; /* stop sending; only count */
	}
}

static void console_flush(struct console_sink *c)
{
	if (c->len)
		console_put(c, c->buf, c->len);
	c->len = 0;
}

static void console_write(struct __nolibc_sink *sink, const char *p, size_t n)
{
	struct console_sink *c = (struct console_sink *)sink;

	if (n >= sizeof(c->buf)) {
		console_flush(c);
		console_put(c, p, n);
		return;
	}
	if (n > sizeof(c->buf) - c->len)
		console_flush(c);
	memcpy(c->buf + c->len, p, n);
	c->len += n;
}

int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap)
{
	struct console_sink c;
	int ret;

	if (!f) {
		errno = EBADF;
		return -1;
	}
	c.base.write = console_write;
	c.base.full = 0;
	c.failed = 0;
	c.len = 0;
	ret = __nolibc_vformat(&c.base, fmt, ap);
	console_flush(&c);
	if (c.failed) {
		errno = EIO;
		return -1;
	}
	return ret;
}

int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfprintf(f, fmt, ap);
	va_end(ap);
	return ret;
}

int vprintf(const char *__restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *__restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return ret;
}
