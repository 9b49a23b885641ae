/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signal frames, the architecture-independent part: alternate stacks (which
 * stack a handler runs on, and setting it back on rt_sigreturn) and
 * handlers called as C functions (native path). The Linux signal frame of a
 * loaded program and rt_sigreturn's undoing of it are the architecture's:
 * src/<arch>/sigframe.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/process.h>
#include "signal_impl.h"

/* Linux's on_sig_stack()/sas_ss_flags() */
static int on_altstack(const struct pp_stack *a, uintptr_t sp)
{
	if (a->flags & (int)SS_AUTODISARM_)
		return 0;
	return sp > (uintptr_t)a->sp && sp - (uintptr_t)a->sp <= a->size;
}

int pp_altstack_flags(struct uk_thread *t, uintptr_t sp)
{
	struct pp_tsig *d = pp_tsig(t);

	if (!d || !d->altstack.size)
		return SS_DISABLE_;
	return on_altstack(&d->altstack, sp) ? SS_ONSTACK_ : 0;
}

/* The alternate stack to run a handler on, as uc_stack records it; *top
 * is where the frame goes (0: stay on the current stack). */
void pp_pick_stack(struct uk_thread *t, const struct pp_sigaction *a,
		   uintptr_t sp, struct pp_stack *saved, uintptr_t *top)
{
	struct pp_tsig *d = pp_tsig(t);

	*top = 0;
	memset(saved, 0, sizeof(*saved));
	saved->flags = SS_DISABLE_;
	if (!d)
		return;
	*saved = d->altstack;
	saved->flags = pp_altstack_flags(t, sp) |
		       (d->altstack.flags & (int)SS_AUTODISARM_);
	if ((a->flags & SA_ONSTACK_) && pp_altstack_flags(t, sp) == 0) {
		*top = (uintptr_t)d->altstack.sp + d->altstack.size;
		if (d->altstack.flags & (int)SS_AUTODISARM_) {
			d->altstack.sp = NULL;
			d->altstack.size = 0;
			d->altstack.flags = SS_DISABLE_;
		}
	}
}

/* Linux's restore_altstack(): set the alternate stack back to what a
 * signal frame recorded, unless running on it (`sp`). */
void pp_restore_altstack(struct uk_thread *t, uintptr_t sp,
			 const struct pp_stack *rec)
{
	struct pp_tsig *d = pp_tsig(t);

	if (d && pp_altstack_flags(t, sp) != SS_ONSTACK_) {
		struct pp_stack s = *rec;
		unsigned mode = (unsigned)s.flags & ~SS_AUTODISARM_;

		if (mode == SS_DISABLE_ || !s.size) {
			d->altstack = (struct pp_stack){NULL, SS_DISABLE_, 0};
		} else if (s.size >= MINSIGSTKSZ_) {
			s.flags &= (int)SS_AUTODISARM_;
			d->altstack = s;
		}
	}
}

void pp_call_native(struct uk_thread *t, int sig, struct pp_siginfo *info,
		    const struct pp_sigaction *a, void *uc)
{
	struct pp_stack saved;
	struct pp_tsig *d = pp_tsig(t);
	uintptr_t top;
	void *fn = (void *)a->handler;

	pp_pick_stack(t, a, (uintptr_t)__builtin_frame_address(0), &saved,
		      &top);
	if (top) {
		uk_process_call_on(fn, sig, info, uc, top & ~(uintptr_t)15);
		/* an auto-disarmed stack comes back, as sigreturn does it */
		if (d && (saved.flags & (int)SS_AUTODISARM_)) {
			saved.flags &= (int)SS_AUTODISARM_;
			d->altstack = saved;
		}
		return;
	}
	((void (*)(int, void *, void *))fn)(sig, info, uc);
}
