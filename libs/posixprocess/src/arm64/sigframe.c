/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signal frames of arm64: Linux's rt_sigframe built on a loaded program's
 * stack (binary path), its undoing by rt_sigreturn, and the register moves
 * between the `svc #0` frame and struct ukarch_regs.
 *
 * The frame, from the handler's sp up (16-byte aligned): siginfo_t, struct
 * ucontext (flags, link, the alternate stack, the mask to go back to,
 * padding to 1024 bits of mask, then struct sigcontext: fault address,
 * x0-x30, sp, pc, pstate and 4096 bytes of records - an fpsimd_context
 * with q0-q31, FPSR and FPCR, then the terminating empty record), and the
 * frame record {x29, x30} of the interrupted code that the handler's x29
 * points at. The handler returns to x30: the action's sa_restorer, or ours
 * when the program gave none. arm64 has no red zone.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/process.h>
#include "../signal_impl.h"

#define FPSIMD_MAGIC 0x46508001u
#define FPSIMD_SIZE  528u
#define RESERVED     4096u
#define PSTATE_NZCV  0xf0000000UL

struct k_ctx_head {
	uint32_t magic, size;
};

struct k_fpsimd_context {
	struct k_ctx_head head;
	uint32_t fpsr, fpcr;
	uint64_t vregs[64]; /* q0-q31, low half first */
};
_Static_assert(sizeof(struct k_fpsimd_context) == FPSIMD_SIZE,
	       "struct fpsimd_context");

struct k_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint8_t reserved[RESERVED] __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct k_sigcontext, reserved) == 288 &&
		       sizeof(struct k_sigcontext) == 4384,
	       "struct sigcontext");

struct k_ucontext {
	uint64_t flags;
	uint64_t link;
	struct pp_stack stack;
	uint64_t sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct k_sigcontext mc __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct k_ucontext, sigmask) == 40 &&
		       offsetof(struct k_ucontext, mc) == 176,
	       "struct ucontext");

struct k_rt_sigframe {
	struct pp_siginfo info;
	struct k_ucontext uc;
};
_Static_assert(offsetof(struct k_rt_sigframe, uc) == 128 &&
		       sizeof(struct k_rt_sigframe) % 16 == 0,
	       "struct rt_sigframe");

/* The binary entry's save area (archs/arm64/src/syscall_entry.S): q0-q31,
 * then FPCR and FPSR, 64 bits each. */
#define FX_FPCR 512
#define FX_FPSR 520

void pp_regs_from_frame(struct ukarch_regs *r,
			const struct ukarch_syscall_frame *f)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->x, f->x, sizeof(r->x));
	r->sp = f->sp, r->pc = f->pc, r->pstate = f->pstate;
}

void pp_regs_to_frame(struct ukarch_syscall_frame *f,
		      const struct ukarch_regs *r)
{
	memcpy(f->x, r->x, sizeof(f->x));
	f->sp = r->sp, f->pc = r->pc, f->pstate = r->pstate;
}

void pp_regs_set_result(struct ukarch_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

long pp_regs_result(const struct ukarch_regs *r)
{
	return (long)r->x[0];
}

void pp_regs_restart(struct ukarch_regs *r,
		     const struct ukarch_syscall_frame *f)
{
	r->pc -= 4;	   /* `svc #0` is 4 bytes: make it again */
	r->x[0] = f->x[0]; /* the first argument, as the call left it */
}

int pp_frame_setup(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		   int sig, const struct pp_siginfo *info,
		   const struct pp_sigaction *a, uint64_t restore)
{
	struct pp_stack saved;
	struct k_rt_sigframe *f;
	struct k_fpsimd_context *fp;
	uint64_t *record;
	uintptr_t sp = r->sp, top, lo = 0;
	const uint8_t *src = fx;
	uint64_t v;

	pp_pick_stack(t, a, sp, &saved, &top);
	if (top) {
		lo = top - saved.size;
		sp = top;
	} else if (saved.flags & SS_ONSTACK_) {
		lo = (uintptr_t)saved.sp; /* a handler on it already */
	}
	sp = (sp - sizeof(*f) - 16) & ~(uintptr_t)15;
	if (lo && sp <= lo)
		return -EFAULT; /* the alternate stack overflows */
	f = (struct k_rt_sigframe *)sp;
	record = (uint64_t *)(sp + sizeof(*f));

	memset(f, 0, sizeof(*f));
	f->info = *info;
	f->uc.stack = saved;
	f->uc.sigmask = restore;
	memcpy(f->uc.mc.regs, r->x, sizeof(f->uc.mc.regs));
	f->uc.mc.sp = r->sp;
	f->uc.mc.pc = r->pc;
	/* what a program at EL0 would see: the flags (mode and masks 0) */
	f->uc.mc.pstate = r->pstate & PSTATE_NZCV;
	fp = (struct k_fpsimd_context *)f->uc.mc.reserved;
	fp->head.magic = FPSIMD_MAGIC;
	fp->head.size = FPSIMD_SIZE;
	memcpy(fp->vregs, src, sizeof(fp->vregs));
	memcpy(&v, src + FX_FPSR, 8);
	fp->fpsr = (uint32_t)v;
	memcpy(&v, src + FX_FPCR, 8);
	fp->fpcr = (uint32_t)v;
	/* the empty record after it ends the list (memset) */
	record[0] = r->x[29];
	record[1] = r->x[30];

	r->x[0] = (uint64_t)sig;
	r->x[1] = (uint64_t)(uintptr_t)&f->info;
	r->x[2] = (uint64_t)(uintptr_t)&f->uc;
	r->x[29] = (uint64_t)(uintptr_t)record;
	r->x[30] = (a->flags & SA_RESTORER_) && a->restorer
			   ? a->restorer
			   : (uint64_t)(uintptr_t)uk_process_sigreturn_tramp;
	r->sp = sp;
	r->pc = a->handler;
	return 0;
}

int pp_frame_restore(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		     uintptr_t sp)
{
	const struct k_rt_sigframe *f = (const struct k_rt_sigframe *)sp;
	const struct k_sigcontext *mc;
	const struct k_fpsimd_context *fp = NULL;
	uint8_t *dst = fx;
	uint64_t v;

	if (!sp || (sp & 15))
		return -EFAULT;
	mc = &f->uc.mc;
	/* the records: an fpsimd_context is required (as Linux), others
	 * (none written here) are skipped; bounded by the 4096 bytes */
	for (uint32_t off = 0; off + sizeof(struct k_ctx_head) <= RESERVED;) {
		struct k_ctx_head h;

		memcpy(&h, mc->reserved + off, sizeof(h));
		if (!h.magic)
			break;
		if (h.size < sizeof(h) || (h.size & 15) ||
		    h.size > RESERVED - off)
			return -EFAULT;
		if (h.magic == FPSIMD_MAGIC) {
			if (h.size != FPSIMD_SIZE)
				return -EFAULT;
			fp = (const struct k_fpsimd_context *)(mc->reserved +
							       off);
		}
		off += h.size;
	}
	if (!fp)
		return -EFAULT;
	memcpy(r->x, mc->regs, sizeof(r->x));
	r->sp = mc->sp;
	r->pc = mc->pc;
	/* only the flags: the mode and interrupt masks stay ours */
	r->pstate = (r->pstate & ~PSTATE_NZCV) | (mc->pstate & PSTATE_NZCV);
	memcpy(dst, fp->vregs, sizeof(fp->vregs));
	v = fp->fpsr;
	memcpy(dst + FX_FPSR, &v, 8);
	v = fp->fpcr;
	memcpy(dst + FX_FPCR, &v, 8);
	pp_set_blocked(t, f->uc.sigmask);
	pp_restore_altstack(t, sp, &f->uc.stack);
	return 0;
}
