/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <uk/arch/ctx.h>

void ukarch_ctx_trampoline(void);

void ukarch_ctx_init(struct ukarch_ctx *ctx, uintptr_t stack_top,
		     void (*fn)(void *), void *arg)
{
	uint16_t fcw = 0x037f;	 /* x87: all exceptions masked, 64-bit */
	uint32_t mxcsr = 0x1f80; /* SSE: all exceptions masked, nearest */
	uint64_t *sp = (uint64_t *)(stack_top & ~(uintptr_t)15);

	/* A fresh CPU's state after fninit, with the SSE exceptions masked.
	 * fxsave layout: FCW at 0, MXCSR at 24. */
	memset(ctx->fpstate, 0, sizeof(ctx->fpstate));
	memcpy(&ctx->fpstate[0], &fcw, sizeof(fcw));
	memcpy(&ctx->fpstate[24], &mxcsr, sizeof(mxcsr));

	/* As ukarch_ctx_switch pops it: r15 r14 r13(= fn) r12(= arg) rbx
	 * rbp, the return address (the trampoline), then two zero words so
	 * that the trampoline runs with a 16-aligned rsp and a NULL "return
	 * address" above it. */
	*--sp = 0;
	*--sp = 0;
	*--sp = (uint64_t)(uintptr_t)ukarch_ctx_trampoline;
	*--sp = 0;			  /* rbp */
	*--sp = 0;			  /* rbx */
	*--sp = (uint64_t)(uintptr_t)arg; /* r12 */
	*--sp = (uint64_t)(uintptr_t)fn;  /* r13 */
	*--sp = 0;			  /* r14 */
	*--sp = 0;			  /* r15 */
	ctx->sp = (uint64_t)(uintptr_t)sp;
}
