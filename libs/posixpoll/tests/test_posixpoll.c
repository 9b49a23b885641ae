/* posixpoll unit tests: poll/ppoll/select/pselect6/epoll over an in-test
 * pipe, on the real fdtab, uksched and ukschedcoop with a fake clock.
 * Threads never call cmocka asserts (a failure would longjmp across
 * stacks): they count errors, which the main thread checks. */
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
#include <uk/posixpoll.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

#define MS 1000000ULL

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

/* ---- an in-test pipe: 64 bytes, nonblocking, notifying ---- */

struct tpipe {
	char buf[64];
	size_t len;
	struct uk_file *rf, *wf; /* NULL once released */
	int pollcalls;
};

static ssize_t p_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct tpipe *p = f->priv;

	(void)off;
	if (!p->len)
		return p->wf ? -EAGAIN : 0;
	if (len > p->len)
		len = p->len;
	memcpy(buf, p->buf, len);
	memmove(p->buf, p->buf + len, p->len - len);
	p->len -= len;
	if (p->wf)
		uk_file_notify(p->wf, UK_POLLOUT);
	return (ssize_t)len;
}

static ssize_t p_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	struct tpipe *p = f->priv;

	(void)off;
	if (!p->rf)
		return -EPIPE;
	if (p->len == sizeof(p->buf))
		return -EAGAIN;
	if (len > sizeof(p->buf) - p->len)
		len = sizeof(p->buf) - p->len;
	memcpy(p->buf + p->len, buf, len);
	p->len += len;
	uk_file_notify(p->rf, UK_POLLIN);
	return (ssize_t)len;
}

static unsigned p_rpoll(struct uk_file *f, unsigned ev, struct uk_waitq **wq)
{
	struct tpipe *p = f->priv;

	(void)wq;
	p->pollcalls++;
	return ((p->len ? UK_POLLIN : 0) | (p->wf ? 0 : UK_POLLHUP)) &
	       (ev | UK_POLLHUP | UK_POLLERR);
}

static unsigned p_wpoll(struct uk_file *f, unsigned ev, struct uk_waitq **wq)
{
	struct tpipe *p = f->priv;

	(void)wq;
	p->pollcalls++;
	return ((p->len < sizeof(p->buf) ? UK_POLLOUT : 0) |
		(p->rf ? 0 : UK_POLLERR)) &
	       (ev | UK_POLLHUP | UK_POLLERR);
}

static void p_rrelease(struct uk_file *f)
{
	struct tpipe *p = f->priv;

	p->rf = NULL;
	if (p->wf)
		uk_file_notify(p->wf, UK_POLLERR);
	else
		free(p);
}

static void p_wrelease(struct uk_file *f)
{
	struct tpipe *p = f->priv;

	p->wf = NULL;
	if (p->rf)
		uk_file_notify(p->rf, UK_POLLHUP);
	else
		free(p);
}

static const struct uk_file_ops rops = {
	.read = p_read, .poll = p_rpoll, .release = p_rrelease};
static const struct uk_file_ops wops = {
	.write = p_write, .poll = p_wpoll, .release = p_wrelease};

static struct tpipe *mkpipe(int fds[2])
{
	struct tpipe *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->rf = uk_file_create(&rops, p, UK_O_RDONLY);
	p->wf = uk_file_create(&wops, p, UK_O_WRONLY);
	fds[0] = uk_fdtab_alloc(p->rf, 0);
	fds[1] = uk_fdtab_alloc(p->wf, 0);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	return p;
}

static void closefd(int fd)
{
	assert_int_equal(uk_syscall_call(close, fd), 0);
}

static long wr(int fd, const char *s)
{
	return uk_syscall_call(write, fd, s, strlen(s));
}

static long rd(int fd, char *buf, size_t len)
{
	return uk_syscall_call(read, fd, buf, len);
}

/* ---- regular file (epoll: EPERM) ---- */

static int reg_fstat(struct uk_file *f, struct uk_stat *st)
{
	(void)f;
	st->st_mode = UK_S_IFREG | 0644;
	return 0;
}

static const struct uk_file_ops regops = {.fstat = reg_fstat};

/* ---- threads that act later ---- */

struct act {
	uint64_t delay;
	int fd;
	const char *msg; /* NULL: close fd */
};

static void actor(void *arg)
{
	struct act *a = arg;

	uk_sched_sleep_ns(a->delay);
	if (a->msg)
		CHECK(wr(a->fd, a->msg) == (long)strlen(a->msg));
	else
		CHECK(uk_syscall_call(close, a->fd) == 0);
}

static struct uk_thread *later(struct act *a)
{
	struct uk_thread *t = uk_thread_create(NULL, "actor", actor, a, 0);

	assert_non_null(t);
	return t;
}

/* a thread that interrupts another one (a signal would) after a delay */
struct intr {
	uint64_t delay;
	struct uk_thread *target;
};

static void interrupter(void *arg)
{
	struct intr *i = arg;

	uk_sched_sleep_ns(i->delay);
	uk_thread_interrupt(i->target);
}

static struct uk_thread *interrupt_later(struct intr *i)
{
	struct uk_thread *t;

	i->target = uk_thread_current();
	t = uk_thread_create(NULL, "intr", interrupter, i, 0);
	assert_non_null(t);
	return t;
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
	for (int fd = 0; fd < 4096; fd++)
		uk_syscall_call(close, fd);
	return errors != 0 || coop.sched.nr_threads != 1;
}

/* ---- poll ---- */

static void test_poll_ready(void **state)
{
	struct uk_pollfd pf[4];
	int fds[2];
	char buf[8];

	(void)state;
	mkpipe(fds);
	pf[0] = (struct uk_pollfd){fds[0], UK_POLLIN, 0x55};
	pf[1] = (struct uk_pollfd){fds[1], UK_POLLOUT | UK_POLLIN, 0};
	pf[2] = (struct uk_pollfd){-1, UK_POLLIN, 0x55}; /* ignored */
	pf[3] = (struct uk_pollfd){999, UK_POLLIN, 0};	 /* not open */
	assert_int_equal(uk_syscall_call(poll, pf, 4, 0), 2);
	assert_int_equal(pf[0].revents, 0);
	assert_int_equal(pf[1].revents, UK_POLLOUT);
	assert_int_equal(pf[2].revents, 0);
	assert_int_equal(pf[3].revents, UK_POLLNVAL);
	assert_int_equal(wr(fds[1], "hi"), 2);
	pf[0].events = UK_POLLIN | UK_POLLRDNORM;
	assert_int_equal(uk_syscall_call(poll, pf, 2, 0), 2);
	assert_int_equal(pf[0].revents, UK_POLLIN | UK_POLLRDNORM);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 2);
	/* writer gone: HUP on the reader, even unasked */
	closefd(fds[1]);
	pf[0].events = 0;
	assert_int_equal(uk_syscall_call(poll, pf, 1, 0), 1);
	assert_int_equal(pf[0].revents, UK_POLLHUP);
	closefd(fds[0]);
	/* no fds, zero timeout; bad arguments */
	assert_int_equal(uk_syscall_call(poll, NULL, 0, 0), 0);
	assert_int_equal(uk_syscall_call(poll, NULL, 1, 0), -EFAULT);
	assert_int_equal(uk_syscall_call(poll, pf, 1025, 0), -EINVAL);
}

static void test_poll_block(void **state)
{
	struct act a = {10 * MS, 0, "x"};
	struct uk_pollfd pf[2];
	struct uk_thread *t;
	int fds[2], fds2[2];
	uint64_t t0 = fake_ns;

	(void)state;
	mkpipe(fds);
	mkpipe(fds2);
	a.fd = fds2[1];
	pf[0] = (struct uk_pollfd){fds[0], UK_POLLIN, 0};
	pf[1] = (struct uk_pollfd){fds2[0], UK_POLLIN, 0};
	t = later(&a);
	assert_int_equal(uk_syscall_call(poll, pf, 2, -1), 1);
	assert_int_equal(pf[0].revents, 0);
	assert_int_equal(pf[1].revents, UK_POLLIN);
	assert_int_equal(fake_ns - t0, 10 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* the watchers are gone: notifications reach nobody */
	{
		struct uk_file *f = uk_fdtab_get(fds2[0]);

		assert_null(f->watch);
		uk_file_put(f);
	}
}

static void test_poll_timeout(void **state)
{
	struct uk_pollfd pf;
	int fds[2];
	uint64_t t0 = fake_ns;
	struct {
		long s, ns;
	} ts = {0, 5 * MS};

	(void)state;
	mkpipe(fds);
	pf = (struct uk_pollfd){fds[0], UK_POLLIN, 0};
	assert_int_equal(uk_syscall_call(poll, &pf, 1, 50), 0);
	assert_int_equal(fake_ns - t0, 50 * MS);
	/* ppoll: the time left is written back */
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, NULL, 0), 0);
	assert_int_equal(ts.s, 0);
	assert_int_equal(ts.ns, 0);
	assert_int_equal(fake_ns - t0, 55 * MS);
	ts.ns = -1;
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, NULL, 0), -EINVAL);
	ts.ns = 1000000000;
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, NULL, 0), -EINVAL);
	ts.ns = 0;
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, &ts, 4), -EINVAL);
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, &ts, 8), 0);
	/* sleeping through poll with no descriptors */
	assert_int_equal(uk_syscall_call(poll, NULL, 0, 7), 0);
	assert_int_equal(fake_ns - t0, 62 * MS);
}

/* 300 pipes; a thread writes to one of them after a while */
#define NPIPES 300

static void test_poll_many(void **state)
{
	static struct uk_pollfd pf[NPIPES];
	static int fds[NPIPES][2];
	struct act a = {MS, 0, "y"};
	struct uk_thread *t;

	(void)state;
	for (int i = 0; i < NPIPES; i++) {
		mkpipe(fds[i]);
		pf[i] = (struct uk_pollfd){fds[i][0], UK_POLLIN, 0};
	}
	a.fd = fds[137][1];
	t = later(&a);
	assert_int_equal(uk_syscall_call(poll, pf, NPIPES, 1000), 1);
	for (int i = 0; i < NPIPES; i++)
		assert_int_equal(pf[i].revents, i == 137 ? UK_POLLIN : 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	for (int i = 0; i < NPIPES; i++) {
		closefd(fds[i][0]);
		closefd(fds[i][1]);
	}
}

/* ---- select ---- */

#define FDSET_WORDS 16 /* 1024 bits */

static void set(unsigned long *s, int fd)
{
	s[fd / 64] |= 1UL << (fd % 64);
}

static int isset(const unsigned long *s, int fd)
{
	return (s[fd / 64] >> (fd % 64)) & 1;
}

static void test_select(void **state)
{
	unsigned long in[FDSET_WORDS], out[FDSET_WORDS];
	struct {
		long s, us;
	} tv = {0, 30000};
	struct {
		long s, ns;
	} ts = {1, 0};
	struct {
		const void *ss;
		size_t len;
	} sig = {&ts, 4};
	int fds[2];
	uint64_t t0 = fake_ns;
	struct act a = {2 * MS, 0, "z"};
	struct uk_thread *t;

	(void)state;
	mkpipe(fds);
	memset(in, 0, sizeof(in));
	memset(out, 0, sizeof(out));
	set(in, fds[0]);
	set(out, fds[1]);
	set(in, fds[1]);
	/* writable write end only */
	assert_int_equal(
		uk_syscall_call(select, fds[1] + 1, in, out, NULL, &tv), 1);
	assert_false(isset(in, fds[0]));
	assert_false(isset(in, fds[1]));
	assert_true(isset(out, fds[1]));
	assert_int_equal(fake_ns, t0);
	/* timeout, time left written back */
	memset(in, 0, sizeof(in));
	set(in, fds[0]);
	assert_int_equal(
		uk_syscall_call(select, fds[0] + 1, in, NULL, NULL, &tv), 0);
	assert_int_equal(tv.s, 0);
	assert_int_equal(tv.us, 0);
	assert_false(isset(in, fds[0]));
	assert_int_equal(fake_ns - t0, 30 * MS);
	/* wakes on data (pselect6) */
	a.fd = fds[1];
	t = later(&a);
	set(in, fds[0]);
	sig.ss = NULL;
	assert_int_equal(uk_syscall_call(pselect6, fds[0] + 1, in, NULL, NULL,
					 &ts, &sig),
			 1);
	assert_true(isset(in, fds[0]));
	assert_int_equal(ts.s, 0);
	assert_int_equal(ts.ns, 998 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* errors */
	sig.ss = &ts;
	assert_int_equal(
		uk_syscall_call(pselect6, 1, NULL, NULL, NULL, &ts, &sig),
		-EINVAL);
	assert_int_equal(uk_syscall_call(select, -1, NULL, NULL, NULL, NULL),
			 -EINVAL);
	tv.us = 1000000;
	assert_int_equal(uk_syscall_call(select, 0, NULL, NULL, NULL, &tv),
			 -EINVAL);
	tv.us = 0;
	memset(in, 0, sizeof(in));
	set(in, 700); /* not open */
	assert_int_equal(uk_syscall_call(select, 701, in, NULL, NULL, &tv),
			 -EBADF);
	/* nfds above the limit is clamped (the bit past it ignored) */
	uk_fdtab_set_limit(600);
	assert_int_equal(uk_syscall_call(select, 1024, in, NULL, NULL, &tv), 0);
	uk_fdtab_set_limit(UK_FDTAB_DEFAULT_LIMIT);
	/* readable by HUP */
	closefd(fds[1]);
	memset(in, 0, sizeof(in));
	set(in, fds[0]);
	assert_int_equal(
		uk_syscall_call(select, fds[0] + 1, in, NULL, NULL, NULL), 1);
	closefd(fds[0]);
}

/* ---- epoll ---- */

static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct uk_epoll_event ev = {events, data};

	return (int)uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, fd, &ev);
}

static int ep_mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct uk_epoll_event ev = {events, data};

	return (int)uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_MOD, fd, &ev);
}

static int ep_wait(int ep, struct uk_epoll_event *ev, int max, int timeout)
{
	return (int)uk_syscall_call(epoll_wait, ep, ev, max, timeout);
}

static void test_epoll_abi(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct uk_epoll_event), 12);
	assert_int_equal(offsetof(struct uk_epoll_event, data), 4);
	assert_int_equal(sizeof(struct uk_pollfd), 8);
}

static void test_epoll_level(void **state)
{
	struct uk_epoll_event ev[4];
	int fds[2], ep;
	char buf[8];
	struct tpipe *p;

	(void)state;
	ep = (int)uk_syscall_call(epoll_create1, 0);
	assert_true(ep >= 0);
	p = mkpipe(fds);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 42), 0);
	assert_int_equal(ep_add(ep, fds[1], UK_EPOLLOUT, 43), 0);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(ev[0].events, UK_EPOLLOUT);
	assert_int_equal(ev[0].data, 43);
	/* level-triggered: reported again */
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(wr(fds[1], "abc"), 3);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 2);
	assert_int_equal(ep_wait(ep, ev, 1, 0), 1); /* maxevents respected */
	assert_int_equal(ep_wait(ep, ev, 4, 0), 2);
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 3);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(ev[0].data, 43);
	/* only queued items are polled: no notification, no poll calls */
	p->pollcalls = 0;
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_DEL, fds[1], NULL),
		0);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	assert_int_equal(p->pollcalls, 0);
	/* MOD */
	assert_int_equal(ep_mod(ep, fds[0], UK_EPOLLIN | UK_EPOLLOUT, 7), 0);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	assert_int_equal(wr(fds[1], "d"), 1);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(ev[0].data, 7);
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(ep);
}

static void test_epoll_edge_oneshot(void **state)
{
	struct uk_epoll_event ev[4];
	int fds[2], fds2[2], ep;
	char buf[8];

	(void)state;
	ep = (int)uk_syscall_call(epoll_create, 1);
	assert_true(ep >= 0);
	mkpipe(fds);
	mkpipe(fds2);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN | UK_EPOLLET, 1), 0);
	assert_int_equal(ep_add(ep, fds2[0], UK_EPOLLIN | UK_EPOLLONESHOT, 2),
			 0);
	assert_int_equal(wr(fds[1], "a"), 1);
	assert_int_equal(wr(fds2[1], "a"), 1);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 2);
	/* both still readable, but neither is reported again */
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	/* a new edge: ET reports again, ONESHOT stays disarmed */
	assert_int_equal(wr(fds[1], "b"), 1);
	assert_int_equal(wr(fds2[1], "b"), 1);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(ev[0].data, 1);
	assert_int_equal(ev[0].events, UK_EPOLLIN);
	/* rearm */
	assert_int_equal(ep_mod(ep, fds2[0], UK_EPOLLIN | UK_EPOLLONESHOT, 3),
			 0);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 1);
	assert_int_equal(ev[0].data, 3);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	/* ET on a notification that does not concern the item: nothing */
	assert_int_equal(rd(fds[0], buf, sizeof(buf)), 2);
	assert_int_equal(ep_wait(ep, ev, 4, 0), 0);
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(fds2[0]);
	closefd(fds2[1]);
	closefd(ep);
}

static void test_epoll_block(void **state)
{
	struct uk_epoll_event ev[2];
	int fds[2], ep;
	struct act a = {3 * MS, 0, "q"};
	struct uk_thread *t;
	uint64_t t0 = fake_ns;
	uint64_t mask = 0;

	(void)state;
	ep = (int)uk_syscall_call(epoll_create1, UK_EPOLL_CLOEXEC);
	assert_int_equal(uk_syscall_call(fcntl, ep, 1 /* F_GETFD */, 0), 1);
	mkpipe(fds);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 9), 0);
	assert_int_equal(ep_wait(ep, ev, 2, 20), 0);
	assert_int_equal(fake_ns - t0, 20 * MS);
	a.fd = fds[1];
	t = later(&a);
	assert_int_equal(uk_syscall_call(epoll_pwait, ep, ev, 2, -1, &mask, 8),
			 1);
	assert_int_equal(fake_ns - t0, 23 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(uk_syscall_call(epoll_pwait, ep, ev, 2, 0, &mask, 7),
			 -EINVAL);
	/* epoll_pwait2: a timespec timeout (ns) */
	{
		struct {
			long s, ns;
		} ts = {0, 1500000};
		uint64_t t1;
		char c;

		assert_int_equal(uk_syscall_call(read, fds[0], &c, 1), 1);
		t1 = fake_ns;
		assert_int_equal(
			uk_syscall_call(epoll_pwait2, ep, ev, 2, &ts, NULL, 0),
			0);
		assert_int_equal(fake_ns - t1, 1500000);
		ts.ns = -1;
		assert_int_equal(
			uk_syscall_call(epoll_pwait2, ep, ev, 2, &ts, NULL, 0),
			-EINVAL);
	}
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(ep);
}

/* A loop of epoll_wait(.., 0) must let a ready thread run (cooperative
 * scheduling): the event it produces is then seen, without time passing. */
static void test_epoll_zero_yields(void **state)
{
	struct uk_epoll_event ev[2];
	int fds[2], ep, n = 0, spins;
	struct act a = {0, 0, "z"};
	struct uk_thread *t;
	uint64_t t0;

	(void)state;
	ep = (int)uk_syscall_call(epoll_create1, 0);
	mkpipe(fds);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 5), 0);
	a.fd = fds[1];
	t = later(&a);
	t0 = fake_ns;
	for (spins = 0; spins < 100 && n == 0; spins++)
		n = ep_wait(ep, ev, 2, 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].data, 5);
	assert_int_equal(fake_ns, t0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(ep);
}

/* 400 pipes (800 descriptors) in one instance */
static void test_epoll_many(void **state)
{
	static int fds[400][2];
	struct uk_epoll_event ev[8];
	int ep, got = 0;
	struct act acts[3];
	struct uk_thread *t[3];

	(void)state;
	ep = (int)uk_syscall_call(epoll_create1, 0);
	for (int i = 0; i < 400; i++) {
		mkpipe(fds[i]);
		assert_int_equal(ep_add(ep, fds[i][0], UK_EPOLLIN, i), 0);
	}
	for (int i = 0; i < 3; i++) {
		acts[i] = (struct act){(uint64_t)(i + 1) * MS, fds[i * 150][1],
				       "m"};
		t[i] = later(&acts[i]);
	}
	while (got < 3) { /* bounded: each round reports at least one */
		int n = ep_wait(ep, ev, 8, 100);

		assert_true(n > 0);
		for (int k = 0; k < n; k++) {
			char c;

			assert_int_equal(ev[k].data % 150, 0);
			assert_int_equal(rd(fds[ev[k].data][0], &c, 1), 1);
		}
		got += n;
	}
	assert_int_equal(ep_wait(ep, ev, 8, 0), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(uk_thread_join(t[i], NULL), 0);
	closefd(ep); /* with 400 items still in it */
	for (int i = 0; i < 400; i++) {
		closefd(fds[i][0]);
		closefd(fds[i][1]);
	}
}

static void test_epoll_close(void **state)
{
	struct uk_epoll_event ev[2];
	int fds[2], ep, d;

	(void)state;
	ep = (int)uk_syscall_call(epoll_create1, 0);
	mkpipe(fds);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 5), 0);
	assert_int_equal(wr(fds[1], "a"), 1);
	/* a duplicate keeps the file open: the item stays (as Linux) */
	d = (int)uk_syscall_call(dup, fds[0]);
	closefd(fds[0]);
	assert_int_equal(ep_wait(ep, ev, 2, 0), 1);
	assert_int_equal(ev[0].data, 5);
	/* the last descriptor closed: the item goes with the file */
	closefd(d);
	assert_int_equal(ep_wait(ep, ev, 2, 0), 0);
	assert_int_equal(wr(fds[1], "b"), -EPIPE);
	/* closing the watched file while a waiter sleeps: no wake, timeout */
	mkpipe(fds);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 6), 0);
	{
		struct act a = {MS, fds[0], NULL};
		struct uk_thread *t = later(&a);

		assert_int_equal(ep_wait(ep, ev, 2, 10), 0);
		assert_int_equal(uk_thread_join(t, NULL), 0);
	}
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_DEL, fds[0], NULL),
		-EBADF);
	closefd(fds[1]);
	closefd(ep);
}

static void test_epoll_nested(void **state)
{
	struct uk_epoll_event ev[2];
	struct uk_pollfd pf;
	int fds[2], ep1, ep2, ep3;
	struct act a = {MS, 0, "n"};
	struct uk_thread *t;

	(void)state;
	ep1 = (int)uk_syscall_call(epoll_create1, 0);
	ep2 = (int)uk_syscall_call(epoll_create1, 0);
	mkpipe(fds);
	assert_int_equal(ep_add(ep1, fds[0], UK_EPOLLIN, 1), 0);
	assert_int_equal(ep_add(ep2, ep1, UK_EPOLLIN, 2), 0);
	assert_int_equal(ep_add(ep1, ep2, UK_EPOLLIN, 3), -ELOOP);
	assert_int_equal(ep_add(ep1, ep1, UK_EPOLLIN, 3), -EINVAL);
	/* poll() on an instance: readable when an item is */
	pf = (struct uk_pollfd){ep1, UK_POLLIN, 0};
	assert_int_equal(uk_syscall_call(poll, &pf, 1, 0), 0);
	a.fd = fds[1];
	t = later(&a);
	assert_int_equal(ep_wait(ep2, ev, 2, -1), 1);
	assert_int_equal(ev[0].data, 2);
	assert_int_equal(uk_syscall_call(poll, &pf, 1, 0), 1);
	assert_int_equal(pf.revents, UK_POLLIN);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* depth limit */
	ep3 = (int)uk_syscall_call(epoll_create1, 0);
	{
		int chain[7];

		chain[0] = ep3;
		for (int i = 1; i < 7; i++) {
			chain[i] = (int)uk_syscall_call(epoll_create1, 0);
			assert_int_equal(
				ep_add(chain[i], chain[i - 1], UK_EPOLLIN, 0),
				i < 6 ? 0 : -ELOOP);
		}
		for (int i = 1; i < 7; i++)
			closefd(chain[i]);
	}
	closefd(ep3);
	closefd(ep2);
	closefd(ep1);
	closefd(fds[0]);
	closefd(fds[1]);
}

static void test_epoll_errors(void **state)
{
	struct uk_epoll_event ev = {UK_EPOLLIN, 0}, out[1];
	int fds[2], ep, reg;
	struct uk_file *rf;

	(void)state;
	assert_int_equal(uk_syscall_call(epoll_create, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(epoll_create1, 1), -EINVAL);
	ep = (int)uk_syscall_call(epoll_create1, 0);
	mkpipe(fds);
	rf = uk_file_create(&regops, NULL, UK_O_RDONLY);
	reg = uk_fdtab_alloc(rf, 0);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, fds[0], NULL),
		-EFAULT);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, 999, UK_EPOLL_CTL_ADD, fds[0], &ev),
		-EBADF);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, 999, &ev),
		-EBADF);
	assert_int_equal(uk_syscall_call(epoll_ctl, fds[1], UK_EPOLL_CTL_ADD,
					 fds[0], &ev),
			 -EINVAL);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_ADD, reg, &ev),
		-EPERM);
	assert_int_equal(uk_syscall_call(epoll_ctl, ep, 7, fds[0], &ev),
			 -EINVAL);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_MOD, fds[0], &ev),
		-ENOENT);
	assert_int_equal(
		uk_syscall_call(epoll_ctl, ep, UK_EPOLL_CTL_DEL, fds[0], NULL),
		-ENOENT);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 0), 0);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 0), -EEXIST);
	assert_int_equal(ep_mod(ep, fds[0], UK_EPOLLIN | UK_EPOLLEXCLUSIVE, 0),
			 -EINVAL);
	assert_int_equal(
		ep_add(ep, fds[1],
		       UK_EPOLLOUT | UK_EPOLLEXCLUSIVE | UK_EPOLLONESHOT, 0),
		-EINVAL);
	assert_int_equal(ep_wait(ep, out, 0, 0), -EINVAL);
	assert_int_equal(ep_wait(ep, NULL, 1, 0), -EFAULT);
	assert_int_equal(ep_wait(999, out, 1, 0), -EBADF);
	assert_int_equal(ep_wait(fds[0], out, 1, 0), -EINVAL);
	closefd(reg);
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(ep);
}

/* A signal to handle ends every wait with EINTR (never restarted): poll,
 * ppoll (time left written back), select (sets untouched), epoll_wait. */
static void test_interrupted(void **state)
{
	struct intr in = {4 * MS, NULL};
	struct uk_pollfd pf;
	struct uk_epoll_event ev;
	struct uk_thread *t;
	int fds[2], ep;
	unsigned long set[1];
	uint64_t t0;
	struct {
		long s, ns;
	} ts = {0, 10 * MS};

	(void)state;
	mkpipe(fds);
	pf = (struct uk_pollfd){fds[0], UK_POLLIN, 0x55};
	t0 = fake_ns;
	t = interrupt_later(&in);
	assert_int_equal(uk_syscall_call(poll, &pf, 1, -1), -EINTR);
	assert_int_equal(fake_ns - t0, 4 * MS);
	assert_int_equal(pf.revents, 0x55); /* not written */
	/* the request stays until the signal layer withdraws it */
	assert_int_equal(uk_syscall_call(poll, &pf, 1, 100), -EINTR);
	assert_int_equal(fake_ns - t0, 4 * MS);
	uk_thread_intr_clear(uk_thread_current());
	assert_int_equal(uk_thread_join(t, NULL), 0);

	t0 = fake_ns;
	t = interrupt_later(&in);
	assert_int_equal(uk_syscall_call(ppoll, &pf, 1, &ts, NULL, 0), -EINTR);
	assert_int_equal(ts.ns, 6 * MS);
	uk_thread_intr_clear(uk_thread_current());
	assert_int_equal(uk_thread_join(t, NULL), 0);

	set[0] = 1UL << fds[0];
	t = interrupt_later(&in);
	assert_int_equal(
		uk_syscall_call(select, fds[0] + 1, set, NULL, NULL, NULL),
		-EINTR);
	assert_int_equal(set[0], 1UL << fds[0]);
	uk_thread_intr_clear(uk_thread_current());
	assert_int_equal(uk_thread_join(t, NULL), 0);

	ep = (int)uk_syscall_call(epoll_create1, 0);
	assert_int_equal(ep_add(ep, fds[0], UK_EPOLLIN, 1), 0);
	t = interrupt_later(&in);
	assert_int_equal(ep_wait(ep, &ev, 1, -1), -EINTR);
	uk_thread_intr_clear(uk_thread_current());
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* data ready and a request: the data wins */
	assert_int_equal(wr(fds[1], "z"), 1);
	uk_thread_interrupt(uk_thread_current());
	assert_int_equal(uk_syscall_call(poll, &pf, 1, -1), 1);
	assert_int_equal(ep_wait(ep, &ev, 1, -1), 1);
	uk_thread_intr_clear(uk_thread_current());
	closefd(fds[0]);
	closefd(fds[1]);
	closefd(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_poll_ready, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_poll_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_poll_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_poll_many, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_abi, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_level, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_edge_oneshot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_zero_yields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_many, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_nested, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoll_errors, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
