/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukdebug symbol table: function names for crash reports.
 *
 * The composer (linker/compose.py) embeds a table of the image's functions in
 * the section .uk_symtab. Layout, all little-endian:
 *   header: u32 magic "UKS2" (0x32534b55), u32 count, u32 strtab offset
 *           (from the header start), u32 total size in bytes, u64 base
 *   count entries sorted by address: u32 offset from base, u32 name offset
 *           into the string table, or UK_SYMTAB_NONE: "no function from
 *           here" (the end of the function before, when a gap follows it)
 *   string table: NUL-terminated names
 * A function runs from its entry's address to the next entry's; 8 bytes an
 * entry keep the table small (it is in every image).
 * Images built without the table (compose.py --no-symbols) simply print bare
 * addresses.
 */
#ifndef UK_SYMBOLS_H
#define UK_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_SYMTAB_MAGIC 0x32534b55u
#define UK_SYMTAB_NONE	0xffffffffu

/*
 * Look `addr` up in the table at `tab` (`len` bytes). Returns the name of the
 * function containing addr and stores addr - start in *offset, or returns NULL
 * when the table is absent, malformed, or no function contains addr.
 */
const char *uk_symtab_lookup(const void *tab, size_t len, uintptr_t addr,
			     uintptr_t *offset);

/* The same, in this image's own embedded table. */
const char *uk_symbol_name(uintptr_t addr, uintptr_t *offset);

#ifdef __cplusplus
}
#endif
#endif /* UK_SYMBOLS_H */
