/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread contexts: what a scheduler saves when it switches threads, and how a
 * new thread's first switch is prepared. arm64: the callee-saved registers
 * (x19-x30) live on the thread's own stack; the FP/SIMD state (q0-q31,
 * FPCR, FPSR) in the context itself.
 */
#ifndef UK_ARCH_CTX_H
#define UK_ARCH_CTX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Saved state of a thread that is not running. Layout known to src/ctx.S:
 * sp at 0; at 16 the 32 q registers, then FPCR and FPSR. */
struct ukarch_ctx {
	uint64_t sp;
	uint64_t pad;
	uint8_t fpstate[32 * 16 + 16];
} __attribute__((aligned(16)));

/*
 * Save the running thread's state into `prev` and resume `next` (returns
 * when something switches back to `prev`). Both MUST be 16-aligned; `next`
 * MUST come from a previous switch or from ukarch_ctx_init().
 */
void ukarch_ctx_switch(struct ukarch_ctx *prev, struct ukarch_ctx *next);

/*
 * Prepare `ctx` so that the first switch to it calls fn(arg) on the stack
 * ending at `stack_top` (rounded down to 16), with the default FP state
 * (FPCR 0: round to nearest, no traps; all vector registers zero). The
 * initial frame is written just below stack_top. fn MUST NOT return.
 */
void ukarch_ctx_init(struct ukarch_ctx *ctx, uintptr_t stack_top,
		     void (*fn)(void *), void *arg);

/* Continue on the stack ending at `stack_top` (16-aligned) in fn(), with no
 * frame above it; for code whose own stack is about to go away. */
static inline __attribute__((noreturn)) void
ukarch_run_on_stack(void *stack_top, void (*fn)(void))
{
	__asm__ __volatile__("mov sp, %0\n\t"
			     "mov x29, xzr\n\t"
			     "blr %1\n\t"
			     "brk #1"
			     :
			     : "r"(stack_top), "r"(fn)
			     : "memory");
	__builtin_unreachable();
}

#ifdef __cplusplus
}
#endif
#endif /* UK_ARCH_CTX_H */
