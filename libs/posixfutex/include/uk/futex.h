/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixfutex: futexes, thread creation (clone) and the thread system calls
 * musl's pthreads and Linux binaries need, on uksched threads.
 *
 * System calls (Linux x86_64 semantics, through <uk/syscall.h>): futex,
 * clone (binary path only), exit (one thread), arch_prctl (FS),
 * set_robust_list / get_robust_list, sched_get/setaffinity, getcpu,
 * membarrier, rseq
 * (-ENOSYS). The C functions below are what they are built on.
 *
 * One CPU, cooperative threads (UP): nothing runs between a futex value
 * check and the wait, so no lock is needed. Deadlines are absolute ns of
 * uk_sched_now() (the platform's monotonic clock in images).
 */
#ifndef UK_FUTEX_H
#define UK_FUTEX_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every waiter matches (FUTEX_BITSET_MATCH_ANY). */
#define UK_FUTEX_BITSET_ANY 0xffffffffu

/* Block while *uaddr == val, until woken by a wake whose bitset shares a bit
 * with `bitset`, or until `deadline` (UK_SCHED_FOREVER: none). Returns 0
 * (woken), -EAGAIN (*uaddr != val), -ETIMEDOUT, -EINVAL (uaddr not 4-byte
 * aligned, bitset 0), -EFAULT (uaddr NULL), -ENOSYS (no scheduler). */
int uk_futex_wait(const uint32_t *uaddr, uint32_t val, uint64_t deadline,
		  uint32_t bitset);
/* Wake up to `n` waiters on uaddr whose bitset matches (n <= 0 wakes one,
 * as Linux does), longest waiting first. Returns how many, or -EINVAL /
 * -EFAULT as above. */
int uk_futex_wake(const uint32_t *uaddr, int nr_wake, uint32_t bitset);
/* Wake up to nr_wake waiters on uaddr and move up to nr_requeue of the rest
 * to uaddr2. cmp: first check *uaddr == cmpval (-EAGAIN if not). Returns
 * woken + moved, -EINVAL (negative counts, alignment), -EFAULT. */
int uk_futex_requeue(const uint32_t *uaddr, int nr_wake, const uint32_t *uaddr2,
		     int nr_requeue, int cmp, uint32_t cmpval);
/* Waiters queued on uaddr (tests, debugging). */
int uk_futex_nr_waiters(const uint32_t *uaddr);

/*
 * clone() for a libc's native path (musl's __clone): start a thread that
 * runs fn(arg) on `stack` (its top: the first push goes below it; the
 * memory stays the caller's) in a new uksched thread. flags: CLONE_VM,
 * CLONE_THREAD and CLONE_SIGHAND are required (else -EINVAL: no processes);
 * CLONE_FS, CLONE_FILES, CLONE_SYSVSEM, CLONE_DETACHED are accepted;
 * CLONE_SETTLS: `tls` is the thread pointer (else the caller's);
 * CLONE_PARENT_SETTID: the tid goes to *ptid; CLONE_CHILD_SETTID: to *ctid;
 * CLONE_CHILD_CLEARTID: when the thread ends, 0 goes to *ctid and one
 * futex waiter there is woken. Any other flag: -EINVAL. The low byte (exit
 * signal) is ignored. When fn returns, its value is the thread's exit
 * status (as exit()). Nobody joins the uksched thread: it is freed after it
 * ends. Returns the new tid (> 1), -EINVAL, -EFAULT (a NULL address a flag
 * needs), -ENOMEM, -ENOSYS (no scheduler).
 */
int uk_clone_fn(int (*fn)(void *), void *stack, int flags, void *arg,
		pid_t *ptid, void *tls, pid_t *ctid);

/* The exit system call: end the calling thread. Its clear-tid address (see
 * uk_clone_fn, set_tid_address), if any, gets 0 and a futex wake. The last
 * thread ending ends the image (exit_group(status)). The main thread never
 * returns from it but is not freed. */
__attribute__((noreturn)) void uk_posix_thread_exit(int status);

#ifdef __cplusplus
}
#endif
#endif /* UK_FUTEX_H */
