/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat console: the one terminal line every platform has.
 *
 * kvm: the COM1 16550 UART (I/O port 0x3f8), output and input.
 * linuxu: output to file descriptor 1, input from file descriptor 0.
 * The line discipline (echo, line editing, termios) is fdtab's console file,
 * not the platform's: docs/design.md, "The console".
 */
#ifndef UK_PLAT_CONSOLE_H
#define UK_PLAT_CONSOLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Write `len` bytes from `buf` to the console, in order. While output
 * translation is on (ukplat_console_set_onlcr()), "\n" is sent as "\r\n";
 * nothing else is ever translated.
 * The caller MAY pass len == 0. The call MUST NOT be made from a context where
 * the platform has not finished its early init (ukplat guarantees this before
 * any library init code runs). Returns the number of bytes written: `len` on
 * success, fewer only if the device failed (the platform then stops trying).
 */
size_t ukplat_console_write(const char *buf, size_t len);

/*
 * Write kernel messages (ukdebug's printk), like ukplat_console_write(), to
 * the log's own line when the machine has one - kvm: a UART at COM3
 * (0x3e8), which `unikit run` attaches to its stderr - else to the console.
 * linuxu: fd 2, the process's stderr.
 */
size_t ukplat_log_write(const char *buf, size_t len);

/*
 * The console-ready mark: an ECMA-48 application program command (terminals
 * ignore it) that a kvm platform MUST write once its console's receive path
 * is set up (kvm x86_64: COM1's FIFO on; written on the log line, COM3;
 * arm64: the PL011's FIFOs on; written through semihosting, which QEMU
 * sends to its stderr), and never on the console itself. `unikit run` holds
 * its stdin back until the mark comes (a byte sent earlier could be lost)
 * and removes it from what it shows (cli/unikit/qemu.py, CONSOLE_READY).
 */
#define UKPLAT_CONSOLE_READY_MARK "\033_unikit:console-ready\033\\"

/*
 * Turn "\n" into "\r\n" in ukplat_console_write() (on != 0) or send every
 * byte as it is (0): termios OPOST|ONLCR, for the kernel's own messages too.
 * kvm: on at boot (what a serial terminal needs). linuxu: ignored, nothing
 * is translated (the host's tty does it when fd 1 is a terminal).
 */
void ukplat_console_set_onlcr(int on);

/*
 * Take up to `len` bytes of console input that have arrived, without
 * waiting. Returns the number of bytes (0: none now), or -EPIPE when the
 * input is closed for good (linuxu: end of file on fd 0; kvm: never, a
 * serial line cannot say so). Thread context; bounded work.
 */
long ukplat_console_read(char *buf, size_t len);

/*
 * A terminal ioctl (TCGETS, TCSETS*, TIOCGWINSZ...) when the platform's
 * console is a terminal of the host that does the line discipline itself:
 * linuxu forwards it to the host's fd 0 and returns the host's answer
 * (-ENOTTY when fd 0 is no terminal). -ENOSYS: the platform has no such
 * terminal (kvm); the caller keeps its own line discipline.
 */
int ukplat_console_ioctl(unsigned long cmd, void *arg);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_CONSOLE_H */
