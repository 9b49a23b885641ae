/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlibglue: newlib's system call layer and the POSIX functions newlib
 * lacks, on the syscall shim (<uk/syscall.h>). Used only with -Dlibc=newlib.
 *
 * Every function calls uk_syscall_call(name, ...) and turns a negative
 * result into errno (the _r variants: into the struct _reent's errno).
 * Error numbers and flag values are newlib's throughout: the POSIX libraries
 * compile against newlib's headers too. See docs/newlib.md.
 */
#ifndef UK_NEWLIBGLUE_H
#define UK_NEWLIBGLUE_H

/*
 * A shim result as a libc result: `ret` itself when >= 0, else -1 with
 * *err = -ret. Exposed for tests.
 */
static inline long uk_newlibglue_ret(long ret, int *err)
{
	if (ret < 0) {
		*err = (int)-ret;
		return -1;
	}
	return ret;
}

#endif /* UK_NEWLIBGLUE_H */
