/* SPDX-License-Identifier: BSD-3-Clause */
/* The console's line discipline (src/tty.c) on its own: bytes in, echo and
 * read() results out. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../src/tty.h"

static struct uk_tty tty;
static char echo[4096];
static size_t elen;

static void feed(const char *s)
{
	uk_tty_input(&tty, s, strlen(s), echo, sizeof(echo) - 1, &elen);
	echo[elen] = 0;
}

static long rd(char *buf, size_t len)
{
	long r = uk_tty_read(&tty, buf, len);

	if (r > 0)
		buf[r] = 0;
	return r;
}

static int setup(void **state)
{
	(void)state;
	uk_tty_init(&tty);
	return 0;
}

static void test_canonical(void **state)
{
	char b[64];

	(void)state;
	feed("hel");
	assert_string_equal(echo, "hel");
	assert_int_equal(rd(b, sizeof(b)), -EAGAIN); /* no line yet */
	feed("lo\rworld\n");
	assert_string_equal(echo, "lo\nworld\n"); /* ICRNL; OPOST is not ours */
	assert_int_equal(uk_tty_readable(&tty), 6);
	assert_int_equal(rd(b, sizeof(b)), 6); /* one line per read */
	assert_string_equal(b, "hello\n");
	assert_int_equal(rd(b, 3), 3); /* a line in pieces */
	assert_string_equal(b, "wor");
	assert_int_equal(rd(b, sizeof(b)), 3);
	assert_string_equal(b, "ld\n");
	assert_int_equal(rd(b, sizeof(b)), -EAGAIN);
}

static void test_editing(void **state)
{
	char b[64];

	(void)state;
	feed("abx\x7f\x08");
	assert_string_equal(echo, "abx\b \b\b \b");
	feed("c\x15");
	assert_string_equal(echo, "c\b \b\b \b"); /* kill: a then c gone */
	feed("\x7f"); /* nothing left to erase: nothing echoed */
	assert_int_equal(elen, 0);
	feed("ok\n");
	assert_int_equal(rd(b, sizeof(b)), 3);
	assert_string_equal(b, "ok\n");
	/* an erase cannot reach into a complete line */
	feed("x\n\x7f\x7f");
	assert_int_equal(rd(b, sizeof(b)), 2);
}

static void test_eof(void **state)
{
	char b[64];

	(void)state;
	/* ^D mid-line: the line without it; at a line's start: end of file */
	feed("abc\x04\x04more\n\x04");
	assert_string_equal(echo, "abcmore\n"); /* VEOF is not echoed */
	assert_int_equal(rd(b, sizeof(b)), 3);
	assert_string_equal(b, "abc");
	assert_int_equal(rd(b, sizeof(b)), 0);
	assert_int_equal(rd(b, sizeof(b)), 5);
	assert_string_equal(b, "more\n");
	assert_int_equal(rd(b, sizeof(b)), 0);
	assert_int_equal(rd(b, sizeof(b)), -EAGAIN); /* each EOF once */
}

static void test_noecho_raw(void **state)
{
	const char *bad;
	size_t badlen;
	char b[64];
	struct uk_termios t;

	(void)state;
	assert_int_equal(uk_tty_stty(&tty, "-echo", &bad, &badlen), 0);
	feed("secret\n");
	assert_int_equal(elen, 0);
	tty.t.c_lflag |= UK_TTY_ECHONL;
	feed("x\n");
	assert_string_equal(echo, "\n");
	assert_int_equal(rd(b, sizeof(b)), 7);
	/* leaving ICANON: the line being edited becomes readable at once */
	feed("part");
	t = tty.t;
	t.c_lflag &= ~(uint32_t)UK_TTY_ICANON;
	uk_tty_set(&tty, &t, 0);
	assert_int_equal(rd(b, sizeof(b)), 6); /* "x\n" then "part" */
	assert_string_equal(b, "x\npart");
	/* raw: every byte as it is, ^D, ^?, CR and ^U included */
	assert_int_equal(uk_tty_stty(&tty, "raw", &bad, &badlen), 0);
	feed("\x04\x7f\r\x15\n");
	assert_int_equal(elen, 0);
	assert_int_equal(rd(b, 2), 2);
	assert_memory_equal(b, "\x04\x7f", 2);
	assert_int_equal(rd(b, sizeof(b)), 3);
	assert_memory_equal(b, "\r\x15\n", 3);
	assert_false(tty.t.c_oflag & UK_TTY_OPOST);
	/* back to cooked: a flush drops what was not read */
	feed("zz");
	t = tty.t;
	t.c_lflag |= UK_TTY_ICANON;
	uk_tty_set(&tty, &t, 1);
	assert_int_equal(rd(b, sizeof(b)), -EAGAIN);
}

static void test_full(void **state)
{
	char b[UK_TTY_BUF + 8];

	(void)state;
	/* a line longer than the buffer: the excess is dropped and counted,
	 * the last byte stays free for the line's end, as in n_tty */
	memset(b, 'a', sizeof(b) - 1);
	b[sizeof(b) - 1] = 0;
	feed(b);
	assert_int_equal(tty.dropped, 8);
	/* only a line end fits now: no room for bytes that may not be one */
	assert_int_equal(uk_tty_room(&tty), 0);
	feed("\n");
	assert_int_equal(tty.dropped, 8);
	assert_int_equal(uk_tty_room(&tty), 0);
	assert_int_equal(rd(b, sizeof(b)), UK_TTY_BUF);
	assert_int_equal(b[UK_TTY_BUF - 1], '\n');
	/* without ICANON every byte counts; a full buffer drops */
	tty.t.c_lflag &= ~(uint32_t)UK_TTY_ICANON;
	memset(b, 'b', UK_TTY_BUF + 1);
	b[UK_TTY_BUF + 1] = 0;
	feed(b);
	assert_int_equal(tty.dropped, 9);
	assert_int_equal(rd(b, sizeof(b)), UK_TTY_BUF);
	tty.t.c_lflag |= UK_TTY_ICANON;
	/* many short lines: at most UK_TTY_LINES wait */
	for (int i = 0; i < UK_TTY_LINES + 3; i++)
		feed("\n");
	assert_int_equal(tty.dropped, 9 + 3);
	for (int i = 0; i < UK_TTY_LINES; i++)
		assert_int_equal(rd(b, sizeof(b)), 1);
	assert_int_equal(rd(b, sizeof(b)), -EAGAIN);
}

/* A console delivering faster than the program reads: taking no more than
 * uk_tty_room() each time, nothing is ever dropped, whatever the lines. */
static void test_room_never_drops(void **state)
{
	static char in[3 * UK_TTY_BUF], out[3 * UK_TTY_BUF];
	size_t fed = 0, got = 0, len = 0;
	unsigned seed = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++) {
		seed = seed * 1103515245u + 12345u;
		/* short lines, some empty, some long */
		in[i] = (seed >> 16) % 23 == 0
				? '\n'
				: (char)('a' + (seed >> 20) % 26);
	}
	in[sizeof(in) - 1] = '\n';
	while (got < sizeof(in)) {
		/* fill to the brim, then read one line */
		for (size_t room;
		     fed < sizeof(in) && (room = uk_tty_room(&tty));) {
			size_t n = room < sizeof(in) - fed ? room
							   : sizeof(in) - fed;
			char echo[8];
			size_t elen;

			uk_tty_input(&tty, in + fed, n, echo, 0, &elen);
			fed += n;
		}
		assert_int_equal(tty.dropped, 0);
		long r = uk_tty_read(&tty, out + got, sizeof(out) - got);
		assert_true(r > 0);
		got += (size_t)r;
		len++;
	}
	assert_memory_equal(in, out, sizeof(in));
	assert_true(len > 100);
}

static void test_stty(void **state)
{
	const char *bad = NULL;
	size_t badlen = 0;

	(void)state;
	assert_int_equal(uk_tty_stty(&tty, "-onlcr,-echo,rows=50,cols=132",
				     &bad, &badlen),
			 0);
	assert_false(tty.t.c_oflag & UK_TTY_ONLCR);
	assert_true(tty.t.c_oflag & UK_TTY_OPOST);
	assert_false(tty.t.c_lflag & UK_TTY_ECHO);
	assert_true(tty.t.c_lflag & UK_TTY_ICANON);
	assert_int_equal(tty.rows, 50);
	assert_int_equal(tty.cols, 132);
	assert_int_equal(uk_tty_stty(&tty, "cooked", &bad, &badlen), 0);
	assert_true(tty.t.c_oflag & UK_TTY_ONLCR);
	assert_int_equal(uk_tty_stty(&tty, "echo,-bogus,icanon", &bad, &badlen),
			 -EINVAL);
	assert_int_equal(badlen, 6);
	assert_memory_equal(bad, "-bogus", 6);
	assert_int_equal(uk_tty_stty(&tty, "echo,,icanon", &bad, &badlen),
			 -EINVAL);
	assert_int_equal(badlen, 0);
	assert_int_equal(uk_tty_stty(&tty, "rows=0", &bad, &badlen), -EINVAL);
	assert_int_equal(uk_tty_stty(&tty, "rows=12345", &bad, &badlen),
			 -EINVAL);
	assert_int_equal(uk_tty_stty(&tty, "cols=8x", &bad, &badlen), -EINVAL);
	assert_int_equal(uk_tty_stty(&tty, "-", &bad, &badlen), -EINVAL);
	assert_int_equal(uk_tty_stty(&tty, "", &bad, &badlen), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_canonical, setup),
		cmocka_unit_test_setup(test_editing, setup),
		cmocka_unit_test_setup(test_eof, setup),
		cmocka_unit_test_setup(test_noecho_raw, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_room_never_drops, setup),
		cmocka_unit_test_setup(test_stty, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
