/* SPDX-License-Identifier: BSD-3-Clause */
/* vfscore core: filesystem types, mounts, vnode references, path lookup,
 * the cwd and the file ops of files opened through vfscore.
 * UP, cooperative: nothing here yields between a check and its use. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/syscall.h>
#include <uk/vfs.h>
#include "vfs_impl.h"

static struct uk_fstype *types;
static struct uk_mount *mounts, *root_mnt;
static struct uk_vnode *cwd; /* referenced; NULL: the root */
static uint64_t next_dev = 1;

int uk_vfs_register(struct uk_fstype *t)
{
	for (struct uk_fstype *i = types; i; i = i->next)
		if (i == t || !strcmp(i->name, t->name))
			return -EEXIST;
	t->next = types;
	types = t;
	return 0;
}

void uk_vnode_ref(struct uk_vnode *vn)
{
	if (vn->refs++ == 0)
		vn->mnt->active++;
}

void uk_vnode_put(struct uk_vnode *vn)
{
	if (--vn->refs)
		return;
	vn->mnt->active--;
	if (vn->ops->inactive)
		vn->ops->inactive(vn);
}

struct uk_vfs_time uk_vfs_now(void)
{
	struct uk_vfs_time t = {0, 0};

	if (uk_syscall_call(clock_gettime, 0 /* CLOCK_REALTIME */, &t) < 0)
		t.sec = t.nsec = 0;
	return t;
}

struct uk_vnode *vfs_root(void)
{
	return root_mnt ? root_mnt->root : NULL;
}

int vfs_is_dot(const char *name, size_t len)
{
	return name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'));
}

int vfs_check_path(const char *path)
{
	size_t n;

	if (!path)
		return -EFAULT;
	n = strnlen(path, UK_VFS_PATH_MAX);
	if (n == UK_VFS_PATH_MAX)
		return -ENAMETOOLONG;
	return n ? 0 : -ENOENT;
}

/* One step from directory `dir` (borrowed), crossing mount points. */
int vfs_step(struct uk_vnode *dir, const char *name, size_t len,
	     struct uk_vnode **out)
{
	struct uk_vnode *n, *root = vfs_root();
	int r;

	if (len == 1 && name[0] == '.') {
		uk_vnode_ref(dir);
		*out = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		while (dir != root && dir == dir->mnt->root &&
		       dir->mnt->covered)
			dir = dir->mnt->covered;
		if (dir == root) {
			uk_vnode_ref(dir);
			*out = dir;
			return 0;
		}
	}
	if (!dir->ops->lookup)
		return -ENOENT;
	r = dir->ops->lookup(dir, name, len, &n);
	if (r)
		return r;
	while (n->mounted) {
		struct uk_vnode *m = n->mounted->root;

		uk_vnode_ref(m);
		uk_vnode_put(n);
		n = m;
	}
	*out = n;
	return 0;
}

int vfs_follow(struct uk_vnode *dir, struct uk_vnode *link, int *links,
	       struct uk_vnode **out)
{
	char *buf;
	ssize_t n;
	int r;

	if (++*links > UK_VFS_MAXLINKS)
		return -ELOOP;
	if (link->ops->follow)
		return link->ops->follow(link, out);
	if (!link->ops->readlink)
		return -EINVAL;
	buf = malloc(UK_VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	n = link->ops->readlink(link, buf, UK_VFS_PATH_MAX);
	if (n <= 0)
		r = n ? (int)n : -ENOENT;
	else
		r = vfs_walk(dir, buf, (size_t)n, 1, links, out);
	free(buf);
	return r;
}

int vfs_walk(struct uk_vnode *start, const char *p, size_t plen, int follow,
	     int *links, struct uk_vnode **out)
{
	const char *end = p + plen;
	struct uk_vnode *cur, *n;
	int r = 0;

	if (!vfs_root())
		return -ENOENT;
	cur = (plen && *p == '/') ? vfs_root() : start;
	uk_vnode_ref(cur);
	for (;;) {
		const char *c, *q;
		size_t len;
		int last, slash;

		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		c = p;
		while (p < end && *p != '/')
			p++;
		len = (size_t)(p - c);
		for (q = p; q < end && *q == '/';)
			q++;
		last = q == end;
		slash = p != end;
		if (len > UK_VFS_NAME_MAX)
			r = -ENAMETOOLONG;
		else if (!UK_S_ISTYPE(cur->mode, UK_S_IFDIR))
			r = -ENOTDIR;
		else
			r = vfs_step(cur, c, len, &n);
		if (r)
			break;
		if (UK_S_ISTYPE(n->mode, UK_S_IFLNK) &&
		    (!last || follow || slash)) {
			struct uk_vnode *t;

			r = vfs_follow(cur, n, links, &t);
			uk_vnode_put(n);
			if (r)
				break;
			n = t;
		}
		uk_vnode_put(cur);
		cur = n;
		if (last && slash && !UK_S_ISTYPE(cur->mode, UK_S_IFDIR)) {
			r = -ENOTDIR;
			break;
		}
	}
	if (r) {
		uk_vnode_put(cur);
		return r;
	}
	*out = cur;
	return 0;
}

int vfs_walk_parent(struct uk_vnode *start, const char *path, struct vfs_nd *nd)
{
	size_t plen = strlen(path), e = plen, s;
	int links = 0, r;

	while (e > 0 && path[e - 1] == '/')
		e--;
	nd->slash = e < plen;
	if (e == 0) { /* "/": the root as "." */
		nd->name = ".";
		nd->len = 1;
		return vfs_walk(start, path, plen, 1, &links, &nd->dir);
	}
	for (s = e; s > 0 && path[s - 1] != '/';)
		s--;
	nd->name = path + s;
	nd->len = e - s;
	if (nd->len > UK_VFS_NAME_MAX)
		return -ENAMETOOLONG;
	r = vfs_walk(start, path, s, 1, &links, &nd->dir);
	if (!r && !UK_S_ISTYPE(nd->dir->mode, UK_S_IFDIR)) {
		uk_vnode_put(nd->dir);
		r = -ENOTDIR;
	}
	return r;
}

/* ---- files opened through vfscore ---- */

static ssize_t vf_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	struct uk_vnode *vn = f->priv;
	ssize_t r;

	if (UK_S_ISTYPE(vn->mode, UK_S_IFDIR))
		return -EISDIR;
	if (!vn->ops->read)
		return -EINVAL;
	r = vn->ops->read(vn, buf, len, *off);
	if (r > 0)
		*off += r;
	return r;
}

static ssize_t vf_write(struct uk_file *f, const void *buf, size_t len,
			off_t *off)
{
	struct uk_vnode *vn = f->priv;
	off_t o = (f->flags & UK_O_APPEND) ? vn->size : *off;
	ssize_t r;

	if (!vn->ops->write)
		return -EINVAL;
	r = vn->ops->write(vn, buf, len, o);
	if (r >= 0)
		*off = o + r;
	return r;
}

static off_t vf_lseek(struct uk_file *f, off_t off, int whence)
{
	return uk_file_lseek_size(f, off, whence,
				  ((struct uk_vnode *)f->priv)->size);
}

void vfs_fill_stat(struct uk_vnode *vn, struct uk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = vn->mnt->dev;
	st->st_ino = vn->ino;
	st->st_nlink = vn->nlink;
	st->st_mode = vn->mode;
	st->st_uid = vn->uid;
	st->st_gid = vn->gid;
	st->st_rdev = vn->rdev;
	st->st_size = vn->size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)vn->blocks;
	st->st_atim_sec = vn->atime.sec, st->st_atim_nsec = vn->atime.nsec;
	st->st_mtim_sec = vn->mtime.sec, st->st_mtim_nsec = vn->mtime.nsec;
	st->st_ctim_sec = vn->ctime.sec, st->st_ctim_nsec = vn->ctime.nsec;
	if (vn->ops->getattr)
		vn->ops->getattr(vn, st);
}

static int vf_fstat(struct uk_file *f, struct uk_stat *st)
{
	vfs_fill_stat(f->priv, st);
	return 0;
}

static int vf_ftruncate(struct uk_file *f, off_t len)
{
	struct uk_vnode *vn = f->priv;

	if (!UK_S_ISTYPE(vn->mode, UK_S_IFREG))
		return -EINVAL;
	return vn->ops->truncate ? vn->ops->truncate(vn, len) : -EINVAL;
}

struct fill_ctx {
	char *buf;
	size_t len, pos;
	off_t *off;
};

static int fill(void *ctx, const char *name, size_t len, uint64_t ino,
		unsigned type, uint64_t next)
{
	struct fill_ctx *c = ctx;
	size_t rl = (offsetof(struct uk_dirent64, d_name) + len + 1 + 7) & ~7UL;
	struct uk_dirent64 *d = (struct uk_dirent64 *)(c->buf + c->pos);

	if (rl > c->len - c->pos)
		return 1;
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)rl;
	d->d_type = (uint8_t)type;
	memcpy(d->d_name, name, len);
	memset(d->d_name + len, 0,
	       rl - offsetof(struct uk_dirent64, d_name) - len);
	c->pos += rl;
	*c->off = (off_t)next;
	return 0;
}

static ssize_t vf_getdents(struct uk_file *f, void *buf, size_t len)
{
	struct uk_vnode *vn = f->priv;
	struct fill_ctx c = {buf, len, 0, &f->off};
	int r;

	if (!UK_S_ISTYPE(vn->mode, UK_S_IFDIR) || !vn->ops->readdir)
		return -ENOTDIR;
	r = vn->ops->readdir(vn, (uint64_t)f->off, fill, &c);
	if (r < 0)
		return r;
	if (r > 0 && c.pos == 0)
		return -EINVAL; /* not even one entry fits */
	return (ssize_t)c.pos;
}

static void vf_release(struct uk_file *f)
{
	uk_vnode_put(f->priv);
}

static int vf_fsync(struct uk_file *f)
{
	struct uk_vnode *vn = f->priv;

	return vn->ops->fsync ? vn->ops->fsync(vn, 0) : 0;
}

static const struct uk_file_ops vfs_file_ops = {
	.read = vf_read,
	.write = vf_write,
	.lseek = vf_lseek,
	.fstat = vf_fstat,
	.ftruncate = vf_ftruncate,
	.getdents = vf_getdents,
	.release = vf_release,
	.fsync = vf_fsync,
};

struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f)
{
	return f->ops == &vfs_file_ops ? f->priv : NULL;
}

struct uk_file *vfs_file_create(struct uk_vnode *vn, unsigned flags)
{
	return uk_file_create(&vfs_file_ops, vn, flags);
}

/* ---- start directories and the cwd ---- */

struct uk_vnode *vfs_cwd(void)
{
	return cwd ? cwd : vfs_root();
}

void vfs_set_cwd(struct uk_vnode *vn)
{
	if (cwd)
		uk_vnode_put(cwd);
	cwd = vn;
}

int vfs_fd_vnode(int fd, struct uk_vnode **out)
{
	struct uk_file *f;
	struct uk_vnode *vn;

	if (fd == VFS_AT_FDCWD) {
		if (!vfs_cwd())
			return -ENOENT;
		uk_vnode_ref(*out = vfs_cwd());
		return 0;
	}
	f = uk_fdtab_get(fd);
	if (!f)
		return -EBADF;
	vn = uk_vfs_file_vnode(f);
	if (vn)
		uk_vnode_ref(vn);
	uk_file_put(f);
	if (!vn)
		return -ENOTDIR;
	*out = vn;
	return 0;
}

int vfs_start(int dirfd, const char *path, struct uk_vnode **out)
{
	int r = vfs_check_path(path);

	if (r)
		return r;
	if (path[0] == '/') {
		if (!vfs_root())
			return -ENOENT;
		uk_vnode_ref(*out = vfs_root());
		return 0;
	}
	r = vfs_fd_vnode(dirfd, out);
	if (!r && !UK_S_ISTYPE((*out)->mode, UK_S_IFDIR)) {
		uk_vnode_put(*out);
		r = -ENOTDIR;
	}
	return r;
}

int vfs_resolve(int dirfd, const char *path, int follow, struct uk_vnode **out)
{
	struct uk_vnode *start;
	int links = 0, r = vfs_start(dirfd, path, &start);

	if (r)
		return r;
	r = vfs_walk(start, path, strlen(path), follow, &links, out);
	uk_vnode_put(start);
	return r;
}

int vfs_resolve_parent(int dirfd, const char *path, struct vfs_nd *nd)
{
	struct uk_vnode *start;
	int r = vfs_start(dirfd, path, &start);

	if (r)
		return r;
	r = vfs_walk_parent(start, path, nd);
	uk_vnode_put(start);
	return r;
}

/* ---- mounts ---- */

UK_SYSCALL_R_DEFINE(int, mount, const char *, src, const char *, target,
		    const char *, fstype, unsigned long, flags, const void *,
		    data)
{
	struct uk_fstype *t = vfs_find_type(fstype);
	struct uk_vnode *vn = NULL;
	struct uk_mount *m;
	char *source = NULL;
	int r;

	if (!fstype)
		return -EFAULT;
	if (!t)
		return -ENODEV;
	r = vfs_check_path(target);
	if (r)
		return r;
	if (root_mnt) {
		r = vfs_resolve(VFS_AT_FDCWD, target, 1, &vn);
		if (r)
			return r;
		r = !UK_S_ISTYPE(vn->mode, UK_S_IFDIR)	   ? -ENOTDIR
		    : (vn->mounted || vn == vn->mnt->root) ? -EBUSY
							   : 0;
	} else if (strcmp(target, "/")) {
		r = -ENOENT;
	}
	m = r ? NULL : calloc(1, sizeof(*m));
	if (!r && !m)
		r = -ENOMEM;
	if (!r && src && !(source = strdup(src)))
		r = -ENOMEM;
	if (!r) {
		m->type = t;
		m->dev = next_dev++;
		m->source = source;
		m->flags = flags & UK_MS_RDONLY;
		r = t->mount(m, data);
	}
	if (r) {
		free(source);
		free(m);
		if (vn)
			uk_vnode_put(vn);
		return r;
	}
	m->covered = vn;
	if (vn)
		vn->mounted = m;
	else
		root_mnt = m;
	m->next = mounts;
	mounts = m;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, umount2, const char *, target, int, flags)
{
	struct uk_vnode *vn;
	struct uk_mount *m, **pp;
	int r;

	if (flags & ~0xf)
		return -EINVAL;
	r = vfs_resolve(VFS_AT_FDCWD, target, !(flags & 8), &vn);
	if (r)
		return r;
	m = vn->mnt;
	uk_vnode_put(vn);
	if (vn != m->root)
		return -EINVAL;
	if (m->active > 1) /* more than the root (a cwd there is fine) */
		return -EBUSY;
	if (cwd == m->root)
		vfs_set_cwd(NULL);
	for (pp = &mounts; *pp != m;)
		pp = &(*pp)->next;
	*pp = m->next;
	if (m->covered) {
		m->covered->mounted = NULL;
		uk_vnode_put(m->covered);
	} else {
		root_mnt = NULL;
	}
	uk_vnode_put(m->root);
	m->type->unmount(m);
	free((char *)m->source);
	free(m);
	return 0;
}

struct uk_fstype *vfs_find_type(const char *name)
{
	struct uk_fstype *t = types;

	while (t && name && strcmp(t->name, name))
		t = t->next;
	return name ? t : NULL;
}

struct uk_fstype *vfs_types(void)
{
	return types;
}

UK_SYSCALL_R_DEFINE(int, sync)
{
	/* Linux's sync cannot fail; errors show on the console */
	for (struct uk_mount *m = mounts; m; m = m->next)
		if (m->type->sync)
			m->type->sync(m);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, syncfs, int, fd)
{
	struct uk_vnode *vn;
	int r = vfs_fd_vnode(fd, &vn);

	if (r == -ENOTDIR)
		return 0; /* a device file of its own: nothing to write */
	if (r)
		return r;
	r = vn->mnt->type->sync ? vn->mnt->type->sync(vn->mnt) : 0;
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, statfs, const char *, path, struct uk_statfs *, st)
{
	struct uk_vnode *vn;
	int r = vfs_resolve(VFS_AT_FDCWD, path, 1, &vn);

	if (r)
		return r;
	r = vfs_statfs(vn, st);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, fstatfs, int, fd, struct uk_statfs *, st)
{
	struct uk_vnode *vn;
	int r = vfs_fd_vnode(fd, &vn);

	if (r == -ENOTDIR)
		r = -ENOSYS; /* a device file of its own */
	if (r)
		return r;
	r = vfs_statfs(vn, st);
	uk_vnode_put(vn);
	return r;
}

int vfs_statfs(struct uk_vnode *vn, struct uk_statfs *st)
{
	struct uk_mount *m = vn->mnt;

	if (!st)
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	st->f_type = m->type->magic;
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = UK_VFS_NAME_MAX;
	st->f_fsid[0] = (int32_t)m->dev;
	return m->type->statfs ? m->type->statfs(m, st) : 0;
}

int uk_vfs_init(void)
{
	struct uk_vnode *vn;
	int r = 0, ramroot = 0;

	if (root_mnt)
		return 0;
	/* a vfs.mount= parameter for "/" wins over the memory root */
	r = vfs_mount_root_param();
	if (r < 0)
		return r; /* explained there */
	if (!r && vfs_find_type("ramfs")) {
		r = uk_syscall_call(mount, "none", "/", "ramfs", 0, 0);
		if (r)
			goto fail;
		ramroot = 1;
	}
	if (root_mnt && vfs_find_type("devfs")) {
		/* on a disk or share root, /dev is created only if missing
		 * (and not at all on a read-only one) */
		r = vfs_resolve(VFS_AT_FDCWD, "/dev", 1, &vn);
		if (!r)
			uk_vnode_put(vn);
		else
			r = uk_syscall_call(mkdir, "/dev", 0755);
		if (r && r != -EEXIST) {
			if (ramroot)
				goto fail;
			uk_pr_warn("vfs: no /dev on the root filesystem and "
				   "it cannot be created (%d): devfs not "
				   "mounted",
				   r);
			return 0;
		}
		r = uk_syscall_call(mount, "none", "/dev", "devfs", 0, 0);
		if (r)
			goto fail;
	}
	return 0;
fail:
	uk_pr_err("vfs: mounting the root filesystem failed: %d\n", r);
	return r;
}
UK_INIT_CLASS(uk_vfs_init, UK_INIT_ROOTFS, 1);
