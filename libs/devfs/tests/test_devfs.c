/* Native tests of devfs: the boot mounts (vfscore's init entry with ramfs
 * and devfs registered) and every device. getrandom is first the shim's
 * -ENOSYS default, then a test implementation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <uk/devfs.h>
#include <uk/fdtab.h>
#include <uk/ramfs.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

#include <uk/plat_doubles.h>

/* getrandom: the weak -ENOSYS default until `have_random` */
static int have_random;
UK_SYSCALL_R_DEFINE(ssize_t, getrandom, void *, buf, size_t, len, unsigned,
		    flags)
{
	(void)flags;
	if (!have_random)
		return -ENOSYS;
	memset(buf, 0xa5, len);
	return (ssize_t)len;
}

static void test_boot_mounts(void **state)
{
	struct stat st;
	char buf[512];
	long n;
	int fd, names = 0;

	(void)state;
	assert_int_equal(uk_fdtab_init(), 0);
	assert_int_equal(uk_ramfs_init(), 0);
	assert_int_equal(uk_devfs_init(), 0);
	assert_int_equal(uk_vfs_init(), 0);
	assert_int_equal(uk_vfs_init(), 0); /* idempotent */
	assert_int_equal(SC(stat, "/dev", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* "/" is writable: what an initrd extractor does */
	assert_int_equal(SC(mkdirat, AT_FDCWD, "/etc", 0755), 0);
	fd = (int)SC(openat, AT_FDCWD, "/etc/motd", O_CREAT | O_WRONLY, 0644);
	assert_int_equal(SC(write, fd, "hi", 2), 2);
	SC(close, fd);
	assert_int_equal(SC(symlinkat, "/etc/motd", AT_FDCWD, "/motd"), 0);
	assert_int_equal(SC(fchmodat, AT_FDCWD, "/etc/motd", 0600), 0);
	/* listing /dev */
	fd = (int)SC(open, "/dev", O_RDONLY | O_DIRECTORY);
	while ((n = SC(getdents64, fd, buf, 64)) > 0)
		for (long o = 0; o < n; names++)
			o += ((struct uk_dirent64 *)(buf + o))->d_reclen;
	assert_int_equal(n, 0);
	assert_int_equal(names, 12); /* . .. 6 devices, 4 links */
	SC(close, fd);
	/* udev's links into /proc/self/fd (dangling without procfs) */
	n = SC(readlink, "/dev/stdout", buf, sizeof(buf));
	assert_int_equal(n, 15);
	assert_memory_equal(buf, "/proc/self/fd/1", 15);
	assert_int_equal(SC(readlink, "/dev/fd", buf, sizeof(buf)), 13);
	assert_int_equal(SC(lstat, "/dev/stdin", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(st.st_size, 15);
	assert_int_equal(SC(stat, "/dev/stderr", &st), -ENOENT);
	assert_int_equal(SC(open, "/dev/stdin", O_RDONLY), -ENOENT);
	assert_string_equal(uk_devfs_rdev_name(0x501), "console");
	assert_string_equal(uk_devfs_rdev_name(0x109), "urandom");
	assert_null(uk_devfs_rdev_name(0x999));
	assert_int_equal(SC(chdir, "/dev"), 0);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/dev");
	assert_int_equal(SC(stat, "../etc/motd", &st), 0);
	assert_int_equal(SC(chdir, "/"), 0);
	assert_int_equal(SC(mkdir, "/dev/x", 0755), -EPERM);
	assert_int_equal(SC(open, "/dev/nope", O_RDONLY), -ENOENT);
	assert_int_equal(SC(rmdir, "/dev"), -EBUSY);
}

static void test_devices(void **state)
{
	char buf[64];
	struct stat st;
	struct winsize ws;
	int fd;

	(void)state;
	fd = (int)SC(open, "/dev/null", O_RDWR);
	assert_int_equal(SC(read, fd, buf, 64), 0);
	assert_int_equal(SC(write, fd, buf, 64), 64);
	assert_int_equal(SC(fstat, fd, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(st.st_rdev, 0x103);
	assert_int_equal(SC(lseek, fd, 10, SEEK_SET), 0);
	assert_int_equal(SC(ioctl, fd, TIOCGWINSZ, &ws), -ENOTTY);
	SC(close, fd);
	assert_int_equal(SC(stat, "/dev/zero", &st), 0);
	assert_int_equal(st.st_rdev, 0x105);
	fd = (int)SC(open, "/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	assert_int_equal(SC(read, fd, buf, 64), 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(SC(pread64, fd, buf, 8, 100), 8);
	assert_int_equal(SC(write, fd, buf, 1), -EBADF);
	SC(close, fd);
	fd = (int)SC(open, "/dev/full", O_WRONLY);
	assert_int_equal(SC(write, fd, buf, 1), -ENOSPC);
	assert_int_equal(SC(write, fd, buf, 0), 0);
	SC(close, fd);
	/* random: the getrandom error, then its bytes */
	fd = (int)SC(open, "/dev/urandom", O_RDONLY);
	assert_int_equal(SC(read, fd, buf, 16), -ENOSYS);
	have_random = 1;
	assert_int_equal(SC(read, fd, buf, 16), 16);
	assert_int_equal((unsigned char)buf[15], 0xa5);
	SC(close, fd);
	fd = (int)SC(open, "/dev/random", O_RDONLY);
	assert_int_equal(SC(read, fd, buf, 4), 4);
	SC(close, fd);
	have_random = 0;
	/* console: its own description, isatty */
	fd = (int)SC(open, "/dev/console", O_WRONLY | O_NONBLOCK);
	plat_out_reset();
	assert_int_equal(SC(write, fd, "con", 3), 3);
	assert_memory_equal(plat_out, "con", 3);
	assert_int_equal(SC(ioctl, fd, TIOCGWINSZ, &ws), 0);
	assert_int_equal(SC(fcntl, 1, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(SC(fchmod, fd, 0600), -EPERM);
	SC(close, fd);
	assert_int_equal(SC(open, "/dev/null", O_RDONLY | O_DIRECTORY),
			 -ENOTDIR);
	assert_int_equal(SC(umount2, "/dev", 0), 0);
	assert_int_equal(SC(umount2, "/", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_mounts),
		cmocka_unit_test(test_devices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
