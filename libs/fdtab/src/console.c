/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console file: fds 0, 1 and 2 at boot, /dev/console. A terminal: output
 * goes to ukplat_console_write() (OPOST|ONLCR is the platform's switch), input
 * comes from ukplat_console_read() through the line discipline of tty.c (kvm)
 * or, where the host's terminal does that work (linuxu on a terminal),
 * straight through with the terminal ioctls forwarded
 * (ukplat_console_ioctl()); linuxu on a pipe or file: straight through, a
 * raw terminal of ours.
 * docs/design.md, "The console".
 */
#include <errno.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/plat/console.h>
#include <uk/print.h>
#include <uk/syscall.h>
#include "tty.h"

#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TCFLSH	   0x540b
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541b

/* How often a waiting reader looks at the line again (input is polled:
 * docs/design.md). 10 ms: a typist does not notice, an idle guest halts.
 * While bytes keep coming (a file piped in), 200 us: the UART holds only 16
 * bytes, and the host refills it only when asked. */
#define POLL_NS	     10000000ull
#define POLL_BUSY_NS 200000ull

/* Weak: images without a scheduler (and native tests) have no wait queues;
 * then the reader halts the CPU until the next poll instead. */
int uk_waitq_wait_intr(struct uk_waitq *wq, uint64_t deadline)
	__attribute__((weak));
uint64_t ukplat_monotonic_clock(void) __attribute__((weak));
void ukplat_halt_until(uint64_t deadline_ns) __attribute__((weak));
/* ukboot's lookup; weak for the native tests, which link no ukboot */
const char *uk_boot_param(const char *name) __attribute__((weak));

static struct uk_tty tty;
static int host_tty;  /* the platform's host does the line discipline */
static int input_eof; /* the platform's input is closed for good */
static uint64_t last_input = -POLL_NS; /* when bytes last came, ns */

/* Move what the platform has received into the line discipline, echoing;
 * how many bytes that was. */
static size_t pull_input(void)
{
	char in[256], echo[3 * sizeof(in)];
	size_t elen, got = 0;
	long n;

	/* bounded: at most the discipline's buffer per call */
	for (int i = 0; i < UK_TTY_BUF / (int)sizeof(in); i++) {
		size_t room = uk_tty_room(&tty);

		/* Take no more than fits: the rest waits in the UART or the
		 * host (flow control). Only a full buffer without a complete
		 * line takes more, so that its end can still arrive (the
		 * bytes before it are dropped, as n_tty drops them). */
		if (!room && uk_tty_readable(&tty))
			return got;
		if (!room || room > sizeof(in))
			room = sizeof(in);
		n = ukplat_console_read(in, room);
		if (n == -EPIPE)
			input_eof = 1;
		if (n <= 0)
			return got;
		got += (size_t)n;
		uk_tty_input(&tty, in, (size_t)n, echo, sizeof(echo), &elen);
		if (elen)
			ukplat_console_write(echo, elen);
	}
	return got;
}

static int wait_input(void)
{
	uint64_t now, until;

	if (!ukplat_monotonic_clock)
		return -EAGAIN;
	now = ukplat_monotonic_clock();
	/* busy: bytes came within the last idle period */
	until = now + (now - last_input < POLL_NS ? POLL_BUSY_NS : POLL_NS);
	if (uk_waitq_wait_intr) {
		/* Linux's ERESTARTSYS: made again under SA_RESTART */
		if (uk_waitq_wait_intr(NULL, until) == -EINTR)
			return -UK_ERESTARTSYS;
		return 0;
	}
	if (!ukplat_halt_until)
		return -EAGAIN;
	ukplat_halt_until(until);
	return 0;
}

static ssize_t con_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	(void)off;
	if (!len)
		return 0;
	for (;;) {
		long r;
		int w;

		if (pull_input() && ukplat_monotonic_clock)
			last_input = ukplat_monotonic_clock();
		r = uk_tty_read(&tty, buf, len);
		if (r != -EAGAIN)
			return r;
		if (input_eof)
			return 0;
		if ((f->flags & UK_O_NONBLOCK) ||
		    (!(tty.t.c_lflag & UK_TTY_ICANON) &&
		     !tty.t.c_cc[UK_TTY_VMIN]))
			return (f->flags & UK_O_NONBLOCK) ? -EAGAIN : 0;
		w = wait_input();
		if (w < 0)
			return w;
	}
}

static ssize_t con_write(struct uk_file *f, const void *buf, size_t len,
			 off_t *off)
{
	(void)f, (void)off;
	return (ssize_t)ukplat_console_write(buf, len);
}

static int con_fstat(struct uk_file *f, struct uk_stat *st)
{
	(void)f;
	st->st_mode = UK_S_IFCHR | 0620;
	st->st_rdev = (5 << 8) | 1; /* 5:1, /dev/console */
	st->st_blksize = 1024;
	return 0;
}

static void apply_output(void)
{
	ukplat_console_set_onlcr((tty.t.c_oflag & UK_TTY_OPOST) &&
				 (tty.t.c_oflag & UK_TTY_ONLCR));
}

static int con_ioctl(struct uk_file *f, unsigned long cmd, void *arg)
{
	unsigned short ws[4];
	int r;

	(void)f;
	if (host_tty) {
		r = ukplat_console_ioctl(cmd, arg);
		if (r != -ENOSYS)
			return r;
	}
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
	case FIONREAD:
		if (!arg)
			return -EFAULT;
		break;
	case TCFLSH:
		break;
	default:
		return -ENOTTY;
	}
	switch (cmd) {
	case TCGETS:
		memcpy(arg, &tty.t, sizeof(tty.t));
		return 0;
	case TCSETS:
	case TCSETSW: /* output is never queued: nothing to drain */
	case TCSETSF: {
		struct uk_termios t;

		memcpy(&t, arg, sizeof(t));
		pull_input(); /* what came before the change, the old way */
		uk_tty_set(&tty, &t, cmd == TCSETSF);
		apply_output();
		return 0;
	}
	case TCFLSH: /* TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2 */
		if ((unsigned long)arg > 2)
			return -EINVAL;
		if ((unsigned long)arg != 1)
			uk_tty_set(&tty, &tty.t, 1);
		return 0;
	case TIOCGWINSZ:
		ws[0] = tty.rows;
		ws[1] = tty.cols;
		ws[2] = ws[3] = 0;
		memcpy(arg, ws, sizeof(ws));
		return 0;
	case TIOCSWINSZ:
		memcpy(ws, arg, sizeof(ws));
		tty.rows = ws[0];
		tty.cols = ws[1];
		return 0;
	default: /* FIONREAD */
		pull_input();
		r = (int)uk_tty_readable(&tty);
		memcpy(arg, &r, sizeof(r));
		return 0;
	}
}

static const struct uk_file_ops con_ops = {
	.read = con_read,
	.write = con_write,
	.fstat = con_fstat,
	.ioctl = con_ioctl,
};

/* Static, and its own reference keeps it from ever being freed. */
static struct uk_file console = {
	.ops = &con_ops,
	.refs = 1,
	.flags = UK_O_RDWR,
};

struct uk_file *uk_console_file(void)
{
	return uk_file_ref(&console);
}

/* The line discipline's start: Linux's defaults, then console.stty. */
static int console_init(void)
{
	unsigned char probe[36];
	const char *spec, *bad;
	size_t badlen;
	int r;

	uk_tty_init(&tty);
	input_eof = 0;
	/* A host terminal answers for itself (linuxu on a terminal). A host
	 * that has a console but not a terminal (linuxu on a pipe: -ENOTTY)
	 * gets a terminal of ours that passes bytes as they come, so that the
	 * console is a terminal on every platform, as on kvm. */
	r = ukplat_console_ioctl(TCGETS, probe);
	host_tty = r != -ENOSYS && r != -ENOTTY;
	spec = uk_boot_param ? uk_boot_param("console.stty") : NULL;
	if (spec && r != -ENOSYS) {
		uk_pr_warn("console.stty: ignored, this platform's console is "
			   "the host's (use stty there)");
	} else if (spec && uk_tty_stty(&tty, spec, &bad, &badlen) < 0) {
		uk_pr_err("console.stty=%s: \"%.*s\" is not a setting (use "
			  "[-]icanon, [-]echo, [-]echoe, [-]echok, [-]echonl, "
			  "[-]icrnl, [-]inlcr, [-]igncr, [-]opost, [-]onlcr, "
			  "raw, cooked, rows=N, cols=N, separated by commas)",
			  spec, (int)badlen, bad);
		return -EINVAL;
	}
	if (r != -ENOSYS) {
		/* no discipline of ours: the bytes as they come */
		struct uk_termios raw = tty.t;

		raw.c_iflag = raw.c_lflag = 0;
		raw.c_oflag &= ~(uint32_t)UK_TTY_OPOST;
		raw.c_cc[UK_TTY_VMIN] = 1;
		uk_tty_set(&tty, &raw, 0);
	} else {
		apply_output();
	}
	return 0;
}

int uk_fdtab_init(void)
{
	int r = console_init();

	if (r < 0)
		return r;
	for (int fd = 0; fd < 3; fd++) {
		struct uk_file *f = uk_fdtab_get(fd);

		if (f) { /* already bound (tests run this twice) */
			uk_file_put(f);
			continue;
		}
		r = uk_fdtab_alloc_from(uk_console_file(), 0, fd);
		if (r != fd)
			return r < 0 ? r : -EBUSY;
	}
	return 0;
}
UK_INIT_CLASS(uk_fdtab_init, UK_INIT_EARLY, 9);
