/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixprocess: the process-identity, limits, accounting, exit and signal
 * system calls (Linux x86_64 semantics, negative errno results; call them
 * through uk_syscall_call() or a libc):
 *
 *   getpid getppid gettid getuid geteuid getgid getegid setuid setgid
 *   setreuid setregid setresuid setresgid getresuid getresgid setfsuid
 *   setfsgid getgroups setgroups uname sethostname setdomainname getrlimit
 *   setrlimit prlimit64 getrusage sysinfo times exit_group sched_yield
 *   getpriority setpriority rt_sigaction rt_sigprocmask rt_sigpending
 *   rt_sigsuspend rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo
 *   rt_sigreturn sigaltstack pause kill tkill tgkill
 *
 * `exit` (end one thread) belongs to posixfutex, which calls exit_group for
 * the last thread.
 *
 * Signals: actions per process; the blocked mask, thread-directed pending
 * signals and the alternate stack per thread (in struct uk_thread, see
 * <uk/sched.h>). A signal is delivered on the way out of a system call
 * (both paths, see <uk/syscall.h>'s exit work), after an interruptible
 * wait it ended (the call returns EINTR, or is made again for SA_RESTART),
 * and in a loaded program interrupted by a device or timer interrupt
 * (uk_process_irq_return). Handlers of code compiled into the image are
 * called as C functions; those of loaded programs get Linux's signal frame
 * and return through rt_sigreturn. Default actions: end the image (pid 1)
 * with status 128 + signal after a message (core-dump signals also say
 * where), or ignore; stop signals are ignored (nothing can stop the
 * image). Hardware faults in the image go to ukdebug's crash report.
 */
#ifndef UK_PROCESS_H
#define UK_PROCESS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The image's first process: pid (and process group, session, tgid) 1. */
#define UK_PROCESS_PID 1

/* End the calling process with exit status `status` (low 8 bits), as
 * exit_group does: for pid 1 the image ends through the platform's exit
 * path; a child becomes a zombie its parent waits for. */
__attribute__((noreturn)) void uk_process_exit(int status);

struct uk_thread;

/*
 * Processes in one address space (src/proc.c). uk_process_create(): make
 * `t` - a new thread that has not run yet (posixfutex's clone without
 * CLONE_THREAD) - the first thread of a new child of the caller's process.
 * `flags`: CLONE_VM is required (there is one address space; without it:
 * -ENOSYS, fork is not supported), CLONE_FILES shares the descriptor
 * table (else a copy), CLONE_VFORK: the parent then calls
 * uk_process_vfork_wait(pid), which returns once the child execs or exits;
 * the low byte is the signal the parent gets at the child's exit. Returns
 * the child's pid (t's tid), -ENOMEM.
 */
int uk_process_create(struct uk_thread *t, unsigned long flags);
void uk_process_vfork_wait(int pid);

/*
 * Per-process state of a library above (posixexec: the loaded program):
 * switch_to(data) when a thread of a process with that data is about to
 * run (data MAY be NULL: the image's own code), release(data) when a
 * process that owns it execs another program or exits.
 */
struct uk_process_ext_ops {
	void (*switch_to)(void *data);
	void (*release)(void *data);
};
void uk_process_set_ext_ops(const struct uk_process_ext_ops *ops);

/*
 * execve's point of no return, once the new program is loaded (`ext`:
 * its data, owned by the process from now on): the process gets a new
 * mapping space, its other threads leave at their next safe point, a
 * shared descriptor table becomes its own and loses its close-on-exec
 * descriptors, handlers go back to SIG_DFL (ignored signals stay
 * ignored), the alternate stack and POSIX timers go, the old program's
 * data is released if the process owned it, and a vfork parent resumes.
 * `comm`: the path, whose last part becomes the process's name. 0 or
 * -ENOMEM (nothing changed).
 */
int uk_process_exec(const char *comm, void *ext);

/* Non-zero when the calling thread is the last POSIX thread of its
 * process (kernel threads do not count): its exit ends the process. */
int uk_process_last_thread(void);
/* The calling thread leaves now if its process exits or execs in another
 * thread (for threads that start outside a system call). */
void uk_process_doomed_check(void);
/* The calling process's name (the last part of what it executed). */
const char *uk_process_comm(void);

/* Reset every stored setting (limits, signal state, host name, priority) to
 * its boot value. For tests. */
void uk_process_reset(void);

struct uk_thread;
struct ukarch_regs;

/* Send `sig` to the calling thread, as the kernel does for SIGPIPE
 * (si_code SI_USER, our pid): its handler runs, or its default action
 * happens, on the way out of the current system call. Returns 0, -EINVAL
 * (no such signal) or -EAGAIN (real-time signal queue full). */
int uk_process_raise(int sig);
/* The same for thread `t`, with si_code `code` (SI_USER 0, SI_KERNEL
 * 0x80, ...). -EINVAL also for t NULL. */
int uk_process_signal_thread(struct uk_thread *t, int sig, int code);
/* "SIGINT" for 2 and the other standard signals; NULL otherwise. */
const char *uk_process_signame(int sig);
/* Called after every signal generation, so that signalfd files can tell
 * their readers. Weak, does nothing unless a library defines it. */
void uk_process_signal_notify(void);
/* ppoll, pselect6, epoll_pwait: install `mask` as the caller's signal
 * mask for a wait (0, -ENOMEM); then pop it: at once, or (interrupted:
 * the call returns EINTR) once the handler has run, as sigsuspend does. */
int uk_process_sigmask_push(const uint64_t *mask);
void uk_process_sigmask_pop(int interrupted);
/*
 * For the platform's return path of an interrupt that arrived while a
 * loaded program ran (never kernel code): if the current thread has a
 * signal to handle, point the interrupted context `r` (+ its FPU state
 * `fx`, fxsave format) at the handler, with Linux's frame on the program's
 * stack. Interrupts disabled.
 */
void uk_process_irq_return(struct ukarch_regs *r, void *fx);

#ifdef __cplusplus
}
#endif
#endif /* UK_PROCESS_H */
