/* SPDX-License-Identifier: BSD-3-Clause */
/* IDT and TSS for kvm/x86_64, and the fatal exception handler. */
#include <stdint.h>
#include <string.h>
#include <uk/arch/regs.h>
#include <uk/arch/x86_64.h>
#include <uk/crash.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/stack.h>
#include <uk/print.h>
#include "stackreg.h"
#include "kvm.h"
#include "intctrl.h"

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct tss {
	uint32_t rsv0;
	uint64_t rsp[3];
	uint64_t rsv1;
	uint64_t ist[7];
	uint64_t rsv2;
	uint16_t rsv3, iomap;
} __attribute__((packed));

extern const uint64_t ukplat_kvm_trap_table[32];
extern uint64_t ukplat_kvm_gdt[];
extern char ukplat_kvm_boot_stack_bottom[], ukplat_kvm_boot_stack_top[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
/* Exceptions that can hit with a broken stack get a known-good one: #NMI,
 * #DF and #MC on one, page faults (a stack overflow is one) on another.
 * Device interrupts (vectors 32-255) run on a third: code compiled for Linux
 * runs here in ring 0 and keeps live data in the 128 bytes below its rsp (the
 * red zone), which an interrupt frame pushed on its stack would overwrite.
 * Interrupt handlers run with interrupts off, so the stack is never nested.
 * Each with an unmapped guard page below it (x86_64/paging.c). */
#define IST_SIZE KVM_IST_SIZE
char ukplat_kvm_ist_area[3][4096 + IST_SIZE] __attribute__((aligned(4096)));
#define ist_stack     (ukplat_kvm_ist_area[0] + 4096)
#define ist_pf_stack  (ukplat_kvm_ist_area[1] + 4096)
#define ist_irq_stack (ukplat_kvm_ist_area[2] + 4096)

#define IST_FATAL 1
#define IST_PF	  2
#define IST_IRQ	  3

static void set_gate(int v, uint64_t h, int ist)
{
	idt[v].off_lo = (uint16_t)h;
	idt[v].sel = 0x08;
	idt[v].ist = (uint8_t)ist;
	idt[v].type = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	idt[v].off_mid = (uint16_t)(h >> 16);
	idt[v].off_hi = (uint32_t)(h >> 32);
	idt[v].zero = 0;
}

extern const char ukplat_kvm_irq_stubs[];

/* Vectors 32-255: filled only when interrupts are first set up; until then
 * they are not present and a stray vector would fault (#NP), not vanish. */
void kvm_idt_set_irq_stubs(void)
{
	for (int v = 32; v < 256; v++)
		set_gate(v,
			 (uint64_t)(uintptr_t)ukplat_kvm_irq_stubs +
				 (uint64_t)(v - 32) * 16,
			 IST_IRQ);
}

void kvm_cpu_init(void)
{
	/* The firmware may leave the legacy PIC unmasked at its BIOS vectors:
	 * a PIT tick would arrive as vector 8 and pass for a double fault the
	 * first time anything enables interrupts before the interrupt
	 * controllers are set up (intctrl.c remaps the PIC then). Mask it. */
	ukarch_outb(0x21, 0xff);
	ukarch_outb(0xa1, 0xff);

	/* TSS descriptor at GDT selector 0x18 (two slots). */
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.ist[IST_FATAL - 1] = (uint64_t)(ist_stack + IST_SIZE);
	tss.ist[IST_PF - 1] = (uint64_t)(ist_pf_stack + IST_SIZE);
	tss.ist[IST_IRQ - 1] = (uint64_t)(ist_irq_stack + IST_SIZE);
	tss.iomap = sizeof(tss);
	ukplat_kvm_gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			    (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
			    (((base >> 24) & 0xff) << 56);
	ukplat_kvm_gdt[4] = base >> 32;
	__asm__ __volatile__("ltr %w0" : : "r"(0x18));

	/* #NMI, #DF and #MC on one IST stack, page faults on another */
	for (int v = 0; v < 32; v++)
		set_gate(v, ukplat_kvm_trap_table[v],
			 (v == 2 || v == 8 || v == 18) ? IST_FATAL
			 : v == 14		       ? IST_PF
						       : 0);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ __volatile__("lidt %0" : : "m"(ptr));
}

void ukplat_tlsp_set(void *tp)
{
	ukarch_wrmsr(0xc0000100u /* IA32_FS_BASE */, (uint64_t)(uintptr_t)tp);
}

int ukplat_syscall_enable(void (*entry)(void))
{
	ukarch_wrmsr(0xc0000081u /* STAR: CS 0x08, SS 0x10 */, 0x08ull << 32);
	ukarch_wrmsr(0xc0000082u /* LSTAR */, (uint64_t)(uintptr_t)entry);
	/* FMASK clears TF, DF and AC; the interrupt flag stays the caller's
	 * (device interrupts run on their own stack) */
	ukarch_wrmsr(0xc0000084u /* FMASK */, 0x40500ull);
	ukarch_wrmsr(0xc0000080u /* EFER */,
		     ukarch_rdmsr(0xc0000080u) | 1 /* SCE */);
	return 0;
}

uintptr_t ukplat_stack_top(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t reg_top = kvm_registered_stack_top(sp);

	if (reg_top)
		return reg_top;
	uintptr_t ist_lo = (uintptr_t)ist_stack;
	uintptr_t pf_lo = (uintptr_t)ist_pf_stack;

	if (sp >= ist_lo && sp < ist_lo + IST_SIZE)
		return ist_lo + IST_SIZE;
	uintptr_t irq_lo = (uintptr_t)ist_irq_stack;

	if (sp >= pf_lo && sp < pf_lo + IST_SIZE)
		return pf_lo + IST_SIZE;
	if (sp >= irq_lo && sp < irq_lo + IST_SIZE)
		return irq_lo + IST_SIZE;
	return (uintptr_t)ukplat_kvm_boot_stack_top;
}

static const char *const exc_names[32] = {
	"divide error (#DE)",
	"debug (#DB)",
	"non-maskable interrupt",
	"breakpoint (#BP)",
	"overflow (#OF)",
	"bound range exceeded (#BR)",
	"invalid opcode (#UD)",
	"device not available (#NM)",
	"double fault (#DF)",
	"coprocessor segment overrun",
	"invalid TSS (#TS)",
	"segment not present (#NP)",
	"stack-segment fault (#SS)",
	"general protection fault (#GP)",
	"page fault (#PF)",
	"reserved vector 15",
	"x87 floating-point error (#MF)",
	"alignment check (#AC)",
	"machine check (#MC)",
	"SIMD floating-point exception (#XM)",
	"virtualization exception (#VE)",
	"control protection (#CP)",
};

void ukplat_kvm_trap(struct ukarch_regs *r);
void ukplat_kvm_trap(struct ukarch_regs *r)
{
	static int nested;
	unsigned v = (unsigned)r->vector;
	const char *name =
		v < 32 && exc_names[v] ? exc_names[v] : "reserved vector";

	if (nested++) {
		/* A fault inside the report: say so and stop, never loop. No
		 * formatting: the report may have faulted by running its stack
		 * into the guard page, and this runs on the same stack again.
		 */
		static const char msg[] =
			"[kvm] CRIT: another exception while reporting a crash "
			"(a bug in the report, or its stack overflowed)\n";
		if (nested == 2)
			ukplat_console_write(msg, sizeof(msg) - 1);
		ukplat_exit(UKPLAT_EXIT_CRASH);
	}
	uk_printk(UK_LOG_CRIT, "kvm",
		  "=== CRASH: %s, vector %u, error code 0x%lx ===", name, v,
		  (unsigned long)r->error_code);
	if (v == 14) {
		uint64_t cr2 = ukarch_read_cr2();

		uk_crash_page_fault((uintptr_t)cr2, r->error_code);
		const char *stack = kvm_stack_guard_name(cr2);
		if (!stack)
			stack = kvm_registered_guard_name(cr2);
		if (stack)
			uk_printk(UK_LOG_CRIT, "kvm",
				  "stack overflow: %s ran into its guard page",
				  stack);
	}
	/* Walk the frames only if the faulting code ran on a stack whose
	 * bounds are known: the boot stack or main()'s. */
	uintptr_t lo = (uintptr_t)ukplat_kvm_boot_stack_bottom;
	uintptr_t hi = (uintptr_t)ukplat_kvm_boot_stack_top;
	uintptr_t walk = 0;

	if (r->rsp >= lo && r->rsp < hi)
		walk = hi;
	else
		walk = kvm_registered_stack_top(r->rsp);
	uk_crash_report(r, walk);
	kvm_core_dump(r, v == 14 ? ukarch_read_cr2() : 0);
	ukplat_exit(UKPLAT_EXIT_CRASH);
}
