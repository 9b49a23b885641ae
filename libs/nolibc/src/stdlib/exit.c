/* SPDX-License-Identifier: BSD-3-Clause */
/* exit, abort: end the image through the platform. */
#include <stdlib.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>

void exit(int status)
{
	/* Nothing to flush: stdout and stderr are unbuffered. */
	ukplat_exit(status);
}

void abort(void)
{
	static const char msg[] = "abort() called\n";

	ukplat_console_write(msg, sizeof(msg) - 1);
	ukplat_exit(UKPLAT_EXIT_PANIC);
}
