/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signal frames of x86_64: Linux's rt_sigframe built on a loaded program's
 * stack (binary path), its undoing by rt_sigreturn, and the register moves
 * between the `syscall` frame and struct ukarch_regs.
 *
 * The frame, from the handler's rsp up: the return address (the action's
 * sa_restorer, musl's __restore_rt / glibc's __restore_rt, or ours when
 * the program gave none), struct ucontext (flags, link, the alternate
 * stack, the interrupted registers as struct sigcontext, the mask to go
 * back to), siginfo_t; above it, 16-byte aligned, the FPU state (fxsave,
 * 512 bytes) that uc_mcontext.fpregs points at. 128 bytes below the
 * interrupted rsp are left alone (the red zone).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/process.h>
#include "../signal_impl.h"

/* struct sigcontext (x86_64), 256 bytes; the same as mcontext_t */
struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct k_sigcontext) == 256, "struct sigcontext");

struct k_ucontext {
	uint64_t flags;
	uint64_t link;
	struct pp_stack stack;
	struct k_sigcontext mc;
	uint64_t sigmask;
};
_Static_assert(offsetof(struct k_ucontext, sigmask) == 296, "ucontext");

struct k_rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	struct pp_siginfo info;
};

#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4
#define FXSAVE_SIZE	     512
#define RED_ZONE	     128
/* rflags bits a program may change (Linux's FIX_EFLAGS) */
#define USER_FLAGS 0x50dd5UL /* AC OF DF TF SF ZF AF PF CF RF */
#define FLAG_TF	   0x100UL
#define FLAG_DF	   0x400UL
#define FLAG_RF	   0x10000UL

void pp_regs_from_frame(struct ukarch_regs *r,
			const struct ukarch_syscall_frame *f)
{
	memset(r, 0, sizeof(*r));
	r->r15 = f->r15, r->r14 = f->r14, r->r13 = f->r13, r->r12 = f->r12;
	r->r11 = f->r11, r->r10 = f->r10, r->r9 = f->r9, r->r8 = f->r8;
	r->rbp = f->rbp, r->rdi = f->rdi, r->rsi = f->rsi, r->rdx = f->rdx;
	r->rcx = f->rcx, r->rbx = f->rbx, r->rax = f->rax;
	r->rip = f->rip, r->rflags = f->rflags, r->rsp = f->rsp;
	r->cs = 0x08, r->ss = 0x10;
}

void pp_regs_to_frame(struct ukarch_syscall_frame *f,
		      const struct ukarch_regs *r)
{
	f->r15 = r->r15, f->r14 = r->r14, f->r13 = r->r13, f->r12 = r->r12;
	f->r11 = r->r11, f->r10 = r->r10, f->r9 = r->r9, f->r8 = r->r8;
	f->rbp = r->rbp, f->rdi = r->rdi, f->rsi = r->rsi, f->rdx = r->rdx;
	f->rcx = r->rcx, f->rbx = r->rbx, f->rax = r->rax;
	f->rip = r->rip, f->rflags = r->rflags, f->rsp = r->rsp;
}

void pp_regs_set_result(struct ukarch_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

long pp_regs_result(const struct ukarch_regs *r)
{
	return (long)r->rax;
}

void pp_regs_restart(struct ukarch_regs *r,
		     const struct ukarch_syscall_frame *f)
{
	r->rip -= 2;	 /* `syscall` is 2 bytes: make it again */
	r->rax = f->rax; /* the call number */
}

int pp_frame_setup(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		   int sig, const struct pp_siginfo *info,
		   const struct pp_sigaction *a, uint64_t restore)
{
	struct pp_stack saved;
	struct k_rt_sigframe *f;
	uintptr_t sp = r->rsp - RED_ZONE, top, lo = 0;
	uint8_t *fp;

	pp_pick_stack(t, a, sp, &saved, &top);
	if (top) {
		lo = top - saved.size;
		sp = top;
	} else if (saved.flags & SS_ONSTACK_) {
		lo = (uintptr_t)saved.sp; /* a handler on it already */
	}
	sp = (sp - FXSAVE_SIZE) & ~(uintptr_t)63;
	fp = (uint8_t *)sp;
	sp -= sizeof(*f);
	sp = (sp & ~(uintptr_t)15) - 8; /* as after a call: (rsp + 8) % 16 */
	if (lo && sp <= lo)
		return -EFAULT; /* the alternate stack overflows */
	f = (struct k_rt_sigframe *)sp;

	memcpy(fp, fx, FXSAVE_SIZE);
	memset(fp + 464, 0, FXSAVE_SIZE - 464); /* no xsave extension */
	memset(f, 0, sizeof(*f));
	f->pretcode = (a->flags & SA_RESTORER_) && a->restorer
			      ? a->restorer
			      : (uint64_t)(uintptr_t)uk_process_sigreturn_tramp;
	f->uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f->uc.stack = saved;
	f->uc.mc.r8 = r->r8, f->uc.mc.r9 = r->r9, f->uc.mc.r10 = r->r10;
	f->uc.mc.r11 = r->r11, f->uc.mc.r12 = r->r12, f->uc.mc.r13 = r->r13;
	f->uc.mc.r14 = r->r14, f->uc.mc.r15 = r->r15, f->uc.mc.rdi = r->rdi;
	f->uc.mc.rsi = r->rsi, f->uc.mc.rbp = r->rbp, f->uc.mc.rbx = r->rbx;
	f->uc.mc.rdx = r->rdx, f->uc.mc.rax = r->rax, f->uc.mc.rcx = r->rcx;
	f->uc.mc.rsp = r->rsp, f->uc.mc.rip = r->rip;
	f->uc.mc.eflags = r->rflags;
	f->uc.mc.cs = 0x33, f->uc.mc.ss = 0x2b; /* what Linux programs see */
	f->uc.mc.oldmask = restore;
	f->uc.mc.fpstate = (uint64_t)(uintptr_t)fp;
	f->uc.sigmask = restore;
	f->info = *info;

	r->rdi = (uint64_t)sig;
	r->rsi = (uint64_t)(uintptr_t)&f->info;
	r->rdx = (uint64_t)(uintptr_t)&f->uc;
	r->rax = 0;
	r->rsp = sp;
	r->rip = a->handler;
	r->rflags &= ~(FLAG_DF | FLAG_TF | FLAG_RF);
	return 0;
}

int pp_frame_restore(struct uk_thread *t, struct ukarch_regs *r, void *fx,
		     uintptr_t sp)
{
	const struct k_ucontext *uc = (const struct k_ucontext *)sp;
	const struct k_sigcontext *mc;
	uint32_t mask;

	if (!sp || (sp & 7))
		return -EFAULT;
	mc = &uc->mc;
	r->r8 = mc->r8, r->r9 = mc->r9, r->r10 = mc->r10, r->r11 = mc->r11;
	r->r12 = mc->r12, r->r13 = mc->r13, r->r14 = mc->r14;
	r->r15 = mc->r15, r->rdi = mc->rdi, r->rsi = mc->rsi;
	r->rbp = mc->rbp, r->rbx = mc->rbx, r->rdx = mc->rdx;
	r->rax = mc->rax, r->rcx = mc->rcx, r->rsp = mc->rsp;
	r->rip = mc->rip;
	r->rflags = (r->rflags & ~USER_FLAGS) | (mc->eflags & USER_FLAGS);
	if (mc->fpstate && !(mc->fpstate & 15)) {
		/* MXCSR bits the CPU does not have would make fxrstor
		 * fault: keep them off (MXCSR_MASK at 28, MXCSR at 24) */
		uint8_t *dst = fx;
		memcpy(&mask, dst + 28, 4);
		memcpy(dst, (const void *)(uintptr_t)mc->fpstate, FXSAVE_SIZE);
		if (!mask)
			mask = 0xffbf;
		uint32_t mxcsr;
		memcpy(&mxcsr, dst + 24, 4);
		mxcsr &= mask;
		memcpy(dst + 24, &mxcsr, 4);
		memcpy(dst + 28, &mask, 4);
	}
	pp_set_blocked(t, uc->sigmask);
	pp_restore_altstack(t, sp, &uc->stack);
	return 0;
}
