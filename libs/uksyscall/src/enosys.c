/* SPDX-License-Identifier: BSD-3-Clause */
/* Weak -ENOSYS defaults for every Linux call, and the call names. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/print.h>
#include <uk/syscall.h>

/* The names, back to back in one object (char arrays: no padding), and
 * each number's name as a 16-bit offset into it plus one (0: Linux has no
 * call of that number): a quarter of the size of a pointer per number. */
struct names {
#define FIELD_(nr, name) char n_##name[sizeof(#name)];
	UK_SYSCALL_LIST(FIELD_)
#undef FIELD_
};
static const struct names names = {
#define INIT_(nr, name) .n_##name = #name,
	UK_SYSCALL_LIST(INIT_)
#undef INIT_
};
_Static_assert(sizeof(struct names) < UINT16_MAX, "names fit 16-bit offsets");
static const uint16_t name_at[UK_SYSCALL_MAX_NR] = {
#define AT_(nr, name) [nr] = offsetof(struct names, n_##name) + 1,
	UK_SYSCALL_LIST(AT_)
#undef AT_
};

const char *uk_syscall_name(long nr)
{
	if (nr < 0 || nr >= UK_SYSCALL_MAX_NR || !name_at[nr])
		return NULL;
	return (const char *)&names + name_at[nr] - 1;
}

static uint64_t logged[(UK_SYSCALL_MAX_NR + 63) / 64];

long uk_syscall_enosys(long nr)
{
	if (nr >= 0 && nr < UK_SYSCALL_MAX_NR) {
		uint64_t bit = 1ULL << (nr % 64);

		if (!(logged[nr / 64] & bit)) {
			logged[nr / 64] |= bit;
			const char *name = uk_syscall_name(nr);

			if (name)
				uk_pr_warn(
					"syscall %s (%ld) is not implemented: "
					"-ENOSYS",
					name, nr);
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

/* The platform's and ukboot's, declared here because uksyscall sits below
 * both (<uk/plat/halt.h>, <uk/exit.h>); weak: the native tests have
 * neither. */
void ukplat_exit(int status) __attribute__((noreturn));
void uk_exit_hooks_run(void);
#pragma weak ukplat_exit
#pragma weak uk_exit_hooks_run

enum {
#define NR_(nr, name) NR_##name = nr,
	UK_SYSCALL_LIST(NR_)
#undef NR_
};

/* exit and exit_group without posixprocess: the image is the process, and
 * its exit ends the image (musl's _Exit would otherwise call them forever),
 * after the exit hooks, as posixprocess' own exit_group does. */
static long exit_default(long nr, long status)
{
	if (!ukplat_exit)
		return uk_syscall_enosys(nr);
	if (uk_exit_hooks_run)
		uk_exit_hooks_run();
	ukplat_exit((int)(status & 0xff));
}

/* The six-`long` signature of every call, none of them used. */
#define UNUSED_ARGS_                                                      \
	long a0 __attribute__((unused)), long a1 __attribute__((unused)), \
		long a2 __attribute__((unused)),                          \
		long a3 __attribute__((unused)),                          \
		long a4 __attribute__((unused)),                          \
		long a5 __attribute__((unused))

#define WEAK_(nr, name)                                              \
	__attribute__((weak)) long uk_syscall_r_##name(UNUSED_ARGS_) \
	{                                                            \
		if ((nr) == NR_exit || (nr) == NR_exit_group)        \
			return exit_default(nr, a0);                 \
		return uk_syscall_enosys(nr);                        \
	}
UK_SYSCALL_LIST(WEAK_)
#undef WEAK_

/* Calls the architecture has no number for (arm64: open, stat, mkdir...):
 * libraries still call them by name; without an implementation linked,
 * this answers. */
#define WEAK_NONUM_(name)                                                \
	__attribute__((weak)) long uk_syscall_r_##name(UNUSED_ARGS_)     \
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
#undef UNUSED_ARGS_

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
