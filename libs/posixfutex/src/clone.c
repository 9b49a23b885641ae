/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads as Linux makes them: clone (native C entry and the binary
 * `syscall` path), exit of one thread, the FS thread pointer, robust lists,
 * affinity (one CPU: sched_get/setaffinity, getcpu) and membarrier. Each thread
 * is a uksched thread; its tid, clear tid address and robust list live in
 * struct uk_thread.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/futex.h>
#include <uk/arch/syscall.h>
#include <uk/plat/halt.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/syscall.h>

/* Linux values */
#define CSIGNAL_	       0x000000ffUL
#define CLONE_VM_	       0x00000100UL
#define CLONE_FS_	       0x00000200UL
#define CLONE_FILES_	       0x00000400UL
#define CLONE_SIGHAND_	       0x00000800UL
#define CLONE_VFORK_	       0x00004000UL
#define CLONE_THREAD_	       0x00010000UL
#define CLONE_SYSVSEM_	       0x00040000UL
#define CLONE_SETTLS_	       0x00080000UL
#define CLONE_PARENT_SETTID_   0x00100000UL
#define CLONE_CHILD_CLEARTID_  0x00200000UL
#define CLONE_DETACHED_	       0x00400000UL
#define CLONE_CHILD_SETTID_    0x01000000UL
#define ARCH_SET_GS_	       0x1001
#define ARCH_SET_FS_	       0x1002
#define ARCH_GET_FS_	       0x1003
#define ARCH_GET_GS_	       0x1004
#define ROBUST_LIST_HEAD_SIZE_ 24 /* struct robust_list_head */
#define MEMBARRIER_CMD_QUERY_  0
#define MEMBARRIER_SUPPORTED_  0x1f /* GLOBAL .. REGISTER_PRIVATE_EXP. */

#define CLONE_NEEDED_ (CLONE_VM_ | CLONE_THREAD_ | CLONE_SIGHAND_)
#define CLONE_KNOWN_                                                     \
	(CSIGNAL_ | CLONE_NEEDED_ | CLONE_FS_ | CLONE_FILES_ |           \
	 CLONE_SYSVSEM_ | CLONE_SETTLS_ | CLONE_PARENT_SETTID_ |         \
	 CLONE_CHILD_CLEARTID_ | CLONE_DETACHED_ | CLONE_CHILD_SETTID_ | \
	 CLONE_VFORK_)

/* posixprocess, when the image has it: clone() without CLONE_THREAD makes
 * a process (vfork, posix_spawn); see <uk/process.h>. */
int uk_process_create(struct uk_thread *t, unsigned long flags)
	__attribute__((weak));
void uk_process_vfork_wait(int pid) __attribute__((weak));
int uk_process_last_thread(void) __attribute__((weak));

/* How much of the caller's stack below its top uksched is told about. It
 * only serves ASan's stack bookkeeping in native tests: nothing is written
 * there beyond what the thread itself pushes. */
#define CLONE_STACK_NOMINAL (64 * 1024)

struct clone_start {
	int binary;    /* resume `frame`, else run fn(arg) */
	int cancelled; /* its process could not be made: leave at once */
	int (*fn)(void *);
	void *arg;
	struct ukarch_syscall_frame frame;
};

static void clone_entry(void *p)
{
	struct clone_start *cs = p;

	if (cs->cancelled) {
		free(cs);
		uk_thread_exit(0);
	}
	if (cs->binary) {
		/* copy first: the thread may never come back to free it */
		struct ukarch_syscall_frame f = cs->frame;

		free(cs);
		ukarch_syscall_resume(&f);
	}
	int (*fn)(void *) = cs->fn;
	void *arg = cs->arg;

	free(cs);
	uk_posix_thread_exit(fn(arg));
}

static long check_flags(unsigned long flags)
{
	if (flags & ~CLONE_KNOWN_)
		return -EINVAL;
	if (!(flags & CLONE_THREAD_)) {
		/* a process: in this address space (vfork, posix_spawn) */
		if (!(flags & CLONE_VM_)) {
			uk_pr_warn("clone without CLONE_VM (fork) is not "
				   "supported: all processes share one address "
				   "space; use vfork or posix_spawn: -ENOSYS");
			return -ENOSYS;
		}
		return uk_process_create ? 0 : -ENOSYS;
	}
	if ((flags & CLONE_NEEDED_) != CLONE_NEEDED_)
		return -EINVAL;
	return 0;
}

/* Both clones: a detached uksched thread on the caller's stack (top
 * `stack`) starting in clone_entry(cs). Frees cs on failure. */
static long do_clone(unsigned long flags, void *stack, int *ptid, int *ctid,
		     void *tls, struct clone_start *cs)
{
	struct uk_thread *cur = uk_thread_current(), *t;
	void *tp = (flags & CLONE_SETTLS_) ? tls : NULL;
	long rc = check_flags(flags);

	if (!rc && (uintptr_t)stack < CLONE_STACK_NOMINAL)
		rc = -EINVAL; /* NULL or nonsense */
	if (!rc && (((flags & CLONE_PARENT_SETTID_) && !ptid) ||
		    ((flags & (CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_)) &&
		     !ctid)))
		rc = -EFAULT;
	if (!rc && !cur)
		rc = -ENOSYS;
	if (rc) {
		free(cs);
		return rc;
	}
	if (!(flags & CLONE_SETTLS_))
		tp = cur->tls; /* the caller's thread pointer */
	t = uk_thread_create_on_stack(NULL, "clone", clone_entry, cs,
				      (char *)stack - CLONE_STACK_NOMINAL,
				      CLONE_STACK_NOMINAL, tp);
	if (!t) {
		free(cs);
		return -ENOMEM;
	}
	if (!(flags & CLONE_THREAD_)) {
		rc = uk_process_create(t, flags);
		if (rc < 0) {
			cs->cancelled = 1; /* it leaves when it first runs */
			uk_thread_detach(t);
			return rc;
		}
	}
	if (flags & CLONE_CHILD_CLEARTID_)
		t->clear_tid = ctid;
	if (flags & CLONE_CHILD_SETTID_)
		*ctid = t->tid;
	if (flags & CLONE_PARENT_SETTID_)
		*ptid = t->tid;
	uk_thread_detach(t); /* it has not run: only marks it */
	rc = t->tid;	     /* (t may be gone once we have waited) */
	if ((flags & (CLONE_VFORK_ | CLONE_THREAD_)) == CLONE_VFORK_ &&
	    uk_process_vfork_wait)
		uk_process_vfork_wait((int)rc);
	return rc;
}

int uk_clone_fn(int (*fn)(void *), void *stack, int flags, void *arg,
		pid_t *ptid, void *tls, pid_t *ctid)
{
	struct clone_start *cs;

	if (!fn)
		return -EINVAL;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->fn = fn;
	cs->arg = arg;
	return (int)do_clone((unsigned int)flags, stack, ptid, ctid, tls, cs);
}

/* Binary path, in the architecture's argument order (<uk/arch/syscall.h>).
 * The child resumes where the parent's system call returns to, with its
 * registers, a result of 0 and the stack newsp. */
#if UKARCH_CLONE_TLS_LAST
UK_SYSCALL_R_DEFINE(long, clone, unsigned long, flags, void *, newsp, int *,
		    ptid, int *, ctid, unsigned long, tls)
#else
UK_SYSCALL_R_DEFINE(long, clone, unsigned long, flags, void *, newsp, int *,
		    ptid, unsigned long, tls, int *, ctid)
#endif
{
	struct ukarch_syscall_frame *f = uk_syscall_frame_current();
	struct clone_start *cs;

	if (!f)
		return -ENOSYS; /* native callers: uk_clone_fn */
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	/* no stack: the caller's (a process made like vfork) */
	if (!newsp && !(flags & CLONE_THREAD_))
		newsp = (void *)ukarch_syscall_frame_sp(f);
	cs->binary = 1;
	cs->frame = *f;
	ukarch_syscall_frame_child(&cs->frame, (uintptr_t)newsp);
	return do_clone(flags, newsp, ptid, ctid, (void *)tls, cs);
}

/* vfork (binary path): a process on the caller's stack, in this address
 * space; the caller waits until it execs or exits. */
UK_SYSCALL_R_DEFINE(long, vfork)
{
	if (!uk_syscall_frame_current())
		return -ENOSYS; /* C code cannot return twice: posix_spawn */
	return uk_syscall_call(
		clone, CLONE_VM_ | CLONE_VFORK_ | 17 /* SIGCHLD */, 0, 0, 0, 0);
}

void uk_posix_thread_exit(int status)
{
	struct uk_sched *s = uk_sched_get_default();
	struct uk_thread *t = uk_thread_current();

	if (t && t->clear_tid) {
		int *p = t->clear_tid;

		t->clear_tid = NULL;
		__atomic_store_n(p, 0, __ATOMIC_SEQ_CST);
		uk_futex_wake((uint32_t *)p, 1, UK_FUTEX_BITSET_ANY);
	}
	if (!s || (uk_process_last_thread ? uk_process_last_thread()
					  : s->nr_threads <= 1)) {
		/* the last thread: the process ends */
		uk_syscall_call(exit_group, status);
		ukplat_exit(status);
	}
	uk_thread_exit(status);
}

UK_SYSCALL_R_DEFINE(long, exit, int, status)
{
	uk_posix_thread_exit(status);
}

/* The address the thread's exit clears and futex-wakes (pthread_join waits
 * on it); returns the caller's tid. Without a scheduler: the tid only. */
UK_SYSCALL_R_DEFINE(long, set_tid_address, int *, tidptr)
{
	struct uk_thread *t = uk_thread_current();

	if (t)
		t->clear_tid = tidptr;
	return t ? uk_thread_tid() : 1;
}

static unsigned long fs_nosched; /* FS base when there is no scheduler */

UK_SYSCALL_R_DEFINE(long, arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS_:
		/* the thread's own, so that switches keep it */
		if (uk_thread_set_tp((void *)addr) == -ENOSYS) {
			fs_nosched = addr;
			ukplat_tlsp_set((void *)addr);
		}
		return 0;
	case ARCH_GET_FS_:
		if (!addr)
			return -EFAULT;
		*(unsigned long *)addr =
			uk_sched_get_default()
				? (unsigned long)uk_thread_get_tp()
				: fs_nosched;
		return 0;
	case ARCH_SET_GS_:
	case ARCH_GET_GS_:
		return -EINVAL; /* GS is the kernel's here */
	default:
		return -EINVAL;
	}
}

static void *robust_nosched;

UK_SYSCALL_R_DEFINE(long, set_robust_list, void *, head, size_t, len)
{
	struct uk_thread *t = uk_thread_current();

	if (len != ROBUST_LIST_HEAD_SIZE_)
		return -EINVAL;
	if (t) {
		t->robust_list = head;
		t->robust_len = len;
	} else {
		robust_nosched = head;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(long, get_robust_list, int, pid, void **, head_ptr,
		    size_t *, len_ptr)
{
	struct uk_thread *t = uk_thread_current();

	if (pid < 0)
		return -EINVAL;
	if (pid && !(t = uk_thread_find(pid)) && pid != uk_thread_tid())
		return -ESRCH;
	if (!head_ptr || !len_ptr)
		return -EFAULT;
	*head_ptr = t ? t->robust_list : robust_nosched;
	*len_ptr = ROBUST_LIST_HEAD_SIZE_;
	return 0;
}

UK_SYSCALL_R_DEFINE(long, sched_getaffinity, int, pid, size_t, len,
		    unsigned long *, mask)
{
	if (pid < 0)
		return -EINVAL;
	if (pid && !uk_thread_find(pid) && pid != uk_thread_tid())
		return -ESRCH;
	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	if (!mask)
		return -EFAULT;
	mask[0] = 1; /* one CPU */
	return sizeof(unsigned long);
}

/* One CPU: a mask must contain CPU 0 (Linux: bits beyond `len` are 0,
 * and a mask without an active CPU is EINVAL). */
UK_SYSCALL_R_DEFINE(long, sched_setaffinity, int, pid, size_t, len,
		    const unsigned long *, mask)
{
	unsigned char first = 0;

	if (pid < 0)
		return -EINVAL;
	if (pid && !uk_thread_find(pid) && pid != uk_thread_tid())
		return -ESRCH;
	if (len && !mask)
		return -EFAULT;
	if (len)
		memcpy(&first, mask, 1);
	return (first & 1) ? 0 : -EINVAL;
}

/* Always CPU 0, NUMA node 0; the third argument is unused since Linux
 * 2.6.24. */
UK_SYSCALL_R_DEFINE(long, getcpu, unsigned *, cpu, unsigned *, node, void *,
		    tcache)
{
	(void)tcache;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(long, membarrier, int, cmd, unsigned int, flags, int,
		    cpu_id)
{
	(void)cpu_id;
	if (flags)
		return -EINVAL;
	if (cmd == MEMBARRIER_CMD_QUERY_)
		return MEMBARRIER_SUPPORTED_;
	if (cmd < 0 || cmd > 16 || (cmd & (cmd - 1)) ||
	    !(cmd & MEMBARRIER_SUPPORTED_))
		return -EINVAL;
	/* one CPU, no preemption: every thread sees our stores already */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

/*
 * Restartable sequences: registration is accepted and the area says CPU 0
 * (cpu_id_start and cpu_id). Threads run on one CPU and are never
 * preempted or interrupted by a signal handler, so a critical section never
 * needs aborting and nothing else is ever written. glibc's threads need a
 * successful registration once the main thread had one (its
 * pthread_create aborts otherwise).
 */
#define RSEQ_FLAG_UNREGISTER_ 1
#define RSEQ_MIN_LEN_	      32 /* the original struct rseq */

UK_SYSCALL_R_DEFINE(long, rseq, void *, rseq, uint32_t, len, int, flags,
		    uint32_t, sig)
{
	(void)sig;
	if (flags & ~RSEQ_FLAG_UNREGISTER_)
		return -EINVAL;
	if (!rseq || len < RSEQ_MIN_LEN_ || ((uintptr_t)rseq & 31))
		return -EINVAL;
	if (flags & RSEQ_FLAG_UNREGISTER_)
		return 0;
	uint32_t *area = rseq;
	area[0] = 0; /* cpu_id_start */
	area[1] = 0; /* cpu_id */
	return 0;
}
