/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/arch/regs.h>

/* "NAME=" and `digits` hex digits of v, then a space; returns the end. */
static char *put_reg(char *p, const char *name, uint64_t v, int digits)
{
	while (*name)
		*p++ = *name++;
	*p++ = '=';
	for (int s = (digits - 1) * 4; s >= 0; s -= 4)
		*p++ = "0123456789abcdef"[(v >> s) & 0xf];
	*p++ = ' ';
	return p;
}

size_t ukarch_regs_line(const struct ukarch_regs *r, unsigned int i, char *buf)
{
	static const char *const names[4][4] = {
		{"RAX", "RBX", "RCX", "RDX"},
		{"RSI", "RDI", "RBP", "RSP"},
		{"R8 ", "R9 ", "R10", "R11"},
		{"R12", "R13", "R14", "R15"},
	};
	const uint64_t vals[4][4] = {
		{r->rax, r->rbx, r->rcx, r->rdx},
		{r->rsi, r->rdi, r->rbp, r->rsp},
		{r->r8, r->r9, r->r10, r->r11},
		{r->r12, r->r13, r->r14, r->r15},
	};
	char *p = buf;

	if (i < 4) {
		for (int j = 0; j < 4; j++)
			p = put_reg(p, names[i][j], vals[i][j], 16);
	} else if (i == 4) {
		p = put_reg(p, "RFLAGS", r->rflags, 16);
		p = put_reg(p, "CS", r->cs, 4);
		p = put_reg(p, "SS", r->ss, 4);
	} else {
		buf[0] = '\0';
		return 0;
	}
	p[-1] = '\0'; /* no trailing space */
	return (size_t)(p - 1 - buf);
}
