/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uksocket: the socket system calls and a table of address families.
 * socket() and socketpair() go to the family registered for the domain
 * (-EAFNOSUPPORT if none); the calls on a descriptor go to the family whose
 * is() claims the file (-ENOTSOCK if none). Families: posixsocket (AF_INET,
 * over lwIP), posixunix (AF_UNIX); an image links those it wants.
 * System calls: socket socketpair bind connect listen accept accept4 sendto
 * recvfrom sendmsg recvmsg shutdown setsockopt getsockopt getsockname
 * getpeername (Linux x86_64 ABI; arguments passed through unchanged).
 * UP, cooperative threads: no locks.
 */
#ifndef UK_SOCKET_H
#define UK_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a family implements. Every entry MAY be NULL (-EOPNOTSUPP, or
 * -EAFNOSUPPORT for socket). Descriptor calls get the descriptor and its
 * file (the caller holds a reference while the call runs); socket,
 * socketpair and accept4 return new descriptors. `type` and `flags` keep
 * SOCK_NONBLOCK/SOCK_CLOEXEC; msghdr is Linux's (size_t lengths).
 */
struct uk_socket_family {
	int domain;
	int (*is)(const struct uk_file *f);
	int (*socket)(int type, int protocol);
	int (*socketpair)(int type, int protocol, int sv[2]);
	int (*bind)(int fd, struct uk_file *f, const void *addr, uint32_t len);
	int (*connect)(int fd, struct uk_file *f, const void *addr,
		       uint32_t len);
	int (*listen)(int fd, struct uk_file *f, int backlog);
	int (*accept4)(int fd, struct uk_file *f, void *addr, uint32_t *alen,
		       int flags);
	ssize_t (*sendto)(int fd, struct uk_file *f, const void *buf,
			  size_t len, int flags, const void *addr,
			  uint32_t alen);
	ssize_t (*recvfrom)(int fd, struct uk_file *f, void *buf, size_t len,
			    int flags, void *addr, uint32_t *alen);
	ssize_t (*sendmsg)(int fd, struct uk_file *f, const void *msg,
			   int flags);
	ssize_t (*recvmsg)(int fd, struct uk_file *f, void *msg, int flags);
	int (*shutdown)(int fd, struct uk_file *f, int how);
	int (*setsockopt)(int fd, struct uk_file *f, int level, int name,
			  const void *val, uint32_t len);
	int (*getsockopt)(int fd, struct uk_file *f, int level, int name,
			  void *val, uint32_t *len);
	int (*getsockname)(int fd, struct uk_file *f, void *addr,
			   uint32_t *alen);
	int (*getpeername)(int fd, struct uk_file *f, void *addr,
			   uint32_t *alen);
	struct uk_socket_family *next; /* uksocket's */
};

/* Register a family (at init). 0, or -EEXIST for a domain taken. */
int uk_socket_family_register(struct uk_socket_family *fam);

/* The family of socket file `f`, or NULL if `f` is not a socket. */
const struct uk_socket_family *uk_socket_family_of(const struct uk_file *f);

#ifdef __cplusplus
}
#endif
#endif /* UK_SOCKET_H */
