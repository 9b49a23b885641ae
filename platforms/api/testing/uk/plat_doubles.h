/* Shared ukplat test doubles for native cmocka unit tests.
 *
 * Include this once, in the test's single C file, after <cmocka.h> or on its
 * own (it includes cmocka's prerequisites and <cmocka.h>). It DEFINES the
 * platform functions below with external linkage (the libraries under test
 * call them), so every test executable gets its own copy; it is only on the
 * include path of native builds (the 'ukplat' native dependency), never of
 * target code.
 *
 *   ukplat_console_write()  appends to plat_out (NUL-terminated; plat_outlen
 *                           bytes; the first PLAT_OUT_SIZE - 1 bytes are kept,
 *                           the rest dropped) and always reports the whole
 *                           length written, like a real console.
 *                           plat_out_reset() empties it, plat_out_find(s)
 *                           is strstr(plat_out, s).
 *   ukplat_log_write()      the same as ukplat_console_write() (one capture).
 *   ukplat_console_read()   hands out plat_in[plat_in_pos..plat_in_len)
 *                           (plat_in_feed(s, n) appends), then 0, or
 *                           -EPIPE once plat_in_closed is set.
 *   ukplat_console_set_onlcr() stores the switch in plat_onlcr (writes are
 *                           captured untranslated either way).
 *   ukplat_console_ioctl()  returns plat_ioctl_ret (default -ENOSYS: a kvm-
 *                           like console with fdtab's own line discipline).
 *   ukplat_exit(status)     stores status in plat_exit_status; if
 *                           plat_exit_jmp points at a jmp_buf (armed by the
 *                           test, which has setjmp() on it in a live frame),
 *                           longjmps there with value 1, otherwise fails the
 *                           current test ("unexpected ukplat_exit(N)").
 *   ukplat_stack_top()      returns 0 (stack range unknown).
 *
 * Options (define before including):
 *   PLAT_OUT_SIZE           capture buffer size (default 16384).
 *   PLAT_DOUBLES_OWN_EXIT   the test defines its own ukplat_exit() (and
 *                           plat_exit_jmp/plat_exit_status do not exist).
 */
#ifndef UK_PLAT_DOUBLES_H
#define UK_PLAT_DOUBLES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/plat/stack.h>

#ifndef PLAT_OUT_SIZE
#define PLAT_OUT_SIZE 16384
#endif

/* ---- console capture ---- */
static char plat_out[PLAT_OUT_SIZE];
static size_t plat_outlen;

static inline void plat_out_reset(void)
{
	plat_outlen = 0;
	plat_out[0] = 0;
}

static inline const char *plat_out_find(const char *needle)
{
	return strstr(plat_out, needle);
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	size_t n = len;

	if (n > sizeof(plat_out) - 1 - plat_outlen)
		n = sizeof(plat_out) - 1 - plat_outlen;
	memcpy(plat_out + plat_outlen, buf, n);
	plat_outlen += n;
	plat_out[plat_outlen] = 0;
	return len;
}

size_t ukplat_log_write(const char *buf, size_t len)
{
	return ukplat_console_write(buf, len);
}

/* ---- console input ---- */
static char plat_in[PLAT_OUT_SIZE];
static size_t plat_in_pos, plat_in_len;
static int plat_in_closed;
static int plat_onlcr = 1;
static int plat_ioctl_ret = -38; /* -ENOSYS */

static inline void plat_in_feed(const char *s, size_t n)
{
	if (n > sizeof(plat_in) - plat_in_len)
		n = sizeof(plat_in) - plat_in_len;
	memcpy(plat_in + plat_in_len, s, n);
	plat_in_len += n;
}

long ukplat_console_read(char *buf, size_t len)
{
	size_t n = plat_in_len - plat_in_pos;

	if (!n)
		return plat_in_closed ? -32 /* -EPIPE */ : 0;
	if (n > len)
		n = len;
	memcpy(buf, plat_in + plat_in_pos, n);
	plat_in_pos += n;
	return (long)n;
}

void ukplat_console_set_onlcr(int on)
{
	plat_onlcr = on;
}

int ukplat_console_ioctl(unsigned long cmd, void *arg)
{
	(void)cmd, (void)arg;
	return plat_ioctl_ret;
}

/* ---- exit ---- */
#ifndef PLAT_DOUBLES_OWN_EXIT
static jmp_buf *plat_exit_jmp; /* armed when non-NULL */
static int plat_exit_status = -1;

void ukplat_exit(int status)
{
	plat_exit_status = status;
	if (plat_exit_jmp)
		longjmp(*plat_exit_jmp, 1);
	fail_msg("unexpected ukplat_exit(%d)", status);
	abort(); /* fail_msg() does not return inside a test */
}
#endif

/* ---- stack ---- */
uintptr_t ukplat_stack_top(void)
{
	return 0;
}

#endif /* UK_PLAT_DOUBLES_H */
