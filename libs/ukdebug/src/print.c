/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <uk/plat/console.h>
#include <uk/print.h>

#define PRINTK_BUF 512

static const char *const level_tag[] = {
	[UK_LOG_CRIT] = "CRIT: ",   [UK_LOG_ERR] = "ERROR: ",
	[UK_LOG_WARN] = "WARN: ",   [UK_LOG_INFO] = "",
	[UK_LOG_DEBUG] = "debug: ",
};

void uk_vprintk(int level, const char *lib, const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n = 0;

	if (level < UK_LOG_CRIT || level > UK_LOG_DEBUG)
		level = UK_LOG_CRIT;
	n = snprintf(buf, sizeof(buf), "[%s] %s", lib ? lib : "?",
		     level_tag[level]);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	size_t have = sizeof(buf) - (size_t)n - 1;
	if ((size_t)m > have) {
		/* Never cut silently: say how much did not fit. */
		char note[48];
		int k = snprintf(note, sizeof(note), " [+%zu bytes cut]\n",
				 (size_t)m - have);
		ukplat_log_write(buf, sizeof(buf) - 1);
		ukplat_log_write(note, (size_t)k);
		return;
	}
	n += m;
	if (n == 0 || buf[n - 1] != '\n')
		buf[n++] = '\n';
	ukplat_log_write(buf, (size_t)n);
}

void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	uk_vprintk(level, lib, fmt, ap);
	va_end(ap);
}
