/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread contexts: what a scheduler saves when it switches threads, and how a
 * new thread's first switch is prepared. x86_64: the callee-saved registers
 * live on the thread's own stack; the x87/MMX/SSE state (fxsave format) in
 * the context itself.
 */
#ifndef UK_ARCH_CTX_H
#define UK_ARCH_CTX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Saved state of a thread that is not running. Layout known to
 * src/ctx.S: sp at 0, the fxsave area at 16. */
struct ukarch_ctx {
	uint64_t sp;
	uint64_t pad;
	uint8_t fpstate[512];
} __attribute__((aligned(16)));

/*
 * Save the running thread's state into `prev` and resume `next` (returns
 * when something switches back to `prev`). Both MUST be 16-aligned; `next`
 * MUST come from a previous switch or from ukarch_ctx_init().
 */
void ukarch_ctx_switch(struct ukarch_ctx *prev, struct ukarch_ctx *next);

/*
 * Prepare `ctx` so that the first switch to it calls fn(arg) on the stack
 * ending at `stack_top` (rounded down to 16), with the default FPU state
 * (x87 control word 0x37f, MXCSR 0x1f80: every exception masked). The
 * initial frame is written just below stack_top. fn MUST NOT return.
 */
void ukarch_ctx_init(struct ukarch_ctx *ctx, uintptr_t stack_top,
		     void (*fn)(void *), void *arg);

/* Continue on the stack ending at `stack_top` (16-aligned) in fn(), with no
 * frame above it; for code whose own stack is about to go away. */
static inline __attribute__((noreturn)) void
ukarch_run_on_stack(void *stack_top, void (*fn)(void))
{
	__asm__ __volatile__("movq %0, %%rsp\n\t"
			     "xorl %%ebp, %%ebp\n\t"
			     "call *%1\n\t"
			     "ud2"
			     :
			     : "r"(stack_top), "r"(fn)
			     : "memory");
	__builtin_unreachable();
}

#ifdef __cplusplus
}
#endif
#endif /* UK_ARCH_CTX_H */
