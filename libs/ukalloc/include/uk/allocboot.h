/* SPDX-License-Identifier: BSD-3-Clause */
/* ukalloc boot glue, for allocator backends (not for applications). */
#ifndef UK_ALLOCBOOT_H
#define UK_ALLOCBOOT_H

#include <stddef.h>
#include <stdint.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Build the boot heap from every FREE memory region of ukplat_bootinfo():
 * `init` (a backend's uk_alloc*_init) takes the first region that it accepts,
 * the others are added with addmem; the result is registered and becomes the
 * default allocator. Does nothing if a default allocator exists already (an
 * image that links two backends gets its heap from the first one's hook).
 * Returns 0, or -ENOMEM when no region could hold a heap.
 */
int uk_alloc_boot_heap(struct uk_alloc *(*init)(void *base, size_t len));

/*
 * Memory the boot heap must leave alone: if a library of the image defines
 * this function (posixexec: the window for fixed-address programs), the
 * heap is built without [*base, *base + *len) when it returns non-zero.
 * Called once, from the heap's early init (library parameters are
 * available). Weak: none otherwise.
 */
int uk_alloc_boot_reserve(uintptr_t *base, size_t *len) __attribute__((weak));

/* A backend's hook: `UK_ALLOC_BOOT_BACKEND(uk_alloctlsf_init);` in a source
 * file of the backend registers an early init function calling the above. */
#define UK_ALLOC_BOOT_BACKEND(initfn)              \
	static int uk_alloc_boot_##initfn(void)    \
	{                                          \
		return uk_alloc_boot_heap(initfn); \
	}                                          \
	UK_INIT_CLASS(uk_alloc_boot_##initfn, UK_INIT_EARLY, 1)

#ifdef __cplusplus
}
#endif
#endif /* UK_ALLOCBOOT_H */
