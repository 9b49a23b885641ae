/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <uk/symbols.h>

struct symtab_hdr {
	uint32_t magic, count, strtab, size;
};

struct symtab_ent {
	uint64_t addr;
	uint32_t size, name;
};

const char *uk_symtab_lookup(const void *tab, size_t len, uintptr_t addr,
			     uintptr_t *offset)
{
	struct symtab_hdr h;

	if (!tab || len < sizeof(h))
		return NULL;
	memcpy(&h, tab, sizeof(h));
	if (h.magic != UK_SYMTAB_MAGIC || h.size > len || h.strtab > h.size ||
	    h.count > (h.strtab - sizeof(h)) / sizeof(struct symtab_ent))
		return NULL;

	const struct symtab_ent *e =
		(const struct symtab_ent *)((const char *)tab + sizeof(h));
	const char *strtab = (const char *)tab + h.strtab;
	size_t strlen_max = h.size - h.strtab;
	size_t lo = 0, hi = h.count;

	/* last entry with e.addr <= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct symtab_ent *s = &e[lo - 1];
	if (addr - s->addr >= (s->size ? s->size : 1) || s->name >= strlen_max)
		return NULL;
	if (!memchr(strtab + s->name, '\0', strlen_max - s->name))
		return NULL;
	if (offset)
		*offset = addr - (uintptr_t)s->addr;
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
