/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test doubles for the platform contract nolibc calls: the console captures
 * everything into a buffer; ukplat_exit() jumps back into the test.
 */
#ifndef UKPLAT_DOUBLE_H
#define UKPLAT_DOUBLE_H

#include <setjmp.h>
#include <stddef.h>

#define CONSOLE_CAP 65536

extern char console_buf[CONSOLE_CAP + 1]; /* NUL-terminated */
extern size_t console_len;
extern size_t console_writes;	 /* calls with len > 0 */
extern size_t console_max_write; /* largest single len */
/* When set, the console "fails" once this many more bytes have gone out. */
extern long console_fail_after;

void console_reset(void);

/*
 * Runs fn(arg); returns 1 and stores the status if it ended in
 * ukplat_exit(), 0 if fn returned.
 */
int run_until_exit(void (*fn)(void *), void *arg, int *status);

#endif /* UKPLAT_DOUBLE_H */
