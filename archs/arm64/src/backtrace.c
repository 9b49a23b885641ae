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
	uintptr_t ra = (uintptr_t)r->x[30];

	(void)lo, (void)hi;
	if (ra < 8 || (ra & 3) || !in_code(ra - 4))
		return 0;
	uint32_t insn = *(const uint32_t *)(ra - 4);
	/* BL imm26: 100101 imm26; BLR Xn: 1101011 0001 11111 000000 Rn 00000 */
	if ((insn & 0xfc000000u) == 0x94000000u ||
	    (insn & 0xfffffc1fu) == 0xd63f0000u)
		return ra;
	return 0;
}
