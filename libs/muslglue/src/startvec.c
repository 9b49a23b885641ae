/* SPDX-License-Identifier: BSD-3-Clause */
/* The synthetic process start vector (environment + auxiliary vector). */
#include <errno.h>
#include <string.h>
#include <uk/muslglue.h>

int uk_muslglue_startvec(size_t *vec, size_t n, struct uk_muslglue_phdr *phdr,
			 const struct uk_muslglue_startinfo *si)
{
	const struct uk_muslglue_tls *t = &si->tls;
	size_t phnum = 0;
	size_t i = 0;

	if (t->memsz) {
		if (t->filesz > t->memsz || !t->align ||
		    (t->align & (t->align - 1)))
			return -EINVAL;
		memset(phdr, 0, sizeof(*phdr));
		phdr->p_type = UK_PT_TLS;
		phdr->p_flags = 4; /* PF_R */
		phdr->p_vaddr = t->image;
		phdr->p_paddr = t->image;
		phdr->p_filesz = t->filesz;
		phdr->p_memsz = t->memsz;
		phdr->p_align = t->align;
		phnum = 1;
	}

	const size_t aux[][2] = {
		{UK_AT_PAGESZ, si->pagesz},
		{UK_AT_CLKTCK, 100},
		{UK_AT_HWCAP, si->hwcap},
		{UK_AT_PHDR, (size_t)(uintptr_t)phdr},
		{UK_AT_PHENT, sizeof(*phdr)},
		{UK_AT_PHNUM, phnum},
		{UK_AT_UID, 0},
		{UK_AT_EUID, 0},
		{UK_AT_GID, 0},
		{UK_AT_EGID, 0},
		{UK_AT_SECURE, 0},
		{UK_AT_RANDOM, (size_t)(uintptr_t)si->random},
		{UK_AT_NULL, 0},
	};
	size_t need = 1 + 2 * (sizeof(aux) / sizeof(aux[0]));

	if (n < need)
		return -ENOSPC;
	vec[i++] = 0; /* envp[0]: no environment */
	for (size_t k = 0; k < sizeof(aux) / sizeof(aux[0]); k++) {
		vec[i++] = aux[k][0];
		vec[i++] = aux[k][1];
	}
	return (int)i;
}
