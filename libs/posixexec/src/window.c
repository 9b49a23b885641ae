/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The window for fixed-address (non-PIE) programs. Linux's x86_64 linker
 * puts them at 4 MiB (0x400000), inside the first GiB that the image maps
 * one to one for its heap. So the heap leaves [4 MiB, 4 MiB + window) alone
 * (uk_alloc_boot_reserve, at boot), and the platform lets every program
 * have its own page tables for that range (ukplat_window_*): a program's
 * segments live in pages of that reserved memory (or of the heap when it
 * is used up), mapped at their link addresses in its tables, and the
 * process switch installs the running program's tables. Several programs
 * linked at the same addresses (three busybox processes of a pipeline)
 * therefore run side by side. The image's own range is refused with a
 * message, as is anything outside the window.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocboot.h>
#include <uk/elfloader.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include "exec_impl.h"

/* ukboot's (<uk/boot.h>); weak: native tests have no command line */
const char *uk_boot_param(const char *name) __attribute__((weak));

#define PAGE	    4096UL
#define SLOT	    (2UL << 20)
#define WINDOW_BASE 0x400000UL /* x86_64 ld's default for non-PIE */
#ifndef PE_WINDOW_MB
#define PE_WINDOW_MB 8
#endif

struct pe_view {
	uint64_t **pts;	 /* one page table per 2 MiB slot of the window */
	uint64_t *pa;	 /* the page behind each page of [lo, lo + len) */
	uint8_t *pooled; /* 1: from the window's own memory */
	uintptr_t lo;
	size_t npages;
};

static uintptr_t wbase;
static size_t wlen;	      /* 0: no window */
static int winit;	      /* 1 set up, -1 the platform has none */
static uint64_t *pool_map;    /* free bits of the window's pages */
static struct pe_view *shown; /* installed */
static struct pe_view *before_load;
static struct pe_prog *loading;

/* ---- the reservation, at boot ---- */

int uk_alloc_boot_reserve(uintptr_t *base, size_t *len)
{
	const char *v = uk_boot_param ? uk_boot_param("exec.window") : NULL;
	unsigned long mb = PE_WINDOW_MB;

	if (v) {
		char *end;
		mb = strtoul(v, &end, 10);
		if (*end || mb > 1000) {
			uk_pr_err("exec.window=%s: a size in MiB (0-1000) is "
				  "expected; using %d",
				  v, PE_WINDOW_MB);
			mb = PE_WINDOW_MB;
		}
	}
	mb = (mb + 1) & ~1UL; /* whole 2 MiB slots */
	wbase = WINDOW_BASE;
	wlen = mb << 20;
	*base = wbase;
	*len = wlen;
	return wlen != 0;
}

static int window_ready(void)
{
	size_t words;

	if (winit)
		return winit > 0;
	winit = -1;
	if (!wlen)
		return 0;
	if (ukplat_window_init(wbase, wlen) < 0)
		return 0;
	words = (wlen / PAGE + 63) / 64;
	pool_map = malloc(words * sizeof(uint64_t));
	if (!pool_map)
		return 0;
	memset(pool_map, 0xff, words * sizeof(uint64_t));
	winit = 1;
	return 1;
}

/* A page for a program: the window's own memory first, else the heap. */
static uint64_t page_get(uint8_t *pooled)
{
	size_t words = (wlen / PAGE + 63) / 64;

	for (size_t w = 0; w < words; w++) { /* bounded: the bitmap */
		if (!pool_map[w])
			continue;
		int b = __builtin_ctzll(pool_map[w]);
		size_t idx = w * 64 + (size_t)b;

		if (idx >= wlen / PAGE)
			break;
		pool_map[w] &= ~(1ULL << b);
		*pooled = 1;
		return wbase + idx * PAGE;
	}
	*pooled = 0;
	void *p = uk_palloc(uk_alloc_get_default(), 1);
	return (uint64_t)(uintptr_t)p;
}

static void page_put(uint64_t pa, int pooled)
{
	if (pooled) {
		size_t idx = (pa - wbase) / PAGE;
		pool_map[idx / 64] |= 1ULL << (idx % 64);
	} else if (pa) {
		uk_pfree(uk_alloc_get_default(), (void *)(uintptr_t)pa, 1);
	}
}

static void show(struct pe_view *v)
{
	if (winit <= 0 || v == shown)
		return;
	ukplat_window_install(v ? v->pts : NULL);
	shown = v;
}

static void view_free(struct pe_view *v)
{
	size_t nslots = wlen / SLOT;

	if (!v)
		return;
	if (shown == v)
		show(before_load && before_load != v ? before_load : NULL);
	if (before_load == v)
		before_load = NULL;
	for (size_t i = 0; v->pa && i < v->npages; i++)
		page_put(v->pa[i], v->pooled[i]);
	for (size_t i = 0; v->pts && i < nslots; i++)
		if (v->pts[i])
			uk_pfree(uk_alloc_get_default(), v->pts[i], 1);
	free(v->pts);
	free(v->pa);
	free(v->pooled);
	free(v);
}

/* ---- the loader's placement of a fixed-address program ---- */

static const struct ukplat_memregion *image_region(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();

	for (unsigned i = 0; i < bi->nr_memregions; i++)
		if (bi->memregions[i].type == UKPLAT_MEMR_IMAGE)
			return &bi->memregions[i];
	return NULL;
}

static int fixed_map(uintptr_t lo, size_t len, char *err, size_t errlen)
{
	const struct ukplat_memregion *img = image_region();
	struct pe_view *v;
	size_t nslots;

	if (img && lo < img->base + img->len && lo + len > img->base) {
		snprintf(err, errlen,
			 "non-PIE executable at 0x%lx-0x%lx overlaps the "
			 "image itself (0x%lx-0x%lx); link it with "
			 "-static-pie or at another address",
			 (unsigned long)lo, (unsigned long)(lo + len),
			 (unsigned long)img->base,
			 (unsigned long)(img->base + img->len));
		return -EADDRINUSE;
	}
	if (!loading || !window_ready()) {
		snprintf(err, errlen,
			 "non-PIE executable at 0x%lx-0x%lx: this image has "
			 "no window for fixed-address programs (library "
			 "parameter exec.window=MiB; kvm only)",
			 (unsigned long)lo, (unsigned long)(lo + len));
		return -EADDRINUSE;
	}
	if (lo < wbase || lo + len > wbase + wlen || lo + len < lo) {
		snprintf(err, errlen,
			 "non-PIE executable at 0x%lx-0x%lx, outside the "
			 "window for them (0x%lx-0x%lx; exec.window=MiB)",
			 (unsigned long)lo, (unsigned long)(lo + len),
			 (unsigned long)wbase, (unsigned long)(wbase + wlen));
		return -EADDRINUSE;
	}
	nslots = wlen / SLOT;
	v = calloc(1, sizeof(*v));
	if (!v)
		goto nomem;
	v->lo = lo;
	v->npages = len / PAGE;
	v->pts = calloc(nslots, sizeof(*v->pts));
	v->pa = calloc(v->npages, sizeof(*v->pa));
	v->pooled = calloc(v->npages, 1);
	if (!v->pts || !v->pa || !v->pooled)
		goto nomem_v;
	for (size_t i = 0; i < nslots; i++) {
		uintptr_t s = wbase + i * SLOT;

		if (s + SLOT <= lo || s >= lo + len)
			continue; /* no page of the program in this slot */
		v->pts[i] = uk_palloc(uk_alloc_get_default(), 1);
		if (!v->pts[i])
			goto nomem_v;
		memset(v->pts[i], 0, PAGE);
	}
	for (size_t i = 0; i < v->npages; i++) {
		v->pa[i] = page_get(&v->pooled[i]);
		if (!v->pa[i] ||
		    ukplat_window_map(v->pts, lo + i * PAGE, v->pa[i], PAGE,
				      UKPLAT_PROT_READ | UKPLAT_PROT_WRITE))
			goto nomem_v;
	}
	loading->view = v;
	show(v); /* the loader writes the segments through it */
	return 0;
nomem_v:
	view_free(v);
nomem:
	snprintf(err, errlen,
		 "not enough memory for the %zu KiB of the non-PIE executable "
		 "at 0x%lx",
		 len >> 10, (unsigned long)lo);
	return -ENOMEM;
}

static void fixed_unmap(uintptr_t lo, size_t len)
{
	(void)lo, (void)len; /* the view goes with its program */
}

static const struct uk_elf_fixed_ops fixed_ops = {fixed_map, fixed_unmap};

/* ---- posixexec's side ---- */

int pe_window_prepare(struct pe_prog *pr)
{
	static int set;

	if (!set) {
		uk_elf_set_fixed_ops(&fixed_ops);
		set = 1;
	}
	loading = pr;
	before_load = shown;
	return 0;
}

void pe_window_switch(struct pe_prog *pr)
{
	show(pr ? pr->view : NULL);
}

void pe_window_drop(struct pe_prog *pr)
{
	if (loading == pr)
		loading = NULL;
	view_free(pr->view);
	pr->view = NULL;
}
