/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixprocess: the process-identity, limits, accounting, exit and signal
 * system calls of a one-process image (Linux x86_64 semantics, negative
 * errno results; call them through uk_syscall_call() or a libc):
 *
 *   getpid (1) getppid (0) gettid getuid geteuid getgid getegid (0)
 *   setuid setgid setreuid setregid setresuid setresgid (0 for 0, else
 *   -EPERM) getresuid getresgid setfsuid setfsgid getgroups setgroups
 *   uname sethostname setdomainname getrlimit setrlimit prlimit64 getrusage
 *   sysinfo times exit_group sched_yield getpriority setpriority
 *   rt_sigaction rt_sigprocmask rt_sigpending sigaltstack kill tkill tgkill
 *
 * `exit` (end one thread) belongs to posixfutex, which calls exit_group for
 * the last thread.
 *
 * Signals: actions, the mask and the alternate stack are stored (one set for
 * the process: the image is one process; the mask is not per thread). There
 * is no asynchronous delivery: a signal arrives only when the image sends it
 * to itself (kill/tkill/tgkill, e.g. abort()'s SIGABRT), and it is then
 * handled synchronously before the call returns: a handler is called, an
 * ignored signal is dropped, a blocked one stays pending until unblocked,
 * and a signal whose default action is fatal ends the image with status
 * 128 + signal after a message. Hardware faults go to ukdebug's crash
 * report, not to handlers.
 */
#ifndef UK_PROCESS_H
#define UK_PROCESS_H

#ifdef __cplusplus
extern "C" {
#endif

/* The image's pid (and its process group, session and tgid). */
#define UK_PROCESS_PID 1

/* End the image with `status` (low 8 bits) through the platform's exit path,
 * as exit_group does. */
__attribute__((noreturn)) void uk_process_exit(int status);

/* Reset every stored setting (limits, signal state, host name, priority) to
 * its boot value. For tests. */
void uk_process_reset(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_PROCESS_H */
