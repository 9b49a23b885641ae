/* uksocket unit tests: dispatch by domain and by file, over a test
 * family whose sockets are plain fdtab files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/socket.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>

static const struct uk_file_ops sops, plain_ops;
static int last_fd, last_backlog;

static int t_is(const struct uk_file *f)
{
	return f->ops == &sops;
}

static int t_socket(int type, int protocol)
{
	struct uk_file *f = uk_file_create(&sops, NULL, UK_O_RDWR);
	int fd = uk_fdtab_alloc(f, 0);

	(void)type, (void)protocol;
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

static int t_listen(int fd, struct uk_file *f, int backlog)
{
	assert_true(t_is(f));
	last_fd = fd;
	last_backlog = backlog;
	return 0;
}

static int t_accept4(int fd, struct uk_file *f, void *addr, uint32_t *alen,
		     int flags)
{
	(void)fd, (void)f, (void)addr, (void)alen;
	return flags == 0 ? -EAGAIN : -EINVAL;
}

/* sendmsg: accepts `send_ok` messages (returning their iov_len), then
 * -EPIPE; recvmsg: `queued` messages of 3 bytes, then -EAGAIN (with
 * MSG_DONTWAIT; a blocking one would wait: -EINTR here) */
static int send_ok, queued, recv_flags[8], nrecv;
struct t_iovec {
	void *base;
	size_t len;
};
struct t_msghdr {
	void *name;
	uint32_t namelen;
	struct t_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};
static ssize_t t_sendmsg(int fd, struct uk_file *f, const void *msg, int fl)
{
	const struct t_msghdr *m = msg;

	(void)fd, (void)f, (void)fl;
	if (!send_ok)
		return -EPIPE;
	send_ok--;
	return (ssize_t)m->iov[0].len;
}
static ssize_t t_recvmsg(int fd, struct uk_file *f, void *msg, int fl)
{
	(void)fd, (void)f, (void)msg;
	if (nrecv < 8)
		recv_flags[nrecv++] = fl;
	if (!queued)
		return (fl & 0x40) ? -EAGAIN : -EINTR;
	queued--;
	return 3;
}

static struct uk_socket_family fam = {
	.domain = 42,
	.is = t_is,
	.socket = t_socket,
	.listen = t_listen,
	.accept4 = t_accept4,
	.sendmsg = t_sendmsg,
	.recvmsg = t_recvmsg,
};
static struct uk_socket_family dup_fam = {.domain = 42};

static void test_dispatch(void **state)
{
	int fd, sv[2];
	struct uk_file *plain;
	int pfd;

	(void)state;
	assert_int_equal(uk_socket_family_register(&fam), 0);
	assert_int_equal(uk_socket_family_register(&fam), -EEXIST);
	assert_int_equal(uk_socket_family_register(&dup_fam), -EEXIST);
	assert_int_equal(uk_syscall_call(socket, 7, 1, 0), -EAFNOSUPPORT);
	fd = uk_syscall_call(socket, 42, 1, 0);
	assert_true(fd >= 0);
	assert_int_equal(uk_syscall_call(listen, fd, 17), 0);
	assert_int_equal(last_fd, fd);
	assert_int_equal(last_backlog, 17);
	/* accept is accept4 with no flags */
	assert_int_equal(uk_syscall_call(accept, fd, NULL, NULL), -EAGAIN);
	assert_int_equal(uk_syscall_call(accept4, fd, NULL, NULL, 1), -EINVAL);
	/* ops the family lacks */
	assert_int_equal(uk_syscall_call(shutdown, fd, 0), -EOPNOTSUPP);
	assert_int_equal(uk_syscall_call(socketpair, 42, 1, 0, sv),
			 -EOPNOTSUPP);
	assert_int_equal(uk_syscall_call(socketpair, 7, 1, 0, sv),
			 -EAFNOSUPPORT);
	/* not a socket, not open */
	plain = uk_file_create(&plain_ops, NULL, 0);
	pfd = uk_fdtab_alloc(plain, 0);
	assert_int_equal(uk_syscall_call(listen, pfd, 1), -ENOTSOCK);
	assert_int_equal(uk_syscall_call(getsockname, pfd, NULL, NULL),
			 -ENOTSOCK);
	assert_int_equal(uk_syscall_call(listen, 999, 1), -EBADF);
	assert_ptr_equal(uk_socket_family_of(plain), NULL);
	uk_syscall_call(close, pfd);
	uk_syscall_call(close, fd);
}

struct t_mmsghdr {
	struct t_msghdr hdr;
	uint32_t len;
};

static int64_t clock_ns;
UK_SYSCALL_R_DEFINE(int, clock_gettime, int, id, int64_t *, ts)
{
	(void)id;
	clock_ns += 400000000; /* every look moves the clock 0.4 s */
	ts[0] = clock_ns / 1000000000;
	ts[1] = clock_ns % 1000000000;
	return 0;
}

static void test_mmsg(void **state)
{
	struct t_iovec iov[5] = {
		{"a", 1}, {"bb", 2}, {"ccc", 3}, {"d", 1}, {"e", 1}};
	struct t_mmsghdr v[5];
	int64_t to[2];
	int fd = uk_syscall_call(socket, 42, 1, 0);

	(void)state;
	memset(v, 0, sizeof(v));
	assert_int_equal(sizeof(v[0]), 64);
	for (int i = 0; i < 5; i++) {
		v[i].hdr.iov = &iov[i];
		v[i].hdr.iovlen = 1;
	}
	/* all sent; an error after the first ends the batch; before: it */
	send_ok = 3;
	assert_int_equal(uk_syscall_call(sendmmsg, fd, v, 3, 0), 3);
	assert_int_equal(v[2].len, 3);
	send_ok = 2;
	assert_int_equal(uk_syscall_call(sendmmsg, fd, v, 3, 0), 2);
	send_ok = 0;
	assert_int_equal(uk_syscall_call(sendmmsg, fd, v, 3, 0), -EPIPE);
	assert_int_equal(uk_syscall_call(sendmmsg, fd, v, 0, 0), 0);
	assert_int_equal(uk_syscall_call(sendmmsg, fd, NULL, 2, 0), -EFAULT);
	/* MSG_WAITFORONE: the first waits, the rest do not */
	queued = 2;
	nrecv = 0;
	assert_int_equal(uk_syscall_call(recvmmsg, fd, v, 3, 0x10000, NULL), 2);
	assert_int_equal(recv_flags[0], 0x10000);
	assert_int_equal(recv_flags[1], 0x10040);
	assert_int_equal(v[1].len, 3);
	queued = 0;
	assert_int_equal(uk_syscall_call(recvmmsg, fd, v, 3, 0x40, NULL),
			 -EAGAIN);
	/* the timeout is looked at after each message; what is left comes
	 * back */
	queued = 5;
	to[0] = 1;
	to[1] = 0;
	assert_int_equal(uk_syscall_call(recvmmsg, fd, v, 5, 0, to), 3);
	assert_true(to[0] == 0 && to[1] == 0);
	to[1] = 1000000000;
	assert_int_equal(uk_syscall_call(recvmmsg, fd, v, 3, 0, to), -EINVAL);
	to[0] = -1;
	to[1] = 0;
	assert_int_equal(uk_syscall_call(recvmmsg, fd, v, 3, 0, to), -EINVAL);
	/* not a socket */
	assert_int_equal(uk_syscall_call(sendmmsg, 999, v, 1, 0), -EBADF);
	uk_syscall_call(close, fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_mmsg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
