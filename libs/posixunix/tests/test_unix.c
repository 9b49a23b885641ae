/* posixunix unit tests: AF_UNIX over uksocket, fdtab, vfscore + ramfs (for
 * path names), posixpoll and the real scheduler with a fake clock. The
 * host's <sys/socket.h> and <sys/un.h> give the Linux ABI structures.
 * Threads count errors instead of asserting. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/posixpoll.h>
#include <uk/posixunix.h>
#include <uk/ramfs.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

#define MS	1000000ULL
#define SC(...) uk_syscall_call(__VA_ARGS__)

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

/* one process: pid 7, root; kill(pid, 0) finds 7 and 9 */
UK_SYSCALL_R_DEFINE(int, getpid)
{
	return 7;
}
UK_SYSCALL_R_DEFINE(int, getuid)
{
	return 0;
}
UK_SYSCALL_R_DEFINE(int, getgid)
{
	return 0;
}
UK_SYSCALL_R_DEFINE(int, kill, int, pid, int, sig)
{
	return (pid == 7 || pid == 9) && sig == 0 ? 0 : -ESRCH;
}

static socklen_t sun_of(struct sockaddr_un *a, const char *path, int abstract)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (abstract) {
		memcpy(a->sun_path + 1, path, strlen(path));
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				   strlen(path));
	}
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(path) + 1);
}

static void test_pair(void **state)
{
	int sv[2], n;
	char buf[32];
	struct uk_stat st;

	(void)state;
	assert_int_equal(
		SC(socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(SC(fcntl, sv[0], 1, 0), UK_FD_CLOEXEC);
	assert_int_equal(SC(fstat, sv[0], &st), 0);
	assert_true(UK_S_ISTYPE(st.st_mode, UK_S_IFSOCK));
	assert_int_equal(SC(write, sv[0], "abc", 3), 3);
	assert_int_equal(SC(ioctl, sv[1], 0x541B, &n), 0);
	assert_int_equal(n, 3);
	/* a stream joins the writes */
	assert_int_equal(SC(sendto, sv[0], "def", 3, 0, NULL, 0), 3);
	assert_int_equal(SC(recvfrom, sv[1], buf, 4, MSG_PEEK, NULL, NULL), 4);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "abcdef", 6);
	/* both directions */
	assert_int_equal(SC(write, sv[1], "back", 4), 4);
	assert_int_equal(SC(read, sv[0], buf, sizeof(buf)), 4);
	/* shutdown: EOF for the peer, EPIPE + SIGPIPE for us */
	assert_int_equal(SC(shutdown, sv[0], SHUT_WR), 0);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 0);
	sigpipes = 0;
	assert_int_equal(SC(write, sv[0], "x", 1), -EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(SC(sendto, sv[0], "x", 1, MSG_NOSIGNAL, NULL, 0),
			 -EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(SC(shutdown, sv[0], 7), -EINVAL);
	/* the peer closes: EOF, then EPIPE */
	assert_int_equal(SC(close, sv[0]), 0);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 0);
	assert_int_equal(SC(write, sv[1], "x", 1), -EPIPE);
	assert_int_equal(SC(close, sv[1]), 0);
	/* datagram pairs keep boundaries */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(SC(write, sv[0], "one", 3), 3);
	assert_int_equal(SC(write, sv[0], "two!", 4), 4);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 3);
	assert_int_equal(SC(recvfrom, sv[1], buf, 2, MSG_TRUNC, NULL, NULL), 4);
	SC(close, sv[0]);
	SC(close, sv[1]);
	/* errors */
	assert_int_equal(SC(socketpair, AF_UNIX, 99, 0, sv), -EINVAL);
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 3, sv),
			 -EPROTONOSUPPORT);
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, NULL),
			 -EFAULT);
	assert_int_equal(SC(socket, AF_UNIX, SOCK_RAW, 0), -EINVAL);
}

static void test_nonblock_full(void **state)
{
	int sv[2];
	char *big = malloc(400000), *back = malloc(400000);
	long total = 0, r, got = 0;

	(void)state;
	for (int i = 0; i < 400000; i++)
		big[i] = (char)(i % 251);
	assert_int_equal(
		SC(socketpair, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(SC(read, sv[1], back, 1), -EAGAIN);
	r = SC(write, sv[0], big, 400000);
	assert_true(r > 0 && r < 400000); /* partial: the queue is full */
	total = r;
	assert_int_equal(SC(write, sv[0], big + total, 10), -EAGAIN);
	while ((r = SC(read, sv[1], back + got, 400000 - got)) > 0)
		got += r;
	assert_int_equal(r, -EAGAIN);
	assert_int_equal(got, total);
	assert_memory_equal(back, big, (size_t)total);
	free(big);
	free(back);
	SC(close, sv[0]);
	SC(close, sv[1]);
}

struct job {
	int fd;
	uint64_t delay;
	long r;
	struct sockaddr_un a;
	socklen_t alen;
};

static void connector(void *arg)
{
	struct job *j = arg;
	int s = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0);

	uk_sched_sleep_ns(j->delay);
	CHECK(s >= 0);
	j->r = SC(connect, s, &j->a, j->alen);
	CHECK(SC(write, s, "hi", 2) == 2);
	j->fd = s;
}

static void test_path_listen(void **state)
{
	struct sockaddr_un a, got;
	socklen_t alen = sun_of(&a, "/srv.sock", 0), glen = sizeof(got);
	int l = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0), c;
	struct job j = {0};
	struct uk_thread *t;
	struct uk_stat st;
	char buf[8];

	(void)state;
	assert_true(l >= 0);
	assert_int_equal(SC(listen, l, 5), -EINVAL); /* not bound */
	assert_int_equal(SC(bind, l, &a, alen), 0);
	/* the name is a socket node in the filesystem */
	assert_int_equal(SC(stat, "/srv.sock", &st), 0);
	assert_true(UK_S_ISTYPE(st.st_mode, UK_S_IFSOCK));
	assert_int_equal(SC(open, "/srv.sock", UK_O_RDWR, 0), -ENXIO);
	assert_int_equal(SC(getsockname, l, &got, &glen), 0);
	assert_int_equal(glen, alen);
	assert_string_equal(got.sun_path, "/srv.sock");
	assert_int_equal(SC(bind, l, &a, alen), -EINVAL);
	{
		int o = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0);

		assert_int_equal(SC(bind, o, &a, alen), -EADDRINUSE);
		/* connecting before listen: refused */
		assert_int_equal(SC(connect, o, &a, alen), -ECONNREFUSED);
		SC(close, o);
	}
	assert_int_equal(SC(listen, l, 5), 0);
	/* accept blocks until a thread connects */
	j.a = a;
	j.alen = alen;
	j.delay = 3 * MS;
	t = uk_thread_create(NULL, "conn", connector, &j, 0);
	c = (int)SC(accept4, l, &got, &glen, SOCK_CLOEXEC);
	assert_true(c >= 0);
	assert_int_equal(SC(fcntl, c, 1, 0), UK_FD_CLOEXEC);
	assert_int_equal(glen, sizeof(sa_family_t)); /* unnamed client */
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.r, 0);
	assert_int_equal(SC(read, c, buf, sizeof(buf)), 2);
	glen = sizeof(got);
	assert_int_equal(SC(getpeername, j.fd, &got, &glen), 0);
	assert_string_equal(got.sun_path, "/srv.sock");
	assert_int_equal(SC(getpeername, l, &got, &glen), -ENOTCONN);
	/* non-blocking accept with nothing pending */
	SC(fcntl, l, 4 /* F_SETFL */, UK_O_NONBLOCK);
	assert_int_equal(SC(accept, l, NULL, NULL), -EAGAIN);
	/* a missing path, a file that is not a socket */
	{
		struct sockaddr_un b;
		int o = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0);
		int fd = (int)SC(open, "/plain", UK_O_CREAT | UK_O_RDWR, 0644);

		assert_int_equal(SC(connect, o, &b, sun_of(&b, "/none", 0)),
				 -ENOENT);
		assert_int_equal(SC(connect, o, &b, sun_of(&b, "/plain", 0)),
				 -ECONNREFUSED);
		SC(close, fd);
		SC(close, o);
	}
	SC(close, c);
	SC(close, j.fd);
	SC(close, l);
	/* the node stays after close; connect is refused, as on Linux */
	assert_int_equal(SC(stat, "/srv.sock", &st), 0);
	c = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(SC(connect, c, &a, alen), -ECONNREFUSED);
	SC(close, c);
	assert_int_equal(SC(unlink, "/srv.sock"), 0);
}

static void test_abstract_dgram(void **state)
{
	struct sockaddr_un a, b, from;
	socklen_t alen = sun_of(&a, "uk-srv", 1),
		  blen = sun_of(&b, "uk-cli", 1);
	socklen_t flen = sizeof(from);
	int s = (int)SC(socket, AF_UNIX, SOCK_DGRAM, 0);
	int c = (int)SC(socket, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	char buf[16];

	(void)state;
	assert_int_equal(SC(bind, s, &a, alen), 0);
	assert_int_equal(SC(bind, c, &b, blen), 0);
	assert_int_equal(SC(bind, c, &a, alen), -EINVAL);
	{
		int o = (int)SC(socket, AF_UNIX, SOCK_DGRAM, 0);

		assert_int_equal(SC(bind, o, &a, alen), -EADDRINUSE);
		SC(close, o);
	}
	assert_int_equal(SC(sendto, c, "ping", 4, 0, &a, alen), 4);
	assert_int_equal(SC(recvfrom, s, buf, sizeof(buf), 0, &from, &flen), 4);
	assert_int_equal(flen, blen);
	assert_memory_equal(&from, &b, blen);
	/* reply to the sender's name */
	assert_int_equal(SC(sendto, s, "pong", 4, 0, &from, flen), 4);
	assert_int_equal(SC(read, c, buf, sizeof(buf)), 4);
	assert_int_equal(SC(read, c, buf, sizeof(buf)), -EAGAIN);
	/* connected datagrams; the peer's close refuses further sends */
	assert_int_equal(SC(write, c, "x", 1), -ENOTCONN);
	assert_int_equal(SC(connect, c, &a, alen), 0);
	assert_int_equal(SC(write, c, "y", 1), 1);
	assert_int_equal(SC(close, s), 0);
	assert_int_equal(SC(write, c, "z", 1), -ECONNREFUSED);
	assert_int_equal(SC(sendto, c, "z", 1, 0, &a, alen), -ECONNREFUSED);
	/* bad names */
	assert_int_equal(SC(bind, c, &a, 1), -EINVAL);
	a.sun_family = AF_INET;
	assert_int_equal(SC(sendto, c, "z", 1, 0, &a, alen), -EINVAL);
	assert_int_equal(SC(bind, c, NULL, 10), -EFAULT);
	SC(close, c);
}

/* send `n` descriptors (some may be bad) over `s` */
static long send_fds(int s, const int *fds, int n)
{
	char data = 'F';
	struct iovec iov = {&data, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {0};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	return SC(sendmsg, s, &mh, 0);
}

static void test_rights(void **state)
{
	int sv[2], p[2], bad[2], got[4];
	char data, buf[8];
	struct iovec iov = {&data, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {0};
	struct cmsghdr *c;
	int fd;

	(void)state;
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fd = (int)SC(open, "/passed", UK_O_CREAT | UK_O_RDWR, 0644);
	assert_int_equal(SC(write, fd, "file!", 5), 5);
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_DGRAM, 0, p), 0);
	/* a bad descriptor: EBADF, nothing sent, nothing held */
	bad[0] = fd;
	bad[1] = 777;
	assert_int_equal(send_fds(sv[0], bad, 2), -EBADF);
	assert_int_equal(SC(recvfrom, sv[1], buf, 1, MSG_DONTWAIT, NULL, NULL),
			 -EAGAIN);
	/* two good ones: they arrive as new descriptors of the same files */
	got[0] = fd;
	got[1] = p[0];
	assert_int_equal(send_fds(sv[0], got, 2), 1);
	SC(close, fd); /* the message holds the file now */
	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	assert_int_equal(SC(recvmsg, sv[1], &mh, MSG_CMSG_CLOEXEC), 1);
	assert_int_equal(data, 'F');
	c = CMSG_FIRSTHDR(&mh);
	assert_non_null(c);
	assert_int_equal(c->cmsg_type, SCM_RIGHTS);
	assert_int_equal(c->cmsg_len, CMSG_LEN(2 * sizeof(int)));
	memcpy(got, CMSG_DATA(c), 2 * sizeof(int));
	assert_int_equal(SC(fcntl, got[0], 1, 0), UK_FD_CLOEXEC);
	/* same open file description: the offset is shared (5) */
	assert_int_equal(SC(pread64, got[0], buf, 5, 0), 5);
	assert_memory_equal(buf, "file!", 5);
	assert_int_equal(SC(lseek, got[0], 0, 1), 5);
	/* the passed socket works */
	assert_int_equal(SC(write, p[1], "dg", 2), 2);
	assert_int_equal(SC(read, got[1], buf, sizeof(buf)), 2);
	SC(close, got[0]);
	SC(close, got[1]);
	/* no room for the descriptors: MSG_CTRUNC, they are closed */
	got[0] = p[1];
	assert_int_equal(send_fds(sv[0], got, 1), 1);
	mh.msg_controllen = 0;
	mh.msg_control = NULL;
	assert_int_equal(SC(recvmsg, sv[1], &mh, 0), 1);
	assert_true(mh.msg_flags & MSG_CTRUNC);
	/* bad control data */
	{
		struct cmsghdr h = {.cmsg_len = 200,
				    .cmsg_level = SOL_SOCKET,
				    .cmsg_type = SCM_RIGHTS};

		mh.msg_control = &h;
		mh.msg_controllen = sizeof(h);
		assert_int_equal(SC(sendmsg, sv[0], &mh, 0), -EINVAL);
		h.cmsg_len = sizeof(h);
		h.cmsg_type = 77;
		assert_int_equal(SC(sendmsg, sv[0], &mh, 0), -EINVAL);
	}
	/* files still queued are released with the socket */
	got[0] = p[0];
	assert_int_equal(send_fds(sv[0], got, 1), 1);
	SC(close, p[0]);
	SC(close, p[1]);
	SC(close, sv[0]);
	SC(close, sv[1]);
}

static void writer(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	j->r = SC(write, j->fd, "late", 4);
}

static void test_block_epoll(void **state)
{
	int sv[2], ep;
	struct job j = {0};
	struct uk_thread *t;
	struct uk_epoll_event ev = {UK_EPOLLIN, 5}, out;
	char buf[8];

	(void)state;
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), 0);
	j.fd = sv[0];
	j.delay = 4 * MS;
	t = uk_thread_create(NULL, "w", writer, &j, 0);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 4);
	assert_true(fake_ns >= 4 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	ep = (int)SC(epoll_create1, 0);
	assert_int_equal(SC(epoll_ctl, ep, UK_EPOLL_CTL_ADD, sv[1], &ev), 0);
	assert_int_equal(SC(epoll_wait, ep, &out, 1, 0), 0);
	j.delay = 2 * MS;
	t = uk_thread_create(NULL, "w", writer, &j, 0);
	assert_int_equal(SC(epoll_wait, ep, &out, 1, -1), 1);
	assert_int_equal(out.data, 5);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 4);
	/* the peer's close: IN (EOF) and RDHUP|HUP */
	ev.events = UK_EPOLLIN | UK_EPOLLRDHUP;
	assert_int_equal(SC(epoll_ctl, ep, UK_EPOLL_CTL_MOD, sv[1], &ev), 0);
	SC(close, sv[0]);
	assert_int_equal(SC(epoll_wait, ep, &out, 1, 0), 1);
	assert_true(out.events & UK_EPOLLRDHUP);
	assert_true(out.events & UK_EPOLLHUP);
	SC(close, ep);
	SC(close, sv[1]);
}

/* A stream socket stays writable (POLLOUT, select's write set) after its
 * own SHUT_WR and after the peer's close, as on Linux: the write fails at
 * once with EPIPE instead of blocking (libevent's test-weof under select) */
static void test_writable_after_close(void **state)
{
	int sv[2];
	struct pollfd p;
	fd_set w;
	struct timeval tv = {0, 0};

	(void)state;
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(SC(shutdown, sv[0], SHUT_WR), 0);
	p.fd = sv[0];
	p.events = POLLOUT;
	p.revents = 0;
	assert_int_equal(SC(poll, &p, 1, 0), 1);
	assert_true(p.revents & POLLOUT);
	assert_int_equal(SC(close, sv[0]), 0);
	p.fd = sv[1];
	p.revents = 0;
	assert_int_equal(SC(poll, &p, 1, 0), 1);
	assert_true(p.revents & POLLOUT);
	assert_true(p.revents & POLLHUP);
	FD_ZERO(&w);
	FD_SET(sv[1], &w);
	assert_int_equal(SC(select, sv[1] + 1, NULL, &w, NULL, &tv), 1);
	assert_true(FD_ISSET(sv[1], &w));
	assert_int_equal(SC(write, sv[1], "x", 1), -EPIPE);
	SC(close, sv[1]);
}

/* ---- SOCK_SEQPACKET ---- */

static void test_seqpacket(void **state)
{
	int sv[2], n, l, c, a, big;
	char buf[64], *huge;
	struct iovec iov = {buf, 1};
	struct msghdr mh = {0};
	struct sockaddr_un sa;
	socklen_t len = sun_of(&sa, "/seq", 0);

	(void)state;
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(SC(getsockopt, sv[0], SOL_SOCKET, SO_TYPE, &n,
			    &(socklen_t){sizeof(n)}),
			 0);
	assert_int_equal(n, SOCK_SEQPACKET);
	/* boundaries kept, an empty record is a record */
	assert_int_equal(SC(write, sv[0], "ab", 2), 2);
	assert_int_equal(SC(write, sv[0], "", 0), 0);
	assert_int_equal(SC(write, sv[0], "cde", 3), 3);
	assert_int_equal(SC(ioctl, sv[1], 0x541B, &n), 0);
	assert_int_equal(n, 2); /* the next record */
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 2);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 0);
	/* a short buffer: the rest of the record is gone, MSG_TRUNC */
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	assert_int_equal(SC(recvmsg, sv[1], &mh, 0), 1);
	assert_true(mh.msg_flags & MSG_TRUNC);
	assert_int_equal(buf[0], 'c');
	assert_int_equal(SC(recvfrom, sv[1], buf, 1, MSG_DONTWAIT, NULL, NULL),
			 -EAGAIN);
	/* an address is ignored on a connected seqpacket socket */
	assert_int_equal(SC(sendto, sv[0], "x", 1, 0, &sa, len), 1);
	assert_int_equal(SC(read, sv[1], buf, sizeof(buf)), 1);
	/* a record larger than the receive queue */
	huge = malloc(256 * 1024 + 1);
	assert_non_null(huge);
	memset(huge, 'h', 256 * 1024 + 1);
	assert_int_equal(SC(write, sv[0], huge, 256 * 1024 + 1), -EMSGSIZE);
	/* full, non-blocking: whole records or EAGAIN */
	assert_int_equal(SC(fcntl, sv[0], F_SETFL, O_NONBLOCK), 0);
	for (n = 0; n < 100 && SC(write, sv[0], huge, 100000) == 100000; n++)
		;
	assert_int_equal(n, 2);
	assert_int_equal(SC(write, sv[0], huge, 100000), -EAGAIN);
	assert_int_equal(SC(write, sv[0], huge, 1000), 1000); /* it fits */
	assert_int_equal(SC(read, sv[1], huge, 256 * 1024), 100000);
	assert_int_equal(SC(write, sv[0], huge, 100000), 100000);
	free(huge);
	/* EOF and EPIPE */
	SC(close, sv[1]);
	sigpipes = 0;
	assert_int_equal(SC(write, sv[0], "x", 1), -EPIPE);
	assert_int_equal(sigpipes, 1);
	SC(close, sv[0]);
	/* listen, connect, accept on a path; a stream client is refused */
	l = (int)SC(socket, AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(SC(bind, l, &sa, len), 0);
	assert_int_equal(SC(listen, l, 4), 0);
	c = (int)SC(socket, AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(SC(connect, c, &sa, len), 0);
	a = (int)SC(accept4, l, NULL, NULL, 0);
	assert_true(a >= 0);
	assert_int_equal(SC(write, c, "rec1", 4), 4);
	assert_int_equal(SC(write, c, "rec2", 4), 4);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 4);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "rec2", 4);
	SC(close, c);
	assert_int_equal(SC(read, a, buf, sizeof(buf)), 0); /* EOF */
	big = (int)SC(socket, AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(SC(connect, big, &sa, len), -EPROTOTYPE);
	SC(close, big);
	SC(close, a);
	SC(close, l);
	assert_int_equal(SC(unlink, "/seq"), 0);
}

/* ---- autobind ---- */

static void test_autobind(void **state)
{
	struct sockaddr_un a, b, from;
	socklen_t al = sizeof(a), bl = sizeof(b), fl = sizeof(from);
	sa_family_t fam = AF_UNIX;
	int x, y;
	char buf[8];

	(void)state;
	x = (int)SC(socket, AF_UNIX, SOCK_DGRAM, 0);
	y = (int)SC(socket, AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(SC(bind, x, &fam, sizeof(fam)), 0);
	assert_int_equal(SC(bind, x, &fam, sizeof(fam)), -EINVAL); /* bound */
	assert_int_equal(SC(bind, y, &fam, sizeof(fam)), 0);
	assert_int_equal(SC(getsockname, x, &a, &al), 0);
	assert_int_equal(SC(getsockname, y, &b, &bl), 0);
	assert_int_equal(al, offsetof(struct sockaddr_un, sun_path) + 6);
	assert_int_equal(a.sun_path[0], 0);
	for (int i = 1; i < 6; i++)
		assert_non_null(strchr("0123456789abcdef", a.sun_path[i]));
	assert_memory_not_equal(&a, &b, al);
	/* the names work: y sends to x, x sees where from */
	assert_int_equal(SC(sendto, y, "hi", 2, 0, &a, al), 2);
	assert_int_equal(SC(recvfrom, x, buf, sizeof(buf), 0, &from, &fl), 2);
	assert_int_equal(fl, bl);
	assert_memory_equal(&from, &b, bl);
	/* a wrong family is no autobind */
	fam = AF_INET;
	assert_int_equal(SC(bind, (int)SC(socket, AF_UNIX, SOCK_STREAM, 0),
			    &fam, sizeof(fam)),
			 -EINVAL);
	/* connect with an empty address is still EINVAL */
	fam = AF_UNIX;
	assert_int_equal(SC(connect, y, &fam, sizeof(fam)), -EINVAL);
	SC(close, x);
	SC(close, y);
}

/* ---- SCM_CREDENTIALS ---- */

struct cmsg_buf {
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred)) +
			 CMSG_SPACE(sizeof(int) * 2)];
		struct cmsghdr align;
	};
};

static long send_cred(int s, const void *data, size_t len,
		      const struct ucred *cr, int fd)
{
	struct iovec iov = {(void *)data, len};
	struct cmsg_buf u;
	struct msghdr mh = {0};
	struct cmsghdr *c;
	size_t ctl = 0;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	c = CMSG_FIRSTHDR(&mh);
	if (cr) {
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(sizeof(*cr));
		memcpy(CMSG_DATA(c), cr, sizeof(*cr));
		ctl += CMSG_SPACE(sizeof(*cr));
		c = CMSG_NXTHDR(&mh, c);
	}
	if (fd >= 0) {
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		ctl += CMSG_SPACE(sizeof(int));
	}
	mh.msg_controllen = ctl;
	if (!ctl)
		mh.msg_control = NULL;
	return SC(sendmsg, s, &mh, 0);
}

/* recvmsg; the credentials and a passed descriptor it brought */
static long recv_cred(int s, char *buf, size_t len, size_t ctl,
		      struct ucred *cr, int *fd, int *flags)
{
	struct iovec iov = {buf, len};
	struct cmsg_buf u;
	struct msghdr mh = {0};
	long r;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = ctl;
	cr->pid = -1;
	*fd = -1;
	r = SC(recvmsg, s, &mh, 0);
	*flags = mh.msg_flags;
	if (r < 0)
		return r;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c;
	     c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof(*cr))) {
			memcpy(cr, CMSG_DATA(c), sizeof(*cr));
			assert_int_equal(*fd, -1); /* credentials come first */
		}
		if (c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	}
	return r;
}

static void test_credentials(void **state)
{
	int sv[2], on = 1, v = 0, fd, flags, d[2];
	socklen_t vl = sizeof(v);
	struct ucred cr, got, peer;
	socklen_t pl = sizeof(peer);
	char buf[16];
	struct sockaddr_un from;
	socklen_t fl = sizeof(from);

	(void)state;
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(
		SC(getsockopt, sv[1], SOL_SOCKET, SO_PEERCRED, &peer, &pl), 0);
	assert_int_equal(peer.pid, 7);
	assert_int_equal(peer.uid, 0);
	assert_int_equal(
		SC(setsockopt, sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)),
		0);
	assert_int_equal(
		SC(getsockopt, sv[1], SOL_SOCKET, SO_PASSCRED, &v, &vl), 0);
	assert_int_equal(v, 1);
	/* without SCM_CREDENTIALS: the sender's own */
	assert_int_equal(send_cred(sv[0], "aa", 2, NULL, -1), 2);
	assert_int_equal(recv_cred(sv[1], buf, sizeof(buf),
				   sizeof(struct cmsg_buf), &got, &fd, &flags),
			 2);
	assert_int_equal(got.pid, 7);
	assert_int_equal(got.uid, 0);
	assert_int_equal(got.gid, 0);
	/* explicit ones (root may name any uid, gid and existing pid); a
	 * record of other credentials is not joined to them */
	cr.pid = 9;
	cr.uid = 1000;
	cr.gid = 100;
	assert_int_equal(send_cred(sv[0], "bb", 2, &cr, -1), 2);
	assert_int_equal(send_cred(sv[0], "cc", 2, NULL, -1), 2);
	assert_int_equal(recv_cred(sv[1], buf, sizeof(buf),
				   sizeof(struct cmsg_buf), &got, &fd, &flags),
			 2);
	assert_memory_equal(buf, "bb", 2);
	assert_int_equal(got.pid, 9);
	assert_int_equal(got.uid, 1000);
	assert_int_equal(got.gid, 100);
	/* no room for the credentials: MSG_CTRUNC */
	assert_int_equal(
		recv_cred(sv[1], buf, sizeof(buf), 8, &got, &fd, &flags), 2);
	assert_true(flags & MSG_CTRUNC);
	assert_int_equal(got.pid, -1);
	/* with a descriptor: credentials first, then the rights */
	assert_int_equal(send_cred(sv[0], "dd", 2, &cr, sv[0]), 2);
	assert_int_equal(recv_cred(sv[1], buf, sizeof(buf),
				   sizeof(struct cmsg_buf), &got, &fd, &flags),
			 2);
	assert_int_equal(got.uid, 1000);
	assert_true(fd >= 0);
	SC(close, fd);
	/* bad credentials: nothing is sent */
	cr.pid = 12345;
	assert_int_equal(send_cred(sv[0], "x", 1, &cr, -1), -ESRCH);
	cr.pid = 7;
	cr.uid = (uid_t)-1;
	assert_int_equal(send_cred(sv[0], "x", 1, &cr, -1), -EINVAL);
	cr.uid = 0;
	cr.gid = (gid_t)-1;
	assert_int_equal(send_cred(sv[0], "x", 1, &cr, -1), -EINVAL);
	assert_int_equal(SC(recvfrom, sv[1], buf, 1, MSG_DONTWAIT, NULL, NULL),
			 -EAGAIN);
	/* without SO_PASSCRED, credentials are accepted and not passed */
	on = 0;
	SC(setsockopt, sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	cr.gid = 0;
	assert_int_equal(send_cred(sv[0], "y", 1, &cr, -1), 1);
	assert_int_equal(recv_cred(sv[1], buf, sizeof(buf),
				   sizeof(struct cmsg_buf), &got, &fd, &flags),
			 1);
	assert_int_equal(got.pid, -1);
	SC(close, sv[0]);
	SC(close, sv[1]);
	/* datagrams: an unnamed sender is autobound when the receiver wants
	 * credentials, so it can be answered */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_DGRAM, 0, d), 0);
	on = 1;
	SC(setsockopt, d[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	assert_int_equal(SC(write, d[0], "dg", 2), 2);
	assert_int_equal(SC(recvfrom, d[1], buf, sizeof(buf), 0, &from, &fl),
			 2);
	assert_int_equal(fl, offsetof(struct sockaddr_un, sun_path) + 6);
	assert_int_equal(from.sun_path[0], 0);
	SC(close, d[0]);
	SC(close, d[1]);
}

/* ---- garbage collection of sockets in flight ---- */

static void test_gc(void **state)
{
	int base = (int)uk_unix_count(), a[2], b[2], d, f;
	struct sockaddr_un sa;
	socklen_t len = sun_of(&sa, "self", 1);
	char buf[4];

	(void)state;
	/* a socket whose only reference is in its own queue */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(send_fds(a[1], &a[0], 1), 1); /* into a[0]'s queue */
	assert_int_equal((int)uk_unix_count(), base + 2);
	SC(close, a[0]);
	assert_int_equal((int)uk_unix_count(), base + 1);
	assert_int_equal(SC(write, a[1], "x", 1), -EPIPE); /* peer gone */
	SC(close, a[1]);
	assert_int_equal((int)uk_unix_count(), base);
	/* a datagram socket sent to itself, with a file beside it */
	d = (int)SC(socket, AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(SC(bind, d, &sa, len), 0);
	f = (int)SC(open, "/held", UK_O_CREAT | UK_O_RDWR, 0644);
	{
		int two[2] = {d, f};
		struct iovec iov = {"s", 1};
		union {
			char buf[CMSG_SPACE(sizeof(int) * 2)];
			struct cmsghdr align;
		} u;
		struct msghdr mh = {0};
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		mh.msg_name = &sa;
		mh.msg_namelen = len;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(two));
		memcpy(CMSG_DATA(c), two, sizeof(two));
		assert_int_equal(SC(sendmsg, d, &mh, 0), 1);
	}
	SC(close, f);
	SC(close, d);
	assert_int_equal((int)uk_unix_count(), base);
	/* (the file's vnode reference went too: teardown unmounts "/") */
	assert_int_equal(SC(unlink, "/held"), 0);
	/* two sockets in each other's queue: alive while one has a
	 * descriptor, collected when the last one goes */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, b), 0);
	assert_int_equal(send_fds(a[1], &b[0], 1), 1); /* b0 in a0's queue */
	assert_int_equal(send_fds(b[1], &a[0], 1), 1); /* a0 in b0's queue */
	SC(close, a[0]);
	assert_int_equal((int)uk_unix_count(), base + 4); /* b0 reaches a0 */
	{
		/* a0 can still be had: receive it through b0 */
		int got;
		char data;
		struct iovec iov = {&data, 1};
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} u;
		struct msghdr mh = {0};

		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		assert_int_equal(SC(recvmsg, b[0], &mh, 0), 1);
		memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		/* and put it back into the cycle */
		assert_int_equal(send_fds(b[1], &got, 1), 1);
		SC(close, got);
	}
	assert_int_equal((int)uk_unix_count(), base + 4);
	SC(close, b[0]);
	assert_int_equal((int)uk_unix_count(), base + 2);
	assert_int_equal(SC(read, a[1], buf, 1), 0); /* its peer is gone */
	SC(close, a[1]);
	SC(close, b[1]);
	assert_int_equal((int)uk_unix_count(), base);
	/* a dup()ed descriptor is a reference from outside */
	assert_int_equal(SC(socketpair, AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(send_fds(a[1], &a[0], 1), 1);
	d = (int)SC(dup, a[0]);
	SC(close, a[0]);
	assert_int_equal((int)uk_unix_count(), base + 2);
	SC(close, d);
	assert_int_equal((int)uk_unix_count(), base + 1);
	SC(close, a[1]);
	assert_int_equal((int)uk_unix_count(), base);
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
	uk_unix_init();
	assert_int_equal(uk_ramfs_init(), 0);
	SC(umount2, "/", 0);
	assert_int_equal(SC(mount, "none", "/", "ramfs", 0, NULL), 0);
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	for (int fd = 0; fd < 64; fd++)
		SC(close, fd);
	/* nothing leaked: every vnode reference is gone */
	/* nothing leaked: every socket and vnode reference is gone */
	return errors != 0 || coop.sched.nr_threads != 1 ||
	       uk_unix_count() != 0 || SC(umount2, "/", 0) != 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonblock_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_path_listen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_abstract_dgram, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_epoll, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_seqpacket, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_autobind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_after_close,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
