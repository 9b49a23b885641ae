/* Native tests of vfscore alone: registry, mounts, lookup and argument
 * checks over a tiny in-test filesystem (an empty root directory). The
 * filesystem behaviour proper is tested in ramfs and devfs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

#include <uk/plat_doubles.h>

/* ---- tfs: one empty directory ---- */
static int inactive_calls;

static int t_readdir(struct uk_vnode *dir, uint64_t cookie,
		     uk_vfs_filldir_t fill, void *ctx)
{
	if (cookie == 0 && fill(ctx, ".", 1, dir->ino, 4, 1))
		return 1;
	if (cookie <= 1 && fill(ctx, "..", 2, dir->ino, 4, 2))
		return 1;
	return 0;
}

static void t_inactive(struct uk_vnode *vn)
{
	(void)vn;
	inactive_calls++;
}

static const struct uk_vnode_ops t_ops = {
	.readdir = t_readdir,
	.inactive = t_inactive,
};

static int t_mount(struct uk_mount *m, const char *data)
{
	struct uk_vnode *v;

	if (data && !strcmp(data, "fail"))
		return -EIO;
	v = calloc(1, sizeof(*v));
	v->ops = &t_ops;
	v->mnt = m;
	v->mode = S_IFDIR | 0755;
	v->nlink = 2;
	v->ino = 1;
	m->root = v;
	uk_vnode_ref(v);
	return 0;
}

static void t_unmount(struct uk_mount *m)
{
	free(m->root);
}

static struct uk_fstype tfs = {
	.name = "tfs", .mount = t_mount, .unmount = t_unmount};

static void test_no_root(void **state)
{
	struct stat st;
	char buf[16];

	(void)state;
	assert_int_equal(uk_vfs_init(), 0); /* nothing registered: no-op */
	assert_int_equal(SC(stat, "/", &st), -ENOENT);
	assert_int_equal(SC(open, "x", O_RDONLY), -ENOENT);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(SC(mount, "n", "/", "tfs", 0, 0), -ENODEV);
	assert_int_equal(uk_vfs_register(&tfs), 0);
	assert_int_equal(uk_vfs_register(&tfs), -EEXIST);
	assert_int_equal(SC(mount, "n", "/", NULL, 0, 0), -EFAULT);
	assert_int_equal(SC(mount, "n", "/x", "tfs", 0, 0), -ENOENT);
	assert_int_equal(SC(mount, "n", "/", "tfs", 0, "fail"), -EIO);
	assert_int_equal(SC(umask, 0), 022);
	assert_int_equal(SC(umask, 022), 0);
}

static void test_tfs(void **state)
{
	struct stat st;
	char buf[64], *p;
	int fd;

	(void)state;
	inactive_calls = 0;
	assert_int_equal(SC(mount, "n", "/", "tfs", 0, 0), 0);
	assert_int_equal(SC(stat, "/", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(SC(stat, "/../.././", &st), 0);
	assert_int_equal(SC(stat, "/x", &st), -ENOENT);
	assert_int_equal(SC(getcwd, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "/");
	assert_int_equal(SC(getcwd, buf, 1), -ERANGE);
	/* missing ops: specific errors */
	assert_int_equal(SC(mkdir, "/d", 0755), -EPERM);
	assert_int_equal(SC(open, "/f", O_CREAT | O_RDWR, 0644), -EPERM);
	assert_int_equal(SC(symlink, "a", "/l"), -EPERM);
	assert_int_equal(SC(unlink, "/f"), -EPERM);
	assert_int_equal(SC(rename, "/f", "/g"), -EPERM);
	/* the root opened: getdents, then busy */
	fd = (int)SC(open, "/", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_true(SC(getdents64, fd, buf, sizeof(buf)) > 0);
	assert_int_equal(SC(getdents64, fd, buf, sizeof(buf)), 0);
	assert_int_equal(SC(write, fd, "x", 1), -EBADF);
	/* too long */
	p = malloc(5000);
	memset(p, 'a', 4999);
	p[4999] = 0;
	assert_int_equal(SC(stat, p, &st), -ENAMETOOLONG);
	p[300] = 0;
	assert_int_equal(SC(stat, p, &st), -ENAMETOOLONG);
	free(p);
	assert_int_equal(SC(chdir, "/"), 0);
	assert_int_equal(SC(close, fd), 0);
	assert_int_equal(SC(umount2, "/", 0), 0);
	assert_int_equal(inactive_calls, 1);
	assert_int_equal(SC(stat, "/", &st), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_root),
		cmocka_unit_test(test_tfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
