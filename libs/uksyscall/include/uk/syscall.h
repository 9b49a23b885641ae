/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The system call shim: one table of implementations with the
 * architecture's Linux numbers (<uk/arch/syscall_list.h>) and semantics,
 * returning a negative errno on failure.
 *
 * A library implements a call with
 *
 *   UK_SYSCALL_R_DEFINE(ssize_t, read, int, fd, void *, buf, size_t, len)
 *   {
 *           ...                    (return a result >= 0 or -EBADF, ...)
 *   }
 *
 * which defines `long uk_syscall_r_read(long a0, ..., long a5)` (the same
 * six-`long` signature for every call, so that the binary-compatible table
 * and the native dispatcher can call any of them) around a typed static
 * inline body. Every call in the Linux list has a weak default that returns
 * -ENOSYS and logs the call's name once, so an image links whatever subset
 * of the POSIX libraries it picked.
 *
 * Native path: a libc calls uk_syscall6(SYS_read, ...) below; with a
 * constant number the switch folds away at compile time and what remains is
 * a direct call of uk_syscall_r_read, which whole-program LTO can inline.
 * Binary path: the `syscall` instruction enters uk_syscall_binary() (lib
 * uksyscallbin), which indexes uk_syscall_table[].
 */
#ifndef UK_SYSCALL_H
#define UK_SYSCALL_H

#include <uk/arch/syscall_list.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef long (*uk_syscall_fn_t)(long, long, long, long, long, long);

/* The frame of the binary-path call the current thread is in (the
 * architecture's registers: include <uk/arch/syscall.h> to read them), or
 * NULL on the native path. Valid until the implementation first blocks. */
struct ukarch_syscall_frame;
struct ukarch_syscall_frame *uk_syscall_frame_current(void);

/* Declarations of every call's entry point (also of the calls the
 * architecture has no number for, UK_SYSCALL_NONUM_LIST). */
#define UK_SYSCALL_DECL_(nr, name) \
	long uk_syscall_r_##name(long, long, long, long, long, long);
UK_SYSCALL_LIST(UK_SYSCALL_DECL_)
#undef UK_SYSCALL_DECL_
#define UK_SYSCALL_DECL_NONUM_(name) \
	long uk_syscall_r_##name(long, long, long, long, long, long);
UK_SYSCALL_NONUM_LIST(UK_SYSCALL_DECL_NONUM_)
#undef UK_SYSCALL_DECL_NONUM_

/* -ENOSYS for call number `nr`; logs its name the first time. */
long uk_syscall_enosys(long nr);

/* The call's name ("read"), or NULL for a number Linux does not define. */
const char *uk_syscall_name(long nr);

/* Native dispatch of call `n` whatever its value: uk_syscall6() with a
 * number that is not a compile-time constant. */
long uk_syscall_dispatch(long n, long a, long b, long c, long d, long e,
			 long f);

/* The switch both dispatchers are: each listed number to its
 * implementation with the arguments a..f in scope, anything else to
 * uk_syscall_enosys(). */
#define UK_SYSCALL_CASE_(nr, name) \
	case nr:                   \
		return uk_syscall_r_##name(a, b, c, d, e, f);
#define UK_SYSCALL_SWITCH_(n)                     \
	switch (n) {                              \
		UK_SYSCALL_LIST(UK_SYSCALL_CASE_) \
	default:                                  \
		return uk_syscall_enosys(n);      \
	}

/* Native dispatch; see above. Only a constant number gets the switch
 * inline (it folds to one call): any other call site shares
 * uk_syscall_dispatch(), whose switch (about 10 KB with its jump table)
 * would otherwise be copied into every one of them. */
static inline __attribute__((always_inline)) long
uk_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	if (!__builtin_constant_p(n))
		return uk_syscall_dispatch(n, a, b, c, d, e, f);
	UK_SYSCALL_SWITCH_(n)
}

/* --- work on the way out of a call (signals) ----------------------------- */

/*
 * An implementation that was interrupted (a signal arrived while it
 * blocked) and may be made again returns -UK_ERESTARTSYS: on the way out
 * it becomes -EINTR when a signal handler without SA_RESTART runs, and the
 * call is made again otherwise (Linux's ERESTARTSYS). Callers of a libc
 * never see it. Calls that must not restart (poll, nanosleep, sigsuspend,
 * ...) return -EINTR themselves.
 */
#define UK_ERESTARTSYS 512

/*
 * Non-zero when some thread may have work to do before its system call
 * returns (a signal to handle, a context to restore). Both entry paths test
 * it after every call and only then call the exit functions below; the
 * signal layer (posixprocess) sets and clears it. 0 in images without it.
 */
extern volatile int uk_syscall_exit_work;

/*
 * Native path: called with a call's result when uk_syscall_exit_work is
 * set. Returns the result for the caller (e.g. -EINTR for an interrupted
 * call), or -UK_ERESTARTSYS to have the same call made again; handlers of
 * pending signals have run by then. Weak default: `ret`.
 */
long uk_syscall_exit_native(long ret);

/*
 * Binary path: called by the architecture's entry (`syscall`, `svc #0`)
 * with the thread's frame and the call's result when uk_syscall_exit_work
 * is set, before the registers are restored from the frame (every one of
 * them, callee-saved ones and the FPU state at ukarch_syscall_frame_fpu(f)
 * included; x86_64 then returns with iretq, arm64 with eret). Returns the
 * value for the result register (rax, x0); may rewrite the frame to enter
 * a signal handler, to restore a context (rt_sigreturn) or to make the
 * call again. Weak default: `ret`.
 */
long uk_syscall_exit_binary(struct ukarch_syscall_frame *f, long ret);

/* (The FPU state the binary entry saved below its frame, and restores on
 * the way out: ukarch_syscall_frame_fpu() of <uk/arch/syscall.h>.) */

/*
 * uk_syscall6() followed by the exit work: what a libc's system call
 * wrapper uses (musl's syscall_arch.h in unikit). Costs one load and a
 * branch when no signal is around.
 */
static inline __attribute__((always_inline)) long
uk_syscall6_exit(long n, long a, long b, long c, long d, long e, long f)
{
	long r;

	/* bounded by the signals that keep arriving, as on Linux */
	for (;;) {
		r = uk_syscall6(n, a, b, c, d, e, f);
		if (__builtin_expect(!uk_syscall_exit_work, 1))
			return r;
		r = uk_syscall_exit_native(r);
		if (r != -UK_ERESTARTSYS)
			return r;
	}
}

/* --- UK_SYSCALL_R_DEFINE ------------------------------------------------ */

#define UK_SC_NARG_(...) \
	UK_SC_NARG__(0, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define UK_SC_NARG__(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, N, \
		     ...)                                                      \
	N
#define UK_SC_CAT_(a, b)  UK_SC_CAT__(a, b)
#define UK_SC_CAT__(a, b) a##b

#define UK_SC_PARAMS_0()		       void
#define UK_SC_PARAMS_2(t1, a1)		       t1 a1
#define UK_SC_PARAMS_4(t1, a1, t2, a2)	       t1 a1, t2 a2
#define UK_SC_PARAMS_6(t1, a1, t2, a2, t3, a3) t1 a1, t2 a2, t3 a3
#define UK_SC_PARAMS_8(t1, a1, t2, a2, t3, a3, t4, a4) \
	t1 a1, t2 a2, t3 a3, t4 a4
#define UK_SC_PARAMS_10(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5
#define UK_SC_PARAMS_12(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6

#define UK_SC_CASTS_0()
#define UK_SC_CASTS_2(t1, a1)		      (t1) _a0
#define UK_SC_CASTS_4(t1, a1, t2, a2)	      (t1) _a0, (t2)_a1
#define UK_SC_CASTS_6(t1, a1, t2, a2, t3, a3) (t1) _a0, (t2)_a1, (t3)_a2
#define UK_SC_CASTS_8(t1, a1, t2, a2, t3, a3, t4, a4) \
	(t1) _a0, (t2)_a1, (t3)_a2, (t4)_a3
#define UK_SC_CASTS_10(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	(t1) _a0, (t2)_a1, (t3)_a2, (t4)_a3, (t5)_a4
#define UK_SC_CASTS_12(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	(t1) _a0, (t2)_a1, (t3)_a2, (t4)_a3, (t5)_a4, (t6)_a5

#define UK_SC_PARAMS_(...) \
	UK_SC_CAT_(UK_SC_PARAMS_, UK_SC_NARG_(__VA_ARGS__))(__VA_ARGS__)
#define UK_SC_CASTS_(...) \
	UK_SC_CAT_(UK_SC_CASTS_, UK_SC_NARG_(__VA_ARGS__))(__VA_ARGS__)

/*
 * UK_SYSCALL_R_DEFINE(rtype, name, type1, arg1, ..., type6, arg6) { body }
 * The body returns rtype: a result, or a negative errno.
 */
#define UK_SYSCALL_R_DEFINE(rtype, name, ...)                                 \
	static inline rtype uk_syscall_do_##name(UK_SC_PARAMS_(__VA_ARGS__)); \
	long uk_syscall_r_##name(long _a0, long _a1, long _a2, long _a3,      \
				 long _a4, long _a5)                          \
	{                                                                     \
		(void)_a0, (void)_a1, (void)_a2, (void)_a3, (void)_a4,        \
			(void)_a5;                                            \
		return (long)uk_syscall_do_##name(UK_SC_CASTS_(__VA_ARGS__)); \
	}                                                                     \
	static inline rtype uk_syscall_do_##name(UK_SC_PARAMS_(__VA_ARGS__))

/* Calling another implementation from C with typed arguments: */
#define uk_syscall_call(name, ...) \
	uk_syscall_call_(name, ##__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define uk_syscall_call_(name, a, b, c, d, e, f, ...)                   \
	uk_syscall_r_##name((long)(a), (long)(b), (long)(c), (long)(d), \
			    (long)(e), (long)(f))
/* The same with the exit work (signal handlers, restarts), for a libc's
 * own wrappers (newlib glue): */
#define uk_syscall_call_exit(name, ...) \
	uk_syscall_call_exit_(name, ##__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define uk_syscall_call_exit_(name, a, b, c, d, e, f, ...)           \
	uk_syscall6_exit(UK_SYSCALL_NR_##name, (long)(a), (long)(b), \
			 (long)(c), (long)(d), (long)(e), (long)(f))

#ifdef __cplusplus
}
#endif

#endif /* UK_SYSCALL_H */
