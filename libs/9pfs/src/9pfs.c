/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 9pfs: a vfscore filesystem over uk9p (type "9pfs", source = the mount
 * tag). Every vnode is one server file with a walked fid; files get an
 * opened fid for I/O on first use, directories one for readdir. Vnodes
 * are kept in a table by qid.path while referenced, so a file has one
 * vnode however it is reached; when the last reference goes its fids are
 * clunked. Attributes are the server's: refreshed by every stat
 * (getattr), kept current by our own calls in between.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/9p.h>
#include <uk/9pfs.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/vfs.h>

#define HASH	   256
#define DIRBUF_MAX (64u << 10)
#define L_O_RDONLY 00
#define L_O_RDWR   02
#define L_O_CREAT  0100
#define L_O_EXCL   0200
#define L_O_DIR	   0200000

struct p9fs {
	struct uk_9p_client c;
	struct p9node *hash[HASH];
	uint32_t uid, gid;
	int ro;
	uint8_t *dirbuf;
	uint32_t dirbuflen;
};

struct p9node {
	struct uk_vnode vn;
	uint32_t fid;	 /* walked (a created file: opened, = iofid) */
	uint32_t iofid;	 /* opened for read/write, or NOFID */
	uint32_t dirfid; /* opened for readdir, or NOFID */
	uint32_t ioflags;
	int hashed; /* in the table (not once known removed) */
	struct p9node *hnext;
};

#define PN(v) ((struct p9node *)(v)->priv)
#define PM(v) ((struct p9fs *)(v)->mnt->priv)

static const struct uk_vnode_ops p9_ops;
static void unhash(struct p9fs *fs, struct p9node *n);
static int io_fid(struct uk_vnode *vn, int write);

static struct p9node **slot(struct p9fs *fs, uint64_t path)
{
	return &fs->hash[(path ^ (path >> 17)) % HASH];
}

static void set_attr(struct uk_vnode *vn, const struct uk_9p_attr *a)
{
	vn->mode = a->mode;
	vn->uid = a->uid;
	vn->gid = a->gid;
	vn->nlink = (uint32_t)a->nlink;
	vn->rdev = a->rdev;
	vn->size = (off_t)a->size;
	vn->blocks = a->blocks;
	vn->atime = (struct uk_vfs_time){(int64_t)a->atime_sec,
					 (int64_t)a->atime_nsec};
	vn->mtime = (struct uk_vfs_time){(int64_t)a->mtime_sec,
					 (int64_t)a->mtime_nsec};
	vn->ctime = (struct uk_vfs_time){(int64_t)a->ctime_sec,
					 (int64_t)a->ctime_nsec};
}

/* The vnode for server file `a->qid` reached through `fid` (which this
 * takes over), with a reference: the cached one (the new fid clunked)
 * or a new one. */
static int node_get(struct uk_mount *m, uint32_t fid,
		    const struct uk_9p_attr *a, struct uk_vnode **out)
{
	struct p9fs *fs = m->priv;
	struct p9node **s = slot(fs, a->qid.path), *n;

	for (n = *s; n; n = n->hnext) {
		if (n->vn.ino == a->qid.path) {
			uk_9p_clunk(&fs->c, fid);
			set_attr(&n->vn, a);
			uk_vnode_ref(&n->vn);
			*out = &n->vn;
			return 0;
		}
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		uk_9p_clunk(&fs->c, fid);
		return -ENOMEM;
	}
	n->vn.ops = &p9_ops;
	n->vn.mnt = m;
	n->vn.priv = n;
	n->vn.ino = a->qid.path;
	set_attr(&n->vn, a);
	n->fid = fid;
	n->iofid = n->dirfid = UK_9P_NOFID;
	n->hnext = *s;
	*s = n;
	n->hashed = 1;
	uk_vnode_ref(&n->vn);
	*out = &n->vn;
	return 0;
}

static int ro(struct uk_vnode *vn)
{
	return PM(vn)->ro ? -EROFS : 0;
}

static int p9_lookup(struct uk_vnode *dir, const char *name, size_t len,
		     struct uk_vnode **out)
{
	struct p9fs *fs = PM(dir);
	uint16_t l = (uint16_t)len;
	struct uk_9p_attr a;
	uint32_t fid;
	int rc;

	rc = uk_9p_walk(&fs->c, PN(dir)->fid, &name, &l, 1, &fid, NULL);
	if (rc < 0)
		return rc;
	rc = uk_9p_getattr(&fs->c, fid, UK_9P_GETATTR_BASIC, &a);
	if (rc < 0) {
		uk_9p_clunk(&fs->c, fid);
		return rc;
	}
	return node_get(dir->mnt, fid, &a, out);
}

static int p9_create(struct uk_vnode *dir, const char *name, size_t len,
		     uint32_t mode, struct uk_vnode **out)
{
	struct p9fs *fs = PM(dir);
	struct uk_9p_attr a = {0};
	struct uk_9p_qid q;
	uint32_t fid;
	int rc = ro(dir);

	if (rc)
		return rc;
	rc = uk_9p_walk(&fs->c, PN(dir)->fid, NULL, NULL, 0, &fid, NULL);
	if (rc < 0)
		return rc;
	rc = uk_9p_lcreate(&fs->c, fid, name, (uint16_t)len,
			   L_O_RDWR | L_O_CREAT | L_O_EXCL, mode & 07777,
			   fs->gid, &q);
	if (rc < 0) {
		uk_9p_clunk(&fs->c, fid);
		return rc;
	}
	/* what a new file is; saves a Tgetattr per create */
	struct uk_vfs_time now = uk_vfs_now();
	a.qid = q;
	a.mode = mode;
	a.uid = fs->uid;
	a.gid = fs->gid;
	a.nlink = 1;
	a.atime_sec = a.mtime_sec = a.ctime_sec = (uint64_t)now.sec;
	a.atime_nsec = a.mtime_nsec = a.ctime_nsec = (uint64_t)now.nsec;
	rc = node_get(dir->mnt, fid, &a, out);
	if (!rc && PN(*out)->fid == fid) {
		PN(*out)->iofid = fid; /* Tlcreate opened it */
		PN(*out)->ioflags = L_O_RDWR;
	}
	dir->mtime = dir->ctime = now;
	return rc;
}

static int p9_mkdir(struct uk_vnode *dir, const char *name, size_t len,
		    uint32_t mode)
{
	struct p9fs *fs = PM(dir);
	int rc = ro(dir);

	if (!rc)
		rc = uk_9p_mkdir(&fs->c, PN(dir)->fid, name, (uint16_t)len,
				 mode & 07777, fs->gid, NULL);
	if (!rc) {
		dir->nlink++;
		dir->mtime = dir->ctime = uk_vfs_now();
	}
	return rc;
}

static int p9_symlink(struct uk_vnode *dir, const char *name, size_t len,
		      const char *target)
{
	struct p9fs *fs = PM(dir);
	int rc = ro(dir);

	if (!rc)
		rc = uk_9p_symlink(&fs->c, PN(dir)->fid, name, (uint16_t)len,
				   target, fs->gid, NULL);
	return rc;
}

/* The cached vnode of `name` in `dir`, if any (no reference). */
static struct p9node *cached_child(struct uk_vnode *dir, const char *name,
				   size_t len)
{
	struct p9fs *fs = PM(dir);
	uint16_t l = (uint16_t)len;
	struct uk_9p_qid q;
	uint32_t fid;

	if (uk_9p_walk(&fs->c, PN(dir)->fid, &name, &l, 1, &fid, &q) < 0)
		return NULL;
	uk_9p_clunk(&fs->c, fid);
	for (struct p9node *n = *slot(fs, q.path); n; n = n->hnext)
		if (n->vn.ino == q.path)
			return n;
	return NULL;
}

static int p9_remove(struct uk_vnode *dir, const char *name, size_t len,
		     uint32_t flags)
{
	struct p9fs *fs = PM(dir);
	struct p9node *n;
	int rc = ro(dir);

	if (rc)
		return rc;
	/* an open file's vnode must learn it lost a link, and keep its
	 * data reachable: an opened fid keeps the server's file alive */
	n = cached_child(dir, name, len);
	if (n && !flags && UK_S_ISTYPE(n->vn.mode, UK_S_IFREG))
		io_fid(&n->vn, 0);
	rc = uk_9p_unlinkat(&fs->c, PN(dir)->fid, name, (uint16_t)len, flags);
	if (rc)
		return rc;
	if (n && n->vn.nlink)
		n->vn.nlink = flags ? 0 : n->vn.nlink - 1;
	if (n && !n->vn.nlink)
		unhash(fs, n);
	if (flags && dir->nlink > 2)
		dir->nlink--;
	dir->mtime = dir->ctime = uk_vfs_now();
	return 0;
}

static int p9_unlink(struct uk_vnode *dir, const char *name, size_t len)
{
	return p9_remove(dir, name, len, 0);
}

static int p9_rmdir(struct uk_vnode *dir, const char *name, size_t len)
{
	return p9_remove(dir, name, len, UK_9P_AT_REMOVEDIR);
}

static int p9_rename(struct uk_vnode *odir, const char *oname, size_t olen,
		     struct uk_vnode *ndir, const char *nname, size_t nlen)
{
	struct p9fs *fs = PM(odir);
	int rc = ro(odir);

	if (!rc)
		rc = uk_9p_renameat(&fs->c, PN(odir)->fid, oname,
				    (uint16_t)olen, PN(ndir)->fid, nname,
				    (uint16_t)nlen);
	if (!rc)
		odir->mtime = ndir->mtime = uk_vfs_now();
	return rc;
}

static ssize_t p9_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	return uk_9p_readlink(&PM(vn)->c, PN(vn)->fid, buf, len);
}

static int p9_getattr(struct uk_vnode *vn, struct uk_stat *st)
{
	struct uk_9p_attr a;

	/* the host may have changed the file: ask */
	if (uk_9p_getattr(&PM(vn)->c, PN(vn)->fid, UK_9P_GETATTR_BASIC, &a))
		return 0; /* keep what we know (e.g. removed on the host) */
	set_attr(vn, &a);
	st->st_nlink = vn->nlink;
	st->st_mode = vn->mode;
	st->st_uid = vn->uid;
	st->st_gid = vn->gid;
	st->st_rdev = vn->rdev;
	st->st_size = vn->size;
	st->st_blocks = (int64_t)vn->blocks;
	st->st_atim_sec = vn->atime.sec, st->st_atim_nsec = vn->atime.nsec;
	st->st_mtim_sec = vn->mtime.sec, st->st_mtim_nsec = vn->mtime.nsec;
	st->st_ctim_sec = vn->ctime.sec, st->st_ctim_nsec = vn->ctime.nsec;
	return 0;
}

static int p9_setattr(struct uk_vnode *vn)
{
	struct uk_9p_attr a = {0};
	int rc = ro(vn);

	if (rc)
		return rc;
	a.mode = vn->mode & 07777;
	a.uid = vn->uid;
	a.gid = vn->gid;
	a.atime_sec = (uint64_t)vn->atime.sec;
	a.atime_nsec = (uint64_t)vn->atime.nsec;
	a.mtime_sec = (uint64_t)vn->mtime.sec;
	a.mtime_nsec = (uint64_t)vn->mtime.nsec;
	return uk_9p_setattr(
		&PM(vn)->c, PN(vn)->fid,
		UK_9P_SETATTR_MODE | UK_9P_SETATTR_UID | UK_9P_SETATTR_GID |
			UK_9P_SETATTR_ATIME | UK_9P_SETATTR_ATIME_SET |
			UK_9P_SETATTR_MTIME | UK_9P_SETATTR_MTIME_SET,
		&a);
}

/* An opened fid for I/O: read-write if the server allows, else read-only
 * (reads of read-only host files still work). */
static int io_fid(struct uk_vnode *vn, int write)
{
	struct p9fs *fs = PM(vn);
	struct p9node *n = PN(vn);
	uint32_t fid;
	int rc;

	if (n->iofid != UK_9P_NOFID)
		return write && n->ioflags == L_O_RDONLY ? -EBADF : 0;
	rc = uk_9p_walk(&fs->c, n->fid, NULL, NULL, 0, &fid, NULL);
	if (rc < 0)
		return rc;
	n->ioflags = fs->ro ? L_O_RDONLY : L_O_RDWR;
	rc = uk_9p_lopen(&fs->c, fid, n->ioflags, NULL, NULL);
	if ((rc == -EACCES || rc == -EROFS || rc == -EPERM) && !write) {
		n->ioflags = L_O_RDONLY;
		rc = uk_9p_lopen(&fs->c, fid, n->ioflags, NULL, NULL);
	}
	if (rc < 0) {
		uk_9p_clunk(&fs->c, fid);
		return rc;
	}
	n->iofid = fid;
	return 0;
}

static ssize_t p9_read(struct uk_vnode *vn, void *buf, size_t len, off_t off)
{
	int rc = io_fid(vn, 0);

	if (rc < 0)
		return rc;
	if (off < 0)
		return -EINVAL;
	return uk_9p_read(&PM(vn)->c, PN(vn)->iofid, (uint64_t)off, buf, len);
}

static ssize_t p9_write(struct uk_vnode *vn, const void *buf, size_t len,
			off_t off)
{
	long n;
	int rc = ro(vn);

	if (!rc)
		rc = io_fid(vn, 1);
	if (rc < 0)
		return rc == -EBADF ? -EACCES : rc;
	if (off < 0)
		return -EINVAL;
	n = uk_9p_write(&PM(vn)->c, PN(vn)->iofid, (uint64_t)off, buf, len);
	if (n > 0) {
		if (off + n > vn->size)
			vn->size = off + n;
		vn->mtime = vn->ctime = uk_vfs_now();
	}
	return n;
}

static int p9_truncate(struct uk_vnode *vn, off_t len)
{
	struct uk_9p_attr a = {0};
	int rc = ro(vn);

	if (rc)
		return rc;
	a.size = (uint64_t)len;
	rc = uk_9p_setattr(&PM(vn)->c, PN(vn)->fid, UK_9P_SETATTR_SIZE, &a);
	if (!rc) {
		vn->size = len;
		vn->mtime = vn->ctime = uk_vfs_now();
	}
	return rc;
}

static int p9_readdir(struct uk_vnode *dir, uint64_t cookie,
		      uk_vfs_filldir_t fill, void *ctx)
{
	struct p9fs *fs = PM(dir);
	struct p9node *n = PN(dir);
	int rc;

	if (n->dirfid == UK_9P_NOFID) {
		uint32_t fid;
		rc = uk_9p_walk(&fs->c, n->fid, NULL, NULL, 0, &fid, NULL);
		if (rc < 0)
			return rc;
		rc = uk_9p_lopen(&fs->c, fid, L_O_RDONLY | L_O_DIR, NULL, NULL);
		if (rc < 0) {
			uk_9p_clunk(&fs->c, fid);
			return rc;
		}
		n->dirfid = fid;
	}
	/* bounded: each round must move the cookie forward */
	for (unsigned rounds = 0; rounds < 1000000; rounds++) {
		long got = uk_9p_readdir(&fs->c, n->dirfid, cookie, fs->dirbuf,
					 fs->dirbuflen);
		struct uk_9p_dirent e;
		uint32_t pos = 0;
		uint64_t start = cookie;

		if (got <= 0)
			return (int)got;
		while ((rc = uk_9p_dirent_next(fs->dirbuf, (uint32_t)got, &pos,
					       &e)) == 1) {
			if (fill(ctx, e.name, e.namelen, e.qid.path, e.type,
				 e.offset))
				return 1;
			cookie = e.offset;
		}
		if (rc < 0)
			return rc;
		if (cookie == start) {
			uk_pr_err("9pfs: readdir offsets do not advance");
			return -EIO;
		}
	}
	return -EIO;
}

static int p9_fsync(struct uk_vnode *vn, int datasync)
{
	struct p9node *n = PN(vn);

	/* nothing was written through a fid we do not have */
	if (n->iofid == UK_9P_NOFID)
		return 0;
	return uk_9p_fsync(&PM(vn)->c, n->iofid, datasync);
}

/* Take `n` out of the table: once removed on the server, its inode
 * number may come back for a new file, which must get a vnode of its
 * own. */
static void unhash(struct p9fs *fs, struct p9node *n)
{
	struct p9node **s = slot(fs, n->vn.ino);

	while (*s && *s != n)
		s = &(*s)->hnext;
	if (*s)
		*s = n->hnext;
	n->hashed = 0;
}

static void p9_inactive(struct uk_vnode *vn)
{
	struct p9fs *fs = PM(vn);
	struct p9node *n = PN(vn);

	if (n->hashed)
		unhash(fs, n);
	if (n->iofid != UK_9P_NOFID && n->iofid != n->fid)
		uk_9p_clunk(&fs->c, n->iofid);
	if (n->dirfid != UK_9P_NOFID)
		uk_9p_clunk(&fs->c, n->dirfid);
	if (n->fid != fs->c.root)
		uk_9p_clunk(&fs->c, n->fid);
	free(n);
}

static const struct uk_vnode_ops p9_ops = {
	.lookup = p9_lookup,
	.create = p9_create,
	.mkdir = p9_mkdir,
	.symlink = p9_symlink,
	.unlink = p9_unlink,
	.rmdir = p9_rmdir,
	.rename = p9_rename,
	.readlink = p9_readlink,
	.getattr = p9_getattr,
	.setattr = p9_setattr,
	.read = p9_read,
	.write = p9_write,
	.truncate = p9_truncate,
	.readdir = p9_readdir,
	.inactive = p9_inactive,
	.fsync = p9_fsync,
};

/* ---- mounts ---- */

static int opt_num(const char *o, const char *key, uint32_t *v)
{
	size_t k = strlen(key);
	uint64_t x = 0;

	if (strncmp(o, key, k) || o[k] != '=')
		return 0;
	o += k + 1;
	if (!*o || *o == ',')
		return -1;
	for (; *o && *o != ','; o++) {
		if (*o < '0' || *o > '9' || x > 0xffffffffull / 10)
			return -1;
		x = x * 10 + (uint64_t)(*o - '0');
	}
	if (x > 0xffffffffull)
		return -1;
	*v = (uint32_t)x;
	return 1;
}

/* msize=N, uid=N, gid=N, ro, rw; unknown options are refused. */
static int parse_opts(const char *data, uint32_t *msize, struct p9fs *fs)
{
	for (const char *o = data; o && *o;) {
		const char *e = strchr(o, ',');
		size_t n = e ? (size_t)(e - o) : strlen(o);
		int r = 0;

		if ((n == 2 && !strncmp(o, "ro", 2)))
			fs->ro = 1;
		else if (n == 2 && !strncmp(o, "rw", 2))
			fs->ro = 0;
		else if ((r = opt_num(o, "msize", msize)) ||
			 (r = opt_num(o, "uid", &fs->uid)) ||
			 (r = opt_num(o, "gid", &fs->gid))) {
			if (r < 0) {
				uk_pr_err("9pfs: option '%.*s': not a number",
					  (int)n, o);
				return -EINVAL;
			}
		} else {
			uk_pr_err("9pfs: unknown option '%.*s' (known: msize=, "
				  "uid=, gid=, ro, rw)",
				  (int)n, o);
			return -EINVAL;
		}
		o = e ? e + 1 : NULL;
	}
	return 0;
}

static int p9_mount(struct uk_mount *m, const char *data)
{
	struct uk_9p_trans *t = uk_9p_trans_find(m->source);
	uint32_t msize = UK_9PFS_DEFAULT_MSIZE;
	struct uk_9p_attr a;
	struct p9fs *fs;
	int rc;

	if (!t) {
		char tags[128];
		uk_9p_trans_list(tags, sizeof(tags));
		uk_pr_err("9pfs: no 9P device with mount tag '%s' (tags: %s)",
			  m->source ? m->source : "(none)",
			  tags[0] ? tags : "none");
		return -ENODEV;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->ro = !!(m->flags & UK_MS_RDONLY);
	rc = parse_opts(data, &msize, fs);
	if (rc)
		goto fail;
	rc = uk_9p_connect(&fs->c, t, msize, "", fs->uid);
	if (rc) {
		uk_pr_err("9pfs: connecting to '%s' (%s) failed: %d", t->tag,
			  t->desc ? t->desc : "-", rc);
		goto fail;
	}
	fs->dirbuflen = fs->c.msize < DIRBUF_MAX ? fs->c.msize : DIRBUF_MAX;
	fs->dirbuf = malloc(fs->dirbuflen);
	if (!fs->dirbuf) {
		rc = -ENOMEM;
		goto disconnect;
	}
	rc = uk_9p_getattr(&fs->c, fs->c.root, UK_9P_GETATTR_BASIC, &a);
	if (rc)
		goto disconnect;
	if (!UK_S_ISTYPE(a.mode, UK_S_IFDIR)) {
		uk_pr_err("9pfs: the root of '%s' is not a directory", t->tag);
		rc = -ENOTDIR;
		goto disconnect;
	}
	m->priv = fs;
	rc = node_get(m, fs->c.root, &a, &m->root);
	if (rc)
		goto disconnect;
	uk_pr_info("9pfs: '%s' (%s) mounted, msize %u%s", t->tag,
		   t->desc ? t->desc : "-", fs->c.msize,
		   fs->ro ? ", read-only" : "");
	return 0;
disconnect:
	uk_9p_disconnect(&fs->c);
fail:
	free(fs->dirbuf);
	free(fs);
	m->priv = NULL;
	return rc;
}

static void p9_unmount(struct uk_mount *m)
{
	struct p9fs *fs = m->priv;

	/* vfscore dropped the root's last reference: every vnode is gone */
	uk_9p_disconnect(&fs->c);
	free(fs->dirbuf);
	free(fs);
}

static int p9_statfs(struct uk_mount *m, struct uk_statfs *st)
{
	struct p9fs *fs = m->priv;
	struct uk_9p_statfs s;
	int rc = uk_9p_statfs(&fs->c, fs->c.root, &s);

	if (rc)
		return rc;
	st->f_bsize = st->f_frsize = s.bsize;
	st->f_blocks = s.blocks;
	st->f_bfree = s.bfree;
	st->f_bavail = s.bavail;
	st->f_files = s.files;
	st->f_ffree = s.ffree;
	st->f_namelen = s.namelen;
	if (fs->ro)
		st->f_flags |= UK_MS_RDONLY;
	return 0;
}

static struct uk_fstype p9fs_type = {
	.name = "9pfs",
	.magic = 0x01021997, /* V9FS_MAGIC */
	.mount = p9_mount,
	.unmount = p9_unmount,
	.statfs = p9_statfs,
};

int uk_9pfs_init(void)
{
	int rc = uk_vfs_register(&p9fs_type);

	return rc == -EEXIST ? 0 : rc;
}
uk_lib_initcall(uk_9pfs_init);
