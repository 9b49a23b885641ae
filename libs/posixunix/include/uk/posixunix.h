/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixunix: AF_UNIX sockets in the image, the AF_UNIX family of uksocket.
 * SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET (SOCK_NONBLOCK, SOCK_CLOEXEC),
 * socketpair, bind to a filesystem path (a socket node made with mknod;
 * connect finds the socket by the node's device and inode number), to the
 * abstract namespace (sun_path[0] == 0) or autobind (an address of only
 * the family), listen/accept with a backlog, connect,
 * send/recv/sendto/recvfrom/sendmsg/recvmsg with SCM_RIGHTS (descriptors
 * passed as references to their open file descriptions) and
 * SCM_CREDENTIALS (SO_PASSCRED), shutdown, getsockname/getpeername, a few
 * options; read/write/poll/epoll through fdtab and posixpoll. Sockets kept
 * alive only by messages in flight between them are collected when a
 * descriptor of a socket is closed. UP, cooperative threads: no locks.
 */
#ifndef UK_POSIXUNIX_H
#define UK_POSIXUNIX_H

#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register AF_UNIX with uksocket (the init table does, UK_INIT_LIB 6).
 * Exposed for native tests. Returns 0. */
int uk_unix_init(void);

/* Whether `f` is an AF_UNIX socket. */
int uk_unix_is(const struct uk_file *f);

/* How many AF_UNIX sockets exist (those only queued in messages too). */
unsigned uk_unix_count(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXUNIX_H */
