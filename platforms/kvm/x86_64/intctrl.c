/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt controllers of kvm/x86_64: the legacy PIC (remapped and masked),
 * the local APIC (x2APIC through MSRs when the CPU has it, else xAPIC through
 * MMIO), the IOAPIC, and the dispatch of vectors 32-255 to handlers.
 * Everything is set up on first use, not at boot.
 *
 * Vectors: 0x20-0x2f PIC (only spurious ones can arrive), 0x30 + GSI for
 * IOAPIC lines, 0xef local APIC timer, 0xfe APIC error, 0xff spurious.
 */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/regs.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include "kvm.h"
#include "intctrl.h"

#define PIC1	      0x20
#define PIC2	      0xa0
#define IOAPIC_BASE   0xfec00000ul
#define LAPIC_BASE    0xfee00000ul
#define MSR_APIC_BASE 0x1b

#define APIC_ID	       0x20
#define APIC_TPR       0x80
#define APIC_EOI       0xb0
#define APIC_SVR       0xf0
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_ESR       0x280
#define LVT_MASKED     (1u << 16)

static int initialised;
static int x2apic;
static unsigned ioapic_pins;
static uint32_t bsp_apic_id;

static struct {
	unsigned irq;
	ukplat_irq_handler_t fn;
	void *arg;
} handlers[UKPLAT_IRQ_HANDLERS_MAX];
static unsigned line_users[KVM_IOAPIC_MAX_PINS];
static struct ukplat_irq_stats stats;
static void (*timer_fn)(void);
static void (*return_hook)(struct ukarch_regs *r, void *fx);
extern char __uk_image_start[], __uk_image_end[];

/* ---- local APIC ---- */

uint32_t kvm_lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)ukarch_rdmsr(0x800 + (reg >> 4));
	return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

void kvm_lapic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		ukarch_wrmsr(0x800 + (reg >> 4), v);
	else
		*(volatile uint32_t *)(LAPIC_BASE + reg) = v;
}

/* ---- IOAPIC ---- */

/*
 * GSIs 0-23 are the inputs of the IOAPIC at 0xfec00000. QEMU's microvm
 * (ioapic2=on, its default with ACPI) adds a second one at 0xfec10000 with
 * GSIs 24-47, where its virtio-mmio transports are wired; it is used when
 * a plausible IOAPIC answers there (version 0x11 or 0x20).
 */
#define IOAPIC2_BASE 0xfec10000ul
static uintptr_t ioapic_at[2] = {IOAPIC_BASE, IOAPIC2_BASE};
static unsigned ioapic_first_pins; /* GSIs on the first IOAPIC */

static uint32_t ioapic_read_at(uintptr_t base, uint32_t reg)
{
	*(volatile uint32_t *)base = reg;
	return *(volatile uint32_t *)(base + 0x10);
}

static void ioapic_write_at(uintptr_t base, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)base = reg;
	*(volatile uint32_t *)(base + 0x10) = v;
}

static uint32_t ioapic_read(uint32_t reg)
{
	return ioapic_read_at(IOAPIC_BASE, reg);
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	ioapic_write_at(IOAPIC_BASE, reg, v);
}

static void ioapic_route(unsigned pin, int mode, int masked)
{
	uint32_t lo = KVM_VEC_IRQ_BASE + pin;
	if (pin >= ioapic_first_pins) {
		unsigned p2 = pin - ioapic_first_pins;
		if (mode == UKPLAT_IRQ_LEVEL_LOW)
			lo |= (1u << 13) | (1u << 15);
		if (masked)
			lo |= LVT_MASKED;
		ioapic_write_at(ioapic_at[1], 0x11 + 2 * p2, bsp_apic_id << 24);
		ioapic_write_at(ioapic_at[1], 0x10 + 2 * p2, lo);
		return;
	}

	if (mode == UKPLAT_IRQ_LEVEL_LOW)
		lo |= (1u << 13) | (1u << 15); /* active low, level */
	if (masked)
		lo |= LVT_MASKED;
	ioapic_write(0x11 + 2 * pin, bsp_apic_id << 24);
	ioapic_write(0x10 + 2 * pin, lo);
}

/* ---- set-up ---- */

int kvm_intctrl_init(void)
{
	uint32_t id[4];

	if (initialised)
		return 0;
	kvm_map_low_4g();
	kvm_idt_set_irq_stubs();

	/* PIC: remap to 0x20/0x28 (so stray PIC vectors are not taken for
	 * exceptions), then mask every line. Absent PICs ignore this. */
	ukarch_outb(PIC1, 0x11);
	ukarch_outb(PIC2, 0x11);
	ukarch_outb(PIC1 + 1, KVM_VEC_PIC_BASE);
	ukarch_outb(PIC2 + 1, KVM_VEC_PIC_BASE + 8);
	ukarch_outb(PIC1 + 1, 4);
	ukarch_outb(PIC2 + 1, 2);
	ukarch_outb(PIC1 + 1, 1);
	ukarch_outb(PIC2 + 1, 1);
	ukarch_outb(PIC1 + 1, 0xff);
	ukarch_outb(PIC2 + 1, 0xff);

	ukarch_cpuid(1, id);
	if (!(id[3] & (1u << 9))) {
		uk_pr_err("this CPU has no local APIC: no interrupts");
		return -ENODEV;
	}
	uint64_t base = ukarch_rdmsr(MSR_APIC_BASE);
	base |= 1u << 11; /* global enable */
	if (id[2] & (1u << 21)) {
		base |= 1u << 10;
		x2apic = 1;
	}
	ukarch_wrmsr(MSR_APIC_BASE, base);
	if (!x2apic && (base & ~0xfffull & 0xffffffffffull) != LAPIC_BASE)
		uk_pr_warn("local APIC at %#lx, not at the usual address",
			   (unsigned long)(base & ~0xfffull));

	bsp_apic_id = x2apic ? kvm_lapic_read(APIC_ID)
			     : kvm_lapic_read(APIC_ID) >> 24;
	kvm_lapic_write(APIC_TPR, 0);
	kvm_lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	kvm_lapic_write(APIC_LVT_LINT1, LVT_MASKED);
	kvm_lapic_write(APIC_LVT_ERROR, KVM_VEC_APIC_ERROR);
	kvm_lapic_write(APIC_SVR, (1u << 8) | KVM_VEC_SPURIOUS);

	/* IOAPIC: mask every pin. */
	uint32_t ver = ioapic_read(1);
	if (ver == 0xffffffffu) {
		uk_pr_warn("no IOAPIC found: device interrupts unavailable");
		ioapic_pins = 0;
	} else {
		ioapic_pins = ((ver >> 16) & 0xff) + 1;
		if (ioapic_pins > 24)
			ioapic_pins = 24;
		ioapic_first_pins = ioapic_pins;
		uint32_t v2 = ioapic_read_at(IOAPIC2_BASE, 1);
		if (ioapic_pins == 24 &&
		    ((v2 & 0xff) == 0x11 || (v2 & 0xff) == 0x20) &&
		    ((v2 >> 16) & 0xff) == 23)
			ioapic_pins = 48; /* microvm's second IOAPIC */
		for (unsigned p = 0; p < ioapic_pins; p++)
			ioapic_route(p, UKPLAT_IRQ_EDGE_HIGH, 1);
	}
	initialised = 1;
	uk_pr_debug("interrupts: %s, APIC id %u, IOAPIC(s) with %u pins",
		    x2apic ? "x2APIC" : "xAPIC", bsp_apic_id, ioapic_pins);
	return 0;
}

void kvm_intctrl_set_timer_fn(void (*fn)(void))
{
	timer_fn = fn;
}

/* ---- registration ---- */

int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	unsigned long f;
	int rc = kvm_intctrl_init();

	if (rc < 0)
		return rc;
	if (irq >= ioapic_pins || !handler)
		return -EINVAL;
	f = ukplat_lcpu_save_irqf();
	for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX; i++) {
		if (handlers[i].fn)
			continue;
		handlers[i].irq = irq;
		handlers[i].arg = arg;
		handlers[i].fn = handler;
		if (line_users[irq]++ == 0)
			ioapic_route(irq, mode, 0);
		ukplat_lcpu_restore_irqf(f);
		return 0;
	}
	ukplat_lcpu_restore_irqf(f);
	return -ENOMEM;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t handler,
			void *arg)
{
	return ukplat_irq_register_mode(irq, handler, arg,
					UKPLAT_IRQ_EDGE_HIGH);
}

int ukplat_irq_unregister(unsigned int irq, ukplat_irq_handler_t handler,
			  void *arg)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX; i++) {
		if (handlers[i].fn == handler && handlers[i].arg == arg &&
		    handlers[i].irq == irq) {
			handlers[i].fn = NULL;
			if (--line_users[irq] == 0)
				ioapic_route(irq, UKPLAT_IRQ_EDGE_HIGH, 1);
			ukplat_lcpu_restore_irqf(f);
			return 0;
		}
	}
	ukplat_lcpu_restore_irqf(f);
	return -ENOENT;
}

void ukplat_irq_stats(struct ukplat_irq_stats *out)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	*out = stats;
	ukplat_lcpu_restore_irqf(f);
}

/* ---- dispatch (interrupts disabled) ---- */

int ukplat_irq_set_return_hook(void (*fn)(struct ukarch_regs *r, void *fx))
{
	return_hook = fn;
	return 0;
}

/* Interrupted code outside the image: a program an ELF loader started (no
 * kernel code was in progress). */
static void to_program(struct ukarch_regs *r, void *fx)
{
	if (return_hook && (r->rip < (uintptr_t)__uk_image_start ||
			    r->rip >= (uintptr_t)__uk_image_end))
		return_hook(r, fx);
}

static void dispatch(struct ukarch_regs *r);

void ukplat_kvm_irq(struct ukarch_regs *r, void *fx);
void ukplat_kvm_irq(struct ukarch_regs *r, void *fx)
{
	dispatch(r);
	to_program(r, fx);
}

static void dispatch(struct ukarch_regs *r)
{
	unsigned v = (unsigned)r->vector;

	if (v == KVM_VEC_SPURIOUS ||
	    (v >= KVM_VEC_PIC_BASE && v < KVM_VEC_PIC_BASE + 16)) {
		stats.spurious++; /* no EOI for spurious vectors */
		return;
	}
	if (v == KVM_VEC_TIMER && timer_fn) {
		stats.handled++;
		kvm_lapic_write(APIC_EOI, 0);
		timer_fn();
		return;
	}
	int done = 0;
	if (v >= KVM_VEC_IRQ_BASE && v < KVM_VEC_IRQ_BASE + ioapic_pins) {
		unsigned irq = v - KVM_VEC_IRQ_BASE;
		for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX && !done; i++)
			if (handlers[i].fn && handlers[i].irq == irq)
				done = handlers[i].fn(handlers[i].arg);
	} else if (v == KVM_VEC_APIC_ERROR) {
		kvm_lapic_write(APIC_ESR, 0);
	}
	if (done)
		stats.handled++;
	else
		stats.unexpected++;
	kvm_lapic_write(APIC_EOI, 0);
}

/* ---- the local interrupt flag ---- */

void ukplat_lcpu_enable_irq(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

void ukplat_lcpu_disable_irq(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

void ukplat_lcpu_restore_irqf(unsigned long f)
{
	if (f & (1ul << 9))
		__asm__ __volatile__("sti" ::: "memory");
	else
		__asm__ __volatile__("cli" ::: "memory");
}

int ukplat_lcpu_irqs_disabled(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return !(f & (1ul << 9));
}

void ukplat_lcpu_poll_irq(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	/* a pending interrupt is taken after the instruction that follows
	 * sti: the nop is that instruction */
	__asm__ __volatile__("sti; nop; cli" ::: "memory");
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_lcpu_halt_irq(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	/* sti takes effect after the next instruction: no interrupt can slip
	 * in between the two, so a wake-up is never missed */
	__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	ukplat_lcpu_restore_irqf(f);
}
