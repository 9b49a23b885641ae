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

/* Give [base, base + len) to the heap: the first piece to `init`, the
 * others with addmem. */
static void add(struct uk_alloc **a, struct uk_alloc *(*init)(void *, size_t),
		uintptr_t base, size_t len, size_t *total)
{
	if (!len)
		return;
	if (!*a) {
		*a = init((void *)base, len);
		if (*a && uk_alloc_register(*a) == 0)
			*total += len;
		return;
	}
	int rc = uk_alloc_addmem(*a, (void *)base, len);
	if (rc < 0)
		uk_pr_warn("%s: memory %#lx+%#zx not used (%d)", (*a)->name,
			   (unsigned long)base, len, rc);
	else
		*total += len;
}

int uk_alloc_boot_heap(struct uk_alloc *(*init)(void *base, size_t len))
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();
	struct uk_alloc *a = NULL;
	size_t total = 0;
	uintptr_t rlo = 0, rhi = 0;
	size_t rlen = 0;

	if (!uk_alloc_get_default() && uk_alloc_boot_reserve &&
	    uk_alloc_boot_reserve(&rlo, &rlen) && rlo + rlen > rlo)
		rhi = rlo + rlen;

	if (uk_alloc_get_default())
		return 0; /* another backend in this image owns the heap */
#ifdef UK_BOOT_TRACE
	uint64_t t0 = ukarch_cycles();
#endif
	for (unsigned i = 0; i < bi->nr_memregions; i++) {
		const struct ukplat_memregion *r = &bi->memregions[i];
		uintptr_t lo = r->base, hi = r->base + r->len;

		if (r->type != UKPLAT_MEMR_FREE)
			continue;
		if (rhi <= lo || rlo >= hi) {
			add(&a, init, lo, r->len, &total);
			continue;
		}
		/* the reserved range cut out: what is left on both sides */
		add(&a, init, lo, rlo > lo ? rlo - lo : 0, &total);
		add(&a, init, rhi, hi > rhi ? hi - rhi : 0, &total);
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
