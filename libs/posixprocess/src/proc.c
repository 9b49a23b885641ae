/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Processes in one address space: the image's first process (pid 1), the
 * children clone() makes without CLONE_THREAD (vfork, posix_spawn: CLONE_VM
 * is required - there is one address space), their exit (a zombie until
 * the parent waits, SIGCHLD, children handed to pid 1), wait4/waitid,
 * getppid, and the switch of per-process state (descriptor table, mapping
 * space, what posixexec loaded) when another process's thread runs.
 *
 * A child's pid is the tid of its first thread (unique while that thread
 * exists; uksched does not hand a tid out again before 2^31 threads). The
 * exit of a process other than pid 1 ends its threads at their next safe
 * point (the way out of a call; interruptible waits end first), and the
 * last one releases everything. pid 1 ending ends the image.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/exit.h>
#include <uk/fdtab.h>
#include <uk/mmap.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include "signal_impl.h"

#pragma weak uk_exit_hooks_run /* ukboot: absent in the native tests */
#pragma weak uk_thread_current
#pragma weak uk_thread_exit
#pragma weak uk_waitq_wait_intr
#pragma weak uk_waitq_wait
#pragma weak uk_waitq_wake_all
#pragma weak uk_sched_get_default
#pragma weak uk_sched_set_process_switch
#pragma weak uk_mmap_space_new
#pragma weak uk_mmap_space_switch
#pragma weak uk_mmap_space_release

#define CSIGNAL_     0xffUL
#define CLONE_VM_    0x100UL
#define CLONE_FILES_ 0x400UL
#define CLONE_VFORK_ 0x4000UL
#define WNOHANG_     1
#define WUNTRACED_   2
#define WEXITED_     4
#define WCONTINUED_  8
#define WNOWAIT_     0x01000000
#define WNOTHREAD_   0x20000000
#define WALL_	     0x40000000
#define WCLONE_	     0x80000000U
#define P_ALL_	     0
#define P_PID_	     1
#define P_PGID_	     2

struct pp_process pp_init_process = {.pid = UK_PROCESS_PID,
				     .pgid = UK_PROCESS_PID,
				     .sid = UK_PROCESS_PID,
				     .exit_signal = SIGCHLD_,
				     .comm = "init"};
static struct pp_process *current_proc = &pp_init_process;

/* ---- the list ---- */

/* Every process but pid 1, children and zombies alike. */
static struct pp_process *procs;

struct pp_process *pp_find_process(int pid)
{
	struct pp_process *p;

	if (pid == pp_init_process.pid)
		return &pp_init_process;
	for (p = procs; p; p = p->next) /* bounded: the processes */
		if (p->pid == pid)
			return p;
	return NULL;
}

struct pp_process *pp_next_process(struct pp_process *p)
{
	return p ? p->next : procs;
}

int pp_is_child(struct pp_process *parent, struct pp_process *p)
{
	return p->parent == parent;
}

int pp_is_zombie(struct pp_process *p)
{
	return p->zombie;
}

int pp_group_in_session(int pgid, int sid)
{
	struct pp_process *p = &pp_init_process;

	for (; p; p = pp_next_process(p == &pp_init_process ? NULL : p))
		if (p->pgid == pgid && p->sid == sid && !p->zombie)
			return 1;
	return 0;
}

int pp_send_group(int pgid, const struct pp_siginfo *info)
{
	struct pp_process *p = &pp_init_process;
	int found = 0;

	/* bounded: the processes (none are made meanwhile) */
	for (; p; p = pp_next_process(p == &pp_init_process ? NULL : p)) {
		if (p->zombie || (pgid && p->pgid != pgid))
			continue;
		found = 1;
		if (info)
			pp_send_process(p, info);
	}
	return found ? 0 : -ESRCH;
}

/* ---- per-process state ---- */

static const struct uk_process_ext_ops *ext_ops;

void uk_process_set_ext_ops(const struct uk_process_ext_ops *ops)
{
	ext_ops = ops;
}

/* The process's descriptor table, mapping space and loaded program become
 * the current ones (a thread of it is about to run). */
static void install(struct pp_process *p)
{
	current_proc = p;
	uk_fdtab_switch(p->fdtab);
	if (uk_mmap_space_switch)
		uk_mmap_space_switch(p->mm);
	if (ext_ops && ext_ops->switch_to)
		ext_ops->switch_to(p->ext);
}

static void on_switch(struct uk_thread *prev, struct uk_thread *next)
{
	struct pp_process *p = pp_process_of(next);

	(void)prev;
	if (p != current_proc)
		install(p);
}

struct pp_process *pp_current_process(void)
{
	return current_proc;
}

const char *uk_process_comm(void)
{
	return pp_process_of(pp_current())->comm;
}

/* ---- creation ---- */

int uk_process_create(struct uk_thread *t, unsigned long flags)
{
	struct pp_process *parent = pp_process_of(pp_current()), *c;

	if (!(flags & CLONE_VM_))
		return -ENOSYS; /* a copy of the address space: there is one */
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fdtab = uk_fdtab_clone(!!(flags & CLONE_FILES_));
	if (!c->fdtab) {
		free(c);
		return -ENOMEM;
	}
	c->pid = t->tid;
	c->pgid = parent->pgid;
	c->sid = parent->sid;
	c->parent = parent;
	c->exit_signal = (int)(flags & CSIGNAL_);
	c->vfork = !!(flags & CLONE_VFORK_);
	/* the same memory: the parent's space and program, not owned */
	c->mm = parent->mm;
	c->ext = parent->ext;
	/* handlers (they are in the shared memory), not pending signals */
	memcpy(c->actions, parent->actions, sizeof(c->actions));
	memcpy(c->comm, parent->comm, sizeof(c->comm));
	c->sibling = parent->children;
	parent->children = c;
	c->next = procs;
	procs = c;
	t->process = c;
	t->sig_pending = 0;
	if (uk_sched_set_process_switch)
		uk_sched_set_process_switch(on_switch);
	return c->pid;
}

void uk_process_vfork_wait(int pid)
{
	struct pp_process *c = pp_find_process(pid);

	/* not interruptible (Linux: only a fatal signal ends it); bounded by
	 * the child's exec or exit */
	while (c && !c->vfork_done && uk_waitq_wait)
		uk_waitq_wait(&c->vfork_wq);
}

static void vfork_release(struct pp_process *p)
{
	if (p->vfork && !p->vfork_done) {
		p->vfork_done = 1;
		if (uk_waitq_wake_all)
			uk_waitq_wake_all(&p->vfork_wq);
	}
}

/* ---- exec ---- */

static int mark_doomed(struct uk_thread *t, void *arg)
{
	struct pp_tsig *d;

	if (t == arg)
		return 0;
	d = pp_tsig(t);
	if (d)
		d->doomed = 1;
	pp_recalc(t); /* its waits end, its way out sees it */
	return 0;
}

int uk_process_exec(const char *comm, void *ext)
{
	struct uk_thread *t = pp_current();
	struct pp_process *p = pp_process_of(t);
	struct pp_tsig *d = pp_tsig(t);
	void *old_ext = p->ext;
	int owned = p->ext_owned;
	const char *base = comm;

	/* a new mapping space; the old one if it was ours */
	if (uk_mmap_space_new && p != &pp_init_process) {
		struct uk_mmap_space *mm = uk_mmap_space_new();

		if (!mm)
			return -ENOMEM;
		if (p->mm_owned && uk_mmap_space_release)
			uk_mmap_space_release(p->mm);
		p->mm = mm;
		p->mm_owned = 1;
		uk_mmap_space_switch(mm);
	}
	/* other threads go (at their next safe point) */
	for_each_thread_of(p, mark_doomed, t);
	/* a shared descriptor table becomes the process's own first */
	if (p->fdtab && uk_fdtab_current() == p->fdtab) {
		struct uk_fdtab *own = uk_fdtab_clone(0);

		if (own) {
			uk_fdtab_release(p->fdtab);
			p->fdtab = own;
			uk_fdtab_switch(own);
		}
	}
	uk_fdtab_close_on_exec();
	/* handlers are gone with the old program; ignored stays ignored */
	for (int s = 1; s <= NSIG_; s++) {
		if (p->actions[s].handler != SIG_IGN_)
			p->actions[s].handler = SIG_DFL_;
		p->actions[s].flags = 0;
		p->actions[s].mask = 0;
		p->actions[s].restorer = 0;
	}
	if (d) {
		d->altstack = (struct pp_stack){NULL, SS_DISABLE_, 0};
		d->restore_mask = 0;
	}
	pp_timers_drop_posix(p);
	p->ext = ext;
	p->ext_owned = 1;
	if (ext_ops && ext_ops->switch_to)
		ext_ops->switch_to(ext);
	if (owned && old_ext && ext_ops && ext_ops->release)
		ext_ops->release(old_ext);
	for (const char *c = comm; *c; c++)
		if (*c == '/')
			base = c + 1;
	strncpy(p->comm, base, sizeof(p->comm) - 1);
	p->comm[sizeof(p->comm) - 1] = 0;
	p->execed = 1;
	vfork_release(p);
	return 0;
}

/* ---- exit ---- */

static int count_live(struct uk_thread *t, void *arg)
{
	void **a = arg; /* {the thread not to count, the counter} */

	if (t != a[0])
		(*(int *)a[1])++;
	return 0;
}

/* Threads of p other than `self`. */
static int others(struct pp_process *p, struct uk_thread *self)
{
	int n = 0;
	void *arg[2] = {self, &n};

	for_each_thread_of(p, count_live, arg);
	return n;
}

static void wake_parent(struct pp_process *p)
{
	struct pp_process *par = p->parent ? p->parent : &pp_init_process;
	struct pp_sigaction *a = &par->actions[SIGCHLD_];
	struct pp_siginfo info;
	int code = (p->status & 0x7f)
			   ? ((p->status & 0x80) ? CLD_DUMPED_ : CLD_KILLED_)
			   : CLD_EXITED_;

	if (p->exit_signal &&
	    !(p->exit_signal == SIGCHLD_ && a->handler == SIG_IGN_)) {
		memset(&info, 0, sizeof(info));
		info.signo = p->exit_signal;
		info.code = code;
		info.k.pid = p->pid;
		info.k.status = code == CLD_EXITED_ ? (p->status >> 8) & 0xff
						    : p->status & 0x7f;
		pp_send_process(par, &info);
	}
	if (uk_waitq_wake_all)
		uk_waitq_wake_all(&par->child_wq);
}

static void reap(struct pp_process *p)
{
	struct pp_process **pp;

	for (pp = &procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	if (p->parent)
		for (pp = &p->parent->children; *pp; pp = &(*pp)->sibling)
			if (*pp == p) {
				*pp = p->sibling;
				break;
			}
	pp_process_free_queues(p);
	free(p);
}

/* The last thread of p leaves: everything p has goes, p becomes a zombie
 * (or is reaped at once when its parent does not want to know). */
static void teardown(struct pp_process *p)
{
	struct pp_process *c, *next, *par = p->parent;

	uk_fdtab_release(p->fdtab);
	p->fdtab = NULL;
	if (p->mm_owned && uk_mmap_space_release)
		uk_mmap_space_release(p->mm);
	p->mm = NULL;
	if (p->ext_owned && p->ext && ext_ops && ext_ops->release)
		ext_ops->release(p->ext);
	p->ext = NULL;
	pp_timers_drop(p);
	install(&pp_init_process); /* until the scheduler switches */
	/* children go to pid 1 */
	for (c = p->children; c; c = next) {
		next = c->sibling;
		c->parent = &pp_init_process;
		c->sibling = pp_init_process.children;
		pp_init_process.children = c;
		if (c->zombie)
			wake_parent(c);
	}
	p->children = NULL;
	p->zombie = 1;
	vfork_release(p);
	if (par && (par->actions[SIGCHLD_].handler == SIG_IGN_ ||
		    (par->actions[SIGCHLD_].flags & SA_NOCLDWAIT_))) {
		/* nobody will wait: no zombie (POSIX) */
		wake_parent(p);
		reap(p);
		return;
	}
	wake_parent(p);
}

/* The calling thread leaves its process for good (exit, a dying process). */
__attribute__((noreturn)) static void thread_leaves(struct pp_process *p)
{
	struct uk_thread *t = pp_current();

	if (!others(p, t))
		teardown(p);
	if (uk_thread_exit && t->sched)
		uk_thread_exit(0);
	ukplat_exit(p->status & 0xff); /* no scheduler: nothing else runs */
}

void pp_process_exit(struct pp_process *p, int status)
{
	struct uk_thread *t = pp_current();

	if (p == &pp_init_process || !uk_thread_current || !t->sched) {
		/* the image's process: the image ends, after what a process'
		 * exit does for its descriptors and connections */
		if (uk_exit_hooks_run)
			uk_exit_hooks_run();
		ukplat_exit((status & 0x7f) ? 128 + (status & 0x7f)
					    : (status >> 8) & 0xff);
	}
	if (!p->exiting) {
		p->exiting = 1;
		p->status = status;
		for_each_thread_of(p, mark_doomed, t);
	}
	thread_leaves(p);
}

void pp_thread_doomed_check(void)
{
	struct uk_thread *t = pp_current();
	struct pp_tsig *d = t->sig_data;
	struct pp_process *p = pp_process_of(t);

	if ((d && d->doomed) || p->exiting) {
		if (!p->exiting)
			t->clear_tid = NULL; /* exec: the old memory is gone */
		thread_leaves(p);
	}
}

void uk_process_doomed_check(void)
{
	pp_thread_doomed_check();
}

int uk_process_last_thread(void)
{
	struct uk_thread *t = pp_current();

	return !others(pp_process_of(t), t);
}

void uk_process_exit(int status)
{
	pp_process_exit(pp_process_of(pp_current()), (status & 0xff) << 8);
	__builtin_unreachable();
}

/* ---- wait ---- */

UK_SYSCALL_R_DEFINE(int, getppid)
{
	struct pp_process *p = pp_process_of(pp_current());

	return p->parent ? p->parent->pid : 0;
}

/* Whether child c matches wait's (idtype, id). */
static int matches(const struct pp_process *c, int idtype, int id)
{
	switch (idtype) {
	case P_PID_:
		return c->pid == id;
	case P_PGID_:
		return c->pgid == id;
	default:
		return 1;
	}
}

/* The common part of wait4 and waitid: a zombie child matching, reaped
 * unless WNOWAIT; 0 with *found NULL for WNOHANG; -ECHILD; -ERESTARTSYS.
 */
static int do_wait(int idtype, int id, int options, struct pp_process **found,
		   int *status, int *pid)
{
	struct pp_process *self = pp_process_of(pp_current()), *c;
	int rc = 0;

	*found = NULL;
	/* bounded by the wake-ups: each is a child's exit or a signal */
	for (;;) {
		int any = 0;

		for (c = self->children; c; c = c->sibling) {
			if (!matches(c, idtype, id))
				continue;
			any = 1;
			if (c->zombie)
				break;
		}
		if (!any)
			return -ECHILD;
		if (c) {
			*status = c->status;
			*pid = c->pid;
			*found = c;
			if (!(options & WNOWAIT_))
				reap(c);
			return 0;
		}
		if (options & WNOHANG_)
			return 0;
		if (rc == -EINTR)
			return -UK_ERESTARTSYS;
		if (!uk_waitq_wait_intr)
			return -ECHILD; /* no scheduler: nothing ends */
		rc = uk_waitq_wait_intr(&self->child_wq, UK_SCHED_FOREVER);
	}
}

struct pp_rusage {
	int64_t f[18];
};

UK_SYSCALL_R_DEFINE(int, wait4, int, pid, int *, wstatus, int, options,
		    struct pp_rusage *, ru)
{
	struct pp_process *self = pp_process_of(pp_current()), *found;
	int idtype, id, status = 0, cpid = 0, rc;

	if (options & ~(WNOHANG_ | WUNTRACED_ | WCONTINUED_ | WNOTHREAD_ |
			WALL_ | (int)WCLONE_))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid < -1) {
		idtype = P_PGID_;
		id = -pid;
	} else if (pid == -1) {
		idtype = P_ALL_;
		id = 0;
	} else if (pid == 0) {
		idtype = P_PGID_;
		id = self->pgid;
	} else {
		idtype = P_PID_;
		id = pid;
	}
	rc = do_wait(idtype, id, options & ~WNOWAIT_, &found, &status, &cpid);
	if (rc < 0)
		return rc;
	if (found && wstatus)
		*wstatus = status;
	if (ru)
		memset(ru, 0, sizeof(*ru));
	return cpid;
}

/* uk-syscall-partial(waitid): the resource usage is zeros; nothing ever
 * stops or continues (WUNTRACED/WCONTINUED alone: ECHILD) */
UK_SYSCALL_R_DEFINE(int, waitid, int, idtype, int, id, struct pp_siginfo *,
		    info, int, options, struct pp_rusage *, ru)
{
	struct pp_process *found;
	int status = 0, cpid = 0, rc;

	if (idtype != P_ALL_ && idtype != P_PID_ && idtype != P_PGID_)
		return -EINVAL;
	if (options & ~(WNOHANG_ | WEXITED_ | WUNTRACED_ | WCONTINUED_ |
			WNOWAIT_ | WNOTHREAD_ | WALL_ | (int)WCLONE_))
		return -EINVAL;
	if (!(options & (WEXITED_ | WUNTRACED_ | WCONTINUED_)))
		return -EINVAL;
	if (!(options & WEXITED_))
		return -ECHILD; /* nothing ever stops or continues */
	if (idtype != P_ALL_ && id <= 0)
		return -EINVAL;
	rc = do_wait(idtype, id, options, &found, &status, &cpid);
	if (rc < 0)
		return rc;
	if (info) {
		memset(info, 0, sizeof(*info));
		if (found) {
			info->signo = SIGCHLD_;
			info->k.pid = cpid;
			if (status & 0x7f) {
				info->code = (status & 0x80) ? CLD_DUMPED_
							     : CLD_KILLED_;
				info->k.status = status & 0x7f;
			} else {
				info->code = CLD_EXITED_;
				info->k.status = (status >> 8) & 0xff;
			}
		}
	}
	if (ru)
		memset(ru, 0, sizeof(*ru));
	return 0;
}

/* uk-syscall-enosys(fork): with a log line (one address space: vfork and
 * posix_spawn make processes) */
UK_SYSCALL_R_DEFINE(int, fork)
{
	uk_pr_warn("fork is not supported: all processes share one address "
		   "space, so a child cannot have a copy of its parent's "
		   "memory; use vfork or posix_spawn: -ENOSYS");
	return -ENOSYS;
}

void pp_procs_reset(void)
{
	struct pp_process *p, *next;

	for (p = procs; p; p = next) {
		next = p->next;
		pp_process_free_queues(p);
		free(p);
	}
	procs = NULL;
	pp_init_process.children = NULL;
	current_proc = &pp_init_process;
}
