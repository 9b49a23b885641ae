/* posixsocket unit tests: real TCP and UDP over lwIP's loopback netif
 * between sockets of one stack, through the system calls (Linux ABI from
 * the host's headers), with poll/epoll from posixpoll, on the real fdtab,
 * uksched, ukschedcoop and uklock with a fake clock. Threads never call
 * cmocka asserts: they count errors, which the main thread checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/posixsocket.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

/* lwIP's (not including its headers next to the host's socket headers) */
void tcpip_init(void (*done)(void *), void *arg);
struct lwip_ip4 { /* ip_addr_t of an IPv4-only lwIP */
	uint32_t addr;
};
void dns_setserver(uint8_t i, const struct lwip_ip4 *a);
void uklwip_core_lock(void); /* LOCK_TCPIP_CORE() */
void uklwip_core_unlock(void);
#include <uk/lwip.h>
/* lwipopts.h's UKLWIP_TCP_SNDBUF_MIN, 2 MSS */
#define SNDBUF_FLOOR (2 * 1460)

#define MS 1000000ULL
#define SC uk_syscall_call

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

static struct sockaddr_in lo(uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* a listening TCP socket on 127.0.0.1, its port in *port */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = lo(0);
	socklen_t len = sizeof(a);
	int one = 1;
	int s = (int)SC(socket, AF_INET, SOCK_STREAM, 0);

	assert_true(s >= 0);
	assert_int_equal(
		SC(setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)),
		0);
	assert_int_equal(SC(bind, s, &a, sizeof(a)), 0);
	assert_int_equal(SC(listen, s, 16), 0);
	assert_int_equal(SC(getsockname, s, &a, &len), 0);
	assert_int_equal(len, sizeof(a));
	assert_int_equal(a.sin_family, AF_INET);
	assert_int_equal(a.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_true(a.sin_port != 0);
	*port = ntohs(a.sin_port);
	return s;
}

/* a connected pair: *c (client) and *a (accepted) */
static void tcp_pair(int l, uint16_t port, int *c, int *a)
{
	struct sockaddr_in sa = lo(port), peer;
	socklen_t len = sizeof(peer);

	*c = (int)SC(socket, AF_INET, SOCK_STREAM, 0);
	assert_true(*c >= 0);
	assert_int_equal(SC(connect, *c, &sa, sizeof(sa)), 0);
	*a = (int)SC(accept, l, &peer, &len);
	assert_true(*a >= 0);
	assert_int_equal(peer.sin_family, AF_INET);
	assert_int_equal(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
}

static void closefd(int fd)
{
	assert_int_equal(SC(close, fd), 0);
}

/* ---- a thread that sends after a delay ---- */
struct act {
	uint64_t delay;
	int fd;
	const char *msg; /* NULL: shutdown(SHUT_WR) */
};

static void actor(void *arg)
{
	struct act *a = arg;

	uk_sched_sleep_ns(a->delay);
	if (a->msg)
		CHECK(SC(write, a->fd, a->msg, strlen(a->msg)) ==
		      (long)strlen(a->msg));
	else
		CHECK(SC(shutdown, a->fd, SHUT_WR) == 0);
}

static struct uk_thread *later(struct act *a)
{
	struct uk_thread *t = uk_thread_create(NULL, "actor", actor, a, 0);

	assert_non_null(t);
	return t;
}

static void test_tcp_basic(void **state)
{
	uint16_t port;
	int l = listener(&port), c, a;
	char buf[64];
	struct sockaddr_in sn, pn;
	socklen_t sl = sizeof(sn), pl = sizeof(pn);
	struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
	struct stat st;
	int n;

	(void)state;
	tcp_pair(l, port, &c, &a);
	/* names: the accepted socket's peer is the client's name */
	assert_int_equal(SC(getsockname, c, &sn, &sl), 0);
	assert_int_equal(SC(getpeername, a, &pn, &pl), 0);
	assert_int_equal(sn.sin_port, pn.sin_port);
	assert_int_equal(SC(getpeername, c, &pn, &pl), 0);
	assert_int_equal(ntohs(pn.sin_port), port);
	/* data both ways: write/read, send/recv, writev/readv */
	assert_int_equal(SC(write, c, "hello", 5), 5);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(SC(sendto, a, "world", 5, 0, NULL, 0), 5);
	assert_int_equal(SC(recvfrom, c, buf, 3, MSG_PEEK, NULL, NULL), 3);
	assert_int_equal(SC(recvfrom, c, buf, sizeof(buf), 0, NULL, NULL), 5);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(SC(writev, c, iov, 3), 6);
	uk_sched_sleep_ns(MS);
	assert_int_equal(SC(ioctl, a, FIONREAD, &n), 0);
	assert_int_equal(n, 6);
	{
		char x[3], y[8];
		struct iovec r[2] = {{x, 3}, {y, 8}};

		assert_int_equal(SC(readv, a, r, 2), 6);
		assert_memory_equal(x, "abc", 3);
		assert_memory_equal(y, "def", 3);
	}
	/* fstat */
	assert_int_equal(SC(fstat, a, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	/* shutdown: EOF on the other side */
	assert_int_equal(SC(shutdown, c, SHUT_WR), 0);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 0);
	assert_int_equal(SC(write, a, "z", 1), 1);
	assert_int_equal(SC(read, c, buf, sizeof(buf)), 1);
	closefd(a);
	closefd(c);
	closefd(l);
}

static void test_nonblocking(void **state)
{
	uint16_t port;
	int l = listener(&port), c, a, fl;
	char buf[8];

	(void)state;
	/* accept on nothing */
	fl = (int)SC(fcntl, l, F_GETFL, 0);
	assert_int_equal(SC(fcntl, l, F_SETFL, fl | O_NONBLOCK), 0);
	assert_int_equal(SC(accept, l, NULL, NULL), -EAGAIN);
	tcp_pair(l, port, &c, &a);
	/* SOCK_NONBLOCK via accept4, FIONBIO, MSG_DONTWAIT */
	assert_int_equal(SC(recvfrom, a, buf, 8, MSG_DONTWAIT, NULL, NULL),
			 -EAGAIN);
	fl = 1;
	assert_int_equal(SC(ioctl, c, FIONBIO, &fl), 0);
	assert_int_equal(SC(read, c, buf, 8), -EAGAIN);
	fl = 0;
	assert_int_equal(SC(ioctl, c, FIONBIO, &fl), 0);
	closefd(a);
	{
		struct sockaddr_in sa = lo(port);
		int c2 = (int)SC(socket, AF_INET,
				 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		long r;

		assert_int_equal(SC(fcntl, c2, F_GETFD, 0), FD_CLOEXEC);
		assert_true(SC(fcntl, c2, F_GETFL, 0) & O_NONBLOCK);
		r = SC(connect, c2, &sa, sizeof(sa));
		assert_true(r == 0 || r == -EINPROGRESS);
		uk_sched_sleep_ns(MS);
		a = (int)SC(accept4, l, NULL, NULL, SOCK_NONBLOCK);
		assert_true(a >= 0);
		assert_true(SC(fcntl, a, F_GETFL, 0) & O_NONBLOCK);
		assert_int_equal(SC(read, a, buf, 8), -EAGAIN);
		closefd(a);
		closefd(c2);
	}
	closefd(c);
	closefd(l);
}

static void test_poll_epoll(void **state)
{
	uint16_t port;
	int l = listener(&port), c, a, ep;
	struct pollfd pf[2];
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77}, out[4];
	struct act act = {5 * MS, 0, "ping"};
	struct uk_thread *t;
	char buf[8];

	(void)state;
	/* a listening socket is readable when a connection waits */
	pf[0] = (struct pollfd){l, POLLIN, 0};
	assert_int_equal(SC(poll, pf, 1, 0), 0);
	ep = (int)SC(epoll_create1, 0);
	assert_int_equal(SC(epoll_ctl, ep, EPOLL_CTL_ADD, l, &ev), 0);
	tcp_pair(l, port, &c, &a);
	pf[0].revents = 0;
	assert_int_equal(SC(poll, pf, 1, 0), 0); /* accepted already */
	/* a connected socket: writable, readable once data arrives */
	pf[0] = (struct pollfd){a, POLLIN | POLLOUT, 0};
	assert_int_equal(SC(poll, pf, 1, 0), 1);
	assert_int_equal(pf[0].revents, POLLOUT);
	ev.data.u64 = 78;
	ev.events = EPOLLIN | EPOLLET;
	assert_int_equal(SC(epoll_ctl, ep, EPOLL_CTL_ADD, a, &ev), 0);
	/* blocking epoll_wait woken by the peer's send in another thread */
	act.fd = c;
	t = later(&act);
	assert_int_equal(SC(epoll_wait, ep, out, 4, 1000), 1);
	assert_int_equal(out[0].data.u64, 78);
	assert_true(out[0].events & EPOLLIN);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	/* edge-triggered: not again until new data */
	assert_int_equal(SC(epoll_wait, ep, out, 4, 0), 0);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 4);
	/* poll blocking until EOF */
	act = (struct act){3 * MS, c, NULL};
	t = later(&act);
	pf[0] = (struct pollfd){a, POLLIN, 0};
	pf[1] = (struct pollfd){l, POLLIN, 0};
	pf[0].events |= POLLRDHUP;
	assert_int_equal(SC(poll, pf, 2, 1000), 1);
	assert_int_equal(pf[0].revents, POLLIN | POLLRDHUP);
	assert_int_equal(pf[1].revents, 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 0);
	/* both directions done: HUP */
	assert_int_equal(SC(shutdown, a, SHUT_WR), 0);
	uk_sched_sleep_ns(MS);
	pf[0] = (struct pollfd){a, POLLIN, 0};
	assert_int_equal(SC(poll, pf, 1, 0), 1);
	assert_true(pf[0].revents & POLLHUP);
	/* closing a watched socket removes it from the epoll set */
	closefd(a);
	assert_int_equal(SC(epoll_wait, ep, out, 4, 10), 0);
	closefd(c);
	closefd(ep);
	closefd(l);
}

static void test_udp(void **state)
{
	struct sockaddr_in a = lo(0), b = lo(0), from;
	socklen_t len = sizeof(a), fl = sizeof(from);
	int u1 = (int)SC(socket, AF_INET, SOCK_DGRAM, 0);
	int u2 = (int)SC(socket, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	char buf[32];
	struct pollfd pf;

	(void)state;
	assert_true(u1 >= 0 && u2 >= 0);
	assert_int_equal(SC(bind, u1, &a, sizeof(a)), 0);
	assert_int_equal(SC(getsockname, u1, &a, &len), 0);
	assert_int_equal(SC(bind, u2, &b, sizeof(b)), 0);
	len = sizeof(b);
	assert_int_equal(SC(getsockname, u2, &b, &len), 0);
	pf = (struct pollfd){u1, POLLIN | POLLOUT, 0};
	assert_int_equal(SC(poll, &pf, 1, 0), 1);
	assert_int_equal(pf.revents, POLLOUT);
	assert_int_equal(SC(sendto, u2, "dgram", 5, 0, &a, sizeof(a)), 5);
	pf.events = POLLIN;
	assert_int_equal(SC(poll, &pf, 1, 100), 1);
	assert_int_equal(pf.revents, POLLIN);
	assert_int_equal(SC(recvfrom, u1, buf, sizeof(buf), 0, &from, &fl), 5);
	assert_int_equal(fl, sizeof(from));
	assert_int_equal(from.sin_family, AF_INET);
	assert_int_equal(from.sin_port, b.sin_port);
	/* sendmsg / recvmsg: one datagram from two buffers, truncation */
	{
		struct iovec v[2] = {{"12345", 5}, {"6789", 4}};
		struct msghdr m = {.msg_name = &a,
				   .msg_namelen = sizeof(a),
				   .msg_iov = v,
				   .msg_iovlen = 2};
		char r1[4];
		struct iovec rv = {r1, 4};
		struct msghdr rm = {.msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &rv,
				    .msg_iovlen = 1};

		assert_int_equal(SC(sendmsg, u2, &m, 0), 9);
		assert_int_equal(SC(recvmsg, u1, &rm, 0), 4);
		assert_memory_equal(r1, "1234", 4);
		assert_true(rm.msg_flags & MSG_TRUNC);
		assert_int_equal(from.sin_port, b.sin_port);
	}
	/* connected UDP: write/read */
	assert_int_equal(SC(connect, u2, &a, sizeof(a)), 0);
	assert_int_equal(SC(write, u2, "x", 1), 1);
	assert_int_equal(SC(read, u1, buf, sizeof(buf)), 1);
	closefd(u1);
	closefd(u2);
}

static void test_options(void **state)
{
	int s = (int)SC(socket, AF_INET, SOCK_STREAM, 0);
	int u = (int)SC(socket, AF_INET, SOCK_DGRAM, 0);
	int v, one = 1;
	socklen_t len = sizeof(v);
	struct timeval tv = {1, 500000}, tv2;
	struct linger lg = {1, 3}, lg2;

	(void)state;
#define GET(fd, lvl, name)        \
	(len = sizeof(v), v = -1, \
	 assert_int_equal(SC(getsockopt, fd, lvl, name, &v, &len), 0), v)
	assert_int_equal(GET(s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	assert_int_equal(GET(u, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(GET(s, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
	assert_int_equal(GET(u, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
	assert_int_equal(GET(s, SOL_SOCKET, SO_DOMAIN), AF_INET);
	assert_int_equal(GET(s, SOL_SOCKET, SO_ERROR), 0);
	assert_int_equal(GET(s, SOL_SOCKET, SO_ACCEPTCONN), 0);
	assert_int_equal(GET(s, SOL_SOCKET, SO_REUSEADDR), 0);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, 4),
			 0);
	assert_true(GET(s, SOL_SOCKET, SO_REUSEADDR) != 0);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_REUSEPORT, &one, 4),
			 0);
	assert_int_equal(GET(s, SOL_SOCKET, SO_REUSEPORT), 1);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_KEEPALIVE, &one, 4),
			 0);
	assert_true(GET(s, SOL_SOCKET, SO_KEEPALIVE) != 0);
	assert_int_equal(SC(setsockopt, s, IPPROTO_TCP, TCP_NODELAY, &one, 4),
			 0);
	assert_true(GET(s, IPPROTO_TCP, TCP_NODELAY) != 0);
	v = 30;
	assert_int_equal(SC(setsockopt, s, IPPROTO_TCP, TCP_KEEPIDLE, &v, 4),
			 0);
	assert_int_equal(GET(s, IPPROTO_TCP, TCP_KEEPIDLE), 30);
	v = 7;
	assert_int_equal(SC(setsockopt, s, IPPROTO_TCP, TCP_KEEPCNT, &v, 4), 0);
	assert_int_equal(GET(s, IPPROTO_TCP, TCP_KEEPCNT), 7);
	v = 33;
	assert_int_equal(SC(setsockopt, s, IPPROTO_IP, IP_TTL, &v, 4), 0);
	assert_int_equal(GET(s, IPPROTO_IP, IP_TTL), 33);
	assert_int_equal(GET(s, IPPROTO_TCP, TCP_MAXSEG), 1460);
	assert_true(GET(s, SOL_SOCKET, SO_SNDBUF) > 0);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_SNDBUF, &one, 4), 0);
	assert_int_equal(SC(setsockopt, s, IPPROTO_TCP, TCP_CORK, &one, 4), 0);
	/* struct-valued */
	assert_int_equal(
		SC(setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	len = sizeof(tv2);
	assert_int_equal(SC(getsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len),
			 0);
	assert_int_equal(tv2.tv_sec, 1);
	assert_int_equal(tv2.tv_usec, 500000);
	assert_int_equal(
		SC(setsockopt, s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	len = sizeof(lg2);
	assert_int_equal(SC(getsockopt, s, SOL_SOCKET, SO_LINGER, &lg2, &len),
			 0);
	assert_int_equal(lg2.l_onoff, 1);
	assert_int_equal(lg2.l_linger, 3);
	/* errors */
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_TYPE, &one, 4),
			 -ENOPROTOOPT);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, 9999, &one, 4),
			 -ENOPROTOOPT);
	assert_int_equal(SC(setsockopt, s, 12345, 1, &one, 4), -ENOPROTOOPT);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, 2),
			 -EINVAL);
	assert_int_equal(SC(setsockopt, s, SOL_SOCKET, SO_REUSEADDR, NULL, 4),
			 -EFAULT);
	assert_int_equal(SC(getsockopt, s, SOL_SOCKET, SO_TYPE, &v, NULL),
			 -EFAULT);
	/* short buffer: truncated, as Linux */
	len = 2;
	assert_int_equal(SC(getsockopt, s, SOL_SOCKET, SO_TYPE, &v, &len), 0);
	assert_int_equal(len, 2);
	closefd(s);
	closefd(u);
#undef GET
}

static int reg_fstat(struct uk_file *f, struct uk_stat *st)
{
	(void)f;
	st->st_mode = UK_S_IFREG | 0644;
	return 0;
}

static const struct uk_file_ops regops = {.fstat = reg_fstat};

static void test_errors(void **state)
{
	struct sockaddr_in a = lo(1);
	struct sockaddr_in6 a6;
	int s = (int)SC(socket, AF_INET, SOCK_STREAM, 0);
	int reg = uk_fdtab_alloc(uk_file_create(&regops, NULL, UK_O_RDWR), 0);
	int sv[2];
	socklen_t len = sizeof(a);
	char buf[4];

	(void)state;
	assert_int_equal(SC(socket, AF_INET6, SOCK_STREAM, 0), -EAFNOSUPPORT);
	assert_int_equal(SC(socket, AF_UNIX, SOCK_STREAM, 0), -EAFNOSUPPORT);
	assert_int_equal(SC(socket, AF_INET, 99, 0), -EINVAL);
	assert_int_equal(SC(socket, AF_INET, SOCK_STREAM, IPPROTO_UDP),
			 -EPROTONOSUPPORT);
	/* AF_UNIX is posixunix's family, not linked here */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, sv),
			 -EAFNOSUPPORT);
	assert_int_equal(SC(socketpair, AF_INET, SOCK_STREAM, 0, sv),
			 -EOPNOTSUPP);
	/* not sockets / not open */
	assert_int_equal(SC(bind, reg, &a, sizeof(a)), -ENOTSOCK);
	assert_int_equal(SC(listen, reg, 1), -ENOTSOCK);
	assert_int_equal(SC(getsockname, reg, &a, &len), -ENOTSOCK);
	assert_int_equal(SC(sendto, reg, "x", 1, 0, NULL, 0), -ENOTSOCK);
	assert_int_equal(SC(bind, 999, &a, sizeof(a)), -EBADF);
	assert_int_equal(SC(accept, 999, NULL, NULL), -EBADF);
	assert_int_equal(SC(shutdown, 999, SHUT_RD), -EBADF);
	/* addresses */
	assert_int_equal(SC(bind, s, NULL, sizeof(a)), -EFAULT);
	assert_int_equal(SC(bind, s, &a, 4), -EINVAL);
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	assert_int_equal(SC(bind, s, &a6, sizeof(a6)), -EAFNOSUPPORT);
	assert_int_equal(SC(getsockname, s, NULL, &len), -EFAULT);
	assert_int_equal(SC(accept4, s, NULL, NULL, 0x1234), -EINVAL);
	/* accept on a socket that does not listen: EINVAL, as Linux */
	assert_int_equal(SC(accept, s, NULL, NULL), -EINVAL);
	assert_int_equal(SC(shutdown, s, 7), -EINVAL);
	assert_int_equal(SC(recvfrom, s, buf, 4, MSG_OOB, NULL, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(SC(sendto, s, NULL, 4, 0, NULL, 0), -EFAULT);
	assert_int_equal(SC(sendmsg, s, NULL, 0), -EFAULT);
	assert_int_equal(SC(ioctl, s, 0x5411 /* TIOCOUTQ */, &len), -ENOTTY);
	/* lwIP's own answers: not connected, connection refused */
	assert_int_equal(SC(read, s, buf, 4), -ENOTCONN);
	assert_int_equal(SC(getpeername, s, &a, &len), -ENOTCONN);
	{ /* never connected: HUP (Linux) */
		struct pollfd pf = {s, POLLIN | POLLOUT, 0};

		assert_int_equal(SC(poll, &pf, 1, 0), 1);
		assert_int_equal(pf.revents, POLLHUP);
	}
	a = lo(1);
	assert_int_equal(SC(connect, s, &a, sizeof(a)), -ECONNREFUSED);
	closefd(s);
	closefd(reg);
	/* refused non-blocking connect: SO_ERROR says so */
	{
		int e = -1;
		socklen_t el = sizeof(e);
		struct pollfd pf;

		s = (int)SC(socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_int_equal(SC(connect, s, &a, sizeof(a)), -EINPROGRESS);
		pf = (struct pollfd){s, POLLOUT, 0};
		assert_int_equal(SC(poll, &pf, 1, 1000), 1);
		assert_true(pf.revents & POLLERR);
		assert_int_equal(
			SC(getsockopt, s, SOL_SOCKET, SO_ERROR, &e, &el), 0);
		assert_int_equal(e, ECONNREFUSED);
		closefd(s);
	}
}

/* many connections through one epoll instance */
static void test_many(void **state)
{
	enum { N = 64 };
	uint16_t port;
	int l = listener(&port), c[N], a[N], ep = (int)SC(epoll_create1, 0);
	struct epoll_event ev, out[N];
	int got = 0, rounds = 0;
	char buf[8];

	(void)state;
	for (int i = 0; i < N; i++) {
		tcp_pair(l, port, &c[i], &a[i]);
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		assert_int_equal(SC(epoll_ctl, ep, EPOLL_CTL_ADD, a[i], &ev),
				 0);
	}
	for (int i = 0; i < N; i += 2)
		assert_int_equal(SC(write, c[i], "m", 1), 1);
	while (got < N / 2 && rounds++ < 100) {
		int n = (int)SC(epoll_wait, ep, out, N, 100);

		assert_true(n >= 0);
		for (int k = 0; k < n; k++) {
			assert_int_equal(out[k].data.u32 % 2, 0);
			assert_int_equal(SC(read, a[out[k].data.u32], buf, 8),
					 1);
		}
		got += n;
	}
	assert_int_equal(got, N / 2);
	for (int i = 0; i < N; i++) {
		closefd(a[i]);
		closefd(c[i]);
	}
	closefd(ep);
	closefd(l);
}

/* 1 MiB through a non-blocking writer (poll for POLLOUT on EAGAIN) and an
 * edge-triggered epoll reader (read until EAGAIN): flow control and the
 * notifications both ways, data intact */
#define BULK (1 << 20)

static int bulk_fd;
static size_t bulk_max_held; /* the most TCP held while bulk_writer ran */

static unsigned char bulk_byte(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 11));
}

static void bulk_writer(void *arg)
{
	static unsigned char chunk[3000];
	size_t off = 0;
	int spins = 0;

	(void)arg;
	while (off < BULK && spins < 100000) { /* bounded */
		size_t n =
			BULK - off < sizeof(chunk) ? BULK - off : sizeof(chunk);
		long r;

		for (size_t i = 0; i < n; i++)
			chunk[i] = bulk_byte(off + i);
		r = SC(write, bulk_fd, chunk, n);
		if (r == -EAGAIN) {
			struct pollfd pf = {bulk_fd, POLLOUT, 0};

			CHECK(SC(poll, &pf, 1, 5000) == 1);
			spins++;
			continue;
		}
		CHECK(r > 0);
		if (r <= 0)
			break;
		off += (size_t)r;
		uklwip_core_lock();
		if (uklwip_tcpmem_held() > bulk_max_held)
			bulk_max_held = uklwip_tcpmem_held();
		uklwip_core_unlock();
	}
	CHECK(off == BULK);
	CHECK(SC(shutdown, bulk_fd, SHUT_WR) == 0);
}

static void run_bulk(void);

static void test_bulk(void **state)
{
	(void)state;
	run_bulk();
}

/* the same under the smallest TCP send budget (64 KB): writes wait for
 * acknowledgments (EAGAIN, then POLLOUT) and the data still arrives whole;
 * the stack never holds more than the budget plus one connection's floor */
static void test_bulk_budget(void **state)
{
	(void)state;
	uklwip_tcpmem_init(0);
	assert_int_equal(uklwip_tcpmem_budget(), uklwip_tcpmem_budget_for(0));
	bulk_max_held = 0;
	run_bulk();
	assert_true(bulk_max_held > 0);
	assert_true(bulk_max_held <= uklwip_tcpmem_budget() + SNDBUF_FLOOR);
	uklwip_tcpmem_init(SIZE_MAX); /* no cap in practice, as before */
}

static void run_bulk(void)
{
	uint16_t port;
	int l = listener(&port), c, a, ep = (int)SC(epoll_create1, 0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET}, out;
	static unsigned char buf[8192];
	size_t got = 0;
	int eof = 0, waits = 0, bad = 0;
	struct uk_thread *t;

	tcp_pair(l, port, &c, &a);
	bulk_fd = c;
	assert_int_equal(SC(fcntl, c, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(SC(fcntl, a, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(SC(epoll_ctl, ep, EPOLL_CTL_ADD, a, &ev), 0);
	t = uk_thread_create(NULL, "writer", bulk_writer, NULL, 0);
	assert_non_null(t);
	while (!eof && waits < 100000) { /* bounded */
		long r = SC(read, a, buf, sizeof(buf));

		if (r == -EAGAIN) {
			assert_int_equal(SC(epoll_wait, ep, &out, 1, 5000), 1);
			waits++;
			continue;
		}
		assert_true(r >= 0);
		if (r == 0) {
			eof = 1;
			break;
		}
		for (long i = 0; i < r; i++)
			bad += buf[i] != bulk_byte(got + (size_t)i);
		got += (size_t)r;
	}
	assert_true(eof);
	assert_int_equal(got, BULK);
	assert_int_equal(bad, 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	closefd(a);
	closefd(c);
	closefd(ep);
	closefd(l);
}

static void test_resolv_conf(void **state)
{
	char buf[64];
	struct lwip_ip4 a = {htonl(0x0a000203)}, b = {htonl(0xc0a80101)};
	static const char want[] = "nameserver 10.0.2.3\n"
				   "nameserver 192.168.1.1\n";

	(void)state;
	/* no server configured in this stack */
	assert_int_equal(uk_socket_resolv_conf(buf, sizeof(buf)), 0);
	dns_setserver(0, &a);
	dns_setserver(1, &b);
	assert_int_equal(uk_socket_resolv_conf(buf, sizeof(buf)),
			 sizeof(want) - 1);
	assert_string_equal(buf, want);
	/* too small for the second line: only the first */
	assert_int_equal(uk_socket_resolv_conf(buf, 30), 20);
	assert_string_equal(buf, "nameserver 10.0.2.3\n");
}

static int teardown(void **state)
{
	(void)state;
	return errors != 0;
}

int main(void)
{
	struct uk_sched_config cfg = {
		.a = &host_alloc,
		.now = fake_now,
		.idle = fake_idle,
		.default_stack_size = 65536,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tcp_basic, teardown),
		cmocka_unit_test_teardown(test_nonblocking, teardown),
		cmocka_unit_test_teardown(test_poll_epoll, teardown),
		cmocka_unit_test_teardown(test_udp, teardown),
		cmocka_unit_test_teardown(test_options, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_many, teardown),
		cmocka_unit_test_teardown(test_bulk, teardown),
		cmocka_unit_test_teardown(test_bulk_budget, teardown),
		cmocka_unit_test_teardown(test_resolv_conf, teardown),
	};

	fake_ns = 1;
	if (uk_schedcoop_init(&coop, &cfg))
		return 1;
	tcpip_init(NULL, NULL);
	uk_socket_inet_init(); /* what the init table does in an image */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
