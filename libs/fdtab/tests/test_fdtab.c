/* Native tests of fdtab: the descriptor table, the descriptor calls on an
 * in-test memory file, and the console at fds 0, 1, 2. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>

/* ---- a memory file: 64 bytes at most ---- */
struct mem {
	char data[64];
	off_t size;
	int released;
};

static ssize_t m_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct mem *m = f->priv;

	if (*off >= m->size)
		return 0;
	if (len > (size_t)(m->size - *off))
		len = (size_t)(m->size - *off);
	memcpy(buf, m->data + *off, len);
	*off += (off_t)len;
	return (ssize_t)len;
}

static ssize_t m_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	struct mem *m = f->priv;
	off_t o = (f->flags & UK_O_APPEND) ? m->size : *off;

	if (o >= (off_t)sizeof(m->data))
		return len ? -ENOSPC : 0;
	if (len > sizeof(m->data) - (size_t)o)
		len = sizeof(m->data) - (size_t)o;
	memcpy(m->data + o, buf, len);
	*off = o + (off_t)len;
	if (*off > m->size)
		m->size = *off;
	return (ssize_t)len;
}

static off_t m_lseek(struct uk_file *f, off_t off, int whence)
{
	return uk_file_lseek_size(f, off, whence,
				  ((struct mem *)f->priv)->size);
}

static int m_ftruncate(struct uk_file *f, off_t len)
{
	((struct mem *)f->priv)->size = len;
	return 0;
}

static void m_release(struct uk_file *f)
{
	((struct mem *)f->priv)->released++;
}

static const struct uk_file_ops mem_ops = {
	.read = m_read,
	.write = m_write,
	.lseek = m_lseek,
	.ftruncate = m_ftruncate,
	.release = m_release,
};

static int mem_open(struct mem *m, unsigned flags)
{
	struct uk_file *f = uk_file_create(&mem_ops, m, flags);
	int fd;

	assert_non_null(f);
	fd = uk_fdtab_alloc(f, flags & UK_O_CLOEXEC);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

static int setup(void **state)
{
	(void)state;
	for (int fd = 0; fd < 70000; fd++)
		uk_syscall_call(close, fd);
	assert_int_equal(uk_fdtab_set_limit(UK_FDTAB_DEFAULT_LIMIT), 0);
	plat_in_pos = plat_in_len = 0;
	plat_in_closed = 0;
	plat_ioctl_ret = -38; /* -ENOSYS: kvm-like, our own discipline */
	assert_int_equal(uk_fdtab_init(), 0);
	plat_out_reset();
	return 0;
}

static void test_console(void **state)
{
	struct stat st;
	struct winsize ws;
	char termios[60], c, line[16];
	int fl;

	(void)state;
	assert_int_equal(uk_syscall_call(write, 1, "hello ", 6), 6);
	assert_int_equal(uk_syscall_call(write, 2, "err\n", 4), 4);
	assert_string_equal(plat_out, "hello err\n");
	/* input: a line at a time, echoed, CR read as NL; then the end */
	assert_int_equal(plat_onlcr, 1);
	plat_in_feed("ab\rcd", 5);
	assert_int_equal(uk_syscall_call(read, 0, line, sizeof(line)), 3);
	assert_memory_equal(line, "ab\n", 3);
	assert_string_equal(plat_out, "hello err\nab\ncd");
	fl = 1;
	assert_int_equal(uk_syscall_call(ioctl, 0, FIONBIO, &fl), 0);
	assert_int_equal(uk_syscall_call(read, 0, line, 1), -EAGAIN);
	fl = 0;
	assert_int_equal(uk_syscall_call(ioctl, 0, FIONBIO, &fl), 0);
	plat_in_feed("\x04", 1); /* ^D ends the line "cd" without a NL */
	assert_int_equal(uk_syscall_call(read, 0, line, sizeof(line)), 2);
	plat_in_closed = 1;
	assert_int_equal(uk_syscall_call(read, 0, &c, 1), 0);
	assert_int_equal(uk_syscall_call(fstat, 1, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(uk_syscall_call(ioctl, 1, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_col, 80);
	assert_int_equal(uk_syscall_call(ioctl, 0, TCGETS, termios), 0);
	assert_int_equal(uk_syscall_call(ioctl, 0, 0x1234, termios), -ENOTTY);
	{ /* raw output: "\n" stays "\n" (the platform's switch) */
		struct termios t;

		assert_int_equal(uk_syscall_call(ioctl, 0, TCGETS, &t), 0);
		assert_true(t.c_lflag & ICANON);
		assert_true(t.c_oflag & ONLCR);
		t.c_oflag &= ~(tcflag_t)OPOST;
		assert_int_equal(uk_syscall_call(ioctl, 1, TCSETS, &t), 0);
		assert_int_equal(plat_onlcr, 0);
		t.c_oflag |= OPOST;
		assert_int_equal(uk_syscall_call(ioctl, 1, TCSETSW, &t), 0);
		assert_int_equal(plat_onlcr, 1);
		ws.ws_row = 50;
		assert_int_equal(uk_syscall_call(ioctl, 1, TIOCSWINSZ, &ws), 0);
		ws.ws_row = 0;
		assert_int_equal(uk_syscall_call(ioctl, 2, TIOCGWINSZ, &ws), 0);
		assert_int_equal(ws.ws_row, 50);
		assert_int_equal(uk_syscall_call(ioctl, 2, TCGETS, NULL),
				 -EFAULT);
	}
	assert_int_equal(uk_syscall_call(lseek, 1, 0, SEEK_SET), -ESPIPE);
	assert_int_equal(uk_syscall_call(pwrite64, 1, "x", 1, 0), -ESPIPE);
	assert_int_equal(uk_syscall_call(getdents64, 1, termios, 60), -ENOTDIR);
	fl = 1;
	assert_int_equal(uk_syscall_call(ioctl, 1, FIONBIO, &fl), 0);
	assert_int_equal(uk_syscall_call(fcntl, 1, F_GETFL) & O_NONBLOCK,
			 O_NONBLOCK);
	fl = 0;
	assert_int_equal(uk_syscall_call(ioctl, 1, FIONBIO, &fl), 0);
	/* the same file at 0, 1 and 2, and init is idempotent */
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_syscall_call(close, 1), 0);
	assert_int_equal(uk_syscall_call(write, 1, "x", 1), -EBADF);
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_syscall_call(write, 1, "y", 1), 1);
}

/* linuxu: a pipe as the host's fd 0 (-ENOTTY) gets a raw terminal of ours,
 * a host terminal (0) answers the ioctls itself */
static void test_console_host(void **state)
{
	struct termios t;
	char b[16];

	(void)state;
	plat_ioctl_ret = -ENOTTY;
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_syscall_call(ioctl, 0, TCGETS, &t), 0);
	assert_false(t.c_lflag & (ICANON | ECHO));
	plat_in_feed("a\x04\r\x7f", 4);
	assert_int_equal(uk_syscall_call(read, 0, b, sizeof(b)), 4);
	assert_memory_equal(b, "a\x04\r\x7f", 4);
	assert_int_equal(plat_outlen, 0); /* no echo */
	plat_in_closed = 1;
	assert_int_equal(uk_syscall_call(read, 0, b, sizeof(b)), 0);
	plat_ioctl_ret = 0;
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_syscall_call(ioctl, 0, 0x1234, &t), 0); /* host's */
	plat_ioctl_ret = -38; /* -ENOSYS: back to kvm-like */
}

static void test_lowest_dup_fcntl(void **state)
{
	struct mem m = {0};
	int a, b;

	(void)state;
	a = mem_open(&m, O_RDWR);
	assert_int_equal(a, 3);
	assert_int_equal(mem_open(&m, O_RDWR), 4);
	assert_int_equal(uk_syscall_call(close, 3), 0);
	assert_int_equal(uk_syscall_call(close, 3), -EBADF);
	assert_int_equal(uk_syscall_call(close, -1), -EBADF);
	assert_int_equal(uk_syscall_call(close, 1 << 20), -EBADF);
	assert_int_equal(uk_syscall_call(dup, 4), 3);
	assert_int_equal(uk_syscall_call(dup, 99), -EBADF);
	/* dup shares the offset */
	assert_int_equal(uk_syscall_call(write, 3, "abc", 3), 3);
	assert_int_equal(uk_syscall_call(lseek, 4, 0, SEEK_CUR), 3);
	/* dup2/dup3 */
	assert_int_equal(uk_syscall_call(dup2, 4, 4), 4);
	assert_int_equal(uk_syscall_call(dup2, 50, 50), -EBADF);
	assert_int_equal(uk_syscall_call(dup3, 4, 4, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(dup3, 4, 5, 1), -EINVAL);
	assert_int_equal(uk_syscall_call(dup2, 4, 1024), -EBADF);
	assert_int_equal(uk_syscall_call(dup2, 4, -1), -EBADF);
	assert_int_equal(uk_syscall_call(dup3, 4, 900, O_CLOEXEC), 900);
	assert_int_equal(uk_syscall_call(fcntl, 900, F_GETFD), FD_CLOEXEC);
	assert_int_equal(uk_syscall_call(dup2, 3, 900), 900); /* replaces */
	assert_int_equal(uk_syscall_call(fcntl, 900, F_GETFD), 0);
	/* fcntl */
	b = uk_syscall_call(fcntl, 4, F_DUPFD, 10);
	assert_int_equal(b, 10);
	assert_int_equal(uk_syscall_call(fcntl, 4, F_DUPFD_CLOEXEC, 10), 11);
	assert_int_equal(uk_syscall_call(fcntl, 11, F_GETFD), FD_CLOEXEC);
	assert_int_equal(uk_syscall_call(fcntl, 11, F_SETFD, 0), 0);
	assert_int_equal(uk_syscall_call(fcntl, 11, F_GETFD), 0);
	assert_int_equal(uk_syscall_call(fcntl, 4, F_DUPFD, 1024), -EINVAL);
	assert_int_equal(uk_syscall_call(fcntl, 4, 9999), -EINVAL);
	assert_int_equal(uk_syscall_call(fcntl, 77, F_GETFD), -EBADF);
	assert_int_equal(uk_syscall_call(fcntl, 4, F_GETFL), O_RDWR);
	assert_int_equal(uk_syscall_call(fcntl, 4, F_SETFL,
					 O_APPEND | O_NONBLOCK | O_WRONLY),
			 0);
	assert_int_equal(uk_syscall_call(fcntl, 4, F_GETFL),
			 O_RDWR | O_APPEND | O_NONBLOCK);
	/* close-on-exec sweep */
	assert_int_equal(uk_syscall_call(fcntl, 10, F_SETFD, FD_CLOEXEC), 0);
	uk_fdtab_close_on_exec();
	assert_int_equal(uk_syscall_call(fcntl, 10, F_GETFD), -EBADF);
	assert_int_equal(uk_syscall_call(fcntl, 11, F_GETFD), 0);
	for (int fd = 3; fd < 1024; fd++)
		uk_syscall_call(close, fd);
	assert_int_equal(m.released, 2);
}

static void test_rw(void **state)
{
	struct mem m = {0};
	char buf[80];
	struct iovec iov[3] = {{"ab", 2}, {NULL, 0}, {"cde", 3}};
	int rd, wr, fd;

	(void)state;
	fd = mem_open(&m, O_RDWR);
	rd = mem_open(&m, O_RDONLY);
	wr = mem_open(&m, O_WRONLY);
	assert_int_equal(uk_syscall_call(write, rd, "x", 1), -EBADF);
	assert_int_equal(uk_syscall_call(read, wr, buf, 1), -EBADF);
	assert_int_equal(uk_syscall_call(ftruncate, rd, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(ftruncate, wr, -1), -EINVAL);
	assert_int_equal(uk_syscall_call(writev, fd, iov, 3), 5);
	assert_int_equal(uk_syscall_call(writev, fd, iov, -1), -EINVAL);
	assert_int_equal(uk_syscall_call(writev, fd, iov, 1025), -EINVAL);
	assert_int_equal(uk_syscall_call(pread64, rd, buf, 80, 0), 5);
	/* a huge count is clamped (Linux's MAX_RW_COUNT), not refused */
	assert_int_equal(uk_syscall_call(pread64, rd, buf, (size_t)-1, 0), 5);
	assert_memory_equal(buf, "abcde", 5);
	/* past EOF */
	assert_int_equal(uk_syscall_call(read, fd, buf, 10), 0);
	assert_int_equal(uk_syscall_call(pread64, rd, buf, 10, 5), 0);
	assert_int_equal(uk_syscall_call(pread64, rd, buf, 10, 1000), 0);
	assert_int_equal(uk_syscall_call(pread64, rd, buf, 10, -1), -EINVAL);
	/* positional calls leave the offset alone */
	assert_int_equal(uk_syscall_call(pwrite64, fd, "Z", 1, 0), 1);
	assert_int_equal(uk_syscall_call(lseek, fd, 0, SEEK_CUR), 5);
	{
		char a[2], b[3];
		struct iovec r[2] = {{a, 2}, {b, 3}};

		assert_int_equal(uk_syscall_call(preadv, rd, r, 2, 0), 5);
		assert_memory_equal(a, "Zb", 2);
		assert_memory_equal(b, "cde", 3);
		assert_int_equal(uk_syscall_call(readv, rd, r, 2), 5);
		assert_int_equal(uk_syscall_call(readv, rd, r, 2), 0);
		assert_int_equal(uk_syscall_call(pwritev, fd, iov, 3, 1), 5);
		assert_int_equal(m.size, 6);
	}
	/* lseek */
	assert_int_equal(uk_syscall_call(lseek, fd, -2, SEEK_END), 4);
	assert_int_equal(uk_syscall_call(lseek, fd, -10, SEEK_CUR), -EINVAL);
	assert_int_equal(uk_syscall_call(lseek, fd, 0, 7), -EINVAL);
	assert_int_equal(uk_syscall_call(lseek, fd, 100, SEEK_SET), 100);
	assert_int_equal(uk_syscall_call(lseek, fd, LONG_MAX, SEEK_CUR),
			 -EINVAL);
	/* a short write, then the file's error */
	assert_int_equal(uk_syscall_call(lseek, fd, 60, SEEK_SET), 60);
	assert_int_equal(uk_syscall_call(write, fd, "123456", 6), 4);
	assert_int_equal(uk_syscall_call(write, fd, "5", 1), -ENOSPC);
	assert_int_equal(uk_syscall_call(write, fd, "", 0), 0);
	/* O_APPEND */
	assert_int_equal(uk_syscall_call(ftruncate, fd, 2), 0);
	assert_int_equal(uk_syscall_call(fcntl, wr, F_SETFL, O_APPEND), 0);
	assert_int_equal(uk_syscall_call(pwrite64, wr, "q", 1, 0), 1);
	assert_int_equal(uk_syscall_call(pread64, fd, buf, 10, 0), 3);
	assert_memory_equal(buf, "Zaq", 3);
	assert_int_equal(uk_syscall_call(fsync, fd), 0);
	assert_int_equal(uk_syscall_call(fdatasync, fd), 0);
	assert_int_equal(uk_syscall_call(fsync, 500), -EBADF);
	assert_int_equal(uk_syscall_call(ioctl, fd, TIOCGWINSZ, buf), -ENOTTY);
	assert_int_equal(uk_syscall_call(read, 500, buf, 1), -EBADF);
	assert_int_equal(uk_syscall_call(fstat, 500, buf), -EBADF);
	uk_syscall_call(close, fd);
	uk_syscall_call(close, rd);
	uk_syscall_call(close, wr);
	assert_int_equal(m.released, 3);
}

static void test_limits(void **state)
{
	struct mem m = {.data = "x", .size = 1};
	enum { N = 10000 };
	char c;
	int fd;

	(void)state;
	assert_int_equal(uk_fdtab_set_limit(0), -EINVAL);
	assert_int_equal(uk_fdtab_set_limit(UK_FDTAB_MAX + 1), -EINVAL);
	/* default limit: EMFILE at 1024 */
	for (fd = 3; fd < 1024; fd++)
		assert_int_equal(mem_open(&m, O_RDONLY), fd);
	assert_int_equal(mem_open(&m, O_RDONLY), -EMFILE);
	assert_int_equal(uk_syscall_call(dup, 3), -EMFILE);
	assert_int_equal(uk_syscall_call(fcntl, 3, F_DUPFD, 0), -EMFILE);
	for (fd = 3; fd < 1024; fd++)
		assert_int_equal(uk_syscall_call(close, fd), 0);
	/* raised: 10,000 open at once, all readable */
	assert_int_equal(uk_fdtab_set_limit(UK_FDTAB_MAX), 0);
	assert_int_equal(uk_fdtab_get_limit(), UK_FDTAB_MAX);
	for (fd = 3; fd < 3 + N; fd++)
		assert_int_equal(mem_open(&m, O_RDONLY), fd);
	for (fd = 3; fd < 3 + N; fd++) {
		assert_int_equal(uk_syscall_call(read, fd, &c, 1), 1);
		assert_int_equal(c, 'x');
	}
	assert_int_equal(uk_syscall_call(dup2, 3, UK_FDTAB_MAX - 1),
			 UK_FDTAB_MAX - 1);
	assert_int_equal(uk_syscall_call(dup2, 3, UK_FDTAB_MAX), -EBADF);
	/* lowering below open descriptors keeps them */
	assert_int_equal(uk_fdtab_set_limit(100), 0);
	assert_int_equal(uk_syscall_call(read, 5000, &c, 1), 0);
	assert_int_equal(mem_open(&m, O_RDONLY), -EMFILE);
	for (fd = 3; fd < 3 + N; fd++)
		assert_int_equal(uk_syscall_call(close, fd), 0);
	assert_int_equal(uk_syscall_call(close, UK_FDTAB_MAX - 1), 0);
	assert_int_equal(m.released, 1023 + N);
	assert_int_equal(mem_open(&m, O_RDONLY), 3);
	uk_syscall_call(close, 3);
}

/* readiness watchers: notify, removal, the release notice */
struct watch_rec {
	struct uk_file_watch w;
	unsigned last, calls;
	int released_before; /* ops->release had run at the notice */
	struct mem *m;
};

static void watch_fn(struct uk_file_watch *w, struct uk_file *f,
		     unsigned events)
{
	struct watch_rec *r = (struct watch_rec *)w;

	(void)f;
	r->last = events;
	r->calls++;
	r->released_before = r->m->released;
}

static void test_watch(void **state)
{
	struct mem m = {.size = 0};
	struct uk_file *f = uk_file_create(&mem_ops, &m, UK_O_RDWR);
	struct watch_rec a = {.w.fn = watch_fn, .m = &m};
	struct watch_rec b = {.w.fn = watch_fn, .m = &m};

	(void)state;
	uk_file_notify(f, UK_POLLIN); /* nobody watches */
	uk_file_watch_add(f, &a.w);
	uk_file_watch_add(f, &b.w);
	uk_file_notify(f, UK_POLLIN | UK_POLL_RELEASE);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.last, UK_POLLIN); /* never a false release */
	uk_file_watch_del(f, &a.w);
	uk_file_notify(f, UK_POLLOUT);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 2);
	uk_file_put(f);
	assert_int_equal(b.calls, 3);
	assert_int_equal(b.last, UK_POLL_RELEASE);
	assert_int_equal(b.released_before, 0);
	assert_int_equal(m.released, 1);
}

/* ---- flush on every descriptor close, fcntl of a kind of file ---- */
static int flushes, flush_refs;

static void h_flush(struct uk_file *f)
{
	flushes++;
	flush_refs = (int)f->refs; /* the closing descriptor's still counts */
}

static int h_fcntl(struct uk_file *f, int cmd, unsigned long arg)
{
	(void)f;
	if (cmd == 1032 /* F_GETPIPE_SZ */)
		return 4096;
	if (cmd == 1031 /* F_SETPIPE_SZ */)
		return arg > 65536 ? -EPERM : (int)arg;
	return -EINVAL;
}

static const struct uk_file_ops hook_ops = {
	.read = m_read,
	.release = m_release,
	.flush = h_flush,
	.fcntl = h_fcntl,
};

static void test_flush_fcntl(void **state)
{
	struct mem m = {.size = 0}, other = {.size = 0};
	struct uk_file *f = uk_file_create(&hook_ops, &m, UK_O_RDWR);
	int fd, d, o;

	(void)state;
	flushes = 0;
	fd = uk_fdtab_alloc(f, 0);
	assert_true(fd >= 3);
	d = uk_syscall_call(dup, fd);
	assert_int_equal(uk_syscall_call(close, d), 0);
	assert_int_equal(flushes, 1);
	assert_int_equal(flush_refs, 2);
	assert_int_equal(m.released, 0);
	/* dup2 over a descriptor of it closes that one: flushed too */
	d = uk_syscall_call(dup, fd);
	o = mem_open(&other, UK_O_RDWR);
	assert_int_equal(uk_syscall_call(dup2, o, d), d);
	assert_int_equal(flushes, 2);
	assert_int_equal(uk_syscall_call(close, d), 0);
	assert_int_equal(flushes, 2); /* mem_ops has no flush */
	/* file-specific commands go to the file; unknown ones -EINVAL */
	assert_int_equal(uk_syscall_call(fcntl, fd, 1032, 0), 4096);
	assert_int_equal(uk_syscall_call(fcntl, fd, 1031, 8192), 8192);
	assert_int_equal(uk_syscall_call(fcntl, fd, 1031, 1 << 20), -EPERM);
	assert_int_equal(uk_syscall_call(fcntl, fd, 9999, 0), -EINVAL);
	/* a file without the op: the pipe commands say "not a pipe" */
	assert_int_equal(uk_syscall_call(fcntl, o, 1032, 0), -EBADF);
	assert_int_equal(uk_syscall_call(fcntl, o, 1031, 4096), -EBADF);
	assert_int_equal(uk_syscall_call(fcntl, o, 9999, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(close, fd), 0);
	assert_int_equal(flushes, 3);
	assert_int_equal(flush_refs, 1);
	assert_int_equal(m.released, 1);
	assert_int_equal(uk_syscall_call(close, o), 0);
	assert_int_equal(other.released, 1);
}

static void test_next(void **state)
{
	struct mem m = {.size = 0};
	int a, b;

	(void)state;
	assert_int_equal(uk_fdtab_next(-5), 0); /* the console */
	assert_int_equal(uk_fdtab_next(1), 1);
	a = mem_open(&m, UK_O_RDWR);
	b = mem_open(&m, UK_O_RDWR);
	assert_int_equal(uk_fdtab_next(3), a);
	assert_int_equal(uk_syscall_call(close, a), 0);
	assert_int_equal(uk_fdtab_next(3), b);
	assert_int_equal(uk_fdtab_next(b + 1), -1);
	assert_int_equal(uk_fdtab_next(1 << 20), -1);
	assert_int_equal(uk_syscall_call(close, b), 0);
	assert_int_equal(uk_fdtab_next(3), -1);
}

/* tables per process: a copy keeps the files and close-on-exec flags,
 * changes in one table stay there, the last user closes everything */
static void test_tables(void **state)
{
	struct mem m = {.size = 0};
	struct uk_fdtab *boot = uk_fdtab_current(), *child, *shared;
	int a, b;

	(void)state;
	a = mem_open(&m, 0);
	b = mem_open(&m, UK_O_CLOEXEC);
	child = uk_fdtab_clone(0);
	assert_non_null(child);
	assert_ptr_not_equal(child, boot);
	uk_fdtab_switch(child);
	assert_ptr_equal(uk_fdtab_current(), child);
	assert_int_equal(uk_syscall_call(fcntl, a, 1 /* F_GETFD */, 0), 0);
	assert_int_equal(uk_syscall_call(fcntl, b, 1, 0), UK_FD_CLOEXEC);
	/* execve in the child: b goes, in the child only */
	uk_fdtab_close_on_exec();
	assert_int_equal(uk_syscall_call(fcntl, b, 1, 0), -EBADF);
	assert_int_equal(uk_syscall_call(dup2, a, 9), 9);
	uk_fdtab_switch(NULL);
	assert_ptr_equal(uk_fdtab_current(), boot);
	assert_int_equal(uk_syscall_call(fcntl, b, 1, 0), UK_FD_CLOEXEC);
	assert_int_equal(uk_syscall_call(fcntl, 9, 1, 0), -EBADF);
	/* CLONE_FILES: the same table, one more user */
	shared = uk_fdtab_clone(1);
	assert_ptr_equal(shared, boot);
	uk_fdtab_release(shared); /* a user less: nothing closed */
	assert_int_equal(uk_syscall_call(fcntl, a, 1, 0), 0);
	/* the child's last user: its descriptors close, the files stay
	 * open through ours */
	uk_fdtab_release(child);
	assert_ptr_equal(uk_fdtab_current(), boot);
	assert_int_equal(m.released, 0);
	uk_syscall_call(close, a);
	uk_syscall_call(close, b);
	assert_int_equal(m.released, 2); /* two files on one memory */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_console, setup),
		cmocka_unit_test_setup(test_console_host, setup),
		cmocka_unit_test_setup(test_lowest_dup_fcntl, setup),
		cmocka_unit_test_setup(test_rw, setup),
		cmocka_unit_test_setup(test_limits, setup),
		cmocka_unit_test_setup(test_watch, setup),
		cmocka_unit_test_setup(test_flush_fcntl, setup),
		cmocka_unit_test_setup(test_next, setup),
		cmocka_unit_test_setup(test_tables, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
