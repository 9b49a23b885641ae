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

static struct uk_socket_family fam = {
	.domain = 42,
	.is = t_is,
	.socket = t_socket,
	.listen = t_listen,
	.accept4 = t_accept4,
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
