/* SPDX-License-Identifier: BSD-3-Clause */
/* COM1 16550 UART console. */
#include <uk/arch/x86_64.h>
#include <uk/plat/console.h>
#include "kvm.h"

#define COM1	 0x3f8
#define THR	 0 /* transmit holding */
#define IER	 1
#define FCR	 2
#define LCR	 3
#define MCR	 4
#define LSR	 5
#define LSR_THRE 0x20
#define DLL	 0 /* with LCR.DLAB */
#define DLM	 1

/* Give up on a UART that never drains instead of hanging the guest. */
#define SPIN_MAX 100000

static int serial_dead;

void kvm_serial_init(void)
{
	ukarch_outb(COM1 + IER, 0x00);
	ukarch_outb(COM1 + LCR, 0x80); /* DLAB */
	ukarch_outb(COM1 + DLL, 0x01); /* 115200 baud */
	ukarch_outb(COM1 + DLM, 0x00);
	ukarch_outb(COM1 + LCR, 0x03); /* 8N1 */
	ukarch_outb(COM1 + FCR, 0xc7); /* FIFO on, cleared */
	ukarch_outb(COM1 + MCR, 0x03); /* DTR, RTS */
}

/* Wait until the transmitter is empty; then its 16-byte FIFO takes up to
 * FIFO_LEN bytes without another check (one port read per 16 bytes, not per
 * byte: each access is a VM exit). */
#define FIFO_LEN 16

static int wait_empty(void)
{
	int spins = 0;

	while (!(ukarch_inb(COM1 + LSR) & LSR_THRE)) {
		if (++spins > SPIN_MAX) {
			serial_dead = 1;
			return -1;
		}
	}
	return 0;
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	size_t i = 0;
	int room = 0;

	while (i < len && !serial_dead) {
		if (!room) {
			if (wait_empty() < 0)
				break;
			room = FIFO_LEN;
		}
		/* Terminals want CR LF; tools reading the output drop the
		 * CR. A '\n' needs two slots. */
		if (buf[i] == '\n') {
			if (room < 2) {
				room = 0;
				continue;
			}
			ukarch_outb(COM1 + THR, '\r');
			room--;
		}
		ukarch_outb(COM1 + THR, (uint8_t)buf[i++]);
		room--;
	}
	return i;
}
