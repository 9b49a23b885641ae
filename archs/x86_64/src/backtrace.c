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
