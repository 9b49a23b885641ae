/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <uk/arch/ctx.h>

void ukarch_ctx_trampoline(void);

void ukarch_ctx_init(struct ukarch_ctx *ctx, uintptr_t stack_top,
		     void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~(uintptr_t)15);

	/* FPCR 0 (round to nearest, no traps), FPSR 0, zero registers */
	memset(ctx->fpstate, 0, sizeof(ctx->fpstate));
	/* As ukarch_ctx_switch loads it: x19 (= arg) x20 (= fn) x21-x28,
	 * x29 = 0, x30 = the trampoline; 12 words, 16-aligned. */
	sp -= 12;
	memset(sp, 0, 12 * sizeof(*sp));
	sp[0] = (uint64_t)(uintptr_t)arg;
	sp[1] = (uint64_t)(uintptr_t)fn;
	sp[11] = (uint64_t)(uintptr_t)ukarch_ctx_trampoline;
	ctx->sp = (uint64_t)(uintptr_t)sp;
}
