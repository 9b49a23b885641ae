/* SPDX-License-Identifier: BSD-3-Clause */
/* <sys/mman.h> (unikit's, for newlib: Linux values) on the shim. */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>

#include <uk/newlibglue.h>
#include <uk/syscall.h>

#define RE(v) uk_newlibglue_ret((long)(v), &errno)

/* a mapping call's result: an address, or MAP_FAILED with errno set */
static void *map_ret(long v)
{
	return RE(v) < 0 ? MAP_FAILED : (void *)v;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return map_ret(uk_syscall_call(mmap, addr, len, prot, flags, fd, off));
}

int munmap(void *addr, size_t len)
{
	return (int)RE(uk_syscall_call(munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)RE(uk_syscall_call(mprotect, addr, len, prot));
}

int msync(void *addr, size_t len, int flags)
{
	return (int)RE(uk_syscall_call(msync, addr, len, flags));
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)RE(uk_syscall_call(madvise, addr, len, advice));
}

int posix_madvise(void *addr, size_t len, int advice)
{
	/* POSIX: the error number is the result, errno is left alone */
	long v = uk_syscall_call(madvise, addr, len, advice);

	return v < 0 ? (int)-v : 0;
}

void *mremap(void *old, size_t oldlen, size_t newlen, int flags, ...)
{
	void *new = NULL;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new = va_arg(ap, void *);
		va_end(ap);
	}
	return map_ret(
		uk_syscall_call(mremap, old, oldlen, newlen, flags, new));
}
