/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uksched: threads, wait queues and the scheduler interface.
 *
 * The core (this library) owns thread life cycles, context switching, TLS
 * switching, sleeping and wait queues. The policy - which runnable thread runs
 * next, how sleepers are kept, what to do when nothing is runnable - is a
 * `struct uk_sched_ops` table filled in by a scheduler library (ukschedcoop:
 * round-robin, cooperative). Users only call the uk_* functions below, so a
 * preemptive scheduler can be added without touching them.
 *
 * One CPU, one scheduler. Nothing here may be called from an interrupt
 * handler except uk_sched_event_signal(). Deadlines are absolute
 * nanoseconds of the clock passed as `now` at init.
 *
 * Errors: negative errno values.
 */
#ifndef UK_SCHED_H
#define UK_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <uk/arch/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_alloc;
struct uk_sched;
struct uk_thread;

/* "No deadline": wait forever. */
#define UK_SCHED_FOREVER UINT64_MAX

/* ---- wait queues ---- */

/* FIFO of threads waiting for something. Zero-initialised = empty. */
struct uk_waitq {
	struct uk_thread *head, *tail;
};

#define UK_WAITQ_INITIALIZER \
	{                    \
		NULL, NULL   \
	}

static inline void uk_waitq_init(struct uk_waitq *wq)
{
	wq->head = wq->tail = NULL;
}

static inline int uk_waitq_empty(const struct uk_waitq *wq)
{
	return wq->head == NULL;
}

/* Block the current thread on `wq` until woken or until `deadline` (absolute
 * ns; UK_SCHED_FOREVER: no timeout). Returns 0 when woken, -ETIMEDOUT. */
int uk_waitq_wait_timeout(struct uk_waitq *wq, uint64_t deadline);
/*
 * The same wait, interruptible: returns -EINTR without waiting when the
 * current thread has an interruption request (uk_thread_interrupt(), e.g. a
 * signal it must handle), or as soon as one arrives while it waits; 0 when
 * woken, -ETIMEDOUT. A wake-up and an interruption that both happen before
 * the thread runs again count as the wake-up (0): the caller did get what
 * it waited for, and the request stays set for the next wait or check. `wq`
 * MAY be NULL: an interruptible sleep until `deadline`.
 */
int uk_waitq_wait_intr(struct uk_waitq *wq, uint64_t deadline);
/* Block until woken. */
void uk_waitq_wait(struct uk_waitq *wq);
/* Make the longest waiter runnable; returns 1 if there was one, else 0. */
int uk_waitq_wake_one(struct uk_waitq *wq);
/* Make every waiter runnable; returns how many. */
int uk_waitq_wake_all(struct uk_waitq *wq);

/* ---- events: waking threads from interrupt handlers ---- */

/*
 * An event is a flag an interrupt handler (or anything else) raises with
 * uk_sched_event_signal(), and a thread waits for with uk_sched_event_wait().
 * Signalling touches no scheduler state (two stores), so it is safe in any
 * context; the scheduler delivers raised events - makes their waiters
 * runnable - each time it switches threads or idles, and its idle halt
 * checks for raised events with interrupts off, so a signal from an
 * interrupt that ends the halt is seen at once. Signals do not count: one
 * or many before a wait satisfy one wait.
 */
struct uk_sched_event {
	volatile int pending;	     /* raised and not consumed yet */
	struct uk_waitq wq;	     /* the waiting threads */
	struct uk_sched_event *next; /* the core's list of events */
	int registered;
};

/* Set when any event was signalled since the scheduler last looked. */
extern volatile int uk_sched_events_raised;

/* Register `ev` (zeroed, not pending) with the scheduler. Thread context,
 * once per event; events live as long as the image (no unregistering). */
void uk_sched_event_init(struct uk_sched_event *ev);

/* Raise `ev`. Any context, interrupt handlers included. */
static inline void uk_sched_event_signal(struct uk_sched_event *ev)
{
	ev->pending = 1;
	__atomic_store_n(&uk_sched_events_raised, 1, __ATOMIC_RELEASE);
}

/* Wait until `ev` is raised, then consume it (pending = 0). Returns 0, or
 * -ETIMEDOUT at `deadline` (absolute ns; UK_SCHED_FOREVER: none), -EINVAL
 * for an event never registered. Returns at once when it is raised. */
int uk_sched_event_wait(struct uk_sched_event *ev, uint64_t deadline);

/* Number of threads waiting on events: the idle op tells a thread that
 * waits for an interrupt from a deadlock with it. */
unsigned uk_sched_event_waiters(void);

/* ---- threads ---- */

enum uk_thread_state {
	UK_THREAD_RUNNABLE, /* running, or in the run queue */
	UK_THREAD_BLOCKED,  /* on a wait queue and/or sleeping */
	UK_THREAD_EXITED,   /* finished, not joined yet */
};

#define UK_THREAD_DETACHED 0x1 /* freed at exit, cannot be joined */
#define UK_THREAD_JOINING  0x2 /* someone is in uk_thread_join() */
#define UK_THREAD_MAIN	   0x4 /* the thread that called uk_sched_init() */
#define UK_THREAD_EXTSTACK 0x8 /* runs on a stack its creator provided */
#define UK_THREAD_KERNEL                             \
	0x10 /* made by uk_thread_create(): no POSIX \
	      * thread (posixprocess does not count it) */

typedef void (*uk_thread_fn_t)(void *arg);

struct uk_thread {
	struct ukarch_ctx ctx; /* first: 16-aligned when the struct is */
	const char *name;
	uk_thread_fn_t entry;
	void *arg;
	void *stack;	   /* lowest address; NULL for the main thread */
	void *stack_mem;   /* what the allocator gave: guard page + stack */
	void *guard;	   /* the guard page, NULL if none */
	size_t stack_size; /* bytes */
	void *tls;	   /* thread pointer passed to set_tls; MAY be NULL */
	void *tls_block;   /* the allocation tls points into, or NULL */
	enum uk_thread_state state;
	unsigned int flags; /* UK_THREAD_* */
	int exit_status;    /* uk_thread_exit()'s argument */
	struct uk_sched *sched;
	struct uk_waitq joinq; /* who waits in uk_thread_join() */

	/* Wait queue links: owned by the core. */
	struct uk_waitq *wq; /* queue the thread waits on, or NULL */
	struct uk_thread *wq_next, *wq_prev;
	int woken;	   /* set by a wake-up, cleared on wait */
	uint64_t deadline; /* wake-up deadline while sleeping */
	int sleeping;	   /* in the scheduler's sleep queue */

	/* Scheduler links: owned by the scheduler (run queue, sleep queue). */
	struct uk_thread *rq_next, *rq_prev;
	struct uk_thread *sl_next, *sl_prev;

	/* Auxiliary stack (see uk_sched_set_aux_stacks()): the allocation
	 * and its top (16-aligned); NULL / 0 when not enabled. */
	void *aux_stack;
	uintptr_t aux_sp;

	/* POSIX identity, for the system call libraries (posixfutex,
	 * posixprocess). `tid`: unique among the threads that exist (main:
	 * 1, others > 1). `clear_tid`: set_tid_address() /
	 * CLONE_CHILD_CLEARTID address, zeroed and futex-woken by the
	 * thread's exit system call (posixfutex). `robust_list`/`robust_len`:
	 * what set_robust_list() stored. uksched only assigns `tid`. */
	int tid;
	int *clear_tid;
	void *robust_list;
	size_t robust_len;

	/* Every thread of the scheduler that was not freed yet. */
	struct uk_thread *all_next, *all_prev;

	/* Interruption request (see uk_thread_interrupt()): non-zero while the
	 * thread has something to handle that should end its interruptible
	 * waits. Set and cleared by the layer that owns the reason (signals:
	 * posixprocess). `intr_wait`: in an interruptible wait right now. */
	int intr;
	int intr_wait;

	/* Signal state, owned by posixprocess: the blocked mask (a clone()d
	 * thread starts with its creator's, a uk_thread_create()d kernel
	 * thread with every signal blocked: such threads run no signal
	 * handlers), the signals pending for this thread, the process the
	 * thread belongs to (inherited from the creator) and posixprocess's
	 * per-thread data (queued signal information, alternate stack),
	 * released by uk_thread_release_hook(). uksched only sets them at
	 * creation as said. */
	uint64_t sig_blocked;
	uint64_t sig_pending;
	void *process;
	void *sig_data;

	void *priv; /* free for the application */
};

/* ---- scheduler interface ---- */

/* What a scheduler implements. The core calls these with the scheduler's
 * state consistent; none of them switches threads. */
struct uk_sched_ops {
	/* Make `t` runnable (append to the run queue). */
	void (*thread_add)(struct uk_sched *s, struct uk_thread *t);
	/* Take `t` off the run queue if it is there (it blocks or exits). */
	void (*thread_remove)(struct uk_sched *s, struct uk_thread *t);
	/* The next thread to run, removed from the run queue; NULL if none.
	 * Called after the current thread, if still runnable, was re-added:
	 * returning it again means "keep running". */
	struct uk_thread *(*pick_next)(struct uk_sched *s);
	/* Sleep queue: remember `t` until t->deadline / forget it. */
	void (*sleep_add)(struct uk_sched *s, struct uk_thread *t);
	void (*sleep_remove)(struct uk_sched *s, struct uk_thread *t);
	/* The first sleeper whose deadline is <= now, removed from the sleep
	 * queue, or NULL. */
	struct uk_thread *(*sleep_expired)(struct uk_sched *s, uint64_t now);
	/* Earliest sleeper's deadline, UK_SCHED_FOREVER if none. */
	uint64_t (*next_deadline)(struct uk_sched *s);
	/* Nothing is runnable: wait for time `next_deadline` (or an event).
	 * UK_SCHED_FOREVER with no sleepers is a deadlock (the core reports
	 * it and calls the hook anyway). */
	void (*idle)(struct uk_sched *s, uint64_t next_deadline);
};

/* Environment hooks, given at init. */
struct uk_sched_config {
	/* Thread structs, stacks and TLS blocks come from here. */
	struct uk_alloc *a;
	/* Monotonic ns (image: ukplat_monotonic_clock; tests: a fake). */
	uint64_t (*now)(void);
	/* Called with the next thread's tp before every switch (image: write
	 * the FS base; tests: record). MAY be NULL. */
	void (*set_tls)(void *tp);
	/* For the scheduler's idle op (ukschedcoop: wait until the deadline;
	 * image: ukplat_halt_until). MAY be NULL. */
	void (*idle)(uint64_t next_deadline);
	/* Called on every pass through the scheduler before it looks for
	 * events: take the interrupts pending now (image:
	 * ukplat_lcpu_poll_irq), so that threads that keep yielding without
	 * the CPU ever idling still see the events device interrupts raise.
	 * MAY be NULL. */
	void (*poll_irq)(void);
	/* Per-thread TLS block: size (0: threads get tls = NULL) and an
	 * initialiser called with the thread pointer (MAY be NULL: zeroed
	 * block). Laid out as the architecture's TLS ABI wants it
	 * (<uk/arch/tls.h>: on x86_64, `tls_size` bytes end at tp and
	 * *(void **)tp = tp). */
	size_t tls_size;
	void (*tls_init)(void *tp);
	/* Stack size when uk_thread_create() is given 0 (0 here: 64 KiB). */
	size_t default_stack_size;
	/* Guard pages: called with the page below a new thread's stack and
	 * on = 1 (make it fault), and with on = 0 before that memory goes back
	 * to the allocator (image: ukplat_page_guard). MAY be NULL: no guards.
	 * A failure leaves that thread without a guard, nothing else. */
	int (*guard_page)(void *page, int on);
};

struct uk_sched {
	const struct uk_sched_ops *ops;
	struct uk_sched_config cfg;
	struct uk_thread *current;
	struct uk_thread *reap; /* detached thread to free after a switch */
	struct uk_thread *prev; /* the thread that switched last */
	const void *main_stack; /* main thread's stack, learnt (ASan only) */
	size_t main_stack_size;
	struct uk_thread main_thread;
	uint64_t nr_threads; /* alive, counting main */
	uint64_t nr_switches;
	struct uk_thread *threads; /* all not yet freed (all_next list) */
	int next_tid;		   /* next tid to try */
	size_t aux_size;	   /* aux stack bytes, 0: none */
	uintptr_t *aux_slot;	   /* gets the next thread's aux_sp */
	/* see uk_sched_set_process_switch() */
	void (*process_switch)(struct uk_thread *prev, struct uk_thread *next);
};

/* Set up `s` with a scheduler's `ops` and the environment in `cfg`, and
 * adopt the caller as the main thread (named "main"). Returns 0 or -EINVAL
 * (missing ops, allocator or clock). */
int uk_sched_init(struct uk_sched *s, const struct uk_sched_ops *ops,
		  const struct uk_sched_config *cfg);
/* The scheduler initialised last, or NULL. */
struct uk_sched *uk_sched_get_default(void);
/* Let other runnable threads run; returns when it is our turn again. */
void uk_sched_yield(void);
/* Current time of the scheduler's clock, in ns. */
uint64_t uk_sched_now(void);
/* Sleep until absolute time `deadline` / for `ns` nanoseconds. */
void uk_sched_sleep_until(uint64_t deadline);
void uk_sched_sleep_ns(uint64_t ns);

/*
 * The name of the current thread if `addr` lies in its stack's guard page
 * (a stack overflow), else NULL. Crash reports call it (ukdebug declares it
 * weak, so images without threads need no uksched).
 */
const char *uk_sched_guard_owner(uintptr_t addr);
/*
 * Images only: set cfg->tls_size and cfg->tls_init from the image's TLS
 * template (the linker scripts' .tdata/.tbss), so that `__thread` variables
 * work in every thread created afterwards (not in the main thread, which has
 * no block). Returns 0 (also when the image has no TLS), or -EINVAL when the
 * template needs more than 64-byte alignment.
 */
int uk_sched_tls_image(struct uk_sched_config *cfg);

/* The current thread's name, or NULL before the scheduler runs. */
const char *uk_sched_current_name(void);

/* Create a runnable thread running fn(arg) on a fresh stack of
 * `stack_size` bytes (0: the default). `s` NULL: the default scheduler.
 * Returns the thread or NULL (no memory, bad arguments). */
struct uk_thread *uk_thread_create(struct uk_sched *s, const char *name,
				   uk_thread_fn_t fn, void *arg,
				   size_t stack_size);
/* Finish the current thread with `status` (also what returning from the
 * entry function does, with status 0). Not for the main thread. */
__attribute__((noreturn)) void uk_thread_exit(int status);
/* Wait until `t` finished, store its status (status MAY be NULL) and free
 * it. -EINVAL: detached or already being joined; -EDEADLK: t is us. */
int uk_thread_join(struct uk_thread *t, int *status);
/* Free `t` when it exits (at once if it has). -EINVAL if detached/joined. */
int uk_thread_detach(struct uk_thread *t);
/* The running thread (the main thread before any other ran). */
struct uk_thread *uk_thread_current(void);

/* Create a runnable thread running fn(arg) on a stack its creator provides
 * and keeps owning: [stack, stack + stack_size), the thread starting just
 * below the top (rounded down to 16). uksched never frees or guards it; it
 * MAY be freed once the thread has exited and another thread ran (UP,
 * cooperative: an exiting thread uses its stack until it switches away).
 * `tp` non-NULL: the thread's thread pointer (no TLS block is allocated);
 * NULL: a block as uk_thread_create() makes. Returns the thread or NULL. */
struct uk_thread *uk_thread_create_on_stack(struct uk_sched *s,
					    const char *name, uk_thread_fn_t fn,
					    void *arg, void *stack,
					    size_t stack_size, void *tp);
/* The current thread's tid (1 before any scheduler runs). */
int uk_thread_tid(void);

/*
 * Ask `t` to stop waiting: set t->intr, and if `t` blocks in an
 * interruptible wait (uk_waitq_wait_intr()), make it runnable; that wait
 * then returns -EINTR. Waits that are not interruptible are not affected.
 * The request stays until uk_thread_intr_clear(). Thread context only (not
 * from interrupt handlers).
 */
void uk_thread_interrupt(struct uk_thread *t);
/* Withdraw `t`'s interruption request (its reason was handled). */
static inline void uk_thread_intr_clear(struct uk_thread *t)
{
	t->intr = 0;
}

/*
 * If the image defines it (posixprocess does), called with every thread
 * right before uksched frees it, so that the owner of t->sig_data can
 * release it. Weak: NULL otherwise.
 */
void uk_thread_release_hook(struct uk_thread *t) __attribute__((weak));

/*
 * A function called on every switch between threads whose `process`
 * fields differ, with both threads, before the next one runs: posixprocess
 * installs the next process's descriptor table, memory bookkeeping and
 * fixed-address mappings there. NULL (the default): nothing.
 */
void uk_sched_set_process_switch(void (*fn)(struct uk_thread *prev,
					    struct uk_thread *next));
/* The thread with tid `tid` that was not freed yet, or NULL. */
struct uk_thread *uk_thread_find(int tid);
/* Make `tp` the current thread's thread pointer from now on (what
 * cfg.set_tls gets on switches to it), and call cfg.set_tls(tp) at once.
 * Returns 0, or -ENOSYS before any scheduler runs. The thread's TLS block,
 * if any, is still freed with it. */
int uk_thread_set_tp(void *tp);
/* The current thread's thread pointer (NULL before any scheduler runs). */
void *uk_thread_get_tp(void);

/*
 * Auxiliary stacks, for a system call entry that must not run on the
 * caller's stack (the binary-compatible `syscall` path): from now on every
 * thread - the current one, all existing ones and all future ones - owns an
 * aux stack of `size` bytes (rounded up to 16; its top 16-aligned; freed
 * with the thread), and every context switch stores the next thread's aux
 * stack top into *sp_slot (one store; nothing when never enabled). The
 * current thread's top is stored at once. Calling it again with the same
 * size and slot is a no-op. size 0 (sp_slot ignored): disable and free
 * every aux stack - not while one is in use.
 * Returns 0, -EINVAL (size < 4096 or > 1 GiB, sp_slot NULL), -EBUSY (already
 * enabled with another size or slot), -ENOSYS (no scheduler yet), -ENOMEM
 * (then nothing changed).
 */
int uk_sched_set_aux_stacks(size_t size, uintptr_t *sp_slot);

#ifdef __cplusplus
}
#endif
#endif /* UK_SCHED_H */
