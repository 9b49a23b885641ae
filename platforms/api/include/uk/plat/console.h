/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat console: the one output channel every platform has.
 *
 * kvm: the COM1 16550 UART (I/O port 0x3f8). linuxu: file descriptor 1.
 */
#ifndef UK_PLAT_CONSOLE_H
#define UK_PLAT_CONSOLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Write `len` bytes from `buf` to the console, in order. A platform MAY send
 * "\r\n" for "\n" (serial terminals need it); it translates nothing else.
 * The caller MAY pass len == 0. The call MUST NOT be made from a context where
 * the platform has not finished its early init (ukplat guarantees this before
 * any library init code runs). Returns the number of bytes written: `len` on
 * success, fewer only if the device failed (the platform then stops trying).
 */
size_t ukplat_console_write(const char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* UK_PLAT_CONSOLE_H */
