/* SPDX-License-Identifier: BSD-3-Clause */
/* Weak -ENOSYS defaults for every Linux call, and the call names. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/print.h>
#include <uk/syscall.h>

static const char *const names[UK_SYSCALL_MAX_NR] = {
#define NAME_(nr, name) [nr] = #name,
	UK_SYSCALL_LIST(NAME_)
#undef NAME_
};

const char *uk_syscall_name(long nr)
{
	if (nr < 0 || nr >= UK_SYSCALL_MAX_NR)
		return NULL;
	return names[nr];
}

static uint64_t logged[(UK_SYSCALL_MAX_NR + 63) / 64];

long uk_syscall_enosys(long nr)
{
	if (nr >= 0 && nr < UK_SYSCALL_MAX_NR) {
		uint64_t bit = 1ULL << (nr % 64);

		if (!(logged[nr / 64] & bit)) {
			logged[nr / 64] |= bit;
			if (names[nr])
				uk_pr_warn(
					"syscall %s (%ld) is not implemented: "
					"-ENOSYS",
					names[nr], nr);
			else
				uk_pr_warn("syscall number %ld is not "
					   "a " UK_SYSCALL_ABI_NAME
					   " call: -ENOSYS",
					   nr);
		}
	} else {
		uk_pr_warn("syscall number %ld is out of range: -ENOSYS", nr);
	}
	return -ENOSYS;
}

#define WEAK_(nr, name)                                 \
	__attribute__((weak)) long uk_syscall_r_##name( \
		long a0 __attribute__((unused)),        \
		long a1 __attribute__((unused)),        \
		long a2 __attribute__((unused)),        \
		long a3 __attribute__((unused)),        \
		long a4 __attribute__((unused)),        \
		long a5 __attribute__((unused)))        \
	{                                               \
		return uk_syscall_enosys(nr);           \
	}
UK_SYSCALL_LIST(WEAK_)
#undef WEAK_

/* Calls the architecture has no number for (arm64: open, stat, mkdir...):
 * libraries still call them by name; without an implementation linked,
 * this answers. */
#define WEAK_NONUM_(name)                                                \
	__attribute__((weak)) long uk_syscall_r_##name(                  \
		long a0 __attribute__((unused)),                         \
		long a1 __attribute__((unused)),                         \
		long a2 __attribute__((unused)),                         \
		long a3 __attribute__((unused)),                         \
		long a4 __attribute__((unused)),                         \
		long a5 __attribute__((unused)))                         \
	{                                                                \
		static int said;                                         \
		if (!said++)                                             \
			uk_pr_warn("call " #name                         \
				   " (no number on " UK_SYSCALL_ABI_NAME \
				   ") is not implemented: -ENOSYS");     \
		return -ENOSYS;                                          \
	}
UK_SYSCALL_NONUM_LIST(WEAK_NONUM_)
#undef WEAK_NONUM_

/* Without lib uksyscallbin there is never a binary-path frame. */
__attribute__((weak)) struct ukarch_syscall_frame *
uk_syscall_frame_current(void)
{
	return NULL;
}

/* ---- exit work: weak defaults (posixprocess has the real ones) ---- */

volatile int uk_syscall_exit_work;

__attribute__((weak)) long uk_syscall_exit_native(long ret)
{
	return ret;
}

__attribute__((weak)) long
uk_syscall_exit_binary(struct ukarch_syscall_frame *f, long ret)
{
	(void)f;
	return ret;
}
