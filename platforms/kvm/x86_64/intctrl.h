/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to platforms/kvm: interrupt vectors and controller access. */
#ifndef KVM_INTCTRL_H
#define KVM_INTCTRL_H

#include <stdint.h>

#define KVM_VEC_PIC_BASE    0x20
#define KVM_VEC_IRQ_BASE    0x30
#define KVM_IOAPIC_MAX_PINS 48 /* two IOAPICs (microvm ioapic2) */
#define KVM_VEC_TIMER	    0xef
#define KVM_VEC_APIC_ERROR  0xfe
#define KVM_VEC_SPURIOUS    0xff

/* Set up PIC, local APIC, IOAPIC and the IDT's vectors 32-255, once.
 * Returns 0 or -ENODEV (no local APIC). */
int kvm_intctrl_init(void);
uint32_t kvm_lapic_read(uint32_t reg);
void kvm_lapic_write(uint32_t reg, uint32_t v);
/* The function the timer vector calls (after EOI). */
void kvm_intctrl_set_timer_fn(void (*fn)(void));
/* Fill IDT entries 32-255 with the stubs of traps.S. */
void kvm_idt_set_irq_stubs(void);
/* Map 1-4 GiB (the last GiB uncached): MMIO of APICs and ACPI tables. */
void kvm_map_low_4g(void);

#endif
