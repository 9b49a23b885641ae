/* posixpipe unit tests: pipe/pipe2 and FIFO ends on the real fdtab, uksched
 * and ukschedcoop with a fake clock. Threads never call cmocka asserts (a
 * failure would longjmp across stacks): they count errors, which the main
 * thread checks. tkill is a test double that records SIGPIPE. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/pipe.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

#define MS 1000000ULL

static struct uk_schedcoop coop;
static int errors, sigpipes;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

UK_SYSCALL_R_DEFINE(int, tkill, int, tid, int, sig)
{
	(void)tid;
	if (sig == 13)
		sigpipes++;
	return 0;
}

static long rd(int fd, void *b, size_t n)
{
	return uk_syscall_call(read, fd, b, n);
}

static long wr(int fd, const void *b, size_t n)
{
	return uk_syscall_call(write, fd, b, n);
}

static void mkpipe(int fds[2], int flags)
{
	assert_int_equal(uk_syscall_call(pipe2, fds, flags), 0);
}

static void test_create(void **state)
{
	int fds[2];
	struct uk_stat st;

	(void)state;
	assert_int_equal(uk_syscall_call(pipe, fds), 0);
	assert_int_equal(fds[0], 0);
	assert_int_equal(fds[1], 1);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 3 /* F_GETFL */, 0),
			 UK_O_RDONLY);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 3, 0), UK_O_WRONLY);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 1 /* F_GETFD */, 0), 0);
	assert_int_equal(uk_syscall_call(fstat, fds[0], &st), 0);
	assert_true(UK_S_ISTYPE(st.st_mode, UK_S_IFIFO));
	assert_int_equal(uk_syscall_call(lseek, fds[0], 0, 0), -ESPIPE);
	assert_int_equal(uk_syscall_call(pread64, fds[0], &st, 1, 0), -ESPIPE);
	/* wrong direction */
	assert_int_equal(wr(fds[0], "x", 1), -EBADF);
	assert_int_equal(rd(fds[1], &st, 1), -EBADF);

	mkpipe(fds, UK_O_CLOEXEC | UK_O_NONBLOCK);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 1, 0), UK_FD_CLOEXEC);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1, 0), UK_FD_CLOEXEC);
	assert_true(uk_syscall_call(fcntl, fds[1], 3, 0) & UK_O_NONBLOCK);

	assert_int_equal(uk_syscall_call(pipe2, fds, UK_O_APPEND), -EINVAL);
	assert_int_equal(uk_syscall_call(pipe2, NULL, 0), -EFAULT);
	assert_int_equal(uk_syscall_call(pipe, NULL), -EFAULT);
	/* out of descriptors: nothing half-made stays */
	uk_fdtab_set_limit(5);
	assert_int_equal(uk_syscall_call(pipe, fds), -EMFILE);
	assert_int_equal(uk_syscall_call(fcntl, 4, 1, 0), -EBADF);
	uk_fdtab_set_limit(UK_FDTAB_DEFAULT_LIMIT);
}

static void test_rw_eof_epipe(void **state)
{
	int fds[2], n;
	char buf[64];

	(void)state;
	mkpipe(fds, 0);
	assert_int_equal(wr(fds[1], "hello", 5), 5);
	assert_int_equal(wr(fds[1], " world", 6), 6);
	assert_int_equal(uk_syscall_call(ioctl, fds[0], 0x541B, &n), 0);
	assert_int_equal(n, 11);
	assert_int_equal(rd(fds[0], buf, 3), 3);
	assert_memory_equal(buf, "hel", 3);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "lo world", 8);
	assert_int_equal(rd(fds[0], buf, 0), 0);
	assert_int_equal(wr(fds[1], "", 0), 0);
	/* EOF once the writer is gone, after the data */
	assert_int_equal(wr(fds[1], "end", 3), 3);
	assert_int_equal(uk_syscall_call(close, fds[1]), 0);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 3);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 0);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 0);
	assert_int_equal(uk_syscall_call(close, fds[0]), 0);

	/* EPIPE and SIGPIPE once the reader is gone; the data is dropped */
	mkpipe(fds, 0);
	sigpipes = 0;
	assert_int_equal(wr(fds[1], "lost", 4), 4);
	assert_int_equal(uk_syscall_call(close, fds[0]), 0);
	assert_int_equal(wr(fds[1], "x", 1), -EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(wr(fds[1], "", 0), 0);
	assert_int_equal(sigpipes, 1);
	/* reading a closed descriptor */
	assert_int_equal(rd(fds[0], buf, 1), -EBADF);
	assert_int_equal(uk_syscall_call(close, fds[1]), 0);
}

static void test_nonblock_full(void **state)
{
	int fds[2];
	char *big = malloc(100000), *back = malloc(UK_PIPE_SIZE);
	long total = 0, r;

	(void)state;
	assert_non_null(big);
	assert_non_null(back);
	for (int i = 0; i < 100000; i++)
		big[i] = (char)(i * 7 + i / 251);
	mkpipe(fds, UK_O_NONBLOCK);
	assert_int_equal(rd(fds[0], back, 1), -EAGAIN);
	/* a big non-blocking write goes in partly */
	r = wr(fds[1], big, 100000);
	assert_int_equal(r, UK_PIPE_SIZE);
	total = r;
	assert_int_equal(wr(fds[1], big, 1), -EAGAIN);
	/* read 100 bytes: a write of <= PIPE_BUF that does not fit whole
	 * fails, nothing of it goes in */
	assert_int_equal(rd(fds[0], back, 100), 100);
	assert_memory_equal(back, big, 100);
	assert_int_equal(wr(fds[1], big + total, 200), -EAGAIN);
	assert_int_equal(wr(fds[1], big + total, 100), 100);
	total += 100;
	/* the rest comes out in order, nothing lost */
	assert_int_equal(rd(fds[0], back, UK_PIPE_SIZE), UK_PIPE_SIZE);
	assert_memory_equal(back, big + 100, UK_PIPE_SIZE);
	assert_int_equal(rd(fds[0], back, 1), -EAGAIN);
	free(big);
	free(back);
	uk_syscall_call(close, fds[0]);
	uk_syscall_call(close, fds[1]);
}

static void test_packet(void **state)
{
	int fds[2];
	char buf[UK_PIPE_BUF * 2];

	(void)state;
	mkpipe(fds, UK_O_DIRECT | UK_O_NONBLOCK);
	assert_true(uk_syscall_call(fcntl, fds[0], 3, 0) & UK_O_DIRECT);
	assert_int_equal(wr(fds[1], "one", 3), 3);
	assert_int_equal(wr(fds[1], "second", 6), 6);
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(wr(fds[1], buf, UK_PIPE_BUF + 10), UK_PIPE_BUF + 10);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "one", 3);
	/* a short read drops the rest of its packet */
	assert_int_equal(rd(fds[0], buf, 3), 3);
	assert_memory_equal(buf, "sec", 3);
	/* a big write was split into PIPE_BUF packets */
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), UK_PIPE_BUF);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 10);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), -EAGAIN);
	uk_syscall_call(close, fds[0]);
	uk_syscall_call(close, fds[1]);
}

struct job {
	int fd;
	size_t len;
	uint64_t delay;
	long result;
	char *buf;
};

static void writer(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	j->result = wr(j->fd, j->buf, j->len);
}

static void reader(void *arg)
{
	struct job *j = arg;
	size_t got = 0;

	uk_sched_sleep_ns(j->delay);
	while (got < j->len) {
		long r = rd(j->fd, j->buf + got, j->len - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	j->result = (long)got;
}

static void closer(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	CHECK(uk_syscall_call(close, j->fd) == 0);
}

static void test_blocking(void **state)
{
	int fds[2];
	char buf[16];
	struct job j = {0};
	struct uk_thread *t;
	size_t big = 300000;
	char *src = malloc(big), *dst = malloc(big);

	(void)state;
	mkpipe(fds, 0);
	/* a blocked reader wakes for the writer's data */
	j = (struct job){
		.fd = fds[1], .len = 4, .delay = 5 * MS, .buf = "ping"};
	t = uk_thread_create(NULL, "w", writer, &j, 0);
	assert_non_null(t);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "ping", 4);
	assert_true(fake_ns >= 5 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.result, 4);

	/* a blocked reader sees EOF when the last writer closes */
	j = (struct job){.fd = fds[1], .delay = 3 * MS};
	t = uk_thread_create(NULL, "c", closer, &j, 0);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	uk_syscall_call(close, fds[0]);

	/* a blocking write bigger than the pipe completes as the reader
	 * drains it; every byte arrives in order */
	mkpipe(fds, 0);
	for (size_t i = 0; i < big; i++)
		src[i] = (char)(i % 253);
	j = (struct job){.fd = fds[0], .len = big, .delay = MS, .buf = dst};
	t = uk_thread_create(NULL, "r", reader, &j, 0);
	assert_int_equal(wr(fds[1], src, big), (long)big);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.result, (long)big);
	assert_memory_equal(src, dst, big);

	/* a blocked writer gets what it wrote so far when the reader goes */
	j = (struct job){.fd = fds[0], .delay = 2 * MS};
	t = uk_thread_create(NULL, "c", closer, &j, 0);
	sigpipes = 0;
	assert_int_equal(wr(fds[1], src, big), UK_PIPE_SIZE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	uk_syscall_call(close, fds[1]);
	free(src);
	free(dst);
	assert_int_equal(errors, 0);
}

static void test_atomic(void **state)
{
	int fds[2];
	char *fill = calloc(1, UK_PIPE_SIZE), buf[UK_PIPE_BUF];
	struct job j;
	struct uk_thread *t;

	(void)state;
	assert_non_null(fill);
	/* the pipe has 100 bytes free: a PIPE_BUF write waits until it fits
	 * whole, so the reader sees it in one piece after the filler */
	mkpipe(fds, 0);
	assert_int_equal(wr(fds[1], fill, UK_PIPE_SIZE - 100),
			 UK_PIPE_SIZE - 100);
	memset(buf, 'A', sizeof(buf));
	j = (struct job){.fd = fds[1], .len = sizeof(buf), .buf = buf};
	t = uk_thread_create(NULL, "w", writer, &j, 0);
	uk_sched_yield(); /* the writer blocks */
	assert_int_equal(j.result, 0);
	uk_sched_sleep_ns(MS);
	assert_int_equal(j.result, 0);
	{
		char *b = malloc(UK_PIPE_SIZE);
		long r = rd(fds[0], b, UK_PIPE_SIZE - 100);

		assert_int_equal(r, UK_PIPE_SIZE - 100);
		free(b);
	}
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.result, UK_PIPE_BUF);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), UK_PIPE_BUF);
	for (int i = 0; i < UK_PIPE_BUF; i++)
		assert_int_equal(buf[i], 'A');
	free(fill);
	uk_syscall_call(close, fds[0]);
	uk_syscall_call(close, fds[1]);
}

static unsigned seen_ev;
static int seen_calls;

static void watch_fn(struct uk_file_watch *w, struct uk_file *f, unsigned ev)
{
	(void)w, (void)f;
	seen_ev |= ev;
	seen_calls++;
}

static void test_poll(void **state)
{
	int fds[2];
	struct uk_file *r, *w;
	struct uk_file_watch wa = {.fn = watch_fn};
	char c;

	(void)state;
	mkpipe(fds, UK_O_NONBLOCK);
	r = uk_fdtab_get(fds[0]);
	w = uk_fdtab_get(fds[1]);
	assert_int_equal(r->ops->poll(r, UK_POLLIN | UK_POLLOUT, NULL), 0);
	assert_int_equal(w->ops->poll(w, UK_POLLIN | UK_POLLOUT, NULL),
			 UK_POLLOUT);
	uk_file_watch_add(r, &wa);
	seen_ev = 0;
	assert_int_equal(wr(fds[1], "x", 1), 1);
	assert_true(seen_ev & UK_POLLIN);
	assert_true(r->ops->poll(r, UK_POLLIN, NULL) & UK_POLLIN);
	assert_int_equal(rd(fds[0], &c, 1), 1);
	assert_int_equal(r->ops->poll(r, UK_POLLIN, NULL), 0);
	seen_ev = 0;
	uk_file_put(w); /* the descriptor is the last reference */
	uk_syscall_call(close, fds[1]);
	assert_true(seen_ev & UK_POLLHUP);
	assert_int_equal(r->ops->poll(r, UK_POLLIN, NULL), UK_POLLHUP);
	uk_file_watch_del(r, &wa);
	assert_true(uk_pipe_is(r));
	uk_file_put(r);
	uk_syscall_call(close, fds[0]);

	/* writer side: ERR when no reader is left */
	mkpipe(fds, UK_O_NONBLOCK);
	w = uk_fdtab_get(fds[1]);
	uk_syscall_call(close, fds[0]);
	assert_true(w->ops->poll(w, UK_POLLOUT, NULL) & UK_POLLERR);
	uk_file_put(w);
	uk_syscall_call(close, fds[1]);
	(void)seen_calls;
}

static void *slot;
static int puts_;

static void put_cb(void *arg)
{
	(void)arg;
	puts_++;
}

struct opener {
	unsigned flags;
	uint64_t delay;
	int r;
	struct uk_file *f;
};

static void open_later(void *arg)
{
	struct opener *o = arg;

	uk_sched_sleep_ns(o->delay);
	o->r = uk_pipe_fifo_open(&slot, o->flags, put_cb, NULL, &o->f);
}

static void test_fifo(void **state)
{
	struct uk_file *r, *w, *rw;
	struct opener o = {0};
	struct uk_thread *t;
	off_t off = 0;
	char buf[8];

	(void)state;
	slot = NULL;
	puts_ = 0;
	/* a non-blocking writer without a reader: ENXIO, nothing kept */
	assert_int_equal(uk_pipe_fifo_open(&slot, UK_O_WRONLY | UK_O_NONBLOCK,
					   put_cb, NULL, &w),
			 -ENXIO);
	assert_null(slot);
	assert_int_equal(uk_pipe_fifo_open(&slot, 3, put_cb, NULL, &w),
			 -EINVAL);
	/* a blocking reader waits for a writer */
	o = (struct opener){.flags = UK_O_WRONLY, .delay = 4 * MS};
	t = uk_thread_create(NULL, "o", open_later, &o, 0);
	assert_int_equal(
		uk_pipe_fifo_open(&slot, UK_O_RDONLY, put_cb, NULL, &r), 0);
	assert_true(fake_ns >= 4 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(o.r, 0);
	w = o.f;
	assert_non_null(slot);
	assert_int_equal(w->ops->write(w, "fifo", 4, &off), 4);
	assert_int_equal(r->ops->read(r, buf, sizeof(buf), &off), 4);
	assert_memory_equal(buf, "fifo", 4);
	/* O_RDWR never waits and shares the same buffer */
	assert_int_equal(uk_pipe_fifo_open(&slot, UK_O_RDWR, put_cb, NULL, &rw),
			 0);
	assert_int_equal(rw->ops->write(rw, "ab", 2, &off), 2);
	assert_int_equal(r->ops->read(r, buf, sizeof(buf), &off), 2);
	uk_file_put(rw);
	uk_file_put(w);
	assert_int_equal(r->ops->read(r, buf, sizeof(buf), &off), 0); /* EOF */
	uk_file_put(r);
	assert_null(slot); /* last end gone: state freed */
	assert_int_equal(puts_, 3);
	/* a blocking writer waits for a reader */
	o = (struct opener){.flags = UK_O_RDONLY | UK_O_NONBLOCK, .delay = MS};
	t = uk_thread_create(NULL, "o", open_later, &o, 0);
	assert_int_equal(
		uk_pipe_fifo_open(&slot, UK_O_WRONLY, put_cb, NULL, &w), 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(o.r, 0);
	uk_file_put(o.f);
	uk_file_put(w);
	assert_null(slot);
}

/* F_GETPIPE_SZ / F_SETPIPE_SZ: Linux's rounding and limits; the data in
 * the pipe survives a resize in order. */
static void test_pipe_size(void **state)
{
	int fds[2], n = 0;
	char buf[9000], c;

	(void)state;
	mkpipe(fds, UK_O_NONBLOCK);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 1032, 0), 65536);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 1), 4096);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 1032, 0), 4096);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 5000), 8192);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 0), 4096);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 1024 * 1024),
			 1024 * 1024);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 1024 * 1024 + 1),
			 -EPERM);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 0x80000001UL),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 4096), 4096);
	/* a 4 KiB pipe holds 4096 bytes, then EAGAIN */
	for (int i = 0; i < 9000; i++)
		buf[i] = (char)('a' + i % 26);
	assert_int_equal(wr(fds[1], buf, 4096), 4096);
	assert_int_equal(wr(fds[1], buf, 1), -EAGAIN);
	/* less room than the data: EBUSY, nothing lost */
	assert_int_equal(rd(fds[0], &c, 1), 1);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 4096), 4096);
	/* wrap the ring, then grow it: order kept */
	assert_int_equal(rd(fds[0], buf + 4096, 3000), 3000);
	assert_int_equal(wr(fds[1], "0123456789", 10), 10);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 16384), 16384);
	assert_int_equal(wr(fds[1], "ABC", 3), 3);
	n = (int)rd(fds[0], buf + 4096, sizeof(buf) - 4096);
	assert_int_equal(n, 4096 - 3001 + 10 + 3);
	for (int i = 0; i < 4096 - 3001; i++)
		assert_int_equal(buf[4096 + i], (char)('a' + (3001 + i) % 26));
	assert_memory_equal(buf + 4096 + 4096 - 3001, "0123456789ABC", 13);
	/* shrinking below what is queued */
	assert_int_equal(wr(fds[1], buf, 5000), 5000);
	assert_int_equal(uk_syscall_call(fcntl, fds[1], 1031, 4096), -EBUSY);
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 1032, 0), 16384);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 5000);
	/* other fcntl commands still answer EINVAL */
	assert_int_equal(uk_syscall_call(fcntl, fds[0], 9999, 0), -EINVAL);
	uk_syscall_call(close, fds[0]);
	uk_syscall_call(close, fds[1]);
}

/* A new end of an existing pipe (/proc/self/fd/N of a pipe). */
static void test_reopen(void **state)
{
	struct uk_file *f[2], *w2, *r2;
	off_t off = 0;
	char buf[8];

	(void)state;
	assert_int_equal(uk_pipe_create(0, f), 0);
	assert_int_equal(uk_pipe_reopen(f[0], UK_O_WRONLY | UK_O_NONBLOCK, &w2),
			 0);
	assert_int_equal(uk_pipe_reopen(f[1], UK_O_RDONLY, &r2), 0);
	assert_true(w2->flags & UK_O_NONBLOCK);
	assert_int_equal(uk_pipe_reopen(f[0], 3, &r2), -EINVAL);
	/* the originals go: the new ends keep the pipe */
	uk_file_put(f[0]);
	uk_file_put(f[1]);
	assert_int_equal(w2->ops->write(w2, "re", 2, &off), 2);
	assert_int_equal(r2->ops->read(r2, buf, sizeof(buf), &off), 2);
	assert_memory_equal(buf, "re", 2);
	uk_file_put(w2);
	assert_int_equal(r2->ops->read(r2, buf, sizeof(buf), &off), 0);
	uk_file_put(r2);
	/* not a pipe */
	{
		struct uk_file *con = uk_console_file();

		assert_int_equal(uk_pipe_reopen(con, UK_O_RDONLY, &r2),
				 -EINVAL);
		uk_file_put(con);
	}
}

/* The FIFO's vnode is held once by the pipe and dropped only after the
 * slot in it is cleared (an unlinked FIFO's vnode goes with that put). */
struct fake_vn {
	void *fifo;
	int refs;
};

static void vn_put(void *arg)
{
	struct fake_vn *v = arg;

	if (--v->refs == 0)
		free(v);
}

static void test_fifo_vnode_refs(void **state)
{
	struct fake_vn *v = calloc(1, sizeof(*v));
	struct uk_file *a, *b, *c;

	(void)state;
	assert_non_null(v);
	v->refs = 1; /* the caller's */
	v->refs++;   /* what vfscore hands over with each open */
	assert_int_equal(uk_pipe_fifo_open(&v->fifo, UK_O_RDWR, vn_put, v, &a),
			 0);
	v->refs++;
	assert_int_equal(uk_pipe_fifo_open(&v->fifo, UK_O_RDWR, vn_put, v, &b),
			 0);
	assert_int_equal(v->refs, 2); /* the second one's went at once */
	assert_int_equal(uk_pipe_reopen(a, UK_O_RDONLY, &c), 0);
	vn_put(v); /* the caller's reference: unlinked, closed */
	uk_file_put(a);
	uk_file_put(b);
	assert_int_equal(v->refs, 1); /* c keeps the pipe and the vnode */
	uk_file_put(c);		      /* frees v: ASan checks the order */
}

/* ---- splice, tee, vmsplice ---- */

/* a memory file: 64 bytes; `cap` limits what one write takes */
struct mfile {
	char data[64];
	size_t size, cap;
};

static ssize_t mf_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct mfile *m = f->priv;

	if ((size_t)*off >= m->size)
		return 0;
	if (len > m->size - (size_t)*off)
		len = m->size - (size_t)*off;
	memcpy(buf, m->data + *off, len);
	*off += (off_t)len;
	return (ssize_t)len;
}

static ssize_t mf_write(struct uk_file *f, const void *buf, size_t len,
			off_t *off)
{
	struct mfile *m = f->priv;

	if (m->cap && len > m->cap)
		len = m->cap;
	if ((size_t)*off + len > sizeof(m->data))
		return -ENOSPC;
	memcpy(m->data + *off, buf, len);
	*off += (off_t)len;
	if ((size_t)*off > m->size)
		m->size = (size_t)*off;
	return (ssize_t)len;
}

static off_t mf_lseek(struct uk_file *f, off_t off, int whence)
{
	return uk_file_lseek_size(f, off, whence,
				  (off_t)((struct mfile *)f->priv)->size);
}

static const struct uk_file_ops mf_ops = {
	.read = mf_read, .write = mf_write, .lseek = mf_lseek};

static int mf_open(struct mfile *m, unsigned acc)
{
	struct uk_file *f = uk_file_create(&mf_ops, m, acc);
	int fd = uk_fdtab_alloc(f, 0);

	assert_true(fd >= 0);
	return fd;
}

struct later_write {
	int fd;
	uint64_t delay;
};

static void write_later(void *arg)
{
	struct later_write *w = arg;

	uk_sched_sleep_ns(w->delay);
	CHECK(wr(w->fd, "late", 4) == 4);
}

#define SPLICE(...) uk_syscall_call(splice, __VA_ARGS__)

static void test_splice(void **state)
{
	int a[2], b[2], fd, ro, nb[2];
	struct mfile m = {.size = 0};
	struct later_write lw;
	struct uk_thread *t;
	off_t off;
	char buf[64];

	(void)state;
	mkpipe(a, 0);
	mkpipe(b, 0);
	/* pipe -> pipe, and tee leaving the input as it was */
	assert_int_equal(wr(a[1], "abcdef", 6), 6);
	assert_int_equal(uk_syscall_call(tee, a[0], b[1], 4, 0), 4);
	assert_int_equal(rd(b[0], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "abcd", 4);
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 100, 0), 6);
	assert_int_equal(rd(b[0], buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "abcdef", 6);
	/* errors: flags, offsets on pipes, the same pipe, directions */
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 1, 16), -EINVAL);
	off = 0;
	assert_int_equal(SPLICE(a[0], &off, b[1], NULL, 1, 0), -ESPIPE);
	assert_int_equal(SPLICE(a[0], NULL, a[1], NULL, 1, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(tee, a[0], a[1], 1, 0), -EINVAL);
	assert_int_equal(SPLICE(a[1], NULL, b[1], NULL, 1, 0), -EBADF);
	assert_int_equal(SPLICE(a[0], NULL, b[0], NULL, 1, 0), -EBADF);
	assert_int_equal(SPLICE(999, NULL, b[1], NULL, 1, 0), -EBADF);
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 0, 0), 0);
	/* an empty pipe: EAGAIN with SPLICE_F_NONBLOCK; a blocking one
	 * waits for the writer thread */
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 8, 2), -EAGAIN);
	lw = (struct later_write){a[1], 3 * MS};
	t = uk_thread_create(NULL, "w", write_later, &lw, 0);
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 8, 0), 4);
	assert_true(fake_ns >= 3 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(rd(b[0], buf, sizeof(buf)), 4);
	/* file -> pipe, at an offset and at the file's */
	memcpy(m.data, "0123456789", 10);
	m.size = 10;
	fd = mf_open(&m, UK_O_RDWR);
	off = 2;
	assert_int_equal(SPLICE(fd, &off, a[1], NULL, 3, 0), 3);
	assert_int_equal(off, 5);
	assert_int_equal(uk_syscall_call(lseek, fd, 0, 1), 0);
	assert_int_equal(SPLICE(fd, NULL, a[1], NULL, 4, 0), 4);
	assert_int_equal(uk_syscall_call(lseek, fd, 0, 1), 4);
	assert_int_equal(rd(a[0], buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "2340123", 7);
	off = 10;
	assert_int_equal(SPLICE(fd, &off, a[1], NULL, 4, 0), 0); /* EOF */
	/* pipe -> file: only what the file takes leaves the pipe */
	assert_int_equal(wr(a[1], "XYZW", 4), 4);
	m.cap = 3;
	off = 20;
	assert_int_equal(SPLICE(a[0], NULL, fd, &off, 10, 0), 3);
	assert_int_equal(off, 23);
	assert_memory_equal(m.data + 20, "XYZ", 3);
	assert_int_equal(rd(a[0], buf, sizeof(buf)), 1); /* W stayed */
	assert_int_equal(buf[0], 'W');
	m.cap = 0;
	/* a full file: the error, the data stays in the pipe */
	assert_int_equal(wr(a[1], "Q", 1), 1);
	off = 64;
	assert_int_equal(SPLICE(a[0], NULL, fd, &off, 1, 0), -ENOSPC);
	assert_int_equal(rd(a[0], buf, 1), 1);
	/* neither side a pipe; a read-only output */
	assert_int_equal(SPLICE(fd, NULL, fd, NULL, 1, 0), -EINVAL);
	ro = mf_open(&m, UK_O_RDONLY);
	assert_int_equal(SPLICE(a[0], NULL, ro, NULL, 1, 0), -EBADF);
	/* no reader: EPIPE and SIGPIPE; no writer: 0 */
	mkpipe(nb, 0);
	uk_syscall_call(close, nb[0]);
	sigpipes = 0;
	assert_int_equal(SPLICE(fd, NULL, nb[1], NULL, 1, 0), -EPIPE);
	assert_int_equal(sigpipes, 1);
	uk_syscall_call(close, nb[1]);
	uk_syscall_call(close, a[1]);
	assert_int_equal(SPLICE(a[0], NULL, b[1], NULL, 1, 0), 0);
	assert_int_equal(uk_syscall_call(tee, a[0], b[1], 1, 0), 0);
	/* packet-mode pipes are not offered */
	mkpipe(nb, UK_O_DIRECT);
	assert_int_equal(SPLICE(nb[0], NULL, b[1], NULL, 1, 0), -EINVAL);
}

static void test_vmsplice(void **state)
{
	int p[2], fd;
	struct mfile m = {.size = 0};
	struct uk_iovec in[2] = {{"ab", 2}, {"cde", 3}}, out[2];
	char x[2], y[8];

	(void)state;
	mkpipe(p, 0);
	assert_int_equal(uk_syscall_call(vmsplice, p[1], in, 2, 0), 5);
	out[0] = (struct uk_iovec){x, 2};
	out[1] = (struct uk_iovec){y, 8};
	assert_int_equal(uk_syscall_call(vmsplice, p[0], out, 2, 0), 5);
	assert_memory_equal(x, "ab", 2);
	assert_memory_equal(y, "cde", 3);
	/* empty, non-blocking for this call only */
	assert_int_equal(uk_syscall_call(vmsplice, p[0], out, 1, 2), -EAGAIN);
	assert_int_equal(uk_syscall_call(fcntl, p[0], 3, 0) & UK_O_NONBLOCK, 0);
	/* errors */
	fd = mf_open(&m, UK_O_RDWR);
	assert_int_equal(uk_syscall_call(vmsplice, fd, in, 1, 0), -EBADF);
	assert_int_equal(uk_syscall_call(vmsplice, 999, in, 1, 0), -EBADF);
	assert_int_equal(uk_syscall_call(vmsplice, p[1], in, 1, 64), -EINVAL);
	assert_int_equal(uk_syscall_call(vmsplice, p[1], in, 1025, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(vmsplice, p[1], NULL, 1, 0), -EFAULT);
	assert_int_equal(uk_syscall_call(vmsplice, p[1], in, 0, 0), 0);
}

static int setup(void **state)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};

	(void)state;
	fake_ns = 1;
	errors = 0;
	uk_fdtab_set_limit(UK_FDTAB_DEFAULT_LIMIT);
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	for (int fd = 0; fd < 64; fd++)
		uk_syscall_call(close, fd);
	return errors != 0 || coop.sched.nr_threads != 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rw_eof_epipe, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nonblock_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_size, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_vnode_refs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_splice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmsplice, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
