/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat device access: memory-mapped device registers and I/O ports, for
 * device drivers (ukpci, ukvirtio).
 *
 * kvm/x86_64: RAM is identity-mapped (virtual == physical) in the first GiB;
 * device registers between 1 GiB and 4 GiB (PCI memory BARs, virtio-mmio,
 * APIC) are mapped on demand, 3-4 GiB uncached. I/O ports are available.
 * linuxu: neither exists (a Linux process has no devices).
 */
#ifndef UK_PLAT_IO_H
#define UK_PLAT_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Make the device registers at physical [phys, phys + len) accessible and
 * return the address to use for them (on kvm: `phys` itself, identity
 * mapped; uncached in the last GiB below 4 GiB). NULL when the platform has
 * no such mapping: registers above 4 GiB (kvm today), a wrapping range,
 * len 0, or a platform without devices (linuxu). Mappings are never undone.
 */
void *ukplat_mmio_map(uint64_t phys, size_t len);

/* Non-zero when the platform lets drivers use x86 I/O ports (in/out). */
int ukplat_ioport_access(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_IO_H */
