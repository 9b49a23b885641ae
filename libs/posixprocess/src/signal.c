/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signals of a one-process image without asynchronous delivery: actions,
 * the mask and the alternate stack are stored; signals the image sends to
 * itself are handled synchronously (see <uk/process.h>). The mask is one
 * for the process, not one per thread.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include "process_impl.h"

#define NSIG_	       64
#define SIGSETSZ       8
#define SIGKILL_       9
#define SIGSTOP_       19
#define SA_SIGINFO_    0x4
#define SA_NODEFER_    0x40000000UL
#define SA_RESETHAND_  0x80000000UL
#define SIG_DFL_       ((uintptr_t)0)
#define SIG_IGN_       ((uintptr_t)1)
#define SS_ONSTACK_    1
#define SS_DISABLE_    2
#define SS_AUTODISARM_ (1U << 31)
#define MINSIGSTKSZ_   2048
#define SI_USER_       0
#define SI_TKILL_      (-6)

#define BIT(sig) (1ULL << ((sig)-1))

/* The kernel's struct sigaction (x86_64). */
struct pp_sigaction {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};
struct pp_stack {
	void *sp;
	int flags;
	size_t size;
};

static struct pp_sigaction actions[NSIG_ + 1];
static uint64_t blocked, pending;
static struct pp_stack altstack = {NULL, SS_DISABLE_, 0};

static const char *const names[32] = {
	NULL,	   "SIGHUP",  "SIGINT",	   "SIGQUIT", "SIGILL",	   "SIGTRAP",
	"SIGABRT", "SIGBUS",  "SIGFPE",	   "SIGKILL", "SIGUSR1",   "SIGSEGV",
	"SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
	"SIGPWR",  "SIGSYS",
};

void uk_process_signal_reset(void)
{
	memset(actions, 0, sizeof(actions));
	blocked = pending = 0;
	altstack.sp = NULL;
	altstack.flags = SS_DISABLE_;
	altstack.size = 0;
}

/* Default action: 0 ignore, 1 end the image. Stop signals cannot stop a
 * unikernel: ignored. */
static int default_fatal(int sig)
{
	switch (sig) {
	case 17: /* SIGCHLD */
	case 18: /* SIGCONT */
	case 23: /* SIGURG */
	case 28: /* SIGWINCH */
	case 19: /* SIGSTOP */
	case 20: /* SIGTSTP */
	case 21: /* SIGTTIN */
	case 22: /* SIGTTOU */
		return 0;
	default:
		return 1;
	}
}

static __attribute__((noreturn)) void fatal(int sig)
{
	if (sig < 32)
		uk_pr_crit("killed by signal %d (%s): exit status %d", sig,
			   names[sig], 128 + sig);
	else
		uk_pr_crit("killed by real-time signal %d: exit status %d", sig,
			   128 + sig);
	uk_process_exit(128 + sig);
}

typedef void (*handler1_t)(int);
typedef void (*handler3_t)(int, void *, void *);

static void deliver(int sig, int code)
{
	struct pp_sigaction *a = &actions[sig];
	uintptr_t h = a->handler;
	unsigned long flags = a->flags;
	uint64_t saved;

	if (sig == SIGKILL_ || (h == SIG_DFL_ && default_fatal(sig)))
		fatal(sig);
	if (h == SIG_DFL_ || h == SIG_IGN_)
		return;
	saved = blocked;
	blocked |= a->mask;
	if (!(flags & SA_NODEFER_))
		blocked |= BIT(sig);
	blocked &= ~(BIT(SIGKILL_) | BIT(SIGSTOP_));
	if (a->flags & SA_RESETHAND_) {
		a->handler = SIG_DFL_;
		a->flags &= ~SA_SIGINFO_;
	}
	if (flags & SA_SIGINFO_) {
		/* siginfo_t: 128 bytes, si_signo/si_errno/si_code then the
		 * sender's pid and uid */
		int32_t info[32] = {0};
		info[0] = sig;
		info[2] = code;
		info[4] = UK_PROCESS_PID;
		info[5] = 0;
		((handler3_t)h)(sig, info, NULL);
	} else {
		((handler1_t)h)(sig);
	}
	blocked = saved;
}

/* Deliver pending signals that are not blocked (lowest first). Bounded:
 * every round clears one pending bit; a handler that raises again adds at
 * most what it raises. */
static void deliver_pending(void)
{
	for (int round = 0; round < 4 * NSIG_ && (pending & ~blocked);
	     round++) {
		int sig = __builtin_ctzll(pending & ~blocked) + 1;
		pending &= ~BIT(sig);
		deliver(sig, SI_USER_);
	}
}

static int send_self(int sig, int code)
{
	if (sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (sig == 0)
		return 0; /* existence check */
	if (actions[sig].handler == SIG_IGN_ && sig != SIGKILL_)
		return 0;
	if (actions[sig].handler == SIG_DFL_ && !default_fatal(sig))
		return 0;
	if ((blocked & BIT(sig)) && sig != SIGKILL_ && sig != SIGSTOP_) {
		pending |= BIT(sig);
		return 0;
	}
	deliver(sig, code);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigaction, int, sig, const struct pp_sigaction *,
		    act, struct pp_sigaction *, oact, size_t, setsize)
{
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
		*oact = actions[sig];
	if (act) {
		n.mask &= ~(BIT(SIGKILL_) | BIT(SIGSTOP_));
		actions[sig] = n;
		/* POSIX: setting SIG_IGN discards a pending signal */
		if (n.handler == SIG_IGN_)
			pending &= ~BIT(sig);
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigprocmask, int, how, const uint64_t *, set,
		    uint64_t *, oset, size_t, setsize)
{
	uint64_t n;

	if (setsize != SIGSETSZ)
		return -EINVAL;
	if (set) {
		switch (how) {
		case 0: /* SIG_BLOCK */
			n = blocked | *set;
			break;
		case 1: /* SIG_UNBLOCK */
			n = blocked & ~*set;
			break;
		case 2: /* SIG_SETMASK */
			n = *set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset)
		*oset = blocked;
	if (set) {
		blocked = n & ~(BIT(SIGKILL_) | BIT(SIGSTOP_));
		deliver_pending();
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigpending, uint64_t *, set, size_t, setsize)
{
	if (setsize > SIGSETSZ)
		return -EINVAL;
	if (!set)
		return -EFAULT;
	memcpy(set, &pending, setsize);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sigaltstack, const struct pp_stack *, ss,
		    struct pp_stack *, old)
{
	struct pp_stack n;

	if (ss) {
		unsigned mode = (unsigned)ss->flags & ~SS_AUTODISARM_;
		n = *ss;
		if (mode != 0 && mode != SS_ONSTACK_ && mode != SS_DISABLE_)
			return -EINVAL;
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
	if (old)
		*old = altstack;
	if (ss)
		altstack = n;
	return 0;
}

/* pid 1 (us), 0 (our group), -1 (everything we may signal: us). */
UK_SYSCALL_R_DEFINE(int, kill, int, pid, int, sig)
{
	if (sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (pid != UK_PROCESS_PID && pid != 0 && pid != -1 &&
	    pid != -UK_PROCESS_PID)
		return -ESRCH;
	return send_self(sig, SI_USER_);
}

UK_SYSCALL_R_DEFINE(int, tkill, int, tid, int, sig)
{
	if (tid <= 0 || sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (!uk_process_tid_exists(tid))
		return -ESRCH;
	return send_self(sig, SI_TKILL_);
}

UK_SYSCALL_R_DEFINE(int, tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG_)
		return -EINVAL;
	if (tgid != UK_PROCESS_PID || !uk_process_tid_exists(tid))
		return -ESRCH;
	return send_self(sig, SI_TKILL_);
}
