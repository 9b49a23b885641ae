/* SPDX-License-Identifier: BSD-3-Clause */
/* devfs: a fixed directory of character devices and of the symlinks
 * Linux's udev makes (fd, stdin, stdout, stderr into /proc/self/fd).
 * Opening a device gives a file with the device's own ops (vnode `open`
 * hook). UP: no locks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/devfs.h>
#include <uk/init.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define DEVFS_MAGIC 0x1373
enum { NUL, ZERO, FULL, RANDOM, CONSOLE };

struct dev {
	const char *name;
	uint32_t rdev; /* major << 8 | minor */
	uint32_t perm;
	int kind;
};

static const struct dev devs[] = {
	{"null", 0x103, 0666, NUL},	  {"zero", 0x105, 0666, ZERO},
	{"full", 0x107, 0666, FULL},	  {"random", 0x108, 0666, RANDOM},
	{"urandom", 0x109, 0666, RANDOM}, {"console", 0x501, 0600, CONSOLE},
};
#define NDEV (sizeof(devs) / sizeof(devs[0]))

/* where they point without procfs: nowhere (ENOENT), as on Linux */
static const struct {
	const char *name, *target;
} links[] = {
	{"fd", "/proc/self/fd"},
	{"stdin", "/proc/self/fd/0"},
	{"stdout", "/proc/self/fd/1"},
	{"stderr", "/proc/self/fd/2"},
};
#define NLINK (sizeof(links) / sizeof(links[0]))
#define NENT  (NDEV + NLINK)

static const char *ent_name(size_t i)
{
	return i < NDEV ? devs[i].name : links[i - NDEV].name;
}

static ssize_t d_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	const struct dev *d = f->priv;

	(void)off;
	if (d->kind == NUL)
		return 0;
	if (d->kind == RANDOM)
		return uk_syscall_call(getrandom, buf, len, 0);
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t d_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	const struct dev *d = f->priv;

	(void)buf, (void)off;
	return d->kind == FULL && len ? -ENOSPC : (ssize_t)len;
}

static off_t d_lseek(struct uk_file *f, off_t off, int whence)
{
	(void)off, (void)whence;
	return f->off = 0;
}

static int d_fstat(struct uk_file *f, struct uk_stat *st)
{
	const struct dev *d = f->priv;

	st->st_mode = UK_S_IFCHR | d->perm;
	st->st_rdev = d->rdev;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static const struct uk_file_ops dev_file_ops = {
	.read = d_read,
	.write = d_write,
	.lseek = d_lseek,
	.fstat = d_fstat,
};

static int dev_open(const struct dev *d, unsigned flags, struct uk_file **out)
{
	struct uk_file *con;

	if (d->kind == CONSOLE) { /* a description of its own, same ops */
		con = uk_console_file();
		*out = uk_file_create(con->ops, con->priv, flags);
		uk_file_put(con);
	} else {
		*out = uk_file_create(&dev_file_ops, (void *)d, flags);
	}
	return *out ? 0 : -ENOMEM;
}

static int d_open(struct uk_vnode *vn, unsigned flags, struct uk_file **out)
{
	return dev_open(vn->priv, flags, out);
}

int uk_devfs_open_rdev(uint64_t rdev, unsigned flags, struct uk_file **out)
{
	for (size_t i = 0; i < NDEV; i++)
		if (devs[i].rdev == rdev)
			return dev_open(&devs[i], flags, out);
	return -ENXIO;
}

const char *uk_devfs_rdev_name(uint64_t rdev)
{
	for (size_t i = 0; i < NDEV; i++)
		if (devs[i].rdev == rdev)
			return devs[i].name;
	return NULL;
}

static ssize_t d_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	const char *t = vn->priv;
	size_t n = strlen(t);

	n = n < len ? n : len;
	memcpy(buf, t, n);
	return (ssize_t)n;
}

static int d_lookup(struct uk_vnode *dir, const char *name, size_t len,
		    struct uk_vnode **out)
{
	for (size_t i = 0; i < NENT; i++) {
		if (strlen(ent_name(i)) == len &&
		    !memcmp(ent_name(i), name, len)) {
			*out = dir + 1 + i;
			uk_vnode_ref(*out);
			return 0;
		}
	}
	if (len == 2 && !memcmp(name, "..", 2)) { /* an unmounted root */
		uk_vnode_ref(*out = dir);
		return 0;
	}
	return -ENOENT;
}

static int d_readdir(struct uk_vnode *dir, uint64_t cookie,
		     uk_vfs_filldir_t fill, void *ctx)
{
	for (uint64_t c = cookie; c < NENT + 2; c++) {
		const char *name = c == 0   ? "."
				   : c == 1 ? ".."
					    : ent_name(c - 2);
		uint64_t ino = c < 2 ? dir->ino : dir[c - 1].ino;
		unsigned type = c < 2 ? 4 : c - 2 < NDEV ? 2 : 10;

		if (fill(ctx, name, strlen(name), ino, type, c + 1))
			return 1;
	}
	return 0;
}

static const struct uk_vnode_ops dir_ops = {
	.lookup = d_lookup,
	.readdir = d_readdir,
};

static const struct uk_vnode_ops dev_ops = {
	.open = d_open,
};

static const struct uk_vnode_ops link_ops = {
	.readlink = d_readlink,
};

static int d_mount(struct uk_mount *m, const char *data)
{
	struct uk_vnode *v = calloc(NENT + 1, sizeof(*v));
	struct uk_vfs_time now = uk_vfs_now();

	(void)data;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i <= NENT; i++) {
		v[i].mnt = m;
		v[i].ino = i + 1;
		v[i].nlink = 1;
		v[i].atime = v[i].mtime = v[i].ctime = now;
		if (i > NDEV) {
			v[i].ops = &link_ops;
			v[i].priv = (void *)links[i - 1 - NDEV].target;
			v[i].mode = UK_S_IFLNK | 0777;
			v[i].size = (off_t)strlen(links[i - 1 - NDEV].target);
		} else if (i) {
			v[i].ops = &dev_ops;
			v[i].priv = (void *)&devs[i - 1];
			v[i].mode = UK_S_IFCHR | devs[i - 1].perm;
			v[i].rdev = devs[i - 1].rdev;
		}
	}
	v->ops = &dir_ops;
	v->mode = UK_S_IFDIR | 0755;
	v->nlink = 2;
	m->root = v;
	uk_vnode_ref(v);
	return 0;
}

static void d_unmount(struct uk_mount *m)
{
	free(m->root);
}

static struct uk_fstype devfs = {
	.name = "devfs",
	.magic = DEVFS_MAGIC,
	.mount = d_mount,
	.unmount = d_unmount,
};

int uk_devfs_init(void)
{
	int r = uk_vfs_register(&devfs);

	return r == -EEXIST ? 0 : r;
}
UK_INIT_CLASS(uk_devfs_init, UK_INIT_LIB, 5);
