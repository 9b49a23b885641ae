/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stdout and stderr unbuffered, as with nolibc: main()'s return goes
 * straight to ukplat_exit() (ukboot), which flushes nothing. newlib formats
 * each printf() of an unbuffered stream in a stack buffer and writes it
 * with one write().
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include <uk/init.h>

static int newlibglue_stdio_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	return 0;
}
uk_lib_initcall(newlibglue_stdio_init);

/*
 * newlib's stdio disables thread cancellation around its locked sections.
 * Weak: the pthread library (ukpthread) has the real one; with it or
 * without, there is no asynchronous cancellation in unikit.
 */
__attribute__((weak)) int pthread_setcancelstate(int state, int *old)
{
	if (old)
		*old = PTHREAD_CANCEL_ENABLE;
	return state == PTHREAD_CANCEL_ENABLE || state == PTHREAD_CANCEL_DISABLE
		       ? 0
		       : EINVAL;
}
