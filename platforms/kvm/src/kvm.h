/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to platforms/kvm. */
#ifndef KVM_PRIV_H
#define KVM_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <uk/plat/bootinfo.h>

/* hvm_start_info, as the PVH boot ABI defines it (version 1). */
#define PVH_START_MAGIC 0x336ec578u
struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries, reserved;
} __attribute__((packed));

struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
} __attribute__((packed));

#define E820_RAM 1

/* Bytes of each IST stack (x86_64/cpu.c), below each a guard page. 16 KiB:
 * a crash report formats with the libc's printf, and musl's (floating-point
 * conversion buffer included) needs more than 7 KiB of stack under clang. */
#define KVM_IST_SIZE 16384

/* Everything below this is mapped 1:1 at boot (see x86_64/entry.S). */
#define KVM_MAPPED_TOP (1ull << 30)

void kvm_cpu_init(void);
/* Make the image W^X, unmap page 0 and the boot stack's guard page. */
void kvm_paging_init(void);
/* 1 if `va` is mapped (readable) in the current page tables, else 0. */
int kvm_page_readable(uint64_t va);
struct ukarch_regs;
/* A crash dump of the faulting context to COM2 if the VM has one (see
 * src/coredump.c); nothing otherwise. */
void kvm_core_dump(const struct ukarch_regs *r, uint64_t cr2);
/* The stack whose guard page holds addr ("the boot stack", ...), or NULL. */
const char *kvm_stack_guard_name(uint64_t addr);
void kvm_serial_init(void);

/*
 * Fill `bi` from a PVH memory map: RAM becomes FREE regions (page-aligned,
 * above 1 MiB, below `mapped_top`, minus [img_start, img_end) which becomes
 * the IMAGE region); everything else is left out. Returns 0, or -1 when the
 * region table overflowed (the caller warns; the regions kept are valid).
 */
int kvm_memmap_to_regions(struct ukplat_bootinfo *bi,
			  const struct pvh_memmap_entry *map, uint32_t n,
			  uintptr_t img_start, uintptr_t img_end,
			  uint64_t mapped_top);
/* Take [base, end) (rounded out to pages) out of the FREE regions and record
 * it as RESERVED. -1 if the table overflowed. */
int kvm_memmap_reserve(struct ukplat_bootinfo *bi, uint64_t base, uint64_t end);

struct pvh_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
} __attribute__((packed));

/*
 * Multiboot2: the boot information structure at guest-physical `mbi_pa`
 * (readable at `mem`, bounded by `top` as for kvm_pvh_parse) as a PVH
 * start_info in `out->si`. The memory map and the command line are used in
 * place (their addresses point into the structure: multiboot2's memory map
 * entries have the PVH layout); the first module goes to `out->mod` and an
 * RSDP copy to `out->rsdp`, whose addresses the caller puts into
 * si.modlist_paddr / si.rsdp_paddr. -1 with the reason in `why`: a
 * misaligned or oversized structure, a tag running past it, a command line
 * without a NUL, a memory map entry size other than 24, a module ending
 * below its start, a short RSDP. kvm_pvh_parse then checks the result.
 */
struct kvm_mb2 {
	struct pvh_start_info si;
	struct pvh_modlist_entry mod;
	uint8_t rsdp[36];
	int has_rsdp;
};
#define MB2_BOOT_MAGIC 0x36d76289 /* %eax at a multiboot2 entry */
int kvm_mb2_parse(uint64_t mbi_pa, const uint8_t *mem, uint64_t top,
		  struct kvm_mb2 *out, char *why, size_t whylen);

/* What the PVH hand-over holds, checked (kvm_pvh_parse). */
#define KVM_MEMMAP_MAX	1024	    /* E820 entries accepted */
#define KVM_CMDLINE_CAP (64u << 10) /* bytes, NUL included */
struct kvm_pvh {
	uint32_t version;
	const struct pvh_memmap_entry *memmap; /* NULL: none given */
	uint32_t memmap_entries;
	const char *cmdline; /* NULL: none given */
	size_t cmdline_len;
	uint32_t nr_modules;
	uint64_t initrd, initrd_len; /* len 0: none */
	uint64_t rsdp;		     /* 0: none (ACPI checks it when used) */
};

/*
 * Check the start_info a PVH loader left at guest-physical `si_pa` and
 * everything it points to, before any of it is used. Guest-physical
 * [0, top) is readable at `mem` (images: 0, the identity map of the first
 * GiB; tests: a buffer). Refused, -1 with the reason naming the field in
 * `why`: the magic; a memory map at 0, above KVM_MEMMAP_MAX entries, whose
 * size overflows, beyond `top` or outside the memory it describes; a
 * command line beyond `top`, outside the memory map, without a NUL or
 * longer than KVM_CMDLINE_CAP; a module list at 0, beyond `top` or outside
 * the memory map; an initrd at 0, wrapping, beyond `top`, outside RAM or
 * overlapping the image [img_start, img_end). (Loaders keep their own
 * structures in firmware areas as well as RAM; the initrd must be RAM.) A
 * command line address of 0 is no command line.
 * Returns 0 with `out` filled (pointers into `mem`).
 */
int kvm_pvh_parse(uint64_t si_pa, const uint8_t *mem, uint64_t top,
		  uint64_t img_start, uint64_t img_end, struct kvm_pvh *out,
		  char *why, size_t whylen);

/*
 * ACPI power-off, step by step so that it can be unit tested.
 * acpi_find_rsdp: checks a candidate RSDP (signature + checksum); returns the
 * physical address of the RSDT/XSDT root or 0.
 * acpi_s5_from_dsdt: finds \_S5 in AML and returns its SLP_TYPa (0..7) or -1.
 */
struct acpi_poweroff {
	int hw_reduced;	     /* use the sleep control register */
	uint8_t sleep_space; /* GAS address space: 0 memory, 1 I/O */
	uint64_t sleep_addr;
	uint32_t pm1a_cnt, pm1b_cnt; /* I/O ports, 0 = absent */
	int slp_typ;
	/* on refusal: the structure ("RSDP", "RSDT", "FADT"...) and what is
	 * wrong with it */
	const char *what, *why;
};
uint64_t acpi_rsdp_root(const void *rsdp, int *is_xsdt);
int acpi_s5_from_dsdt(const uint8_t *aml, size_t len);
/* `phys` turns a physical address into a pointer, or NULL if unmapped.
 * Every address and length read from a table is checked before use:
 * 0 when all is well, -1 with out->what and out->why naming the structure
 * and the fault (a bad RSDP signature or checksum, a pointer to 0, a
 * length below the header or beyond the mapping, a wrong checksum, a FADT
 * too short for its fields, no \_S5). */
int acpi_prepare_poweroff(uint64_t rsdp_paddr,
			  const void *(*phys)(uint64_t addr, size_t len),
			  struct acpi_poweroff *out);

#endif
