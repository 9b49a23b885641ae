/* SPDX-License-Identifier: BSD-3-Clause */
/* The socket system calls: dispatch to the registered address families. */
#include <errno.h>
#include <stdint.h>
#include <uk/fdtab.h>
#include <uk/socket.h>
#include <uk/syscall.h>

static struct uk_socket_family *families;

int uk_socket_family_register(struct uk_socket_family *fam)
{
	for (struct uk_socket_family *i = families; i; i = i->next)
		if (i == fam || i->domain == fam->domain)
			return -EEXIST;
	fam->next = families;
	families = fam;
	return 0;
}

const struct uk_socket_family *uk_socket_family_of(const struct uk_file *f)
{
	for (struct uk_socket_family *i = families; i; i = i->next)
		if (i->is && i->is(f))
			return i;
	return NULL;
}

static struct uk_socket_family *by_domain(int domain)
{
	for (struct uk_socket_family *i = families; i; i = i->next)
		if (i->domain == domain)
			return i;
	return NULL;
}

UK_SYSCALL_R_DEFINE(int, socket, int, domain, int, type, int, protocol)
{
	struct uk_socket_family *fam = by_domain(domain);

	if (!fam || !fam->socket)
		return -EAFNOSUPPORT;
	return fam->socket(type, protocol);
}

UK_SYSCALL_R_DEFINE(int, socketpair, int, domain, int, type, int, protocol,
		    int *, sv)
{
	struct uk_socket_family *fam = by_domain(domain);

	if (!fam)
		return -EAFNOSUPPORT;
	if (!fam->socketpair)
		return -EOPNOTSUPP;
	if (!sv)
		return -EFAULT;
	return fam->socketpair(type, protocol, sv);
}

/*
 * Run `call` of the family of descriptor `fd` with the file referenced:
 * -EBADF (not open), -ENOTSOCK (not a socket), -EOPNOTSUPP (no such op).
 */
#define DISPATCH(op, fd, ...)                                 \
	do {                                                  \
		struct uk_file *f_ = uk_fdtab_get(fd);        \
		const struct uk_socket_family *fam_;          \
		long r_;                                      \
                                                              \
		if (!f_)                                      \
			return -EBADF;                        \
		fam_ = uk_socket_family_of(f_);               \
		if (!fam_)                                    \
			r_ = -ENOTSOCK;                       \
		else if (!fam_->op)                           \
			r_ = -EOPNOTSUPP;                     \
		else                                          \
			r_ = fam_->op(fd, f_, ##__VA_ARGS__); \
		uk_file_put(f_);                              \
		return r_;                                    \
	} while (0)

UK_SYSCALL_R_DEFINE(int, bind, int, fd, const void *, addr, uint32_t, len)
{
	DISPATCH(bind, fd, addr, len);
}

UK_SYSCALL_R_DEFINE(int, connect, int, fd, const void *, addr, uint32_t, len)
{
	DISPATCH(connect, fd, addr, len);
}

UK_SYSCALL_R_DEFINE(int, listen, int, fd, int, backlog)
{
	DISPATCH(listen, fd, backlog);
}

UK_SYSCALL_R_DEFINE(int, accept4, int, fd, void *, addr, uint32_t *, alen, int,
		    flags)
{
	DISPATCH(accept4, fd, addr, alen, flags);
}

UK_SYSCALL_R_DEFINE(int, accept, int, fd, void *, addr, uint32_t *, alen)
{
	DISPATCH(accept4, fd, addr, alen, 0);
}

UK_SYSCALL_R_DEFINE(ssize_t, sendto, int, fd, const void *, buf, size_t, len,
		    int, flags, const void *, addr, uint32_t, alen)
{
	DISPATCH(sendto, fd, buf, len, flags, addr, alen);
}

UK_SYSCALL_R_DEFINE(ssize_t, recvfrom, int, fd, void *, buf, size_t, len, int,
		    flags, void *, addr, uint32_t *, alen)
{
	DISPATCH(recvfrom, fd, buf, len, flags, addr, alen);
}

UK_SYSCALL_R_DEFINE(ssize_t, sendmsg, int, fd, const void *, msg, int, flags)
{
	DISPATCH(sendmsg, fd, msg, flags);
}

UK_SYSCALL_R_DEFINE(ssize_t, recvmsg, int, fd, void *, msg, int, flags)
{
	DISPATCH(recvmsg, fd, msg, flags);
}

UK_SYSCALL_R_DEFINE(int, shutdown, int, fd, int, how)
{
	DISPATCH(shutdown, fd, how);
}

UK_SYSCALL_R_DEFINE(int, setsockopt, int, fd, int, level, int, name,
		    const void *, val, uint32_t, len)
{
	DISPATCH(setsockopt, fd, level, name, val, len);
}

UK_SYSCALL_R_DEFINE(int, getsockopt, int, fd, int, level, int, name, void *,
		    val, uint32_t *, len)
{
	DISPATCH(getsockopt, fd, level, name, val, len);
}

UK_SYSCALL_R_DEFINE(int, getsockname, int, fd, void *, addr, uint32_t *, alen)
{
	DISPATCH(getsockname, fd, addr, alen);
}

UK_SYSCALL_R_DEFINE(int, getpeername, int, fd, void *, addr, uint32_t *, alen)
{
	DISPATCH(getpeername, fd, addr, alen);
}

/* ---- several messages per call, on top of sendmsg/recvmsg ---- */

#define UIO_MAXIOV_	 1024
#define MSG_DONTWAIT_	 0x40
#define MSG_WAITFORONE_	 0x10000
#define CLOCK_MONOTONIC_ 1

struct l_mmsghdr {	 /* struct mmsghdr of Linux x86_64 */
	uint64_t hdr[7]; /* struct msghdr */
	uint32_t len;
	uint32_t pad;
};

struct l_timespec {
	int64_t sec, nsec;
};

/* As many as were sent (a later error ends the batch), or the first
 * message's error. */
UK_SYSCALL_R_DEFINE(int, sendmmsg, int, fd, struct l_mmsghdr *, vec, unsigned,
		    vlen, int, flags)
{
	unsigned i;

	if (vlen > UIO_MAXIOV_)
		vlen = UIO_MAXIOV_;
	if (vlen && !vec)
		return -EFAULT;
	for (i = 0; i < vlen; i++) {
		long r = uk_syscall_call(sendmsg, fd, vec[i].hdr, flags);

		if (r < 0)
			return i ? (int)i : (int)r;
		vec[i].len = (uint32_t)r;
	}
	return (int)i;
}

static int64_t mono_ns(void)
{
	struct l_timespec t = {0, 0};

	uk_syscall_call(clock_gettime, CLOCK_MONOTONIC_, &t);
	return t.sec * 1000000000LL + t.nsec;
}

/* Linux's semantics: MSG_WAITFORONE makes every receive after the first
 * non-blocking; the timeout is looked at after each message (a receive
 * that blocks is not cut short) and what is left of it written back. */
UK_SYSCALL_R_DEFINE(int, recvmmsg, int, fd, struct l_mmsghdr *, vec, unsigned,
		    vlen, int, flags, struct l_timespec *, timeout)
{
	int64_t end = 0, left;
	unsigned i;

	if (timeout) {
		if (timeout->sec < 0 || timeout->nsec < 0 ||
		    timeout->nsec >= 1000000000LL)
			return -EINVAL;
		end = mono_ns() + timeout->sec * 1000000000LL + timeout->nsec;
	}
	if (vlen > UIO_MAXIOV_)
		vlen = UIO_MAXIOV_;
	if (vlen && !vec)
		return -EFAULT;
	for (i = 0; i < vlen; i++) {
		long r = uk_syscall_call(recvmsg, fd, vec[i].hdr, flags);

		if (r < 0) {
			if (!i)
				return (int)r;
			break;
		}
		vec[i].len = (uint32_t)r;
		if (flags & MSG_WAITFORONE_)
			flags |= MSG_DONTWAIT_;
		if (timeout) {
			left = end - mono_ns();
			if (left < 0)
				left = 0;
			timeout->sec = left / 1000000000LL;
			timeout->nsec = left % 1000000000LL;
			if (!left) {
				i++;
				break;
			}
		}
	}
	return (int)i;
}
