/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The failure path of assert(). It does not use printf (assert is used in
 * low-level code that should not pull in the format engine); the message is
 * gathered in a small buffer so it normally reaches the console in one write.
 */
#include <assert.h>
#include <stdlib.h>
#include <uk/plat/console.h>

struct msgbuf {
	char buf[160];
	size_t len;
};

static void flush(struct msgbuf *m)
{
	if (m->len)
		ukplat_console_write(m->buf, m->len);
	m->len = 0;
}

static void add(struct msgbuf *m, const char *s)
{
	for (; *s; s++) {
		if (m->len == sizeof(m->buf))
			flush(m);
		m->buf[m->len++] = *s;
	}
}

void __nolibc_assert_fail(const char *expr, const char *file, int line,
			  const char *func)
{
	struct msgbuf m;
	char num[12];
	char *p = num + sizeof(num);
	unsigned int v =
		line < 0 ? 0U - (unsigned int)line : (unsigned int)line;

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (line < 0)
		*--p = '-';

	m.len = 0;
	add(&m, "Assertion failed: ");
	add(&m, expr);
	add(&m, " (");
	add(&m, file);
	add(&m, ":");
	add(&m, p);
	add(&m, ": ");
	add(&m, func);
	add(&m, ")\n");
	flush(&m);
	abort();
}
