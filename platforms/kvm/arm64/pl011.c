/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console: an Arm PL011 UART, the one /chosen's stdout-path names (else
 * the first "arm,pl011" node). 8N1 with the FIFOs on; the baud rate is left
 * as the firmware or VMM set it. "\n" goes out as "\r\n" while ONLCR is on.
 * Input is polled (the receive interrupt stays off), as on x86_64's COM1. A
 * UART whose FIFO never drains is given up on instead of hanging the guest.
 * QEMU virt has one UART: the kernel's log shares it with the program.
 */
#include <errno.h>
#include <string.h>
#include <uk/arch/arm64.h>
#include <uk/plat/console.h>
#include "kvm_arm64.h"

#define UART_DR		  0x00
#define UART_FR		  0x18
#define UART_LCRH	  0x2c
#define UART_CR		  0x30
#define UART_IMSC	  0x38
#define FR_RXFE		  (1u << 4)
#define FR_TXFF		  (1u << 5)
#define LCRH_8N1_FIFO	  0x70
#define LCRH_FEN	  0x10
#define CR_UARTEN_TXE_RXE 0x301

static volatile uint8_t *uart;
static int uart_dead;
/* a serial terminal needs CR LF until told not to (kept as its opposite:
 * zero-initialised, so that an image needs no .data for it) */
static int no_onlcr;
/* input that arrived before the FIFOs were switched on (console_init) */
static char early[64];
static unsigned early_len, early_pos;

void ukplat_console_set_onlcr(int on)
{
	no_onlcr = !on;
}

static void put(char c)
{
	for (unsigned spins = 0; ukarch_mmio_read32(uart + UART_FR) & FR_TXFF;
	     spins++) {
		if (spins > 10000000u) {
			uart_dead = 1;
			return;
		}
	}
	ukarch_mmio_write32(uart + UART_DR, (uint8_t)c);
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	size_t i;

	if (!uart || uart_dead)
		return 0;
	for (i = 0; i < len && !uart_dead; i++) {
		if (buf[i] == '\n' && !no_onlcr)
			put('\r');
		put(buf[i]);
	}
	return uart_dead ? i : len;
}

size_t ukplat_log_write(const char *buf, size_t len)
{
	return ukplat_console_write(buf, len);
}

/* Bounded by len: each FR read says whether one more byte is there. Unread
 * bytes wait in the FIFO and QEMU, so nothing is lost between polls. */
long ukplat_console_read(char *buf, size_t len)
{
	size_t n = 0;

	if (!uart || uart_dead)
		return 0;
	while (n < len && early_pos < early_len)
		buf[n++] = early[early_pos++];
	while (n < len && !(ukarch_mmio_read32(uart + UART_FR) & FR_RXFE))
		buf[n++] = (char)(ukarch_mmio_read32(uart + UART_DR) & 0xff);
	return (long)n;
}

int ukplat_console_ioctl(unsigned long cmd, void *arg)
{
	(void)cmd, (void)arg;
	return -ENOSYS;
}

/* The PL011 /chosen's stdout-path names ("/pl011@9000000:115200n8", or an
 * alias), or else the first one. */
static const struct fdt_dev *stdout_uart(const struct fdt *f,
					 const struct fdt_boot *b)
{
	char path[128];
	const char *p = fdt_val_string(f, b->stdout_path);

	if (p) {
		size_t n = strcspn(p, ":");

		if (n >= sizeof(path))
			p = NULL;
		else {
			memcpy(path, p, n);
			path[n] = '\0';
			p = path;
		}
	}
	if (p && p[0] != '/')
		p = b->aliases >= 0 ? fdt_prop_string(f, b->aliases, path)
				    : NULL;
	for (unsigned i = 0; p && i < b->nr_uart; i++)
		if (fdt_dev_at_path(f, &b->uart[i], p))
			return &b->uart[i];
	return &b->first[FDT_PL011];
}

void kvm_arm64_console_init(const struct fdt *f, const struct fdt_boot *b)
{
	uint64_t base, size;
	int fifo = 1;

	if (fdt_reg_get(f, &stdout_uart(f, b)->reg, 0, &base, &size) < 0)
		return; /* no console: output is dropped */
	uart = kvm_arm64_map_device(base, size ? size : 4096);
	if (!uart)
		return;
	ukarch_mmio_write32(uart + UART_CR, 0);
	ukarch_mmio_write32(uart + UART_IMSC, 0);
	/* Switching the FIFOs on empties the receiver, and the host may be
	 * sending already (stdin piped into `unikit run`): keep what arrived,
	 * and switch right after the last look. Input that fills our copy
	 * keeps the FIFOs off: one byte at a time, none lost. The one access
	 * between the last look and the switch is closed the way COM1 closes
	 * it on x86_64: `unikit run` sends nothing until the guest says its
	 * console is ready. virt has no second UART to say it on, so it goes
	 * through semihosting, which QEMU writes to its stderr (and which is
	 * on whenever `unikit run` leaves the exit device in). */
	if (!(ukarch_mmio_read32(uart + UART_LCRH) & LCRH_FEN)) {
		while (!(ukarch_mmio_read32(uart + UART_FR) & FR_RXFE)) {
			if (early_len == sizeof(early)) {
				fifo = 0;
				break;
			}
			early[early_len++] =
				(char)(ukarch_mmio_read32(uart + UART_DR) &
				       0xff);
		}
	}
	ukarch_mmio_write32(uart + UART_LCRH,
			    fifo ? LCRH_8N1_FIFO : LCRH_8N1_FIFO & ~LCRH_FEN);
	ukarch_mmio_write32(uart + UART_CR, CR_UARTEN_TXE_RXE);
	kvm_arm64_semihosting_write(UKPLAT_CONSOLE_READY_MARK);
}
