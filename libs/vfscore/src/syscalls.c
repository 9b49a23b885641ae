/* SPDX-License-Identifier: BSD-3-Clause */
/* The path system calls of vfscore (Linux x86_64 semantics). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include <uk/vfs.h>
#include "vfs_impl.h"

/*
 * Optional libraries, weak (NULL when the image does not link them; their
 * headers are not included because devfs sits above vfscore): FIFOs open
 * through posixpipe (<uk/pipe.h>), device nodes made by mknod through
 * devfs (<uk/devfs.h>).
 */
int uk_pipe_fifo_open(void **slot, unsigned flags, void (*put)(void *arg),
		      void *arg, struct uk_file **out) __attribute__((weak));
int uk_devfs_open_rdev(uint64_t rdev, unsigned flags, struct uk_file **out)
	__attribute__((weak));

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR	    0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT	    0x800
#define AT_EMPTY_PATH	    0x1000
#define RENAME_NOREPLACE    1
#define UTIME_NOW	    ((1L << 30) - 1)
#define UTIME_OMIT	    ((1L << 30) - 2)
#define ISDIR(vn)	    UK_S_ISTYPE((vn)->mode, UK_S_IFDIR)
#define ISLNK(vn)	    UK_S_ISTYPE((vn)->mode, UK_S_IFLNK)
#define ISREG(vn)	    UK_S_ISTYPE((vn)->mode, UK_S_IFREG)
#define O_TMPFILE_	    (020000000 | UK_O_DIRECTORY)

static unsigned cur_umask = 022;

/* The vnode open() opens, referenced (O_CREAT creates it). */
static int open_vn(struct uk_vnode *start, const char *path, unsigned flags,
		   unsigned mode, int *links, struct uk_vnode **out)
{
	struct vfs_nd nd;
	struct uk_vnode *vn;
	int r;

	if (!(flags & UK_O_CREAT))
		return vfs_walk(start, path, strlen(path),
				!(flags & UK_O_NOFOLLOW), links, out);
	r = vfs_walk_parent(start, path, &nd);
	if (r)
		return r;
	r = nd.slash ? -EISDIR : vfs_step(nd.dir, nd.name, nd.len, &vn);
	if (r == -ENOENT) {
		r = nd.dir->ops->create
			    ? nd.dir->ops->create(
				      nd.dir, nd.name, nd.len,
				      UK_S_IFREG | (mode & 07777 & ~cur_umask),
				      &vn)
			    : -EPERM;
	} else if (!r && (flags & UK_O_EXCL)) {
		uk_vnode_put(vn);
		r = -EEXIST;
	} else if (!r && ISLNK(vn) && !(flags & UK_O_NOFOLLOW)) {
		struct uk_vnode *link = vn;
		int magic = link->ops->follow != NULL;
		char *buf = magic ? NULL : malloc(UK_VFS_PATH_MAX);
		ssize_t n = -ENOMEM;

		if (++*links > UK_VFS_MAXLINKS)
			n = -ELOOP;
		else if (magic) /* resolves by itself */
			n = link->ops->follow(link, &vn);
		else if (buf)
			n = link->ops->readlink(link, buf, UK_VFS_PATH_MAX - 1);
		uk_vnode_put(link);
		if (n == 0 && magic) {
			r = ISDIR(vn) ? -EISDIR : 0;
			if (r)
				uk_vnode_put(vn);
		} else if (n > 0) {
			buf[n] = 0;
			r = open_vn(nd.dir, buf, flags, mode, links, &vn);
		} else {
			r = n ? (int)n : -ENOENT;
		}
		free(buf);
	} else if (!r && ISDIR(vn)) {
		uk_vnode_put(vn);
		r = -EISDIR;
	}
	uk_vnode_put(nd.dir);
	if (!r)
		*out = vn;
	return r;
}

/* FIFOs, sockets and device nodes of a filesystem that has no open hook
 * for them (ramfs: made by mknod). */
static int special(struct uk_vnode *vn)
{
	uint32_t t = vn->mode & UK_S_IFMT;

	return t == UK_S_IFIFO || t == UK_S_IFSOCK || t == UK_S_IFCHR ||
	       t == UK_S_IFBLK;
}

static void put_vn(void *vn)
{
	uk_vnode_put(vn);
}

/* Open special vnode `vn` (referenced: the reference is taken over). */
static int open_special(struct uk_vnode *vn, unsigned fl, struct uk_file **out)
{
	uint32_t t = vn->mode & UK_S_IFMT;
	int r = -ENXIO; /* a socket, or no library for it in the image */

	if (t == UK_S_IFIFO && uk_pipe_fifo_open) {
		r = uk_pipe_fifo_open(&vn->fifo, fl, put_vn, vn, out);
		if (!r)
			return 0; /* the FIFO end keeps the reference */
	} else if (t == UK_S_IFCHR && uk_devfs_open_rdev) {
		r = uk_devfs_open_rdev(vn->rdev, fl, out);
	}
	uk_vnode_put(vn);
	return r;
}

/* O_TMPFILE: an unnamed regular file in directory `path` (made under a
 * hidden name and unlinked at once; linkat(AT_EMPTY_PATH) names it). */
static int tmpfile_vn(struct uk_vnode *start, const char *path, unsigned fl,
		      unsigned mode, struct uk_vnode **out)
{
	static unsigned long seq;
	struct uk_vnode *dir;
	int links = 0, r;
	char name[40];

	if ((fl & UK_O_ACCMODE) == UK_O_RDONLY)
		return -EINVAL;
	r = vfs_walk(start, path, strlen(path), 1, &links, &dir);
	if (r)
		return r;
	r = ISDIR(dir) ? -EEXIST : -ENOTDIR;
	if (ISDIR(dir) && (!dir->ops->create || !dir->ops->unlink))
		r = -EOPNOTSUPP;
	for (int i = 0; i < 100 && r == -EEXIST; i++) { /* bounded retries */
		int n = 0;
		unsigned long v = ++seq;

		memcpy(name, ".tmpfile-", 9);
		n = 9;
		do
			name[n++] = (char)('0' + v % 10);
		while ((v /= 10) && n < 30);
		r = dir->ops->create(dir, name, (size_t)n,
				     UK_S_IFREG | (mode & 07777 & ~cur_umask),
				     out);
		if (!r)
			dir->ops->unlink(dir, name, (size_t)n);
	}
	uk_vnode_put(dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, openat, int, dirfd, const char *, path, int, flags,
		    unsigned, mode)
{
	unsigned fl = (unsigned)flags, acc = fl & UK_O_ACCMODE;
	struct uk_vnode *start, *vn;
	struct uk_file *f;
	int links = 0, r, fd;

	if (acc == 3 && !(fl & UK_O_PATH))
		return -EINVAL;
	r = vfs_start(dirfd, path, &start);
	if (r)
		return r;
	if ((fl & O_TMPFILE_) == O_TMPFILE_) {
		r = tmpfile_vn(start, path, fl, mode, &vn);
		fl &= ~O_TMPFILE_; /* a regular file from here on */
	} else
		r = open_vn(start, path, fl, mode, &links, &vn);
	uk_vnode_put(start);
	if (r)
		return r;
	if (ISLNK(vn) && !(fl & UK_O_PATH))
		r = -ELOOP; /* O_NOFOLLOW */
	else if ((fl & UK_O_DIRECTORY) && !ISDIR(vn))
		r = -ENOTDIR;
	else if (ISDIR(vn) && acc != UK_O_RDONLY && !(fl & UK_O_PATH))
		r = -EISDIR;
	else if ((fl & UK_O_TRUNC) && ISREG(vn) && !(fl & UK_O_PATH) &&
		 vn->size)
		r = vn->ops->truncate ? vn->ops->truncate(vn, 0) : -EINVAL;
	if (r) {
		uk_vnode_put(vn);
		return r;
	}
	if (vn->ops->open && !(fl & UK_O_PATH)) {
		r = vn->ops->open(vn, fl, &f);
		uk_vnode_put(vn);
		if (r)
			return r;
	} else if (!(fl & UK_O_PATH) && special(vn)) {
		r = open_special(vn, fl, &f); /* takes over the reference */
		if (r)
			return r;
	} else {
		f = vfs_file_create(vn, fl);
		if (!f) {
			uk_vnode_put(vn);
			return -ENOMEM;
		}
	}
	fd = uk_fdtab_alloc(f, fl & UK_O_CLOEXEC);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

UK_SYSCALL_R_DEFINE(int, open, const char *, path, int, flags, unsigned, mode)
{
	return uk_syscall_call(openat, VFS_AT_FDCWD, path, flags, mode);
}

UK_SYSCALL_R_DEFINE(int, creat, const char *, path, unsigned, mode)
{
	return uk_syscall_call(openat, VFS_AT_FDCWD, path,
			       UK_O_CREAT | UK_O_WRONLY | UK_O_TRUNC, mode);
}

/* The vnode a *at call with AT_EMPTY_PATH/AT_SYMLINK_NOFOLLOW names. */
static int at_vnode(int dirfd, const char *path, int flags, int allowed,
		    struct uk_vnode **out)
{
	if (flags & ~allowed)
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && path && !path[0])
		return vfs_fd_vnode(dirfd, out);
	return vfs_resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), out);
}

UK_SYSCALL_R_DEFINE(int, newfstatat, int, dirfd, const char *, path,
		    struct uk_stat *, st, int, flags)
{
	struct uk_vnode *vn;
	int r;

	if ((flags & AT_EMPTY_PATH) && path && !path[0] &&
	    dirfd != VFS_AT_FDCWD)
		return uk_syscall_call(fstat, dirfd, st);
	r = at_vnode(dirfd, path, flags,
		     AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT,
		     &vn);
	if (r)
		return r;
	if (st)
		vfs_fill_stat(vn, st);
	uk_vnode_put(vn);
	return st ? 0 : -EFAULT;
}

UK_SYSCALL_R_DEFINE(int, stat, const char *, path, struct uk_stat *, st)
{
	return uk_syscall_call(newfstatat, VFS_AT_FDCWD, path, st, 0);
}

UK_SYSCALL_R_DEFINE(int, lstat, const char *, path, struct uk_stat *, st)
{
	return uk_syscall_call(newfstatat, VFS_AT_FDCWD, path, st,
			       AT_SYMLINK_NOFOLLOW);
}

UK_SYSCALL_R_DEFINE(int, faccessat, int, dirfd, const char *, path, int, mode)
{
	struct uk_vnode *vn;
	int r;

	if (mode & ~7)
		return -EINVAL;
	r = vfs_resolve(dirfd, path, 1, &vn);
	if (r)
		return r;
	/* root: everything but executing what no one may execute */
	if ((mode & 1) && !ISDIR(vn) && !(vn->mode & 0111))
		r = -EACCES;
	uk_vnode_put(vn);
	return r;
}

#define AT_EACCESS 0x200

/* faccessat with flags: AT_EACCESS (one user: the same answer),
 * AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH */
UK_SYSCALL_R_DEFINE(int, faccessat2, int, dirfd, const char *, path, int, mode,
		    int, flags)
{
	struct uk_vnode *vn;
	int r;

	if (mode & ~7)
		return -EINVAL;
	r = at_vnode(dirfd, path, flags & ~AT_EACCESS,
		     AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &vn);
	if (r)
		return r;
	if ((mode & 1) && !ISDIR(vn) && !(vn->mode & 0111))
		r = -EACCES;
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, access, const char *, path, int, mode)
{
	return uk_syscall_call(faccessat, VFS_AT_FDCWD, path, mode);
}

UK_SYSCALL_R_DEFINE(int, mkdirat, int, dirfd, const char *, path, unsigned,
		    mode)
{
	struct vfs_nd nd;
	int r = vfs_resolve_parent(dirfd, path, &nd);

	if (r)
		return r;
	if (vfs_is_dot(nd.name, nd.len))
		r = -EEXIST;
	else if (!nd.dir->ops->mkdir)
		r = -EPERM;
	else
		r = nd.dir->ops->mkdir(nd.dir, nd.name, nd.len,
				       UK_S_IFDIR |
					       (mode & 07777 & ~cur_umask));
	uk_vnode_put(nd.dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, mkdir, const char *, path, unsigned, mode)
{
	return uk_syscall_call(mkdirat, VFS_AT_FDCWD, path, mode);
}

/* -EBUSY if `name` in `dir` is a mount point, else 0 (or no such name). */
static int busy(struct uk_vnode *dir, const char *name, size_t len)
{
	struct uk_vnode *vn;
	int r = 0;

	if (dir->ops->lookup && !dir->ops->lookup(dir, name, len, &vn)) {
		r = vn->mounted ? -EBUSY : 0;
		uk_vnode_put(vn);
	}
	return r;
}

UK_SYSCALL_R_DEFINE(int, unlinkat, int, dirfd, const char *, path, int, flags)
{
	struct vfs_nd nd;
	struct uk_vnode *vn;
	int r, rmdir = flags & AT_REMOVEDIR;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	r = vfs_resolve_parent(dirfd, path, &nd);
	if (r)
		return r;
	if (vfs_is_dot(nd.name, nd.len)) {
		r = !rmdir ? -EISDIR : nd.len == 1 ? -EINVAL : -ENOTEMPTY;
	} else if (!rmdir && nd.slash) { /* "name/": -EISDIR or -ENOTDIR */
		r = vfs_step(nd.dir, nd.name, nd.len, &vn);
		if (!r) {
			r = ISDIR(vn) ? -EISDIR : -ENOTDIR;
			uk_vnode_put(vn);
		}
	} else if (!(r = busy(nd.dir, nd.name, nd.len))) {
		if (rmdir)
			r = nd.dir->ops->rmdir
				    ? nd.dir->ops->rmdir(nd.dir, nd.name,
							 nd.len)
				    : -EPERM;
		else
			r = nd.dir->ops->unlink
				    ? nd.dir->ops->unlink(nd.dir, nd.name,
							  nd.len)
				    : -EPERM;
	}
	uk_vnode_put(nd.dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, unlink, const char *, path)
{
	return uk_syscall_call(unlinkat, VFS_AT_FDCWD, path, 0);
}

UK_SYSCALL_R_DEFINE(int, rmdir, const char *, path)
{
	return uk_syscall_call(unlinkat, VFS_AT_FDCWD, path, AT_REMOVEDIR);
}

UK_SYSCALL_R_DEFINE(int, renameat2, int, odirfd, const char *, opath, int,
		    ndirfd, const char *, npath, unsigned, flags)
{
	struct vfs_nd o, n;
	struct uk_vnode *vn;
	int r;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	r = vfs_resolve_parent(odirfd, opath, &o);
	if (r)
		return r;
	r = vfs_resolve_parent(ndirfd, npath, &n);
	if (r) {
		uk_vnode_put(o.dir);
		return r;
	}
	if (vfs_is_dot(o.name, o.len) || vfs_is_dot(n.name, n.len))
		r = -EBUSY;
	else if (o.dir->mnt != n.dir->mnt)
		r = -EXDEV;
	else if (!(r = busy(o.dir, o.name, o.len)))
		r = busy(n.dir, n.name, n.len);
	if (!r && (o.slash || n.slash || (flags & RENAME_NOREPLACE))) {
		r = o.dir->ops->lookup(o.dir, o.name, o.len, &vn);
		if (!r) {
			r = (!ISDIR(vn) && (o.slash || n.slash)) ? -ENOTDIR : 0;
			uk_vnode_put(vn);
		}
		if (!r && (flags & RENAME_NOREPLACE) &&
		    !n.dir->ops->lookup(n.dir, n.name, n.len, &vn)) {
			uk_vnode_put(vn);
			r = -EEXIST;
		}
	}
	if (!r)
		r = o.dir->ops->rename
			    ? o.dir->ops->rename(o.dir, o.name, o.len, n.dir,
						 n.name, n.len)
			    : -EPERM;
	uk_vnode_put(o.dir);
	uk_vnode_put(n.dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, renameat, int, odirfd, const char *, opath, int,
		    ndirfd, const char *, npath)
{
	return uk_syscall_call(renameat2, odirfd, opath, ndirfd, npath, 0);
}

UK_SYSCALL_R_DEFINE(int, rename, const char *, opath, const char *, npath)
{
	return uk_syscall_call(renameat2, VFS_AT_FDCWD, opath, VFS_AT_FDCWD,
			       npath, 0);
}

UK_SYSCALL_R_DEFINE(int, truncate, const char *, path, off_t, len)
{
	struct uk_vnode *vn;
	int r;

	if (len < 0)
		return -EINVAL;
	r = vfs_resolve(VFS_AT_FDCWD, path, 1, &vn);
	if (r)
		return r;
	if (ISDIR(vn))
		r = -EISDIR;
	else if (!ISREG(vn) || !vn->ops->truncate)
		r = -EINVAL;
	else
		r = vn->ops->truncate(vn, len);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(ssize_t, readlinkat, int, dirfd, const char *, path, char *,
		    buf, int, size)
{
	struct uk_vnode *vn;
	ssize_t r;

	if (size <= 0)
		return -EINVAL;
	r = vfs_resolve(dirfd, path, 0, &vn);
	if (r)
		return r;
	if (!buf)
		r = -EFAULT;
	else if (!ISLNK(vn) || !vn->ops->readlink)
		r = -EINVAL;
	else
		r = vn->ops->readlink(vn, buf, (size_t)size);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(ssize_t, readlink, const char *, path, char *, buf, int,
		    size)
{
	return uk_syscall_call(readlinkat, VFS_AT_FDCWD, path, buf, size);
}

UK_SYSCALL_R_DEFINE(int, symlinkat, const char *, target, int, dirfd,
		    const char *, path)
{
	struct vfs_nd nd;
	int r = vfs_check_path(target);

	if (r)
		return r;
	r = vfs_resolve_parent(dirfd, path, &nd);
	if (r)
		return r;
	if (vfs_is_dot(nd.name, nd.len))
		r = -EEXIST;
	else if (nd.slash)
		r = -ENOENT;
	else if (!nd.dir->ops->symlink)
		r = -EPERM;
	else
		r = nd.dir->ops->symlink(nd.dir, nd.name, nd.len, target);
	uk_vnode_put(nd.dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, symlink, const char *, target, const char *, path)
{
	return uk_syscall_call(symlinkat, target, VFS_AT_FDCWD, path);
}

static int set_cwd(struct uk_vnode *vn)
{
	if (!ISDIR(vn)) {
		uk_vnode_put(vn);
		return -ENOTDIR;
	}
	vfs_set_cwd(vn);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, chdir, const char *, path)
{
	struct uk_vnode *vn;
	int r = vfs_resolve(VFS_AT_FDCWD, path, 1, &vn);

	return r ? r : set_cwd(vn);
}

UK_SYSCALL_R_DEFINE(int, fchdir, int, fd)
{
	struct uk_vnode *vn;
	int r = vfs_fd_vnode(fd, &vn);

	return r ? r : set_cwd(vn);
}

struct find_ctx {
	uint64_t ino;
	char *name;
	size_t len;
};

static int find_ino(void *ctx, const char *name, size_t len, uint64_t ino,
		    unsigned type, uint64_t next)
{
	struct find_ctx *c = ctx;

	(void)type, (void)next;
	if (ino != c->ino || vfs_is_dot(name, len))
		return 0;
	memcpy(c->name, name, len);
	c->len = len;
	return 1;
}

/* The path of directory `x` (borrowed) into tmp (UK_VFS_PATH_MAX bytes),
 * built backwards: it starts at tmp + *pos on success. -ENOENT when x was
 * removed, -ENAMETOOLONG. */
static long dir_path(struct uk_vnode *x, char *tmp, size_t *pos)
{
	struct uk_vnode *root = vfs_root(), *p;
	char name[UK_VFS_NAME_MAX + 1];
	long r = 0;

	*pos = UK_VFS_PATH_MAX - 1;
	tmp[*pos] = 0;
	uk_vnode_ref(x);
	for (;;) { /* each pass goes one level up, at most PATH_MAX/2 */
		struct find_ctx c = {0, name, 0};

		while (x != root && x == x->mnt->root && x->mnt->covered) {
			p = x->mnt->covered;
			uk_vnode_ref(p);
			uk_vnode_put(x);
			x = p;
		}
		if (x == root)
			break;
		c.ino = x->ino;
		if (x->nlink == 0 || vfs_step(x, "..", 2, &p)) {
			r = -ENOENT; /* removed */
			break;
		}
		if (!p->ops->readdir ||
		    p->ops->readdir(p, 0, find_ino, &c) <= 0)
			r = -ENOENT;
		else if (c.len + 1 > *pos)
			r = -ENAMETOOLONG;
		uk_vnode_put(x);
		x = p;
		if (r)
			break;
		*pos -= c.len;
		memcpy(tmp + *pos, name, c.len);
		tmp[--*pos] = '/';
	}
	uk_vnode_put(x);
	if (!r && *pos == UK_VFS_PATH_MAX - 1)
		tmp[--*pos] = '/';
	return r;
}

UK_SYSCALL_R_DEFINE(long, getcwd, char *, buf, size_t, size)
{
	struct uk_vnode *x = vfs_cwd();
	size_t pos, n;
	char *tmp;
	long r;

	if (!buf)
		return -EFAULT;
	if (!x)
		return -ENOENT;
	tmp = malloc(UK_VFS_PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	r = dir_path(x, tmp, &pos);
	n = UK_VFS_PATH_MAX - pos;
	if (!r && n > size)
		r = -ERANGE;
	if (!r) {
		memcpy(buf, tmp + pos, n);
		r = (long)n;
	}
	free(tmp);
	return r;
}

/* ---- the name of a vnode that is no directory ---- */

#define SEARCH_DEPTH 32	   /* directory levels */
#define SEARCH_MAX   10000 /* entries looked at */

struct one_ctx { /* readdir: the next entry that is not "." or ".." */
	char *name;
	size_t len;
	uint64_t ino, next;
	unsigned type;
	int got;
};

static int one_entry(void *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned type, uint64_t next)
{
	struct one_ctx *c = ctx;

	c->next = next;
	if (vfs_is_dot(name, len))
		return 0;
	memcpy(c->name, name, len);
	c->len = len;
	c->ino = ino;
	c->type = type;
	c->got = 1;
	return 1;
}

/* Look for `vn` below its mount's root, depth first and bounded; its path
 * relative to that root goes into rel (UK_VFS_PATH_MAX bytes). Returns the
 * length, or -ENOENT. */
static long find_in_mount(struct uk_vnode *vn, char *rel)
{
	struct {
		struct uk_vnode *dir;
		uint64_t cookie;
		size_t len; /* of rel at this level */
	} st[SEARCH_DEPTH];
	char name[UK_VFS_NAME_MAX + 1];
	int depth = 1, budget = SEARCH_MAX;
	long r = -ENOENT;

	st[0].dir = vn->mnt->root;
	st[0].cookie = 0;
	st[0].len = 0;
	uk_vnode_ref(st[0].dir);
	while (depth > 0 && budget-- > 0 && r == -ENOENT) {
		struct uk_vnode *d = st[depth - 1].dir, *child;
		struct one_ctx c = {name, 0, 0, 0, 0, 0};
		size_t at = st[depth - 1].len;

		if (!d->ops->readdir ||
		    d->ops->readdir(d, st[depth - 1].cookie, one_entry, &c) <
			    0 ||
		    !c.got) {
			uk_vnode_put(d); /* done with this directory */
			depth--;
			continue;
		}
		st[depth - 1].cookie = c.next;
		if (c.type != 4 && c.ino != vn->ino)
			continue;
		if (at + 1 + c.len >= UK_VFS_PATH_MAX || !d->ops->lookup ||
		    d->ops->lookup(d, name, c.len, &child))
			continue;
		if (at)
			rel[at++] = '/';
		memcpy(rel + at, name, c.len);
		rel[at + c.len] = 0;
		if (child == vn) {
			r = (long)(at + c.len);
		} else if (UK_S_ISTYPE(child->mode, UK_S_IFDIR) &&
			   !child->mounted && depth < SEARCH_DEPTH) {
			st[depth].dir = child;
			st[depth].cookie = 0;
			st[depth].len = at + c.len;
			depth++;
			continue; /* the reference is the stack's */
		}
		uk_vnode_put(child);
	}
	while (depth > 0) /* bounded: SEARCH_DEPTH */
		uk_vnode_put(st[--depth].dir);
	return r;
}

int uk_vfs_path(struct uk_vnode *vn, char *buf, size_t size)
{
	char *tmp, *rel = NULL;
	size_t pos = 0, mlen = 0, n = 0;
	long r, k = 0;

	if (!vfs_root())
		return -ENOENT;
	tmp = malloc(UK_VFS_PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	if (UK_S_ISTYPE(vn->mode, UK_S_IFDIR)) {
		r = dir_path(vn, tmp, &pos);
		n = UK_VFS_PATH_MAX - 1 - pos;
	} else {
		rel = malloc(UK_VFS_PATH_MAX);
		r = !rel	     ? -ENOMEM
		    : vn->nlink == 0 ? -ENOENT /* unlinked */
				     : (k = find_in_mount(vn, rel));
		if (r >= 0)
			r = dir_path(vn->mnt->root, tmp, &pos);
		if (r >= 0) { /* the mount's path (none for "/"), "/", rel */
			mlen = UK_VFS_PATH_MAX - 1 - pos;
			if (mlen == 1)
				mlen = 0;
			n = mlen + 1 + (size_t)k;
		}
	}
	if (r >= 0 && n + 1 > size)
		r = -ENAMETOOLONG;
	if (r >= 0 && rel) {
		memcpy(buf, tmp + pos, mlen);
		buf[mlen] = '/';
		memcpy(buf + mlen + 1, rel, (size_t)k);
		buf[n] = 0;
	} else if (r >= 0) {
		memcpy(buf, tmp + pos, n + 1);
	}
	free(rel);
	free(tmp);
	return r < 0 ? (int)r : (int)n;
}

UK_SYSCALL_R_DEFINE(unsigned, umask, unsigned, mask)
{
	unsigned old = cur_umask;

	cur_umask = mask & 0777;
	return old;
}

static int chmod_vn(struct uk_vnode *vn, unsigned mode)
{
	int r = 0;

	vn->mode = (vn->mode & UK_S_IFMT) | (mode & 07777);
	vn->ctime = uk_vfs_now();
	if (vn->ops->setattr)
		r = vn->ops->setattr(vn);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, fchmodat, int, dirfd, const char *, path, unsigned,
		    mode)
{
	struct uk_vnode *vn;
	int r = vfs_resolve(dirfd, path, 1, &vn);

	return r ? r : chmod_vn(vn, mode);
}

UK_SYSCALL_R_DEFINE(int, chmod, const char *, path, unsigned, mode)
{
	return uk_syscall_call(fchmodat, VFS_AT_FDCWD, path, mode);
}

UK_SYSCALL_R_DEFINE(int, fchmod, int, fd, unsigned, mode)
{
	struct uk_vnode *vn;
	int r = vfs_fd_vnode(fd, &vn);

	if (r == -ENOTDIR)
		return -EPERM; /* a device file of its own */
	return r ? r : chmod_vn(vn, mode);
}

static void set_time(struct uk_vfs_time *t, const struct uk_vfs_time *v,
		     struct uk_vfs_time now)
{
	if (!v || v->nsec == UTIME_NOW)
		*t = now;
	else if (v->nsec != UTIME_OMIT)
		*t = *v;
}

UK_SYSCALL_R_DEFINE(int, utimensat, int, dirfd, const char *, path,
		    const struct uk_vfs_time *, times, int, flags)
{
	struct uk_vnode *vn;
	int r;

	for (int i = 0; times && i < 2; i++)
		if ((times[i].nsec < 0 || times[i].nsec > 999999999) &&
		    times[i].nsec != UTIME_NOW && times[i].nsec != UTIME_OMIT)
			return -EINVAL;
	if (!path) /* Linux: the file dirfd refers to */
		r = flags & ~AT_SYMLINK_NOFOLLOW ? -EINVAL
						 : vfs_fd_vnode(dirfd, &vn);
	else
		r = at_vnode(dirfd, path, flags,
			     AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &vn);
	if (r)
		return r == -ENOTDIR && !path ? 0 : r;
	set_time(&vn->atime, times, uk_vfs_now());
	set_time(&vn->mtime, times ? times + 1 : NULL, uk_vfs_now());
	vn->ctime = uk_vfs_now();
	r = vn->ops->setattr ? vn->ops->setattr(vn) : 0;
	uk_vnode_put(vn);
	return r;
}

static int chown_vn(struct uk_vnode *vn, unsigned uid, unsigned gid)
{
	int r = 0;

	if (uid != (unsigned)-1)
		vn->uid = uid;
	if (gid != (unsigned)-1)
		vn->gid = gid;
	vn->ctime = uk_vfs_now();
	if (vn->ops->setattr)
		r = vn->ops->setattr(vn);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, fchownat, int, dirfd, const char *, path, unsigned,
		    uid, unsigned, gid, int, flags)
{
	struct uk_vnode *vn;
	int r = at_vnode(dirfd, path, flags,
			 AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &vn);

	return r ? r : chown_vn(vn, uid, gid);
}

UK_SYSCALL_R_DEFINE(int, chown, const char *, path, unsigned, uid, unsigned,
		    gid)
{
	return uk_syscall_call(fchownat, VFS_AT_FDCWD, path, uid, gid, 0);
}

UK_SYSCALL_R_DEFINE(int, lchown, const char *, path, unsigned, uid, unsigned,
		    gid)
{
	return uk_syscall_call(fchownat, VFS_AT_FDCWD, path, uid, gid,
			       AT_SYMLINK_NOFOLLOW);
}

UK_SYSCALL_R_DEFINE(int, fchown, int, fd, unsigned, uid, unsigned, gid)
{
	struct uk_vnode *vn;
	int r = vfs_fd_vnode(fd, &vn);

	if (r == -ENOTDIR)
		return 0; /* a device file of its own: nothing to store */
	return r ? r : chown_vn(vn, uid, gid);
}

UK_SYSCALL_R_DEFINE(int, linkat, int, odirfd, const char *, opath, int, ndirfd,
		    const char *, npath, int, flags)
{
	struct uk_vnode *vn;
	struct vfs_nd nd;
	int r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && opath && !opath[0])
		r = vfs_fd_vnode(odirfd, &vn);
	else
		r = vfs_resolve(odirfd, opath, !!(flags & AT_SYMLINK_FOLLOW),
				&vn);
	if (r)
		return r;
	r = vfs_resolve_parent(ndirfd, npath, &nd);
	if (r) {
		uk_vnode_put(vn);
		return r;
	}
	if (ISDIR(vn))
		r = -EPERM;
	else if (vfs_is_dot(nd.name, nd.len))
		r = -EEXIST;
	else if (nd.slash)
		r = -ENOENT;
	else if (vn->mnt != nd.dir->mnt)
		r = -EXDEV;
	else if (!vn->nlink && !(flags & AT_EMPTY_PATH))
		r = -ENOENT; /* removed meanwhile */
	else if (!nd.dir->ops->link)
		r = -EPERM;
	else
		r = nd.dir->ops->link(nd.dir, nd.name, nd.len, vn);
	uk_vnode_put(nd.dir);
	uk_vnode_put(vn);
	return r;
}

UK_SYSCALL_R_DEFINE(int, link, const char *, opath, const char *, npath)
{
	return uk_syscall_call(linkat, VFS_AT_FDCWD, opath, VFS_AT_FDCWD, npath,
			       0);
}

UK_SYSCALL_R_DEFINE(int, mknodat, int, dirfd, const char *, path, unsigned,
		    mode, unsigned, dev)
{
	uint32_t t = mode & UK_S_IFMT, m = mode & 07777 & ~cur_umask;
	struct vfs_nd nd;
	struct uk_vnode *vn;
	int r;

	if (t == 0 || t == UK_S_IFREG) {
		r = uk_syscall_call(openat, dirfd, path,
				    UK_O_CREAT | UK_O_EXCL | UK_O_WRONLY |
					    UK_O_CLOEXEC,
				    mode & 07777);
		return r < 0 ? r : (int)uk_syscall_call(close, r);
	}
	if (t == UK_S_IFDIR)
		return -EPERM;
	if (t != UK_S_IFIFO && t != UK_S_IFSOCK && t != UK_S_IFCHR &&
	    t != UK_S_IFBLK)
		return -EINVAL;
	r = vfs_resolve_parent(dirfd, path, &nd);
	if (r)
		return r;
	if (vfs_is_dot(nd.name, nd.len) ||
	    (nd.dir->ops->lookup &&
	     !nd.dir->ops->lookup(nd.dir, nd.name, nd.len, &vn) &&
	     (uk_vnode_put(vn), 1)))
		r = -EEXIST;
	else if (nd.slash)
		r = -ENOENT;
	else if (!nd.dir->ops->mknod)
		r = -EPERM;
	else
		r = nd.dir->ops->mknod(nd.dir, nd.name, nd.len, t | m,
				       (uint64_t)dev);
	uk_vnode_put(nd.dir);
	return r;
}

UK_SYSCALL_R_DEFINE(int, mknod, const char *, path, unsigned, mode, unsigned,
		    dev)
{
	return uk_syscall_call(mknodat, VFS_AT_FDCWD, path, mode, dev);
}

/* struct statx of Linux (256 bytes) */
struct statx_ts {
	int64_t sec;
	uint32_t nsec;
	int32_t reserved;
};
struct uk_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint32_t dio_mem_align, dio_offset_align;
	uint64_t spare3[12];
};

#define STATX_BASIC_STATS  0x7ffU
#define STATX_RESERVED	   0x80000000U
#define AT_STATX_SYNC_MASK 0x6000
#define MAJOR(d)	   ((uint32_t)((((d) >> 8) & 0xfff) | (((d) >> 32) & ~0xfffULL)))
#define MINOR(d)	   ((uint32_t)(((d)&0xff) | (((d) >> 12) & ~0xffULL)))

/* uk-syscall-partial(statx): the basic statistics only (no birth time,
 * STATX_MNT_ID or attributes); the mask returned says so. */
UK_SYSCALL_R_DEFINE(int, statx, int, dirfd, const char *, path, int, flags,
		    unsigned, mask, struct uk_statx *, sx)
{
	struct uk_stat st;
	int r;

	if ((flags & AT_STATX_SYNC_MASK) == AT_STATX_SYNC_MASK ||
	    (mask & STATX_RESERVED))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_MASK))
		return -EINVAL;
	if (!sx)
		return -EFAULT;
	r = uk_syscall_call(newfstatat, dirfd, path, &st,
			    flags & ~AT_STATX_SYNC_MASK);
	if (r)
		return r;
	memset(sx, 0, sizeof(*sx));
	sx->mask = STATX_BASIC_STATS;
	sx->blksize = (uint32_t)st.st_blksize;
	sx->nlink = (uint32_t)st.st_nlink;
	sx->uid = st.st_uid;
	sx->gid = st.st_gid;
	sx->mode = (uint16_t)st.st_mode;
	sx->ino = st.st_ino;
	sx->size = (uint64_t)st.st_size;
	sx->blocks = (uint64_t)st.st_blocks;
	sx->atime =
		(struct statx_ts){st.st_atim_sec, (uint32_t)st.st_atim_nsec, 0};
	sx->mtime =
		(struct statx_ts){st.st_mtim_sec, (uint32_t)st.st_mtim_nsec, 0};
	sx->ctime =
		(struct statx_ts){st.st_ctim_sec, (uint32_t)st.st_ctim_nsec, 0};
	sx->rdev_major = MAJOR(st.st_rdev);
	sx->rdev_minor = MINOR(st.st_rdev);
	sx->dev_major = MAJOR(st.st_dev);
	sx->dev_minor = MINOR(st.st_dev);
	return 0;
}

struct l_timeval {
	int64_t sec, usec;
};

/* utimes/futimesat: microseconds, both times or NULL for "now". */
UK_SYSCALL_R_DEFINE(int, futimesat, int, dirfd, const char *, path,
		    const struct l_timeval *, tv)
{
	struct uk_vfs_time ts[2];

	if (!tv)
		return uk_syscall_call(utimensat, dirfd, path, NULL, 0);
	for (int i = 0; i < 2; i++) {
		if (tv[i].usec < 0 || tv[i].usec >= 1000000)
			return -EINVAL;
		ts[i].sec = tv[i].sec;
		ts[i].nsec = tv[i].usec * 1000;
	}
	return uk_syscall_call(utimensat, dirfd, path, ts, 0);
}

UK_SYSCALL_R_DEFINE(int, utimes, const char *, path, const struct l_timeval *,
		    tv)
{
	return uk_syscall_call(futimesat, VFS_AT_FDCWD, path, tv);
}

struct l_utimbuf {
	int64_t actime, modtime;
};

UK_SYSCALL_R_DEFINE(int, utime, const char *, path, const struct l_utimbuf *, t)
{
	struct uk_vfs_time ts[2];

	if (!t)
		return uk_syscall_call(utimensat, VFS_AT_FDCWD, path, NULL, 0);
	ts[0] = (struct uk_vfs_time){t->actime, 0};
	ts[1] = (struct uk_vfs_time){t->modtime, 0};
	return uk_syscall_call(utimensat, VFS_AT_FDCWD, path, ts, 0);
}
