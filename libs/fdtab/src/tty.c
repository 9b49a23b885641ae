/* SPDX-License-Identifier: BSD-3-Clause */
/* The console's line discipline: see tty.h. */
#include <errno.h>
#include <string.h>
#include "tty.h"

#define CTRL(c) ((c)&0x1f)

static const struct uk_termios cooked = {
	.c_iflag = UK_TTY_ICRNL,
	.c_oflag = UK_TTY_OPOST | UK_TTY_ONLCR,
	.c_cflag = 0010002 /* B115200 */ | 0000060 /* CS8 */ |
		   0000200 /* CREAD */ | 0004000 /* CLOCAL */,
	.c_lflag = UK_TTY_ICANON | UK_TTY_ECHO | UK_TTY_ECHOE | UK_TTY_ECHOK,
	.c_cc = {[0] = CTRL('C'),
		 [1] = 0x1c,
		 [UK_TTY_VERASE] = 0x7f,
		 [UK_TTY_VKILL] = CTRL('U'),
		 [UK_TTY_VEOF] = CTRL('D'),
		 [UK_TTY_VMIN] = 1,
		 [8] = CTRL('Q'),
		 [9] = CTRL('S'),
		 [10] = CTRL('Z'),
		 [12] = CTRL('R'),
		 [13] = CTRL('O'),
		 [14] = CTRL('W'),
		 [15] = CTRL('V')},
};

void uk_tty_init(struct uk_tty *tty)
{
	memset(tty, 0, sizeof(*tty));
	tty->t = cooked;
	tty->rows = 24;
	tty->cols = 80;
}

static char *at(struct uk_tty *tty, size_t i)
{
	return &tty->buf[(tty->head + i) % UK_TTY_BUF];
}

static int canon(const struct uk_tty *tty)
{
	return !!(tty->t.c_lflag & UK_TTY_ICANON);
}

static void echo_put(char *echo, size_t cap, size_t *n, const char *s,
		     size_t len)
{
	while (len-- && *n < cap)
		echo[(*n)++] = *s++;
}

/* The edited line [ready, len) becomes a complete line. */
static int end_line(struct uk_tty *tty)
{
	size_t l = tty->len - tty->ready;

	if (tty->nlines == UK_TTY_LINES)
		return -1;
	tty->lines[(tty->line0 + tty->nlines++) % UK_TTY_LINES] = (uint16_t)l;
	tty->ready = tty->len;
	return 0;
}

static int is_cc(const struct uk_tty *tty, int i, unsigned char c)
{
	/* _POSIX_VDISABLE is 0 on Linux */
	return tty->t.c_cc[i] && tty->t.c_cc[i] == c;
}

void uk_tty_input(struct uk_tty *tty, const char *in, size_t n, char *echo,
		  size_t cap, size_t *echo_len)
{
	uint32_t lf = tty->t.c_lflag, inf = tty->t.c_iflag;
	size_t e = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\r') {
			if (inf & UK_TTY_IGNCR)
				continue;
			if (inf & UK_TTY_ICRNL)
				c = '\n';
		} else if (c == '\n' && (inf & UK_TTY_INLCR)) {
			c = '\r';
		}
		if (canon(tty)) {
			if (is_cc(tty, UK_TTY_VERASE, c) || c == '\b') {
				if (tty->len > tty->ready) {
					tty->len--;
					if ((lf & UK_TTY_ECHO) &&
					    (lf & UK_TTY_ECHOE))
						echo_put(echo, cap, &e, "\b \b",
							 3);
				}
				continue;
			}
			if (is_cc(tty, UK_TTY_VKILL, c)) {
				size_t k = tty->len - tty->ready;

				tty->len = tty->ready;
				if ((lf & UK_TTY_ECHO) && (lf & UK_TTY_ECHOK)) {
					while (k--)
						echo_put(echo, cap, &e, "\b \b",
							 3);
				}
				continue;
			}
			if (is_cc(tty, UK_TTY_VEOF, c)) {
				/* the line so far, without the VEOF byte; an
				 * empty one is an end of file */
				if (end_line(tty) < 0)
					tty->dropped++;
				continue;
			}
		}
		/* ICANON keeps the last byte for the line's end, as n_tty
		 * does: a full buffer can still complete its line */
		if (tty->len == UK_TTY_BUF ||
		    (canon(tty) && tty->len == UK_TTY_BUF - 1 && c != '\n' &&
		     !is_cc(tty, UK_TTY_VEOL, c))) {
			tty->dropped++;
			continue;
		}
		*at(tty, tty->len++) = (char)c;
		if (lf & UK_TTY_ECHO)
			echo_put(echo, cap, &e, (const char *)&c, 1);
		else if (c == '\n' && canon(tty) && (lf & UK_TTY_ECHONL))
			echo_put(echo, cap, &e, "\n", 1);
		if (!canon(tty)) {
			tty->ready = tty->len;
		} else if (c == '\n' || is_cc(tty, UK_TTY_VEOL, c)) {
			if (end_line(tty) < 0) { /* too many lines: drop it */
				tty->len--;
				tty->dropped++;
			}
		}
	}
	*echo_len = e;
}

static void consume(struct uk_tty *tty, size_t k)
{
	tty->head = (tty->head + k) % UK_TTY_BUF;
	tty->len -= k;
	tty->ready -= k;
}

long uk_tty_read(struct uk_tty *tty, char *buf, size_t len)
{
	size_t avail, k;

	if (canon(tty)) {
		if (!tty->nlines)
			return -EAGAIN;
		avail = tty->lines[tty->line0];
		if (!avail) { /* an end of file */
			tty->line0 = (tty->line0 + 1) % UK_TTY_LINES;
			tty->nlines--;
			return 0;
		}
	} else {
		avail = tty->ready;
		if (!avail)
			return -EAGAIN;
	}
	k = len < avail ? len : avail;
	for (size_t i = 0; i < k; i++)
		buf[i] = *at(tty, i);
	consume(tty, k);
	if (canon(tty)) {
		tty->lines[tty->line0] = (uint16_t)(avail - k);
		if (avail == k) {
			tty->line0 = (tty->line0 + 1) % UK_TTY_LINES;
			tty->nlines--;
		}
	}
	return (long)k;
}

size_t uk_tty_room(const struct uk_tty *tty)
{
	size_t room;

	if (!canon(tty))
		return UK_TTY_BUF - tty->len;
	/* ICANON keeps the buffer's last byte for a line's end, and every
	 * byte taken might end a line, which needs an entry in lines[]: what
	 * does not fit waits in the device (a console read faster than the
	 * program reads lost bytes here) */
	room = tty->len < UK_TTY_BUF - 1 ? UK_TTY_BUF - 1 - tty->len : 0;
	if (room > UK_TTY_LINES - tty->nlines)
		room = UK_TTY_LINES - tty->nlines;
	return room;
}

size_t uk_tty_readable(const struct uk_tty *tty)
{
	if (canon(tty))
		return tty->nlines ? tty->lines[tty->line0] : 0;
	return tty->ready;
}

void uk_tty_set(struct uk_tty *tty, const struct uk_termios *t, int flush)
{
	int was = canon(tty);

	if (flush)
		tty->head = tty->len = tty->ready = tty->nlines = 0;
	tty->t = *t;
	if (was && !canon(tty)) {
		/* everything typed so far can be read now, the edited line too;
		 * pending ends of file no longer mean anything */
		tty->ready = tty->len;
		tty->nlines = 0;
	} else if (!was && canon(tty)) {
		/* what was readable stays so, as one line */
		tty->nlines = 0;
		tty->ready = 0;
		if (tty->len)
			end_line(tty);
	}
}

struct flag {
	const char *name;
	int field; /* 0 iflag, 1 oflag, 3 lflag */
	uint32_t bit;
};

static const struct flag flags[] = {
	{"icrnl", 0, UK_TTY_ICRNL}, {"inlcr", 0, UK_TTY_INLCR},
	{"igncr", 0, UK_TTY_IGNCR}, {"opost", 1, UK_TTY_OPOST},
	{"onlcr", 1, UK_TTY_ONLCR}, {"icanon", 3, UK_TTY_ICANON},
	{"echo", 3, UK_TTY_ECHO},   {"echoe", 3, UK_TTY_ECHOE},
	{"echok", 3, UK_TTY_ECHOK}, {"echonl", 3, UK_TTY_ECHONL},
};

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* "rows=N" / "cols=N": 1..9999 */
static int size_word(const char *w, size_t n, const char *key,
		     unsigned short *out)
{
	size_t k = strlen(key);
	unsigned v = 0;

	if (n <= k || memcmp(w, key, k) || n - k > 4)
		return 0;
	for (size_t i = k; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(w[i] - '0');
	}
	if (!v)
		return -1;
	*out = (unsigned short)v;
	return 1;
}

static int apply_word(struct uk_tty *tty, const char *w, size_t n)
{
	struct uk_termios t = tty->t;
	uint32_t *f[4] = {&t.c_iflag, &t.c_oflag, &t.c_cflag, &t.c_lflag};
	int neg = n && w[0] == '-';
	int r;

	if (word_is(w, n, "raw")) {
		t.c_iflag &=
			~(uint32_t)(UK_TTY_ICRNL | UK_TTY_INLCR | UK_TTY_IGNCR);
		t.c_oflag &= ~(uint32_t)UK_TTY_OPOST;
		t.c_lflag &= ~(uint32_t)(UK_TTY_ICANON | UK_TTY_ECHO |
					 UK_TTY_ECHONL | UK_TTY_ISIG);
		uk_tty_set(tty, &t, 0);
		return 0;
	}
	if (word_is(w, n, "cooked")) {
		uk_tty_set(tty, &cooked, 0);
		return 0;
	}
	r = size_word(w, n, "rows=", &tty->rows);
	if (!r)
		r = size_word(w, n, "cols=", &tty->cols);
	if (r)
		return r > 0 ? 0 : -EINVAL;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!word_is(w + neg, n - (size_t)neg, flags[i].name))
			continue;
		if (neg)
			*f[flags[i].field] &= ~flags[i].bit;
		else
			*f[flags[i].field] |= flags[i].bit;
		uk_tty_set(tty, &t, 0);
		return 0;
	}
	return -EINVAL;
}

int uk_tty_stty(struct uk_tty *tty, const char *spec, const char **bad,
		size_t *badlen)
{
	const char *p = spec;

	/* one pass over a NUL-terminated string: bounded by its length */
	while (*p) {
		size_t n = strcspn(p, ",");

		if (!n || apply_word(tty, p, n) < 0) {
			*bad = p;
			*badlen = n;
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}
