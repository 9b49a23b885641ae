/* SPDX-License-Identifier: BSD-3-Clause */
/* uk9p: 9P2000.L messages, the client calls, the transport registry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/9p.h>
#include <uk/print.h>

#define NOTAG  0xffff
#define HDR    7  /* size[4] type[1] tag[2] */
#define RIOHDR 11 /* Rread/Rreaddir: HDR + count[4] */
#define NFIDS  65536u

/* ---- transports ---- */

static struct uk_9p_trans *transports;

int uk_9p_trans_register(struct uk_9p_trans *t)
{
	struct uk_9p_trans **p = &transports;

	if (!t || !t->ops || !t->ops->request || !t->tag || !t->tag[0])
		return -EINVAL;
	if (uk_9p_trans_find(t->tag))
		return -EEXIST;
	while (*p)
		p = &(*p)->next;
	t->next = NULL;
	t->in_use = 0;
	*p = t;
	return 0;
}

struct uk_9p_trans *uk_9p_trans_find(const char *tag)
{
	for (struct uk_9p_trans *t = transports; t && tag; t = t->next)
		if (!strcmp(t->tag, tag))
			return t;
	return NULL;
}

void uk_9p_trans_list(char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	buf[0] = 0;
	for (struct uk_9p_trans *t = transports; t; t = t->next) {
		size_t k = strlen(t->tag);
		if (n + k + 2 > len)
			break;
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, t->tag, k + 1);
		n += k;
	}
}

/* ---- errno ---- */

int uk_9p_errno(uint32_t e)
{
	/* Linux's numbers (what 9P2000.L servers send) to ours */
	switch (e) {
	case 1:
		return -EPERM;
	case 2:
		return -ENOENT;
	case 4:
		return -EINTR;
	case 5:
		return -EIO;
	case 6:
		return -ENXIO;
	case 7:
		return -E2BIG;
	case 9:
		return -EBADF;
	case 11:
		return -EAGAIN;
	case 12:
		return -ENOMEM;
	case 13:
		return -EACCES;
	case 14:
		return -EFAULT;
	case 16:
		return -EBUSY;
	case 17:
		return -EEXIST;
	case 18:
		return -EXDEV;
	case 19:
		return -ENODEV;
	case 20:
		return -ENOTDIR;
	case 21:
		return -EISDIR;
	case 22:
		return -EINVAL;
	case 23:
		return -ENFILE;
	case 24:
		return -EMFILE;
	case 26:
		return -ETXTBSY;
	case 27:
		return -EFBIG;
	case 28:
		return -ENOSPC;
	case 29:
		return -ESPIPE;
	case 30:
		return -EROFS;
	case 31:
		return -EMLINK;
	case 34:
		return -ERANGE;
	case 36:
		return -ENAMETOOLONG;
	case 38:
		return -ENOSYS;
	case 39:
		return -ENOTEMPTY;
	case 40:
		return -ELOOP;
	case 61:
		return -ENODATA;
	case 75:
		return -EOVERFLOW;
	case 95:
		return -ENOTSUP;
	case 110:
		return -ETIMEDOUT;
	case 116:
		return -ESTALE;
	case 122:
		return -EDQUOT;
	default:
		uk_pr_warn("9p: server error %u has no local equivalent: EIO",
			   e);
		return -EIO;
	}
}

/* ---- encoding ---- */

struct mb {
	uint8_t *p;
	uint32_t len, cap;
	int err;
};

static void put(struct mb *m, const void *v, uint32_t n)
{
	if (m->err || n > m->cap - m->len) {
		m->err = 1;
		return;
	}
	memcpy(m->p + m->len, v, n);
	m->len += n;
}

static void put8(struct mb *m, uint8_t v)
{
	put(m, &v, 1);
}

static void put16(struct mb *m, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(m, b, 2);
}

static void put32(struct mb *m, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(m, b, 4);
}

static void put64(struct mb *m, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(m, b, 8);
}

static void putstr(struct mb *m, const char *s, size_t n)
{
	if (n > 0xffff) {
		m->err = 1;
		return;
	}
	put16(m, (uint16_t)n);
	put(m, s, (uint32_t)n);
}

/* ---- decoding (bounds-checked: err set, zeros returned) ---- */

struct rb {
	const uint8_t *p;
	uint32_t len, pos;
	int err;
};

static const uint8_t *take(struct rb *r, uint32_t n)
{
	if (r->err || n > r->len - r->pos) {
		r->err = 1;
		return NULL;
	}
	r->pos += n;
	return r->p + r->pos - n;
}

static uint8_t get8(struct rb *r)
{
	const uint8_t *b = take(r, 1);
	return b ? b[0] : 0;
}

static uint16_t get16(struct rb *r)
{
	const uint8_t *b = take(r, 2);
	return b ? (uint16_t)(b[0] | b[1] << 8) : 0;
}

static uint32_t get32(struct rb *r)
{
	const uint8_t *b = take(r, 4);
	uint32_t v = 0;
	for (int i = 0; b && i < 4; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static uint64_t get64(struct rb *r)
{
	const uint8_t *b = take(r, 8);
	uint64_t v = 0;
	for (int i = 0; b && i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static const char *getstr(struct rb *r, uint16_t *n)
{
	*n = get16(r);
	return (const char *)take(r, *n);
}

static void getqid(struct rb *r, struct uk_9p_qid *q)
{
	q->type = get8(r);
	q->version = get32(r);
	q->path = get64(r);
}

/* ---- requests ---- */

/* Start a T-message of `type` in the client's buffer. */
static void begin(struct uk_9p_client *c, struct mb *m, uint8_t type)
{
	m->p = c->tbuf;
	m->cap = UK_9P_SMALL;
	m->len = 0;
	m->err = 0;
	put32(m, 0); /* size, patched in rpc() */
	put8(m, type);
	put16(m, 0); /* tag, patched in rpc() */
}

/*
 * Send the message in `m` (plus tdata) and check the reply: size, tag,
 * type (Rlerror -> its errno). The reply body (after the header) is
 * decoded from `out` (data replies: the count field and no more; their
 * data went to rdata). 0 or -errno.
 */
static int rpc(struct uk_9p_client *c, struct mb *m, const void *tdata,
	       uint32_t tdatalen, void *rdata, uint32_t rdatalen,
	       struct rb *out)
{
	uint8_t type = c->tbuf[4], rtype;
	uint16_t tag = type == UK_9P_TVERSION ? NOTAG : c->tag;
	struct uk_9p_io io;
	uint32_t size, total;
	int rc;

	if (m->err) {
		uk_pr_err("9p: request of type %u does not fit %u bytes", type,
			  UK_9P_SMALL);
		return -ENAMETOOLONG;
	}
	total = m->len + tdatalen;
	for (int i = 0; i < 4; i++)
		c->tbuf[i] = (uint8_t)(total >> (8 * i));
	c->tbuf[5] = (uint8_t)tag;
	c->tbuf[6] = (uint8_t)(tag >> 8);
	if (type != UK_9P_TVERSION)
		c->tag = (uint16_t)(c->tag % 0xfffe + 1); /* never NOTAG */
	io = (struct uk_9p_io){
		.t = c->tbuf,
		.tlen = m->len,
		.tdata = tdata,
		.tdatalen = tdatalen,
		.r = c->rbuf,
		.rlen = rdata ? RIOHDR : UK_9P_SMALL,
		.rdata = rdata,
		.rdatalen = rdata ? rdatalen : 0,
	};
	c->requests++;
	rc = c->trans->ops->request(c->trans, &io);
	if (rc < 0)
		return rc;
	out->p = c->rbuf;
	out->pos = 0;
	out->err = 0;
	out->len = io.rlen;
	size = get32(out);
	rtype = get8(out);
	if (get16(out) != tag || size < HDR || size > io.rgot ||
	    size > io.rlen + io.rdatalen) {
		uk_pr_err("9p %s: malformed reply to a request of type %u "
			  "(size %u, %u bytes received)",
			  c->trans->tag, type, size, io.rgot);
		return -EIO;
	}
	if (!rdata && size < out->len)
		out->len = size;
	if (rtype == UK_9P_RLERROR) {
		uint32_t e = get32(out);
		if (out->err)
			return -EIO;
		return uk_9p_errno(e);
	}
	if (rtype != type + 1) {
		uk_pr_err("9p %s: reply of type %u to a request of type %u",
			  c->trans->tag, rtype, type);
		return -EIO;
	}
	if (rdata) {
		uint32_t n = get32(out);
		if (out->err || n > rdatalen || RIOHDR + n != size) {
			uk_pr_err("9p %s: data reply claims %u bytes (asked "
				  "%u, message %u)",
				  c->trans->tag, n, rdatalen, size);
			return -EIO;
		}
		out->pos = n; /* the count, for the caller */
	}
	return 0;
}

/* Decoding ran past the reply: a malformed message. */
static int bad(struct uk_9p_client *c, struct rb *r, const char *what)
{
	if (!r->err)
		return 0;
	uk_pr_err("9p %s: %s reply too short", c->trans->tag, what);
	return -EIO;
}

/* ---- fids ---- */

int uk_9p_fid_alloc(struct uk_9p_client *c, uint32_t *fid)
{
	/* the lowest free one: servers keep fids in tables */
	for (uint32_t w = 0; w < NFIDS / 32; w++) {
		if (c->fidmap[w] == 0xffffffffu)
			continue;
		uint32_t b = (uint32_t)__builtin_ctz(~c->fidmap[w]);
		c->fidmap[w] |= 1u << b;
		*fid = w * 32 + b;
		return 0;
	}
	return -EMFILE;
}

void uk_9p_fid_free(struct uk_9p_client *c, uint32_t fid)
{
	if (fid < NFIDS)
		c->fidmap[fid / 32] &= ~(1u << (fid % 32));
}

/* ---- connection ---- */

int uk_9p_connect(struct uk_9p_client *c, struct uk_9p_trans *t, uint32_t msize,
		  const char *aname, uint32_t uid)
{
	struct mb m;
	struct rb r;
	uint16_t vlen;
	const char *v;
	int rc;

	memset(c, 0, sizeof(*c));
	if (t->in_use)
		return -ENODEV;
	c->trans = t;
	c->tag = 1;
	c->tbuf = malloc(UK_9P_SMALL);
	c->rbuf = malloc(UK_9P_SMALL);
	c->fidmap = calloc(NFIDS / 32, sizeof(uint32_t));
	if (!c->tbuf || !c->rbuf || !c->fidmap) {
		rc = -ENOMEM;
		goto fail;
	}
	if (t->max_msize && msize > t->max_msize)
		msize = t->max_msize;
	if (msize < UK_9P_MSIZE_MIN)
		msize = UK_9P_MSIZE_MIN;
	c->msize = UK_9P_SMALL; /* until negotiated */
	begin(c, &m, UK_9P_TVERSION);
	put32(&m, msize);
	putstr(&m, "9P2000.L", 8);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc < 0)
		goto fail;
	c->msize = get32(&r);
	v = getstr(&r, &vlen);
	if ((rc = bad(c, &r, "Rversion")))
		goto fail;
	if (vlen != 8 || memcmp(v, "9P2000.L", 8)) {
		uk_pr_err("9p %s: the server speaks '%.*s', not 9P2000.L",
			  t->tag, (int)(vlen > 32 ? 32 : vlen), v);
		rc = -EPROTONOSUPPORT;
		goto fail;
	}
	if (c->msize < UK_9P_MSIZE_MIN || c->msize > msize) {
		uk_pr_err("9p %s: the server chose msize %u (asked %u, at "
			  "least %u needed)",
			  t->tag, c->msize, msize, UK_9P_MSIZE_MIN);
		rc = -EIO;
		goto fail;
	}
	uk_9p_fid_alloc(c, &c->root);
	begin(c, &m, UK_9P_TATTACH);
	put32(&m, c->root);
	put32(&m, UK_9P_NOFID);
	putstr(&m, "", 0);
	putstr(&m, aname ? aname : "", aname ? strlen(aname) : 0);
	put32(&m, uid);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc < 0) {
		uk_pr_err("9p %s: attach refused: %d", t->tag, rc);
		goto fail;
	}
	t->in_use = 1;
	return 0;
fail:
	free(c->tbuf);
	free(c->rbuf);
	free(c->fidmap);
	c->tbuf = c->rbuf = NULL;
	c->fidmap = NULL;
	return rc;
}

void uk_9p_disconnect(struct uk_9p_client *c)
{
	if (!c->trans)
		return;
	uk_9p_clunk(c, c->root);
	c->trans->in_use = 0;
	free(c->tbuf);
	free(c->rbuf);
	free(c->fidmap);
	memset(c, 0, sizeof(*c));
}

/* ---- calls ---- */

int uk_9p_walk(struct uk_9p_client *c, uint32_t fid, const char *const *names,
	       const uint16_t *lens, unsigned n, uint32_t *newfid,
	       struct uk_9p_qid *qid)
{
	struct mb m;
	struct rb r;
	uint32_t nf;
	uint16_t nq;
	int rc;

	if (n > UK_9P_MAXWELEM)
		return -EINVAL;
	rc = uk_9p_fid_alloc(c, &nf);
	if (rc < 0)
		return rc;
	begin(c, &m, UK_9P_TWALK);
	put32(&m, fid);
	put32(&m, nf);
	put16(&m, (uint16_t)n);
	for (unsigned i = 0; i < n; i++)
		putstr(&m, names[i], lens[i]);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc == -EIO) {
		/* malformed or lost reply: the server may hold the fid */
		uk_9p_clunk(c, nf);
		return rc;
	}
	if (rc < 0) {
		uk_9p_fid_free(c, nf);
		return rc;
	}
	nq = get16(&r);
	if (nq > n) {
		r.err = 1;
	} else {
		struct uk_9p_qid q = {0};
		for (unsigned i = 0; i < nq; i++)
			getqid(&r, &q);
		if (qid)
			*qid = q;
	}
	if ((rc = bad(c, &r, "Rwalk"))) {
		uk_9p_clunk(c, nf);
		return rc;
	}
	if (nq < n) { /* a partial walk creates no fid */
		uk_9p_fid_free(c, nf);
		return -ENOENT;
	}
	if (!n && qid) /* a clone has no qid: ask */
		memset(qid, 0, sizeof(*qid));
	*newfid = nf;
	return 0;
}

int uk_9p_clunk(struct uk_9p_client *c, uint32_t fid)
{
	struct mb m;
	struct rb r;
	int rc;

	begin(c, &m, UK_9P_TCLUNK);
	put32(&m, fid);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	/* the fid is gone whatever the reply said (9P: clunk always
	 * releases it) */
	uk_9p_fid_free(c, fid);
	return rc;
}

static int qid_reply(struct uk_9p_client *c, struct mb *m,
		     struct uk_9p_qid *qid, uint32_t *iounit, const char *what)
{
	struct rb r;
	struct uk_9p_qid q;
	int rc = rpc(c, m, NULL, 0, NULL, 0, &r);

	if (rc < 0)
		return rc;
	getqid(&r, &q);
	uint32_t io = iounit ? get32(&r) : 0;
	if ((rc = bad(c, &r, what)))
		return rc;
	if (qid)
		*qid = q;
	if (iounit)
		*iounit = io;
	return 0;
}

int uk_9p_lopen(struct uk_9p_client *c, uint32_t fid, uint32_t flags,
		struct uk_9p_qid *qid, uint32_t *iounit)
{
	struct mb m;
	uint32_t io;

	begin(c, &m, UK_9P_TLOPEN);
	put32(&m, fid);
	put32(&m, flags);
	return qid_reply(c, &m, qid, iounit ? iounit : &io, "Rlopen");
}

int uk_9p_lcreate(struct uk_9p_client *c, uint32_t fid, const char *name,
		  uint16_t len, uint32_t flags, uint32_t mode, uint32_t gid,
		  struct uk_9p_qid *qid)
{
	struct mb m;
	uint32_t io;

	begin(c, &m, UK_9P_TLCREATE);
	put32(&m, fid);
	putstr(&m, name, len);
	put32(&m, flags);
	put32(&m, mode);
	put32(&m, gid);
	return qid_reply(c, &m, qid, &io, "Rlcreate");
}

int uk_9p_mkdir(struct uk_9p_client *c, uint32_t dfid, const char *name,
		uint16_t len, uint32_t mode, uint32_t gid,
		struct uk_9p_qid *qid)
{
	struct mb m;

	begin(c, &m, UK_9P_TMKDIR);
	put32(&m, dfid);
	putstr(&m, name, len);
	put32(&m, mode);
	put32(&m, gid);
	return qid_reply(c, &m, qid, NULL, "Rmkdir");
}

int uk_9p_symlink(struct uk_9p_client *c, uint32_t dfid, const char *name,
		  uint16_t len, const char *target, uint32_t gid,
		  struct uk_9p_qid *qid)
{
	struct mb m;

	begin(c, &m, UK_9P_TSYMLINK);
	put32(&m, dfid);
	putstr(&m, name, len);
	putstr(&m, target, strlen(target));
	put32(&m, gid);
	return qid_reply(c, &m, qid, NULL, "Rsymlink");
}

static int empty_reply(struct uk_9p_client *c, struct mb *m)
{
	struct rb r;

	return rpc(c, m, NULL, 0, NULL, 0, &r);
}

int uk_9p_unlinkat(struct uk_9p_client *c, uint32_t dfid, const char *name,
		   uint16_t len, uint32_t flags)
{
	struct mb m;

	begin(c, &m, UK_9P_TUNLINKAT);
	put32(&m, dfid);
	putstr(&m, name, len);
	put32(&m, flags);
	return empty_reply(c, &m);
}

int uk_9p_renameat(struct uk_9p_client *c, uint32_t odfid, const char *oname,
		   uint16_t olen, uint32_t ndfid, const char *nname,
		   uint16_t nlen)
{
	struct mb m;

	begin(c, &m, UK_9P_TRENAMEAT);
	put32(&m, odfid);
	putstr(&m, oname, olen);
	put32(&m, ndfid);
	putstr(&m, nname, nlen);
	return empty_reply(c, &m);
}

int uk_9p_readlink(struct uk_9p_client *c, uint32_t fid, char *buf, size_t len)
{
	struct mb m;
	struct rb r;
	uint16_t n;
	const char *s;
	int rc;

	begin(c, &m, UK_9P_TREADLINK);
	put32(&m, fid);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc < 0)
		return rc;
	s = getstr(&r, &n);
	if ((rc = bad(c, &r, "Rreadlink")))
		return rc;
	if (n > len)
		n = (uint16_t)len;
	memcpy(buf, s, n);
	return n;
}

int uk_9p_getattr(struct uk_9p_client *c, uint32_t fid, uint64_t mask,
		  struct uk_9p_attr *a)
{
	struct mb m;
	struct rb r;
	int rc;

	begin(c, &m, UK_9P_TGETATTR);
	put32(&m, fid);
	put64(&m, mask);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc < 0)
		return rc;
	a->valid = get64(&r);
	getqid(&r, &a->qid);
	a->mode = get32(&r);
	a->uid = get32(&r);
	a->gid = get32(&r);
	a->nlink = get64(&r);
	a->rdev = get64(&r);
	a->size = get64(&r);
	a->blksize = get64(&r);
	a->blocks = get64(&r);
	a->atime_sec = get64(&r);
	a->atime_nsec = get64(&r);
	a->mtime_sec = get64(&r);
	a->mtime_nsec = get64(&r);
	a->ctime_sec = get64(&r);
	a->ctime_nsec = get64(&r);
	/* btime, gen, data_version follow; not used */
	return bad(c, &r, "Rgetattr");
}

int uk_9p_setattr(struct uk_9p_client *c, uint32_t fid, uint32_t valid,
		  const struct uk_9p_attr *a)
{
	struct mb m;

	begin(c, &m, UK_9P_TSETATTR);
	put32(&m, fid);
	put32(&m, valid);
	put32(&m, a->mode);
	put32(&m, a->uid);
	put32(&m, a->gid);
	put64(&m, a->size);
	put64(&m, a->atime_sec);
	put64(&m, a->atime_nsec);
	put64(&m, a->mtime_sec);
	put64(&m, a->mtime_nsec);
	return empty_reply(c, &m);
}

int uk_9p_fsync(struct uk_9p_client *c, uint32_t fid, int datasync)
{
	struct mb m;

	begin(c, &m, UK_9P_TFSYNC);
	put32(&m, fid);
	put32(&m, datasync ? 1 : 0);
	return empty_reply(c, &m);
}

int uk_9p_statfs(struct uk_9p_client *c, uint32_t fid, struct uk_9p_statfs *s)
{
	struct mb m;
	struct rb r;
	int rc;

	begin(c, &m, UK_9P_TSTATFS);
	put32(&m, fid);
	rc = rpc(c, &m, NULL, 0, NULL, 0, &r);
	if (rc < 0)
		return rc;
	s->type = get32(&r);
	s->bsize = get32(&r);
	s->blocks = get64(&r);
	s->bfree = get64(&r);
	s->bavail = get64(&r);
	s->files = get64(&r);
	s->ffree = get64(&r);
	s->fsid = get64(&r);
	s->namelen = get32(&r);
	return bad(c, &r, "Rstatfs");
}

long uk_9p_read(struct uk_9p_client *c, uint32_t fid, uint64_t off, void *buf,
		size_t len)
{
	const uint32_t max = c->msize - UK_9P_IOHDRSZ;
	size_t done = 0;

	while (done < len) {
		uint32_t k = len - done < max ? (uint32_t)(len - done) : max;
		struct mb m;
		struct rb r;
		int rc;

		begin(c, &m, UK_9P_TREAD);
		put32(&m, fid);
		put64(&m, off + done);
		put32(&m, k);
		rc = rpc(c, &m, NULL, 0, (char *)buf + done, k, &r);
		if (rc < 0)
			return done ? (long)done : rc;
		done += r.pos; /* the count */
		if (r.pos < k)
			break; /* end of file */
	}
	return (long)done;
}

long uk_9p_write(struct uk_9p_client *c, uint32_t fid, uint64_t off,
		 const void *buf, size_t len)
{
	const uint32_t max = c->msize - UK_9P_IOHDRSZ;
	size_t done = 0;

	while (done < len) {
		uint32_t k = len - done < max ? (uint32_t)(len - done) : max;
		struct mb m;
		struct rb r;
		uint32_t n;
		int rc;

		begin(c, &m, UK_9P_TWRITE);
		put32(&m, fid);
		put64(&m, off + done);
		put32(&m, k);
		rc = rpc(c, &m, (const char *)buf + done, k, NULL, 0, &r);
		if (rc < 0)
			return done ? (long)done : rc;
		n = get32(&r);
		if ((rc = bad(c, &r, "Rwrite")) || n > k) {
			uk_pr_err("9p %s: Rwrite claims %u of %u bytes",
				  c->trans->tag, n, k);
			return done ? (long)done : -EIO;
		}
		done += n;
		if (n < k)
			break; /* e.g. the host's disk is full: next call */
	}
	return (long)done;
}

long uk_9p_readdir(struct uk_9p_client *c, uint32_t fid, uint64_t off,
		   void *buf, uint32_t len)
{
	struct mb m;
	struct rb r;
	int rc;

	if (len > c->msize - RIOHDR)
		len = c->msize - RIOHDR;
	begin(c, &m, UK_9P_TREADDIR);
	put32(&m, fid);
	put64(&m, off);
	put32(&m, len);
	rc = rpc(c, &m, NULL, 0, buf, len, &r);
	return rc < 0 ? rc : (long)r.pos;
}

int uk_9p_dirent_next(const void *buf, uint32_t len, uint32_t *pos,
		      struct uk_9p_dirent *e)
{
	struct rb r = {buf, len, *pos, 0};

	if (*pos >= len)
		return 0;
	getqid(&r, &e->qid);
	e->offset = get64(&r);
	e->type = get8(&r);
	e->name = getstr(&r, &e->namelen);
	if (r.err || !e->namelen)
		return -EIO;
	*pos = r.pos;
	return 1;
}
