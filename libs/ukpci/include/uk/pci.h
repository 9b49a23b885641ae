/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukpci: PCI enumeration through configuration mechanism #1 (I/O ports
 * 0xCF8/0xCFC), BAR decoding, capability walk, and a driver registry.
 *
 * Drivers register a `struct uk_pci_driver` (vendor/device matches and a
 * probe function) from an early init entry (uk_early_initcall); the bus is
 * scanned once at UK_INIT_LIB priority 1 (allocator and scheduler exist,
 * libraries at the default priority 5 see the devices), and every function
 * whose IDs match a driver is handed to that driver's probe. Buses are
 * found by following PCI-PCI bridges from bus 0 (each bus once, at most
 * UK_PCI_MAX_BUSES). Platforms without I/O ports (linuxu) scan nothing.
 *
 * UP, no locks: everything runs in init or thread context.
 */
#ifndef UK_PCI_H
#define UK_PCI_H

#include <stdint.h>
#include <uk/arch/io.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_PCI_MAX_BUSES 256
#define UK_PCI_ANY_ID	 0xffff

/* Configuration space registers (type 0 header) */
#define UK_PCI_VENDOR_ID     0x00
#define UK_PCI_DEVICE_ID     0x02
#define UK_PCI_COMMAND	     0x04
#define UK_PCI_STATUS	     0x06
#define UK_PCI_REVISION	     0x08
#define UK_PCI_CLASS_PROG    0x09
#define UK_PCI_HEADER_TYPE   0x0e
#define UK_PCI_BAR0	     0x10
#define UK_PCI_SECONDARY_BUS 0x19 /* type 1 (bridge) header */
#define UK_PCI_SUBSYS_VENDOR 0x2c
#define UK_PCI_SUBSYS_ID     0x2e
#define UK_PCI_CAP_PTR	     0x34
#define UK_PCI_INT_LINE	     0x3c
#define UK_PCI_INT_PIN	     0x3d

#define UK_PCI_CMD_IO	    0x1
#define UK_PCI_CMD_MEM	    0x2
#define UK_PCI_CMD_MASTER   0x4
#define UK_PCI_CMD_INTX_OFF 0x400
#define UK_PCI_STATUS_CAPS  0x10

#define UK_PCI_CAP_MSIX	  0x11
#define UK_PCI_CAP_VENDOR 0x09

/*
 * How configuration space is reached: `addr` is (bus << 16 | dev << 11 |
 * fn << 8 | offset), size 1, 2 or 4 (offset aligned to it). The default is
 * mechanism #1; unit tests pass a fake.
 */
struct uk_pci_cfg_ops {
	uint32_t (*read)(void *ctx, uint32_t addr, unsigned size);
	void (*write)(void *ctx, uint32_t addr, unsigned size, uint32_t val);
	void *ctx;
};
/* Mechanism #1 (ports 0xCF8/0xCFC); only where ukplat_ioport_access(). */
extern const struct uk_pci_cfg_ops uk_pci_cfg_mech1;

enum uk_pci_bar_type {
	UK_PCI_BAR_NONE = 0,
	UK_PCI_BAR_IO,
	UK_PCI_BAR_MEM32,
	UK_PCI_BAR_MEM64, /* occupies this slot and the next */
};

struct uk_pci_bar {
	uint64_t addr; /* bus (== physical) address; I/O: port number */
	uint64_t size; /* bytes (0: unimplemented or not assigned) */
	uint8_t type;  /* enum uk_pci_bar_type */
	uint8_t prefetchable;
};

struct uk_pci_dev {
	const struct uk_pci_cfg_ops *cfg;
	uint8_t bus, dev, fn;
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor, subsys_id;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type; /* without the multi-function bit */
	uint8_t irq_line;    /* as routed by the firmware (a GSI on x86) */
	uint8_t irq_pin;     /* 0: none, 1..4: INTA..INTD */
	struct uk_pci_bar bar[6];
	void *driver_priv;
};

/* Config space access of one function (offset aligned to the size). */
uint8_t uk_pci_read8(const struct uk_pci_dev *d, unsigned off);
uint16_t uk_pci_read16(const struct uk_pci_dev *d, unsigned off);
uint32_t uk_pci_read32(const struct uk_pci_dev *d, unsigned off);
void uk_pci_write8(const struct uk_pci_dev *d, unsigned off, uint8_t v);
void uk_pci_write16(const struct uk_pci_dev *d, unsigned off, uint16_t v);
void uk_pci_write32(const struct uk_pci_dev *d, unsigned off, uint32_t v);

/*
 * Fill `d` for the function at bus/dev/fn: IDs, class, IRQ, BARs (sized by
 * the usual write-ones probe with decoding briefly off). Returns 0, -ENODEV
 * when nothing answers there, -EINVAL for an invalid BAR layout (a 64-bit
 * BAR in slot 5) -- the BAR is then left UK_PCI_BAR_NONE and the rest
 * decoded, with a warning.
 */
int uk_pci_dev_init(struct uk_pci_dev *d, const struct uk_pci_cfg_ops *cfg,
		    uint8_t bus, uint8_t dev, uint8_t fn);

/*
 * Walk the capability list: the offset of the first capability with ID
 * `id` after the one at `from` (0: from the start), or 0 when there is
 * none. Every walk starts at the head (so iterating with `from` ends on a
 * looping list too) and is bounded: a pointer into the header (below 0x40)
 * or back to a capability already seen ends it with a warning; offsets are
 * dword-aligned, so a capability's ID and next pointer are always inside
 * the 256 bytes.
 */
unsigned uk_pci_find_cap(const struct uk_pci_dev *d, uint8_t id, unsigned from);

/*
 * Copy the first `len` (>= 3) bytes of the vendor-specific capability at
 * `cap` (ID, next, cap_len, ...) into buf: 0, or -ERANGE with a warning
 * when they would run past the 256-byte configuration space or beyond the
 * capability's own length byte (cap_len).
 */
int uk_pci_vendor_cap_read(const struct uk_pci_dev *d, unsigned cap, void *buf,
			   unsigned len);

/* Set bits of the command register (UK_PCI_CMD_*). */
void uk_pci_enable(const struct uk_pci_dev *d, uint16_t cmd_bits);

/* "pci0:3.0" style name of the function into buf (at least 16 bytes). */
void uk_pci_name(const struct uk_pci_dev *d, char *buf, unsigned len);

/* ---- drivers ---- */

struct uk_pci_id {
	uint16_t vendor, device; /* UK_PCI_ANY_ID matches anything */
};

struct uk_pci_driver {
	const char *name;
	const struct uk_pci_id *ids; /* ends with {0, 0} */
	/* called for every matching function (a struct that stays valid);
	 * returns 0 when it took the device, a negative errno otherwise */
	int (*probe)(struct uk_pci_dev *d);
	struct uk_pci_driver *next;
};

/* Add a driver (from an early init entry, before the bus scan). */
void uk_pci_driver_register(struct uk_pci_driver *drv);

/*
 * Scan the buses reachable from bus 0 through `cfg` and call `found` for
 * every function (d valid during the call only; identification and IRQ
 * filled in, BARs NOT decoded: the scan sizes no BAR; non-zero from `found`
 * stops the scan). Returns the number of functions found. Bounded: each bus
 * once.
 */
int uk_pci_scan(const struct uk_pci_cfg_ops *cfg,
		int (*found)(struct uk_pci_dev *d, void *arg), void *arg);

/*
 * Scan and hand matching functions, with their BARs decoded, to the
 * registered drivers (what the init entry does with mechanism #1). Returns the
 * number of functions a driver took.
 */
int uk_pci_probe_all(const struct uk_pci_cfg_ops *cfg);

/* Port I/O, for drivers of I/O BARs (<uk/arch/io.h>: x86_64 has a port
 * space; elsewhere reads give all ones and ukplat_ioport_access() says 0). */
static inline void uk_pci_outb(uint16_t port, uint8_t v)
{
	ukarch_port_out8(port, v);
}
static inline void uk_pci_outw(uint16_t port, uint16_t v)
{
	ukarch_port_out16(port, v);
}
static inline void uk_pci_outl(uint16_t port, uint32_t v)
{
	ukarch_port_out32(port, v);
}
static inline uint8_t uk_pci_inb(uint16_t port)
{
	return ukarch_port_in8(port);
}
static inline uint16_t uk_pci_inw(uint16_t port)
{
	return ukarch_port_in16(port);
}
static inline uint32_t uk_pci_inl(uint16_t port)
{
	return ukarch_port_in32(port);
}

#ifdef __cplusplus
}
#endif
#endif /* UK_PCI_H */
