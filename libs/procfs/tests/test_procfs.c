/* Native tests of procfs: /proc mounted over the real vfscore, ramfs,
 * devfs and fdtab; doubles for getpid, prctl, ukboot's argv, the app name
 * and posixpipe's uk_pipe_reopen. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <cmocka.h>
#include <uk/devfs.h>
#include <uk/fdtab.h>
#include <uk/procfs.h>
#include <uk/ramfs.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

#include <uk/plat_doubles.h>

/* ---- doubles ---- */
UK_SYSCALL_R_DEFINE(int, getpid)
{
	return 7;
}

static char thread_name[16] = "main";
UK_SYSCALL_R_DEFINE(int, prctl, int, op, unsigned long, a2, unsigned long, a3,
		    unsigned long, a4, unsigned long, a5)
{
	(void)a3, (void)a4, (void)a5;
	if (op == 15) {
		strncpy(thread_name, (const char *)a2, 15);
		return 0;
	}
	if (op == 16) {
		memcpy((char *)a2, thread_name, 16);
		return 0;
	}
	return -EINVAL;
}

const char uk_app_name[] = "testapp";

static char *boot_argv[] = {"testapp", "one", "two words", NULL};
int uk_boot_argv(char ***argv)
{
	*argv = boot_argv;
	return 3;
}

/* a file that says it is a FIFO, and the reopen posixpipe would do */
static int fake_released;
static int fake_fstat(struct uk_file *f, struct uk_stat *st)
{
	st->st_mode = (uint32_t)(uintptr_t)f->priv;
	st->st_ino = 42;
	return 0;
}
static void fake_release(struct uk_file *f)
{
	(void)f;
	fake_released++;
}
static const struct uk_file_ops fake_ops = {.fstat = fake_fstat,
					    .release = fake_release};
static struct uk_file *reopened_from;
static unsigned reopen_flags;
int uk_pipe_reopen(struct uk_file *f, unsigned flags, struct uk_file **out)
{
	reopened_from = f;
	reopen_flags = flags;
	*out = uk_file_create(&fake_ops, f->priv, flags);
	return *out ? 0 : -ENOMEM;
}

static int fake_open(uint32_t mode)
{
	struct uk_file *f =
		uk_file_create(&fake_ops, (void *)(uintptr_t)mode, UK_O_RDONLY);
	int fd = uk_fdtab_alloc(f, 0);

	assert_true(fd >= 0);
	return fd;
}

static long rl(const char *path, char *buf)
{
	long n = SC(readlink, path, buf, 255);

	if (n >= 0)
		buf[n] = 0;
	return n;
}

static void fdpath(char *buf, int fd)
{
	sprintf(buf, "/proc/self/fd/%d", fd);
}

/* ---- tests ---- */

static void test_mount(void **state)
{
	struct stat st;
	struct {
		int64_t type, rest[15];
	} sfs;

	(void)state;
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_procfs_mount(), 0); /* no "/" yet: nothing */
	assert_int_equal(uk_ramfs_init(), 0);
	assert_int_equal(uk_devfs_init(), 0);
	assert_int_equal(uk_procfs_init(), 0);
	assert_int_equal(uk_procfs_init(), 0);
	assert_int_equal(uk_vfs_init(), 0);
	assert_int_equal(uk_procfs_mount(), 0);
	assert_int_equal(uk_procfs_mount(), 0); /* again: mounted already */
	assert_int_equal(SC(stat, "/proc", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(SC(statfs, "/proc", &sfs), 0);
	assert_int_equal(sfs.type, 0x9fa0);
	assert_int_equal(SC(mkdir, "/tmp", 0777), 0);
}

static void test_self_and_listing(void **state)
{
	char buf[256], names[256] = "";
	struct stat st;
	long n;
	int fd;

	(void)state;
	assert_int_equal(rl("/proc/self", buf), 1);
	assert_string_equal(buf, "7");
	assert_int_equal(SC(lstat, "/proc/self", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(SC(stat, "/proc/self", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(SC(stat, "/proc/7/fd", &st), 0);
	assert_int_equal(SC(stat, "/proc/8", &st), -ENOENT);
	assert_int_equal(SC(stat, "/proc/07", &st), -ENOENT);
	assert_int_equal(SC(stat, "/proc/self/nosuch", &st), -ENOENT);
	/* readdir of /proc and /proc/self */
	fd = (int)SC(openat, AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY, 0);
	assert_true(fd >= 0);
	n = SC(getdents64, fd, buf, sizeof(buf));
	assert_true(n > 0);
	for (long off = 0; off < n;) {
		struct uk_dirent64 *d = (void *)(buf + off);

		strcat(names, d->d_name);
		strcat(names, " ");
		off += d->d_reclen;
	}
	assert_string_equal(names, ". .. self 7 ");
	SC(close, fd);
	names[0] = 0;
	fd = (int)SC(openat, AT_FDCWD, "/proc/self", O_RDONLY | O_DIRECTORY, 0);
	n = SC(getdents64, fd, buf, sizeof(buf));
	for (long off = 0; off < n;) {
		struct uk_dirent64 *d = (void *)(buf + off);

		strcat(names, d->d_name);
		strcat(names, " ");
		off += d->d_reclen;
	}
	assert_string_equal(names, ". .. exe fd comm cmdline ");
	SC(close, fd);
	/* ".." from the fd directory and the pid directory */
	assert_int_equal(SC(stat, "/proc/self/fd/../exe", &st), -ENOENT);
	assert_int_equal(SC(lstat, "/proc/self/fd/../exe", &st), 0);
	assert_int_equal(SC(stat, "/proc/self/../self/fd", &st), 0);
}

/* The fd directory lists exactly the open descriptors, also across
 * several getdents calls with a small buffer. */
static void test_fd_listing(void **state)
{
	int fds[40], fd, seen[128] = {0}, open_ = 0;
	char buf[64];
	long n;

	(void)state;
	for (int i = 0; i < 40; i++)
		fds[i] = (int)SC(openat, AT_FDCWD, "/dev/null", O_RDONLY, 0);
	for (int i = 0; i < 40; i += 3)
		SC(close, fds[i]);
	fd = (int)SC(openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY,
		     0);
	assert_true(fd >= 0);
	while ((n = SC(getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct uk_dirent64 *d = (void *)(buf + off);

			if (d->d_name[0] != '.') {
				int v = atoi(d->d_name);

				assert_true(v >= 0 && v < 128);
				assert_int_equal(seen[v], 0);
				seen[v] = 1;
				assert_int_equal(d->d_type, DT_LNK);
			}
			off += d->d_reclen;
		}
	}
	assert_int_equal(n, 0);
	for (int v = 0; v < 128; v++) {
		int is_open = SC(fcntl, v, F_GETFD, 0) >= 0;

		assert_int_equal(seen[v], is_open);
		open_ += is_open;
	}
	assert_true(open_ > 25);
	SC(close, fd);
	for (int i = 0; i < 40; i++)
		if (i % 3)
			SC(close, fds[i]);
}

static void test_links(void **state)
{
	char p[64], buf[256];
	struct stat st, st2;
	int a, d, pipefd, sock, anon, nfd;

	(void)state;
	assert_int_equal(SC(mkdir, "/tmp/dir", 0755), 0);
	a = (int)SC(openat, AT_FDCWD, "/tmp/dir/file", O_CREAT | O_RDWR, 0644);
	assert_int_equal(SC(write, a, "hello", 5), 5);
	d = (int)SC(openat, AT_FDCWD, "/tmp/dir", O_RDONLY | O_DIRECTORY, 0);
	/* names */
	fdpath(p, a);
	assert_true(rl(p, buf) > 0);
	assert_string_equal(buf, "/tmp/dir/file");
	fdpath(p, d);
	rl(p, buf);
	assert_string_equal(buf, "/tmp/dir");
	rl("/proc/self/fd/0", buf);
	assert_string_equal(buf, "/dev/console");
	pipefd = fake_open(S_IFIFO | 0600);
	fdpath(p, pipefd);
	rl(p, buf);
	assert_string_equal(buf, "pipe:[42]");
	sock = fake_open(S_IFSOCK | 0777);
	fdpath(p, sock);
	rl(p, buf);
	assert_string_equal(buf, "socket:[42]");
	anon = fake_open(0600);
	fdpath(p, anon);
	rl(p, buf);
	assert_string_equal(buf, "anon_inode:[42]");
	/* lstat: the link; stat: the file */
	fdpath(p, a);
	assert_int_equal(SC(lstat, p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(SC(stat, p, &st), 0);
	assert_int_equal(SC(fstat, a, &st2), 0);
	assert_int_equal(st.st_ino, st2.st_ino);
	assert_int_equal(st.st_dev, st2.st_dev);
	assert_int_equal(st.st_size, 5);
	/* open: a new description of the same file (its own offset) */
	nfd = (int)SC(openat, AT_FDCWD, p, O_RDONLY, 0);
	assert_true(nfd >= 0);
	assert_int_equal(SC(read, nfd, buf, 10), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(SC(lseek, a, 0, SEEK_CUR), 5);
	SC(close, nfd);
	/* a path through a directory's link */
	fdpath(p, d);
	strcat(p, "/file");
	assert_int_equal(SC(stat, p, &st), 0);
	assert_int_equal(st.st_ino, st2.st_ino);
	/* the stand-ins: a FIFO reopens through posixpipe with the new flags;
	 * a socket or an anonymous file cannot be opened (ENXIO) */
	fdpath(p, pipefd);
	assert_int_equal(SC(stat, p, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_ino, 42);
	nfd = (int)SC(openat, AT_FDCWD, p, O_WRONLY | O_NONBLOCK, 0);
	assert_true(nfd >= 0);
	assert_non_null(reopened_from);
	assert_int_equal(reopen_flags & (O_ACCMODE | O_NONBLOCK),
			 O_WRONLY | O_NONBLOCK);
	SC(close, nfd);
	fdpath(p, sock);
	assert_int_equal(SC(openat, AT_FDCWD, p, O_RDWR, 0), -ENXIO);
	fdpath(p, anon);
	assert_int_equal(SC(openat, AT_FDCWD, p, O_RDWR, 0), -ENXIO);
	/* the console: the device again (devfs) */
	nfd = (int)SC(openat, AT_FDCWD, "/proc/self/fd/1", O_WRONLY, 0);
	assert_true(nfd >= 0);
	assert_int_equal(SC(fstat, nfd, &st), 0);
	assert_int_equal(st.st_rdev, (5 << 8) | 1);
	SC(close, nfd);
	/* a file unlinked while open */
	assert_int_equal(SC(unlink, "/tmp/dir/file"), 0);
	fdpath(p, a);
	rl(p, buf);
	assert_string_equal(buf, "(deleted)");
	nfd = (int)SC(openat, AT_FDCWD, p, O_RDONLY, 0);
	assert_true(nfd >= 0); /* Linux reopens deleted files too */
	SC(close, nfd);
	/* closed descriptors are gone, also between lookup and use */
	SC(close, a);
	assert_int_equal(SC(lstat, p, &st), -ENOENT);
	assert_int_equal(SC(readlink, "/proc/self/fd/9999", buf, 10), -ENOENT);
	assert_int_equal(SC(readlink, "/proc/self/fd/-1", buf, 10), -ENOENT);
	assert_int_equal(SC(readlink, "/proc/self/fd/00", buf, 10), -ENOENT);
	SC(close, d);
	SC(close, pipefd);
	SC(close, sock);
	SC(close, anon);
	assert_int_equal(fake_released, 4); /* nothing kept a reference */
	assert_int_equal(SC(rmdir, "/tmp/dir"), 0);
}

static void test_dev_links(void **state)
{
	char buf[256];
	struct stat st;
	int fd;

	(void)state;
	rl("/dev/stdin", buf);
	assert_string_equal(buf, "/proc/self/fd/0");
	rl("/dev/stderr", buf);
	assert_string_equal(buf, "/proc/self/fd/2");
	rl("/dev/fd", buf);
	assert_string_equal(buf, "/proc/self/fd");
	fd = (int)SC(openat, AT_FDCWD, "/dev/stdout", O_WRONLY, 0);
	assert_true(fd >= 0);
	plat_out_reset();
	assert_int_equal(SC(write, fd, "via stdout\n", 11), 11);
	assert_non_null(plat_out_find("via stdout"));
	SC(close, fd);
	assert_int_equal(SC(stat, "/dev/fd/2", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_exe_cmdline_comm(void **state)
{
	char buf[256];
	long n;
	int fd;

	(void)state;
	rl("/proc/self/exe", buf);
	assert_string_equal(buf, "/testapp");
	uk_procfs_set_exe("/bin/prog");
	rl("/proc/self/exe", buf);
	assert_string_equal(buf, "/bin/prog");
	uk_procfs_set_exe(NULL);
	rl("/proc/self/exe", buf);
	assert_string_equal(buf, "/testapp");
	/* cmdline: ukboot's argv, read whole and in pieces */
	fd = (int)SC(openat, AT_FDCWD, "/proc/self/cmdline", O_RDONLY, 0);
	n = SC(read, fd, buf, sizeof(buf));
	assert_int_equal(n, 22);
	assert_memory_equal(buf, "testapp\0one\0two words\0", 22);
	assert_int_equal(SC(pread64, fd, buf, 5, 10), 5);
	assert_memory_equal(buf, "e\0two", 5);
	assert_int_equal(SC(pread64, fd, buf, 5, 22), 0);
	SC(close, fd);
	{
		char *args[] = {"/bin/prog", "-x"};

		assert_int_equal(uk_procfs_set_cmdline(2, args), 0);
	}
	fd = (int)SC(openat, AT_FDCWD, "/proc/self/cmdline", O_RDONLY, 0);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 13);
	assert_memory_equal(buf, "/bin/prog\0-x\0", 13);
	SC(close, fd);
	/* comm: the thread's name through prctl */
	fd = (int)SC(openat, AT_FDCWD, "/proc/self/comm", O_RDONLY, 0);
	assert_int_equal(SC(read, fd, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "main\n", 5);
	SC(close, fd);
	fd = (int)SC(openat, AT_FDCWD, "/proc/self/comm", O_WRONLY | O_TRUNC,
		     0);
	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, "a-very-long-thread-name\n", 24), 24);
	SC(close, fd);
	assert_string_equal(thread_name, "a-very-long-thr");
}

/* Everything looked up is released: /proc unmounts. */
static void test_unmount(void **state)
{
	(void)state;
	assert_int_equal(SC(umount2, "/proc", 0), 0);
	assert_int_equal(SC(rmdir, "/proc"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_self_and_listing),
		cmocka_unit_test(test_fd_listing),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_dev_links),
		cmocka_unit_test(test_exe_cmdline_comm),
		cmocka_unit_test(test_unmount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
