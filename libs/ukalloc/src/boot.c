/* SPDX-License-Identifier: BSD-3-Clause */
/* Boot-time heap: a backend's boot hook hands its init function here. */
#include <errno.h>
#include <uk/alloc.h>
#include <uk/allocboot.h>
#include <uk/plat/bootinfo.h>
#include <uk/print.h>
#ifdef UK_BOOT_TRACE
#include <uk/arch/cpu.h>
#endif

int uk_alloc_boot_heap(struct uk_alloc *(*init)(void *base, size_t len))
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();
	struct uk_alloc *a = NULL;
	size_t total = 0;

	if (uk_alloc_get_default())
		return 0; /* another backend in this image owns the heap */
#ifdef UK_BOOT_TRACE
	uint64_t t0 = ukarch_cycles();
#endif
	for (unsigned i = 0; i < bi->nr_memregions; i++) {
		const struct ukplat_memregion *r = &bi->memregions[i];
		if (r->type != UKPLAT_MEMR_FREE)
			continue;
		if (!a) {
			a = init((void *)r->base, r->len);
			if (a && uk_alloc_register(a) == 0)
				total += r->len;
			continue;
		}
		int rc = uk_alloc_addmem(a, (void *)r->base, r->len);
		if (rc < 0)
			uk_pr_warn("%s: memory %#lx+%#zx not used (%d)",
				   a->name, (unsigned long)r->base, r->len, rc);
		else
			total += r->len;
	}
	if (!a) {
		uk_pr_crit("no memory region is large enough for a heap");
		return -ENOMEM;
	}
#ifdef UK_BOOT_TRACE
	uk_printk(UK_LOG_INFO, "ukalloc", "trace: heap_init=%lu (%s, %zu KiB)",
		  (unsigned long)(ukarch_cycles() - t0), a->name, total >> 10);
#endif
	uk_pr_info("%s heap: %zu KiB", a->name, total >> 10);
	return 0;
}
