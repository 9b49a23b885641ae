/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console's line discipline, private to fdtab (console.c is its only
 * user; tests/test_tty.c drives it directly): Linux's termios, the subset a
 * serial console needs. Pure logic: bytes in, bytes to echo out, bytes for
 * read(); no platform calls.
 *
 * Input: ICRNL, INLCR, IGNCR; ICANON (a line at a time; VERASE and ^H erase
 * a byte, VKILL the line, VEOF ends the line without its byte - at the start
 * of a line it is end of file); ECHO, ECHOE, ECHOK, ECHONL. Not done: ISIG
 * (^C is an ordinary byte), IEXTEN's ^W/^V, VTIME (VMIN 0 reads what is
 * there, VMIN >= 1 waits for one byte), flow control, parity.
 * Output: OPOST|ONLCR is the platform's (ukplat_console_set_onlcr()).
 */
#ifndef FDTAB_TTY_H
#define FDTAB_TTY_H

#include <stddef.h>
#include <stdint.h>

/* Linux x86_64's struct termios as TCGETS/TCSETS pass it (36 bytes). */
struct uk_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

/* Linux's values */
#define UK_TTY_INLCR  0000100
#define UK_TTY_IGNCR  0000200
#define UK_TTY_ICRNL  0000400
#define UK_TTY_OPOST  0000001
#define UK_TTY_ONLCR  0000004
#define UK_TTY_ISIG   0000001
#define UK_TTY_ICANON 0000002
#define UK_TTY_ECHO   0000010
#define UK_TTY_ECHOE  0000020
#define UK_TTY_ECHOK  0000040
#define UK_TTY_ECHONL 0000100
#define UK_TTY_VERASE 2
#define UK_TTY_VKILL  3
#define UK_TTY_VEOF   4
#define UK_TTY_VMIN   6
#define UK_TTY_VEOL   11

#define UK_TTY_BUF   4096 /* bytes read() has not taken (Linux: 4 KiB) */
#define UK_TTY_LINES 256  /* complete lines read() has not taken */

struct uk_tty {
	struct uk_termios t;
	unsigned short rows, cols;
	/* ring of input bytes; [0, ready) can be read, [ready, len) is the line
	 * being edited (ICANON) */
	char buf[UK_TTY_BUF];
	size_t head, len, ready;
	/* ICANON: lengths of the complete lines in [0, ready), oldest first; a
	 * line of length 0 is an end of file (VEOF at the start of a line) */
	uint16_t lines[UK_TTY_LINES];
	size_t line0, nlines;
	size_t dropped; /* bytes lost to a full buffer (Linux drops them too) */
};

/* Linux's defaults for a serial console: ICRNL, OPOST|ONLCR, ICANON|ECHO|
 * ECHOE|ECHOK, ^? erase, ^U kill, ^D eof; 80x24. */
void uk_tty_init(struct uk_tty *tty);

/*
 * Feed `n` received bytes. What must be echoed goes to echo (up to `cap`
 * bytes; *echo_len set; the rest of the echo is dropped, as a full Linux
 * echo buffer does). Bytes beyond UK_TTY_BUF are dropped and counted (the
 * caller gives no more than uk_tty_room() unless nothing can be read).
 */
void uk_tty_input(struct uk_tty *tty, const char *in, size_t n, char *echo,
		  size_t cap, size_t *echo_len);

/*
 * What read() gets now: up to `len` bytes into buf (ICANON: never beyond the
 * end of the first complete line). Returns the count (> 0), 0 for an end of
 * file (consumed), or -EAGAIN when there is nothing yet.
 */
long uk_tty_read(struct uk_tty *tty, char *buf, size_t len);

/* Bytes uk_tty_input() can take now without dropping any. */
size_t uk_tty_room(const struct uk_tty *tty);

/* Bytes a read() could take now (FIONREAD). */
size_t uk_tty_readable(const struct uk_tty *tty);

/* New settings (TCSETS*): leaving ICANON makes the edited line readable;
 * flush != 0 (TCSETSF) discards unread input first. */
void uk_tty_set(struct uk_tty *tty, const struct uk_termios *t, int flush);

/*
 * Apply an stty-like list (the console.stty library parameter): words
 * separated by ',', each "[-]icanon|echo|echoe|echok|echonl|icrnl|inlcr|
 * igncr|opost|onlcr", "raw" (no input processing, no echo, no OPOST),
 * "cooked" (the defaults), "rows=N" or "cols=N" (1..9999). Returns 0, or
 * -EINVAL with *bad set to the offending word (its length in *badlen).
 */
int uk_tty_stty(struct uk_tty *tty, const char *spec, const char **bad,
		size_t *badlen);

#endif /* FDTAB_TTY_H */
