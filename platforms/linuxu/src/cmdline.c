/* SPDX-License-Identifier: BSD-3-Clause */
/* argv -> one command line, in single quotes. Pure: unit tested natively. */
#include "linuxu.h"

long linuxu_join_args(int argc, char *const argv[], char *buf, size_t cap)
{
	size_t n = 0;

#define PUT(c)                     \
	do {                       \
		if (n + 1 >= cap)  \
			return -1; \
		buf[n++] = (c);    \
	} while (0)

	if (!cap)
		return -1;
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			PUT(' ');
		/* 'abc' keeps everything literal; a ' inside becomes '\'' */
		PUT('\'');
		for (const char *p = argv[i]; *p; p++) {
			if (*p == '\'') {
				PUT('\'');
				PUT('\\');
				PUT('\'');
				PUT('\'');
			} else {
				PUT(*p);
			}
		}
		PUT('\'');
	}
#undef PUT
	buf[n] = '\0';
	return (long)n;
}
