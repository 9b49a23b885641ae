/* SPDX-License-Identifier: BSD-3-Clause */
/* prctl, scheduling policies and parameters, capabilities, personality,
 * I/O priorities, and the node name uname reports from the library
 * parameter uname.nodename. One process: the per-process settings are
 * plain variables; per-thread ones (names, policies) are kept here by tid
 * (uksched's own names are what threads were created with). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/syscall.h>

/* Libraries that may be absent from an image: weak references. */
const char *uk_boot_param(const char *name) __attribute__((weak));
int uk_thread_tid(void) __attribute__((weak));
struct uk_thread *uk_thread_find(int tid) __attribute__((weak));
const char *uk_sched_current_name(void) __attribute__((weak));
extern const char uk_app_name[] __attribute__((weak));

#define PR_SET_PDEATHSIG       1
#define PR_GET_PDEATHSIG       2
#define PR_GET_DUMPABLE	       3
#define PR_SET_DUMPABLE	       4
#define PR_GET_KEEPCAPS	       7
#define PR_SET_KEEPCAPS	       8
#define PR_SET_NAME	       15
#define PR_GET_NAME	       16
#define PR_GET_SECCOMP	       21
#define PR_SET_SECCOMP	       22
#define PR_CAPBSET_READ	       23
#define PR_CAPBSET_DROP	       24
#define PR_SET_TIMERSLACK      29
#define PR_GET_TIMERSLACK      30
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS    38
#define PR_GET_NO_NEW_PRIVS    39
#define PR_SET_THP_DISABLE     41
#define PR_GET_THP_DISABLE     42
#define CAP_LAST_CAP	       40 /* Linux 6.1 */
#define SIGMAX		       64
#define TIMERSLACK_DEFAULT     50000 /* ns */
#define COMM_LEN	       16
#define NODENAME_MAX	       64

static struct {
	int dumpable, pdeathsig, keepcaps, subreaper, no_new_privs, thp;
	unsigned long timerslack;
	uint64_t capbset_dropped;
} pr = {.dumpable = 1, .timerslack = TIMERSLACK_DEFAULT};

struct tname {
	struct tname *next;
	int tid;
	struct uk_thread *t; /* told apart from a later thread with the tid */
	int named;
	char name[COMM_LEN];
	int policy, prio; /* sched_setscheduler's, 0: SCHED_OTHER */
};
static struct tname *names;

static int cur_tid(void)
{
	return uk_thread_tid ? uk_thread_tid() : 1;
}

static struct uk_thread *thread_of(int tid)
{
	return uk_thread_find ? uk_thread_find(tid) : NULL;
}

/* The entry of thread `tid`; stale entries (threads that ended) go on the
 * way. Bounded: one entry per thread alive that was renamed or given a
 * policy. */
static struct tname **find_entry(int tid)
{
	struct uk_thread *t = thread_of(tid);
	struct tname **pp = &names;

	while (*pp) {
		struct tname *e = *pp;

		if (e->tid == tid && e->t == t)
			return pp;
		if (uk_thread_find && uk_thread_find(e->tid) != e->t) {
			*pp = e->next;
			free(e);
			continue;
		}
		pp = &e->next;
	}
	return pp;
}

/* The entry of thread `tid`, made if missing; NULL: no memory. */
static struct tname *entry(int tid)
{
	struct tname **pp = find_entry(tid), *e = *pp;

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		e->tid = tid;
		e->t = thread_of(tid);
		*pp = e;
	}
	return e;
}

static int set_name(const char *src)
{
	struct tname *e;
	size_t n = 0;

	if (!src)
		return -EFAULT;
	while (n < COMM_LEN - 1 && src[n])
		n++;
	e = entry(cur_tid());
	if (!e)
		return -ENOMEM;
	memset(e->name, 0, sizeof(e->name));
	memcpy(e->name, src, n);
	e->named = 1;
	return 0;
}

/* Linux: a thread's comm; the main thread's is the program's name. */
static int get_name(char *dst)
{
	struct tname *e;
	const char *n = NULL;

	if (!dst)
		return -EFAULT;
	e = *find_entry(cur_tid());
	memset(dst, 0, COMM_LEN);
	if (e && e->named) {
		memcpy(dst, e->name, COMM_LEN);
		return 0;
	}
	if (cur_tid() == 1 && uk_app_name)
		n = uk_app_name;
	else if (uk_sched_current_name)
		n = uk_sched_current_name();
	strncpy(dst, n ? n : "main", COMM_LEN - 1);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, prctl, int, op, unsigned long, a2, unsigned long, a3,
		    unsigned long, a4, unsigned long, a5)
{
	switch (op) {
	case PR_SET_NAME:
		return set_name((const char *)a2);
	case PR_GET_NAME:
		return get_name((char *)a2);
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		pr.dumpable = (int)a2;
		return 0;
	case PR_GET_DUMPABLE:
		return pr.dumpable;
	case PR_SET_PDEATHSIG:
		if (a2 > SIGMAX)
			return -EINVAL;
		pr.pdeathsig = (int)a2; /* no parent dies: kept, never sent */
		return 0;
	case PR_GET_PDEATHSIG:
		if (!a2)
			return -EFAULT;
		*(int *)a2 = pr.pdeathsig;
		return 0;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		pr.keepcaps = (int)a2;
		return 0;
	case PR_GET_KEEPCAPS:
		return pr.keepcaps;
	case PR_GET_SECCOMP:
		return 0;
	case PR_SET_SECCOMP:
		return -EINVAL; /* Linux without CONFIG_SECCOMP */
	case PR_CAPBSET_READ:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		return !(pr.capbset_dropped & (1ULL << a2));
	case PR_CAPBSET_DROP:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		pr.capbset_dropped |= 1ULL << a2; /* root has CAP_SETPCAP */
		return 0;
	case PR_SET_TIMERSLACK:
		pr.timerslack = a2 ? a2 : TIMERSLACK_DEFAULT;
		return 0;
	case PR_GET_TIMERSLACK:
		return (int)pr.timerslack;
	case PR_SET_CHILD_SUBREAPER:
		pr.subreaper = a2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		if (!a2)
			return -EFAULT;
		*(int *)a2 = pr.subreaper;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		pr.no_new_privs = 1; /* for good, as on Linux */
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return pr.no_new_privs;
	case PR_SET_THP_DISABLE:
		if (a2 > 1 || a3 || a4 || a5)
			return -EINVAL;
		pr.thp = (int)a2;
		return 0;
	case PR_GET_THP_DISABLE:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return pr.thp;
	default:
		return -EINVAL;
	}
}

/* ---- scheduling policies ---- */

#define SCHED_OTHER_	     0
#define SCHED_FIFO_	     1
#define SCHED_RR_	     2
#define SCHED_BATCH_	     3
#define SCHED_IDLE_	     5
#define SCHED_DEADLINE_	     6
#define SCHED_RESET_ON_FORK_ 0x40000000
#define RR_TIMESLICE_NS	     100000000 /* Linux's RR_TIMESLICE, 100 ms */

/* pid 0: the caller; else a thread of ours (pid 1 is the main one). */
static int sched_target(int pid, int *tid)
{
	if (pid < 0)
		return -EINVAL;
	*tid = pid ? pid : cur_tid();
	if (pid && pid != cur_tid() && !(uk_thread_find && uk_thread_find(pid)))
		return -ESRCH;
	return 0;
}

static int prio_ok(int policy, int prio)
{
	if (policy == SCHED_FIFO_ || policy == SCHED_RR_)
		return prio >= 1 && prio <= 99;
	return prio == 0;
}

/* uk-syscall-partial(sched_setscheduler): real-time policies (FIFO, RR)
 * are recorded and reported, not applied: one cooperative scheduler runs
 * every thread alike; SCHED_DEADLINE only through sched_setattr, which is
 * not offered */
UK_SYSCALL_R_DEFINE(int, sched_setscheduler, int, pid, int, policy, const int *,
		    param)
{
	int tid, r = sched_target(pid, &tid);
	int p = policy & ~SCHED_RESET_ON_FORK_;
	struct tname *e;

	if (!param)
		return -EINVAL;
	if (r)
		return r;
	if (p != SCHED_OTHER_ && p != SCHED_FIFO_ && p != SCHED_RR_ &&
	    p != SCHED_BATCH_ && p != SCHED_IDLE_)
		return -EINVAL;
	if (!prio_ok(p, *param))
		return -EINVAL;
	e = entry(tid);
	if (!e)
		return -ENOMEM;
	e->policy = policy;
	e->prio = *param;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_getscheduler, int, pid)
{
	int tid, r = sched_target(pid, &tid);
	struct tname *e;

	if (r)
		return r;
	e = *find_entry(tid);
	return e ? e->policy : SCHED_OTHER_;
}

/* uk-syscall-partial(sched_setparam): a real-time priority is recorded,
 * not applied (see sched_setscheduler) */
UK_SYSCALL_R_DEFINE(int, sched_setparam, int, pid, const int *, param)
{
	int tid, r = sched_target(pid, &tid);
	struct tname *e;

	if (!param)
		return -EINVAL;
	if (r)
		return r;
	e = *find_entry(tid);
	if (!prio_ok(e ? e->policy & ~SCHED_RESET_ON_FORK_ : SCHED_OTHER_,
		     *param))
		return -EINVAL;
	if (e)
		e->prio = *param;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_getparam, int, pid, int *, param)
{
	int tid, r = sched_target(pid, &tid);
	struct tname *e;

	if (!param)
		return -EINVAL;
	if (r)
		return r;
	e = *find_entry(tid);
	*param = e ? e->prio : 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_max, int, policy)
{
	if (policy == SCHED_FIFO_ || policy == SCHED_RR_)
		return 99;
	if (policy == SCHED_OTHER_ || policy == SCHED_BATCH_ ||
	    policy == SCHED_IDLE_ || policy == SCHED_DEADLINE_)
		return 0;
	return -EINVAL;
}

UK_SYSCALL_R_DEFINE(int, sched_get_priority_min, int, policy)
{
	if (policy == SCHED_FIFO_ || policy == SCHED_RR_)
		return 1;
	if (policy == SCHED_OTHER_ || policy == SCHED_BATCH_ ||
	    policy == SCHED_IDLE_ || policy == SCHED_DEADLINE_)
		return 0;
	return -EINVAL;
}

/* SCHED_RR's time slice; 0 for the others (no time slices: cooperative) */
UK_SYSCALL_R_DEFINE(int, sched_rr_get_interval, int, pid, int64_t *, ts)
{
	int tid, r = sched_target(pid, &tid);
	struct tname *e;

	if (r)
		return r;
	if (!ts)
		return -EFAULT;
	e = *find_entry(tid);
	ts[0] = 0;
	ts[1] = e && (e->policy & ~SCHED_RESET_ON_FORK_) == SCHED_RR_
			? RR_TIMESLICE_NS
			: 0;
	return 0;
}

/* ---- capabilities ---- */

#define CAP_V1	     0x19980330
#define CAP_V2	     0x20071026
#define CAP_V3	     0x20080522
#define CAP_ALL	     ((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define CAP_SETPCAP_ 8

struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static struct {
	uint64_t eff, perm, inh;
} caps = {CAP_ALL, CAP_ALL, 0};

/* 1 or 2 data structs for a known version; else the kernel's version goes
 * into the header and -EINVAL. */
static int cap_words(struct cap_header *h)
{
	if (h->version == CAP_V1)
		return 1;
	if (h->version == CAP_V2 || h->version == CAP_V3)
		return 2;
	h->version = CAP_V3;
	return -EINVAL;
}

/* Root's: every capability until capset drops some. Kept, not enforced
 * (as permissions: one user). */
UK_SYSCALL_R_DEFINE(int, capget, struct cap_header *, h, struct cap_data *, d)
{
	int n, tid;

	if (!h)
		return -EFAULT;
	n = cap_words(h);
	if (n < 0)
		return d ? n : 0;
	if (h->pid < 0)
		return -EINVAL;
	if (h->pid && sched_target(h->pid, &tid))
		return -ESRCH;
	if (!d)
		return 0;
	for (int i = 0; i < n; i++) {
		d[i].effective = (uint32_t)(caps.eff >> (32 * i));
		d[i].permitted = (uint32_t)(caps.perm >> (32 * i));
		d[i].inheritable = (uint32_t)(caps.inh >> (32 * i));
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, capset, struct cap_header *, h,
		    const struct cap_data *, d)
{
	uint64_t eff = 0, perm = 0, inh = 0;
	int n;

	if (!h)
		return -EFAULT;
	n = cap_words(h);
	if (n < 0)
		return n;
	if (h->pid && h->pid != cur_tid())
		return -EPERM; /* only one's own */
	if (!d)
		return -EFAULT;
	for (int i = 0; i < n; i++) {
		eff |= (uint64_t)d[i].effective << (32 * i);
		perm |= (uint64_t)d[i].permitted << (32 * i);
		inh |= (uint64_t)d[i].inheritable << (32 * i);
	}
	/* Linux's rules: no new permitted ones, effective within permitted,
	 * inheritable within the old inheritable and permitted sets (the
	 * latter needs CAP_SETPCAP) and the bounding set */
	if (perm & ~caps.perm)
		return -EPERM;
	if (eff & ~perm)
		return -EPERM;
	if (inh &
	    ~(caps.inh | ((caps.eff >> CAP_SETPCAP_) & 1 ? caps.perm : 0)))
		return -EPERM;
	if (inh & ~caps.inh & pr.capbset_dropped)
		return -EPERM;
	caps.eff = eff;
	caps.perm = perm;
	caps.inh = inh;
	return 0;
}

/* ---- personality, I/O priority ---- */

static unsigned long persona; /* PER_LINUX */

UK_SYSCALL_R_DEFINE(long, personality, unsigned int, p)
{
	unsigned long old = persona;

	if (p != 0xffffffffu)
		persona = p; /* flags such as ADDR_NO_RANDOMIZE: kept */
	return (long)old;
}

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_DEFAULT	   ((2 << IOPRIO_CLASS_SHIFT) | 4) /* BE, 4 */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP	   2
#define IOPRIO_WHO_USER	   3

static int ioprio = IOPRIO_DEFAULT; /* one process, one priority */

static int ioprio_who(int which, int who)
{
	int tid;

	switch (which) {
	case IOPRIO_WHO_PROCESS:
		return who ? sched_target(who, &tid) : 0;
	case IOPRIO_WHO_PGRP:
		return !who || who == 1 ? 0 : -ESRCH;
	case IOPRIO_WHO_USER:
		return who == 0 ? 0 : -ESRCH; /* root is the only user */
	default:
		return -EINVAL;
	}
}

/* uk-syscall-partial(ioprio_set): recorded and reported; files are in
 * memory, there is no I/O scheduler to apply it */
UK_SYSCALL_R_DEFINE(int, ioprio_set, int, which, int, who, int, prio)
{
	int cls = (prio >> IOPRIO_CLASS_SHIFT) & 7, data = prio & 0x1fff;
	int r = ioprio_who(which, who);

	if (r == -EINVAL)
		return r;
	if (prio < 0 || prio >> IOPRIO_CLASS_SHIFT > 3)
		return -EINVAL;
	if ((cls == 1 || cls == 2) && data >= 8)
		return -EINVAL;
	if (cls == 0 && data)
		return -EINVAL;
	if (r)
		return r;
	ioprio = prio;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, ioprio_get, int, which, int, who)
{
	int r = ioprio_who(which, who);

	return r ? r : ioprio;
}

/* for the tests: back to the boot state */
void pp_system_reset(void)
{
	while (names) {
		struct tname *n = names->next;

		free(names);
		names = n;
	}
	memset(&pr, 0, sizeof(pr));
	pr.dumpable = 1;
	pr.timerslack = TIMERSLACK_DEFAULT;
	caps.eff = caps.perm = CAP_ALL;
	caps.inh = 0;
	persona = 0;
	ioprio = IOPRIO_DEFAULT;
}

/* uname.nodename=NAME: what uname() and gethostname() report (at most 64
 * bytes, as sethostname takes). */
int pp_nodename_init(void)
{
	const char *v = uk_boot_param ? uk_boot_param("uname.nodename") : NULL;
	size_t n;

	if (!v)
		return 0;
	n = strlen(v);
	if (n == 0 || n > NODENAME_MAX) {
		uk_pr_warn(
			"uname.nodename: %lu bytes, a node name has 1 to %d: "
			"not set\n",
			(unsigned long)n, NODENAME_MAX);
		return 0;
	}
	uk_syscall_call(sethostname, v, n);
	return 0;
}
UK_INIT_CLASS(pp_nodename_init, UK_INIT_LIB, 9);
