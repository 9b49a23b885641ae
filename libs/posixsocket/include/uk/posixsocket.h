/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixsocket: BSD sockets (AF_INET, TCP/UDP/raw) through fdtab, on lwIP's
 * socket layer: the AF_INET family of uksocket, which owns the system calls
 * (Linux x86_64 ABI): socket socketpair bind
 * listen accept accept4 connect sendto recvfrom sendmsg recvmsg shutdown
 * setsockopt getsockopt getsockname getpeername; read/write/readv/writev/
 * close/fstat/ioctl(FIONREAD, FIONBIO)/fcntl(O_NONBLOCK) work on socket
 * descriptors through fdtab, poll/select/epoll through posixpoll.
 * See README.md for the mapping and the limits.
 */
#ifndef UK_POSIXSOCKET_H
#define UK_POSIXSOCKET_H

#include <stddef.h>
#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register AF_INET with uksocket (the init table does, UK_INIT_LIB 6);
 * exposed for native tests. Returns 0. */
int uk_socket_inet_init(void);

/* Whether `f` is a socket. */
int uk_socket_is(const struct uk_file *f);

/* The lwIP socket index behind socket file `f` (for lwip_* calls under
 * the same stack), or -ENOTSOCK. */
int uk_socket_lwip_index(const struct uk_file *f);

/* "nameserver A.B.C.D\n" lines for lwIP's configured DNS servers into
 * `buf` (NUL-terminated when there is room); returns the length (0: no
 * server). What the init table writes to /etc/resolv.conf. */
size_t uk_socket_resolv_conf(char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXSOCKET_H */
