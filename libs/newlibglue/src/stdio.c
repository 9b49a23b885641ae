/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stdout and stderr unbuffered, as with nolibc, so app output stays in
 * order with kernel messages; newlib formats each printf() of an unbuffered
 * stream in a stack buffer and writes it with one write(). An app that
 * buffers again (setvbuf, freopen) is flushed by ukboot_libc_exit() when
 * main() returns.
 */
#include <errno.h>
#include <pthread.h>
#include <reent.h>
#include <stdio.h>

#include <uk/boot.h>
#include <uk/init.h>

/* newlib's exit() before _exit: atexit handlers (weak, as newlib's exit()
 * has it: there are none unless atexit() is linked), then every stream
 * flushed */
void __call_exitprocs(int, void *) __attribute__((weak));

void ukboot_libc_exit(int status)
{
	if (__call_exitprocs)
		__call_exitprocs(status, NULL);
	if (_GLOBAL_REENT->__cleanup)
		_GLOBAL_REENT->__cleanup(_GLOBAL_REENT);
}

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
