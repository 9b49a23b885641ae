/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <uk/symbols.h>

struct symtab_hdr {
	uint32_t magic, count, strtab, size;
	uint64_t base;
};

struct symtab_ent {
	uint32_t off, name;
};

const char *uk_symtab_lookup(const void *tab, size_t len, uintptr_t addr,
			     uintptr_t *offset)
{
	struct symtab_hdr h;

	if (!tab || len < sizeof(h))
		return NULL;
	memcpy(&h, tab, sizeof(h));
	if (h.magic != UK_SYMTAB_MAGIC || h.size > len || h.strtab > h.size ||
	    h.strtab < sizeof(h) ||
	    h.count > (h.strtab - sizeof(h)) / sizeof(struct symtab_ent))
		return NULL;
	if (addr < h.base || addr - h.base > UINT32_MAX)
		return NULL;

	const struct symtab_ent *e =
		(const struct symtab_ent *)((const char *)tab + sizeof(h));
	const char *strtab = (const char *)tab + h.strtab;
	size_t strtab_len = h.size - h.strtab;
	uint32_t want = (uint32_t)(addr - h.base);
	size_t lo = 0, hi = h.count;

	/* last entry with e.off <= want */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].off <= want)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct symtab_ent *s = &e[lo - 1];
	if (s->name == UK_SYMTAB_NONE || s->name >= strtab_len)
		return NULL;
	/* the last named entry without an end marker covers one byte */
	if (lo == h.count && want != s->off)
		return NULL;
	if (!memchr(strtab + s->name, '\0', strtab_len - s->name))
		return NULL;
	if (offset)
		*offset = want - s->off;
	return strtab + s->name;
}

/* Defined by the platform linker script around .uk_symtab; the section is
 * empty when the image carries no table. */
extern const char __uk_symtab_start[] __attribute__((weak));
extern const char __uk_symtab_end[] __attribute__((weak));

const char *uk_symbol_name(uintptr_t addr, uintptr_t *offset)
{
	if (!__uk_symtab_start || !__uk_symtab_end)
		return NULL;
	return uk_symtab_lookup(__uk_symtab_start,
				(size_t)(__uk_symtab_end - __uk_symtab_start),
				addr, offset);
}
