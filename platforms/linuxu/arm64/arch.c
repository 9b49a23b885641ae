/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu on arm64: the thread pointer (TPIDR_EL0, which user space writes
 * itself) and a fatal signal's registers, from the kernel's ucontext.
 */
#include <stdint.h>
#include <string.h>
#include <uk/arch/regs.h>
#include <uk/crash.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include "linuxu.h"

void linuxu_arch_auxv(long type, long val)
{
	(void)type, (void)val;
}

void ukplat_tlsp_set(void *tp)
{
	__asm__ __volatile__("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}

/*
 * The arm64 ucontext: uc_flags, uc_link, uc_stack (24 bytes), uc_sigmask
 * padded to 1024 bits (128 bytes), then uc_mcontext 16-aligned at 176:
 * fault_address, regs[31], sp, pc, pstate, then (16-aligned, at 288 in
 * uc_mcontext) the records of __reserved (4096 bytes): { u32 magic, u32
 * size } each, the last one's magic 0. An esr_context record carries the
 * fault's ESR_EL1 where the kernel reports it (Debian 12's qemu-user, QEMU
 * 7.2, writes none).
 */
#define MC_OFF	    176
#define RSV_OFF	    (MC_OFF + 288)
#define RSV_SIZE    4096
#define ESR_MAGIC   0x45535201u
#define EXTRA_MAGIC 0x45585401u

static uint64_t uc_esr(const uint8_t *uc)
{
	const uint8_t *p = uc + RSV_OFF, *end = p + RSV_SIZE;

	while (p + 8 <= end) {
		uint32_t magic, size;
		uint64_t esr;

		memcpy(&magic, p, 4);
		memcpy(&size, p + 4, 4);
		if (!magic || size < 8 || size > (size_t)(end - p))
			break;
		if (magic == ESR_MAGIC && size >= 16) {
			memcpy(&esr, p + 8, 8);
			return esr;
		}
		if (magic == EXTRA_MAGIC)
			break; /* what follows is elsewhere; ESR comes first */
		p += size;
	}
	return 0;
}

void linuxu_arch_regs(const void *ucv, int sig, struct ukarch_regs *r)
{
	const uint8_t *mc = (const uint8_t *)ucv + MC_OFF;

	memset(r, 0, sizeof(*r));
	memcpy(&r->far, mc, 8);
	memcpy(r->x, mc + 8, sizeof(r->x));
	memcpy(&r->sp, mc + 8 + 31 * 8, 8);
	memcpy(&r->pc, mc + 8 + 32 * 8, 8);
	memcpy(&r->pstate, mc + 8 + 33 * 8, 8);
	r->esr = uc_esr(ucv);
	r->vector = (uint64_t)sig;
}

void linuxu_arch_crash_line(int sig, const char *what,
			    const struct ukarch_regs *r)
{
	if (r->esr)
		uk_printk(UK_LOG_CRIT, "linuxu",
			  "=== CRASH: %s, signal %d, ESR 0x%08lx ===", what,
			  sig, (unsigned long)r->esr);
	else
		uk_printk(UK_LOG_CRIT, "linuxu",
			  "=== CRASH: %s, signal %d (no ESR from the host) ===",
			  what, sig);
}

/* Whether instruction `i` stores: the load/store group (op0 x1x0), with
 * L (bit 22) clear for pairs, exclusives and SIMD structures, opc (bits
 * 23:22) 00 for single registers (10 too for SIMD&FP: a Q register). */
static int insn_stores(uint32_t i)
{
	unsigned op = (i >> 28) & 3, opc = (i >> 22) & 3;

	if ((i & 0x0a000000) != 0x08000000)
		return 0;
	if (op == 3)
		return opc == 0 || ((i >> 26 & 1) && opc == 2);
	if (op == 1)
		return 0; /* a literal load */
	return !(i >> 22 & 1);
}

extern const char __uk_image_start[], __uk_text_end[];

uint64_t linuxu_arch_fault_access(int sig, int code, uintptr_t addr,
				  const struct ukarch_regs *r)
{
	unsigned ec = (unsigned)(r->esr >> 26) & 0x3f;
	uint64_t bits = 0;

	if (ec >= 0x20 && ec <= 0x25) {
		/* an abort's syndrome, as platforms/kvm/arm64 reads it */
		unsigned fsc = (unsigned)(r->esr & 0x3f);

		if (ec == 0x20 || ec == 0x21)
			bits |= UK_CRASH_PF_FETCH;
		else if (r->esr & (1u << 6)) /* WnR */
			bits |= UK_CRASH_PF_WRITE;
		if ((fsc & 0x3c) == 0x0c || (fsc & 0x3c) == 0x08)
			bits |= UK_CRASH_PF_PRESENT;
		return bits;
	}
	/* No syndrome: a mapped page's fault is SEGV_ACCERR, a fetch faults
	 * at the program counter, and a write is the faulting instruction's
	 * (read where it is in our own code). */
	if (sig == 11 && code == 2 /* SEGV_ACCERR */)
		bits |= UK_CRASH_PF_PRESENT;
	if (addr == r->pc)
		bits |= UK_CRASH_PF_FETCH;
	else if (r->pc >= (uintptr_t)__uk_image_start &&
		 r->pc + 4 <= (uintptr_t)__uk_text_end && !(r->pc & 3) &&
		 insn_stores(*(const uint32_t *)r->pc))
		bits |= UK_CRASH_PF_WRITE;
	return bits;
}
