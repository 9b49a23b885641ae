/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A uk9p test double for native unit tests: a 9P2000.L server that serves
 * a directory of the host (the test's temporary directory) through an
 * in-memory transport, so that the client, and the filesystem above it,
 * run against real files.
 *
 *   p9_test_init(&t, tag, rootdir, msize_max)   (not registered: call
 *                       uk_9p_trans_register(&t.trans) when wanted)
 *   t.fail_type / t.fail_errno   answer the next request of that type with
 *                       Rlerror(fail_errno) (a Linux errno), once
 *   t.garble_type       answer the next request of that type with a reply
 *                       whose size field lies (malformed), once
 *   t.version           the version string Rversion names ("9P2000.L")
 *   t.nreq[type]        requests seen per T-message type
 *   t.open_fids         fids the client holds
 *
 * The decoder here is written apart from the client's on purpose: a bug in
 * one is not hidden by the same bug in the other. Linux only (host errno
 * numbers are what Rlerror carries).
 *
 * Header-only: include it in exactly one C file of a test.
 */
#ifndef UK_9P_TESTING_H
#define UK_9P_TESTING_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <uk/9p.h>

#define P9T_FIDS 4096

struct p9t_fid {
	int used;
	char path[PATH_MAX];
	int fd;
};

struct p9_test {
	struct uk_9p_trans trans;
	char root[PATH_MAX];
	uint32_t msize_max, msize;
	struct p9t_fid fids[P9T_FIDS];
	int fail_type;
	uint32_t fail_errno;
	int garble_type;
	const char *version;
	unsigned nreq[256];
	unsigned open_fids;
	uint8_t *in, *out; /* msize-sized message buffers */
};

/* ---- the server's own little codec ---- */
struct p9t_cur {
	const uint8_t *p;
	uint32_t len, pos;
	int err;
};

static uint64_t p9t_get(struct p9t_cur *c, int n)
{
	uint64_t v = 0;
	if (c->err || (uint32_t)n > c->len - c->pos) {
		c->err = 1;
		return 0;
	}
	for (int i = 0; i < n; i++)
		v |= (uint64_t)c->p[c->pos + i] << (8 * i);
	c->pos += (uint32_t)n;
	return v;
}

/* a string into buf (NUL-terminated); its length */
static int p9t_str(struct p9t_cur *c, char *buf, size_t cap)
{
	uint32_t n = (uint32_t)p9t_get(c, 2);
	if (c->err || n > c->len - c->pos || n >= cap) {
		c->err = 1;
		buf[0] = 0;
		return 0;
	}
	memcpy(buf, c->p + c->pos, n);
	buf[n] = 0;
	c->pos += n;
	return (int)n;
}

struct p9t_out {
	uint8_t *p;
	uint32_t len, cap;
};

static void p9t_put(struct p9t_out *o, uint64_t v, int n)
{
	for (int i = 0; i < n && o->len < o->cap; i++)
		o->p[o->len++] = (uint8_t)(v >> (8 * i));
}

static void p9t_puts(struct p9t_out *o, const char *s, size_t n)
{
	p9t_put(o, n, 2);
	if (n > o->cap - o->len)
		n = o->cap - o->len;
	memcpy(o->p + o->len, s, n);
	o->len += (uint32_t)n;
}

static void p9t_qid(struct p9t_out *o, const struct stat *st)
{
	uint8_t type = S_ISDIR(st->st_mode)   ? UK_9P_QTDIR
		       : S_ISLNK(st->st_mode) ? UK_9P_QTSYMLINK
					      : 0;
	p9t_put(o, type, 1);
	p9t_put(o, (uint64_t)st->st_mtime, 4);
	p9t_put(o, st->st_ino, 8);
}

static struct p9t_fid *p9t_fid(struct p9_test *t, uint32_t fid)
{
	return fid < P9T_FIDS && t->fids[fid].used ? &t->fids[fid] : NULL;
}

static void p9t_close(struct p9_test *t, struct p9t_fid *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->used = 0;
	t->open_fids--;
}

static int p9t_join(char *out, const char *dir, const char *name)
{
	if (strchr(name, '/'))
		return -EINVAL;
	if (snprintf(out, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Handle one T-message; the R-message goes to o (after its header).
 * Returns 0, or a positive Linux errno for Rlerror. */
static int p9t_handle(struct p9_test *t, uint8_t type, struct p9t_cur *c,
		      struct p9t_out *o, uint8_t *rtype)
{
	char name[NAME_MAX + 2], name2[NAME_MAX + 2], path[PATH_MAX];
	char tgt[PATH_MAX];
	struct p9t_fid *f, *g;
	struct stat st;
	uint32_t fid, n;
	uint64_t off;

	*rtype = (uint8_t)(type + 1);
	switch (type) {
	case UK_9P_TVERSION: {
		uint32_t ms = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name, sizeof(name));
		t->msize = ms < t->msize_max ? ms : t->msize_max;
		p9t_put(o, t->msize, 4);
		p9t_puts(o, t->version, strlen(t->version));
		return 0;
	}
	case UK_9P_TATTACH:
		fid = (uint32_t)p9t_get(c, 4);
		if (fid >= P9T_FIDS || t->fids[fid].used)
			return EBADF;
		if (lstat(t->root, &st))
			return errno;
		t->fids[fid] = (struct p9t_fid){1, "", -1};
		strcpy(t->fids[fid].path, t->root);
		t->open_fids++;
		p9t_qid(o, &st);
		return 0;
	case UK_9P_TWALK: {
		uint32_t nfid;
		uint16_t nw, i;
		fid = (uint32_t)p9t_get(c, 4);
		nfid = (uint32_t)p9t_get(c, 4);
		nw = (uint16_t)p9t_get(c, 2);
		if (!(f = p9t_fid(t, fid)) || nfid >= P9T_FIDS ||
		    (nfid != fid && t->fids[nfid].used) || nw > 16)
			return EBADF;
		strcpy(path, f->path);
		uint32_t at = o->len;
		p9t_put(o, 0, 2);
		for (i = 0; i < nw; i++) {
			p9t_str(c, name, sizeof(name));
			if (c->err)
				return EINVAL;
			if (!strcmp(name, "..")) {
				if (strcmp(path, t->root)) {
					char *s = strrchr(path, '/');
					*s = 0;
				}
			} else if (strcmp(name, ".")) {
				if (p9t_join(tgt, path, name))
					break;
				strcpy(path, tgt);
			}
			if (lstat(path, &st)) {
				if (i == 0)
					return errno;
				break;
			}
			p9t_qid(o, &st);
		}
		o->p[at] = (uint8_t)i;
		o->p[at + 1] = (uint8_t)(i >> 8);
		if (i == nw) {
			if (nfid == fid) {
				strcpy(f->path, path);
			} else {
				t->fids[nfid] = (struct p9t_fid){1, "", -1};
				strcpy(t->fids[nfid].path, path);
				t->open_fids++;
			}
		}
		return 0;
	}
	case UK_9P_TLOPEN:
		fid = (uint32_t)p9t_get(c, 4);
		n = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd >= 0)
			return EBADF;
		f->fd = open(f->path, (int)(n & ~(O_CREAT | O_EXCL)));
		if (f->fd < 0 || fstat(f->fd, &st))
			return errno;
		p9t_qid(o, &st);
		p9t_put(o, 0, 4);
		return 0;
	case UK_9P_TLCREATE: {
		uint32_t mode;
		fid = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name, sizeof(name));
		n = (uint32_t)p9t_get(c, 4);
		mode = (uint32_t)p9t_get(c, 4);
		p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd >= 0)
			return EBADF;
		if (p9t_join(path, f->path, name))
			return EINVAL;
		int fd = open(path, (int)n | O_CREAT, mode);
		if (fd < 0)
			return errno;
		f->fd = fd;
		strcpy(f->path, path);
		fstat(fd, &st);
		p9t_qid(o, &st);
		p9t_put(o, 0, 4);
		return 0;
	}
	case UK_9P_TREAD:
		fid = (uint32_t)p9t_get(c, 4);
		off = p9t_get(c, 8);
		n = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd < 0)
			return EBADF;
		if (n > t->msize - 11)
			n = t->msize - 11;
		{
			ssize_t r =
				pread(f->fd, o->p + o->len + 4, n, (off_t)off);
			if (r < 0)
				return errno;
			p9t_put(o, (uint64_t)r, 4);
			o->len += (uint32_t)r;
		}
		return 0;
	case UK_9P_TWRITE:
		fid = (uint32_t)p9t_get(c, 4);
		off = p9t_get(c, 8);
		n = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd < 0)
			return EBADF;
		if (n > c->len - c->pos)
			return EINVAL;
		{
			ssize_t r = pwrite(f->fd, c->p + c->pos, n, (off_t)off);
			if (r < 0)
				return errno;
			p9t_put(o, (uint64_t)r, 4);
		}
		return 0;
	case UK_9P_TCLUNK:
		fid = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		p9t_close(t, f);
		return 0;
	case UK_9P_TGETATTR:
		fid = (uint32_t)p9t_get(c, 4);
		p9t_get(c, 8);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		if (lstat(f->path, &st))
			return errno;
		p9t_put(o, UK_9P_GETATTR_BASIC, 8);
		p9t_qid(o, &st);
		p9t_put(o, st.st_mode, 4);
		p9t_put(o, st.st_uid, 4);
		p9t_put(o, st.st_gid, 4);
		p9t_put(o, st.st_nlink, 8);
		p9t_put(o, st.st_rdev, 8);
		p9t_put(o, (uint64_t)st.st_size, 8);
		p9t_put(o, (uint64_t)st.st_blksize, 8);
		p9t_put(o, (uint64_t)st.st_blocks, 8);
		p9t_put(o, (uint64_t)st.st_atim.tv_sec, 8);
		p9t_put(o, (uint64_t)st.st_atim.tv_nsec, 8);
		p9t_put(o, (uint64_t)st.st_mtim.tv_sec, 8);
		p9t_put(o, (uint64_t)st.st_mtim.tv_nsec, 8);
		p9t_put(o, (uint64_t)st.st_ctim.tv_sec, 8);
		p9t_put(o, (uint64_t)st.st_ctim.tv_nsec, 8);
		for (int i = 0; i < 4; i++)
			p9t_put(o, 0, 8); /* btime, gen, data_version */
		return 0;
	case UK_9P_TSETATTR: {
		uint32_t valid, mode;
		uint64_t size, as, an, ms, mn;
		fid = (uint32_t)p9t_get(c, 4);
		valid = (uint32_t)p9t_get(c, 4);
		mode = (uint32_t)p9t_get(c, 4);
		p9t_get(c, 4);
		p9t_get(c, 4);
		size = p9t_get(c, 8);
		as = p9t_get(c, 8);
		an = p9t_get(c, 8);
		ms = p9t_get(c, 8);
		mn = p9t_get(c, 8);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		if ((valid & UK_9P_SETATTR_MODE) &&
		    chmod(f->path, mode & 07777))
			return errno;
		if ((valid & UK_9P_SETATTR_SIZE) &&
		    truncate(f->path, (off_t)size))
			return errno;
		if (valid & (UK_9P_SETATTR_ATIME | UK_9P_SETATTR_MTIME)) {
			struct timespec ts[2] = {{0, UTIME_OMIT},
						 {0, UTIME_OMIT}};
			if (valid & UK_9P_SETATTR_ATIME)
				ts[0] = (valid & UK_9P_SETATTR_ATIME_SET)
						? (struct timespec){(time_t)as,
								    (long)an}
						: (struct timespec){0,
								    UTIME_NOW};
			if (valid & UK_9P_SETATTR_MTIME)
				ts[1] = (valid & UK_9P_SETATTR_MTIME_SET)
						? (struct timespec){(time_t)ms,
								    (long)mn}
						: (struct timespec){0,
								    UTIME_NOW};
			if (utimensat(AT_FDCWD, f->path, ts,
				      AT_SYMLINK_NOFOLLOW))
				return errno;
		}
		return 0;
	}
	case UK_9P_TREADDIR: {
		DIR *d;
		struct dirent *de;
		uint64_t idx = 0;
		fid = (uint32_t)p9t_get(c, 4);
		off = p9t_get(c, 8);
		n = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd < 0)
			return EBADF;
		if (n > t->msize - 11)
			n = t->msize - 11;
		d = opendir(f->path);
		if (!d)
			return errno;
		uint32_t at = o->len;
		p9t_put(o, 0, 4);
		while ((de = readdir(d))) {
			size_t nl = strlen(de->d_name);
			if (idx++ < off)
				continue;
			if (o->len - at - 4 + 13 + 8 + 1 + 2 + nl > n)
				break;
			if (p9t_join(path, f->path, de->d_name) ||
			    lstat(path, &st))
				memset(&st, 0, sizeof(st));
			p9t_qid(o, &st);
			p9t_put(o, idx, 8);
			p9t_put(o, de->d_type, 1);
			p9t_puts(o, de->d_name, nl);
		}
		closedir(d);
		n = o->len - at - 4;
		for (int i = 0; i < 4; i++)
			o->p[at + i] = (uint8_t)(n >> (8 * i));
		return 0;
	}
	case UK_9P_TMKDIR:
	case UK_9P_TSYMLINK:
		fid = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name, sizeof(name));
		if (type == UK_9P_TMKDIR)
			n = (uint32_t)p9t_get(c, 4);
		else
			p9t_str(c, tgt, sizeof(tgt));
		p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		if (c->err || p9t_join(path, f->path, name))
			return EINVAL;
		if (type == UK_9P_TMKDIR ? mkdir(path, n & 07777)
					 : symlink(tgt, path))
			return errno;
		lstat(path, &st);
		p9t_qid(o, &st);
		return 0;
	case UK_9P_TREADLINK: {
		fid = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		ssize_t r = readlink(f->path, tgt, sizeof(tgt));
		if (r < 0)
			return errno;
		p9t_puts(o, tgt, (size_t)r);
		return 0;
	}
	case UK_9P_TRENAMEAT: {
		uint32_t nd;
		fid = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name, sizeof(name));
		nd = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name2, sizeof(name2));
		if (!(f = p9t_fid(t, fid)) || !(g = p9t_fid(t, nd)))
			return EBADF;
		if (c->err || p9t_join(path, f->path, name) ||
		    p9t_join(tgt, g->path, name2))
			return EINVAL;
		return rename(path, tgt) ? errno : 0;
	}
	case UK_9P_TUNLINKAT:
		fid = (uint32_t)p9t_get(c, 4);
		p9t_str(c, name, sizeof(name));
		n = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		if (c->err || p9t_join(path, f->path, name))
			return EINVAL;
		return ((n & UK_9P_AT_REMOVEDIR) ? rmdir(path) : unlink(path))
			       ? errno
			       : 0;
	case UK_9P_TFSYNC:
		fid = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)) || f->fd < 0)
			return EBADF;
		return fsync(f->fd) ? errno : 0;
	case UK_9P_TSTATFS: {
		struct statvfs sv;
		fid = (uint32_t)p9t_get(c, 4);
		if (!(f = p9t_fid(t, fid)))
			return EBADF;
		if (statvfs(f->path, &sv))
			return errno;
		p9t_put(o, 0x01021997, 4);
		p9t_put(o, sv.f_bsize, 4);
		p9t_put(o, sv.f_blocks, 8);
		p9t_put(o, sv.f_bfree, 8);
		p9t_put(o, sv.f_bavail, 8);
		p9t_put(o, sv.f_files, 8);
		p9t_put(o, sv.f_ffree, 8);
		p9t_put(o, sv.f_fsid, 8);
		p9t_put(o, sv.f_namemax, 4);
		return 0;
	}
	default:
		return EOPNOTSUPP;
	}
}

static int p9t_request(struct uk_9p_trans *tr, struct uk_9p_io *io)
{
	struct p9_test *t = (struct p9_test *)tr->priv;
	uint32_t tlen = io->tlen + io->tdatalen, size, rcap;
	struct p9t_cur c;
	struct p9t_out o;
	uint8_t type, rtype;
	uint16_t tag;
	int e;

	if (tlen > t->msize_max || tlen < 7)
		return -EIO;
	memcpy(t->in, io->t, io->tlen);
	if (io->tdatalen)
		memcpy(t->in + io->tlen, io->tdata, io->tdatalen);
	c = (struct p9t_cur){t->in, tlen, 0, 0};
	size = (uint32_t)p9t_get(&c, 4);
	type = (uint8_t)p9t_get(&c, 1);
	tag = (uint16_t)p9t_get(&c, 2);
	if (size != tlen)
		return -EIO;
	t->nreq[type]++;
	rcap = io->rlen + io->rdatalen;
	if (rcap > t->msize_max)
		rcap = t->msize_max;
	o = (struct p9t_out){t->out, 7, rcap};
	if (t->fail_type == type) {
		t->fail_type = -1;
		e = (int)t->fail_errno;
	} else {
		e = p9t_handle(t, type, &c, &o, &rtype);
		if (!e && c.err)
			e = EINVAL;
	}
	if (e) {
		o.len = 7;
		rtype = UK_9P_RLERROR;
		p9t_put(&o, (uint64_t)e, 4);
	}
	size = o.len;
	t->out[0] = (uint8_t)size;
	t->out[1] = (uint8_t)(size >> 8);
	t->out[2] = (uint8_t)(size >> 16);
	t->out[3] = (uint8_t)(size >> 24);
	t->out[4] = rtype;
	t->out[5] = (uint8_t)tag;
	t->out[6] = (uint8_t)(tag >> 8);
	if (t->garble_type == type) {
		t->garble_type = -1;
		t->out[0] = 0xff; /* the size lies */
		t->out[3] = 0x7f;
	}
	/* scatter into r then rdata, as a device writes its buffers */
	uint32_t k = size < io->rlen ? size : io->rlen;
	memcpy(io->r, t->out, k);
	if (size > k)
		memcpy(io->rdata, t->out + k, size - k);
	io->rgot = size;
	return 0;
}

static const struct uk_9p_trans_ops p9t_ops = {.request = p9t_request};

static inline int p9_test_init(struct p9_test *t, const char *tag,
			       const char *root, uint32_t msize_max)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->root, sizeof(t->root), "%s", root);
	t->msize_max = msize_max;
	t->fail_type = t->garble_type = -1;
	t->version = "9P2000.L";
	t->in = malloc(msize_max);
	t->out = malloc(msize_max);
	if (!t->in || !t->out)
		return -ENOMEM;
	for (int i = 0; i < P9T_FIDS; i++)
		t->fids[i].fd = -1;
	t->trans.ops = &p9t_ops;
	t->trans.tag = tag;
	t->trans.desc = "9p test server";
	t->trans.max_msize = msize_max;
	t->trans.priv = t;
	return 0;
}

static inline void p9_test_fini(struct p9_test *t)
{
	for (int i = 0; i < P9T_FIDS; i++)
		if (t->fids[i].used)
			p9t_close(t, &t->fids[i]);
	free(t->in);
	free(t->out);
}

#endif /* UK_9P_TESTING_H */
