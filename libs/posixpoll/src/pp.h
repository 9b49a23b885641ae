/* SPDX-License-Identifier: BSD-3-Clause */
/* posixpoll internals shared by poll.c and epoll.c. */
#ifndef PP_H
#define PP_H

#include <stddef.h>
#include <stdint.h>
#include <uk/file.h>
#include <uk/posixpoll.h>
#include <uk/sched.h>

#define PP_NS_MS  1000000ULL
#define PP_NS_SEC 1000000000ULL

/* Events every poller gets whether asked for or not. */
#define PP_ALWAYS (UK_POLLERR | UK_POLLHUP)

/* Ready events of `f` among `ev` (Linux poll bits; RDNORM/WRNORM are
 * answered like IN/OUT), plus ERR and HUP. */
static inline unsigned pp_poll_file(struct uk_file *f, unsigned ev)
{
	unsigned want = ev | PP_ALWAYS, r;

	if (ev & UK_POLLRDNORM)
		want |= UK_POLLIN;
	if (ev & UK_POLLWRNORM)
		want |= UK_POLLOUT;
	if (f->ops->poll)
		r = f->ops->poll(f, want & 0xffff, NULL);
	else
		r = UK_POLLIN | UK_POLLOUT;
	if (r & UK_POLLIN)
		r |= UK_POLLRDNORM;
	if (r & UK_POLLOUT)
		r |= UK_POLLWRNORM;
	return r & (ev | PP_ALWAYS);
}

/* Whether notified `events` concern a watcher interested in `ev`. */
static inline int pp_relevant(unsigned events, unsigned ev)
{
	if (events & UK_POLLIN)
		events |= UK_POLLRDNORM;
	if (events & UK_POLLOUT)
		events |= UK_POLLWRNORM;
	return (events & (ev | PP_ALWAYS)) != 0;
}

/* Absolute deadline `ns` from now (UK_SCHED_FOREVER stays). */
static inline uint64_t pp_deadline_in(uint64_t ns)
{
	uint64_t now;

	if (ns == UK_SCHED_FOREVER)
		return ns;
	now = uk_sched_now();
	return ns > UK_SCHED_FOREVER - 1 - now ? UK_SCHED_FOREVER - 1
					       : now + ns;
}

/* Nanoseconds left until `deadline` (0 if passed). */
static inline uint64_t pp_left(uint64_t deadline)
{
	uint64_t now = uk_sched_now();

	return deadline > now ? deadline - now : 0;
}

/* Blocking needs a scheduler (images have one from UK_INIT_LIB on). */
static inline int pp_can_block(void)
{
	return uk_sched_get_default() != NULL;
}

/* posixprocess, when the image has it: the signal mask ppoll, pselect6
 * and epoll_pwait install for the wait (see <uk/process.h>). */
int uk_process_sigmask_push(const uint64_t *mask) __attribute__((weak));
void uk_process_sigmask_pop(int interrupted) __attribute__((weak));

static inline void pp_sigmask_push(const void *mask)
{
	if (mask && uk_process_sigmask_push)
		uk_process_sigmask_push((const uint64_t *)mask);
}

/* r: the call's result (-EINTR: the mask stays until the handler ran) */
static inline void pp_sigmask_pop(const void *mask, int r)
{
	if (mask && uk_process_sigmask_pop)
		uk_process_sigmask_pop(r == -EINTR);
}

#endif /* PP_H */
