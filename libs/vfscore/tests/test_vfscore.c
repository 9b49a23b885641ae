/* Native tests of vfscore alone: registry, mounts, lookup and argument
 * checks over a tiny in-test filesystem (an empty root directory). The
 * filesystem behaviour proper is tested in ramfs and devfs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

static char last_source[64], last_data[64];
static unsigned long last_flags;
static int syncs, fsyncs;

static int t_fsync(struct uk_vnode *vn, int datasync)
{
	(void)vn;
	fsyncs += datasync ? 100 : 1;
	return 0;
}

static int t_sync(struct uk_mount *m)
{
	(void)m;
	syncs++;
	return 0;
}

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
	.fsync = t_fsync,
};

static int t_mount(struct uk_mount *m, const char *data)
{
	struct uk_vnode *v;

	snprintf(last_source, sizeof(last_source), "%s",
		 m->source ? m->source : "(null)");
	snprintf(last_data, sizeof(last_data), "%s", data ? data : "(null)");
	last_flags = m->flags;
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
	.name = "tfs", .mount = t_mount, .unmount = t_unmount, .sync = t_sync};

/* the library parameters the tests give (ukboot's lookup) */
static const char *params[8];
const char *uk_boot_param_nth(const char *name, unsigned nth)
{
	if (strcmp(name, "vfs.mount") || nth >= 8)
		return NULL;
	return params[nth];
}

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

/* mount(2) hands source and flags on; fsync, sync and syncfs reach the
 * filesystem; vfs.mount= parameters: the root, errors named. */
static void test_mount_params(void **state)
{
	int fd;

	(void)state;
	plat_out_reset();
	/* malformed, unknown type, relative target: nothing mounted */
	params[0] = "tfs:only-two";
	assert_int_equal(uk_vfs_init(), -EINVAL);
	assert_non_null(plat_out_find("vfs.mount=tfs:only-two: expected "
				      "TYPE:SOURCE:TARGET[:OPTIONS]"));
	params[0] = "nofs:dev:/";
	assert_int_equal(uk_vfs_init(), -ENODEV);
	assert_non_null(plat_out_find("unknown filesystem type 'nofs' (this "
				      "image has: tfs)"));
	params[0] = "tfs:dev:rel";
	assert_int_equal(uk_vfs_init(), -EINVAL);
	assert_non_null(plat_out_find("target 'rel' is not an absolute path"));
	params[0] = "tfs:a:/";
	params[1] = "tfs:b:/";
	assert_int_equal(uk_vfs_init(), -EINVAL);
	assert_non_null(plat_out_find("two root filesystems"));
	/* the filesystem's own failure is passed on, named */
	params[0] = "tfs:disk9:/:fail";
	params[1] = NULL;
	assert_int_equal(uk_vfs_init(), -EIO);
	assert_non_null(plat_out_find("mounting tfs 'disk9' at / failed: EIO"));
	/* the root from a parameter, options and ro reach the filesystem */
	params[0] = "tfs:disk0:/:a=1,ro";
	assert_int_equal(uk_vfs_init(), 0);
	assert_string_equal(last_source, "disk0");
	assert_string_equal(last_data, "a=1,ro");
	assert_int_equal(last_flags, UK_MS_RDONLY);
	/* a second mount needs its mount point: tfs cannot mkdir */
	params[1] = "tfs:disk1:/mnt/x";
	assert_int_equal(uk_vfs_mount_params(), -EPERM);
	assert_non_null(plat_out_find("cannot create the mount point /mnt/x"));
	params[1] = NULL;
	assert_int_equal(uk_vfs_mount_params(), 0); /* the root is skipped */
	/* fsync/fdatasync/sync/syncfs */
	fd = (int)SC(open, "/", O_RDONLY);
	assert_true(fd >= 0);
	fsyncs = syncs = 0;
	assert_int_equal(SC(fsync, fd), 0);
	assert_int_equal(fsyncs, 1);
	assert_int_equal(uk_syscall_call(sync), 0);
	assert_int_equal(SC(syncfs, fd), 0);
	assert_int_equal(syncs, 2);
	assert_int_equal(SC(syncfs, 999), -EBADF);
	assert_int_equal(SC(close, fd), 0);
	/* mount(2) itself: source copied, NULL allowed */
	assert_int_equal(SC(umount2, "/", 0), 0);
	assert_int_equal(SC(mount, NULL, "/", "tfs", 0, 0), 0);
	assert_string_equal(last_source, "(null)");
	assert_int_equal(last_flags, 0);
	assert_int_equal(SC(umount2, "/", 0), 0);
	params[0] = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_root),
		cmocka_unit_test(test_tfs),
		cmocka_unit_test(test_mount_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
