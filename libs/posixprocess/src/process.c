/* SPDX-License-Identifier: BSD-3-Clause */
/* Identity, limits, accounting, exit and priority calls. See <uk/process.h>. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <uk/arch/cpu.h>
#include <uk/alloc.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/halt.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include "process_impl.h"

/* Libraries that may be absent from an image: weak references. Signatures
 * as in <uk/sched.h> and <uk/fdtab.h>. */
int uk_thread_tid(void) __attribute__((weak));
struct uk_thread *uk_thread_find(int tid) __attribute__((weak));
void uk_sched_yield(void) __attribute__((weak));
int uk_fdtab_set_limit(unsigned limit) __attribute__((weak));
unsigned uk_fdtab_get_limit(void) __attribute__((weak));
size_t uk_boot_main_stack_size(void) __attribute__((weak));
#pragma weak uk_alloc_get_default
#pragma weak uk_alloc_availmem
#pragma weak uk_alloc_stats_get

/* ---- identity ---- */

int uk_process_tid(void)
{
	return uk_thread_tid ? uk_thread_tid() : UK_PROCESS_PID;
}

UK_SYSCALL_R_DEFINE(int, gettid)
{
	return uk_process_tid();
}

/* The image runs as root: uid/gid 0, no supplementary groups. Changing to
 * another identity is refused (there is no other user to become). */
UK_SYSCALL_R_DEFINE(int, getuid)
{
	return 0;
}
UK_SYSCALL_R_DEFINE(int, geteuid)
{
	return 0;
}
UK_SYSCALL_R_DEFINE(int, getgid)
{
	return 0;
}
UK_SYSCALL_R_DEFINE(int, getegid)
{
	return 0;
}

/* 0 or -1 ("unchanged") are acceptable ids. */
static int id_ok(unsigned int id)
{
	return id == 0 || id == (unsigned int)-1;
}

UK_SYSCALL_R_DEFINE(int, setuid, unsigned int, uid)
{
	return uid == 0 ? 0 : -EPERM;
}
UK_SYSCALL_R_DEFINE(int, setgid, unsigned int, gid)
{
	return gid == 0 ? 0 : -EPERM;
}
UK_SYSCALL_R_DEFINE(int, setreuid, unsigned int, r, unsigned int, e)
{
	return id_ok(r) && id_ok(e) ? 0 : -EPERM;
}
UK_SYSCALL_R_DEFINE(int, setregid, unsigned int, r, unsigned int, e)
{
	return id_ok(r) && id_ok(e) ? 0 : -EPERM;
}
UK_SYSCALL_R_DEFINE(int, setresuid, unsigned int, r, unsigned int, e,
		    unsigned int, s)
{
	return id_ok(r) && id_ok(e) && id_ok(s) ? 0 : -EPERM;
}
UK_SYSCALL_R_DEFINE(int, setresgid, unsigned int, r, unsigned int, e,
		    unsigned int, s)
{
	return id_ok(r) && id_ok(e) && id_ok(s) ? 0 : -EPERM;
}

static int get3(unsigned int *a, unsigned int *b, unsigned int *c)
{
	if (!a || !b || !c)
		return -EFAULT;
	*a = *b = *c = 0;
	return 0;
}
UK_SYSCALL_R_DEFINE(int, getresuid, unsigned int *, r, unsigned int *, e,
		    unsigned int *, s)
{
	return get3(r, e, s);
}
UK_SYSCALL_R_DEFINE(int, getresgid, unsigned int *, r, unsigned int *, e,
		    unsigned int *, s)
{
	return get3(r, e, s);
}

/* Linux returns the previous fs id whether or not the change happened. */
UK_SYSCALL_R_DEFINE(int, setfsuid, unsigned int, id)
{
	(void)id;
	return 0;
}
UK_SYSCALL_R_DEFINE(int, setfsgid, unsigned int, id)
{
	(void)id;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getgroups, int, size, unsigned int *, list)
{
	(void)list;
	return size < 0 ? -EINVAL : 0; /* no supplementary groups */
}

UK_SYSCALL_R_DEFINE(int, setgroups, long, size, const unsigned int *, list)
{
	if (size < 0 || size > 65536)
		return -EINVAL;
	if (size && !list)
		return -EFAULT;
	for (long i = 0; i < size; i++)
		if (list[i] != 0)
			return -EPERM; /* only group 0 exists */
	return 0;
}

/* ---- uname, host name ---- */

#define UTS_LEN 65
struct pp_utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN],
		version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

static char hostname[UTS_LEN] = "unikit";
static char domainname[UTS_LEN] = "(none)";

/*
 * "Linux" and a Linux-shaped release: programs and libcs (glibc's minimum
 * kernel check, feature probes keyed on the release) decide what they may
 * use from these; this image serves the Linux system call ABI, so it says
 * Linux, with a 6.1 release that names unikit.
 */
UK_SYSCALL_R_DEFINE(int, uname, struct pp_utsname *, u)
{
	if (!u)
		return -EFAULT;
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strcpy(u->nodename, hostname);
	strcpy(u->release, "6.1.0-unikit");
	strcpy(u->version, "unikit");
	strcpy(u->machine, UKARCH_LINUX_MACHINE);
	strcpy(u->domainname, domainname);
	return 0;
}

static int set_name(char *dst, const char *name, long len)
{
	if (len < 0 || len > UTS_LEN - 1)
		return -EINVAL;
	if (len && !name)
		return -EFAULT;
	memcpy(dst, name, (size_t)len);
	dst[len] = '\0';
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sethostname, const char *, name, long, len)
{
	return set_name(hostname, name, len);
}

UK_SYSCALL_R_DEFINE(int, setdomainname, const char *, name, long, len)
{
	return set_name(domainname, name, len);
}

/* ---- resource limits ---- */

#define RLIMIT_STACK_  3
#define RLIMIT_NOFILE_ 7
#define RLIM_NLIMITS_  16
#define RLIM_INF       (~0ULL)
#define FDTAB_MAX      65536 /* UK_FDTAB_MAX */

struct pp_rlimit {
	uint64_t cur, max;
};

/* Linux's defaults for a root process, with NOFILE's hard limit at what
 * the descriptor table can hold. Stored, enforced only for NOFILE. */
static const struct pp_rlimit rlim_boot[RLIM_NLIMITS_] = {
	{RLIM_INF, RLIM_INF},	  /* CPU */
	{RLIM_INF, RLIM_INF},	  /* FSIZE */
	{RLIM_INF, RLIM_INF},	  /* DATA */
	{8ULL << 20, RLIM_INF},	  /* STACK: 8 MiB soft */
	{0, RLIM_INF},		  /* CORE */
	{RLIM_INF, RLIM_INF},	  /* RSS */
	{RLIM_INF, RLIM_INF},	  /* NPROC */
	{1024, FDTAB_MAX},	  /* NOFILE */
	{8ULL << 20, 8ULL << 20}, /* MEMLOCK */
	{RLIM_INF, RLIM_INF},	  /* AS */
	{RLIM_INF, RLIM_INF},	  /* LOCKS */
	{RLIM_INF, RLIM_INF},	  /* SIGPENDING */
	{819200, 819200},	  /* MSGQUEUE */
	{0, 0},			  /* NICE */
	{0, 0},			  /* RTPRIO */
	{RLIM_INF, RLIM_INF},	  /* RTTIME */
};
static struct pp_rlimit rlim[RLIM_NLIMITS_];
static int rlim_init;

static void rlim_setup(void)
{
	size_t stack;

	if (!rlim_init) {
		memcpy(rlim, rlim_boot, sizeof(rlim));
		/* main()'s stack is what ukboot gave it, and it cannot grow:
		 * both limits say its size (ukboot.main_stack) */
		stack = uk_boot_main_stack_size ? uk_boot_main_stack_size() : 0;
		if (stack)
			rlim[RLIMIT_STACK_].cur = rlim[RLIMIT_STACK_].max =
				stack;
		rlim_init = 1;
	}
}

static int do_prlimit(int pid, unsigned int res, const struct pp_rlimit *new,
		      struct pp_rlimit *old)
{
	if (pid != 0 && pid != UK_PROCESS_PID)
		return -ESRCH;
	if (res >= RLIM_NLIMITS_)
		return -EINVAL;
	rlim_setup();
	if (new &&new->cur > new->max)
		return -EINVAL;
	if (res == RLIMIT_NOFILE_ &&
	    new &&new->max != RLIM_INF &&new->max > FDTAB_MAX)
		return -EPERM; /* Linux: above nr_open */
	if (res == RLIMIT_NOFILE_ && new &&new->cur > FDTAB_MAX)
		return -EPERM;
	if (old) {
		*old = rlim[res];
		if (res == RLIMIT_NOFILE_ && uk_fdtab_get_limit)
			old->cur = uk_fdtab_get_limit();
	}
	if (new) {
		if (res == RLIMIT_NOFILE_ && uk_fdtab_set_limit) {
			int rc = uk_fdtab_set_limit(
				new->cur ? (unsigned)new->cur : 1);
			if (rc < 0)
				return rc;
		}
		rlim[res] = *new;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getrlimit, unsigned int, res, struct pp_rlimit *, r)
{
	if (!r)
		return res >= RLIM_NLIMITS_ ? -EINVAL : -EFAULT;
	return do_prlimit(0, res, NULL, r);
}

UK_SYSCALL_R_DEFINE(int, setrlimit, unsigned int, res, const struct pp_rlimit *,
		    r)
{
	if (!r)
		return res >= RLIM_NLIMITS_ ? -EINVAL : -EFAULT;
	return do_prlimit(0, res, r, NULL);
}

UK_SYSCALL_R_DEFINE(int, prlimit64, int, pid, unsigned int, res,
		    const struct pp_rlimit *, new, struct pp_rlimit *, old)
{
	struct pp_rlimit n;

	if (new) /* copy first: new and old may be the same buffer */
		n = *new;
	return do_prlimit(pid, res, new ? &n : NULL, old);
}

/* ---- accounting ---- */

struct pp_timeval {
	long tv_sec, tv_usec;
};
struct pp_rusage {
	struct pp_timeval utime, stime;
	long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock,
		oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

UK_SYSCALL_R_DEFINE(int, getrusage, int, who, struct pp_rusage *, ru)
{
	uint64_t t;
	struct uk_alloc *a;

	if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
		return -EINVAL;
	if (!ru)
		return -EFAULT;
	memset(ru, 0, sizeof(*ru));
	if (who == -1)
		return 0; /* no children */
	/* All time since boot counts as user time: the image has no
	 * accounting of idle time or kernel time. */
	t = ukplat_monotonic_clock();
	ru->utime.tv_sec = (long)(t / 1000000000ULL);
	ru->utime.tv_usec = (long)(t % 1000000000ULL / 1000);
	a = uk_alloc_get_default ? uk_alloc_get_default() : NULL;
	if (a && uk_alloc_stats_get) {
		struct uk_alloc_stats st;
		uk_alloc_stats_get(a, &st);
		ru->maxrss = (long)((st.peak_bytes +
				     st.cur_pages * UK_ALLOC_PAGE_SIZE) /
				    1024);
	}
	return 0;
}

struct pp_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};
_Static_assert(sizeof(struct pp_sysinfo) == 112, "Linux sysinfo (64-bit)");

UK_SYSCALL_R_DEFINE(int, sysinfo, struct pp_sysinfo *, si)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();
	unsigned long total = 0;
	struct uk_alloc *a;

	if (!si)
		return -EFAULT;
	memset(si, 0, sizeof(*si));
	si->uptime = (long)(ukplat_monotonic_clock() / 1000000000ULL);
	for (unsigned i = 0; i < bi->nr_memregions && i < UKPLAT_MEMREGION_MAX;
	     i++)
		if (bi->memregions[i].type == UKPLAT_MEMR_FREE)
			total += bi->memregions[i].len;
	si->totalram = total;
	si->freeram = total;
	a = uk_alloc_get_default ? uk_alloc_get_default() : NULL;
	if (a && uk_alloc_availmem) {
		unsigned long avail = uk_alloc_availmem(a);
		si->freeram = avail < total ? avail : total;
	}
	si->procs = 1;
	si->mem_unit = 1;
	return 0;
}

struct pp_tms {
	long utime, stime, cutime, cstime;
};
#define CLK_TCK_ 100 /* sysconf(_SC_CLK_TCK) on Linux */

UK_SYSCALL_R_DEFINE(long, times, struct pp_tms *, t)
{
	long ticks =
		(long)(ukplat_monotonic_clock() / (1000000000ULL / CLK_TCK_));
	if (t) {
		t->utime = ticks;
		t->stime = t->cutime = t->cstime = 0;
	}
	return ticks;
}

/* ---- exit, scheduling, priority ---- */

UK_SYSCALL_R_DEFINE(int, exit_group, int, status)
{
	uk_process_exit(status);
}

UK_SYSCALL_R_DEFINE(int, sched_yield)
{
	if (uk_sched_yield)
		uk_sched_yield();
	return 0;
}

static int nice_value;

static int prio_target(int which, int who)
{
	switch (which) {
	case 0: /* PRIO_PROCESS */
	case 1: /* PRIO_PGRP */
		return who == 0 || who == UK_PROCESS_PID ? 0 : -ESRCH;
	case 2: /* PRIO_USER */
		return who == 0 ? 0 : -ESRCH;
	default:
		return -EINVAL;
	}
}

/* The raw system call returns 20 - nice (1..40), as Linux does. */
UK_SYSCALL_R_DEFINE(int, getpriority, int, which, int, who)
{
	int rc = prio_target(which, who);
	return rc < 0 ? rc : 20 - nice_value;
}

/* Stored only: the cooperative scheduler has no priorities. */
UK_SYSCALL_R_DEFINE(int, setpriority, int, which, int, who, int, prio)
{
	int rc = prio_target(which, who);

	if (rc < 0)
		return rc;
	nice_value = prio < -20 ? -20 : prio > 19 ? 19 : prio;
	return 0;
}

void uk_process_reset(void)
{
	rlim_init = 0;
	nice_value = 0;
	strcpy(hostname, "unikit");
	strcpy(domainname, "(none)");
	uk_process_signal_reset();
}
