/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signals: actions per process, masks, pending sets and alternate stacks per
 * thread, generation (kill, tkill, tgkill, sigqueue, the kernel's own),
 * waiting (sigsuspend, pause, sigtimedwait) and delivery on the way out of
 * system calls: the native path (uk_syscall_exit_native: handlers are
 * called as C functions) and the binary path (uk_syscall_exit_binary:
 * Linux's signal frame on the user stack, rt_sigreturn). See
 * <uk/process.h> and docs/design.md "Signals".
 *
 * Generation queues the signal (one instance of a standard signal, every
 * instance of a real-time one) and asks one thread that does not block it
 * to stop waiting (uk_thread_interrupt: its interruptible waits return
 * -EINTR), and sets uk_syscall_exit_work so that the next way out of a
 * call looks for signals. UP: no locks; nothing here runs in interrupt
 * context except through the platform's return-to-program hook, which only
 * runs when the interrupted code was a loaded program (no kernel code was
 * in progress).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "process_impl.h"
#include "signal_impl.h"

/* uksched, when the image has it */
#pragma weak uk_thread_current
#pragma weak uk_thread_find
#pragma weak uk_thread_interrupt
#pragma weak uk_waitq_wait_intr
#pragma weak uk_waitq_wake_all
#pragma weak uk_sched_get_default
#pragma weak uk_sched_now

#define RT_QUEUE_MAX 1024 /* queued real-time signals (RLIMIT_SIGPENDING) */

#define init_proc pp_init_process
/* The thread of an image without a scheduler. */
static struct uk_thread solo = {.tid = 1};
static struct pp_tsig solo_tsig;
static unsigned nr_queued;
static unsigned nr_intr; /* threads with t->intr set */

static const char *const names[32] = {
	NULL,	   "SIGHUP",  "SIGINT",	   "SIGQUIT", "SIGILL",	   "SIGTRAP",
	"SIGABRT", "SIGBUS",  "SIGFPE",	   "SIGKILL", "SIGUSR1",   "SIGSEGV",
	"SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
	"SIGPWR",  "SIGSYS",
};

/* ---- threads and processes ---- */

struct uk_thread *pp_current(void)
{
	struct uk_thread *t = uk_thread_current ? uk_thread_current() : NULL;

	return t ? t : &solo;
}

struct pp_process *pp_process_of(struct uk_thread *t)
{
	return t->process ? (struct pp_process *)t->process : &init_proc;
}

struct pp_tsig *pp_tsig(struct uk_thread *t)
{
	struct pp_tsig *d;

	if (t == &solo)
		return &solo_tsig;
	if (t->sig_data)
		return t->sig_data;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->altstack.flags = SS_DISABLE_;
	t->sig_data = d;
	return d;
}

static void queue_free(struct pp_sigq *q)
{
	struct pp_sigq_entry *e, *n;

	for (e = q->head; e; e = n) {
		n = e->next;
		free(e);
		nr_queued--;
	}
	q->head = q->tail = NULL;
}

void uk_thread_release_hook(struct uk_thread *t)
{
	struct pp_tsig *d = t->sig_data;

	if (t->intr && nr_intr)
		nr_intr--;
	t->intr = 0;
	if (d) {
		queue_free(&d->queue);
		free(d);
		t->sig_data = NULL;
	}
}

/* Every POSIX thread of process p (not the kernel's), for p's
 * process-wide work: callback per thread; stops when it returns non-zero.
 * Bounded by the thread list. */
struct uk_thread *for_each_thread_of(struct pp_process *p,
				     int (*fn)(struct uk_thread *, void *),
				     void *arg)
{
	struct uk_sched *s =
		uk_sched_get_default ? uk_sched_get_default() : NULL;
	struct uk_thread *t, *next;

	if (!s)
		return p == &init_proc && fn(&solo, arg) ? &solo : NULL;
	for (t = s->threads; t; t = next) {
		next = t->all_next;
		if (t->state != UK_THREAD_EXITED &&
		    !(t->flags & UK_THREAD_KERNEL) && pp_process_of(t) == p &&
		    fn(t, arg))
			return t;
	}
	return NULL;
}

#define for_each_thread for_each_thread_of

/* ---- who has work ---- */

static uint64_t deliverable(struct uk_thread *t)
{
	return (t->sig_pending | pp_process_of(t)->pending) & ~t->sig_blocked;
}

static void set_intr(struct uk_thread *t)
{
	if (!t->intr)
		nr_intr++;
	if (uk_thread_interrupt && t != &solo)
		uk_thread_interrupt(t);
	else
		t->intr = 1;
	uk_syscall_exit_work = 1;
}

void pp_update_exit_work(void)
{
	/* the timer interrupt sets the flag too: no lost update */
	unsigned long f = ukplat_lcpu_save_irqf();

	uk_syscall_exit_work = nr_intr || pp_timer_work();
	ukplat_lcpu_restore_irqf(f);
}

static void clear_intr(struct uk_thread *t)
{
	if (t->intr && nr_intr)
		nr_intr--;
	t->intr = 0;
	if (!nr_intr)
		pp_update_exit_work();
}

static int doomed(struct uk_thread *t)
{
	struct pp_tsig *d = t == &solo ? &solo_tsig : t->sig_data;

	return (d && d->doomed) || pp_process_of(t)->exiting;
}

void pp_recalc(struct uk_thread *t)
{
	if (deliverable(t) || doomed(t))
		set_intr(t);
	else
		clear_intr(t);
}

static int recalc_one(struct uk_thread *t, void *arg)
{
	(void)arg;
	pp_recalc(t);
	return 0;
}

/* After a change to process-wide state (pending set, actions). */
static void recalc_process(struct pp_process *p)
{
	for_each_thread(p, recalc_one, NULL);
}

void pp_set_blocked(struct uk_thread *t, uint64_t mask)
{
	t->sig_blocked = mask & ~UNBLOCKABLE_;
	pp_recalc(t);
}

/* ---- default actions ---- */

enum dfl { DFL_TERM, DFL_IGN, DFL_CORE, DFL_STOP };

static enum dfl default_action(int sig)
{
	switch (sig) {
	case SIGCHLD_:
	case SIGCONT_:
	case SIGURG_:
	case SIGWINCH_:
		return DFL_IGN;
	case SIGSTOP_:
	case SIGTSTP_:
	case SIGTTIN_:
	case SIGTTOU_:
		return DFL_STOP;
	case SIGQUIT_:
	case SIGILL_:
	case SIGTRAP_:
	case SIGABRT_:
	case SIGBUS_:
	case SIGFPE_:
	case SIGSEGV_:
	case SIGXCPU_:
	case SIGXFSZ_:
	case SIGSYS_:
		return DFL_CORE;
	default:
		return DFL_TERM;
	}
}

/* Discarded when generated: an ignored signal (explicitly, or by default
 * - the stop signals too: nothing can stop a unikernel's process). */
static int ignored(const struct pp_process *p, int sig)
{
	uintptr_t h = p->actions[sig].handler;

	if (sig == SIGKILL_)
		return 0;
	if (h == SIG_IGN_)
		return 1;
	if (h == SIG_DFL_) {
		enum dfl d = default_action(sig);
		return d == DFL_IGN || d == DFL_STOP;
	}
	return 0;
}

const char *uk_process_signame(int sig)
{
	return sig > 0 && sig < 32 ? names[sig] : NULL;
}

__attribute__((noreturn)) static void fatal(int sig,
					    const struct ukarch_regs *regs)
{
	struct uk_thread *t = pp_current();
	struct pp_process *p = pp_process_of(t);
	int core = default_action(sig) == DFL_CORE;

	if (p != &init_proc) {
		/* a child: its parent learns it from wait; a core-dump signal
		 * is worth a report */
		if (core)
			uk_pr_warn("process %d (%s) killed by signal %d (%s) "
				   "in thread %d at " PP_PC_NAME
				   " 0x%lx, " PP_SP_NAME
				   " 0x%lx (no core file is written)",
				   p->pid, p->comm, sig, names[sig], t->tid,
				   regs ? (unsigned long)ukarch_regs_pc(regs)
					: 0UL,
				   regs ? (unsigned long)ukarch_regs_sp(regs)
					: 0UL);
		else
			uk_pr_info("process %d (%s) killed by signal %d",
				   p->pid, p->comm, sig);
		pp_process_exit(p, sig | (core ? 0x80 : 0));
	}
	if (sig < 32)
		uk_pr_crit("killed by signal %d (%s): exit status %d", sig,
			   names[sig], 128 + sig);
	else
		uk_pr_crit("killed by real-time signal %d: exit status %d", sig,
			   128 + sig);
	if (default_action(sig) == DFL_CORE && regs)
		uk_pr_crit(
			"%s in thread %d at " PP_PC_NAME " 0x%lx, " PP_SP_NAME
			" 0x%lx (a core dump signal: no core file is "
			"written)",
			names[sig], t->tid, (unsigned long)ukarch_regs_pc(regs),
			(unsigned long)ukarch_regs_sp(regs));
	uk_process_exit(128 + sig);
}

/* ---- queues ---- */

static int enqueue(struct pp_sigq *q, uint64_t *pending,
		   const struct pp_siginfo *info)
{
	int sig = info->signo;
	struct pp_sigq_entry *e;

	if (sig < SIGRTMIN_K && (*pending & SIGBIT(sig)))
		return 0; /* one instance of a standard signal */
	if (sig >= SIGRTMIN_K && nr_queued >= RT_QUEUE_MAX)
		return info->code < 0 && info->code != SI_TKILL_ ? -EAGAIN : 0;
	e = malloc(sizeof(*e));
	if (!e) {
		if (sig >= SIGRTMIN_K && info->code < 0 &&
		    info->code != SI_TKILL_)
			return -EAGAIN;
		/* pending without its information: SI_USER on delivery */
		*pending |= SIGBIT(sig);
		return 0;
	}
	e->next = NULL;
	e->info = *info;
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	nr_queued++;
	*pending |= SIGBIT(sig);
	return 0;
}

/* Take the first instance of `sig` from q; clear its pending bit when it
 * was the last one (an instance without an entry - out of memory when it
 * was sent - reads as SI_USER). */
static void dequeue(struct pp_sigq *q, uint64_t *pending, int sig,
		    struct pp_siginfo *info)
{
	struct pp_sigq_entry *e, *prev = NULL, *next;
	int found = 0, more = 0;

	for (e = q->head; e; e = next) {
		next = e->next;
		if (e->info.signo != sig) {
			prev = e;
			continue;
		}
		if (found) {
			more = 1;
			break;
		}
		found = 1;
		*info = e->info;
		if (prev)
			prev->next = next;
		else
			q->head = next;
		if (q->tail == e)
			q->tail = prev;
		free(e);
		nr_queued--;
	}
	if (!found) {
		memset(info, 0, sizeof(*info));
		info->signo = sig;
		info->code = SI_USER_;
	}
	if (!more)
		*pending &= ~SIGBIT(sig);
}

static int timer_in(const struct pp_sigq *q, int id)
{
	const struct pp_sigq_entry *e;

	for (e = q->head; e; e = e->next) /* bounded: the queue */
		if (e->info.code == SI_TIMER_ && e->info.timer.tid == id)
			return 1;
	return 0;
}

static int thread_has_timer(struct uk_thread *t, void *arg)
{
	struct pp_tsig *d = t == &solo ? &solo_tsig : t->sig_data;

	return d && timer_in(&d->queue, *(int *)arg);
}

int pp_queued_timer(struct pp_process *p, int id)
{
	return timer_in(&p->queue, id) ||
	       for_each_thread(p, thread_has_timer, &id) != NULL;
}

/* Drop every pending instance of `sig` (it became ignored). */
static int discard_one(struct uk_thread *t, void *arg)
{
	int sig = *(int *)arg;
	struct pp_tsig *d = t->sig_data;
	struct pp_siginfo info;

	if (t == &solo)
		d = &solo_tsig;
	while (d && (t->sig_pending & SIGBIT(sig)))
		dequeue(&d->queue, &t->sig_pending, sig, &info);
	t->sig_pending &= ~SIGBIT(sig);
	return 0;
}

static void discard(struct pp_process *p, int sig)
{
	struct pp_siginfo info;

	while (p->pending & SIGBIT(sig))
		dequeue(&p->queue, &p->pending, sig, &info);
	for_each_thread(p, discard_one, &sig);
	recalc_process(p);
}

/* ---- generation ---- */

static void wake_waiter(struct uk_thread *t, int sig)
{
	struct pp_tsig *d = t == &solo ? &solo_tsig : t->sig_data;

	if (d && d->waiting && (d->waitset & SIGBIT(sig)) && uk_waitq_wake_all)
		uk_waitq_wake_all(&d->wq);
}

int pp_send_thread(struct uk_thread *t, const struct pp_siginfo *info)
{
	struct pp_process *p = pp_process_of(t);
	struct pp_tsig *d;
	int sig = info->signo, rc;

	if (ignored(p, sig) && !(t->sig_blocked & SIGBIT(sig)))
		return 0;
	d = pp_tsig(t);
	if (!d)
		return -EAGAIN;
	rc = enqueue(&d->queue, &t->sig_pending, info);
	if (rc)
		return rc;
	wake_waiter(t, sig);
	if (!(t->sig_blocked & SIGBIT(sig)))
		set_intr(t);
	uk_process_signal_notify();
	return 0;
}

static int waits_for(struct uk_thread *t, void *arg)
{
	int sig = *(int *)arg;
	struct pp_tsig *d = t == &solo ? &solo_tsig : t->sig_data;

	return d && d->waiting && (d->waitset & SIGBIT(sig));
}

static int takes(struct uk_thread *t, void *arg)
{
	return !(t->sig_blocked & SIGBIT(*(int *)arg));
}

int pp_send_process(struct pp_process *p, const struct pp_siginfo *info)
{
	struct uk_thread *t, *cur = pp_current();
	int sig = info->signo, rc;

	/* discarded when ignored, unless every thread blocks it (then it
	 * stays pending, and may be unblocked or waited for) */
	if (ignored(p, sig) && for_each_thread(p, takes, &sig))
		return 0;
	rc = enqueue(&p->queue, &p->pending, info);
	if (rc)
		return rc;
	/* a thread waiting for it in sigtimedwait first, then the caller if
	 * it is one of p's threads and takes it, else any that takes it */
	t = for_each_thread(p, waits_for, &sig);
	if (t) {
		wake_waiter(t, sig);
	} else if (pp_process_of(cur) == p && takes(cur, &sig)) {
		set_intr(cur);
	} else {
		t = for_each_thread(p, takes, &sig);
		if (t)
			set_intr(t);
	}
	uk_process_signal_notify();
	return 0;
}

static void info_user(struct pp_siginfo *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->signo = sig;
	info->code = code;
	info->k.pid = pp_process_of(pp_current())->pid;
	info->k.uid = 0;
}

int uk_process_raise(int sig)
{
	struct pp_siginfo info;

	if (sig <= 0 || sig > NSIG_)
		return -EINVAL;
	info_user(&info, sig, SI_USER_);
	return pp_send_thread(pp_current(), &info);
}

int uk_process_signal_thread(struct uk_thread *t, int sig, int code)
{
	struct pp_siginfo info;

	if (!t || sig <= 0 || sig > NSIG_)
		return -EINVAL;
	info_user(&info, sig, code);
	return pp_send_thread(t, &info);
}

/* Hook for signalfd: called after every generation. */
__attribute__((weak)) void uk_process_signal_notify(void)
{
}

/* ---- delivery ---- */

/* Lowest pending signal of t not blocked; synchronous fault signals
 * first, as Linux does. */
static int next_signal(struct uk_thread *t, uint64_t set)
{
	static const uint64_t sync = SIGBIT(SIGSEGV_) | SIGBIT(SIGBUS_) |
				     SIGBIT(SIGILL_) | SIGBIT(SIGTRAP_) |
				     SIGBIT(SIGFPE_) | SIGBIT(SIGSYS_);
	uint64_t m = (t->sig_pending | pp_process_of(t)->pending) & set;

	if (!m)
		return 0;
	if (m & sync)
		m &= sync;
	return __builtin_ctzll(m) + 1;
}

/* Take one instance of sig (thread queue first). */
static void take(struct uk_thread *t, int sig, struct pp_siginfo *info)
{
	struct pp_process *p = pp_process_of(t);
	struct pp_tsig *d = pp_tsig(t);

	if ((t->sig_pending & SIGBIT(sig)) && d)
		dequeue(&d->queue, &t->sig_pending, sig, info);
	else if (t->sig_pending & SIGBIT(sig))
		t->sig_pending &= ~SIGBIT(sig), info_user(info, sig, SI_USER_);
	else
		dequeue(&p->queue, &p->pending, sig, info);
	if (info->code == SI_TIMER_)
		pp_timer_delivered(p, info);
}

int pp_take_signal(struct uk_thread *t, uint64_t mask, struct pp_siginfo *info)
{
	int sig = next_signal(t, mask & ~UNBLOCKABLE_);

	if (!sig)
		return 0;
	take(t, sig, info);
	pp_recalc(t);
	return sig;
}

uint64_t pp_pending_of(struct uk_thread *t, uint64_t mask)
{
	return (t->sig_pending | pp_process_of(t)->pending) & mask;
}

int pp_get_signal(struct pp_siginfo *info, struct pp_sigaction *act,
		  const struct ukarch_regs *regs)
{
	struct uk_thread *t = pp_current();
	struct pp_process *p = pp_process_of(t);
	int sig;

	/* bounded: each round takes one pending instance */
	for (int round = 0; round < RT_QUEUE_MAX + NSIG_; round++) {
		sig = next_signal(t, ~t->sig_blocked);
		if (!sig)
			break;
		take(t, sig, info);
		*act = p->actions[sig];
		if (sig == SIGKILL_)
			fatal(sig, regs);
		if (act->handler == SIG_IGN_)
			continue;
		if (act->handler == SIG_DFL_) {
			enum dfl d = default_action(sig);
			if (d == DFL_IGN || d == DFL_STOP)
				continue;
			fatal(sig, regs);
		}
		pp_recalc(t);
		return sig;
	}
	pp_recalc(t);
	return 0;
}

uint64_t pp_handler_begin(struct uk_thread *t, int sig,
			  const struct pp_sigaction *a)
{
	struct pp_process *p = pp_process_of(t);
	struct pp_tsig *d = pp_tsig(t);
	uint64_t restore = t->sig_blocked, m = t->sig_blocked | a->mask;

	if (d && d->restore_mask) {
		restore = d->saved_mask;
		d->restore_mask = 0;
	}
	if (!(a->flags & SA_NODEFER_))
		m |= SIGBIT(sig);
	if (a->flags & SA_RESETHAND_) {
		p->actions[sig].handler = SIG_DFL_;
		p->actions[sig].flags &= ~SA_SIGINFO_;
	}
	pp_set_blocked(t, m);
	return restore;
}

/* After a call: the mask a sigsuspend replaced comes back when no handler
 * ran. */
static void restore_saved_mask(struct uk_thread *t)
{
	struct pp_tsig *d = t == &solo ? &solo_tsig : t->sig_data;

	if (d && d->restore_mask) {
		d->restore_mask = 0;
		pp_set_blocked(t, d->saved_mask);
	}
}

int uk_process_sigmask_push(const uint64_t *mask)
{
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = pp_tsig(t);

	if (!d)
		return -ENOMEM;
	d->saved_mask = t->sig_blocked;
	d->restore_mask = 1;
	pp_set_blocked(t, *mask);
	return 0;
}

void uk_process_sigmask_pop(int interrupted)
{
	/* interrupted: the handler runs with the wait's mask and returns to
	 * the saved one (or, without a handler, the way out restores it) */
	if (!interrupted)
		restore_saved_mask(pp_current());
}

/* What an interrupted call returns once a handler is about to run. */
static long interrupted(long ret, const struct pp_sigaction *a, int *restart)
{
	*restart = 0;
	if (ret == -UK_ERESTARTSYS) {
		if (a->flags & SA_RESTART_)
			*restart = 1;
		else
			ret = -EINTR;
	} else if (ret == -UK_ERESTARTNOHAND) {
		ret = -EINTR;
	}
	return ret;
}

/* The native ucontext a handler gets: Linux's layout up to uc_sigmask,
 * padded to the size of a libc's ucontext_t (the registers are not
 * filled in: a C handler was called, nothing was interrupted). */
#if defined(__aarch64__)
/* arm64: uc_sigmask before uc_mcontext, padded to 1024 bits; the
 * sigcontext (4384 bytes, 16-aligned) at 176 */
struct native_uc {
	uint64_t flags, link;
	struct pp_stack stack;
	uint64_t sigmask;
	uint8_t pad[1024 / 8 - 8];
	uint64_t mcontext[548] __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct native_uc, sigmask) == 40 &&
		       offsetof(struct native_uc, mcontext) == 176,
	       "arm64 ucontext_t");
#else
struct native_uc {
	uint64_t flags, link;
	struct pp_stack stack;
	uint64_t mcontext[32];
	uint64_t sigmask;
	uint8_t pad[640];
};
_Static_assert(offsetof(struct native_uc, sigmask) == 296, "x86_64 ucontext_t");
#endif

long uk_syscall_exit_native(long ret)
{
	struct uk_thread *t = pp_current();
	struct pp_sigaction a;
	struct pp_siginfo info;
	int sig, restart = 0, handled = 0;

	pp_thread_doomed_check();
	pp_timers_check();
	/* every handler that can run now, lowest first; bounded as in
	 * pp_get_signal (a handler may raise more: at most what it raises) */
	for (int round = 0; round < 2 * NSIG_; round++) {
		sig = pp_get_signal(&info, &a, NULL);
		if (!sig)
			break;
		if (!handled)
			ret = interrupted(ret, &a, &restart);
		handled = 1;
		{
			struct native_uc uc;

			memset(&uc, 0, sizeof(uc));
			uc.sigmask = pp_handler_begin(t, sig, &a);
			uc.stack = pp_tsig(t) ? pp_tsig(t)->altstack
					      : (struct pp_stack){0};
			pp_call_native(t, sig, &info, &a, &uc);
			/* the handler may have changed uc_sigmask */
			pp_set_blocked(t, uc.sigmask);
		}
	}
	if (!handled) {
		restore_saved_mask(t);
		/* nobody handled the interruption: the call goes on */
		if (ret == -UK_ERESTARTSYS || ret == -UK_ERESTARTNOHAND)
			restart = 1;
	}
	pp_recalc(t);
	return restart ? -UK_ERESTARTSYS : ret;
}

/* The binary path: at most one handler per way out (a second one is set
 * up when the first returns through rt_sigreturn, which leaves by this
 * function too). */
long uk_syscall_exit_binary(struct ukarch_syscall_frame *f, long ret)
{
	struct uk_thread *t = pp_current();
	struct ukarch_regs r;
	struct pp_sigaction a;
	struct pp_siginfo info;
	int sig, restart;
	uint64_t restore;

	pp_thread_doomed_check();
	pp_timers_check();
	pp_regs_from_frame(&r, f);
	pp_regs_set_result(&r, ret);
	sig = pp_get_signal(&info, &a, &r);
	if (!sig) {
		restore_saved_mask(t);
		if (ret == -UK_ERESTARTSYS || ret == -UK_ERESTARTNOHAND)
			ret = ukarch_syscall_frame_restart(f); /* again */
		pp_recalc(t);
		return ret;
	}
	ret = interrupted(ret, &a, &restart);
	if (restart)
		pp_regs_restart(&r, f);
	else
		pp_regs_set_result(&r, ret);
	restore = pp_handler_begin(t, sig, &a);
	if (pp_frame_setup(t, &r, ukarch_syscall_frame_fpu(f), sig, &info, &a,
			   restore) < 0) {
		/* no room for the frame: Linux kills with SIGSEGV */
		uk_pr_crit("no room for the signal frame of %d on the "
			   "alternate stack",
			   sig);
		fatal(SIGSEGV_, &r);
	}
	pp_regs_to_frame(f, &r);
	/* stays set: the next way out (after the handler) looks again */
	uk_syscall_exit_work = 1;
	return pp_regs_result(&r);
}

/*
 * The platform's return-to-program hook (interrupts that arrived while a
 * loaded program ran, not kernel code): due timers have fired already; set
 * up the handler of a pending signal in the interrupted context.
 */
void uk_process_irq_return(struct ukarch_regs *r, void *fx)
{
	struct uk_thread *t = pp_current();
	struct pp_sigaction a;
	struct pp_siginfo info;
	uint64_t restore;
	int sig;

	pp_timers_check();
	if (!t->intr)
		return;
	sig = pp_get_signal(&info, &a, r);
	if (!sig)
		return;
	restore = pp_handler_begin(t, sig, &a);
	if (pp_frame_setup(t, r, fx, sig, &info, &a, restore) < 0) {
		uk_pr_crit("no room for the signal frame of %d on the "
			   "alternate stack",
			   sig);
		fatal(SIGSEGV_, r);
	}
	uk_syscall_exit_work = 1;
}

void pp_irq_hook(void)
{
	static int done;

	if (!done) {
		ukplat_irq_set_return_hook(uk_process_irq_return);
		done = 1;
	}
}

/* ---- processes: identity and groups ---- */

UK_SYSCALL_R_DEFINE(int, getpid)
{
	return pp_process_of(pp_current())->pid;
}

UK_SYSCALL_R_DEFINE(int, getpgid, int, pid)
{
	struct pp_process *p =
		pid ? pp_find_process(pid) : pp_process_of(pp_current());

	return p ? p->pgid : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, getpgrp)
{
	return pp_process_of(pp_current())->pgid;
}

UK_SYSCALL_R_DEFINE(int, getsid, int, pid)
{
	struct pp_process *p =
		pid ? pp_find_process(pid) : pp_process_of(pp_current());

	return p ? p->sid : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, setpgid, int, pid, int, pgid)
{
	struct pp_process *self = pp_process_of(pp_current()), *p;

	if (pgid < 0)
		return -EINVAL;
	p = pid ? pp_find_process(pid) : self;
	if (!p)
		return -ESRCH;
	if (p != self && !pp_is_child(self, p))
		return -ESRCH;
	if (p->sid == p->pid)
		return -EPERM; /* a session leader stays where it is */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid && !pp_group_in_session(pgid, p->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setsid)
{
	struct pp_process *p = pp_process_of(pp_current());

	if (p->pgid == p->pid)
		return -EPERM; /* a group leader cannot start a session */
	p->sid = p->pgid = p->pid;
	return p->sid;
}

/* ---- system calls ---- */

UK_SYSCALL_R_DEFINE(int, rt_sigaction, int, sig, const struct pp_sigaction *,
		    act, struct pp_sigaction *, oact, size_t, setsize)
{
	struct pp_process *p = pp_process_of(pp_current());
	struct pp_sigaction n;

	if (setsize != SIGSETSZ)
		return -EINVAL;
	if (sig < 1 || sig > NSIG_)
		return -EINVAL;
	if (act && (sig == SIGKILL_ || sig == SIGSTOP_))
		return -EINVAL;
	if (act)
		n = *act; /* act and oact may alias */
	if (oact)
		*oact = p->actions[sig];
	if (act) {
		n.mask &= ~UNBLOCKABLE_;
		p->actions[sig] = n;
		/* POSIX: a signal that becomes ignored is discarded */
		if (ignored(p, sig))
			discard(p, sig);
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigprocmask, int, how, const uint64_t *, set,
		    uint64_t *, oset, size_t, setsize)
{
	struct uk_thread *t = pp_current();
	uint64_t n = 0;

	if (setsize != SIGSETSZ)
		return -EINVAL;
	if (set) {
		switch (how) {
		case 0: /* SIG_BLOCK */
			n = t->sig_blocked | *set;
			break;
		case 1: /* SIG_UNBLOCK */
			n = t->sig_blocked & ~*set;
			break;
		case 2: /* SIG_SETMASK */
			n = *set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset)
		*oset = t->sig_blocked;
	if (set)
		pp_set_blocked(t, n); /* pending ones: on the way out */
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigpending, uint64_t *, set, size_t, setsize)
{
	struct uk_thread *t = pp_current();
	uint64_t m;

	if (setsize > SIGSETSZ)
		return -EINVAL;
	if (!set)
		return -EFAULT;
	m = (t->sig_pending | pp_process_of(t)->pending) & t->sig_blocked;
	memcpy(set, &m, setsize);
	return 0;
}

/* The caller's user stack pointer: the binary call's, else our own. */
static uintptr_t user_sp(void)
{
	struct ukarch_syscall_frame *f = uk_syscall_frame_current();

	return f ? ukarch_syscall_frame_sp(f)
		 : (uintptr_t)__builtin_frame_address(0);
}

UK_SYSCALL_R_DEFINE(int, sigaltstack, const struct pp_stack *, ss,
		    struct pp_stack *, old)
{
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = pp_tsig(t);
	struct pp_stack n = {0};
	uintptr_t sp = user_sp();

	if (!d)
		return -ENOMEM;
	if (ss) {
		unsigned mode = (unsigned)ss->flags & ~SS_AUTODISARM_;
		n = *ss;
		if (mode != 0 && mode != SS_ONSTACK_ && mode != SS_DISABLE_)
			return -EINVAL;
		if (pp_altstack_flags(t, sp) == SS_ONSTACK_)
			return -EPERM; /* not while running on it */
		if (mode == SS_DISABLE_) {
			n.sp = NULL;
			n.size = 0;
			n.flags = SS_DISABLE_;
		} else if (n.size < MINSIGSTKSZ_) {
			return -ENOMEM;
		} else {
			n.flags &= (int)SS_AUTODISARM_;
		}
	}
	if (old) {
		*old = d->altstack;
		old->flags = pp_altstack_flags(t, sp) |
			     (d->altstack.flags & (int)SS_AUTODISARM_);
	}
	if (ss)
		d->altstack = n;
	return 0;
}

/* rt_sigreturn: back to the context a handler interrupted (binary path:
 * the restorer runs it with the stack pointer at the signal frame - x86_64:
 * its ucontext, arm64: the rt_sigframe). */
UK_SYSCALL_R_DEFINE(long, rt_sigreturn)
{
	struct ukarch_syscall_frame *f = uk_syscall_frame_current();
	struct uk_thread *t = pp_current();
	struct ukarch_regs r;

	if (!f) {
		uk_pr_err("rt_sigreturn outside a signal handler of a loaded "
			  "program: -ENOSYS");
		return -ENOSYS;
	}
	pp_regs_from_frame(&r, f);
	if (pp_frame_restore(t, &r, ukarch_syscall_frame_fpu(f),
			     ukarch_syscall_frame_sp(f)) < 0) {
		uk_pr_crit("rt_sigreturn: no signal frame at 0x%lx",
			   (unsigned long)ukarch_syscall_frame_sp(f));
		fatal(SIGSEGV_, &r);
	}
	pp_regs_to_frame(f, &r);
	uk_syscall_exit_work = 1; /* every register comes from the frame */
	return pp_regs_result(&r);
}

/* Sleep until a handler has run: pause, sigsuspend. */
static long wait_for_handler(struct uk_thread *t)
{
	/* bounded by the waits: each ends with a signal or is a spurious
	 * wake-up of the scheduler */
	while (!deliverable(t) && !doomed(t)) {
		if (!uk_waitq_wait_intr)
			return -ENOSYS; /* no scheduler: nothing can come */
		uk_waitq_wait_intr(NULL, UK_SCHED_FOREVER);
	}
	return -UK_ERESTARTNOHAND;
}

UK_SYSCALL_R_DEFINE(long, pause)
{
	return wait_for_handler(pp_current());
}

UK_SYSCALL_R_DEFINE(long, rt_sigsuspend, const uint64_t *, mask, size_t,
		    setsize)
{
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = pp_tsig(t);
	long rc;

	if (setsize != SIGSETSZ)
		return -EINVAL;
	if (!mask)
		return -EFAULT;
	if (!d)
		return -ENOMEM;
	d->saved_mask = t->sig_blocked;
	d->restore_mask = 1;
	pp_set_blocked(t, *mask);
	rc = wait_for_handler(t);
	if (rc == -ENOSYS)
		restore_saved_mask(t);
	return rc;
}

struct pp_timespec {
	int64_t tv_sec, tv_nsec;
};

UK_SYSCALL_R_DEFINE(int, rt_sigtimedwait, const uint64_t *, set,
		    struct pp_siginfo *, uinfo, const struct pp_timespec *, ts,
		    size_t, setsize)
{
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = pp_tsig(t);
	struct pp_siginfo info;
	uint64_t want, deadline = UK_SCHED_FOREVER;
	int sig, rc = 0;

	if (setsize != SIGSETSZ)
		return -EINVAL;
	if (!set)
		return -EFAULT;
	want = *set & ~UNBLOCKABLE_;
	if (ts) {
		if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
		    ts->tv_nsec >= 1000000000)
			return -EINVAL;
		if (uk_sched_now)
			deadline = ts->tv_sec >= 9000000000LL
					   ? UK_SCHED_FOREVER
					   : uk_sched_now() +
						     (uint64_t)ts->tv_sec *
							     1000000000ULL +
						     (uint64_t)ts->tv_nsec;
		else
			deadline = 0;
	}
	if (!d)
		return -ENOMEM;
	/* bounded by the wake-ups: each is a signal, the timeout or an
	 * interruption */
	for (;;) {
		sig = pp_take_signal(t, want, &info);
		if (sig) {
			if (uinfo)
				*uinfo = info;
			return sig;
		}
		if (rc == -ETIMEDOUT || (ts && !ts->tv_sec && !ts->tv_nsec))
			return -EAGAIN;
		if ((deliverable(t) & ~want) || doomed(t))
			return -EINTR; /* another signal's handler */
		if (!uk_waitq_wait_intr)
			return -EAGAIN; /* no scheduler: nothing can come */
		d->waitset = want;
		d->waiting = 1;
		rc = uk_waitq_wait_intr(&d->wq, deadline);
		d->waiting = 0;
	}
}

/* pid > 0: that process; 0: our group; -1: every process (we may signal
 * them all); < -1: group -pid. */
UK_SYSCALL_R_DEFINE(int, kill, int, pid, int, sig)
{
	struct pp_process *self = pp_process_of(pp_current());
	struct pp_siginfo info;

	if (sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	info_user(&info, sig, SI_USER_);
	if (pid > 0) {
		struct pp_process *p = pp_find_process(pid);

		if (!p || pp_is_zombie(p))
			return -ESRCH;
		return sig ? pp_send_process(p, &info) : 0;
	}
	return pp_send_group(pid == 0	 ? self->pgid
			     : pid == -1 ? 0
					 : -pid,
			     sig ? &info : NULL);
}

static struct uk_thread *thread_of(int tid)
{
	struct uk_thread *t = pp_current();

	if (tid == uk_process_tid())
		return t;
	if (t == &solo) /* no scheduler: no other thread */
		return NULL;
	return uk_thread_find ? uk_thread_find(tid) : NULL;
}

UK_SYSCALL_R_DEFINE(int, tkill, int, tid, int, sig)
{
	struct uk_thread *t;
	struct pp_siginfo info;

	if (tid <= 0 || sig < 0 || sig > NSIG_)
		return -EINVAL;
	t = thread_of(tid);
	if (!t || t->state == UK_THREAD_EXITED)
		return -ESRCH;
	if (sig == 0)
		return 0;
	info_user(&info, sig, SI_TKILL_);
	return pp_send_thread(t, &info);
}

UK_SYSCALL_R_DEFINE(int, tgkill, int, tgid, int, tid, int, sig)
{
	struct uk_thread *t;
	struct pp_siginfo info;

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG_)
		return -EINVAL;
	t = thread_of(tid);
	if (!t || t->state == UK_THREAD_EXITED || pp_process_of(t)->pid != tgid)
		return -ESRCH;
	if (sig == 0)
		return 0;
	info_user(&info, sig, SI_TKILL_);
	return pp_send_thread(t, &info);
}

/* sigqueue(): the caller's siginfo (si_code must say "queued by a
 * program" when it goes to another process; any to itself). */
static int queueinfo(const struct pp_siginfo *uinfo, int sig, int self,
		     struct pp_siginfo *info)
{
	if (!uinfo)
		return -EFAULT;
	*info = *uinfo;
	if (!self && (info->code >= 0 || info->code == SI_TKILL_))
		return -EPERM;
	info->signo = sig;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigqueueinfo, int, pid, int, sig,
		    const struct pp_siginfo *, uinfo)
{
	struct pp_process *self = pp_process_of(pp_current());
	struct pp_siginfo info;
	int rc;

	if (sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (pid != self->pid)
		return -ESRCH;
	rc = queueinfo(uinfo, sig, 1, &info);
	if (rc || !sig)
		return rc;
	return pp_send_process(self, &info);
}

UK_SYSCALL_R_DEFINE(int, rt_tgsigqueueinfo, int, tgid, int, tid, int, sig,
		    const struct pp_siginfo *, uinfo)
{
	struct uk_thread *t;
	struct pp_siginfo info;
	int rc;

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG_)
		return -EINVAL;
	t = thread_of(tid);
	if (!t || t->state == UK_THREAD_EXITED || pp_process_of(t)->pid != tgid)
		return -ESRCH;
	rc = queueinfo(uinfo, sig, 1, &info);
	if (rc || !sig)
		return rc;
	return pp_send_thread(t, &info);
}

void pp_process_free_queues(struct pp_process *p)
{
	queue_free(&p->queue);
	p->pending = 0;
}

void uk_process_signal_reset(void)
{
	struct uk_thread *t = pp_current();

	pp_procs_reset();
	memset(init_proc.actions, 0, sizeof(init_proc.actions));
	init_proc.pgid = init_proc.sid = init_proc.pid;
	init_proc.exiting = 0;
	init_proc.pending = 0;
	queue_free(&init_proc.queue);
	queue_free(&solo_tsig.queue);
	solo.sig_pending = solo.sig_blocked = 0;
	solo_tsig.altstack = (struct pp_stack){NULL, SS_DISABLE_, 0};
	solo_tsig.restore_mask = 0;
	if (t != &solo) {
		struct pp_tsig *d = t->sig_data;
		if (d) {
			queue_free(&d->queue);
			free(d);
			t->sig_data = NULL;
		}
		t->process = NULL;
		t->sig_pending = t->sig_blocked = 0;
	}
	clear_intr(t);
	clear_intr(&solo);
	nr_intr = 0;
	pp_timers_reset();
	uk_syscall_exit_work = 0;
}
