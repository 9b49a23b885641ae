/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixpoll: poll, ppoll, select, pselect6, epoll_create, epoll_create1,
 * epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2 over any fdtab file.
 *
 * Readiness comes from `struct uk_file_ops.poll` (<uk/file.h>); waiting
 * relies on files calling uk_file_notify() when their readiness may change:
 * a poll()/select() caller hangs one watcher (struct uk_file_watch) on each
 * file it waits for and sleeps on a wait queue of its own; an epoll instance
 * keeps one watcher per interest item, which puts the item on the instance's
 * ready list, so epoll_wait() only looks at items that were notified.
 * Files without a poll op are always readable and writable.
 *
 * The Linux ABI types and values are defined here with UK_ names so that
 * any libc's headers work (struct epoll_event is packed on x86_64 only:
 * <uk/arch/linux.h>).
 * UP, cooperative threads: no locks.
 */
#ifndef UK_POSIXPOLL_H
#define UK_POSIXPOLL_H

#include <uk/arch/linux.h>
#include <stdint.h>
#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_pollfd {
	int fd;
	short events;
	short revents;
};

struct uk_epoll_event {
	uint32_t events;
	uint64_t data;
} UKARCH_EPOLL_PACKED;

#define UK_EPOLLIN	  0x001
#define UK_EPOLLPRI	  0x002
#define UK_EPOLLOUT	  0x004
#define UK_EPOLLERR	  0x008
#define UK_EPOLLHUP	  0x010
#define UK_EPOLLRDNORM	  0x040
#define UK_EPOLLRDBAND	  0x080
#define UK_EPOLLWRNORM	  0x100
#define UK_EPOLLWRBAND	  0x200
#define UK_EPOLLMSG	  0x400
#define UK_EPOLLRDHUP	  0x2000
#define UK_EPOLLEXCLUSIVE (1u << 28)
#define UK_EPOLLWAKEUP	  (1u << 29)
#define UK_EPOLLONESHOT	  (1u << 30)
#define UK_EPOLLET	  (1u << 31)

#define UK_EPOLL_CTL_ADD 1
#define UK_EPOLL_CTL_DEL 2
#define UK_EPOLL_CTL_MOD 3

#define UK_EPOLL_CLOEXEC UK_O_CLOEXEC

/* Nesting depth of epoll instances watching each other (Linux: 5). */
#define UK_EPOLL_MAX_NEST 5

/* Whether `f` is an epoll instance. */
int uk_epoll_is(const struct uk_file *f);

#ifdef __cplusplus
}
#endif
#endif /* UK_POSIXPOLL_H */
