/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/arch/backtrace.h>

size_t ukarch_backtrace(uintptr_t fp, uintptr_t stack_lo, uintptr_t stack_hi,
			uintptr_t *pcs, size_t max)
{
	size_t n = 0;
	int checked = !(stack_lo == 0 && stack_hi == 0);

	while (n < max && fp) {
		if (fp & 7)
			break;
		if (checked && (fp < stack_lo || fp + 16 > stack_hi))
			break;
		const uintptr_t *frame = (const uintptr_t *)fp;
		uintptr_t next = frame[0];
		uintptr_t pc = frame[1];

		if (!pc)
			break;
		pcs[n++] = pc;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

uintptr_t ukarch_leaf_caller(const struct ukarch_regs *r, uintptr_t lo,
			     uintptr_t hi, int (*in_code)(uintptr_t))
{
	uintptr_t sp = ukarch_regs_sp(r), ra;

	if (sp < lo || sp + sizeof(ra) > hi || (sp & 7))
		return 0;
	ra = *(const uintptr_t *)sp;
	if (ra < 16 || !in_code(ra - 5) || !in_code(ra - 1))
		return 0;
	const uint8_t *c = (const uint8_t *)ra;
	if (c[-5] == 0xe8 || (c[-2] == 0xff && (c[-1] & 0xf8) == 0xd0) ||
	    (c[-3] == 0x41 && c[-2] == 0xff && (c[-1] & 0xf8) == 0xd0))
		return ra;
	return 0;
}
