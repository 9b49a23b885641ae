/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX sockets. Each socket has a receive queue of messages (data, the
 * sender's name for datagrams, and passed files for SCM_RIGHTS); a sender
 * appends to its peer's queue, bounded by QMAX bytes. A stream connect()
 * makes the server side at once and queues it on the listener until
 * accept(). One wait queue per socket, woken on every change of its state;
 * every change of readiness also goes to uk_file_notify. A closed socket
 * unhooks itself from its peers; files still queued are released with it.
 * Sockets whose only references are in queues of such sockets (a socket
 * sent over itself, two sent over each other) are found by a garbage
 * collection pass when a descriptor of a socket is closed.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/posixunix.h>
#include <uk/sched.h>
#include <uk/socket.h>
#include <uk/syscall.h>

#define AF_UNIX_	     1
#define SOCK_STREAM_	     1
#define SOCK_DGRAM_	     2
#define SOCK_SEQPACKET_	     5
#define SOCK_NONBLOCK_	     04000
#define SOCK_CLOEXEC_	     02000000
#define SOL_SOCKET_	     1
#define SCM_RIGHTS_	     1
#define SCM_CREDENTIALS_     2
#define SO_TYPE_	     3
#define SO_ERROR_	     4
#define SO_SNDBUF_	     7
#define SO_RCVBUF_	     8
#define SO_PASSCRED_	     16
#define SO_PEERCRED_	     17
#define SO_ACCEPTCONN_	     30
#define SO_DOMAIN_	     39
#define SO_REUSEADDR_	     2
#define MSG_PEEK_	     2
#define MSG_TRUNC_	     0x20
#define MSG_DONTWAIT_	     0x40
#define MSG_WAITALL_	     0x100
#define MSG_NOSIGNAL_	     0x4000
#define MSG_CTRUNC_	     0x8
#define MSG_CMSG_CLOEXEC_    0x40000000
#define SIGPIPE_	     13
#define AT_FDCWD_	     (-100)
#define AT_SYMLINK_NOFOLLOW_ 0x100
#define QMAX		     (256 * 1024) /* receive queue bytes */
#define DGRAM_QLEN	     512
#define SCM_MAX_FD	     253
#define SUN_PATH	     108
#define IOV_MAX_	     1024

struct sun { /* struct sockaddr_un */
	uint16_t family;
	char path[SUN_PATH];
};

struct l_msghdr {
	void *name;
	uint32_t namelen;
	struct uk_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};

struct l_cmsghdr {
	size_t len;
	int level, type;
};
#define CMSG_ALIGN_(n) (((n) + 7) & ~(size_t)7)
#define CMSG_HDR       sizeof(struct l_cmsghdr)

struct ucred_ { /* struct ucred */
	int32_t pid;
	uint32_t uid, gid;
};

struct msg {
	struct msg *next;
	size_t len, off;
	struct uk_file **files; /* SCM_RIGHTS, nfiles references */
	unsigned nfiles;
	struct ucred_ cred; /* the sender's, or what it sent */
	struct sun from;    /* datagrams: the sender's name */
	uint32_t fromlen;
	char data[];
};

enum { S_NEW, S_LISTEN, S_CONNECTED };

struct usock {
	struct usock *all_next, *all_prev;
	struct uk_file *f;
	int type, state;
	struct usock *peer; /* stream: the other end; dgram: default */
	struct sun name;    /* bound name (namelen 0: none) */
	uint32_t namelen;
	uint64_t dev, ino;   /* path binding: the socket node */
	struct msg *qh, *qt; /* receive queue */
	size_t qbytes;
	unsigned qcount;
	struct usock *pend_h, *pend_t, *pend_next; /* listener's backlog */
	struct usock *listener;			   /* while pending */
	int backlog, npend;
	int shut_rd, shut_wr, peer_gone;
	int passcred;	   /* SO_PASSCRED */
	unsigned inflight; /* references to f held by queued messages */
	/* garbage collection (gc()): 0 no candidate, 1 candidate, 2 reachable
	 * candidate; references from outside the candidates' queues */
	int gc_mark, gc_ext;
	struct usock *gc_next, *gc_work;
	struct uk_waitq wq;
};

static struct usock *all;
static unsigned nr_socks, total_inflight;

/* Connection-oriented (stream, seqpacket) / keeps message boundaries
 * (datagram, seqpacket). */
static int conn(const struct usock *s)
{
	return s->type != SOCK_DGRAM_;
}

static int msgs(const struct usock *s)
{
	return s->type != SOCK_STREAM_;
}
static const struct uk_file_ops unix_ops;

int uk_unix_is(const struct uk_file *f)
{
	return f->ops == &unix_ops;
}

/*
 * The one place a socket call sleeps: until woken (0), or until a signal the
 * thread must handle arrives (posixprocess interrupts the wait):
 * -UK_ERESTARTSYS.
 */
static int sleep_on(struct uk_waitq *wq)
{
	/* Linux's ERESTARTSYS: made again under SA_RESTART, else EINTR */
	if (uk_waitq_wait_intr(wq, UK_SCHED_FOREVER) == -EINTR)
		return -UK_ERESTARTSYS;
	return 0;
}

/* SIGPIPE to the writer (through the shim: whichever signal library the
 * image has), unless MSG_NOSIGNAL. */
static void raise_sigpipe(int flags)
{
	long tid;

	if (flags & MSG_NOSIGNAL_)
		return;
	tid = uk_syscall_call(gettid);
	uk_syscall_call(tkill, tid, SIGPIPE_);
}

static void changed(struct usock *s, unsigned ev)
{
	uk_waitq_wake_all(&s->wq);
	uk_file_notify(s->f, ev);
}

/* A file leaves a message (delivered or dropped): one reference fewer in
 * flight. The caller then owns the reference. */
static void leave_flight(struct uk_file *f)
{
	if (uk_unix_is(f)) {
		((struct usock *)f->priv)->inflight--;
		total_inflight--;
	}
}

static void msg_free(struct msg *m)
{
	for (unsigned i = 0; i < m->nfiles; i++) {
		leave_flight(m->files[i]);
		uk_file_put(m->files[i]);
	}
	free(m->files);
	free(m);
}

static void queue_drop(struct usock *s)
{
	while (s->qh) { /* bounded: the queue */
		struct msg *m = s->qh;

		s->qh = m->next;
		msg_free(m);
	}
	s->qt = NULL;
	s->qbytes = 0;
	s->qcount = 0;
}

static struct usock *usock_new(int type, unsigned fflags)
{
	struct usock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->type = type;
	s->f = uk_file_create(&unix_ops, s, UK_O_RDWR | fflags);
	if (!s->f) {
		free(s);
		return NULL;
	}
	s->all_next = all;
	if (all)
		all->all_prev = s;
	all = s;
	nr_socks++;
	return s;
}

unsigned uk_unix_count(void)
{
	return nr_socks;
}

/* ---- names ---- */

/* Check a sockaddr_un; 0 with *abstract set, or -EINVAL/-EFAULT. */
static int name_check(const void *addr, uint32_t len, int *abstract)
{
	const struct sun *a = addr;

	if (!addr)
		return -EFAULT;
	if (len < sizeof(uint16_t) || len > sizeof(struct sun))
		return -EINVAL;
	if (a->family != AF_UNIX_)
		return -EINVAL;
	if (len == sizeof(uint16_t))
		return -EINVAL; /* no name (bind: autobind, see u_bind) */
	*abstract = a->path[0] == 0;
	if (!*abstract && !memchr(a->path, 0, len - sizeof(uint16_t)) &&
	    len == sizeof(struct sun))
		return -EINVAL; /* no room for the terminating NUL */
	return 0;
}

/* A path name as a C string (sun_path need not be terminated). */
static void path_of(const void *addr, uint32_t len, char *out)
{
	size_t n = len - sizeof(uint16_t);

	memcpy(out, ((const struct sun *)addr)->path, n);
	out[n] = 0;
}

/* The socket bound to `addr` (of `type`), or NULL with *err. */
static struct usock *lookup(const void *addr, uint32_t len, int type, int *err)
{
	char path[SUN_PATH + 1];
	struct uk_stat st; /* the architecture's layout */
	int abstract, r = name_check(addr, len, &abstract);

	*err = r;
	if (r)
		return NULL;
	if (abstract) {
		for (struct usock *s = all; s; s = s->all_next)
			if (s->namelen == len && !s->ino &&
			    !memcmp(&s->name, addr, len) && s->type == type)
				return s;
		*err = -ECONNREFUSED;
		return NULL;
	}
	path_of(addr, len, path);
	r = (int)uk_syscall_call(newfstatat, AT_FDCWD_, path, &st, 0);
	if (r) {
		*err = r;
		return NULL;
	}
	*err = -ECONNREFUSED;
	if ((st.st_mode & UK_S_IFMT) != UK_S_IFSOCK)
		return NULL;
	for (struct usock *s = all; s; s = s->all_next)
		if (s->ino == st.st_ino && s->dev == st.st_dev && s->namelen) {
			if (s->type != type)
				*err = -EPROTOTYPE;
			return s->type == type ? s : NULL;
		}
	return NULL;
}

/* Linux's autobind: an abstract name of five hex digits, unused. */
static int autobind(struct usock *s)
{
	static uint32_t next;
	struct sun n = {AF_UNIX_, {0}};

	for (uint32_t tries = 0; tries < 0x100000; tries++) { /* bounded */
		uint32_t v = next++ & 0xfffff;
		int used = 0;

		for (int i = 5; i >= 1; i--, v >>= 4)
			n.path[i] = "0123456789abcdef"[v & 0xf];
		for (struct usock *o = all; o && !used; o = o->all_next)
			used = o->namelen == 8 && !o->ino &&
			       !memcmp(&o->name, &n, 8);
		if (!used) {
			s->name = n;
			s->namelen = 8; /* family, NUL, five digits */
			return 0;
		}
	}
	return -ENOSPC; /* 2^20 names in use */
}

static int u_bind(int fd, struct uk_file *f, const void *addr, uint32_t len)
{
	struct usock *s = f->priv;
	int abstract, r;

	(void)fd;
	if (addr && len == sizeof(uint16_t) &&
	    ((const struct sun *)addr)->family == AF_UNIX_)
		return s->namelen ? -EINVAL : autobind(s);
	r = name_check(addr, len, &abstract);
	if (r)
		return r;
	if (s->namelen)
		return -EINVAL; /* bound already */
	if (abstract) {
		for (struct usock *o = all; o; o = o->all_next)
			if (o->namelen == len && !o->ino &&
			    !memcmp(&o->name, addr, len))
				return -EADDRINUSE;
	} else {
		char path[SUN_PATH + 1];
		struct uk_stat st; /* the architecture's layout */

		path_of(addr, len, path);
		r = (int)uk_syscall_call(mknodat, AT_FDCWD_, path,
					 UK_S_IFSOCK | 0777, 0);
		if (r)
			return r == -EEXIST ? -EADDRINUSE : r;
		r = (int)uk_syscall_call(newfstatat, AT_FDCWD_, path, &st,
					 AT_SYMLINK_NOFOLLOW_);
		if (r)
			return r;
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	memcpy(&s->name, addr, len);
	s->namelen = len;
	return 0;
}

/* Copy a name out as Linux does: truncated to *alen, *alen = full. */
static int name_out(const struct sun *n, uint32_t nlen, void *addr,
		    uint32_t *alen)
{
	struct sun unnamed = {AF_UNIX_, {0}};

	if (!alen || (!addr && *alen))
		return -EFAULT;
	if ((int)*alen < 0)
		return -EINVAL;
	if (!nlen) {
		n = &unnamed;
		nlen = sizeof(uint16_t);
	}
	memcpy(addr, n, *alen < nlen ? *alen : nlen);
	*alen = nlen;
	return 0;
}

static int u_getsockname(int fd, struct uk_file *f, void *addr, uint32_t *alen)
{
	struct usock *s = f->priv;

	(void)fd;
	return name_out(&s->name, s->namelen, addr, alen);
}

static int u_getpeername(int fd, struct uk_file *f, void *addr, uint32_t *alen)
{
	struct usock *s = f->priv;

	(void)fd;
	if (!s->peer)
		return -ENOTCONN;
	return name_out(&s->peer->name, s->peer->namelen, addr, alen);
}

/* ---- connections ---- */

static int u_listen(int fd, struct uk_file *f, int backlog)
{
	struct usock *s = f->priv;

	(void)fd;
	if (!conn(s))
		return -EOPNOTSUPP;
	if (s->state == S_CONNECTED || !s->namelen)
		return -EINVAL;
	s->state = S_LISTEN;
	s->backlog = backlog < 0 ? 0 : backlog > 4096 ? 4096 : backlog;
	changed(s, UK_POLLIN); /* connecters waiting for room */
	return 0;
}

static int u_connect(int fd, struct uk_file *f, const void *addr, uint32_t len)
{
	struct usock *s = f->priv, *l, *srv;
	int r;

	(void)fd;
	l = lookup(addr, len, s->type, &r);
	if (!l)
		return r;
	if (s->type == SOCK_DGRAM_) {
		if (s->passcred && !s->namelen && (r = autobind(s)) != 0)
			return r;
		s->peer = l;
		return 0;
	}
	if (s->state == S_CONNECTED)
		return -EISCONN;
	if (s->state == S_LISTEN)
		return -EINVAL;
	if (s->passcred && !s->namelen && (r = autobind(s)) != 0)
		return r;
	while (l->npend > l->backlog) { /* Linux: backlog + 1 pending */
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&l->wq);
		if (r)
			return r;
		/* the listener may be gone: look it up again */
		l = lookup(addr, len, s->type, &r);
		if (!l)
			return r;
	}
	if (l->state != S_LISTEN)
		return -ECONNREFUSED;
	srv = usock_new(s->type, 0);
	if (!srv)
		return -ENOMEM;
	srv->state = s->state = S_CONNECTED;
	srv->peer = s;
	s->peer = srv;
	srv->name = l->name;
	srv->namelen = l->namelen;
	srv->listener = l;
	if (l->pend_t)
		l->pend_t->pend_next = srv;
	else
		l->pend_h = srv;
	l->pend_t = srv;
	l->npend++;
	changed(l, UK_POLLIN);
	changed(s, UK_POLLOUT);
	return 0;
}

static int u_accept4(int fd, struct uk_file *f, void *addr, uint32_t *alen,
		     int flags)
{
	struct usock *l = f->priv, *c;
	int r, nfd;

	(void)fd;
	if (flags & ~(SOCK_NONBLOCK_ | SOCK_CLOEXEC_))
		return -EINVAL;
	if (l->state != S_LISTEN)
		return -EINVAL;
	if (addr && !alen)
		return -EFAULT;
	while (!l->pend_h) { /* each pass follows a wake-up */
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&l->wq);
		if (r)
			return r;
		if (l->state != S_LISTEN)
			return -EINVAL;
	}
	c = l->pend_h;
	nfd = uk_fdtab_alloc(c->f, (flags & SOCK_CLOEXEC_) ? UK_O_CLOEXEC : 0);
	if (nfd < 0)
		return nfd; /* it stays pending */
	l->pend_h = c->pend_next;
	if (!l->pend_h)
		l->pend_t = NULL;
	l->npend--;
	c->pend_next = NULL;
	c->listener = NULL;
	if (flags & SOCK_NONBLOCK_)
		c->f->flags |= UK_O_NONBLOCK;
	changed(l, UK_POLLOUT); /* room for a waiting connect */
	if (addr && c->peer)
		name_out(&c->peer->name, c->peer->namelen, addr, alen);
	else if (addr)
		name_out(NULL, 0, addr, alen);
	return nfd;
}

static int u_shutdown(int fd, struct uk_file *f, int how)
{
	struct usock *s = f->priv;

	(void)fd;
	if (how < 0 || how > 2)
		return -EINVAL;
	if (conn(s) && s->state != S_CONNECTED)
		return -ENOTCONN;
	if (how != 1)
		s->shut_rd = 1;
	if (how != 0)
		s->shut_wr = 1;
	changed(s, ~0u);
	if (s->peer)
		changed(s->peer, ~0u);
	return 0;
}

/* ---- data ---- */

/* What the control data of a sendmsg carries. */
struct ctl {
	struct uk_file **files; /* SCM_RIGHTS, referenced */
	unsigned nfiles;
	struct ucred_ cred; /* SCM_CREDENTIALS */
	int has_cred;
};

static void ctl_drop(struct ctl *c)
{
	for (unsigned i = 0; i < c->nfiles; i++)
		uk_file_put(c->files[i]);
	free(c->files);
	c->files = NULL;
	c->nfiles = 0;
}

/* The caller's credentials (one process, root unless posixprocess says
 * otherwise). */
static void my_cred(struct ucred_ *c)
{
	long v = uk_syscall_call(getpid);

	c->pid = v > 0 ? (int32_t)v : 1;
	v = uk_syscall_call(getuid);
	c->uid = v > 0 ? (uint32_t)v : 0;
	v = uk_syscall_call(getgid);
	c->gid = v > 0 ? (uint32_t)v : 0;
}

/* Credentials a sender claims: Linux's rules for a privileged process
 * (root: any uid and gid but -1, any pid that exists). */
static int cred_check(const struct ucred_ *c)
{
	long me = uk_syscall_call(getpid);

	if (c->uid == (uint32_t)-1 || c->gid == (uint32_t)-1)
		return -EINVAL;
	if (c->pid == (me > 0 ? me : 1))
		return 0;
	if (c->pid <= 0 || uk_syscall_call(kill, c->pid, 0) != 0)
		return -ESRCH;
	return 0;
}

/* Take the control data of `mh`: SCM_RIGHTS files (referenced) and
 * SCM_CREDENTIALS. -EBADF for a descriptor not open, -EINVAL for bad
 * control data, -ESRCH/-EINVAL for bad credentials: then nothing is
 * kept. */
static int take_control(const struct l_msghdr *mh, struct ctl *out)
{
	const char *c = mh->control, *end;
	struct ctl k = {NULL, 0, {0, 0, 0}, 0};
	int r = -EINVAL;

	*out = k;
	if (!mh->controllen)
		return 0;
	if (!c)
		return -EFAULT;
	end = c + mh->controllen;
	while ((size_t)(end - c) >= CMSG_HDR) { /* bounded: controllen */
		const struct l_cmsghdr *h = (const void *)c;
		size_t nfd;

		if (h->len < CMSG_HDR || h->len > (size_t)(end - c))
			goto fail;
		if (h->level != SOL_SOCKET_)
			goto fail;
		if (h->type == SCM_RIGHTS_) {
			struct uk_file **nv;

			nfd = (h->len - CMSG_HDR) / sizeof(int);
			if (k.nfiles + nfd > SCM_MAX_FD)
				goto fail;
			nv = realloc(k.files,
				     (k.nfiles + nfd + 1) * sizeof(*nv));
			if (!nv) {
				r = -ENOMEM;
				goto fail;
			}
			k.files = nv;
			for (size_t i = 0; i < nfd; i++) {
				int fd;

				memcpy(&fd, c + CMSG_HDR + i * sizeof(int),
				       sizeof(int));
				k.files[k.nfiles] = uk_fdtab_get(fd);
				if (!k.files[k.nfiles]) {
					r = -EBADF;
					goto fail;
				}
				k.nfiles++;
			}
		} else if (h->type == SCM_CREDENTIALS_) {
			if (h->len != CMSG_HDR + sizeof(struct ucred_))
				goto fail;
			memcpy(&k.cred, c + CMSG_HDR, sizeof(k.cred));
			r = cred_check(&k.cred);
			if (r)
				goto fail;
			r = -EINVAL;
			k.has_cred = 1;
		} else {
			goto fail;
		}
		c += CMSG_ALIGN_(h->len);
	}
	*out = k;
	return 0;
fail:
	ctl_drop(&k);
	return r;
}

static ssize_t iov_total(const struct uk_iovec *iov, size_t cnt)
{
	size_t sum = 0;

	if (cnt > IOV_MAX_)
		return -EMSGSIZE;
	if (cnt && !iov)
		return -EFAULT;
	for (size_t i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - sum)
			return -EINVAL;
		if (iov[i].iov_len && !iov[i].iov_base)
			return -EFAULT;
		sum += iov[i].iov_len;
	}
	return (ssize_t)sum;
}

static void gather(char *dst, const struct uk_iovec *iov, size_t cnt,
		   size_t skip, size_t n)
{
	for (size_t i = 0; i < cnt && n; i++) {
		size_t l = iov[i].iov_len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		l -= skip;
		l = l < n ? l : n;
		memcpy(dst, (char *)iov[i].iov_base + skip, l);
		dst += l;
		n -= l;
		skip = 0;
	}
}

static size_t scatter(const struct uk_iovec *iov, size_t cnt, size_t skip,
		      const char *src, size_t n)
{
	size_t done = 0;

	for (size_t i = 0; i < cnt && done < n; i++) {
		size_t l = iov[i].iov_len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		l -= skip;
		l = l < n - done ? l : n - done;
		memcpy((char *)iov[i].iov_base + skip, src + done, l);
		done += l;
		skip = 0;
	}
	return done;
}

static void enqueue(struct usock *to, struct msg *m)
{
	m->next = NULL;
	if (to->qt)
		to->qt->next = m;
	else
		to->qh = m;
	to->qt = m;
	to->qbytes += m->len;
	to->qcount++;
	for (unsigned i = 0; i < m->nfiles; i++) /* in flight now */
		if (uk_unix_is(m->files[i])) {
			((struct usock *)m->files[i]->priv)->inflight++;
			total_inflight++;
		}
	changed(to, UK_POLLIN | UK_POLLRDNORM);
}

static ssize_t do_send(struct usock *s, const struct l_msghdr *mh, int flags)
{
	int nb = (s->f->flags & UK_O_NONBLOCK) || (flags & MSG_DONTWAIT_);
	struct ctl ctl;
	ssize_t total = iov_total(mh->iov, mh->iovlen);
	size_t done = 0;
	struct usock *to = NULL;
	int r;

	if (total < 0)
		return total;
	if (s->type == SOCK_DGRAM_ && mh->name) {
		to = lookup(mh->name, mh->namelen, SOCK_DGRAM_, &r);
		if (!to)
			return r;
	} else if (s->type == SOCK_DGRAM_) {
		to = s->peer;
		if (!to)
			return s->peer_gone ? -ECONNREFUSED : -ENOTCONN;
	} else {
		/* Linux: a seqpacket socket ignores the address */
		if (s->type == SOCK_STREAM_ && mh->name && mh->namelen)
			return s->state == S_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		if (s->state != S_CONNECTED)
			return -ENOTCONN;
	}
	if (msgs(s) && (size_t)total > QMAX)
		return -EMSGSIZE;
	/* the receiver learns the sender's name when credentials are on */
	if (s->type == SOCK_DGRAM_ && !s->namelen &&
	    (s->passcred || to->passcred) && (r = autobind(s)) != 0)
		return r;
	r = take_control(mh, &ctl);
	if (r)
		return r;
	for (;;) { /* each pass queues a piece or follows a wake-up */
		size_t room, n;
		struct msg *m;

		if (conn(s)) {
			to = s->peer;
			if (s->shut_wr || !to || to->shut_rd) {
				r = -EPIPE;
				raise_sigpipe(flags);
				break;
			}
		}
		room = to->qbytes < QMAX ? QMAX - to->qbytes : 0;
		if (msgs(s) ? (room >= (size_t)total &&
			       (s->type != SOCK_DGRAM_ ||
				to->qcount < DGRAM_QLEN))
			    : (room > 0 || !total)) {
			n = (size_t)total - done;
			if (n > room)
				n = room;
			m = malloc(sizeof(*m) + n);
			if (!m) {
				r = -ENOMEM;
				break;
			}
			memset(m, 0, sizeof(*m));
			gather(m->data, mh->iov, mh->iovlen, done, n);
			m->len = n;
			m->files = ctl.files; /* with the first piece */
			m->nfiles = ctl.nfiles;
			ctl.files = NULL;
			ctl.nfiles = 0;
			if (ctl.has_cred || to->passcred) {
				if (!ctl.has_cred)
					my_cred(&ctl.cred);
				ctl.has_cred = 1;
			}
			m->cred = ctl.cred; /* pid 0: the receiver fills it */
			if (s->type == SOCK_DGRAM_) {
				m->from = s->name;
				m->fromlen = s->namelen;
			}
			enqueue(to, m);
			done += n;
			if (done == (size_t)total)
				return (ssize_t)done;
			continue;
		}
		if (nb) {
			r = -EAGAIN;
			break;
		}
		r = sleep_on(&to->wq);
		if (r)
			break;
		if (s->type == SOCK_DGRAM_ && mh->name) {
			to = lookup(mh->name, mh->namelen, SOCK_DGRAM_, &r);
			if (!to)
				break;
		} else if (s->type == SOCK_DGRAM_ && !(to = s->peer)) {
			r = -ECONNREFUSED;
			break;
		}
	}
	ctl_drop(&ctl);
	return done ? (ssize_t)done : r;
}

/* Writes control messages into a recvmsg's buffer as Linux's put_cmsg
 * and scm_detach_fds do. */
struct cw {
	char *buf;
	size_t room, used;
	int *flags;
};

/* A control message with `len` bytes of data: where the data goes (the
 * caller copies at most *fit bytes), or NULL when not even the header
 * fits (MSG_CTRUNC). */
static char *cw_put(struct cw *w, int type, size_t len, size_t *fit)
{
	struct l_cmsghdr h = {CMSG_HDR + len, SOL_SOCKET_, type};
	size_t left = w->room - w->used;
	char *at = w->buf + w->used;

	if (!w->buf || left < CMSG_HDR) {
		*w->flags |= MSG_CTRUNC_;
		return NULL;
	}
	if (left < h.len) {
		*w->flags |= MSG_CTRUNC_;
		h.len = left;
	}
	memcpy(at, &h, sizeof(h));
	*fit = h.len - CMSG_HDR;
	w->used += CMSG_ALIGN_(h.len) < left ? CMSG_ALIGN_(h.len) : left;
	return at + CMSG_HDR;
}

/* (pid 0: sent without credentials while the receiver had none on: the
 * sender's, which are the caller's - one process) */
static void cred_of(const struct msg *m, struct ucred_ *c)
{
	if (m->cred.pid)
		*c = m->cred;
	else
		my_cred(c);
}

static void deliver_cred(struct msg *m, struct cw *w)
{
	struct ucred_ c;
	size_t fit;
	char *d;

	cred_of(m, &c);
	d = cw_put(w, SCM_CREDENTIALS_, sizeof(c), &fit);
	if (d)
		memcpy(d, &c, fit < sizeof(c) ? fit : sizeof(c));
}

/* Give the files of `m` to the caller as descriptors. */
static void deliver_rights(struct msg *m, struct cw *w, int flags)
{
	size_t left = w->room - w->used, fit = 0, got = 0;
	struct l_cmsghdr h = {0, SOL_SOCKET_, SCM_RIGHTS_};
	char *at = w->buf + w->used;

	if (w->buf && left > CMSG_HDR)
		fit = (left - CMSG_HDR) / sizeof(int);
	for (unsigned i = 0; i < m->nfiles; i++) {
		int fd = -1;

		leave_flight(m->files[i]);
		if (got < fit)
			fd = uk_fdtab_alloc(
				m->files[i],
				(flags & MSG_CMSG_CLOEXEC_) ? UK_O_CLOEXEC : 0);
		if (fd < 0) { /* no room or no descriptor: dropped */
			uk_file_put(m->files[i]);
			*w->flags |= MSG_CTRUNC_;
			fit = got;
			continue;
		}
		memcpy(at + CMSG_HDR + got * sizeof(int), &fd, sizeof(fd));
		got++;
	}
	free(m->files);
	m->files = NULL;
	m->nfiles = 0;
	if (got) {
		h.len = CMSG_HDR + got * sizeof(int);
		memcpy(at, &h, sizeof(h));
		w->used +=
			CMSG_ALIGN_(h.len) < left ? CMSG_ALIGN_(h.len) : left;
	}
}

/* Control data of message m for the receiver s. */
static void deliver(struct usock *s, struct msg *m, struct cw *w, int flags)
{
	if (s->passcred)
		deliver_cred(m, w);
	if (m->nfiles)
		deliver_rights(m, w, flags);
}

static int cred_eq(const struct ucred_ *x, const struct ucred_ *y)
{
	return x->pid == y->pid && x->uid == y->uid && x->gid == y->gid;
}

static int at_eof(struct usock *s)
{
	return s->shut_rd ||
	       (conn(s) && (!s->peer || s->peer->shut_wr || s->peer_gone));
}

static ssize_t do_recv(struct usock *s, struct l_msghdr *mh, int flags)
{
	int nb = (s->f->flags & UK_O_NONBLOCK) || (flags & MSG_DONTWAIT_);
	ssize_t want = iov_total(mh->iov, mh->iovlen);
	struct cw w = {mh->control, mh->control ? mh->controllen : 0, 0,
		       &mh->flags};
	struct ucred_ first_cred = {0, 0, 0};
	size_t done = 0;
	int r, got_rights = 0;

	if (want < 0)
		return want;
	mh->flags = 0;
	if (conn(s) && s->state != S_CONNECTED)
		return s->state == S_LISTEN ? -EINVAL : -ENOTCONN;
	while (!s->qh) { /* each pass follows a wake-up */
		if (at_eof(s) || (!want && s->type == SOCK_STREAM_))
			goto none;
		if (nb)
			return -EAGAIN;
		r = sleep_on(&s->wq);
		if (r)
			return r;
	}
	if (msgs(s)) {
		struct msg *m = s->qh;
		size_t n = m->len < (size_t)want ? m->len : (size_t)want;

		scatter(mh->iov, mh->iovlen, 0, m->data, n);
		if (n < m->len)
			mh->flags |= MSG_TRUNC_;
		if (mh->name && s->type == SOCK_DGRAM_)
			name_out(&m->from, m->fromlen, mh->name, &mh->namelen);
		else if (mh->name)
			mh->namelen = 0;
		if (flags & MSG_PEEK_) {
			if (s->passcred)
				deliver_cred(m, &w);
			mh->controllen = w.used;
			return (ssize_t)((flags & MSG_TRUNC_) ? m->len : n);
		}
		s->qh = m->next;
		if (!s->qh)
			s->qt = NULL;
		s->qbytes -= m->len;
		s->qcount--;
		deliver(s, m, &w, flags);
		mh->controllen = w.used;
		r = (int)((flags & MSG_TRUNC_) ? m->len : n);
		msg_free(m);
		changed(s, UK_POLLOUT);
		if (s->peer)
			changed(s->peer, UK_POLLOUT | UK_POLLWRNORM);
		return r;
	}
	/* stream: across messages, stopping after one that carried files
	 * and, with SO_PASSCRED, before one of other credentials */
	for (struct msg *m = s->qh; m && done < (size_t)want;) {
		size_t n = m->len - m->off;
		struct ucred_ c;

		if (n > (size_t)want - done)
			n = (size_t)want - done;
		if (m->nfiles && done)
			break; /* files come with their first byte */
		if (s->passcred) {
			cred_of(m, &c);
			if (done && !cred_eq(&c, &first_cred))
				break;
			if (!done) {
				first_cred = c;
				deliver_cred(m, &w);
			}
		}
		scatter(mh->iov, mh->iovlen, done, m->data + m->off, n);
		done += n;
		if (flags & MSG_PEEK_) {
			m = m->next;
			continue;
		}
		if (m->nfiles) {
			deliver_rights(m, &w, flags);
			got_rights = 1;
		}
		m->off += n;
		s->qbytes -= n;
		if (m->off == m->len) {
			s->qh = m->next;
			if (!s->qh)
				s->qt = NULL;
			s->qcount--;
			msg_free(m);
			m = s->qh;
		}
		if (got_rights)
			break;
	}
	mh->controllen = w.used;
	if (mh->name)
		mh->namelen = 0;
	if (!(flags & MSG_PEEK_)) {
		changed(s, UK_POLLOUT);
		if (s->peer)
			changed(s->peer, UK_POLLOUT | UK_POLLWRNORM);
	}
	return (ssize_t)done;
none:
	mh->controllen = 0;
	if (mh->name)
		mh->namelen = 0;
	return 0;
}

static ssize_t u_sendmsg(int fd, struct uk_file *f, const void *msg, int flags)
{
	(void)fd;
	if (!msg)
		return -EFAULT;
	return do_send(f->priv, msg, flags);
}

static ssize_t u_recvmsg(int fd, struct uk_file *f, void *msg, int flags)
{
	(void)fd;
	if (!msg)
		return -EFAULT;
	return do_recv(f->priv, msg, flags);
}

static ssize_t u_sendto(int fd, struct uk_file *f, const void *buf, size_t len,
			int flags, const void *addr, uint32_t alen)
{
	struct uk_iovec v = {(void *)buf, len};
	struct l_msghdr mh = {(void *)addr, alen, &v, 1, NULL, 0, 0};

	(void)fd;
	if (!buf && len)
		return -EFAULT;
	return do_send(f->priv, &mh, flags);
}

static ssize_t u_recvfrom(int fd, struct uk_file *f, void *buf, size_t len,
			  int flags, void *addr, uint32_t *alen)
{
	struct uk_iovec v = {buf, len};
	struct l_msghdr mh = {addr, alen ? *alen : 0, &v, 1, NULL, 0, 0};
	ssize_t r;

	(void)fd;
	if (!buf && len)
		return -EFAULT;
	if (addr && !alen)
		return -EFAULT;
	r = do_recv(f->priv, &mh, flags);
	if (r >= 0 && alen)
		*alen = mh.namelen;
	return r;
}

static ssize_t f_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	(void)off;
	return u_recvfrom(-1, f, buf, len, 0, NULL, NULL);
}

static ssize_t f_write(struct uk_file *f, const void *buf, size_t len,
		       off_t *off)
{
	(void)off;
	return u_sendto(-1, f, buf, len, 0, NULL, 0);
}

static unsigned f_poll(struct uk_file *f, unsigned events, struct uk_waitq **wq)
{
	struct usock *s = f->priv;
	unsigned r = 0;

	if (wq)
		*wq = &s->wq;
	if (s->state == S_LISTEN)
		return (s->pend_h ? UK_POLLIN | UK_POLLRDNORM : 0) & events;
	if (s->qh || at_eof(s))
		r |= UK_POLLIN | UK_POLLRDNORM;
	if (s->type == SOCK_DGRAM_) {
		if (!s->peer || s->peer->qbytes < QMAX)
			r |= UK_POLLOUT | UK_POLLWRNORM;
	} else if (s->state == S_CONNECTED) {
		/* Linux: writable unless what we sent fills the peer's
		 * queue, whatever the shutdown state: a write that fails at
		 * once (EPIPE once the peer is gone or after SHUT_WR) does
		 * not block, and select() sees it only through POLLOUT */
		if (!s->peer || s->peer->qbytes < QMAX)
			r |= UK_POLLOUT | UK_POLLWRNORM;
		if (!s->peer || s->peer->shut_wr)
			r |= UK_POLLRDHUP;
		if (!s->peer || (s->shut_wr && s->peer->shut_wr))
			r |= UK_POLLHUP;
	} else {
		r |= UK_POLLOUT | UK_POLLHUP; /* never connected (Linux) */
	}
	return r & (events | UK_POLLHUP | UK_POLLERR);
}

static int f_fstat(struct uk_file *f, struct uk_stat *st)
{
	struct usock *s = f->priv;

	st->st_mode = UK_S_IFSOCK | 0777;
	st->st_ino = (uint64_t)(uintptr_t)s;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int f_ioctl(struct uk_file *f, unsigned long cmd, void *arg)
{
	struct usock *s = f->priv;

	if (cmd != 0x541B) /* FIONREAD */
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	*(int *)arg = (int)(msgs(s) && s->qh ? s->qh->len : s->qbytes);
	return 0;
}

static void f_release(struct uk_file *f)
{
	struct usock *s = f->priv;

	/* pending server sides of a listener: their clients see the end */
	while (s->pend_h) { /* bounded: the backlog */
		struct usock *c = s->pend_h;

		s->pend_h = c->pend_next;
		c->listener = NULL;
		uk_file_put(c->f); /* never accepted: ours was the only ref */
	}
	if (s->listener) { /* a pending server side going away */
		struct usock **pp = &s->listener->pend_h, *prev = NULL;

		while (*pp != s) {
			prev = *pp;
			pp = &(*pp)->pend_next;
		}
		*pp = s->pend_next;
		if (s->listener->pend_t == s)
			s->listener->pend_t = prev;
		s->listener->npend--;
	}
	for (struct usock *o = all; o; o = o->all_next)
		if (o->peer == s) {
			o->peer = NULL;
			o->peer_gone = 1;
			changed(o, ~0u);
		}
	queue_drop(s);
	if (s->all_prev)
		s->all_prev->all_next = s->all_next;
	else
		all = s->all_next;
	if (s->all_next)
		s->all_next->all_prev = s->all_prev;
	nr_socks--;
	free(s);
}

/*
 * Garbage collection of sockets kept alive only by messages in queues of
 * such sockets (Linux's unix_gc, simplified for one CPU): candidates are
 * sockets all of whose references are in flight; a candidate referenced
 * from outside the candidates' queues (a descriptor, a thread inside a
 * call, the queue of a socket that is no candidate) is reachable, and so
 * is everything queued on a reachable one. The rest is garbage: their
 * queues are emptied, which drops the last references. `closing` is the
 * socket whose descriptor is being closed: that reference still counts
 * in its refs but is about to go. Bounded: the sockets and their queues.
 */
static void gc(struct usock *closing)
{
	struct usock *cand = NULL, *work = NULL, *c;

	for (struct usock *o = all; o; o = o->all_next) {
		unsigned refs = o->f->refs - (o == closing);

		o->gc_mark = 0;
		if (o->inflight && refs == o->inflight) {
			o->gc_mark = 1; /* candidate */
			o->gc_next = cand;
			cand = o;
		}
	}
	if (!cand)
		return;
	/* external references: all but those the candidates' queues hold */
	for (c = cand; c; c = c->gc_next)
		c->gc_ext = (int)(c->f->refs - (c == closing));
	for (c = cand; c; c = c->gc_next)
		for (struct msg *m = c->qh; m; m = m->next)
			for (unsigned i = 0; i < m->nfiles; i++) {
				struct uk_file *f = m->files[i];
				struct usock *o = f->priv;

				if (uk_unix_is(f) && o->gc_mark)
					o->gc_ext--;
			}
	/* reachable: external references, then what they hold */
	for (c = cand; c; c = c->gc_next)
		if (c->gc_ext > 0) {
			c->gc_mark = 2;
			c->gc_work = work;
			work = c;
		}
	while (work) { /* each candidate enters the work list once */
		c = work;
		work = c->gc_work;
		for (struct msg *m = c->qh; m; m = m->next)
			for (unsigned i = 0; i < m->nfiles; i++) {
				struct uk_file *f = m->files[i];
				struct usock *o;

				if (!uk_unix_is(f))
					continue;
				o = f->priv;
				if (o->gc_mark == 1) {
					o->gc_mark = 2;
					o->gc_work = work;
					work = o;
				}
			}
	}
	/* garbage: hold each, empty the queues, let go */
	for (c = cand; c; c = c->gc_next)
		if (c->gc_mark == 1)
			uk_file_ref(c->f);
	for (c = cand; c; c = c->gc_next)
		if (c->gc_mark == 1)
			queue_drop(c);
	for (c = cand; c;) {
		struct usock *next = c->gc_next;

		if (c->gc_mark == 1)
			uk_file_put(c->f); /* frees it */
		c = next;
	}
}

/* A descriptor of the socket is being closed (fdtab's flush): collect
 * cycles it may complete. */
static void f_flush(struct uk_file *f)
{
	if (total_inflight)
		gc(f->priv);
}

static const struct uk_file_ops unix_ops = {
	.read = f_read,
	.write = f_write,
	.poll = f_poll,
	.fstat = f_fstat,
	.ioctl = f_ioctl,
	.release = f_release,
	.flush = f_flush,
};

static int getint(const void *val, uint32_t len, int *out)
{
	if (len < sizeof(int))
		return -EINVAL;
	if (!val)
		return -EFAULT;
	memcpy(out, val, sizeof(int));
	return 0;
}

static int u_setsockopt(int fd, struct uk_file *f, int level, int name,
			const void *val, uint32_t len)
{
	struct usock *s = f->priv;
	int v, r;

	(void)fd;
	if (level != SOL_SOCKET_)
		return -ENOPROTOOPT;
	switch (name) {
	case SO_PASSCRED_:
		r = getint(val, len, &v);
		if (!r)
			s->passcred = v != 0;
		return r;
	case SO_SNDBUF_:
	case SO_RCVBUF_:
	case SO_REUSEADDR_:
		return getint(val, len, &v); /* accepted, no effect */
	default:
		return -ENOPROTOOPT;
	}
}

static int u_getsockopt(int fd, struct uk_file *f, int level, int name,
			void *val, uint32_t *len)
{
	struct usock *s = f->priv;
	int v[3] = {0, 0, 0};
	uint32_t n = sizeof(int);

	(void)fd;
	if (level != SOL_SOCKET_)
		return -ENOPROTOOPT;
	if (!len || !val)
		return -EFAULT;
	if ((int)*len < 0)
		return -EINVAL;
	switch (name) {
	case SO_TYPE_:
		v[0] = s->type;
		break;
	case SO_ERROR_:
		break;
	case SO_DOMAIN_:
		v[0] = AF_UNIX_;
		break;
	case SO_ACCEPTCONN_:
		v[0] = s->state == S_LISTEN;
		break;
	case SO_SNDBUF_:
	case SO_RCVBUF_:
		v[0] = QMAX;
		break;
	case SO_PASSCRED_:
		v[0] = s->passcred;
		break;
	case SO_PEERCRED_: { /* the peer is in this process */
		struct ucred_ c;

		if (!s->peer && !(conn(s) && s->state == S_CONNECTED))
			return -ENOTCONN;
		my_cred(&c);
		v[0] = c.pid;
		v[1] = (int)c.uid;
		v[2] = (int)c.gid;
		n = sizeof(v);
		break;
	}
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, v, *len < n ? *len : n);
	*len = *len < n ? *len : n;
	return 0;
}

static int check_type(int type, int protocol, int *t, unsigned *fflags,
		      unsigned *fdflags)
{
	*t = type & ~(SOCK_NONBLOCK_ | SOCK_CLOEXEC_);
	if (*t != SOCK_STREAM_ && *t != SOCK_DGRAM_ && *t != SOCK_SEQPACKET_)
		return -EINVAL;
	if (protocol != 0)
		return -EPROTONOSUPPORT;
	*fflags = (type & SOCK_NONBLOCK_) ? UK_O_NONBLOCK : 0;
	*fdflags = (type & SOCK_CLOEXEC_) ? UK_O_CLOEXEC : 0;
	return 0;
}

static int u_socket(int type, int protocol)
{
	unsigned ff, fdf;
	struct usock *s;
	int t, fd, r = check_type(type, protocol, &t, &ff, &fdf);

	if (r)
		return r;
	s = usock_new(t, ff);
	if (!s)
		return -ENOMEM;
	fd = uk_fdtab_alloc(s->f, fdf);
	if (fd < 0)
		uk_file_put(s->f);
	return fd;
}

static int u_socketpair(int type, int protocol, int sv[2])
{
	unsigned ff, fdf;
	struct usock *a, *b;
	int t, r = check_type(type, protocol, &t, &ff, &fdf), fa, fb;

	if (r)
		return r;
	a = usock_new(t, ff);
	b = a ? usock_new(t, ff) : NULL;
	if (!b) {
		if (a)
			uk_file_put(a->f);
		return -ENOMEM;
	}
	a->peer = b;
	b->peer = a;
	a->state = b->state = S_CONNECTED;
	fa = uk_fdtab_alloc(a->f, fdf);
	fb = fa < 0 ? fa : uk_fdtab_alloc(b->f, fdf);
	if (fb < 0) {
		if (fa >= 0)
			uk_syscall_call(close, fa);
		else
			uk_file_put(a->f);
		uk_file_put(b->f);
		return fb;
	}
	sv[0] = fa;
	sv[1] = fb;
	return 0;
}

static struct uk_socket_family unix_family = {
	.domain = AF_UNIX_,
	.is = uk_unix_is,
	.socket = u_socket,
	.socketpair = u_socketpair,
	.bind = u_bind,
	.connect = u_connect,
	.listen = u_listen,
	.accept4 = u_accept4,
	.sendto = u_sendto,
	.recvfrom = u_recvfrom,
	.sendmsg = u_sendmsg,
	.recvmsg = u_recvmsg,
	.shutdown = u_shutdown,
	.setsockopt = u_setsockopt,
	.getsockopt = u_getsockopt,
	.getsockname = u_getsockname,
	.getpeername = u_getpeername,
};

int uk_unix_init(void)
{
	int r = uk_socket_family_register(&unix_family);

	return r == -EEXIST ? 0 : r;
}
UK_INIT_CLASS(uk_unix_init, UK_INIT_LIB, 6);
