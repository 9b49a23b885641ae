/* SPDX-License-Identifier: BSD-3-Clause */
/* Signals: what signal.c, frame.c, <arch>/sigframe.c and process.c share.
 * Linux's values and layouts (the same on x86_64 and arm64 but for the
 * signal frame and MINSIGSTKSZ). */
#ifndef UK_PROCESS_SIGNAL_IMPL_H
#define UK_PROCESS_SIGNAL_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <uk/arch/regs.h>
#include <uk/arch/syscall.h>
#include <uk/sched.h>
#include <uk/syscall.h>

#define NSIG_	       64
#define SIGSETSZ       8
#define SIGRTMIN_K     32 /* the kernel's first real-time signal */
#define SIGHUP_	       1
#define SIGINT_	       2
#define SIGQUIT_       3
#define SIGILL_	       4
#define SIGTRAP_       5
#define SIGABRT_       6
#define SIGBUS_	       7
#define SIGFPE_	       8
#define SIGKILL_       9
#define SIGSEGV_       11
#define SIGPIPE_       13
#define SIGALRM_       14
#define SIGCHLD_       17
#define SIGCONT_       18
#define SIGSTOP_       19
#define SIGTSTP_       20
#define SIGTTIN_       21
#define SIGTTOU_       22
#define SIGURG_	       23
#define SIGXCPU_       24
#define SIGXFSZ_       25
#define SIGVTALRM_     26
#define SIGPROF_       27
#define SIGWINCH_      28
#define SIGSYS_	       31
#define SA_NOCLDSTOP_  0x1UL
#define SA_NOCLDWAIT_  0x2UL
#define SA_SIGINFO_    0x4UL
#define SA_RESTORER_   0x04000000UL
#define SA_ONSTACK_    0x08000000UL
#define SA_RESTART_    0x10000000UL
#define SA_NODEFER_    0x40000000UL
#define SA_RESETHAND_  0x80000000UL
#define SIG_DFL_       ((uintptr_t)0)
#define SIG_IGN_       ((uintptr_t)1)
#define SS_ONSTACK_    1
#define SS_DISABLE_    2
#define SS_AUTODISARM_ (1U << 31)
#define SI_USER_       0
#define SI_KERNEL_     0x80
#define SI_QUEUE_      (-1)
#define SI_TIMER_      (-2)
#define SI_TKILL_      (-6)
#define CLD_EXITED_    1
#define CLD_KILLED_    2
#define CLD_DUMPED_    3
/* what differs per architecture */
#if defined(__aarch64__)
#define MINSIGSTKSZ_ 5120
#define PP_PC_NAME   "pc"
#define PP_SP_NAME   "sp"
#else
#define MINSIGSTKSZ_ 2048
#define PP_PC_NAME   "rip"
#define PP_SP_NAME   "rsp"
#endif

#define SIGBIT(sig)  (1ULL << ((sig)-1))
#define UNBLOCKABLE_ (SIGBIT(SIGKILL_) | SIGBIT(SIGSTOP_))

/* Internal only: a call that sleeps until a signal handler runs (pause,
 * sigsuspend) is made again when no handler ran (Linux's
 * ERESTARTNOHAND). Never seen by callers. */
#define UK_ERESTARTNOHAND 514

/* The kernel's struct sigaction (x86_64). */
struct pp_sigaction {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

/* stack_t */
struct pp_stack {
	void *sp;
	int flags;
	size_t size;
};

/* siginfo_t: 128 bytes; the fields unikit fills. */
struct pp_siginfo {
	int32_t signo, errcode, code, pad0;
	union {
		struct {
			int32_t pid, uid; /* kill, sigqueue, SIGCHLD */
			union {
				uint64_t value; /* sigqueue, timers */
				int32_t status; /* SIGCHLD */
			};
			int64_t utime, stime; /* SIGCHLD */
		} k;
		struct {
			int32_t tid, overrun; /* POSIX timers */
			uint64_t value;
		} timer;
		struct {
			uint64_t addr;
		} fault;
		struct {
			int64_t band;
			int32_t fd;
		} poll;
		uint8_t raw[112];
	};
};
_Static_assert(sizeof(struct pp_siginfo) == 128, "Linux siginfo_t");

/* A queued signal. */
struct pp_sigq_entry {
	struct pp_sigq_entry *next;
	struct pp_siginfo info;
};

struct pp_sigq {
	struct pp_sigq_entry *head, *tail;
};

/* posixprocess's per-thread data (struct uk_thread's sig_data). */
struct pp_tsig {
	struct pp_sigq queue; /* thread-directed, with t->sig_pending */
	struct pp_stack altstack;
	/* sigtimedwait / sigwaitinfo in progress */
	int waiting;
	uint64_t waitset;
	struct uk_waitq wq;
	/* the mask to go back to once a handler has run (sigsuspend,
	 * pselect, ppoll) */
	int restore_mask;
	uint64_t saved_mask;
	/* its process execs or exits: leave at the next safe point */
	int doomed;
};

/* A process (src/proc.c). */
struct pp_process {
	int pid, pgid, sid;
	struct pp_sigaction actions[NSIG_ + 1];
	uint64_t pending; /* process-directed */
	struct pp_sigq queue;
	/* family; `next`: the list of every process but pid 1 */
	struct pp_process *parent, *children, *sibling, *next;
	struct uk_waitq child_wq; /* wait4/waitid of its children */
	int exit_signal;	  /* to the parent at exit (SIGCHLD) */
	int exiting, zombie;
	int status; /* wait status once exiting */
	/* vfork: the parent waits until exec or exit */
	int vfork, vfork_done;
	struct uk_waitq vfork_wq;
	int execed;
	/* per-process state of other libraries (NULL: the first process's) */
	struct uk_fdtab *fdtab;
	struct uk_mmap_space *mm;
	int mm_owned;
	void *ext; /* posixexec's loaded program */
	int ext_owned;
	char comm[16];
};

extern struct pp_process pp_init_process;

/* ---- signal.c ---- */

/* The calling thread (a static stand-in when no scheduler runs) and its
 * process and signal data (created on first use; NULL: out of memory). */
struct uk_thread *pp_current(void);
struct pp_process *pp_process_of(struct uk_thread *t);
struct pp_tsig *pp_tsig(struct uk_thread *t);

/* Queue a signal for thread `t` (t != NULL) or for process `p`; 0,
 * -EAGAIN (real-time queue full). */
int pp_send_thread(struct uk_thread *t, const struct pp_siginfo *info);
int pp_send_process(struct pp_process *p, const struct pp_siginfo *info);

/* The lowest signal the current thread can take now, dequeued with its
 * information and the action to take (SIG_DFL with a fatal default, or a
 * handler; ignored ones are dropped on the way); 0 if none. A fatal
 * default ends the process and does not return. `regs` (MAY be NULL) is
 * reported for core-dump signals. */
int pp_get_signal(struct pp_siginfo *info, struct pp_sigaction *act,
		  const struct ukarch_regs *regs);

/* Take the lowest pending signal of `mask` for t (thread's first, then
 * the process's) with its information; 0 if none. */
int pp_take_signal(struct uk_thread *t, uint64_t mask, struct pp_siginfo *info);
/* The signals of `mask` pending for t or its process. */
uint64_t pp_pending_of(struct uk_thread *t, uint64_t mask);

/* After the handler of `sig` (action `a`) was set up: apply SA_RESETHAND
 * and the handler's mask. Returns the mask to restore when it returns. */
uint64_t pp_handler_begin(struct uk_thread *t, int sig,
			  const struct pp_sigaction *a);

/* Set the thread's blocked mask (SIGKILL and SIGSTOP never blocked) and
 * recompute who has work. */
void pp_set_blocked(struct uk_thread *t, uint64_t mask);
/* Recompute t's interruption request and uk_syscall_exit_work. */
void pp_recalc(struct uk_thread *t);

/* Whether timer signals are waiting in a queue of p (thread or process)
 * for timer `id`. */
int pp_queued_timer(struct pp_process *p, int id);
/* uk_syscall_exit_work = some thread has a signal to handle, or timers
 * need looking at. */
void pp_update_exit_work(void);
/* Install uk_process_irq_return as the platform's return hook (once). */
void pp_irq_hook(void);

/* The process with that pid (a zombie too), or NULL. */
struct pp_process *pp_find_process(int pid);
/* Iterate over every process but pid 1 (NULL: the first one). */
struct pp_process *pp_next_process(struct pp_process *p);
/* Every live thread of p (fn returns non-zero: stop, that thread). */
struct uk_thread *for_each_thread_of(struct pp_process *p,
				     int (*fn)(struct uk_thread *, void *),
				     void *arg);
/* The process whose state is installed (tables, spaces). */
struct pp_process *pp_current_process(void);
/* End p with wait status `status` (the image for pid 1). */
__attribute__((noreturn)) void pp_process_exit(struct pp_process *p,
					       int status);
/* The calling thread leaves if its process execs (another thread) or
 * exits; returns otherwise. */
void pp_thread_doomed_check(void);
/* Free p's queued signals. */
void pp_process_free_queues(struct pp_process *p);
void pp_procs_reset(void);
int pp_is_child(struct pp_process *parent, struct pp_process *p);
int pp_is_zombie(struct pp_process *p);
int pp_group_in_session(int pgid, int sid);
/* Send to every process of group pgid (0: all); info NULL: only check
 * that one exists. 0 or -ESRCH. */
int pp_send_group(int pgid, const struct pp_siginfo *info);

/* ---- timer.c ---- */

/* Expire the due timers (their signals are sent) and prepare the next. */
void pp_timers_run(void);
/* pp_timers_run() if the timer interrupt said one is due (or, without a
 * timer interrupt, if the clock says so). */
void pp_timers_check(void);
/* Non-zero while the way out of calls must look at the timers. */
int pp_timer_work(void);
/* A SI_TIMER signal of p is being delivered: fill in its overrun. */
void pp_timer_delivered(struct pp_process *p, struct pp_siginfo *info);
/* Delete every timer of p (its POSIX timers only: exec keeps the interval
 * timers); forget every timer (tests). */
void pp_timers_drop(struct pp_process *p);
void pp_timers_drop_posix(struct pp_process *p);
void pp_timers_reset(void);

/* ---- <arch>/sigframe.c ---- */

/* Build the Linux signal frame for `sig` on the user stack of the context
 * `r` (+ its FPU state `fx`: x86_64 512 bytes fxsave; arm64 the binary
 * entry's q0-q31, FPCR, FPSR) and point `r` at the handler. Returns 0, or
 * -EFAULT when the frame would not fit the alternate stack. `restore` is
 * the mask sigreturn goes back to. */
int pp_frame_setup(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		   int sig, const struct pp_siginfo *info,
		   const struct pp_sigaction *a, uint64_t restore);
/* rt_sigreturn: restore the context saved at user address `sp` into `r`
 * and `fx`. Returns 0 or -EFAULT (no plausible frame there). */
int pp_frame_restore(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		     uintptr_t sp);
void pp_regs_from_frame(struct ukarch_regs *r,
			const struct ukarch_syscall_frame *f);
void pp_regs_to_frame(struct ukarch_syscall_frame *f,
		      const struct ukarch_regs *r);
/* The result register of a context (rax, x0). */
void pp_regs_set_result(struct ukarch_regs *r, long v);
long pp_regs_result(const struct ukarch_regs *r);
/* Point the context `r` of the binary call `f` at the call again (the
 * instruction before its return address, its first register as the call
 * left it). */
void pp_regs_restart(struct ukarch_regs *r,
		     const struct ukarch_syscall_frame *f);

/* ---- frame.c ---- */

/* The thread's alternate stack flags for user stack pointer `sp`:
 * SS_ONSTACK, SS_DISABLE or 0. */
int pp_altstack_flags(struct uk_thread *t, uintptr_t sp);
/* Call a handler natively (on the alternate stack when the action asks
 * for it and the thread has one it is not on). */
void pp_call_native(struct uk_thread *t, int sig, struct pp_siginfo *info,
		    const struct pp_sigaction *a, void *uc);

/* The alternate stack a handler runs on for action `a` at user stack
 * pointer `sp`, as uc_stack records it in *saved; *top is where its frame
 * goes (0: stay on the current stack). */
void pp_pick_stack(struct uk_thread *t, const struct pp_sigaction *a,
		   uintptr_t sp, struct pp_stack *saved, uintptr_t *top);
/* rt_sigreturn's restore_altstack(): the alternate stack back to `rec`
 * unless running on it at `sp`. */
void pp_restore_altstack(struct uk_thread *t, uintptr_t sp,
			 const struct pp_stack *rec);

/* The fallback restorer (src/<arch>/sigtramp.S): rt_sigreturn. */
void uk_process_sigreturn_tramp(void);
/* Call fn(sig, info, uc) on the stack whose top is `sp`. */
void uk_process_call_on(void *fn, long sig, void *info, void *uc, uintptr_t sp);

#endif
