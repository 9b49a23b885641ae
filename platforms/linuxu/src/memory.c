/* SPDX-License-Identifier: BSD-3-Clause */
/* Guard pages and page permissions on linuxu: mprotect() on the host. */
#include <errno.h>
#include <stdint.h>
#include <uk/plat/io.h>
#include <uk/plat/memory.h>
#include <uk/plat/devices.h>
#include "linuxu.h"
#include "sysno.h"

#define PROT_NONE 0
#define PROT_RW	  3

int ukplat_page_guard(void *page, int on)
{
	if ((uintptr_t)page & 4095)
		return -EINVAL;
	long rc = ukplat_linuxu_syscall(SYS_mprotect, (long)page, 4096,
					on ? PROT_NONE : PROT_RW, 0, 0, 0);
	return rc < 0 ? (int)rc : 0;
}

int ukplat_page_protect(void *addr, unsigned long len, int prot)
{
	if ((uintptr_t)addr & 4095 || len & 4095 || (prot & ~7))
		return -EINVAL;
	if ((prot & 2) && (prot & 4))
		return -EACCES;
	long rc = ukplat_linuxu_syscall(SYS_mprotect, (long)addr, (long)len,
					prot, 0, 0, 0);
	return rc < 0 ? (int)rc : 0;
}

/* No devices in a Linux process (<uk/plat/io.h>). */
void *ukplat_mmio_map(uint64_t phys, size_t len)
{
	(void)phys;
	(void)len;
	return NULL;
}

int ukplat_ioport_access(void)
{
	return 0;
}

/* No window for fixed-address programs: no program is loaded here (the
 * `syscall` instruction belongs to the host kernel). */
int ukplat_window_init(uintptr_t base, unsigned long len)
{
	(void)base;
	(void)len;
	return -ENOTSUP;
}

int ukplat_window_map(uint64_t *const pts[], uintptr_t va, uint64_t pa,
		      unsigned long len, int prot)
{
	(void)pts, (void)va, (void)pa, (void)len, (void)prot;
	return -ENOTSUP;
}

void ukplat_window_install(uint64_t *const pts[])
{
	(void)pts;
}

/* A process has no firmware device description. */
int ukplat_mmio_device(const char *compat, unsigned int i,
		       struct ukplat_mmio_device *out)
{
	(void)compat, (void)i, (void)out;
	return -ENODEV;
}
