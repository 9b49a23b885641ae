/* SPDX-License-Identifier: BSD-3-Clause */
/* The binary-compatible path's table: call number -> implementation. Only
 * images that take the `syscall` instruction reference it (the linker drops
 * it, and with it the unused defaults, everywhere else). */
#include <uk/syscall.h>

const uk_syscall_fn_t uk_syscall_table[UK_SYSCALL_MAX_NR] = {
#define ENTRY_(nr, name) [nr] = uk_syscall_r_##name,
	UK_SYSCALL_LIST(ENTRY_)
#undef ENTRY_
};

long uk_syscall_binary(long nr, long a0, long a1, long a2, long a3, long a4,
		       long a5)
{
	if ((unsigned long)nr >= UK_SYSCALL_MAX_NR || !uk_syscall_table[nr])
		return uk_syscall_enosys(nr);
	return uk_syscall_table[nr](a0, a1, a2, a3, a4, a5);
}
