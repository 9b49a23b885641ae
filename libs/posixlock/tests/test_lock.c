/* posixlock unit tests: fcntl record locks, OFD locks and flock between
 * descriptors and threads, on the real fdtab, uksched and ukschedcoop with
 * a fake clock. The files are in-test files whose fstat gives an inode
 * number, so that two open() of "one file" are two descriptions with one
 * key. Threads count errors instead of asserting. */
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
#include <uk/posixlock.h>
#include <uk/schedcoop.h>
#include <uk/syscall.h>

#include <uk/plat_doubles.h>
#include <uk/sched_testing.h>

#define MS 1000000ULL

#define F_GETLK	     5
#define F_SETLK	     6
#define F_SETLKW     7
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38

static struct uk_schedcoop coop;
static int errors;

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			errors++; \
	} while (0)

static int t_fstat(struct uk_file *f, struct uk_stat *st)
{
	st->st_ino = (uint64_t)(uintptr_t)f->priv;
	st->st_dev = 9;
	st->st_size = 1000;
	st->st_mode = UK_S_IFREG | 0644;
	return 0;
}

static const struct uk_file_ops tops = {.fstat = t_fstat};

/* "open" in-test file number `ino` */
static int topen(uintptr_t ino, unsigned acc)
{
	struct uk_file *f = uk_file_create(&tops, (void *)ino, acc);
	int fd;

	assert_non_null(f);
	fd = uk_fdtab_alloc(f, 0);
	assert_true(fd >= 0);
	return fd;
}

static int lk(int fd, int cmd, int type, int64_t start, int64_t len)
{
	struct uk_flock fl = {(int16_t)type, 0, start, len, 0};

	return (int)uk_syscall_call(fcntl, fd, cmd, &fl);
}

static struct uk_flock getlk(int fd, int cmd, int type, int64_t start,
			     int64_t len)
{
	struct uk_flock fl = {(int16_t)type, 0, start, len, 0};

	assert_int_equal(uk_syscall_call(fcntl, fd, cmd, &fl), 0);
	return fl;
}

static void test_posix_process_owned(void **state)
{
	int a = topen(1, UK_O_RDWR), b = topen(1, UK_O_RDWR);
	struct uk_flock fl;

	(void)state;
	/* POSIX locks belong to the process: no conflict between its fds */
	assert_int_equal(lk(a, F_SETLK, UK_F_WRLCK, 0, 100), 0);
	assert_int_equal(lk(b, F_SETLK, UK_F_WRLCK, 50, 100), 0);
	fl = getlk(b, F_GETLK, UK_F_WRLCK, 0, 0);
	assert_int_equal(fl.l_type, UK_F_UNLCK);
	/* one merged range 0..149 */
	assert_int_equal(uk_posixlock_count(), 1);
	/* an OFD lock of another description sees them */
	fl = getlk(a, F_OFD_GETLK, UK_F_RDLCK, 10, 1);
	assert_int_equal(fl.l_type, UK_F_WRLCK);
	assert_int_equal(fl.l_start, 0);
	assert_int_equal(fl.l_len, 150);
	assert_int_equal(fl.l_pid, 1);
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_RDLCK, 149, 1), -EAGAIN);
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_RDLCK, 150, 1), 0);
	/* unlock the middle: split into two */
	assert_int_equal(lk(a, F_SETLK, UK_F_UNLCK, 40, 20), 0);
	assert_int_equal(uk_posixlock_count(), 3);
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_RDLCK, 45, 10), 0);
	/* closing ANY descriptor of the file drops the process's locks */
	assert_int_equal(uk_syscall_call(close, b), 0);
	assert_int_equal(uk_posixlock_count(), 2); /* the OFD ones stay */
	fl = getlk(a, F_OFD_GETLK, UK_F_WRLCK, 0, 0);
	assert_int_equal(fl.l_type, UK_F_UNLCK); /* only own OFD locks */
	/* the OFD locks go with their description */
	assert_int_equal(uk_syscall_call(close, a), 0);
	assert_int_equal(uk_posixlock_count(), 0);
	/* dup2 over a descriptor of the file closes it: the locks go too */
	a = topen(1, UK_O_RDWR);
	b = topen(2, UK_O_RDWR);
	assert_int_equal(lk(a, F_SETLK, UK_F_WRLCK, 0, 10), 0);
	assert_int_equal(uk_posixlock_count(), 1);
	assert_int_equal(uk_syscall_call(dup2, b, a), a);
	assert_int_equal(uk_posixlock_count(), 0);
	assert_int_equal(uk_syscall_call(close, a), 0);
	assert_int_equal(uk_syscall_call(close, b), 0);
}

static void test_ofd_conflicts(void **state)
{
	int a = topen(2, UK_O_RDWR), b = topen(2, UK_O_RDWR);
	int c = uk_syscall_call(dup, a), other = topen(3, UK_O_RDWR);
	struct uk_flock fl;

	(void)state;
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_RDLCK, 0, 10), 0);
	/* readers share, a writer conflicts; a dup is the same owner */
	assert_int_equal(lk(b, F_OFD_SETLK, UK_F_RDLCK, 5, 10), 0);
	assert_int_equal(lk(b, F_OFD_SETLK, UK_F_WRLCK, 5, 1), -EAGAIN);
	assert_int_equal(lk(c, F_OFD_SETLK, UK_F_WRLCK, 12, 1), -EAGAIN);
	assert_int_equal(lk(c, F_OFD_SETLK, UK_F_WRLCK, 0, 3), 0);
	fl = getlk(b, F_OFD_GETLK, UK_F_WRLCK, 0, 100);
	assert_int_equal(fl.l_pid, -1);
	/* another file is another key */
	assert_int_equal(lk(other, F_OFD_SETLK, UK_F_WRLCK, 0, 0), 0);
	/* whence and negative lengths: [10-4, 9] */
	{
		struct uk_flock g = {UK_F_WRLCK, 0, 10, -4, 0};

		assert_int_equal(uk_syscall_call(fcntl, other, F_OFD_SETLK, &g),
				 0);
		g = (struct uk_flock){UK_F_WRLCK, 2, -100, 10, 0};
		assert_int_equal(uk_syscall_call(fcntl, other, F_OFD_SETLK, &g),
				 0); /* from EOF (1000) - 100 */
	}
	/* errors */
	{
		struct uk_flock g = {UK_F_RDLCK, 0, 0, 1, 5};

		assert_int_equal(uk_syscall_call(fcntl, a, F_OFD_SETLK, &g),
				 -EINVAL); /* l_pid must be 0 */
		g = (struct uk_flock){7, 0, 0, 1, 0};
		assert_int_equal(uk_syscall_call(fcntl, a, F_SETLK, &g),
				 -EINVAL);
		g = (struct uk_flock){UK_F_RDLCK, 5, 0, 1, 0};
		assert_int_equal(uk_syscall_call(fcntl, a, F_SETLK, &g),
				 -EINVAL);
		g = (struct uk_flock){UK_F_RDLCK, 0, -5, 1, 0};
		assert_int_equal(uk_syscall_call(fcntl, a, F_SETLK, &g),
				 -EINVAL);
		g = (struct uk_flock){UK_F_RDLCK, 0, INT64_MAX, 2, 0};
		assert_int_equal(uk_syscall_call(fcntl, a, F_SETLK, &g),
				 -EOVERFLOW);
		g = (struct uk_flock){UK_F_UNLCK, 0, 0, 1, 0};
		assert_int_equal(uk_syscall_call(fcntl, a, F_GETLK, &g),
				 -EINVAL);
		assert_int_equal(uk_syscall_call(fcntl, a, F_SETLK, NULL),
				 -EFAULT);
		assert_int_equal(uk_syscall_call(fcntl, 900, F_SETLK, &g),
				 -EBADF);
	}
	/* a write lock needs a writable description, a read lock a
	 * readable one */
	{
		int ro = topen(4, UK_O_RDONLY), wo = topen(4, UK_O_WRONLY);

		assert_int_equal(lk(ro, F_SETLK, UK_F_WRLCK, 0, 1), -EBADF);
		assert_int_equal(lk(wo, F_SETLK, UK_F_RDLCK, 0, 1), -EBADF);
		assert_int_equal(lk(ro, F_SETLK, UK_F_RDLCK, 0, 1), 0);
		uk_syscall_call(close, ro);
		uk_syscall_call(close, wo);
	}
	uk_syscall_call(close, a);
	uk_syscall_call(close, c);
	uk_syscall_call(close, b);
	uk_syscall_call(close, other);
	assert_int_equal(uk_posixlock_count(), 0);
}

struct job {
	int fd, cmd, type;
	int64_t start, len;
	uint64_t delay;
	int r;
	uint64_t when;
};

static void locker(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	j->r = lk(j->fd, j->cmd, j->type, j->start, j->len);
	j->when = fake_ns;
}

static void unlocker(void *arg)
{
	struct job *j = arg;

	uk_sched_sleep_ns(j->delay);
	j->r = lk(j->fd, j->cmd, UK_F_UNLCK, j->start, j->len);
}

static void test_wait_and_deadlock(void **state)
{
	int a = topen(5, UK_O_RDWR), b = topen(5, UK_O_RDWR);
	struct job j, u;
	struct uk_thread *t, *t2;

	(void)state;
	/* F_OFD_SETLKW waits until the holder unlocks */
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_WRLCK, 0, 10), 0);
	u = (struct job){.fd = a,
			 .cmd = F_OFD_SETLK,
			 .start = 0,
			 .len = 10,
			 .delay = 7 * MS};
	t = uk_thread_create(NULL, "unlock", unlocker, &u, 0);
	assert_int_equal(lk(b, F_OFD_SETLKW, UK_F_WRLCK, 5, 1), 0);
	assert_true(fake_ns >= 7 * MS);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(u.r, 0);

	/* a cycle: b holds 5, a holds 20; a thread waits with a for 5, then
	 * b asking for 20 would wait for a, which waits for b: EDEADLK */
	assert_int_equal(lk(a, F_OFD_SETLK, UK_F_WRLCK, 20, 1), 0);
	j = (struct job){.fd = a,
			 .cmd = F_OFD_SETLKW,
			 .type = UK_F_WRLCK,
			 .start = 5,
			 .len = 1};
	t = uk_thread_create(NULL, "waiter", locker, &j, 0);
	uk_sched_yield(); /* it blocks */
	assert_int_equal(lk(b, F_OFD_SETLKW, UK_F_WRLCK, 20, 1), -EDEADLK);
	/* b gives up 5: the waiter gets it */
	assert_int_equal(lk(b, F_OFD_SETLK, UK_F_UNLCK, 0, 0), 0);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.r, 0);

	/* the process's POSIX locks against a description's OFD lock: a
	 * thread waiting in F_SETLKW wakes when the description closes */
	j = (struct job){.fd = b,
			 .cmd = F_SETLKW,
			 .type = UK_F_RDLCK,
			 .start = 0,
			 .len = 0};
	t2 = uk_thread_create(NULL, "posix", locker, &j, 0);
	uk_sched_sleep_ns(3 * MS);
	assert_int_equal(j.when, 0); /* still waiting */
	assert_int_equal(uk_syscall_call(close, a), 0);
	assert_int_equal(uk_thread_join(t2, NULL), 0);
	assert_int_equal(j.r, 0);
	assert_true(j.when >= 3 * MS);
	uk_syscall_call(close, b);
	assert_int_equal(uk_posixlock_count(), 0);
}

static void flocker(void *arg)
{
	struct job *j = arg;

	j->r = (int)uk_syscall_call(flock, j->fd, UK_LOCK_EX);
	j->when = fake_ns;
}

static void test_flock(void **state)
{
	int a = topen(6, UK_O_RDONLY), b = topen(6, UK_O_RDONLY);
	struct job j;
	struct uk_thread *t;

	(void)state;
	assert_int_equal(uk_syscall_call(flock, a, UK_LOCK_SH), 0);
	assert_int_equal(uk_syscall_call(flock, b, UK_LOCK_SH), 0);
	assert_int_equal(uk_syscall_call(flock, b, UK_LOCK_EX | UK_LOCK_NB),
			 -EAGAIN);
	/* flock and fcntl locks do not see each other */
	assert_int_equal(lk(b, F_OFD_SETLK, UK_F_RDLCK, 0, 0), 0);
	assert_int_equal(uk_syscall_call(flock, a, UK_LOCK_UN), 0);
	assert_int_equal(uk_syscall_call(flock, b, UK_LOCK_EX | UK_LOCK_NB), 0);
	assert_int_equal(uk_syscall_call(flock, a, UK_LOCK_SH | UK_LOCK_NB),
			 -EAGAIN);
	assert_int_equal(uk_syscall_call(flock, a, 3), -EINVAL);
	assert_int_equal(uk_syscall_call(flock, 900, UK_LOCK_SH), -EBADF);
	/* a blocking flock waits until the holder's description closes */
	j = (struct job){.fd = a};
	t = uk_thread_create(NULL, "flocker", flocker, &j, 0);
	uk_sched_sleep_ns(4 * MS);
	assert_int_equal(j.when, 0);
	uk_syscall_call(close, b);
	assert_int_equal(uk_thread_join(t, NULL), 0);
	assert_int_equal(j.r, 0);
	assert_true(j.when >= 4 * MS);
	uk_syscall_call(close, a);
	assert_int_equal(uk_posixlock_count(), 0);
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
	uk_posixlock_init();
	return uk_schedcoop_init(&coop, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	for (int fd = 0; fd < 64; fd++)
		uk_syscall_call(close, fd);
	return errors != 0 || coop.sched.nr_threads != 1 ||
	       uk_posixlock_count() != 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_posix_process_owned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ofd_conflicts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wait_and_deadlock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flock, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
