/* SPDX-License-Identifier: BSD-3-Clause */
/* The console file: fds 0, 1 and 2 at boot. Output goes to
 * ukplat_console_write(); input is always at its end (read returns 0). */
#include <errno.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/plat/console.h>

#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TIOCGWINSZ 0x5413
#define TERMIOS_SZ 36 /* the kernel's struct termios */

static ssize_t con_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	(void)f, (void)buf, (void)len, (void)off;
	return 0;
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

static int con_ioctl(struct uk_file *f, unsigned long cmd, void *arg)
{
	(void)f;
	if (cmd == TIOCGWINSZ || cmd == TCGETS) {
		static const unsigned short ws[4] = {24, 80, 0, 0};

		if (!arg)
			return -EFAULT;
		if (cmd == TIOCGWINSZ)
			memcpy(arg, ws, sizeof(ws));
		else
			memset(arg, 0, TERMIOS_SZ);
		return 0;
	}
	if (cmd == TCSETS || cmd == TCSETSW || cmd == TCSETSF)
		return 0;
	return -ENOTTY;
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

int uk_fdtab_init(void)
{
	for (int fd = 0; fd < 3; fd++) {
		struct uk_file *f = uk_fdtab_get(fd);
		int r;

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
