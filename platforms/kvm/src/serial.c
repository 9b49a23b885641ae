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
/* bytes COM1 takes after one look at THRE: its FIFO's, or one without it */
static int com1_burst = 16;
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
 * change of FCR's enable bit, as the 16550 does), and a host may be sending
 * from the first instruction on. Keep what arrived before and switch right
 * after the last look; a byte landing between those two port accesses is
 * lost, which is why `unikit run` sends nothing before console_ready()
 * says the FIFO is on. If input keeps coming until our copy is full, the
 * FIFO stays off: the host then waits for each byte to be read (slow, no
 * loss). Without the FIFO the host brings one byte per trip through its
 * main loop. A FIFO already on (firmware) is left alone. Returns whether
 * the FIFO is on. */
static int fifo_on(uint16_t base, int keep_input)
{
	if ((ukarch_inb(base + IIR) & IIR_FIFO) == IIR_FIFO)
		return 1;
	while (keep_input && (ukarch_inb(base + LSR) & LSR_DR)) {
		if (early_len == sizeof(early))
			return 0;
		early[early_len++] = (char)ukarch_inb(base + RBR);
	}
	ukarch_outb(base + FCR, 0xc7); /* FIFO on, cleared, 14-byte trigger */
	return 1;
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
	int room = 0, cr_sent = 0;

	while (i < len && !u->dead) {
		if (!room) {
			if (wait_empty(u) < 0)
				break;
			room = u == &com1 ? com1_burst : FIFO_LEN;
		}
		/* a '\n' goes out as CR LF: the CR first, then (after another
		 * look when the room was one byte) the LF */
		if (buf[i] == '\n' && onlcr && !cr_sent) {
			ukarch_outb(u->base + THR, '\r');
			room--;
			cr_sent = 1;
			continue;
		}
		ukarch_outb(u->base + THR, (uint8_t)buf[i++]);
		room--;
		cr_sent = 0;
	}
	return i;
}

/* Tell the VMM on the log line that COM1's input can come now. Only on
 * COM3, the line `unikit run` adds: COM1 carries the program's output
 * alone. */
static void console_ready(void)
{
	static const char mark[] = UKPLAT_CONSOLE_READY_MARK;

	uart_write(&com3, mark, sizeof(mark) - 1);
}

void kvm_serial_init(void)
{
	uart_init(COM1);
	if (!fifo_on(COM1, 1))
		com1_burst = 1;
	if (uart_present(COM3)) {
		uart_init(COM3);
		fifo_on(COM3, 0);
		com3.dead = 0;
		console_ready();
	}
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
