/* SPDX-License-Identifier: BSD-3-Clause */
/* puts, fputs, fputc, putc, putchar, fflush: straight to the console. */
#include <string.h>
#include <uk/plat/console.h>
#include "stdio_impl.h"

int fputs(const char *__restrict s, FILE *__restrict f)
{
	size_t len = strlen(s);

	if (!f || ukplat_console_write(s, len) != len)
		return EOF;
	return 0;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
		return EOF;
	return 0;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (!f || ukplat_console_write(&ch, 1) != 1)
		return EOF;
	return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fflush(FILE *f)
{
	(void)f;
	return 0;
}
