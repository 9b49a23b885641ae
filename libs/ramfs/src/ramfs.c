/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs: files, directories and symlinks in memory, under vfscore.
 * File data lives in 4 KiB blocks found through a pointer table; a missing
 * block is a hole (reads as zeros). Bytes past the end of a file inside an
 * allocated block are kept zero, so growing a file exposes zeros only.
 * Blocks count against the mount's size limit (-ENOSPC), a file cannot grow
 * past that limit either (-EFBIG). Directory entries carry a cookie that
 * only grows, so readdir offsets stay valid while entries are removed.
 * UP, cooperative: no locks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/init.h>
#include <uk/ramfs.h>
#include <uk/vfs.h>

#define BLK	    4096UL
#define ISDIR(n)    UK_S_ISTYPE((n)->vn.mode, UK_S_IFDIR)
#define RAMFS_MAGIC 0x858458f6

struct rdent {
	struct rdent *next;
	struct rnode *node;
	uint64_t cookie;
	size_t len;
	char name[];
};

struct rnode {
	struct uk_vnode vn; /* first: a vnode pointer is an rnode pointer */
	struct rnode *lprev, *lnext; /* every node of the mount */
	struct rnode *parent;	     /* directories */
	struct rdent *ents, **tail;  /* directories */
	uint64_t next_cookie;	     /* directories */
	char **blk;		     /* regular files: nblk block pointers */
	size_t nblk;
	char *target; /* symlinks */
};

struct rmount {
	uint64_t limit, used, next_ino;
	struct rnode *nodes;
};

static const struct uk_vnode_ops ops;

#define RN(v) ((struct rnode *)(v))
#define RM(n) ((struct rmount *)(n)->vn.mnt->priv)

static struct rnode *node_new(struct uk_mount *m, uint32_t mode)
{
	struct rmount *rm = m->priv;
	struct rnode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->vn.ops = &ops;
	n->vn.mnt = m;
	n->vn.mode = mode;
	n->vn.ino = rm->next_ino++;
	n->vn.nlink = UK_S_ISTYPE(mode, UK_S_IFDIR) ? 2 : 1;
	n->vn.atime = n->vn.mtime = n->vn.ctime = uk_vfs_now();
	n->vn.priv = n;
	n->parent = n;
	n->tail = &n->ents;
	n->next_cookie = 2; /* 0 ".", 1 ".." */
	n->lnext = rm->nodes;
	if (rm->nodes)
		rm->nodes->lprev = n;
	rm->nodes = n;
	return n;
}

static void free_blocks(struct rnode *n, size_t from)
{
	for (size_t i = from; i < n->nblk; i++) {
		if (n->blk[i]) {
			free(n->blk[i]);
			n->blk[i] = NULL;
			RM(n)->used -= BLK;
			n->vn.blocks -= BLK / 512;
		}
	}
}

static void node_free(struct rnode *n)
{
	struct rmount *rm = RM(n);

	free_blocks(n, 0);
	free(n->blk);
	free(n->target);
	if (n->lprev)
		n->lprev->lnext = n->lnext;
	else
		rm->nodes = n->lnext;
	if (n->lnext)
		n->lnext->lprev = n->lprev;
	free(n);
}

static void touch(struct rnode *n)
{
	n->vn.mtime = n->vn.ctime = uk_vfs_now();
}

/* ---- directories ---- */

static struct rdent **find(struct rnode *d, const char *name, size_t len)
{
	struct rdent **pp = &d->ents;

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->len == len && !memcmp((*pp)->name, name, len))
			return pp;
	return NULL;
}

static struct rdent *dent_new(const char *name, size_t len)
{
	struct rdent *e = malloc(sizeof(*e) + len);

	if (e) {
		memcpy(e->name, name, len);
		e->len = len;
		e->next = NULL;
	}
	return e;
}

static void dent_add(struct rnode *d, struct rdent *e, struct rnode *n)
{
	e->node = n;
	e->cookie = d->next_cookie++;
	*d->tail = e;
	d->tail = &e->next;
	if (ISDIR(n)) {
		n->parent = d;
		d->vn.nlink++;
	}
	touch(d);
}

/* Take entry *pp out of `d` (its node keeps its links). */
static void dent_unhook(struct rnode *d, struct rdent **pp)
{
	struct rdent *e = *pp;

	*pp = e->next;
	if (d->tail == &e->next)
		d->tail = pp;
	free(e);
	touch(d);
}

/* `n` loses the link it had in `d`; freed if nothing holds it. */
static void drop_link(struct rnode *d, struct rnode *n)
{
	if (ISDIR(n)) {
		d->vn.nlink--;
		n->vn.nlink = 0;
	} else {
		n->vn.nlink--;
	}
	n->vn.ctime = uk_vfs_now();
	if (!n->vn.nlink && !n->vn.refs)
		node_free(n);
}

static void dent_del(struct rnode *d, struct rdent **pp)
{
	struct rnode *n = (*pp)->node;

	dent_unhook(d, pp);
	drop_link(d, n);
}

static int r_lookup(struct uk_vnode *dir, const char *name, size_t len,
		    struct uk_vnode **out)
{
	struct rnode *d = RN(dir), *n;
	struct rdent **pp;

	if (!dir->nlink)
		return -ENOENT; /* removed */
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		n = d->parent;
	} else {
		pp = find(d, name, len);
		if (!pp)
			return -ENOENT;
		n = (*pp)->node;
	}
	uk_vnode_ref(&n->vn);
	*out = &n->vn;
	return 0;
}

/* A new node named `name` in `d`, referenced if `out`. */
static int make(struct uk_vnode *dir, const char *name, size_t len,
		uint32_t mode, const char *target, struct uk_vnode **out)
{
	struct rnode *d = RN(dir), *n;
	struct rdent *e;

	if (!dir->nlink)
		return -ENOENT;
	if (find(d, name, len))
		return -EEXIST;
	e = dent_new(name, len);
	n = e ? node_new(dir->mnt, mode) : NULL;
	if (n && target) {
		n->vn.size = (off_t)strlen(target);
		n->target = malloc((size_t)n->vn.size + 1);
		if (n->target)
			memcpy(n->target, target, (size_t)n->vn.size + 1);
	}
	if (!n || (target && !n->target)) {
		if (n)
			node_free(n);
		free(e);
		return -ENOMEM;
	}
	dent_add(d, e, n);
	if (out) {
		uk_vnode_ref(&n->vn);
		*out = &n->vn;
	}
	return 0;
}

static int r_create(struct uk_vnode *dir, const char *name, size_t len,
		    uint32_t mode, struct uk_vnode **out)
{
	return make(dir, name, len, mode, NULL, out);
}

static int r_mkdir(struct uk_vnode *dir, const char *name, size_t len,
		   uint32_t mode)
{
	return make(dir, name, len, mode, NULL, NULL);
}

static int r_symlink(struct uk_vnode *dir, const char *name, size_t len,
		     const char *target)
{
	return make(dir, name, len, UK_S_IFLNK | 0777, target, NULL);
}

static int r_mknod(struct uk_vnode *dir, const char *name, size_t len,
		   uint32_t mode, uint64_t rdev)
{
	struct uk_vnode *vn;
	int r = make(dir, name, len, mode, NULL, &vn);

	if (r)
		return r;
	vn->rdev = rdev;
	uk_vnode_put(vn);
	return 0;
}

static int r_link(struct uk_vnode *dir, const char *name, size_t len,
		  struct uk_vnode *vn)
{
	struct rnode *d = RN(dir);
	struct rdent *e;

	if (!dir->nlink)
		return -ENOENT;
	if (find(d, name, len))
		return -EEXIST;
	e = dent_new(name, len);
	if (!e)
		return -ENOMEM;
	vn->nlink++;
	vn->ctime = uk_vfs_now();
	dent_add(d, e, RN(vn));
	return 0;
}

static int r_unlink(struct uk_vnode *dir, const char *name, size_t len)
{
	struct rdent **pp = find(RN(dir), name, len);

	if (!pp)
		return -ENOENT;
	if (ISDIR((*pp)->node))
		return -EISDIR;
	dent_del(RN(dir), pp);
	return 0;
}

static int r_rmdir(struct uk_vnode *dir, const char *name, size_t len)
{
	struct rdent **pp = find(RN(dir), name, len);

	if (!pp)
		return -ENOENT;
	if (!ISDIR((*pp)->node))
		return -ENOTDIR;
	if ((*pp)->node->ents)
		return -ENOTEMPTY;
	dent_del(RN(dir), pp);
	return 0;
}

static int r_rename(struct uk_vnode *odir, const char *oname, size_t olen,
		    struct uk_vnode *ndir, const char *nname, size_t nlen)
{
	struct rnode *od = RN(odir), *nd = RN(ndir), *s, *t, *p;
	struct rdent **sp = find(od, oname, olen), **tp, *e = NULL;

	if (!sp)
		return -ENOENT;
	tp = find(nd, nname, nlen);
	s = (*sp)->node;
	t = tp ? (*tp)->node : NULL;
	if (s == t)
		return 0;
	if (!ndir->nlink)
		return -ENOENT;
	if (ISDIR(s)) { /* not below itself; the depth is finite */
		for (p = nd;; p = p->parent) {
			if (p == s)
				return -EINVAL;
			if (p == p->parent)
				break;
		}
	}
	if (t && ISDIR(s) && !ISDIR(t))
		return -ENOTDIR;
	if (t && !ISDIR(s) && ISDIR(t))
		return -EISDIR;
	if (t && ISDIR(t) && t->ents)
		return -ENOTEMPTY;
	if (!t && !(e = dent_new(nname, nlen)))
		return -ENOMEM;
	/* no failure from here on */
	dent_unhook(od, sp);
	if (ISDIR(s))
		od->vn.nlink--;
	if (t) {
		tp = find(nd, nname, nlen); /* the unhook may have moved it */
		(*tp)->node = s;
		drop_link(nd, t);
		if (ISDIR(s)) {
			s->parent = nd;
			nd->vn.nlink++;
		}
		touch(nd);
	} else {
		dent_add(nd, e, s);
	}
	s->vn.ctime = uk_vfs_now();
	return 0;
}

static int r_readdir(struct uk_vnode *dir, uint64_t cookie,
		     uk_vfs_filldir_t fill, void *ctx)
{
	struct rnode *d = RN(dir);

	if (!dir->nlink)
		return 0;
	if (cookie == 0 && fill(ctx, ".", 1, dir->ino, 4, 1))
		return 1;
	if (cookie <= 1 && fill(ctx, "..", 2, d->parent->vn.ino, 4, 2))
		return 1;
	for (struct rdent *e = d->ents; e; e = e->next) {
		if (e->cookie < cookie)
			continue;
		if (fill(ctx, e->name, e->len, e->node->vn.ino,
			 (e->node->vn.mode >> 12) & 15, e->cookie + 1))
			return 1;
	}
	return 0;
}

/* ---- data ---- */

static ssize_t r_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	if (len > (size_t)vn->size)
		len = (size_t)vn->size;
	memcpy(buf, RN(vn)->target, len);
	return (ssize_t)len;
}

static ssize_t r_read(struct uk_vnode *vn, void *buf, size_t len, off_t off)
{
	struct rnode *n = RN(vn);
	size_t done = 0;

	if (off < 0)
		return -EINVAL;
	if (off >= vn->size)
		return 0;
	if (len > (size_t)(vn->size - off))
		len = (size_t)(vn->size - off);
	while (done < len) {
		size_t i = (size_t)off / BLK, o = (size_t)off % BLK;
		size_t c = BLK - o < len - done ? BLK - o : len - done;

		if (i < n->nblk && n->blk[i])
			memcpy((char *)buf + done, n->blk[i] + o, c);
		else
			memset((char *)buf + done, 0, c);
		done += c;
		off += (off_t)c;
	}
	return (ssize_t)done;
}

static ssize_t r_write(struct uk_vnode *vn, const void *buf, size_t len,
		       off_t off)
{
	struct rnode *n = RN(vn);
	struct rmount *rm = RM(n);
	size_t done = 0, need;
	int err = 0;

	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if ((uint64_t)off >= rm->limit)
		return -EFBIG;
	if (len > rm->limit - (uint64_t)off)
		len = (size_t)(rm->limit - (uint64_t)off);
	need = ((size_t)off + len + BLK - 1) / BLK;
	if (need > n->nblk) {
		char **t = realloc(n->blk, need * sizeof(*t));

		if (!t)
			return -ENOMEM;
		memset(t + n->nblk, 0, (need - n->nblk) * sizeof(*t));
		n->blk = t;
		n->nblk = need;
	}
	while (done < len) {
		size_t i = (size_t)off / BLK, o = (size_t)off % BLK;
		size_t c = BLK - o < len - done ? BLK - o : len - done;

		if (!n->blk[i]) {
			if (rm->used + BLK > rm->limit) {
				err = -ENOSPC;
				break;
			}
			n->blk[i] = malloc(BLK);
			if (!n->blk[i]) {
				err = -ENOMEM;
				break;
			}
			memset(n->blk[i], 0, BLK);
			rm->used += BLK;
			vn->blocks += BLK / 512;
		}
		memcpy(n->blk[i] + o, (const char *)buf + done, c);
		done += c;
		off += (off_t)c;
	}
	if (!done)
		return err;
	if (off > vn->size)
		vn->size = off;
	touch(n);
	return (ssize_t)done;
}

static int r_truncate(struct uk_vnode *vn, off_t len)
{
	struct rnode *n = RN(vn);
	size_t keep = ((size_t)len + BLK - 1) / BLK;

	if ((uint64_t)len > RM(n)->limit)
		return -EFBIG;
	if (len < vn->size) {
		free_blocks(n, keep);
		if (len % (off_t)BLK && keep - 1 < n->nblk && n->blk[keep - 1])
			memset(n->blk[keep - 1] + len % (off_t)BLK, 0,
			       BLK - (size_t)(len % (off_t)BLK));
	}
	vn->size = len;
	touch(n);
	return 0;
}

static void r_inactive(struct uk_vnode *vn)
{
	if (!vn->nlink)
		node_free(RN(vn));
}

static const struct uk_vnode_ops ops = {
	.lookup = r_lookup,
	.create = r_create,
	.mkdir = r_mkdir,
	.symlink = r_symlink,
	.link = r_link,
	.mknod = r_mknod,
	.unlink = r_unlink,
	.rmdir = r_rmdir,
	.rename = r_rename,
	.readlink = r_readlink,
	.read = r_read,
	.write = r_write,
	.truncate = r_truncate,
	.readdir = r_readdir,
	.inactive = r_inactive,
};

/* ---- mounts ---- */

/* "size=N[k|m|g],mode=OCTAL"; returns 0 or -EINVAL */
static int parse(const char *data, uint64_t *size, uint32_t *mode)
{
	const char *p = data;

	while (p && *p) {
		char *end;

		if (!strncmp(p, "size=", 5)) {
			unsigned long long v = strtoull(p + 5, &end, 10);
			int sh = *end == 'k' || *end == 'K'   ? 10
				 : *end == 'm' || *end == 'M' ? 20
				 : *end == 'g' || *end == 'G' ? 30
							      : 0;

			if (end == p + 5 || v > (1ULL << (62 - sh)))
				return -EINVAL;
			*size = (uint64_t)v << sh;
			end += sh != 0;
		} else if (!strncmp(p, "mode=", 5)) {
			*mode = (uint32_t)strtoul(p + 5, &end, 8) & 07777;
			if (end == p + 5)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
		if (*end && *end != ',')
			return -EINVAL;
		p = *end ? end + 1 : end;
	}
	return 0;
}

static int r_mount(struct uk_mount *m, const char *data)
{
	struct rmount *rm;
	struct rnode *root;
	uint64_t size = UK_RAMFS_DEFAULT_SIZE;
	uint32_t mode = 0755;
	int r = parse(data, &size, &mode);

	if (r)
		return r;
	rm = calloc(1, sizeof(*rm));
	if (!rm)
		return -ENOMEM;
	rm->limit = size;
	rm->next_ino = 1;
	m->priv = rm;
	root = node_new(m, UK_S_IFDIR | mode);
	if (!root) {
		free(rm);
		return -ENOMEM;
	}
	m->root = &root->vn;
	uk_vnode_ref(m->root);
	return 0;
}

static void r_unmount(struct uk_mount *m)
{
	struct rmount *rm = m->priv;

	while (rm->nodes) {
		struct rnode *n = rm->nodes;

		while (n->ents) {
			struct rdent *e = n->ents;

			n->ents = e->next;
			free(e);
		}
		node_free(n);
	}
	free(rm);
}

static int r_statfs(struct uk_mount *m, struct uk_statfs *st)
{
	struct rmount *rm = m->priv;

	st->f_blocks = rm->limit / BLK;
	st->f_bfree = st->f_bavail = (rm->limit - rm->used) / BLK;
	st->f_files = rm->next_ino;
	st->f_ffree = UINT32_MAX;
	return 0;
}

static struct uk_fstype ramfs = {
	.name = "ramfs",
	.magic = RAMFS_MAGIC,
	.mount = r_mount,
	.unmount = r_unmount,
	.statfs = r_statfs,
};

int uk_ramfs_init(void)
{
	int r = uk_vfs_register(&ramfs);

	return r == -EEXIST ? 0 : r;
}
UK_INIT_CLASS(uk_ramfs_init, UK_INIT_LIB, 5);
