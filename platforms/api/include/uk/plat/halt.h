/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat exit: how an image ends and hands its status to the VMM or host.
 */
#ifndef UK_PLAT_HALT_H
#define UK_PLAT_HALT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Exit statuses reserved by unikit itself (apps SHOULD use 0..119). */
#define UKPLAT_EXIT_BOOTFAIL 123 /* boot could not reach main() */
#define UKPLAT_EXIT_PANIC    124 /* UK_CRASH / failed assertion */
#define UKPLAT_EXIT_CRASH    125 /* CPU exception or fatal signal */

/*
 * End the image with `status` (only the low 8 bits are kept).
 *
 * kvm: writes the status to QEMU's isa-debug-exit port (0xf4) when such a
 * device exists (QEMU then exits with (status << 1) | 1); otherwise powers the
 * VM off through ACPI; if that fails too, stops the CPU with interrupts
 * disabled. linuxu: exit_group(status).
 * MUST NOT return. MAY be called from any context, including exception
 * handlers, with any amount of state corrupted.
 */
void ukplat_exit(int status) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_HALT_H */
