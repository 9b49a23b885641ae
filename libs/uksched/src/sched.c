/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched core: threads, switching, sleeping, wait queues. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/arch/tls.h>
#include <uk/sched.h>

#if defined(__SANITIZE_ADDRESS__)
#define UKSCHED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UKSCHED_ASAN 1
#endif
#endif

#ifdef UKSCHED_ASAN
/* ASan's fiber API (sanitizer/common_interface_defs.h), so that it knows
 * which stack is in use after a switch. */
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
				     const void **bottom_old, size_t *size_old);
#endif

#define DEFAULT_STACK_SIZE (64 * 1024)
#define MIN_STACK_SIZE	   4096

static __attribute__((noreturn)) void thread_entry(void *t);

static struct uk_sched *default_sched;

static void free_stack(struct uk_sched *s, struct uk_thread *t)
{
	if (t->guard)
		s->cfg.guard_page(t->guard, 0);
	uk_free(s->cfg.a, t->stack_mem);
}

static void link_thread(struct uk_sched *s, struct uk_thread *t)
{
	t->all_prev = NULL;
	t->all_next = s->threads;
	if (s->threads)
		s->threads->all_prev = t;
	s->threads = t;
}

static void unlink_thread(struct uk_sched *s, struct uk_thread *t)
{
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else if (s->threads == t)
		s->threads = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	t->all_next = t->all_prev = NULL;
}

static void free_thread(struct uk_sched *s, struct uk_thread *t)
{
	if (uk_thread_release_hook)
		uk_thread_release_hook(t);
	unlink_thread(s, t);
	free_stack(s, t);
	uk_free(s->cfg.a, t->aux_stack);
	uk_free(s->cfg.a, t->tls_block);
	uk_free(s->cfg.a, t);
}

/* Runs in the thread that was just switched to. */
static void after_switch(struct uk_sched *s, void *fake_stack)
{
#ifdef UKSCHED_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
	if (s->prev && !s->prev->stack) {
		s->main_stack = bottom;
		s->main_stack_size = size;
	}
#else
	(void)fake_stack;
#endif
	if (s->reap && s->reap != s->current) {
		free_thread(s, s->reap);
		s->reap = NULL;
	}
}

static void switch_to(struct uk_sched *s, struct uk_thread *prev,
		      struct uk_thread *next)
{
	void *fake_stack = NULL;

	s->current = next;
	s->prev = prev;
	s->nr_switches++;
	if (s->cfg.set_tls)
		s->cfg.set_tls(next->tls);
	if (s->aux_slot)
		*s->aux_slot = next->aux_sp;
	if (s->process_switch && prev->process != next->process)
		s->process_switch(prev, next);
#ifdef UKSCHED_ASAN
	__sanitizer_start_switch_fiber(
		prev->state == UK_THREAD_EXITED ? NULL : &fake_stack,
		next->stack ? next->stack : s->main_stack,
		next->stack ? next->stack_size : s->main_stack_size);
#endif
	ukarch_ctx_switch(&prev->ctx, &next->ctx);
	after_switch(s, fake_stack);
}

/* How a wait ended (t->woken). */
#define WAIT_TIMEDOUT	 0
#define WAIT_WOKEN	 1
#define WAIT_INTERRUPTED 2

/* Make a blocked thread runnable again; `woken` says why (WAIT_*). */
static void wake_thread(struct uk_sched *s, struct uk_thread *t, int woken)
{
	struct uk_waitq *wq = t->wq;

	if (wq) {
		if (t->wq_prev)
			t->wq_prev->wq_next = t->wq_next;
		else
			wq->head = t->wq_next;
		if (t->wq_next)
			t->wq_next->wq_prev = t->wq_prev;
		else
			wq->tail = t->wq_prev;
		t->wq = NULL;
		t->wq_next = t->wq_prev = NULL;
	}
	if (t->sleeping) {
		s->ops->sleep_remove(s, t);
		t->sleeping = 0;
	}
	t->woken = woken;
	t->state = UK_THREAD_RUNNABLE;
	s->ops->thread_add(s, t);
}

static void wake_expired(struct uk_sched *s)
{
	struct uk_thread *t;

	/* No sleeper: no clock read (on linuxu a read is a system call, and
	 * this runs on every switch). */
	if (s->ops->next_deadline(s) == UK_SCHED_FOREVER)
		return;
	uint64_t now = s->cfg.now();

	while ((t = s->ops->sleep_expired(s, now)) != NULL) {
		t->sleeping = 0;
		wake_thread(s, t, WAIT_TIMEDOUT);
	}
}

/* Pick the next thread and switch to it. The current thread has been put
 * back in the run queue if it stays runnable (`requeue`), or has blocked or
 * exited. Returns when the current thread runs again. */
/* ---- events ---- */

volatile int uk_sched_events_raised;
static struct uk_sched_event *events;
static unsigned event_waiters;

void uk_sched_event_init(struct uk_sched_event *ev)
{
	if (ev->registered)
		return;
	ev->pending = 0;
	uk_waitq_init(&ev->wq);
	ev->registered = 1;
	ev->next = events;
	events = ev;
}

/* Make the waiters of raised events runnable. The flag is cleared before
 * the walk: a signal during the walk raises it again. */
static void deliver_events(void)
{
	struct uk_sched_event *ev;

	if (!__atomic_load_n(&uk_sched_events_raised, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&uk_sched_events_raised, 0, __ATOMIC_RELAXED);
	for (ev = events; ev; ev = ev->next)
		if (ev->pending && ev->wq.head)
			uk_waitq_wake_all(&ev->wq);
}

int uk_sched_event_wait(struct uk_sched_event *ev, uint64_t deadline)
{
	if (!ev->registered)
		return -EINVAL;
	while (!ev->pending) {
		int rc;

		event_waiters++;
		rc = uk_waitq_wait_timeout(&ev->wq, deadline);
		event_waiters--;
		if (rc == -ETIMEDOUT && !ev->pending)
			return -ETIMEDOUT;
	}
	ev->pending = 0;
	return 0;
}

unsigned uk_sched_event_waiters(void)
{
	return event_waiters;
}

static void schedule(struct uk_sched *s, int requeue)
{
	struct uk_thread *prev = s->current, *next;

	if (s->cfg.poll_irq)
		s->cfg.poll_irq();
	wake_expired(s);
	deliver_events();
	if (requeue)
		s->ops->thread_add(s, prev);
	for (;;) {
		next = s->ops->pick_next(s);
		if (next)
			break;
		s->ops->idle(s, s->ops->next_deadline(s));
		wake_expired(s);
		deliver_events();
	}
	if (next != prev)
		switch_to(s, prev, next);
}

int uk_sched_init(struct uk_sched *s, const struct uk_sched_ops *ops,
		  const struct uk_sched_config *cfg)
{
	struct uk_thread *m;

	if (!s || !ops || !cfg || !cfg->a || !cfg->now || !ops->thread_add ||
	    !ops->thread_remove || !ops->pick_next || !ops->sleep_add ||
	    !ops->sleep_remove || !ops->sleep_expired || !ops->next_deadline ||
	    !ops->idle)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->cfg = *cfg;
	if (!s->cfg.default_stack_size)
		s->cfg.default_stack_size = DEFAULT_STACK_SIZE;
	m = &s->main_thread;
	m->name = "main";
	m->state = UK_THREAD_RUNNABLE;
	m->flags = UK_THREAD_MAIN;
	m->sched = s;
	m->tid = 1;
	s->next_tid = 2;
	link_thread(s, m);
	s->current = m;
	s->nr_threads = 1;
	default_sched = s;
	return 0;
}

struct uk_sched *uk_sched_get_default(void)
{
	return default_sched;
}

struct uk_thread *uk_thread_current(void)
{
	return default_sched ? default_sched->current : NULL;
}

uint64_t uk_sched_now(void)
{
	return default_sched->cfg.now();
}

void uk_sched_yield(void)
{
	schedule(default_sched, 1);
}

static int wait_deadline(struct uk_sched *s, struct uk_waitq *wq,
			 uint64_t deadline, int intr)
{
	struct uk_thread *t = s->current;

	if (intr && t->intr)
		return -EINTR;
	if (deadline != UK_SCHED_FOREVER && deadline <= s->cfg.now())
		return -ETIMEDOUT;
	t->woken = WAIT_TIMEDOUT;
	t->intr_wait = intr;
	if (wq) {
		t->wq = wq;
		t->wq_next = NULL;
		t->wq_prev = wq->tail;
		if (wq->tail)
			wq->tail->wq_next = t;
		else
			wq->head = t;
		wq->tail = t;
	}
	if (deadline != UK_SCHED_FOREVER) {
		t->deadline = deadline;
		t->sleeping = 1;
		s->ops->sleep_add(s, t);
	}
	t->state = UK_THREAD_BLOCKED;
	s->ops->thread_remove(s, t); /* for schedulers that keep it queued */
	schedule(s, 0);
	t->intr_wait = 0;
	if (t->woken == WAIT_WOKEN)
		return 0;
	return t->woken == WAIT_INTERRUPTED ? -EINTR : -ETIMEDOUT;
}

void uk_sched_sleep_until(uint64_t deadline)
{
	wait_deadline(default_sched, NULL, deadline, 0);
}

int uk_waitq_wait_intr(struct uk_waitq *wq, uint64_t deadline)
{
	struct uk_sched *s = default_sched;

	/* a wait that nothing can end (no queue, no deadline) still ends
	 * with an interruption */
	return wait_deadline(s, wq, deadline, 1);
}

void uk_thread_interrupt(struct uk_thread *t)
{
	t->intr = 1;
	if (t->state == UK_THREAD_BLOCKED && t->intr_wait)
		wake_thread(t->sched, t, WAIT_INTERRUPTED);
}

void uk_sched_set_process_switch(void (*fn)(struct uk_thread *prev,
					    struct uk_thread *next))
{
	if (default_sched)
		default_sched->process_switch = fn;
}

void uk_sched_sleep_ns(uint64_t ns)
{
	uint64_t now = uk_sched_now();

	uk_sched_sleep_until(ns > UK_SCHED_FOREVER - 1 - now
				     ? UK_SCHED_FOREVER - 1
				     : now + ns);
}

int uk_waitq_wait_timeout(struct uk_waitq *wq, uint64_t deadline)
{
	return wait_deadline(default_sched, wq, deadline, 0);
}

void uk_waitq_wait(struct uk_waitq *wq)
{
	wait_deadline(default_sched, wq, UK_SCHED_FOREVER, 0);
}

int uk_waitq_wake_one(struct uk_waitq *wq)
{
	if (!wq->head)
		return 0;
	wake_thread(wq->head->sched, wq->head, WAIT_WOKEN);
	return 1;
}

int uk_waitq_wake_all(struct uk_waitq *wq)
{
	int n = 0;

	while (wq->head) {
		wake_thread(wq->head->sched, wq->head, WAIT_WOKEN);
		n++;
	}
	return n;
}

#define GUARD_SIZE 4096

static size_t round_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static struct uk_thread *find_tid(struct uk_sched *s, int tid)
{
	struct uk_thread *t;

	for (t = s->threads; t; t = t->all_next) /* bounded: the thread list */
		if (t->tid == tid)
			return t;
	return NULL;
}

/* A tid > 1 that no thread of `s` has; 0 if all are taken. Counts up and
 * wraps; after a wrap each candidate is checked against the thread list. */
static int alloc_tid(struct uk_sched *s)
{
	static int wrapped;

	for (int tries = 0; tries < 1000000; tries++) {
		int tid = s->next_tid;

		s->next_tid = tid == INT32_MAX ? 2 : tid + 1;
		if (tid == INT32_MAX)
			wrapped = 1;
		if (!wrapped || !find_tid(s, tid))
			return tid;
	}
	return 0;
}

static int alloc_aux(struct uk_sched *s, struct uk_thread *t)
{
	t->aux_stack = uk_memalign(s->cfg.a, 16, s->aux_size);
	if (!t->aux_stack)
		return -ENOMEM;
	t->aux_sp = (uintptr_t)t->aux_stack + s->aux_size;
	/* The top 256 bytes start zeroed: a binary-syscall entry keeps its
	 * register frame there, and a zero return address in it means "not in
	 * a call" (uksyscallbin's uk_syscall_frame_current()). */
	memset((char *)t->aux_sp - 256, 0, 256);
	return 0;
}

/* What both creation paths share once the stack is there: the TLS block
 * (unless `tp` is given), the aux stack, tid, FPU state and the initial
 * frame at `top`. On failure the caller frees the stack and `t`. */
static int setup_thread(struct uk_sched *s, struct uk_thread *t,
			const char *name, uk_thread_fn_t fn, void *arg,
			void *tp, int kernel)
{
	t->tid = alloc_tid(s);
	if (!t->tid)
		return -EAGAIN;
	if (tp) {
		t->tls = tp;
	} else if (s->cfg.tls_size) {
		size_t bsize = ukarch_tls_block_size(s->cfg.tls_size);

		t->tls_block =
			uk_memalign(s->cfg.a, UKARCH_TLS_MAX_ALIGN, bsize);
		if (!t->tls_block)
			return -ENOMEM;
		memset(t->tls_block, 0, bsize);
		t->tls = ukarch_tls_tp(t->tls_block, s->cfg.tls_size);
		if (s->cfg.tls_init)
			s->cfg.tls_init(t->tls);
	}
	if (s->aux_size && alloc_aux(s, t)) {
		uk_free(s->cfg.a, t->tls_block);
		return -ENOMEM;
	}
	t->name = name ? name : "thread";
	/* a clone()d thread inherits the creator's signal mask, a kernel
	 * thread handles no signals; both belong to the creator's process */
	t->sig_blocked = kernel ? ~0ULL : s->current->sig_blocked;
	t->process = s->current->process;
	t->entry = fn;
	t->arg = arg;
	t->sched = s;
	t->state = UK_THREAD_RUNNABLE;

	/* The first switch to t runs thread_entry(t) at the stack's top,
	 * with the default FPU state. */
	ukarch_ctx_init(&t->ctx, (uintptr_t)t->stack + t->stack_size,
			thread_entry, t);

	link_thread(s, t);
	s->nr_threads++;
	s->ops->thread_add(s, t);
	return 0;
}

struct uk_thread *uk_thread_create(struct uk_sched *s, const char *name,
				   uk_thread_fn_t fn, void *arg,
				   size_t stack_size)
{
	struct uk_thread *t;

	if (!s)
		s = default_sched;
	if (!s || !fn)
		return NULL;
	if (!stack_size)
		stack_size = s->cfg.default_stack_size;
	if (stack_size < MIN_STACK_SIZE || stack_size > SIZE_MAX / 2)
		return NULL;
	stack_size = round_up(stack_size, 16);
	t = uk_memalign(s->cfg.a, 64, sizeof(*t));
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	if (s->cfg.guard_page) {
		/* page-aligned: [guard page][stack] */
		stack_size = round_up(stack_size, GUARD_SIZE);
		t->stack_mem = uk_memalign(s->cfg.a, GUARD_SIZE,
					   GUARD_SIZE + stack_size);
		if (!t->stack_mem)
			goto fail;
		t->stack = (char *)t->stack_mem + GUARD_SIZE;
		if (s->cfg.guard_page(t->stack_mem, 1) == 0)
			t->guard = t->stack_mem;
	} else {
		t->stack_mem = uk_memalign(s->cfg.a, 16, stack_size);
		if (!t->stack_mem)
			goto fail;
		t->stack = t->stack_mem;
	}
	t->stack_size = stack_size;
	t->flags = UK_THREAD_KERNEL;
	if (setup_thread(s, t, name, fn, arg, NULL, 1))
		goto fail;
	return t;
fail:
	if (t->stack_mem)
		free_stack(s, t);
	uk_free(s->cfg.a, t);
	return NULL;
}

struct uk_thread *uk_thread_create_on_stack(struct uk_sched *s,
					    const char *name, uk_thread_fn_t fn,
					    void *arg, void *stack,
					    size_t stack_size, void *tp)
{
	struct uk_thread *t;

	if (!s)
		s = default_sched;
	/* room for the initial frame and a few calls */
	if (!s || !fn || !stack || stack_size < 256 ||
	    (uintptr_t)stack + stack_size < (uintptr_t)stack)
		return NULL;
	t = uk_memalign(s->cfg.a, 64, sizeof(*t));
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->stack = stack;
	t->stack_size = stack_size;
	t->flags = UK_THREAD_EXTSTACK;
	if (setup_thread(s, t, name, fn, arg, tp, 0)) {
		uk_free(s->cfg.a, t);
		return NULL;
	}
	return t;
}

struct uk_thread *uk_thread_find(int tid)
{
	return default_sched ? find_tid(default_sched, tid) : NULL;
}

int uk_thread_tid(void)
{
	return default_sched ? default_sched->current->tid : 1;
}

int uk_thread_set_tp(void *tp)
{
	struct uk_sched *s = default_sched;

	if (!s)
		return -ENOSYS;
	s->current->tls = tp;
	if (s->cfg.set_tls)
		s->cfg.set_tls(tp);
	return 0;
}

void *uk_thread_get_tp(void)
{
	return default_sched ? default_sched->current->tls : NULL;
}

int uk_sched_set_aux_stacks(size_t size, uintptr_t *sp_slot)
{
	struct uk_sched *s = default_sched;
	struct uk_thread *t;

	if (!s)
		return -ENOSYS;
	if (!size) {
		s->aux_slot = NULL;
		s->aux_size = 0;
		for (t = s->threads; t; t = t->all_next) {
			uk_free(s->cfg.a, t->aux_stack);
			t->aux_stack = NULL;
			t->aux_sp = 0;
		}
		return 0;
	}
	if (size < 4096 || size > (1UL << 30) || !sp_slot)
		return -EINVAL;
	size = round_up(size, 16);
	if (s->aux_size)
		return size == s->aux_size && sp_slot == s->aux_slot ? 0
								     : -EBUSY;
	s->aux_size = size;
	for (t = s->threads; t; t = t->all_next) {
		if (alloc_aux(s, t)) {
			/* undo: nobody had one before */
			for (t = s->threads; t; t = t->all_next) {
				uk_free(s->cfg.a, t->aux_stack);
				t->aux_stack = NULL;
				t->aux_sp = 0;
			}
			s->aux_size = 0;
			return -ENOMEM;
		}
	}
	s->aux_slot = sp_slot;
	*sp_slot = s->current->aux_sp;
	return 0;
}

const char *uk_sched_guard_owner(uintptr_t addr)
{
	struct uk_thread *t = default_sched ? default_sched->current : NULL;
	uintptr_t g = t && t->guard ? (uintptr_t)t->guard : 0;

	return g && addr >= g && addr < g + GUARD_SIZE ? t->name : NULL;
}

const char *uk_sched_current_name(void)
{
	struct uk_thread *t = default_sched ? default_sched->current : NULL;

	return t ? t->name : NULL;
}

static void thread_entry(void *arg)
{
	struct uk_thread *t = arg;

	after_switch(t->sched, NULL);
	t->entry(t->arg);
	uk_thread_exit(0);
}

void uk_thread_exit(int status)
{
	struct uk_sched *s = default_sched;
	struct uk_thread *t = s->current;

	t->exit_status = status;
	t->state = UK_THREAD_EXITED;
	s->ops->thread_remove(s, t);
	s->nr_threads--;
	if (t->flags & UK_THREAD_DETACHED)
		s->reap = t;
	else
		uk_waitq_wake_all(&t->joinq);
	for (;;) /* the main thread never comes back; others are freed */
		schedule(s, 0);
}

int uk_thread_join(struct uk_thread *t, int *status)
{
	struct uk_sched *s = default_sched;

	if (!t || (t->flags &
		   (UK_THREAD_DETACHED | UK_THREAD_JOINING | UK_THREAD_MAIN)))
		return -EINVAL;
	if (t == s->current)
		return -EDEADLK;
	t->flags |= UK_THREAD_JOINING;
	while (t->state != UK_THREAD_EXITED)
		uk_waitq_wait(&t->joinq);
	if (status)
		*status = t->exit_status;
	free_thread(t->sched, t);
	return 0;
}

int uk_thread_detach(struct uk_thread *t)
{
	if (!t || (t->flags &
		   (UK_THREAD_DETACHED | UK_THREAD_JOINING | UK_THREAD_MAIN)))
		return -EINVAL;
	if (t->state == UK_THREAD_EXITED) {
		free_thread(t->sched, t);
		return 0;
	}
	t->flags |= UK_THREAD_DETACHED;
	return 0;
}
