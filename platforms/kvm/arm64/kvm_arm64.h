/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to platforms/kvm on arm64 (QEMU virt and VMMs that boot Linux
 * arm64 Images with a device tree). */
#ifndef KVM_ARM64_H
#define KVM_ARM64_H

#include <stdint.h>
#include <uk/arch/regs.h>
#include "fdt.h"

/* RAM the boot page tables map: the first GiB of QEMU virt's RAM. */
#define KVM_ARM64_RAM_BASE 0x40000000ull
#define KVM_ARM64_RAM_TOP  0x80000000ull
/* Devices are mapped on demand below 1 GiB (not the first 2 MiB: page 0
 * stays unmapped). */
#define KVM_ARM64_DEV_TOP 0x40000000ull

#define KVM_ARM64_EXC_STACK_SIZE (16u << 10)

/* The device tree, checked, and what the boot's pass over it gathered
 * (setup.c); NULL before that. */
extern const struct fdt *kvm_arm64_fdt;
extern const struct fdt_boot *kvm_arm64_dt;

/* pl011.c */
void kvm_arm64_console_init(const struct fdt *f, const struct fdt_boot *b);
/* exit.c: semihosting probe (needs nothing), its console (a NUL-terminated
 * message; -1 without semihosting), the PSCI conduit from the device tree */
void kvm_arm64_semihosting_init(void);
int kvm_arm64_semihosting_write(const char *msg);
void kvm_arm64_psci_init(const struct fdt *f, const struct fdt_boot *b);
/* traps.c: a synchronous exception the probe expects (returns non-zero if
 * it was taken care of and the code continues after it). */
int kvm_arm64_semihosting_probe_fault(struct ukarch_regs *r);
/* mmu.c: device mappings, guard pages, W^X for what entry.S left */
void kvm_arm64_mmu_init(void);
const char *kvm_arm64_stack_guard_name(uint64_t addr);
/* stacks.c: the stack ukplat_stack_register() named, if addr is its guard */
/* The virtual address of device registers at phys (mapped on demand), or
 * NULL (above 1 GiB, or in the first 2 MiB). */
void *kvm_arm64_map_device(uint64_t phys, uint64_t len);

/* entry.S */
/* gic.c: set up (0 or -ENODEV), version (2, 3; 0 before set-up), and the
 * timer's PPI (line 16-31) with the function its interrupt calls */
int kvm_arm64_gic_init(void);
/* traps.c: where IRQs go, set by gic.c when it is set up */
extern void (*kvm_arm64_irq_handler)(struct ukarch_regs *r);
int kvm_arm64_gic_version(void);
int kvm_arm64_gic_set_timer(unsigned irq, void (*fn)(void));

extern char ukplat_kvm_arm64_boot_stack_guard[],
	ukplat_kvm_arm64_boot_stack_bottom[], ukplat_kvm_arm64_boot_stack_top[];
extern char ukplat_kvm_arm64_exc_stack_guard[],
	ukplat_kvm_arm64_exc_stack_bottom[], ukplat_kvm_arm64_exc_stack_top[];
extern char ukplat_kvm_arm64_nested_stack_guard[];
extern uint64_t ukplat_kvm_arm64_pt_l0[512], ukplat_kvm_arm64_pt_l1[512],
	ukplat_kvm_arm64_pt_l2dev[512], ukplat_kvm_arm64_pt_l2ram[512],
	ukplat_kvm_arm64_pt_l3img[512];

#endif
