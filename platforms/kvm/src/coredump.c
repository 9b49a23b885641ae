/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crash dumps: after the crash report, the faulting context goes out on the
 * second serial port (COM2) when the VM has one (`unikit run --crash-dump
 * FILE` gives QEMU `-serial file:FILE`), for `unikit debug --core FILE`,
 * which turns it into an ELF core for gdb. Without COM2 nothing happens.
 *
 * Format (little-endian): "UKCORE01", u32 version (1), u32 number of
 * 64-bit words of registers that follow (struct ukarch_regs, then CR2 and
 * the FS base), then segments "SEG0", u64 address, u64 length, the bytes;
 * "END0" last. Segments: the stack from the faulting rsp's page up (at most
 * STACK_MAX bytes, ending at the first unmapped page) and the image's data
 * and bss. Every page is checked to be mapped before it is read, so a dump
 * cannot fault on a guard page.
 */
#include <stdint.h>
#include <string.h>
#include <uk/arch/regs.h>
#include <uk/arch/x86_64.h>
#include <uk/print.h>
#include "kvm.h"

#define COM2	  0x2f8
#define SCRATCH	  7
#define LSR	  5
#define LSR_THRE  0x20
#define PAGE	  4096ul
#define STACK_MAX (256ul << 10)
#define DATA_MAX  (4ul << 20)
#define SPIN_MAX  100000

extern char __uk_data_start[], __uk_image_end[];

static int dead;
static uint64_t written;

static int com2_present(void)
{
	/* no UART: the scratch register reads back 0xff, not what was
	 * written */
	ukarch_outb(COM2 + SCRATCH, 0x5a);
	if (ukarch_inb(COM2 + SCRATCH) != 0x5a)
		return 0;
	ukarch_outb(COM2 + SCRATCH, 0xa5);
	return ukarch_inb(COM2 + SCRATCH) == 0xa5;
}

static void put(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len && !dead; i++) {
		int spins = 0;

		while (!(ukarch_inb(COM2 + LSR) & LSR_THRE))
			if (++spins > SPIN_MAX) {
				dead = 1;
				return;
			}
		ukarch_outb(COM2, p[i]);
		written++;
	}
}

static void put64(uint64_t v)
{
	put(&v, 8);
}

/* [lo, hi) page by page, cut at the first unmapped page */
static void segment(uint64_t lo, uint64_t hi)
{
	uint64_t end = lo;

	while (end < hi && kvm_page_readable(end))
		end = (end + PAGE) & ~(PAGE - 1);
	if (end > hi)
		end = hi;
	if (end <= lo)
		return;
	put("SEG0", 4);
	put64(lo);
	put64(end - lo);
	put((const void *)(uintptr_t)lo, end - lo);
}

void kvm_core_dump(const struct ukarch_regs *r, uint64_t cr2)
{
	uint32_t hdr[2] = {1, sizeof(*r) / 8 + 2};
	uint64_t lo, hi;
	uint32_t fs_lo, fs_hi;

	if (!com2_present())
		return;
	/* 115200 8N1, FIFO on; QEMU drains at once anyway */
	ukarch_outb(COM2 + 1, 0x00);
	ukarch_outb(COM2 + 3, 0x80);
	ukarch_outb(COM2 + 0, 0x01);
	ukarch_outb(COM2 + 1, 0x00);
	ukarch_outb(COM2 + 3, 0x03);
	ukarch_outb(COM2 + 2, 0xc7);
	__asm__ __volatile__("rdmsr"
			     : "=a"(fs_lo), "=d"(fs_hi)
			     : "c"(0xc0000100));
	put("UKCORE01", 8);
	put(hdr, sizeof(hdr));
	put(r, sizeof(*r));
	put64(cr2);
	put64((uint64_t)fs_hi << 32 | fs_lo);
	lo = r->rsp & ~(PAGE - 1);
	hi = lo + STACK_MAX < lo ? UINT64_MAX : lo + STACK_MAX;
	if (lo >= PAGE && lo < KVM_MAPPED_TOP)
		segment(lo, hi < KVM_MAPPED_TOP ? hi : KVM_MAPPED_TOP);
	lo = (uintptr_t)__uk_data_start & ~(PAGE - 1);
	hi = (uintptr_t)__uk_image_end;
	segment(lo, hi - lo > DATA_MAX ? lo + DATA_MAX : hi);
	put("END0", 4);
	if (dead)
		uk_printk(UK_LOG_CRIT, "kvm",
			  "crash dump: COM2 stopped draining after %llu bytes",
			  (unsigned long long)written);
	else
		uk_printk(UK_LOG_CRIT, "kvm",
			  "crash dump: %llu bytes written to COM2 "
			  "(`unikit debug --core FILE` opens it)",
			  (unsigned long long)written);
}
