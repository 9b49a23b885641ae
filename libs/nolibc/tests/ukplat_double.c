/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include "ukplat_double.h"

char console_buf[CONSOLE_CAP + 1];
size_t console_len;
size_t console_writes;
size_t console_max_write;
long console_fail_after = -1;

static jmp_buf *exit_target;
static int exit_status;

void console_reset(void)
{
	console_len = 0;
	console_writes = 0;
	console_max_write = 0;
	console_fail_after = -1;
	console_buf[0] = '\0';
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	size_t n = len;

	if (!len)
		return 0;
	if (console_fail_after >= 0 && (long)n > console_fail_after)
		n = (size_t)console_fail_after;
	if (console_fail_after >= 0)
		console_fail_after -= (long)n;
	if (n > CONSOLE_CAP - console_len) {
		fprintf(stderr, "console double: buffer full\n");
		abort();
	}
	memcpy(console_buf + console_len, buf, n);
	console_len += n;
	console_buf[console_len] = '\0';
	console_writes++;
	if (len > console_max_write)
		console_max_write = len;
	return n;
}

void ukplat_exit(int status)
{
	if (!exit_target) {
		fprintf(stderr, "ukplat_exit(%d) outside run_until_exit()\n",
			status);
		abort();
	}
	exit_status = status;
	longjmp(*exit_target, 1);
}

int run_until_exit(void (*fn)(void *), void *arg, int *status)
{
	jmp_buf jb;

	exit_target = &jb;
	if (setjmp(jb)) {
		exit_target = NULL;
		*status = exit_status;
		return 1;
	}
	fn(arg);
	exit_target = NULL;
	return 0;
}
