/* SPDX-License-Identifier: BSD-3-Clause */
/* The binary-compatible path's table: call number -> implementation. Only
 * images that take the `syscall` instruction reference it (the linker drops
 * it, and with it the unused defaults, everywhere else). */
#include <uk/arch/syscall.h>
#include <uk/syscall.h>

/* Numbers Linux skips (and the entry's bound check) land here: every slot
 * holds a function, so the entry calls without a NULL test. The number is
 * in the caller's frame. */
static long hole(long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct ukarch_syscall_frame *f = uk_syscall_frame_current();

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_syscall_enosys(f ? ukarch_syscall_frame_nr(f) : -1);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#endif
const uk_syscall_fn_t uk_syscall_table[UK_SYSCALL_MAX_NR] = {
	[0 ... UK_SYSCALL_MAX_NR - 1] = hole,
#define ENTRY_(nr, name) [nr] = uk_syscall_r_##name,
	UK_SYSCALL_LIST(ENTRY_)
#undef ENTRY_
};
#pragma GCC diagnostic pop

long uk_syscall_binary(long nr, long a0, long a1, long a2, long a3, long a4,
		       long a5)
{
	if ((unsigned long)nr >= UK_SYSCALL_MAX_NR ||
	    uk_syscall_table[nr] == hole)
		return uk_syscall_enosys(nr);
	return uk_syscall_table[nr](a0, a1, a2, a3, a4, a5);
}
