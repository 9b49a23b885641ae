/* SPDX-License-Identifier: BSD-3-Clause */
/* Fixed-address programs: not yet (ukelfloader's mmap placement). */
#include "exec_impl.h"

int pe_window_prepare(struct pe_prog *pr)
{
	(void)pr;
	return 0;
}

void pe_window_switch(struct pe_prog *pr)
{
	(void)pr;
}

void pe_window_drop(struct pe_prog *pr)
{
	(void)pr;
}
