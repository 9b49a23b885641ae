/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How the image ends: the exit status through Arm semihosting (SYS_EXIT with
 * ADP_Stopped_ApplicationExit: QEMU started with -semihosting exits with the
 * status itself), else the status on the console and a PSCI SYSTEM_OFF (the
 * conduit, hvc or smc, from the device tree's /psci node), else a message
 * and a halted CPU.
 *
 * Whether semihosting is on is probed once at boot: its trap instruction
 * (hlt #0xf000) is an undefined instruction when QEMU does not implement
 * semihosting, and the exception handler then skips it (traps.c).
 */
#include <string.h>
#include <uk/arch/arm64.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/print.h>
#include "kvm_arm64.h"

#define SH_SYS_EXIT			0x18
#define SH_SYS_ERRNO			0x13
#define SH_SYS_WRITE0			0x04
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026

#define PSCI_SYSTEM_OFF	  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

static int semihosting;	 /* 1: available */
static int psci_conduit; /* 0 none, 1 hvc, 2 smc */
static volatile int probing, probe_faulted;

/* Executes the semihosting trap; traps.c skips it if it is undefined. */
__attribute__((noinline, noclone)) static long sh_call(long op, void *arg)
{
	register long x0 __asm__("x0") = op;
	register void *x1 __asm__("x1") = arg;

	__asm__ __volatile__(".globl kvm_arm64_sh_insn\n"
			     "kvm_arm64_sh_insn: hlt #0xf000"
			     : "+r"(x0)
			     : "r"(x1)
			     : "memory");
	return x0;
}
extern const char kvm_arm64_sh_insn[];

int kvm_arm64_semihosting_probe_fault(struct ukarch_regs *r)
{
	if (!probing || r->pc != (uintptr_t)kvm_arm64_sh_insn ||
	    (r->esr >> 26) != 0x00 /* unknown reason: undefined */)
		return 0;
	probe_faulted = 1;
	r->pc += 4;
	return 1;
}

static unsigned long psci_call(uint32_t fn)
{
	register unsigned long x0 __asm__("x0") = fn;

	if (psci_conduit == 1)
		__asm__ __volatile__("hvc #0"
				     : "+r"(x0)::"x1", "x2", "x3", "memory");
	else if (psci_conduit == 2)
		__asm__ __volatile__("smc #0"
				     : "+r"(x0)::"x1", "x2", "x3", "memory");
	return x0;
}

void kvm_arm64_semihosting_init(void)
{
	probing = 1;
	sh_call(SH_SYS_ERRNO, NULL);
	probing = 0;
	semihosting = !probe_faulted;
}

int kvm_arm64_semihosting_write(const char *msg)
{
	if (!semihosting)
		return -1;
	sh_call(SH_SYS_WRITE0, (void *)(uintptr_t)msg);
	return 0;
}

void kvm_arm64_psci_init(const struct fdt *f, const struct fdt_boot *b)
{
	const struct fdt_dev *d = &b->first[FDT_PSCI_1_0];

	if (d->node < 0)
		d = &b->first[FDT_PSCI_0_2];
	if (d->node >= 0) {
		const char *m = fdt_val_string(f, d->method);

		psci_conduit = !m		   ? 0
			       : !strcmp(m, "hvc") ? 1
			       : !strcmp(m, "smc") ? 2
						   : 0;
	}
}

void ukplat_exit(int status)
{
	char msg[64];
	static const char digits[] = "0123456789";
	unsigned st = (unsigned)status & 0xff;

	if (semihosting) {
		uint64_t block[2] = {SH_ADP_STOPPED_APPLICATION_EXIT, st};

		sh_call(SH_SYS_EXIT, block);
	}
	/* "[kvm] exit status N; no semihosting" (no printf: any context) */
	const char *pre = "[kvm] exit status ";
	size_t n = strlen(pre);
	memcpy(msg, pre, n);
	if (st >= 100)
		msg[n++] = digits[st / 100];
	if (st >= 10)
		msg[n++] = digits[st / 10 % 10];
	msg[n++] = digits[st % 10];
	const char *post = "; no semihosting\n";
	memcpy(msg + n, post, strlen(post));
	n += strlen(post);
	ukplat_console_write(msg, n);
	if (psci_conduit)
		psci_call(PSCI_SYSTEM_OFF);
	static const char fail[] =
		"[kvm] CRIT: no way to power off (no semihosting, PSCI "
		"absent or refused): halting\n";
	ukplat_console_write(fail, sizeof(fail) - 1);
	ukarch_halt_forever();
}
