/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu on x86_64: the FS base (the thread pointer) and a fatal signal's
 * registers, from the kernel's ucontext.
 */
#include <stdint.h>
#include <uk/arch/regs.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include "linuxu.h"
#include "sysno.h"

/* Non-zero when the kernel allows wrfsbase (AT_HWCAP2 FSGSBASE). */
static int fsgsbase;

void linuxu_arch_auxv(long type, long val)
{
	if (type == 26 /* AT_HWCAP2 */ && (val & 2 /* FSGSBASE */))
		fsgsbase = 1;
}

/* The thread pointer: wrfsbase where the kernel allows it (no system call:
 * a scheduler sets it on every switch), else arch_prctl(ARCH_SET_FS). */
#define ARCH_SET_FS 0x1002

void ukplat_tlsp_set(void *tp)
{
	if (fsgsbase) {
		__asm__ __volatile__("wrfsbase %0" : : "r"(tp) : "memory");
		return;
	}
	ukplat_linuxu_syscall(UK_SYSCALL_NR_arch_prctl, ARCH_SET_FS, (long)tp,
			      0, 0, 0, 0);
}

/* uc_mcontext.gregs of the x86_64 ucontext, at 40: r8-r15, rdi, rsi, rbp,
 * rbx, rdx, rax, rcx, rsp, rip, eflags, cs/gs/fs, err, trapno. */
void linuxu_arch_regs(const void *ucv, int sig, struct ukarch_regs *r)
{
	const int64_t *g = (const int64_t *)((const uint8_t *)ucv + 40);

	(void)sig;
	r->r8 = (uint64_t)g[0];
	r->r9 = (uint64_t)g[1];
	r->r10 = (uint64_t)g[2];
	r->r11 = (uint64_t)g[3];
	r->r12 = (uint64_t)g[4];
	r->r13 = (uint64_t)g[5];
	r->r14 = (uint64_t)g[6];
	r->r15 = (uint64_t)g[7];
	r->rdi = (uint64_t)g[8];
	r->rsi = (uint64_t)g[9];
	r->rbp = (uint64_t)g[10];
	r->rbx = (uint64_t)g[11];
	r->rdx = (uint64_t)g[12];
	r->rax = (uint64_t)g[13];
	r->rcx = (uint64_t)g[14];
	r->rsp = (uint64_t)g[15];
	r->rip = (uint64_t)g[16];
	r->rflags = (uint64_t)g[17];
	r->cs = (uint64_t)g[18] & 0xffff;
	r->ss = 0;
	r->error_code = (uint64_t)g[19];
	r->vector = (uint64_t)g[20];
}

void linuxu_arch_crash_line(int sig, const char *what,
			    const struct ukarch_regs *r)
{
	uk_printk(UK_LOG_CRIT, "linuxu",
		  "=== CRASH: %s, signal %d, trap %lu, error code 0x%lx ===",
		  what, sig, (unsigned long)r->vector,
		  (unsigned long)r->error_code);
}

/* The page-fault error code is what <uk/crash.h>'s bits are. */
uint64_t linuxu_arch_fault_access(int sig, int code, uintptr_t addr,
				  const struct ukarch_regs *r)
{
	(void)sig, (void)code, (void)addr;
	return r->error_code;
}
