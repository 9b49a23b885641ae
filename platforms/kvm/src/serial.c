/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 16550 UART consoles. COM1 is the console: output, polled input, "\n" ->
 * "\r\n" while ONLCR is on. A UART at COM3, when the machine has one, is the
 * kernel log's own line (`unikit run` attaches it to its stderr, so that a
 * program's stdout on COM1 is nothing but what the program wrote); without
 * it the log goes to COM1. docs/design.md, "The console".
 */
#include <errno.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/console.h>
#include "kvm.h"

#define COM1	 0x3f8
#define COM3	 0x3e8
#define THR	 0 /* transmit holding */
#define RBR	 0 /* receive buffer (read) */
#define IER	 1
#define FCR	 2 /* FIFO control (write) */
#define IIR	 2 /* interrupt identification (read) */
#define LCR	 3
#define MCR	 4
#define LSR	 5
#define SCRATCH	 7
#define LSR_DR	 0x01 /* a received byte is waiting */
#define LSR_THRE 0x20
#define IIR_FIFO 0xc0 /* both bits: the FIFOs are on */
#define DLL	 0    /* with LCR.DLAB */
#define DLM	 1

/* Give up on a UART that never drains instead of hanging the guest. */
#define SPIN_MAX 100000

struct uart {
	uint16_t base;
	int dead;
};

static struct uart com1 = {COM1, 0}, com3 = {COM3, 1 /* until found */};
static int onlcr = 1; /* a serial terminal needs CR LF until told not to */
/* input that arrived before the FIFO was switched on (see kvm_serial_init) */
static char early[64];
static unsigned early_len, early_pos;

void ukplat_console_set_onlcr(int on)
{
	onlcr = on != 0;
}

/* Line settings; the FIFO is switched on separately (fifo_on). */
static void uart_init(uint16_t base)
{
	ukarch_outb(base + IER, 0x00);
	ukarch_outb(base + LCR, 0x80); /* DLAB */
	ukarch_outb(base + DLL, 0x01); /* 115200 baud */
	ukarch_outb(base + DLM, 0x00);
	ukarch_outb(base + LCR, 0x03); /* 8N1 */
	ukarch_outb(base + MCR, 0x03); /* DTR, RTS */
}

/* Switching the FIFO on empties the receiver (QEMU flushes it on every
 * change of FCR's enable bit, as the 16550 does), and the host may be
 * sending from the first instruction on (stdin piped into `unikit run`):
 * keep what arrived before, bounded by our copy, and switch right after the
 * last look, so that only a byte landing between those two port accesses
 * could be lost. Without the FIFO the host waits for each byte to be read
 * (no loss), but brings the next one only on a trip through its main loop:
 * 200 KB of input would take minutes. A FIFO already on (firmware) is left
 * alone. */
static void fifo_on(uint16_t base, int keep_input)
{
	if ((ukarch_inb(base + IIR) & IIR_FIFO) == IIR_FIFO)
		return;
	while (keep_input && early_len < sizeof(early) &&
	       (ukarch_inb(base + LSR) & LSR_DR))
		early[early_len++] = (char)ukarch_inb(base + RBR);
	ukarch_outb(base + FCR, 0xc7); /* FIFO on, cleared, 14-byte trigger */
}

static int uart_present(uint16_t base)
{
	/* no UART: the scratch register reads back 0xff, not what was
	 * written */
	ukarch_outb(base + SCRATCH, 0x5a);
	if (ukarch_inb(base + SCRATCH) != 0x5a)
		return 0;
	ukarch_outb(base + SCRATCH, 0xa5);
	return ukarch_inb(base + SCRATCH) == 0xa5;
}

void kvm_serial_init(void)
{
	uart_init(COM1);
	fifo_on(COM1, 1);
	if (uart_present(COM3)) {
		uart_init(COM3);
		fifo_on(COM3, 0);
		com3.dead = 0;
	}
}

/* Wait until the transmitter is empty; then its 16-byte FIFO takes up to
 * FIFO_LEN bytes without another check (one port read per 16 bytes, not per
 * byte: each access is a VM exit). */
#define FIFO_LEN 16

static int wait_empty(struct uart *u)
{
	int spins = 0;

	while (!(ukarch_inb(u->base + LSR) & LSR_THRE)) {
		if (++spins > SPIN_MAX) {
			u->dead = 1;
			return -1;
		}
	}
	return 0;
}

static size_t uart_write(struct uart *u, const char *buf, size_t len)
{
	size_t i = 0;
	int room = 0;

	while (i < len && !u->dead) {
		if (!room) {
			if (wait_empty(u) < 0)
				break;
			room = FIFO_LEN;
		}
		/* A '\n' as CR LF needs two slots. */
		if (buf[i] == '\n' && onlcr) {
			if (room < 2) {
				room = 0;
				continue;
			}
			ukarch_outb(u->base + THR, '\r');
			room--;
		}
		ukarch_outb(u->base + THR, (uint8_t)buf[i++]);
		room--;
	}
	return i;
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	return uart_write(&com1, buf, len);
}

size_t ukplat_log_write(const char *buf, size_t len)
{
	if (!com3.dead)
		return uart_write(&com3, buf, len);
	return uart_write(&com1, buf, len);
}

/* Polled (the receive interrupt stays off): the console file calls this when
 * a reader wants input and sleeps between calls, so no interrupt handler is
 * needed to wake it. While nobody reads, bytes stay in the UART's FIFO and
 * QEMU holds the rest back (flow control), so nothing is lost. */
long ukplat_console_read(char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && early_pos < early_len)
		buf[n++] = early[early_pos++];
	/* bounded by len: each LSR read says whether one more byte is there */
	while (n < len && (ukarch_inb(COM1 + LSR) & LSR_DR))
		buf[n++] = (char)ukarch_inb(COM1 + RBR);
	return (long)n;
}

int ukplat_console_ioctl(unsigned long cmd, void *arg)
{
	(void)cmd, (void)arg;
	return -ENOSYS;
}
