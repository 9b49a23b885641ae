/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets on lwIP's socket layer, through fdtab.
 *
 * lwIP's sockets.c is compiled into this translation unit (unmodified):
 * - its public lwip_* functions are renamed uk_lwipsock_* so that a copy
 *   of sockets.c in the lwip library itself cannot clash;
 * - its `errno` goes to a private variable (the calls below turn it into
 *   a negative return value; the C library's errno is never touched);
 * - every netconn it creates gets uk_sock_event() as callback (accepted
 *   connections inherit it), which runs lwIP's own event_callback and then
 *   uk_file_notify() on the socket's file, so that poll/select/epoll
 *   (posixpoll) wake up; readiness itself is read from lwIP's per-socket
 *   rcvevent/sendevent/errevent.
 * Each socket descriptor is a `struct uk_file` whose priv is the lwIP
 * socket index. The Linux ABI (struct sockaddr_in with a 16-bit family,
 * struct msghdr, the SOL_SOCKET, SO_, TCP_ and MSG_ numbers, FIONREAD) is
 * translated here: this file never includes the C library's socket headers.
 * UP, cooperative threads.
 */

/* ---- lwIP's sockets.c, wrapped ---- */
#define lwip_accept		   uk_lwipsock_accept
#define lwip_bind		   uk_lwipsock_bind
#define lwip_close		   uk_lwipsock_close
#define lwip_connect		   uk_lwipsock_connect
#define lwip_fcntl		   uk_lwipsock_fcntl
#define lwip_getpeername	   uk_lwipsock_getpeername
#define lwip_getsockname	   uk_lwipsock_getsockname
#define lwip_getsockopt		   uk_lwipsock_getsockopt
#define lwip_inet_ntop		   uk_lwipsock_inet_ntop
#define lwip_inet_pton		   uk_lwipsock_inet_pton
#define lwip_ioctl		   uk_lwipsock_ioctl
#define lwip_listen		   uk_lwipsock_listen
#define lwip_poll		   uk_lwipsock_poll
#define lwip_read		   uk_lwipsock_read
#define lwip_readv		   uk_lwipsock_readv
#define lwip_recv		   uk_lwipsock_recv
#define lwip_recvfrom		   uk_lwipsock_recvfrom
#define lwip_recvmsg		   uk_lwipsock_recvmsg
#define lwip_select		   uk_lwipsock_select
#define lwip_send		   uk_lwipsock_send
#define lwip_sendmsg		   uk_lwipsock_sendmsg
#define lwip_sendto		   uk_lwipsock_sendto
#define lwip_setsockopt		   uk_lwipsock_setsockopt
#define lwip_shutdown		   uk_lwipsock_shutdown
#define lwip_socket		   uk_lwipsock_socket
#define lwip_socket_dbg_get_socket uk_lwipsock_dbg_get_socket
#define lwip_socket_thread_cleanup uk_lwipsock_thread_cleanup
#define lwip_socket_thread_init	   uk_lwipsock_thread_init
#define lwip_write		   uk_lwipsock_write
#define lwip_writev		   uk_lwipsock_writev

#include "lwip/opt.h"
#include "lwip/sockets.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/api.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"

static int uk_lwip_errno;
#undef set_errno
#define set_errno(err)                         \
	do {                                   \
		if (err)                       \
			uk_lwip_errno = (err); \
	} while (0)

static void uk_sock_event(struct netconn *conn, enum netconn_evt evt,
			  u16_t len);
#define netconn_new_with_proto_and_callback(t, p, cb) \
	netconn_new_with_proto_and_callback(t, p, uk_sock_event)

/* every TCP write first takes its share of the send-buffer budget
 * (uklwip_tcpmem_update, <uk/lwip.h>): under memory pressure it waits for
 * acknowledgments (EAGAIN) instead of filling the heap */
#include <uk/lwip.h>
static void uk_sock_tcpmem(struct netconn *conn);
#define netconn_write_partly(c, d, s, f, w) \
	(uk_sock_tcpmem(c), netconn_write_partly(c, d, s, f, w))
#define netconn_write_vectors_partly(c, v, n, f, w) \
	(uk_sock_tcpmem(c), netconn_write_vectors_partly(c, v, n, f, w))

/* lwIP's include directory is src/include; sockets.c is src/api/. Its
 * warnings are not ours (ours below get the full set). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Waddress"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <../api/sockets.c>
#pragma GCC diagnostic pop

#undef netconn_new_with_proto_and_callback
#undef netconn_write_partly
#undef netconn_write_vectors_partly

static void uk_sock_tcpmem(struct netconn *conn)
{
	if (!conn || NETCONNTYPE_GROUP(netconn_type(conn)) != NETCONN_TCP)
		return;
	LOCK_TCPIP_CORE();
	if (conn->pcb.tcp)
		uklwip_tcpmem_update(conn->pcb.tcp);
	UNLOCK_TCPIP_CORE();
}

/* ---- ours ---- */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/file.h>
#include <uk/init.h>
#include <uk/syscall.h>
#include <uk/posixsocket.h>
#include <uk/rootfs.h> /* the mark of a default file: header only */
#include <uk/socket.h>

/* Linux values */
#define L_AF_UNSPEC	0
#define L_AF_UNIX	1
#define L_AF_INET	2
#define L_AF_INET6	10
#define L_SOCK_STREAM	1
#define L_SOCK_DGRAM	2
#define L_SOCK_RAW	3
#define L_SOCK_NONBLOCK 04000
#define L_SOCK_CLOEXEC	02000000
#define L_SOL_SOCKET	1
#define L_IPPROTO_IP	0
#define L_IPPROTO_TCP	6
#define L_IPPROTO_UDP	17

#define L_SO_DEBUG	   1
#define L_SO_REUSEADDR	   2
#define L_SO_TYPE	   3
#define L_SO_ERROR	   4
#define L_SO_DONTROUTE	   5
#define L_SO_BROADCAST	   6
#define L_SO_SNDBUF	   7
#define L_SO_RCVBUF	   8
#define L_SO_KEEPALIVE	   9
#define L_SO_OOBINLINE	   10
#define L_SO_NO_CHECK	   11
#define L_SO_PRIORITY	   12
#define L_SO_LINGER	   13
#define L_SO_REUSEPORT	   15
#define L_SO_RCVTIMEO	   20
#define L_SO_SNDTIMEO	   21
#define L_SO_ACCEPTCONN	   30
#define L_SO_PROTOCOL	   38
#define L_SO_DOMAIN	   39
#define L_IP_TOS	   1
#define L_IP_TTL	   2
#define L_TCP_NODELAY	   1
#define L_TCP_MAXSEG	   2
#define L_TCP_CORK	   3
#define L_TCP_KEEPIDLE	   4
#define L_TCP_KEEPINTVL	   5
#define L_TCP_KEEPCNT	   6
#define L_TCP_DEFER_ACCEPT 9
#define L_TCP_QUICKACK	   12
#define L_TCP_FASTOPEN	   23

#define L_MSG_OOB	   0x1
#define L_MSG_PEEK	   0x2
#define L_MSG_DONTROUTE	   0x4
#define L_MSG_CTRUNC	   0x8
#define L_MSG_TRUNC	   0x20
#define L_MSG_DONTWAIT	   0x40
#define L_MSG_EOR	   0x80
#define L_MSG_WAITALL	   0x100
#define L_MSG_NOSIGNAL	   0x4000
#define L_MSG_MORE	   0x8000
#define L_MSG_CMSG_CLOEXEC 0x40000000
#define L_FIONREAD	   0x541B
#define L_IOV_MAX	   1024

struct l_sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

struct l_msghdr {
	void *msg_name;
	uint32_t msg_namelen;
	struct uk_iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

#define SOCK_OF(f) ((int)(intptr_t)(f)->priv)

/* lwIP socket index -> its file (NULL: none, or being closed) */
static struct uk_file *sock_file[NUM_SOCKETS];
/* per socket: SO_REUSEPORT as set (accepted, no effect: one stack, one
 * CPU); a non-blocking connect was refused (lwIP says reset) */
#define SF_REUSEPORT 0x1
#define SF_REFUSED   0x2
static uint8_t sock_flags[NUM_SOCKETS];

static const struct uk_file_ops sock_ops;

/* lwIP result -> result or negative errno */
static inline long lres(long r)
{
	if (r >= 0)
		return r;
	r = uk_lwip_errno ? -uk_lwip_errno : -EIO;
	uk_lwip_errno = 0;
	return r;
}

static void uk_sock_event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	unsigned ev;
	int s;

	event_callback(conn, evt, len);
	switch (evt) {
	case NETCONN_EVT_RCVPLUS: /* data, a connection, or the peer's FIN */
		ev = UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
		break;
	case NETCONN_EVT_SENDPLUS:
		ev = UK_POLLOUT | UK_POLLWRNORM;
		break;
	case NETCONN_EVT_ERROR:
		s = conn ? conn->socket : -1;
		if (s >= LWIP_SOCKET_OFFSET &&
		    s < LWIP_SOCKET_OFFSET + NUM_SOCKETS &&
		    netconn_is_flag_set(conn,
					NETCONN_FLAG_IN_NONBLOCKING_CONNECT) &&
		    conn->pending_err == ERR_RST)
			sock_flags[s - LWIP_SOCKET_OFFSET] |= SF_REFUSED;
		ev = UK_POLLERR | UK_POLLHUP | UK_POLLIN | UK_POLLOUT |
		     UK_POLLRDHUP;
		break;
	default:
		return; /* readiness only went down */
	}
	s = conn ? conn->socket : -1;
	if (s >= LWIP_SOCKET_OFFSET && s < LWIP_SOCKET_OFFSET + NUM_SOCKETS &&
	    sock_file[s - LWIP_SOCKET_OFFSET])
		uk_file_notify(sock_file[s - LWIP_SOCKET_OFFSET], ev);
}

static struct lwip_sock *lsock(struct uk_file *f)
{
	return &sockets[SOCK_OF(f) - LWIP_SOCKET_OFFSET];
}

/* The netconn follows the file's O_NONBLOCK (F_SETFL/FIONBIO change it). */
static inline void sync_nb(struct uk_file *f)
{
	struct lwip_sock *sk = lsock(f);

	if (sk->conn)
		netconn_set_nonblocking(sk->conn,
					(f->flags & UK_O_NONBLOCK) != 0);
}

/* Reading a TCP socket that was never connected (or listens) would wait
 * on lwIP's receive mailbox forever: Linux says ENOTCONN. */
static int rx_unconnected(struct uk_file *f)
{
	struct lwip_sock *sk = lsock(f);
	struct netconn *c = sk->conn;

	if (!c || NETCONNTYPE_GROUP(netconn_type(c)) != NETCONN_TCP)
		return 0;
	if (sk->lastdata.pbuf || sk->rcvevent > 0 || !c->pcb.tcp)
		return 0;
	return c->pcb.tcp->state == CLOSED || c->pcb.tcp->state == LISTEN;
}

/* ---- the file ---- */

static ssize_t sock_read(struct uk_file *f, void *buf, size_t len, off_t *off)
{
	(void)off;
	if (rx_unconnected(f))
		return -ENOTCONN;
	sync_nb(f);
	return lres(lwip_recvfrom(SOCK_OF(f), buf, len, 0, NULL, NULL));
}

static ssize_t sock_write(struct uk_file *f, const void *buf, size_t len,
			  off_t *off)
{
	(void)off;
	sync_nb(f);
	return lres(lwip_send(SOCK_OF(f), buf, len, 0));
}

static ssize_t sock_readv(struct uk_file *f, const struct uk_iovec *iov,
			  int cnt, off_t *off)
{
	(void)off;
	if (rx_unconnected(f))
		return -ENOTCONN;
	sync_nb(f);
	return lres(lwip_readv(SOCK_OF(f), (const struct iovec *)iov, cnt));
}

static ssize_t sock_writev(struct uk_file *f, const struct uk_iovec *iov,
			   int cnt, off_t *off)
{
	(void)off;
	sync_nb(f);
	return lres(lwip_writev(SOCK_OF(f), (const struct iovec *)iov, cnt));
}

static int sock_fstat(struct uk_file *f, struct uk_stat *st)
{
	st->st_mode = UK_S_IFSOCK | 0777;
	st->st_ino = (uint64_t)SOCK_OF(f) + 1;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int sock_ioctl(struct uk_file *f, unsigned long cmd, void *arg)
{
	int n = 0;
	long r;

	if (cmd != L_FIONREAD)
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	r = lres(lwip_ioctl(SOCK_OF(f), FIONREAD, &n));
	if (r < 0)
		return (int)r;
	*(int *)arg = n;
	return 0;
}

/* Hang-ups from the TCP state (UP: the pcb cannot go away meanwhile):
 * the peer's FIN is RDHUP; both directions done, a reset connection or one
 * never connected is HUP, as Linux. */
static unsigned tcp_hup(struct netconn *c)
{
	struct tcp_pcb *p = c->pcb.tcp;

	if (!p)
		return UK_POLLHUP | UK_POLLRDHUP;
	switch (p->state) {
	case CLOSE_WAIT:
		return UK_POLLRDHUP;
	case CLOSING:
	case LAST_ACK:
	case TIME_WAIT:
		return UK_POLLHUP | UK_POLLRDHUP;
	case CLOSED:
		return UK_POLLHUP;
	default:
		return 0;
	}
}

static unsigned sock_poll(struct uk_file *f, unsigned events,
			  struct uk_waitq **wq)
{
	struct lwip_sock *sk = lsock(f);
	unsigned r = 0;

	(void)events;
	if (wq)
		*wq = NULL; /* changes are notified (uk_file_notify) */
	if (sk->lastdata.pbuf || sk->rcvevent > 0)
		r |= UK_POLLIN | UK_POLLRDNORM;
	if (sk->sendevent)
		r |= UK_POLLOUT | UK_POLLWRNORM;
	if (sk->errevent)
		r |= UK_POLLERR;
	if (sk->conn &&
	    NETCONNTYPE_GROUP(netconn_type(sk->conn)) == NETCONN_TCP)
		r |= tcp_hup(sk->conn);
	return r;
}

static void sock_release(struct uk_file *f)
{
	int s = SOCK_OF(f);

	sock_file[s - LWIP_SOCKET_OFFSET] = NULL;
	sock_flags[s - LWIP_SOCKET_OFFSET] = 0;
	lwip_close(s);
}

static const struct uk_file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.readv = sock_readv,
	.writev = sock_writev,
	.fstat = sock_fstat,
	.ioctl = sock_ioctl,
	.poll = sock_poll,
	.release = sock_release,
};

int uk_socket_is(const struct uk_file *f)
{
	return f && f->ops == &sock_ops;
}

int uk_socket_lwip_index(const struct uk_file *f)
{
	return uk_socket_is(f) ? SOCK_OF(f) : -ENOTSOCK;
}

/* A descriptor for new lwIP socket `s` (closed on failure). */
static int install(int s, int lflags)
{
	struct uk_file *f;
	int fd;

	f = uk_file_create(
		&sock_ops, (void *)(intptr_t)s,
		UK_O_RDWR | ((lflags & L_SOCK_NONBLOCK) ? UK_O_NONBLOCK : 0));
	if (!f) {
		lwip_close(s);
		return -ENOMEM;
	}
	sock_file[s - LWIP_SOCKET_OFFSET] = f;
	sock_flags[s - LWIP_SOCKET_OFFSET] = 0;
	sync_nb(f);
	fd = uk_fdtab_alloc(f, (lflags & L_SOCK_CLOEXEC) ? UK_O_CLOEXEC : 0);
	if (fd < 0)
		uk_file_put(f);
	return fd;
}

/* The socket file at `fd` with a reference, or NULL with *err set. */
static struct uk_file *sock_get(int fd, int *err)
{
	struct uk_file *f = uk_fdtab_get(fd);

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &sock_ops) {
		uk_file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*err = 0;
	return f;
}

/* ---- addresses ---- */

/* Linux sockaddr -> lwIP's. `unspec_ok`: AF_UNSPEC passes (connect). */
static int addr_in(const void *ua, uint32_t len, struct sockaddr_in *out,
		   int unspec_ok)
{
	struct l_sockaddr_in l;

	if (!ua)
		return -EFAULT;
	if ((int)len < 0 || len < sizeof(uint16_t))
		return -EINVAL;
	memset(&l, 0, sizeof(l));
	memcpy(&l, ua, len < sizeof(l) ? len : sizeof(l));
	memset(out, 0, sizeof(*out));
	out->sin_len = sizeof(*out);
	if (l.sin_family == L_AF_UNSPEC && unspec_ok) {
		out->sin_family = AF_UNSPEC;
		return 0;
	}
	if (l.sin_family != L_AF_INET)
		return -EAFNOSUPPORT;
	if (len < sizeof(l))
		return -EINVAL;
	out->sin_family = AF_INET;
	out->sin_port = l.sin_port;
	out->sin_addr.s_addr = l.sin_addr;
	return 0;
}

/* lwIP sockaddr -> the caller's buffer (truncated to *ulen; *ulen gets the
 * full size, as Linux). */
static void addr_out(const struct sockaddr_in *in, void *ua, uint32_t *ulen)
{
	struct l_sockaddr_in l;
	uint32_t n;

	memset(&l, 0, sizeof(l));
	l.sin_family = in->sin_family == AF_INET ? L_AF_INET : L_AF_UNSPEC;
	l.sin_port = in->sin_port;
	l.sin_addr = in->sin_addr.s_addr;
	n = *ulen < sizeof(l) ? *ulen : sizeof(l);
	memcpy(ua, &l, n);
	*ulen = sizeof(l);
}

/* Check an output address buffer: NULL addr is fine, else len must be. */
static int addr_out_ok(void *ua, uint32_t *ulen)
{
	if (!ua)
		return 0;
	if (!ulen)
		return -EFAULT;
	if ((int)*ulen < 0)
		return -EINVAL;
	return 0;
}

/* Linux MSG_* -> lwIP's */
static int msg_flags_in(int lf, int *out)
{
	int r = 0;

	if (lf & L_MSG_OOB)
		return -EOPNOTSUPP;
	if (lf & L_MSG_PEEK)
		r |= MSG_PEEK;
	if (lf & L_MSG_WAITALL)
		r |= MSG_WAITALL;
	if (lf & L_MSG_DONTWAIT)
		r |= MSG_DONTWAIT;
	if (lf & L_MSG_MORE)
		r |= MSG_MORE;
	/* MSG_NOSIGNAL (no signals here), DONTROUTE, EOR, TRUNC,
	 * CMSG_CLOEXEC: accepted, no effect */
	*out = r;
	return 0;
}

static int msg_flags_out(int f)
{
	int r = 0;

	if (f & MSG_TRUNC)
		r |= L_MSG_TRUNC;
	if (f & MSG_CTRUNC)
		r |= L_MSG_CTRUNC;
	return r;
}

/* ---- system calls ---- */

static int inet_socket(int type, int protocol)
{
	int lflags = type & (L_SOCK_NONBLOCK | L_SOCK_CLOEXEC);
	long s;

	type &= ~(L_SOCK_NONBLOCK | L_SOCK_CLOEXEC);
	switch (type) {
	case L_SOCK_STREAM:
		if (protocol && protocol != L_IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		break;
	case L_SOCK_DGRAM:
		if (protocol && protocol != L_IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		break;
	case L_SOCK_RAW:
		if (protocol < 0 || protocol > 255)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	s = lres(lwip_socket(AF_INET, type, protocol));
	if (s < 0)
		return s == -ENFILE ? -ENFILE : (int)s;
	return install((int)s, lflags);
}

static int inet_bind(int fd, struct uk_file *uf, const void *addr, uint32_t len)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = addr_in(addr, len, &sa, 0);
	if (!r)
		r = (int)lres(lwip_bind(SOCK_OF(f), (struct sockaddr *)&sa,
					sizeof(sa)));
	uk_file_put(f);
	return r;
}

static int inet_connect(int fd, struct uk_file *uf, const void *addr,
			uint32_t len)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = addr_in(addr, len, &sa, 1);
	if (!r) {
		sync_nb(f);
		r = (int)lres(lwip_connect(SOCK_OF(f), (struct sockaddr *)&sa,
					   sizeof(sa)));
		if (r == -ECONNRESET) /* lwIP's word for a RST to our SYN */
			r = -ECONNREFUSED;
	}
	uk_file_put(f);
	return r;
}

static int inet_listen(int fd, struct uk_file *uf, int backlog)
{
	(void)uf; /* found again by descriptor below */
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	if (backlog < 0)
		backlog = 0;
	r = (int)lres(lwip_listen(SOCK_OF(f), backlog));
	uk_file_put(f);
	return r;
}

static int inet_accept4(int fd, struct uk_file *uf, void *addr, uint32_t *alen,
			int flags)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct uk_file *f;
	long s;
	int r;

	if (flags & ~(L_SOCK_NONBLOCK | L_SOCK_CLOEXEC))
		return -EINVAL;
	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = addr_out_ok(addr, alen);
	if (r) {
		uk_file_put(f);
		return r;
	}
	sync_nb(f);
	memset(&sa, 0, sizeof(sa));
	s = lres(lwip_accept(SOCK_OF(f), (struct sockaddr *)&sa, &salen));
	if (s == -ENOTCONN) {
		/* lwIP's answer both for a socket that does not listen
		 * (Linux: EINVAL) and for a pending connection that was
		 * reset before we took it (Linux: ECONNABORTED) */
		int on = 0;
		socklen_t olen = sizeof(on);

		if (lwip_getsockopt(SOCK_OF(f), SOL_SOCKET, SO_ACCEPTCONN, &on,
				    &olen) == 0 &&
		    on)
			s = -ECONNABORTED;
		else
			s = -EINVAL;
	}
	uk_file_put(f);
	if (s < 0)
		return (int)s;
	r = install((int)s, flags);
	if (r >= 0 && addr)
		addr_out(&sa, addr, alen);
	return r;
}

static ssize_t do_sendto(int fd, const void *buf, size_t len, int lflags,
			 const void *addr, uint32_t alen)
{
	struct sockaddr_in sa;
	struct uk_file *f;
	int r, fl;
	long n;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = msg_flags_in(lflags, &fl);
	if (!r && !buf && len)
		r = -EFAULT;
	if (!r && addr)
		r = addr_in(addr, alen, &sa, 0);
	if (r) {
		uk_file_put(f);
		return r;
	}
	sync_nb(f);
	if (addr)
		n = lres(lwip_sendto(SOCK_OF(f), buf, len, fl,
				     (struct sockaddr *)&sa, sizeof(sa)));
	else
		n = lres(lwip_send(SOCK_OF(f), buf, len, fl));
	uk_file_put(f);
	return n;
}

static ssize_t inet_sendto(int fd, struct uk_file *uf, const void *buf,
			   size_t len, int flags, const void *addr,
			   uint32_t alen)
{
	(void)uf; /* found again by descriptor below */
	return do_sendto(fd, buf, len, flags, addr, alen);
}

static ssize_t inet_recvfrom(int fd, struct uk_file *uf, void *buf, size_t len,
			     int flags, void *addr, uint32_t *alen)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct uk_file *f;
	int r, fl;
	long n;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = msg_flags_in(flags, &fl);
	if (!r && !buf && len)
		r = -EFAULT;
	if (!r)
		r = addr_out_ok(addr, alen);
	if (!r && rx_unconnected(f))
		r = -ENOTCONN;
	if (r) {
		uk_file_put(f);
		return r;
	}
	sync_nb(f);
	memset(&sa, 0, sizeof(sa));
	n = lres(lwip_recvfrom(SOCK_OF(f), buf, len, fl,
			       addr ? (struct sockaddr *)&sa : NULL,
			       addr ? &salen : NULL));
	if (n >= 0 && addr)
		addr_out(&sa, addr, alen);
	uk_file_put(f);
	return n;
}

/* Linux msghdr -> lwIP's (iovecs have the same layout). */
static int msg_in(const struct l_msghdr *lm, struct msghdr *m,
		  struct sockaddr_in *sa, int sending)
{
	int r;

	if (!lm)
		return -EFAULT;
	if (lm->msg_iovlen > L_IOV_MAX)
		return -EMSGSIZE;
	if (lm->msg_iovlen && !lm->msg_iov)
		return -EFAULT;
	for (size_t i = 0; i < lm->msg_iovlen; i++)
		if (lm->msg_iov[i].iov_len && !lm->msg_iov[i].iov_base)
			return -EFAULT;
	memset(m, 0, sizeof(*m));
	m->msg_iov = (struct iovec *)lm->msg_iov;
	m->msg_iovlen = (int)lm->msg_iovlen;
	if (lm->msg_name) {
		if (sending) {
			r = addr_in(lm->msg_name, lm->msg_namelen, sa, 0);
			if (r)
				return r;
		}
		m->msg_name = sa;
		m->msg_namelen = sizeof(*sa);
	}
	return 0;
}

static ssize_t inet_sendmsg(int fd, struct uk_file *uf,
			    const struct l_msghdr *lm, int flags)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	struct msghdr m;
	struct uk_file *f;
	int r, fl;
	long n;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = msg_flags_in(flags, &fl);
	if (!r)
		r = msg_in(lm, &m, &sa, 1);
	if (r) {
		uk_file_put(f);
		return r;
	}
	sync_nb(f);
	n = lres(lwip_sendmsg(SOCK_OF(f), &m, fl));
	uk_file_put(f);
	return n;
}

static ssize_t inet_recvmsg(int fd, struct uk_file *uf, struct l_msghdr *lm,
			    int flags)
{
	(void)uf; /* found again by descriptor below */
	struct sockaddr_in sa;
	struct msghdr m;
	struct uk_file *f;
	int r, fl;
	long n;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	r = msg_flags_in(flags, &fl);
	if (!r)
		r = msg_in(lm, &m, &sa, 0);
	if (!r && rx_unconnected(f))
		r = -ENOTCONN;
	if (r) {
		uk_file_put(f);
		return r;
	}
	sync_nb(f);
	memset(&sa, 0, sizeof(sa));
	n = lres(lwip_recvmsg(SOCK_OF(f), &m, fl));
	if (n >= 0 && !(flags & L_MSG_TRUNC)) {
		size_t room = 0; /* lwIP answers a datagram's full length */

		for (size_t i = 0; i < lm->msg_iovlen; i++)
			room += lm->msg_iov[i].iov_len;
		if ((size_t)n > room)
			n = (long)room;
	}
	if (n >= 0) {
		if (lm->msg_name)
			addr_out(&sa, lm->msg_name, &lm->msg_namelen);
		lm->msg_controllen = 0; /* no ancillary data */
		lm->msg_flags = msg_flags_out(m.msg_flags);
	}
	uk_file_put(f);
	return n;
}

static int inet_shutdown(int fd, struct uk_file *uf, int how)
{
	(void)uf; /* found again by descriptor below */
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	if (how < 0 || how > 2)
		r = -EINVAL;
	else
		r = (int)lres(lwip_shutdown(SOCK_OF(f), how));
	uk_file_put(f);
	return r;
}

static int do_name(int fd, void *addr, uint32_t *alen, int peer)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	if (!addr || !alen)
		r = -EFAULT;
	else if ((int)*alen < 0)
		r = -EINVAL;
	if (r) {
		uk_file_put(f);
		return r;
	}
	memset(&sa, 0, sizeof(sa));
	if (peer)
		r = (int)lres(lwip_getpeername(SOCK_OF(f),
					       (struct sockaddr *)&sa, &salen));
	else
		r = (int)lres(lwip_getsockname(SOCK_OF(f),
					       (struct sockaddr *)&sa, &salen));
	if (!r)
		addr_out(&sa, addr, alen);
	uk_file_put(f);
	return r;
}

static int inet_getsockname(int fd, struct uk_file *uf, void *addr,
			    uint32_t *alen)
{
	(void)uf; /* found again by descriptor below */
	return do_name(fd, addr, alen, 0);
}

static int inet_getpeername(int fd, struct uk_file *uf, void *addr,
			    uint32_t *alen)
{
	(void)uf; /* found again by descriptor below */
	return do_name(fd, addr, alen, 1);
}

/* ---- options ---- */

enum opt_kind {
	OPT_LWIP,   /* lwIP's (level, name) with an int-sized or given value */
	OPT_IGNORE, /* accepted, no effect; reads back 0 (or the stored one) */
	OPT_CONST,  /* read-only constant */
	OPT_NONE,
};

struct opt {
	enum opt_kind kind;
	int level, name; /* lwIP's */
	unsigned size;	 /* value size */
};

#define TIMEVAL_SIZE 16 /* struct timeval of Linux x86_64 */
#define LINGER_SIZE  8

static struct opt opt_map(int level, int name)
{
	struct opt o = {OPT_NONE, 0, 0, sizeof(int)};

	if (level == L_SOL_SOCKET) {
		o.level = SOL_SOCKET;
		o.kind = OPT_LWIP;
		switch (name) {
		case L_SO_REUSEADDR:
			o.name = SO_REUSEADDR;
			return o;
		case L_SO_KEEPALIVE:
			o.name = SO_KEEPALIVE;
			return o;
		case L_SO_BROADCAST:
			o.name = SO_BROADCAST;
			return o;
		case L_SO_TYPE:
			o.name = SO_TYPE;
			return o;
		case L_SO_ERROR:
			o.name = SO_ERROR;
			return o;
		case L_SO_RCVBUF:
			o.name = SO_RCVBUF;
			return o;
		case L_SO_ACCEPTCONN:
			o.name = SO_ACCEPTCONN;
			return o;
		case L_SO_NO_CHECK:
			o.name = SO_NO_CHECK;
			return o;
		case L_SO_LINGER:
			o.name = SO_LINGER;
			o.size = LINGER_SIZE;
			return o;
		case L_SO_RCVTIMEO:
			o.name = SO_RCVTIMEO;
			o.size = TIMEVAL_SIZE;
			return o;
		case L_SO_SNDTIMEO:
			o.name = SO_SNDTIMEO;
			o.size = TIMEVAL_SIZE;
			return o;
		case L_SO_SNDBUF:
		case L_SO_REUSEPORT:
		case L_SO_PRIORITY:
		case L_SO_DEBUG:
		case L_SO_DONTROUTE:
		case L_SO_OOBINLINE:
			o.kind = OPT_IGNORE;
			return o;
		case L_SO_DOMAIN:
		case L_SO_PROTOCOL:
			o.kind = OPT_CONST;
			return o;
		}
	} else if (level == L_IPPROTO_IP) {
		o.level = IPPROTO_IP;
		o.kind = OPT_LWIP;
		switch (name) {
		case L_IP_TOS:
			o.name = IP_TOS;
			return o;
		case L_IP_TTL:
			o.name = IP_TTL;
			return o;
		}
	} else if (level == L_IPPROTO_TCP) {
		o.level = IPPROTO_TCP;
		o.kind = OPT_LWIP;
		switch (name) {
		case L_TCP_NODELAY:
			o.name = TCP_NODELAY;
			return o;
		case L_TCP_KEEPIDLE:
			o.name = TCP_KEEPIDLE;
			return o;
		case L_TCP_KEEPINTVL:
			o.name = TCP_KEEPINTVL;
			return o;
		case L_TCP_KEEPCNT:
			o.name = TCP_KEEPCNT;
			return o;
		case L_TCP_MAXSEG:
			o.kind = OPT_CONST;
			return o;
		case L_TCP_CORK:
		case L_TCP_QUICKACK:
		case L_TCP_DEFER_ACCEPT:
		case L_TCP_FASTOPEN:
			o.kind = OPT_IGNORE;
			return o;
		}
	}
	o.kind = OPT_NONE;
	return o;
}

static int inet_setsockopt(int fd, struct uk_file *uf, int level, int name,
			   const void *val, uint32_t len)
{
	(void)uf; /* found again by descriptor below */
	struct opt o = opt_map(level, name);
	struct uk_file *f;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	if (o.kind == OPT_NONE || o.kind == OPT_CONST)
		r = -ENOPROTOOPT;
	else if ((int)len < 0 || len < o.size)
		r = -EINVAL;
	else if (!val)
		r = -EFAULT;
	if (r) {
		uk_file_put(f);
		return r;
	}
	if (o.kind == OPT_IGNORE) {
		if (level == L_SOL_SOCKET && name == L_SO_REUSEPORT) {
			uint8_t *fl =
				&sock_flags[SOCK_OF(f) - LWIP_SOCKET_OFFSET];

			*fl = (uint8_t)((*fl & ~SF_REUSEPORT) |
					(*(const int *)val ? SF_REUSEPORT : 0));
		}
	} else {
		r = (int)lres(lwip_setsockopt(SOCK_OF(f), o.level, o.name, val,
					      o.size));
	}
	uk_file_put(f);
	return r;
}

static int inet_getsockopt(int fd, struct uk_file *uf, int level, int name,
			   void *val, uint32_t *len)
{
	(void)uf; /* found again by descriptor below */
	struct opt o = opt_map(level, name);
	union {
		int i;
		char b[TIMEVAL_SIZE];
	} v;
	socklen_t vlen = o.size;
	struct uk_file *f;
	uint32_t n;
	int r;

	f = sock_get(fd, &r);
	if (!f)
		return r;
	if (o.kind == OPT_NONE)
		r = -ENOPROTOOPT;
	else if (!len || !val)
		r = -EFAULT;
	else if ((int)*len < 0)
		r = -EINVAL;
	if (r) {
		uk_file_put(f);
		return r;
	}
	memset(&v, 0, sizeof(v));
	if (o.kind == OPT_LWIP) {
		r = (int)lres(lwip_getsockopt(SOCK_OF(f), o.level, o.name, &v,
					      &vlen));
		if (!r && name == L_SO_ERROR && v.i == ECONNRESET &&
		    (sock_flags[SOCK_OF(f) - LWIP_SOCKET_OFFSET] & SF_REFUSED))
			v.i = ECONNREFUSED;
	} else if (o.kind == OPT_CONST) {
		struct lwip_sock *sk = lsock(f);

		if (name == L_TCP_MAXSEG)
			v.i = TCP_MSS;
		else if (name == L_SO_DOMAIN)
			v.i = L_AF_INET;
		else if (sk->conn && NETCONNTYPE_GROUP(netconn_type(
					     sk->conn)) == NETCONN_TCP)
			v.i = L_IPPROTO_TCP;
		else if (sk->conn && NETCONNTYPE_GROUP(netconn_type(
					     sk->conn)) == NETCONN_UDP)
			v.i = L_IPPROTO_UDP;
	} else if (level == L_SOL_SOCKET && name == L_SO_REUSEPORT) {
		v.i = !!(sock_flags[SOCK_OF(f) - LWIP_SOCKET_OFFSET] &
			 SF_REUSEPORT);
	} else if (level == L_SOL_SOCKET && name == L_SO_SNDBUF) {
		v.i = TCP_SND_BUF;
	}
	if (!r) {
		n = *len < o.size ? *len : o.size;
		memcpy(val, &v, n);
		*len = n;
	}
	uk_file_put(f);
	return r;
}

/* ---- /etc/resolv.conf and /etc/hosts ---- */

/* vfscore's, when the image has it (weak: posixsocket does not need it) */
struct uk_fstype;
extern int uk_vfs_register(struct uk_fstype *t) __attribute__((weak));

#define L_AT_FDCWD  (-100)
#define L_O_RDONLY  00
#define L_O_WRONLY  01
#define L_O_CREAT   0100
#define L_O_EXCL    0200
#define L_O_TRUNC   01000
#define L_O_CLOEXEC 02000000

/* Whether `path` is rootfs's default (its first bytes are the mark). */
static int is_default(const char *path)
{
	char head[sizeof(UK_ROOTFS_DEFAULT_MARK) - 1];
	long fd = uk_syscall_call(openat, L_AT_FDCWD, path,
				  L_O_RDONLY | L_O_CLOEXEC, 0);
	long n;

	if (fd < 0)
		return 0;
	n = uk_syscall_call(read, fd, head, sizeof(head));
	uk_syscall_call(close, fd);
	return n == (long)sizeof(head) &&
	       !memcmp(head, UK_ROOTFS_DEFAULT_MARK, sizeof(head));
}

/* Write `text` to `path`: a new file, or over rootfs's default; a file of
 * the user's (an initrd's) is kept. */
static void etc_write(const char *path, const char *text, size_t len)
{
	long fd = uk_syscall_call(
		openat, L_AT_FDCWD, path,
		L_O_WRONLY | L_O_CREAT | L_O_EXCL | L_O_CLOEXEC, 0644);

	if (fd == -EEXIST && is_default(path))
		fd = uk_syscall_call(openat, L_AT_FDCWD, path,
				     L_O_WRONLY | L_O_TRUNC | L_O_CLOEXEC, 0);
	if (fd < 0)
		return; /* no filesystem (-ENOSYS), or the user's own file */
	uk_syscall_call(write, fd, text, len);
	uk_syscall_call(close, fd);
}

size_t uk_socket_resolv_conf(char *buf, size_t size)
{
	size_t n = 0;

	for (u8_t i = 0; i < DNS_MAX_SERVERS; i++) {
		const ip_addr_t *a = dns_getserver(i);
		char ip[IP4ADDR_STRLEN_MAX];
		size_t k;

		if (!a || ip_addr_isany(a) ||
		    !ip4addr_ntoa_r(ip_2_ip4(a), ip, sizeof(ip)))
			continue;
		k = strlen(ip);
		if (n + 11 + k + 1 >= size)
			break;
		memcpy(buf + n, "nameserver ", 11);
		memcpy(buf + n + 11, ip, k);
		buf[n + 11 + k] = '\n';
		n += 11 + k + 1;
	}
	if (n < size)
		buf[n] = '\0';
	return n;
}

static int sock_etc_init(void)
{
	static const char hosts[] = "127.0.0.1\tlocalhost\n";
	char rc[128];
	size_t n;

	if (!uk_vfs_register)
		return 0; /* no filesystem in this image: say nothing */
	if (uk_syscall_call(mkdir, "/etc", 0755) == -ENOSYS)
		return 0;
	etc_write("/etc/hosts", hosts, sizeof(hosts) - 1);
	n = uk_socket_resolv_conf(rc, sizeof(rc));
	if (n)
		etc_write("/etc/resolv.conf", rc, n);
	return 0;
}

/* after uklwip's bring-up (UK_INIT_SYS) and its DHCP wait (LATE, 5) */
UK_INIT_CLASS(sock_etc_init, UK_INIT_LATE, 8);

/* ---- the AF_INET family of uksocket ---- */

static ssize_t fam_sendmsg(int fd, struct uk_file *f, const void *msg,
			   int flags)
{
	return inet_sendmsg(fd, f, msg, flags);
}

static ssize_t fam_recvmsg(int fd, struct uk_file *f, void *msg, int flags)
{
	return inet_recvmsg(fd, f, msg, flags);
}

static struct uk_socket_family inet_family = {
	.domain = L_AF_INET,
	.is = uk_socket_is,
	.socket = inet_socket,
	.bind = inet_bind,
	.connect = inet_connect,
	.listen = inet_listen,
	.accept4 = inet_accept4,
	.sendto = inet_sendto,
	.recvfrom = inet_recvfrom,
	.sendmsg = fam_sendmsg,
	.recvmsg = fam_recvmsg,
	.shutdown = inet_shutdown,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.getsockname = inet_getsockname,
	.getpeername = inet_getpeername,
};

int uk_socket_inet_init(void)
{
	int r = uk_socket_family_register(&inet_family);

	return r == -EEXIST ? 0 : r;
}
UK_INIT_CLASS(uk_socket_inet_init, UK_INIT_LIB, 6);
