/* SPDX-License-Identifier: BSD-3-Clause */
/* prctl, and the node name uname reports from the library parameter
 * uname.nodename. One process: the per-process settings are plain
 * variables; thread names are kept here by tid (uksched's own names are
 * what threads were created with). */
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
	char name[COMM_LEN];
};
static struct tname *names;

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
}

static int cur_tid(void)
{
	return uk_thread_tid ? uk_thread_tid() : 1;
}

static struct uk_thread *thread_of(int tid)
{
	return uk_thread_find ? uk_thread_find(tid) : NULL;
}

/* The entry of the current thread; stale entries (threads that ended)
 * go on the way. Bounded: one entry per renamed thread alive. */
static struct tname **find_name(void)
{
	int tid = cur_tid();
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

static int set_name(const char *src)
{
	struct tname **pp, *e;
	size_t n = 0;

	if (!src)
		return -EFAULT;
	while (n < COMM_LEN - 1 && src[n])
		n++;
	pp = find_name();
	e = *pp;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->tid = cur_tid();
		e->t = thread_of(e->tid);
		*pp = e;
	}
	memset(e->name, 0, sizeof(e->name));
	memcpy(e->name, src, n);
	return 0;
}

/* Linux: a thread's comm; the main thread's is the program's name. */
static int get_name(char *dst)
{
	struct tname *e;
	const char *n = NULL;

	if (!dst)
		return -EFAULT;
	e = *find_name();
	memset(dst, 0, COMM_LEN);
	if (e) {
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
