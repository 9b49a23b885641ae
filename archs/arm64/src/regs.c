/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/arch/regs.h>

/* "NAME=" and 16 hex digits of v, then a space; returns the end. */
static char *put_reg(char *p, const char *name, uint64_t v)
{
	while (*name)
		*p++ = *name++;
	*p++ = '=';
	for (int s = 60; s >= 0; s -= 4)
		*p++ = "0123456789abcdef"[(v >> s) & 0xf];
	*p++ = ' ';
	return p;
}

size_t ukarch_regs_line(const struct ukarch_regs *r, unsigned int i, char *buf)
{
	char *p = buf;

	if (i < 8) {
		/* X0-X30 and SP, four per line */
		for (unsigned j = i * 4; j < i * 4 + 4; j++) {
			char name[4] = {'X', 0, 0, 0};

			if (j == 31) {
				p = put_reg(p, "SP ", r->sp);
				break;
			}
			name[1] = (char)('0' + (j >= 10 ? j / 10 : j));
			name[2] = j >= 10 ? (char)('0' + j % 10) : ' ';
			p = put_reg(p, name, r->x[j]);
		}
	} else if (i == 8) {
		p = put_reg(p, "PSTATE", r->pstate);
		p = put_reg(p, "ESR", r->esr);
		p = put_reg(p, "FAR", r->far);
	} else {
		buf[0] = '\0';
		return 0;
	}
	p[-1] = '\0'; /* no trailing space */
	return (size_t)(p - 1 - buf);
}
